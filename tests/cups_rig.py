"""A private cupsd for the printing tests, with a scripted test printer; it never touches a system cupsd.

cupsd runs in the foreground (`cupsd -f -c cupsd.conf -s cups-files.conf`) with every directory it
writes in the rig's own folder: ServerRoot (printers.conf, ppd/), RequestRoot (job files), TempDir,
CacheDir, StateDir (pid file, local-auth certs), ServerKeychain and the logs; `Printcap` is empty so it
does not rewrite /run/cups/printcap. It listens on 127.0.0.1:<free port> and on its own domain socket,
and announces nothing: Browsing off, no DNS-SD, nothing shared, no web interface (no avahi is needed).

ServerBin is a private overlay of /usr/lib/cups: symlinks to the stock daemon/, filter/, driver/, ...
and a backend/ folder of symlinks to the stock backends plus `kiosktest`, the rig's printer. cupsd runs
backends from ServerBin/backend only, so an overlay is the way to add one without writing into /usr.

kiosktest is a Python script (mode 0744: cupsd runs a backend that others cannot execute as root, so it
can write into the rig's folder). It reads the control file on every job:
- `ok`: writes each copy to `out/<job>-<n>.pdf` and `out/<job>.json` (title, user, copies, options), exit 0;
- `paper-out`: `STATE: +media-empty-error,media-needed-error`, waits until the control file says `ok`,
  clears the reasons and prints as above;
- `jam`: `STATE: +media-jam-error`, exit 1 (CUPS_BACKEND_FAILED): with printer-error-policy=abort-job
  cupsd aborts the job; the reason stays on the queue, like a real jam until a clerk clears it;
- `off`: `STATE: +connecting-to-device`, then hangs without progress until cupsd kills it (SIGTERM).

The queue is raw (`lpadmin -m raw`): the backend gets the PDF byte for byte and the copies in argv[4], as a
printer fed directly would. CUPS 2.4 warns that raw queues are deprecated; an IPP Everywhere queue
(`-m everywhere`) needs a live IPP printer to describe itself, i.e. ippeveprinter, which needs avahi.

Clients use `server` ("127.0.0.1:<port>") with `printing.spool.cups_connection_factory`; the rig's own
lpadmin/lpstat calls go through the domain socket, where cupsd authenticates root by peer credentials.
Needs root (cupsd changes its folders' owners and runs the backend as root), like the PC/SC rig.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.rig import RigError, host_listeners

__all__ = ["MODES", "CupsRig", "PrintedJob", "check_prerequisites"]

CUPSD = Path("/usr/sbin/cupsd")
STOCK_SERVER_BIN = Path("/usr/lib/cups")
QUEUE = "Kiosk"
MODES = ("ok", "paper-out", "jam", "off")
BACKEND = "kiosktest"
# cupsd answers within a fraction of a second; a loaded CI machine gets more.
_START_TIMEOUT = 15.0
_STOP_TIMEOUT = 10.0
# sun_path is 108 bytes on Linux.
_MAX_SOCKET_PATH = 100

_BACKEND_SCRIPT = '''#!{python} -I
"""kiosktest: the cups rig's scripted printer (see tests/cups_rig.py)."""
import json
import os
import sys
import time

CONTROL = {control!r}
OUT = {out!r}
PAPER = "media-empty-error,media-needed-error"


def say(line):
    print(line, file=sys.stderr, flush=True)


def mode():
    with open(CONTROL) as f:
        return f.read().strip()


def write(path, data):
    with open(path + ".tmp", "wb") as f:
        f.write(data)
    os.replace(path + ".tmp", path)


def main():
    if len(sys.argv) == 1:
        print('direct {backend} "Kiosk" "Kiosk test printer"')
        return 0
    job, user, title, copies, options = sys.argv[1:6]
    if len(sys.argv) > 6:
        with open(sys.argv[6], "rb") as f:
            data = f.read()
    else:
        data = sys.stdin.buffer.read()
    current = mode()
    say("INFO: kiosktest mode " + current)
    if current == "jam":
        say("STATE: +media-jam-error")
        say("ERROR: simulated paper jam")
        return 1
    if current == "off":
        say("STATE: +connecting-to-device")
        while True:
            time.sleep(0.2)
    if current == "paper-out":
        say("STATE: +" + PAPER)
        while mode() != "ok":
            time.sleep(0.05)
        say("STATE: -" + PAPER)
    for n in range(1, int(copies) + 1):
        write(f"{{OUT}}/{{job}}-{{n}}.pdf", data)
    meta = {{"job": int(job), "user": user, "title": title, "copies": int(copies), "options": options,
            "content_type": os.environ.get("CONTENT_TYPE", "")}}
    write(f"{{OUT}}/{{job}}.json", json.dumps(meta).encode())
    return 0


