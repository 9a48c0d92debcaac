"""`kiosk backend ...`: the reference municipal backend (init, residents, test cards, serve, terminals)."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from kiosk.cli.common import EXIT_OK, UsageError, add_config_option, print_json

__all__ = ["add_commands"]

_DEFAULT_PORT = 8443


def add_commands(commands: Any) -> None:
    backend = commands.add_parser("backend", help="the reference municipal backend (test data, tests, demo)")
    sub = backend.add_subparsers(title="backend commands")

    init = sub.add_parser("init", help="create DIR: test PKI, sample residents, backend.toml and kiosk.toml")
    _data(init)
    init.add_argument(
        "--port", type=int, default=_DEFAULT_PORT, help=f"port for the configs (default {_DEFAULT_PORT})"
    )
    init.add_argument("--residents", type=Path, help="residents JSON to load instead of the samples")
    init.set_defaults(run=_run_init)

    imp = sub.add_parser("import-residents", help="add residents and households from a JSON file")
    _data(imp)
    imp.add_argument("file", type=Path, help="residents JSON (docs/residents-format.md)")
    imp.set_defaults(run=_run_import)

    card = sub.add_parser(
        "make-card", help="write a software card profile for a resident, signed by DIR's CA"
    )
    _data(card)
    card.add_argument("--resident", required=True, help="resident id (see list-residents)")
    card.add_argument("--out", required=True, type=Path, help="profile directory to create")
    card.add_argument("--pin", default="1234", help="the card's authentication PIN (test data only)")
    card.add_argument("--revoked", action="store_true", help="revoke the certificate (listed in the CRL)")
    card.add_argument("--expired", action="store_true", help="a certificate whose validity has ended")
    card.set_defaults(run=_run_make_card)

    listing = sub.add_parser(
        "list-residents", help="residents with their household and status (no other data)"
    )
    _data(listing)
    listing.set_defaults(run=_run_list)

    terminals = sub.add_parser(
        "terminals", help="registered terminals and their latest heartbeat (stale ones are marked)"
    )
    _data(terminals)
    terminals.add_argument(
        "--stale-after",
        type=float,
        metavar="SECONDS",
        help="stale when the last heartbeat is older than this (default: 3 of the terminal's intervals)",
    )
    terminals.set_defaults(run=_run_terminals)

    serve = sub.add_parser("serve", help="serve the issuance protocol over mutual TLS until stopped")
    _data(serve)
    serve.add_argument("--host", help="address to listen on (default from backend.toml: 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default from backend.toml); 0 picks a free one")
    serve.add_argument(
        "--inject-faults",
        metavar="SEED:MAX_DELAY_MS:LATE_PERCENT:LATE_MS",
        help="TESTING ONLY: delay requests randomly and hold some answers back past the client's timeout",
    )
    serve.set_defaults(run=_run_serve)


def _data(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", required=True, type=Path, help="the backend's data directory")
    parser.add_argument("--json", action="store_true", help="print the result (and errors) as JSON")
    add_config_option(parser)


def _run_init(args: argparse.Namespace) -> int:
    from kiosk.card.profile import ensure_test_ca
    from kiosk.clock import SystemClock
    from municipal.setup import SAMPLE_RESIDENTS, init_data_dir

    if not 0 < args.port < 65536:
        raise UsageError("--port must be 1..65535")
    now = SystemClock().now()
    summary = init_data_dir(
        args.data,
        now=now,
        port=args.port,
        make_jpki_ca=lambda directory: ensure_test_ca(directory, now=now),
        residents_file=args.residents or SAMPLE_RESIDENTS,
    )
    result = {
        "data": str(summary.data),
        "households": summary.households,
        "residents": summary.residents,
        "terminals": list(summary.terminals),
        "kiosk_config": str(summary.kiosk_config),
        "port": summary.port,
    }
    if args.json:
        print_json(result)
    else:
        print(
            f"backend data in {summary.data}: "
            f"{summary.residents} residents in {summary.households} households"
        )
        print(
            f"terminals {', '.join(summary.terminals)}; "
            f"kiosk config for {summary.terminals[0]}: {summary.kiosk_config}"
        )
        print(f"next: kiosk backend serve --data {summary.data}")
    return EXIT_OK


def _run_import(args: argparse.Namespace) -> int:
    from kiosk.clock import SystemClock
    from municipal.db import Database
    from municipal.residents import import_residents, load_resident_file

    data = _existing(args.data)
    residents = load_resident_file(args.file)
    db = Database(data.database)
    try:
        summary = import_residents(db, residents, now=SystemClock().now())
    finally:
        db.close()
    result = {"households": summary.households, "residents": summary.residents, "seals": summary.seals}
    if args.json:
        print_json(result)
    else:
        print(
            f"imported {summary.residents} residents in {summary.households} households "
            f"({summary.seals} seals)"
        )
    return EXIT_OK


def _run_make_card(args: argparse.Namespace) -> int:
    from datetime import timedelta

    from kiosk.card.profile import make_profile
    from kiosk.clock import SystemClock
    from municipal.db import Database
    from municipal.registry import register_card, revoke_card
    from municipal.server import publish_crl

    data = _existing(args.data)
    clock = SystemClock()
    now = clock.now()
    # Test certificates are valid five years from their `now`; one issued 5 years and a day ago has expired.
    issued = now - timedelta(days=5 * 365 + 1) if args.expired else now
    db = Database(data.database)
    try:
        _require_resident(db, args.resident)
        profile = make_profile(args.out, data.pki.jpki_dir, now=issued, pin=args.pin)
        card = register_card(db, profile.auth_cert_der, args.resident, now=now)
        if args.revoked:
            revoke_card(db, card.serial, now=now)
            publish_crl(args.data, db, clock)
    finally:
        db.close()
    result = {
        "profile": str(args.out),
        "resident": args.resident,
        "certificate_sha256": card.certificate_sha256,
        "revoked": args.revoked,
        "expired": args.expired,
    }
    if args.json:
        print_json(result)
    else:
        print(f"card profile for {args.resident} written to {args.out}")
    return EXIT_OK


def _require_resident(db: Any, resident_id: str) -> None:
    from municipal.registry import RegistryError
    from municipal.residents import list_residents

    if resident_id not in {listing.id for listing in list_residents(db)}:
        raise RegistryError("resident", resident_id, "no such resident")


def _run_list(args: argparse.Namespace) -> int:
    from municipal.db import Database
    from municipal.residents import list_residents

    data = _existing(args.data)
    db = Database(data.database)
    try:
        listings = list_residents(db)
    finally:
        db.close()
    if args.json:
        print_json([listing.to_dict() for listing in listings])
    else:
        for listing in listings:
            print(
                f"{listing.id}  {listing.household}  {listing.status:<10} "
                f"seal:{listing.seal:<10} {listing.name}"
            )
    return EXIT_OK


def _run_terminals(args: argparse.Namespace) -> int:
    from kiosk.clock import SystemClock
    from municipal.db import Database
    from municipal.terminals_status import terminal_statuses

    if args.stale_after is not None and not args.stale_after > 0:
        raise UsageError("--stale-after must be a positive number of seconds")
    data = _existing(args.data)
    db = Database(data.database)
    try:
        statuses = terminal_statuses(db, now=SystemClock().now(), stale_after=args.stale_after)
    finally:
        db.close()
    if args.json:
        print_json([status.to_dict() for status in statuses])
    else:
        for status in statuses:
            print(_terminal_line(status))
    return EXIT_OK


def _terminal_line(status: Any) -> str:
    flag = "STALE" if status.stale else "ok"
    if status.revoked:
        flag += " (revoked)"
    beat = status.heartbeat
    if status.received_at is None:
        return f"{status.terminal_id}  never  {flag}"
    received = status.received_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    head = f"{status.terminal_id}  {received}  age {_age(status.age_seconds)}  {flag}"
    if beat is None:
        return f"{head}  (heartbeat unreadable)"
    printer, reader, counters = beat.printer, beat.reader, beat.counters
    printer_text = printer.state.value if printer.state is not None else (printer.error or "unknown")
    reader_text = reader.error or ("card" if reader.card_present else "ok" if reader.present else "none")
    return (
        f"{head}  printer {printer_text} paper {printer.paper.value}"
        f"{' needs-staff' if printer.needs_staff else ''}  reader {reader_text}"
        f"  counters {counters.started}/{counters.completed}/{counters.failed}/{counters.aborted}"
        f"  last-error {beat.last_error_code or '-'}  config {beat.config_version or '-'}"
        f"{'  PAUSED' if beat.paused else ''}"
    )


def _age(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 0:
        return "0s"  # received_at is the backend's clock too: only a clock set back gets here
    whole = int(seconds)
    days, rest = divmod(whole, 86_400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d{hours:02d}h"
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


def _run_serve(args: argparse.Namespace) -> int:
    from kiosk.clock import SystemClock
    from municipal.faults import FaultPlan
    from municipal.server import run_backend

    data = _existing(args.data)
    try:
        faults = FaultPlan.parse(args.inject_faults) if args.inject_faults else None
    except ValueError as error:
        raise UsageError(f"--inject-faults: {error}") from None
    if args.port is not None and not 0 <= args.port < 65536:
        raise UsageError("--port must be 0..65535")
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())

    def ready(port: int) -> None:
        host = args.host or "127.0.0.1"
        sys.stderr.write(
            f"backend listening on https://{host}:{port} (mutual TLS); stop with Ctrl-C or SIGTERM\n"
        )
        sys.stderr.flush()

    run_backend(
        data.root,
        host=args.host,
        port=args.port,
        clock=SystemClock(),
        stop=stop,
        on_ready=ready,
        faults=faults,
    )
    return EXIT_OK


def _existing(root: Path) -> Any:
    from kiosk.errors import ConfigError
    from municipal.setup import DataDir

    data = DataDir(root)
    if not data.settings.exists() or not data.database.exists():
        raise ConfigError(str(root), None, "not a backend data directory (run kiosk backend init)")
    return data
