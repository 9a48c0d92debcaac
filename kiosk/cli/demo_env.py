"""The world `kiosk demo` runs in, without Qt: the reference backend, software cards and a folder printer.

`DemoEnvironment` is a context manager. Entering it

1. initialises a reference-backend data directory with the sample residents of 試験市, exactly as
   `kiosk backend init` does (`municipal.setup.init_data_dir`, which also imports the residents), unless the
   directory already holds one, which is then reused as it is. Without a directory a fresh temporary one is
   used and removed again on exit (it holds the fictitious residents' data);
2. with `always_open=True`, widens the service hours of backend.toml and the kiosk configs to the whole day
   with no last-start cutoff and no year-end closure (what the test suite does, tests/always_open.py). The
   change is written to the files, so a reused directory stays open all day until re-initialised;
3. runs `kiosk backend serve` (kiosk.cli.main in `sys.executable`) as a subprocess on 127.0.0.1 with a free
   port chosen by the backend itself (no port race). The child is spawned first, so that its imports (about a
   second) overlap steps 1 and 2, and serves once told to. While it binds, the demo's software card profiles
   are made (auth certificate only, registered to their residents like `kiosk backend make-card`; reused
   when still registered);
4. waits until the backend completes a mutual-TLS handshake with the terminal's credentials (or raises
   `DemoEnvironmentError` after `start_timeout`), points the kiosk configs' `backend.url` at the real port
   and loads `kiosk.toml` as `config`.

Leaving it stops the backend by its PID (SIGTERM, then SIGKILL after a timeout). The backend's output goes
to `DATA/demo-backend.log`; the backend logs no personal data, and neither does this module (resident ids
and file names only).

The cards' labels are generic descriptions for the demo screen ("Resident with a seal"); `resident_hint` is
the sample resident's id (R0001), never a name. Every demo card's PIN is `DEMO_PIN` (test data).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import select
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Final, TypeVar

import kiosk
from kiosk.card.profile import ensure_test_ca, load_profile, make_profile
from kiosk.clock import SystemClock
from kiosk.errors import KioskError, ProfileError
from kiosk.settings import SiteConfig, load_site_config
from municipal.db import Database
from municipal.registry import register_card
from municipal.residents import list_residents
from municipal.setup import TERMINAL_IDS, DataDir, init_data_dir, open_all_day
from printing.file_printer import FolderPrinter
from printing.spool import PrinterStatus

__all__ = ["DEMO_PIN", "DemoCard", "DemoEnvironment", "DemoEnvironmentError"]

_log = logging.getLogger(__name__)
_T = TypeVar("_T")

#: The PIN of every demo card (test data only).
DEMO_PIN: Final = "1234"
_READY = re.compile(rb"backend listening on https://[^\s:]+:(\d+)")
_URL_LINE = re.compile(r'(?m)^url = "https://127\.0\.0\.1:\d+"$')
_HOST = "127.0.0.1"
_POLL_SECONDS = 0.02
_STOP_TIMEOUT = 10.0
_CARDS_DIR = "demo-cards"
_LOG_NAME = "demo-backend.log"
_GO = b"serve\n"
#: The backend child: `python -m kiosk ARGS` (kiosk.cli.main), except that it imports the backend first and
#: then waits for "serve" on stdin, so the imports overlap the parent's work; and that it stops itself
#: (SIGTERM, handled by `kiosk backend serve`) when its stdin closes, so a demo that dies without running
#: its exit code (SIGKILL, a crash) leaves no backend behind.
_BOOTSTRAP = """\
import os, signal, sys, threading
import municipal.server
line = b""
while not line.endswith(b"\\n"):
    chunk = os.read(0, 1)
    if not chunk:
        sys.exit(0)
    line += chunk
if line != b"serve\\n":
    sys.exit(0)
def _orphaned():
    while os.read(0, 4096):
        pass
    os.kill(os.getpid(), signal.SIGTERM)
threading.Thread(target=_orphaned, name="demo-parent-watch", daemon=True).start()
from kiosk.cli import main
sys.exit(main(sys.argv[1:]))
"""


class DemoEnvironmentError(KioskError):
    """The demo's backend could not be started: `stage` is backend-exited, backend-timeout or tls.

    The message names the backend's log file; it never quotes the log."""

    code = "demo-unavailable"
    reported = ("stage",)

    def __init__(self, stage: str, detail: str) -> None:
        self.stage = stage
        super().__init__(f"demo backend {stage}: {detail}")


