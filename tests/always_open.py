"""Make a `kiosk backend init` data directory serve around the clock, for suites that run at any hour.

The backend's hours and the kiosk's calendar are widened to the whole day, the year-end closure is switched
off, and CRL changes are seen at once; the hours rules themselves have unit tests on fixed clocks.
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["open_all_day"]


def open_all_day(data: Path) -> None:
    backend = data / "backend.toml"
    text = backend.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^open = .*$", "open = 00:00:00", text)
    text = re.sub(r"(?m)^close = .*$", "close = 23:59:59.999999", text)
    text = re.sub(r"(?m)^closed_days = .*$", "closed_days = []", text)
    # A revocation written by `make-card --revoked` must be seen by the next request, not 5 s later.
    text = re.sub(r"(?m)^(max_requests_per_session = .*)$", r"\1\ncrl_recheck_seconds = 0.01", text)
    backend.write_text(text, encoding="utf-8")
    for site in data.glob("kiosk*.toml"):
        text = site.read_text(encoding="utf-8")
        text = re.sub(r'(?m)^open = "06:30"$', 'open = "00:00"', text)
        text = re.sub(r'(?m)^close = "23:00"$', 'close = "24:00"', text)
        text = re.sub(r"(?m)^last_start_minutes = .*$", "last_start_minutes = 0", text)
        site.write_text(text + "year_end = { enabled = false }\n", encoding="utf-8")
