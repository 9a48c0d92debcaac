"""Whether the service is open at an instant, by the backend's own settings.

A deliberately small rule set until the shared calendar (issue 4) exists: daily hours in the municipality's
zone, weekday-only hours per document, and month-day closures.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from municipal.settings import Hours

__all__ = ["is_open"]


def is_open(hours: Hours, instant: datetime, zone: ZoneInfo) -> bool:
    local = instant.astimezone(zone)
    if local.strftime("%m-%d") in hours.closed_days:
        return False
    if hours.weekdays_only and local.weekday() >= 5:
        return False
    return hours.open <= local.time() < hours.close
