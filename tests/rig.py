"""The real PC/SC stack for integration tests: a private pcscd with vpcd readers, and software cards on them.

Why a network namespace: Debian 12's vpcd 0.8 listens on 0.0.0.0, and its "reversed" mode (vpcd connects to a
card listening on 127.0.0.1) aborts pcscd when a card is pulled ("bit out of range 0 - FD_SETSIZE on
fd_set": 0.8's vicc_connect calls waitforclient(-1)). So pcscd runs in its own mount *and* network namespace:
the mount namespace gives it a private /run/pcscd (bind-mounted from the rig's temp dir), the network
namespace has only its own `lo`, so vpcd's 0.0.0.0 listener is unreachable from anywhere else. Cards are
normal vpcd clients whose sockets are created inside that namespace (`setns` in a short-lived thread; a
socket stays in the namespace it was created in). Needs root (CAP_SYS_ADMIN), which CI has.

Clients find this pcscd through `PCSCLITE_CSOCK_NAME`; libpcsclite reads it once, at the first context, so
it must be set before anything in the process talks PC/SC (the integration conftest does it at configure).
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from kiosk.card.vpcd import VirtualCard, VpcdLink

__all__ = [
    "VPCD_DRIVER",
    "PcscdRig",
    "RigError",
    "host_listeners",
    "netns_interfaces",
    "wait_card_state",
]

VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
_CLONE_NEWNET = 0x40000000
#: vpcd 0.8 keeps its contexts in one static array indexed by slot only, so a second reader.conf entry
#: silently replaces the first one's. One entry gives two slots, "Virtual PCD 00 00" on port and
#: "Virtual PCD 00 01" on port + 1: that is the most one pcscd can offer.
_PORT = 35963
_SLOTS = 2
_READY = "daemon ready"
# pcscd needs this many seconds at most to come up on a busy CI machine.
_START_TIMEOUT = 15.0


class RigError(RuntimeError):
    """The rig cannot run here; the message says what to install or fix."""


def check_prerequisites() -> None:
    """Fail loudly, naming the Debian package, rather than letting CI skip the real-stack tests."""
    missing = []
    if shutil.which("pcscd") is None and not Path("/usr/sbin/pcscd").exists():
        missing.append("pcscd (apt-get install pcscd)")
    if not VPCD_DRIVER.exists():
        missing.append(f"{VPCD_DRIVER} (apt-get install vsmartcard-vpcd)")
    if shutil.which("unshare") is None:
        missing.append("unshare (apt-get install util-linux)")
    if shutil.which("ip") is None:
        missing.append("ip (apt-get install iproute2)")
    if missing:
        raise RigError("the pcscd+vpcd rig needs: " + "; ".join(missing))
    if os.geteuid() != 0:
        raise RigError("the pcscd+vpcd rig needs root (mount and network namespaces, /run/pcscd)")


class PcscdRig:
    """One private pcscd with one vpcd reader entry, i.e. two PC/SC readers (`reader_name(0)`, `(1)`)."""

    readers = _SLOTS

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.conf_dir = workdir / "conf.d"
        self.run_dir = workdir / "run"
        self.log_path = workdir / "pcscd.log"  # outside conf.d: pcscd parses every file in it
        self.socket_path = self.run_dir / "pcscd.comm"
        self.ports = [_PORT + slot for slot in range(_SLOTS)]
        self._proc: subprocess.Popen[bytes] | None = None
        self._libc: Any = None

    @staticmethod
    def reader_name(index: int) -> str:
        return f"Virtual PCD 00 {index:02X}"

    @property
    def pid(self) -> int:
        if self._proc is None:
            raise RigError("the rig is not running")
        return self._proc.pid

    def start(self) -> PcscdRig:
        check_prerequisites()
        self.conf_dir.mkdir(parents=True, exist_ok=True)
        self.run_dir.mkdir(parents=True, exist_ok=True)
        (self.conf_dir / "vpcd").write_text(
            'FRIENDLYNAME "Virtual PCD"\n'
            f"DEVICENAME /dev/null:{_PORT}\n"
            f"LIBPATH {VPCD_DRIVER}\n"
            f"CHANNELID {_PORT}\n"
        )
        Path("/run/pcscd").mkdir(parents=True, exist_ok=True)  # the bind-mount target must exist
        script = 'ip link set lo up && mount --bind "$1" /run/pcscd && exec pcscd --foreground --info -c "$2"'
        argv = ["unshare", "--mount", "--net", "--propagation", "private", "sh", "-c", script, "rig"]
        with self.log_path.open("wb") as log:
            self._proc = subprocess.Popen(
                [*argv, str(self.run_dir), str(self.conf_dir)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        self._libc = ctypes.CDLL(None, use_errno=True)
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + _START_TIMEOUT
        while time.monotonic() < deadline:
            if _READY in self.log_path.read_text(errors="replace"):
                return
            if self._proc is not None and self._proc.poll() is not None:
                raise RigError(f"pcscd exited with {self._proc.returncode}:\n{self.log_tail()}")
            time.sleep(0.02)
        raise RigError(f"pcscd not ready after {_START_TIMEOUT} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return "(no log)"

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)

    def __enter__(self) -> PcscdRig:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ cards

    def socket_in_netns(self) -> socket.socket:
        """A TCP socket created inside pcscd's network namespace (setns only affects the calling thread)."""
        if self._proc is None:
            # An OSError, like any failed connect, so that the card link keeps retrying quietly.
            raise ConnectionRefusedError("the rig's pcscd is not running")
        box: list[socket.socket | BaseException] = []
        netns = f"/proc/{self.pid}/ns/net"

        def enter_and_create() -> None:
            try:
                fd = os.open(netns, os.O_RDONLY)
                try:
                    if self._libc.setns(fd, _CLONE_NEWNET) != 0:
                        err = ctypes.get_errno()
                        raise OSError(err, f"setns({netns}): {os.strerror(err)}")
                finally:
                    os.close(fd)
                box.append(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
            except BaseException as exc:
                box.append(exc)

        thread = threading.Thread(target=enter_and_create, name="rig-netns")
        thread.start()
        thread.join()
        result = box[0]
        if isinstance(result, BaseException):
            raise result
        return result

    def attach(self, card: VirtualCard, reader: int = 0, **link_options: Any) -> VpcdLink:
        """A started link putting `card` into reader `reader` (vpcd accepts it at its next poll)."""
        link = VpcdLink(
            card, self.ports[reader], listen=False, socket_factory=self.socket_in_netns, **link_options
        )
        return link.start()


def wait_card_state(reader: str, *, present: bool, timeout: float = 5.0) -> float:
    """Block until PC/SC reports the card in `reader` present (or absent); returns the seconds waited."""
    from smartcard import scard

    started = time.monotonic()
    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        raise RigError(f"SCardEstablishContext: {scard.SCardGetErrorMessage(hresult)}")
    try:
        known = scard.SCARD_STATE_UNAWARE
        while True:
            remaining = started + timeout - time.monotonic()
            if remaining <= 0:
                wanted = "present" if present else "absent"
                raise TimeoutError(f"{reader}: card {wanted} not seen in {timeout} s")
            hresult, states = scard.SCardGetStatusChange(context, int(remaining * 1000), [(reader, known)])
            if hresult == scard.SCARD_E_TIMEOUT:
                continue
            if hresult != scard.SCARD_S_SUCCESS:
                raise RigError(f"SCardGetStatusChange: {scard.SCardGetErrorMessage(hresult)}")
            event_state = states[0][1]
            if bool(event_state & scard.SCARD_STATE_PRESENT) == present:
                return time.monotonic() - started
            known = event_state & ~scard.SCARD_STATE_CHANGED
    finally:
        scard.SCardReleaseContext(context)


def host_listeners(pids: set[int]) -> list[tuple[str, int]]:
    """(address, pid) of every TCP listener owned by `pids` in *this* network namespace, from `ss -ltnpH`."""
    out = subprocess.run(["ss", "-ltnpH"], capture_output=True, text=True, check=True).stdout
    found = []
    for line in out.splitlines():
        fields = line.split()
        if len(fields) < 6:
            continue
        for pid in (int(p) for p in re.findall(r"pid=(\d+)", fields[5])):
            if pid in pids:
                found.append((fields[3], pid))
    return found


def netns_interfaces(pid: int) -> list[str]:
    """Network interfaces visible in `pid`'s network namespace."""
    lines = Path(f"/proc/{pid}/net/dev").read_text().splitlines()[2:]
    return [line.split(":", 1)[0].strip() for line in lines]