sys.exit(main())
'''


def check_prerequisites() -> None:
    """Fail loudly, naming the Debian package, rather than letting CI skip the printing tests."""
    missing = []
    if not CUPSD.exists():
        missing.append(f"{CUPSD} (apt-get install cups-daemon)")
    for tool in ("lpadmin", "lpstat"):
        if shutil.which(tool) is None:
            missing.append(f"{tool} (apt-get install cups-client)")
    if not (STOCK_SERVER_BIN / "daemon" / "cups-exec").exists():
        missing.append(f"{STOCK_SERVER_BIN}/daemon/cups-exec (apt-get install cups-daemon)")
    if shutil.which("ss") is None:
        missing.append("ss (apt-get install iproute2)")
    if missing:
        raise RigError("the cupsd rig needs: " + "; ".join(missing))
    if os.geteuid() != 0:
        raise RigError(
            "the cupsd rig needs root (cupsd chowns its folders to lp and runs the backend as root)"
        )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class PrintedJob:
    """What the test printer received for one job."""

    title: str
    user: str
    copies: int
    options: str
    content_type: str
    documents: tuple[bytes, ...]


class CupsRig:
    """One private cupsd with one raw queue, `Kiosk`, on the scripted `kiosktest` printer."""

    queue = QUEUE

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.etc_dir = workdir / "etc"
        self.spool_dir = workdir / "spool"
        self.cache_dir = workdir / "cache"
        self.state_dir = workdir / "run"
        self.log_dir = workdir / "log"
        self.server_bin = workdir / "lib"
        self.out_dir = workdir / "out"
        self.control_path = workdir / "control"
        self.socket_path = self.state_dir / "cups.sock"
        self.port = 0
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def server(self) -> str:
        """What clients connect to: `cups_connection_factory(rig.server)` or CUPS_SERVER."""
        return f"127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        if self._proc is None:
            raise RigError("the cupsd rig is not running")
        return self._proc.pid

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> CupsRig:
        check_prerequisites()
        if len(str(self.socket_path)) > _MAX_SOCKET_PATH:
            raise RigError(f"rig folder too deep for a domain socket: {self.socket_path}")
        self.port = _free_port()
        self._make_dirs()
        self._make_server_bin()
        self._write_config()
        self.set_mode("ok")
        self._launch()
        try:
            self._wait_ready()
            self._add_queue()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """SIGTERM to our cupsd (by PID), then wait; SIGKILL only if it does not exit in time."""
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=_STOP_TIMEOUT)

    def __enter__(self) -> CupsRig:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _make_dirs(self) -> None:
        for folder in (
            self.etc_dir / "ppd",
            self.spool_dir / "tmp",
            self.cache_dir,
            self.state_dir,
            self.log_dir,
            self.server_bin / "backend",
            self.out_dir,
            self.workdir / "ssl",
        ):
            folder.mkdir(parents=True, exist_ok=True)

    def _make_server_bin(self) -> None:
        for entry in STOCK_SERVER_BIN.iterdir():
            if entry.name != "backend":
                _symlink(self.server_bin / entry.name, entry)
        for backend in (STOCK_SERVER_BIN / "backend").iterdir():
            _symlink(self.server_bin / "backend" / backend.name, backend)
        script = self.server_bin / "backend" / BACKEND
        script.write_text(
            _BACKEND_SCRIPT.format(
                python=sys.executable, control=str(self.control_path), out=str(self.out_dir), backend=BACKEND
            )
        )
        # 0744: executable by its owner (root) only, which is how cupsd decides to run it as root.
        script.chmod(0o744)

    def _write_config(self) -> None:
        files_conf = self.workdir / "cups-files.conf"
        files_conf.write_text(_cups_files_conf(self))
        (self.workdir / "cupsd.conf").write_text(_cupsd_conf(self))

    def _launch(self) -> None:
        argv = [
            str(CUPSD),
            "-f",
            "-c",
            str(self.workdir / "cupsd.conf"),
            "-s",
            str(self.workdir / "cups-files.conf"),
        ]
        with (self.log_dir / "stdout").open("wb") as out:
            self._proc = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT
            )

    def _wait_ready(self) -> None:
        """cupsd answers IPP on its TCP port (`lpstat -r`), which it does only after loading its config."""
        deadline = time.monotonic() + _START_TIMEOUT
        while time.monotonic() < deadline:
            if self._proc is not None and self._proc.poll() is not None:
                raise RigError(f"cupsd exited with {self._proc.returncode}:\n{self.log_tail()}")
            answer = subprocess.run(
                ["lpstat", "-h", self.server, "-r"], capture_output=True, text=True, check=False
            )
            if answer.returncode == 0 and "is running" in answer.stdout:
                return
            time.sleep(0.02)
        raise RigError(f"cupsd not answering after {_START_TIMEOUT} s:\n{self.log_tail()}")

    def _add_queue(self) -> None:
        self.admin(
            "lpadmin",
            "-p",
            QUEUE,
            "-E",
            "-v",
            f"{BACKEND}:/rig",
            "-m",
            "raw",
            "-o",
            "printer-error-policy=abort-job",
        )

    def admin(self, *argv: str) -> str:
        """Run a CUPS command-line tool against this cupsd (domain socket: root is authenticated)."""
        env = {**os.environ, "CUPS_SERVER": str(self.socket_path)}
        done = subprocess.run(list(argv), capture_output=True, text=True, env=env, check=False)
        if done.returncode != 0:
            raise RigError(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.strip()}")
        return done.stdout

    # ------------------------------------------------------------------ the printer

    def set_mode(self, mode: str) -> None:
        """Script the printer for the next job (or the one waiting for paper): one of MODES."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        # Replace atomically: the backend polls this file and must never read it half-written.
        tmp = self.control_path.with_suffix(".tmp")
        tmp.write_text(mode + "\n")
        tmp.replace(self.control_path)

    def printed(self, job_id: int) -> PrintedJob:
        """What the printer received for `job_id` (it writes the metadata last)."""
        meta = json.loads((self.out_dir / f"{job_id}.json").read_text())
        documents = tuple(
            (self.out_dir / f"{job_id}-{n}.pdf").read_bytes() for n in range(1, meta["copies"] + 1)
        )
        return PrintedJob(
            title=meta["title"],
            user=meta["user"],
            copies=meta["copies"],
            options=meta["options"],
            content_type=meta["content_type"],
            documents=documents,
        )

    def printed_jobs(self) -> list[int]:
        return sorted(int(path.stem) for path in self.out_dir.glob("*.json"))

    # ------------------------------------------------------------------ inspection

    def spool_documents(self) -> list[Path]:
        """Job data files (d<job>-<doc>) still in the spool; control files (c<job>) hold only attributes."""
        return sorted(self.spool_dir.glob("d*"))

    def backend_pids(self) -> list[int]:
        """PIDs of running kiosktest backends of this rig (to check that a cancel really stopped one)."""
        script = str(self.server_bin / "backend" / BACKEND).encode()
        found = []
        for proc_dir in Path("/proc").iterdir():
            if not proc_dir.name.isdigit():
                continue
            try:
                cmdline = (proc_dir / "cmdline").read_bytes()
            except OSError:
                continue
            if script in cmdline.split(b"\0"):
                found.append(int(proc_dir.name))
        return found

    def tcp_listeners(self) -> list[str]:
        """Local addresses cupsd listens on over TCP (from `ss -ltnp`, filtered to its PID)."""
        return [address for address, _pid in host_listeners({self.pid})]

    def udp_sockets(self) -> list[str]:
        """Local addresses of cupsd's UDP sockets (browsing and DNS-SD would show up here)."""
        out = subprocess.run(["ss", "-lunpH"], capture_output=True, text=True, check=True).stdout
        return [
            line.split()[3]
            for line in out.splitlines()
            if len(line.split()) >= 6 and self.pid in {int(p) for p in re.findall(r"pid=(\d+)", line)}
        ]

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = (self.log_dir / "error_log").read_text(errors="replace")
        except FileNotFoundError:
            return "(no error_log)"
        return "\n".join(text.splitlines()[-lines:])


def _symlink(link: Path, target: Path) -> None:
    if not link.is_symlink():
        link.symlink_to(target)


def _cups_files_conf(rig: CupsRig) -> str:
    """cups-files.conf: every path cupsd writes to, inside the rig folder."""
    return "\n".join(
        [
            "# kiosk cups rig: nothing outside this folder",
            f"ServerRoot {rig.etc_dir}",
            f"RequestRoot {rig.spool_dir}",
            f"TempDir {rig.spool_dir / 'tmp'}",
            f"CacheDir {rig.cache_dir}",
            f"StateDir {rig.state_dir}",
            f"ServerBin {rig.server_bin}",
            f"ServerKeychain {rig.workdir / 'ssl'}",
            "CreateSelfSignedCerts no",
            f"ErrorLog {rig.log_dir / 'error_log'}",
            f"AccessLog {rig.log_dir / 'access_log'}",
            f"PageLog {rig.log_dir / 'page_log'}",
            # Empty: do not write a printcap file (the default is the system's /run/cups/printcap).
            "Printcap",
            # Admin operations are allowed to root only (the rig calls lpadmin as root over the socket).
            "SystemGroup root",
            "FileDevice No",
            "SyncOnClose No",
            "",
        ]
    )


def _cupsd_conf(rig: CupsRig) -> str:
    """cupsd.conf: loopback and a private socket only, no browsing, job history kept, job files not."""
    return "\n".join(
        [
            "# kiosk cups rig: loopback only, announces nothing",
            "LogLevel debug",
            "MaxLogSize 0",
            f"Listen 127.0.0.1:{rig.port}",
            f"Listen {rig.socket_path}",
            "Browsing No",
            "BrowseLocalProtocols none",
            "DefaultShared No",
            "WebInterface No",
            "PreserveJobFiles No",
            "PreserveJobHistory Yes",
            "ErrorPolicy abort-job",
            "<Location />",
            "  Order allow,deny",
            "  Allow localhost",
            "</Location>",
            _POLICY,
            "",
        ]
    )


# Debian's default policy, except JobPrivateValues none: unauthenticated clients (the spooler over TCP)
# would otherwise get no job-name back, and the tests read it. Kiosk job names carry no personal data.
_POLICY = """<Policy default>
  JobPrivateAccess default
  JobPrivateValues none
  SubscriptionPrivateAccess default
  SubscriptionPrivateValues default
  <Limit Create-Job Print-Job Print-URI Validate-Job>
    Order deny,allow
  </Limit>
  <Limit Send-Document Send-URI Hold-Job Release-Job Restart-Job Purge-Jobs Set-Job-Attributes \
Create-Job-Subscription Renew-Subscription Cancel-Subscription Get-Notifications Reprocess-Job \
Cancel-Current-Job Suspend-Current-Job Resume-Job Cancel-My-Jobs Close-Job CUPS-Move-Job>
    Require user @OWNER @SYSTEM
    Order deny,allow
  </Limit>
  <Limit CUPS-Get-Document>
    AuthType Default
    Require user @OWNER @SYSTEM
    Order deny,allow
  </Limit>
  <Limit CUPS-Add-Modify-Printer CUPS-Delete-Printer CUPS-Add-Modify-Class CUPS-Delete-Class \
CUPS-Set-Default CUPS-Get-Devices>
    AuthType Default
    Require user @SYSTEM
    Order deny,allow
  </Limit>
  <Limit Pause-Printer Resume-Printer Enable-Printer Disable-Printer Pause-Printer-After-Current-Job \
Hold-New-Jobs Release-Held-New-Jobs Deactivate-Printer Activate-Printer Restart-Printer Shutdown-Printer \
Startup-Printer Promote-Job Schedule-Job-After Cancel-Jobs CUPS-Accept-Jobs CUPS-Reject-Jobs>
    AuthType Default
    Require user @SYSTEM
    Order deny,allow
  </Limit>
  <Limit Cancel-Job CUPS-Authenticate-Job>
    Require user @OWNER @SYSTEM
    Order deny,allow
  </Limit>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>"""
