"""`kiosk run` and `kiosk demo`: the full-screen application, on real parts or on the demo's embedded ones.

This is the composition root below the UI: it builds the orchestrator's ports (reader, backend, gate,
payment, printer, staff) from the site config, and hands them to `ui.launch`. The demo swaps in the
reference backend on loopback, software cards in a virtual reader, virtual coins and a folder printer.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import logging
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.cli.common import EXIT_OK, UsageError, add_config_option, load_config, print_json
from kiosk.errors import KioskError

_log = logging.getLogger("kiosk.app")

if TYPE_CHECKING:
    from kiosk.clock import Clock
    from kiosk.orchestrator import DocumentPrinter, Orchestrator, Ports
    from kiosk.service_gate import ServiceGate
    from kiosk.settings import SiteConfig
    from kiosk.staff import StaffStatus

__all__ = ["DemoParts", "add_commands", "demo_parts"]


def add_commands(commands: Any) -> None:
    run = commands.add_parser(
        "run", help="the full-screen kiosk on the configured reader, backend and printer"
    )
    run.add_argument("--windowed", action="store_true", help="a normal window instead of full screen")
    add_config_option(run)
    run.set_defaults(run=_run_app)

    demo = commands.add_parser(
        "demo",
        help="the whole kiosk on embedded defaults: reference backend, software cards, a folder printer",
    )
    demo.add_argument("--data", type=Path, help="keep the demo's backend data here (default: temporary)")
    demo.add_argument(
        "--headless",
        action="store_true",
        help="drive a scripted resident offscreen (the default without a display); needs --out",
    )
    demo.add_argument("--out", type=Path, help="where to save the screens (PNG) and the printed PDFs")
    demo.add_argument("--size", default="1920x1080", help="window size for --headless (WIDTHxHEIGHT)")
    demo.add_argument("--language", default="ja", help="screen language for --headless")
    demo.add_argument("--real-hours", action="store_true", help="keep the sample calendar's service hours")
    demo.add_argument("--windowed", action="store_true", help="a normal window instead of full screen")
    demo.set_defaults(run=_run_demo)


# ------------------------------------------------------------------------------------------------ demo


def _run_demo(args: argparse.Namespace) -> int:
    from kiosk.cli.demo_env import DemoEnvironment

    headless = args.headless or not _has_display()
    if headless and args.out is None:
        args.out = Path("demo-output")
    size = _size(args.size)
    with DemoEnvironment(args.data, always_open=not args.real_hours) as env:
        parts = demo_parts(env)
        try:
            if headless:
                from ui.launch import run_headless

                saved = run_headless(
                    lambda: parts.ports,
                    hooks=parts.hooks,
                    hours=parts.hours,
                    out_dir=args.out,
                    size=size,
                    language=args.language,
                    pin=parts.pin,
                )
                pdfs = _copy_pdfs(env.pdf_dir, args.out)
                print_json({"screens": [str(path) for path in saved], "pdfs": [str(p) for p in pdfs]})
                return EXIT_OK
            from ui.launch import run_windowed

            return run_windowed(
                lambda: parts.ports, hooks=parts.hooks, hours=parts.hours, full_screen=not args.windowed
            )
        finally:
            parts.close()


@dataclass
class DemoParts:
    ports: Ports
    hooks: Any
    hours: str
    pin: str
    #: the backend connection and the journal, closed in reverse order
    resources: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)

    def close(self) -> None:
        self.resources.close()


class _SwitchableGate:
    """The demo's gate: the real calendar, plus a switch the scripted clerk uses to show the closed screen."""

    def __init__(self, inner: ServiceGate) -> None:
        self._inner = inner
        self.closed = False

    def check_start(self) -> Any:
        from kiosk.errors import ServiceClosedError

        if self.closed:
            raise ServiceClosedError("after-hours", None)
        return self._inner.check_start()

    def check_document(self, municipality: str, document: str) -> Any:
        return self._inner.check_document(municipality, document)

    def check_not_overrun(self, deadline: Any) -> None:
        self._inner.check_not_overrun(deadline)


class _DemoPrinterFaults:
    """Printer faults on demand: the next print reports them and waits until `fix()` (a clerk)."""

    def __init__(self) -> None:
        self._pending: tuple[str, ...] = ()
        self._fixed = threading.Event()

    def inject(self, reasons: tuple[str, ...]) -> None:
        self._fixed.clear()
        self._pending = reasons

    def fix(self) -> None:
        self._fixed.set()

    def take(self) -> tuple[str, ...]:
        reasons, self._pending = self._pending, ()
        return reasons

    def wait_for_staff(self, cancelled: threading.Event) -> bool:
        while not cancelled.is_set():
            if self._fixed.wait(0.1):
                return True
        return False


