"""`kiosk calendar ...`: when the service is open, national holidays, and a readable table of hours."""

from __future__ import annotations

import argparse
import os
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.cli.common import EXIT_OK, UsageError, add_config_option, print_json

if TYPE_CHECKING:
    from kiosk.calendar import ServiceCalendar

__all__ = ["add_commands"]

_WEEKDAYS = "月火水木金土日"
_MAX_SHOW_DAYS = 366


def add_commands(commands: Any) -> None:
    calendar = commands.add_parser("calendar", help="service hours, closures and national holidays")
    sub = calendar.add_subparsers(title="calendar commands")

    check = sub.add_parser("check", help="is the service open at an instant? (and until when, or from when)")
    check.add_argument("--at", required=True, metavar="ISO8601", help="an instant with its UTC offset")
    _scope(check)
    check.set_defaults(run=_run_check)

    holidays = sub.add_parser("holidays", help="national holidays of a year, in Japanese")
    holidays.add_argument("--year", required=True, type=int)
    holidays.add_argument("--json", action="store_true", help="print the result (and errors) as JSON")
    add_config_option(holidays)
    holidays.set_defaults(run=_run_holidays)

    show = sub.add_parser("show", help="a table of each day's open hours")
    show.add_argument("--from", dest="start", required=True, metavar="DATE", help="first day, YYYY-MM-DD")
    show.add_argument("--days", required=True, type=int, help=f"how many days (1..{_MAX_SHOW_DAYS})")
    _scope(show)
    show.set_defaults(run=_run_show)


def _scope(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--municipality", metavar="CODE", help="apply this municipality's closures and hours")
    parser.add_argument("--document", metavar="TYPE", help="juminhyo, inkan, koseki or fuhyo")
    parser.add_argument("--json", action="store_true", help="print the result (and errors) as JSON")
    add_config_option(parser)


def _check_document(args: argparse.Namespace) -> None:
    from kiosk.calendar_config import DOCUMENT_TYPES

    if args.document is not None and args.document not in DOCUMENT_TYPES:
        raise UsageError(f"--document must be one of {', '.join(DOCUMENT_TYPES)}")


def service_calendar(args: argparse.Namespace) -> ServiceCalendar:
    """The calendar of --config, $KIOSK_CONFIG or /etc/kiosk/kiosk.toml if it exists, else the defaults."""
    from kiosk.calendar import ServiceCalendar
    from kiosk.calendar_config import CalendarConfig, load_calendar_config
    from kiosk.holidays import LibraryHolidays
    from kiosk.settings import default_config_path

    path: Path | None = args.config
    if path is None and os.environ.get("KIOSK_CONFIG"):
        path = default_config_path(os.environ)
    elif path is None and default_config_path({}).exists():
        path = default_config_path({})
    config = (
        load_calendar_config(path) if path is not None else CalendarConfig.from_mapping({}, source="defaults")
    )
    return ServiceCalendar(config, LibraryHolidays())  # the calendar applies [calendar.holidays] itself


def _run_check(args: argparse.Namespace) -> int:
    try:
        instant = datetime.fromisoformat(args.at)
    except ValueError:
        raise UsageError(f"--at: not an ISO 8601 instant: {args.at!r}") from None
    if instant.utcoffset() is None:
        raise UsageError("--at needs a UTC offset (e.g. 2026-12-01T06:30:00+09:00)")
    _check_document(args)
    calendar = service_calendar(args)
    decision = calendar.decide(instant, municipality=args.municipality, document=args.document)
    result = decision.to_dict()
    if args.json:
        print_json(result)
    elif decision.open:
        print(f"open; closes at {result['closes_at']}")
    else:
        after = (
            f"; next open {result['next_open']}" if result["next_open"] else "; no opening within 400 days"
        )
        print(f"closed ({result['reason']}){after}")
    return EXIT_OK


def _run_holidays(args: argparse.Namespace) -> int:
    calendar = service_calendar(args)
    holidays = sorted(calendar.holidays_in(args.year).items())
    if args.json:
        print_json([{"date": day.isoformat(), "name": name} for day, name in holidays])
    else:
        for day, name in holidays:
            print(f"{day.isoformat()} ({_WEEKDAYS[day.weekday()]})  {name}")
    return EXIT_OK


def _run_show(args: argparse.Namespace) -> int:
    try:
        start = date.fromisoformat(args.start)
    except ValueError:
        raise UsageError(f"--from: not a date (YYYY-MM-DD): {args.start!r}") from None
    if not 1 <= args.days <= _MAX_SHOW_DAYS:
        raise UsageError(f"--days must be 1..{_MAX_SHOW_DAYS}")
    _check_document(args)
    calendar = service_calendar(args)
    days = [date.fromordinal(start.toordinal() + offset) for offset in range(args.days)]
    table = [
        (
            day,
            calendar.holiday_name(day),
            calendar.open_periods(day, municipality=args.municipality, document=args.document),
        )
        for day in days
    ]
    if args.json:
        print_json(
            [
                {
                    "date": day.isoformat(),
                    "holiday": holiday,
                    "open": [[begin.isoformat(), end.isoformat()] for begin, end in periods],
                }
                for day, holiday, periods in table
            ]
        )
        return EXIT_OK
    cutoff = calendar.config.last_start_minutes
    print(f"date        day  open hours ({calendar.zone.key}; last start {cutoff} min before each end)")
    for day, holiday, periods in table:
        spans = ", ".join(f"{_hhmm(begin, day)}–{_hhmm(end, day)}" for begin, end in periods) or "closed"
        print(
            f"{day.isoformat()}  {_WEEKDAYS[day.weekday()]}    {spans}" + (f"  {holiday}" if holiday else "")
        )
    return EXIT_OK


def _hhmm(instant: datetime, day: date) -> str:
    if instant.date() != day:  # the period runs to midnight
        return "24:00"
    return instant.strftime("%H:%M")
