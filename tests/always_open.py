"""Make a `kiosk backend init` data directory serve around the clock, for suites that run at any hour
(municipal.setup.open_all_day), and let the backend see CRL changes at once."""

from __future__ import annotations

from pathlib import Path

from municipal.setup import open_all_day as _open_all_day

__all__ = ["open_all_day"]


def open_all_day(data: Path) -> None:
    # A revocation written by `make-card --revoked` must be seen by the next request, not 5 s later.
    _open_all_day(data, crl_recheck_seconds=0.01)