def demo_parts(env: Any) -> DemoParts:
    from kiosk.backend.http import BackendClient
    from kiosk.card.profile import load_profile
    from kiosk.card.reader import VirtualCardReader
    from kiosk.card.virtual import SoftwareJpkiCard
    from kiosk.clock import SystemClock
    from kiosk.deferred_printer import DeferredPrinter
    from kiosk.payment import VirtualCoinDevice
    from kiosk.staff import ReaderStatus
    from ui.controller import DemoHooks

    config = env.config
    clock = SystemClock()
    gate = _SwitchableGate(_gate(config, clock))
    reader = VirtualCardReader("Demo reader (software cards)")
    coins = VirtualCoinDevice()
    faults = _DemoPrinterFaults()
    folder = env.printer()

    def build_printer() -> DocumentPrinter:
        from printing.kiosk_printer import FolderCertificatePrinter

        renderer, wording, specimen = _renderer(clock)
        return FolderCertificatePrinter(
            renderer, wording, folder, specimen, faults=faults.take, staff_wait=faults.wait_for_staff
        )

    printer = DeferredPrinter(build_printer)
    resources = contextlib.ExitStack()
    backend = resources.enter_context(BackendClient(config.backend, clock=clock))
    cards = env.cards

    def place(index: int) -> None:
        if 0 <= index < len(cards) and not reader.card_present():
            reader.insert(SoftwareJpkiCard(load_profile(cards[index].profile_dir)))

    def reader_probe() -> ReaderStatus:
        return ReaderStatus(reader.name, reader.card_present())

    gather = _status_gather(config, env.config_path, clock, reader_probe, lambda: _folder_summary(folder))
    staff = _staff_port(config, clock, gather)
    journal = _open_journal(resources, env.data_dir / "journal.db", clock)
    _recover(journal, backend, cancel_job=None)
    ports = _make_ports(
        config,
        reader=reader,
        backend=backend,
        gate=gate,
        payment=coins,
        printer=printer,
        staff=staff,
        journal=journal,
    )
    hooks = DemoHooks(
        cards=tuple(card.label for card in cards),
        place_card=place,
        remove_card=reader.remove,
        card_present=reader.card_present,
        insert_coin=coins.insert,
        printer_fault=faults.inject,
        fix_printer=faults.fix,
        close_service=lambda closed: setattr(gate, "closed", closed),
    )
    return DemoParts(ports, hooks, _hours(config), cards[0].pin if cards else "1234", resources)


def _folder_summary(folder: Any) -> Any:
    from kiosk.staff import PrinterSummary

    status = folder.status()
    return PrinterSummary(
        state=status.state.name.lower(),
        reasons=status.reasons,
        needs_staff=status.needs_staff,
        accepting=status.accepting,
    )


def _copy_pdfs(source: Path, out: Path) -> list[Path]:
    import shutil

    copied = []
    for pdf in sorted(source.glob("*.pdf")):
        target = out / pdf.name
        shutil.copyfile(pdf, target)
        copied.append(target)
    return copied


# ------------------------------------------------------------------------------------------------ run


