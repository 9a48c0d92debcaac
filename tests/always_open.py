"""Make a `kiosk backend init` data directory serve around the clock, for suites that run at any hour.

The `[calendar]` tables of backend.toml and the kiosk configs are widened to the whole day with no cutoff and
no year-end closure, and the backend sees CRL changes at once; the hours rules themselves have unit tests on
fixed clocks.
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["open_all_day"]


def open_all_day(data: Path) -> None:
    for path in [data / "backend.toml", *sorted(data.glob("kiosk*.toml"))]:
        text = path.read_text(encoding="utf-8")
        text = re.sub(r'(?m)^open = "06:30"', 'open = "00:00"', text)
        text = re.sub(r'(?m)^close = "23:00"', 'close = "24:00"', text)
        text = re.sub(r"(?m)^year_end = .*\n", "", text)
        text = re.sub(
            r"(?m)^last_start_minutes = .*$", "last_start_minutes = 0\nyear_end = { enabled = false }", text
        )
        if path.name == "backend.toml":
            # A revocation written by `make-card --revoked` must be seen by the next request, not 5 s later.
            text = re.sub(r"(?m)^(max_requests_per_session = .*)$", r"\1\ncrl_recheck_seconds = 0.01", text)
        path.write_text(text, encoding="utf-8")
