"""Calendar benchmark: the cost of one decision, cold and warm, and of a year of national holidays.

(Not named calendar.py: the script's folder comes first on sys.path and would shadow the standard library.)

Run: .venv/bin/python benchmarks/service_calendar.py [--runs N]. Prints medians; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.calendar import ServiceCalendar
from kiosk.calendar_config import load_calendar_config
from kiosk.holidays import LibraryHolidays

EXAMPLE = Path(__file__).resolve().parent.parent / "config" / "kiosk.example.toml"


def timed(call, runs: int) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def measure(label: str, municipality: str | None, document: str | None, instants: list[datetime]) -> None:
    calendar = ServiceCalendar(load_calendar_config(EXAMPLE), LibraryHolidays())

    def decide_all() -> list[float]:
        samples = []
        for instant in instants:
            started = time.perf_counter()
            calendar.decide(instant, municipality=municipality, document=document)
            samples.append(time.perf_counter() - started)
        return samples

    cold, warm = statistics.median(decide_all()), statistics.median(decide_all())
    opened = sum(calendar.decide(t, municipality=municipality, document=document).open for t in instants)
    print(
        f"decide(), {label}: median {cold * 1e6:.1f} µs cold, {warm * 1e6:.1f} µs warm "
        f"({opened}/{len(instants)} random instants open)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    args = parser.parse_args()
    rng = random.Random(4)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    instants = [start + timedelta(seconds=rng.randrange(2 * 365 * 86400)) for _ in range(args.runs)]
    years = iter(range(1950, 2100))
    library = LibraryHolidays()
    per_year = timed(lambda: library.year(next(years)), 100)
    print(f"holidays of one year (library, first use): {per_year * 1e3:.2f} ms")
    measure("default rules", None, None, instants)
    measure("example municipality 999997, koseki", "999997", "koseki", instants)
    return 0


if __name__ == "__main__":
    sys.exit(main())