def _run_app(args: argparse.Namespace) -> int:
    from kiosk.backend.http import BackendClient
    from kiosk.card.pcsc import PcscCardReader
    from kiosk.clock import SystemClock
    from kiosk.deferred_printer import DeferredPrinter
    from kiosk.journal import default_journal_path
    from kiosk.payment import VirtualCoinDevice
    from kiosk.settings import default_config_path
    from kiosk.staff import reader_probe_for
    from printing.staff_probe import printer_probe_for
    from ui.controller import DemoHooks
    from ui.launch import run_windowed

    config = load_config(args, required=True)
    assert config is not None  # noqa: S101 - required=True never returns None
    if config.printer is None:
        raise UsageError("kiosk run needs a [printer] in the site config")
    clock = SystemClock()
    settings = config.printer

    def build_printer() -> DocumentPrinter:
        from printing.kiosk_printer import CupsCertificatePrinter
        from printing.spool import Spooler, cups_connection_factory

        renderer, wording, specimen = _renderer(clock)
        spooler = Spooler(
            settings.queue,
            connection_factory=cups_connection_factory(settings.server),
            progress_timeout=settings.progress_timeout,
            staff_timeout=settings.staff_timeout,
        )
        return CupsCertificatePrinter(renderer, wording, spooler, specimen)

    printer = DeferredPrinter(build_printer)
    reader = PcscCardReader(config.card.reader, transmit_timeout=config.card.timeout)
    # No coin-mech driver exists yet: the payment port is kiosk/payment.py, and the virtual coin device
    # (buttons on the payment screen) stands in for it.
    coins = VirtualCoinDevice()

    def open_context() -> Any:
        from kiosk.card.pcsc import PcscContext

        return PcscContext()

    config_path = args.config if args.config is not None else default_config_path(os.environ)
    gather = _status_gather(
        config, config_path, clock, reader_probe_for(config.card, open_context), printer_probe_for(settings)
    )
    staff = _staff_port(config, clock, gather)
    heartbeat, on_orchestrator = _heartbeat(config, clock, gather)
    heartbeat.start()
    with contextlib.ExitStack() as stack:
        stack.callback(heartbeat.stop)
        backend = stack.enter_context(BackendClient(config.backend, clock=clock))
        journal = _open_journal(stack, default_journal_path(os.environ), clock)
        _recover(journal, backend, cancel_job=_job_canceller(settings))
        ports = _make_ports(
            config,
            config_path,
            clock,
            reader=reader,
            backend=backend,
            gate=_gate(config, clock),
            payment=coins,
            printer=printer,
            staff=staff,
            journal=journal,
        )
        hooks = DemoHooks(
            cards=(),
            place_card=lambda _index: None,
            remove_card=lambda: None,
            card_present=lambda: False,
            insert_coin=coins.insert,
        )
        return run_windowed(
            lambda: ports,
            hooks=hooks,
            hours=_hours(config),
            full_screen=not args.windowed,
            on_orchestrator=on_orchestrator,
        )


# ------------------------------------------------------------------------------------------------ shared


def _make_ports(
    config: SiteConfig, config_path: Path | None = None, clock: Clock | None = None, **parts: Any
) -> Ports:
    """The orchestrator's ports for `config`; with `config_path`, they are made again from a changed
    configuration (a synced bundle, an edited site file) between transactions."""
    from kiosk.orchestrator import Ports

    ports = Ports(
        terminal_id=config.terminal.id,
        municipal_key=config.municipal_key,
        offer_policy=config.restrict_offer,
        **parts,
    )
    if config_path is None or clock is None:
        return ports
    from kiosk.settings import AcceptedConfig

    accepted = AcceptedConfig(config_path, config)

    def reload() -> Ports | None:
        fresh = accepted.refresh()
        if fresh is None:
            return None
        return dataclasses.replace(
            ports,
            municipal_key=fresh.municipal_key,
            offer_policy=fresh.restrict_offer,
            gate=_gate(fresh, clock),
            reload=reload,
        )

    return dataclasses.replace(ports, reload=reload)


def _gate(config: SiteConfig, clock: Clock) -> ServiceGate:
    from kiosk.calendar import ServiceCalendar
    from kiosk.clock_trust import system_clock_synchronised
    from kiosk.holidays import LibraryHolidays
    from kiosk.service_gate import ServiceGate

    return ServiceGate(
        ServiceCalendar(config.calendar, LibraryHolidays()),
        clock,
        synchronised=system_clock_synchronised,
        require_synchronised=config.calendar.require_synchronised_clock,
    )


def _renderer(clock: Clock) -> tuple[Any, Any, Callable[[], bytes]]:
    from printing.decorations import SecurityDecorator
    from printing.fonts import FontSet
    from printing.render import Renderer
    from printing.specimen import render_specimen
    from printing.wording import load_wording

    wording = load_wording()
    fonts = FontSet.register()  # before any resident: a missing font must not cost a PIN try
    renderer = Renderer(fonts, wording, SecurityDecorator(fonts, wording))
    return renderer, wording, lambda: render_specimen(renderer, wording, clock.now())


def _hours(config: SiteConfig) -> str:
    calendar = config.calendar
    opens, closes = divmod(calendar.open, 60), divmod(calendar.close, 60)
    return f"{opens[0]:02d}:{opens[1]:02d}–{closes[0]:02d}:{closes[1]:02d}"


