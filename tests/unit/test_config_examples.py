"""The shipped examples in config/ load cleanly and say what their comments claim."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from kiosk.calendar import ServiceCalendar
from kiosk.calendar_config import load_calendar_config
from kiosk.holidays import LibraryHolidays

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "kiosk.example.toml"


def decide(at: str, municipality: str | None = None, document: str | None = None) -> dict[str, object]:
    calendar = ServiceCalendar(load_calendar_config(EXAMPLE), LibraryHolidays())
    return calendar.decide(datetime.fromisoformat(at), municipality=municipality, document=document).to_dict()


def test_the_example_has_two_municipalities() -> None:
    assert set(load_calendar_config(EXAMPLE).municipalities) == {"999997", "999989"}


def test_the_longer_year_end_closure_of_the_first_municipality() -> None:
    assert decide("2026-12-28T10:00:00+09:00", "999997") == {
        "open": False,
        "reason": "closure",
        "closes_at": None,
        "next_open": "2027-01-06T06:30:00+09:00",
    }
    assert decide("2026-12-28T10:00:00+09:00", "999989")["open"] is True


def test_koseki_on_weekdays_only_and_the_store_sunday_hours() -> None:
    saturday = decide("2026-12-05T10:00:00+09:00", "999997", "koseki")
    assert (saturday["reason"], saturday["next_open"]) == ("document-hours", "2026-12-07T09:00:00+09:00")
    assert decide("2026-12-27T10:00:00+09:00", "999997")["closes_at"] == "2026-12-27T22:00:00+09:00"


def test_maintenance_and_the_operator_stop() -> None:
    assert decide("2026-12-15T21:00:00+09:00", "999989", "juminhyo")["reason"] == "maintenance"
    assert decide("2026-12-08T02:00:00+09:00")["next_open"] == "2026-12-08T08:00:00+09:00"