@dataclass(frozen=True)
class DemoCard:
    """A software card the demo can 'place' on the reader: load `profile_dir` with
    `kiosk.card.profile.load_profile` and wrap it in `SoftwareJpkiCard` (fresh PIN counters each time)."""

    label: str
    resident_hint: str
    profile_dir: Path
    pin: str = field(repr=False)


@dataclass(frozen=True)
class _CardSpec:
    slug: str
    label: str
    resident_id: str
    settings: Mapping[str, int]


#: Sample residents (config/samples/README.md): R0001 an ordinary householder with a registered seal,
#: R0021 an adult without a seal registration, R0002 and R0005 ordinary residents with seals, R0018 moved out.
_CARD_SPECS: Final = (
    _CardSpec("seal", "Resident with a seal", "R0001", {}),
    _CardSpec("no-seal", "Resident without a seal registration", "R0021", {}),
    _CardSpec("last-try", "Card whose PIN has one try left", "R0002", {"auth_tries_left": 1}),
    _CardSpec("blocked", "Card whose PIN is blocked", "R0005", {"auth_tries_left": 0}),
    _CardSpec("moved-out", "Resident who has moved out (refused)", "R0018", {}),
)


class DemoEnvironment:
    """The reference backend on loopback, the demo cards and a PDF folder; see the module docstring.

    data: the state directory, reused when it already holds a backend; None: a temporary one, removed on exit.
    always_open: serve around the clock (written into the directory's configs).
    pdf_dir: where `printer()` files certificates; default DATA/printed.
    start_timeout: seconds the backend may take to accept a TLS connection once its data is ready.
    """

    def __init__(
        self,
        data: Path | None = None,
        *,
        always_open: bool = False,
        pdf_dir: Path | None = None,
        start_timeout: float = 30.0,
    ) -> None:
        if not start_timeout > 0:
            raise ValueError("start_timeout must be positive")
        self._requested_data = data
        self._always_open = always_open
        self._requested_pdf_dir = pdf_dir
        self._start_timeout = start_timeout
        self._temporary: Path | None = None
        self._root: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._config: SiteConfig | None = None
        self._cards: tuple[DemoCard, ...] = ()
        self._port: int | None = None
        self._initialised = False
        self._startup_seconds: float | None = None

    # ------------------------------------------------------------------------------------------ lifecycle

    def __enter__(self) -> DemoEnvironment:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        """Initialise or reuse the data, start the backend, make the cards; stops everything on failure."""
        if self._process is not None:
            raise RuntimeError("the demo environment is already started")
        began = time.monotonic()
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        self._startup_seconds = time.monotonic() - began
        _log.info(
            "demo environment ready in %.2f s (backend pid %s on %s:%s, %s data)",
            self._startup_seconds,
            self.backend_pid,
            _HOST,
            self._port,
            "new" if self._initialised else "reused",
        )

    def stop(self) -> None:
        """Stop the backend by its PID (terminate, then kill) and remove a temporary directory. Idempotent."""
        process, self._process = self._process, None
        if process is not None:
            _stop_process(process)
        self._config = None
        if self._temporary is not None:
            shutil.rmtree(self._temporary, ignore_errors=True)
            self._temporary = None

    # ------------------------------------------------------------------------------------------ results

    @property
    def data_dir(self) -> Path:
        """The backend's data directory (also holds kiosk.toml, the cards and the backend log)."""
        return self._started(self._root)

    @property
    def config(self) -> SiteConfig:
        """Terminal T0001's site config (DATA/kiosk.toml), pointing at the running backend."""
        return self._started(self._config)

    @property
    def config_path(self) -> Path:
        return DataDir(self.data_dir).kiosk_config(TERMINAL_IDS[0])

    @property
    def pdf_dir(self) -> Path:
        """The folder `printer()` writes certificates to (created on the first print)."""
        return self._requested_pdf_dir if self._requested_pdf_dir is not None else self.data_dir / "printed"

    @property
    def cards(self) -> tuple[DemoCard, ...]:
        """The demo cards, in a fixed order: with a seal, without a seal, one try left, blocked, moved out."""
        self._started(self._config)
        return self._cards

    @property
    def backend_url(self) -> str:
        return f"https://{_HOST}:{self._started(self._port)}"

    @property
    def backend_pid(self) -> int | None:
        """The backend subprocess's PID while it runs (None before start and after stop)."""
        return self._process.pid if self._process is not None else None

    @property
    def log_path(self) -> Path:
        return self.data_dir / _LOG_NAME

    @property
    def initialised(self) -> bool:
        """True when this start created the data directory, False when it reused one."""
        return self._initialised

    @property
    def startup_seconds(self) -> float:
        """How long `start()` took, from the call to a backend that accepts TLS connections."""
        return self._started(self._startup_seconds)

    def printer(
        self,
        fault: Callable[[], str | None] | None = None,
        *,
        on_status: Callable[[PrinterStatus], None] | None = None,
    ) -> FolderPrinter:
        """A `FolderPrinter` filing into `pdf_dir` (for `CertificateDelivery.printer`)."""
        return FolderPrinter(self.pdf_dir, fault, on_status=on_status)

    # ------------------------------------------------------------------------------------------ start-up

    def _start(self) -> None:
        if self._requested_data is None:
            self._temporary = Path(tempfile.mkdtemp(prefix="kiosk-demo-"))
            root = self._temporary
        else:
            root = self._requested_data.absolute()
            root.mkdir(parents=True, exist_ok=True)
        self._root = root
        data = DataDir(root)
        # The backend's imports take about a second: they run while the data and the cards are prepared.
        self._process = self._spawn_backend(root)
        now = SystemClock().now()
        if not (data.settings.exists() and data.database.exists()):
            # Refuses a half-made directory (one of the two files present) with a ConfigError.
            init_data_dir(root, now=now, port=0, make_jpki_ca=lambda ca_dir: ensure_test_ca(ca_dir, now=now))
            self._initialised = True
        if self._always_open:
            open_all_day(root)
        _release(self._process)
        deadline = time.monotonic() + self._start_timeout
        self._cards = _ensure_cards(data, now)
        port = self._wait_until_ready(data, deadline)
        self._port = port
        self._config = _load_config(data, port)

    def _spawn_backend(self, root: Path) -> subprocess.Popen[bytes]:
        """`kiosk backend serve` on 127.0.0.1, port 0, held after its imports until `_release`."""
        environment = dict(os.environ)
        # The checkout (or site-packages) holding this `kiosk` first, so the child runs the same code.
        package_parent = str(Path(kiosk.__file__).resolve().parent.parent)
        existing = environment.get("PYTHONPATH")
        environment["PYTHONPATH"] = package_parent + (os.pathsep + existing if existing else "")
        command = [
            sys.executable, "-c", _BOOTSTRAP,
            "backend", "serve", "--data", str(root), "--host", _HOST, "--port", "0",
        ]  # fmt: skip
        with (root / _LOG_NAME).open("wb") as log:
            return subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=log,
                stderr=log,
                env=environment,
                cwd=root,
                close_fds=True,
            )

    def _wait_until_ready(self, data: DataDir, deadline: float) -> int:
        """The backend's port once it completes a mutual-TLS handshake; DemoEnvironmentError otherwise."""
        process = self._process
        assert process is not None  # noqa: S101 - only called after _spawn_backend
        log = data.root / _LOG_NAME
        port: int | None = None
        tls = _tls_context(data)
        last_error = "no answer"
        while time.monotonic() < deadline:
            code = process.poll()
            if code is not None:
                raise DemoEnvironmentError("backend-exited", f"exit status {code}; see {log}")
            if port is None:
                match = _READY.search(log.read_bytes())
                port = int(match.group(1)) if match else None
            if port is not None:
                try:
                    _handshake(tls, port, timeout=max(0.1, min(2.0, deadline - time.monotonic())))
                except (OSError, ssl.SSLError) as error:
                    last_error = type(error).__name__
                else:
                    return port
            select.select([], [], [], _POLL_SECONDS)
        if port is None:
            raise DemoEnvironmentError(
                "backend-timeout", f"not listening within {self._start_timeout:g} s; see {log}"
            )
        raise DemoEnvironmentError(
            "tls",
            f"no TLS handshake on port {port} within {self._start_timeout:g} s ({last_error}); see {log}",
        )

    @staticmethod
    def _started(value: _T | None) -> _T:
        if value is None:
            raise RuntimeError("the demo environment is not started")
        return value