@dataclass(frozen=True)
class _StaffDesk:
    """The orchestrator's StaffPort: the staff PIN and the status snapshot, flattened for the screen."""

    verify: Callable[[bytearray], bool]
    gather: Callable[[Mapping[str, int]], StaffStatus]
    paused: Callable[[], bool] = lambda: False

    def verify_pin(self, pin: bytearray) -> bool:
        return self.verify(pin)

    def status(self, counters: Mapping[str, int]) -> Mapping[str, object]:
        snapshot = self.gather(counters)
        printer = snapshot.printer
        paper = "out" if any(r.startswith(("media-empty", "media-needed")) for r in printer.reasons) else "ok"
        return {
            "reader": snapshot.reader.name or (snapshot.reader.error or "none"),
            "cardPresent": snapshot.reader.card_present,
            "printerState": printer.state or (printer.error or "unknown"),
            "printerReasons": list(printer.reasons),
            "paper": paper if printer.error is None else "unknown",
            "backendReachable": snapshot.backend.reachable,
            "clockSkewSeconds": snapshot.backend.clock_skew_seconds,
            "configVersion": snapshot.config.version or snapshot.config.sha256_prefix or "unknown",
            "counters": {
                "started": snapshot.counters.started,
                "completed": snapshot.counters.completed,
                "failed": snapshot.counters.failed,
                "aborted": snapshot.counters.aborted,
            },
            "message": "",
        }


def _status_gather(
    config: SiteConfig, config_path: Path, clock: Clock, reader_probe: Any, printer_probe: Any
) -> Callable[[Mapping[str, int]], StaffStatus]:
    """One status snapshot (reader, printer, backend, config, counters), for staff and the heartbeat."""
    from kiosk.staff import backend_probe_for, gather_staff_status

    backend_probe = backend_probe_for(config.backend, clock)

    def gather(counters: Mapping[str, int]) -> StaffStatus:
        return gather_staff_status(
            reader_probe=reader_probe,
            printer_probe=printer_probe,
            backend_probe=backend_probe,
            config_path=config_path,
            counters=counters,
        )

    return gather


def _staff_port(
    config: SiteConfig, clock: Clock, gather: Callable[[Mapping[str, int]], StaffStatus]
) -> _StaffDesk | None:
    from kiosk.staff import StaffAuthenticator

    if config.staff is None:
        return None
    return _StaffDesk(StaffAuthenticator(config.staff, clock).verify, gather)


def _heartbeat(
    config: SiteConfig, clock: Clock, gather: Callable[[Mapping[str, int]], StaffStatus]
) -> tuple[Any, Callable[[Orchestrator], None]]:
    """The periodic status report to the operator; returns the sender and the hook that hands it the
    orchestrator once the UI has made it."""
    from kiosk.flow import State
    from kiosk.heartbeat import HeartbeatSender, app_version, backend_sender, heartbeat_gatherer

    holder: list[Orchestrator] = []
    sender = HeartbeatSender(
        heartbeat_gatherer(
            status=gather,
            counters=lambda: dict(holder[0].counters) if holder else {},
            last_error=lambda: holder[0].last_error_code if holder else None,
            paused=lambda: bool(holder) and holder[0].view.state is State.PAUSED,
            started_at=clock.now(),
            clock=clock,
            app_version=app_version(),
        ),
        backend_sender(config.backend, clock),
    )
    return sender, holder.append


class _UnavailableJournal:
    """Stands in for a journal that could not be opened: the kiosk runs (staff can see why) but starts no
    transaction it could not account for."""

    def __init__(self, error: KioskError) -> None:
        self._error = error

    def append(self, entry: Any) -> int:
        raise self._error

    def check_writable(self) -> None:
        raise self._error


def _open_journal(stack: contextlib.ExitStack, path: Path, clock: Clock) -> Any:
    from kiosk.journal import Journal

    try:
        return stack.enter_context(Journal.open(path, clock))
    except KioskError as error:
        _log.error("journal %s unavailable: %s", path, error.code)
        return _UnavailableJournal(error)


def _recover(journal: Any, backend: Any, *, cancel_job: Callable[[int], str] | None) -> None:
    """Settle what a crash left unfinished, before the first new transaction (kiosk/recovery.py)."""
    from kiosk.recovery import recover

    if isinstance(journal, _UnavailableJournal):
        return
    for settled in recover(journal, backend=backend, cancel_job=cancel_job):
        if not settled.settled:
            _log.error("transaction %s still unsettled: %s", settled.transaction_id, settled.error_code)


def _job_canceller(settings: Any) -> Callable[[int], str]:
    def cancel(job_id: int) -> str:
        from printing.spool import Spooler, cups_connection_factory

        spooler = Spooler(settings.queue, connection_factory=cups_connection_factory(settings.server))
        return str(spooler.cancel_job(job_id))

    return cancel


def _has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _size(text: str) -> tuple[int, int]:
    width, sep, height = text.partition("x")
    if not sep or not width.isdigit() or not height.isdigit():
        raise UsageError(f"--size must be WIDTHxHEIGHT, got {text!r}")
    return int(width), int(height)