# ---------------------------------------------------------------------------------------------- helpers


def _ensure_cards(data: DataDir, now: datetime) -> tuple[DemoCard, ...]:
    """Make (or reuse) one profile per demo card whose resident exists, each registered to that resident."""
    cards_root = data.root / _CARDS_DIR
    db = Database(data.database)
    try:
        residents = {listing.id for listing in list_residents(db)}
        cards: list[DemoCard] = []
        for spec in _CARD_SPECS:
            if spec.resident_id not in residents:
                _log.warning("demo card %r skipped: no resident %s in this data", spec.slug, spec.resident_id)
                continue
            directory = cards_root / spec.slug
            if not _registered_profile(db, directory, spec.resident_id):
                profile = make_profile(
                    directory,
                    data.pki.jpki_dir,
                    now=now,
                    pin=DEMO_PIN,
                    sign_password=None,  # the kiosk only uses the authentication certificate: half the keys
                    settings=dict(spec.settings),
                )
                register_card(db, profile.auth_cert_der, spec.resident_id, now=now)
            cards.append(DemoCard(spec.label, spec.resident_id, directory, DEMO_PIN))
    finally:
        db.close()
    return tuple(cards)


def _registered_profile(db: Database, directory: Path, resident_id: str) -> bool:
    """True when `directory` holds a valid profile whose certificate is registered to `resident_id`."""
    if not (directory / "card.toml").exists():
        return False
    try:
        profile = load_profile(directory)
    except ProfileError:
        return False
    digest = hashlib.sha256(profile.auth_cert_der).hexdigest()
    with db.read() as connection:
        row = connection.execute(
            "SELECT resident_id FROM cards WHERE certificate_sha256 = ?", (digest,)
        ).fetchone()
    return row is not None and row["resident_id"] == resident_id


def _tls_context(data: DataDir) -> ssl.SSLContext:
    """The terminal's side of the mutual TLS (T0001's credentials, the pinned deployment CA)."""
    pki = data.pki
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=str(pki.deployment_ca_cert))
    context.load_cert_chain(str(pki.terminal_cert(TERMINAL_IDS[0])), str(pki.terminal_key(TERMINAL_IDS[0])))
    return context


def _handshake(context: ssl.SSLContext, port: int, *, timeout: float) -> None:
    with (
        socket.create_connection((_HOST, port), timeout=timeout) as raw,
        context.wrap_socket(raw, server_hostname=_HOST) as tls,
    ):
        tls.do_handshake()


def _load_config(data: DataDir, port: int) -> SiteConfig:
    """Point every kiosk config of the directory at the backend's port, then load T0001's."""
    url = f'url = "https://{_HOST}:{port}"'
    for path in sorted(data.root.glob("kiosk*.toml")):
        text = path.read_text(encoding="utf-8")
        updated = _URL_LINE.sub(url, text)
        if updated != text:
            _replace_text(path, updated)
    config = load_site_config(data.kiosk_config(TERMINAL_IDS[0]))
    expected = f"https://{_HOST}:{port}"
    if config.backend.url != expected:
        # A hand-edited backend.url: keep the file, serve the demo from memory.
        config = config.model_copy(update={"backend": config.backend.model_copy(update={"url": expected})})
    return config


def _replace_text(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def _release(process: subprocess.Popen[bytes]) -> None:
    """Tell the held backend that its data is ready: it parses its arguments and serves."""
    assert process.stdin is not None  # noqa: S101 - spawned with stdin=PIPE
    try:
        process.stdin.write(_GO)
        process.stdin.flush()
    except BrokenPipeError:
        pass  # it already exited: _wait_until_ready reports its status


def _stop_process(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the backend's PID, SIGKILL after a timeout; then its stdin pipe is closed."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            process.terminate()
        try:
            process.wait(timeout=_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            _log.warning("demo backend pid %d ignored SIGTERM; killing it", process.pid)
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            process.wait(timeout=_STOP_TIMEOUT)
    if process.stdin is not None:
        with contextlib.suppress(OSError):
            process.stdin.close()
