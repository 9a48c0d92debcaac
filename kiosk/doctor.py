"""`kiosk doctor`: what is wrong with this terminal, in words store staff can act on.

Each check is a small function that returns `Finding`s; probes come in as callables (the CLI composes the
real ones: PC/SC, CUPS, the backend over TLS, the journal, the file system), so every fault can be fed in a
test. A check that raises unexpectedly becomes a finding of its own: the doctor never dies on a sick
terminal, which is exactly when it is run.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from kiosk.errors import KioskError
from kiosk.staff import BackendStatus, PrinterSummary, ReaderStatus

__all__ = ["Finding", "Severity", "run_checks"]

_log = logging.getLogger("kiosk.doctor")

#: Below this much free space the kiosk starts no transaction (the journal's own threshold).
MIN_FREE_BYTES = 50 * 1024 * 1024
#: A clock further than this from the backend's is reported (the backend client refuses beyond its limit).
SKEW_WARN_SECONDS = 30.0

#: What staff should do, by finding code. Codes only in the data; these words are the English fallback
#: (the staff screen and the operator's tools have their own).
ACTIONS = {
    "config-invalid": "The terminal's settings are wrong: call the operator's support line.",
    "reader-missing": "Check that the card reader is plugged in; if it is, call support.",
    "reader-error": "The card reader does not answer: unplug it, plug it back in, then call support.",
    "card-left": "A card is still on the reader: keep it for the owner and hand it to the police box.",
    "printer-unreachable": "The printer service does not answer: restart the terminal, then call support.",
    "printer-needs-staff": "Fix the printer: {reasons}.",
    "printer-not-accepting": "The printer queue is stopped: call support.",
    "backend-unreachable": "The certificate service cannot be reached: check the store's network, then "
    "call support.",
    "clock-skew": "The terminal's clock is wrong by {skew:.0f} s: call support (do not set it by hand).",
    "disk-full": "The terminal's disk is full: call support.",
    "disk-read-only": "The terminal's disk is read-only: call support.",
    "journal-tampered": "The audit journal has been altered (row {seq}): call the operator at once; do not "
    "restart the terminal.",
    "journal-unavailable": "The audit journal cannot be written ({reason}): call support.",
    "unsettled-transactions": "{count} interrupted transaction(s) still to settle with the certificate "
    "service: leave the terminal on and connected.",
    "check-failed": "The {name} check itself failed: call support.",
}


class Severity(StrEnum):
    OK = "ok"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class Finding:
    check: str
    severity: Severity
    code: str
    detail: str = ""
    action: str = ""

    def to_dict(self) -> dict[str, str]:
        return {
            "check": self.check,
            "severity": str(self.severity),
            "code": self.code,
            "detail": self.detail,
            "action": self.action,
        }


def _ok(check: str, detail: str = "") -> Finding:
    return Finding(check, Severity.OK, "ok", detail)


def _bad(check: str, code: str, detail: str = "", *, warning: bool = False, **words: object) -> Finding:
    action = ACTIONS.get(code, "").format(**words)
    return Finding(check, Severity.WARNING if warning else Severity.ERROR, code, detail, action)


@dataclass(frozen=True)
class JournalHealth:
    """What the journal check needs: verify's outcome, writability, and unfinished transactions."""

    ok: bool
    first_bad_seq: int | None
    problem: str | None
    writable_error: str | None
    unfinished: int


def check_config(load: Callable[[], str]) -> list[Finding]:
    """`load` returns the effective config's version text, or raises ConfigError naming file and key."""
    try:
        version = load()
    except KioskError as error:
        return [_bad("config", "config-invalid", str(error))]
    return [_ok("config", f"version {version}")]


def check_reader(probe: Callable[[], ReaderStatus]) -> list[Finding]:
    status = probe()
    if status.error is not None:
        return [_bad("reader", "reader-error", status.error)]
    if status.name is None:
        return [_bad("reader", "reader-missing")]
    if status.card_present:
        return [_bad("reader", "card-left", status.name, warning=True)]
    return [_ok("reader", status.name)]


def check_printer(probe: Callable[[], PrinterSummary]) -> list[Finding]:
    status = probe()
    if status.error is not None:
        return [_bad("printer", "printer-unreachable", status.error)]
    if status.needs_staff:
        reasons = ", ".join(status.reasons)
        return [_bad("printer", "printer-needs-staff", reasons, reasons=_reason_words(status.reasons))]
    if not status.accepting:
        return [_bad("printer", "printer-not-accepting", status.state or "")]
    return [_ok("printer", status.state or "")]


_REASON_WORDS = {
    "media-empty": "load paper",
    "media-needed": "load paper",
    "media-jam": "clear the paper jam",
    "cover-open": "close the cover",
    "door-open": "close the door",
    "toner-empty": "replace the toner",
    "marker-supply-empty": "replace the toner",
    "input-tray-missing": "put the paper tray back",
}


def _reason_words(reasons: Iterable[str]) -> str:
    words = []
    for reason in reasons:
        for prefix, word in _REASON_WORDS.items():
            if reason.startswith(prefix) and word not in words:
                words.append(word)
    return ", ".join(words) or "see the printer's panel"


def check_backend(probe: Callable[[], BackendStatus]) -> list[Finding]:
    status = probe()
    if not status.reachable:
        return [_bad("backend", "backend-unreachable", status.error or "")]
    skew = status.clock_skew_seconds
    if status.error == "clock-untrusted" or (skew is not None and abs(skew) > SKEW_WARN_SECONDS):
        return [_bad("clock", "clock-skew", f"{skew} s", skew=abs(skew or 0.0))]
    return [_ok("backend", "reachable"), _ok("clock", f"skew {skew:+.1f} s" if skew is not None else "")]


def check_disk(path: Path, min_free: int = MIN_FREE_BYTES) -> list[Finding]:
    try:
        stats = os.statvfs(path)
    except OSError as error:
        return [_bad("disk", "disk-read-only", error.strerror or "")]
    free = stats.f_bavail * stats.f_frsize
    if stats.f_flag & os.ST_RDONLY:
        return [_bad("disk", "disk-read-only", str(path))]
    if free < min_free:
        return [_bad("disk", "disk-full", f"{free // (1024 * 1024)} MB free")]
    return [_ok("disk", f"{free // (1024 * 1024)} MB free")]


def check_journal(probe: Callable[[], JournalHealth]) -> list[Finding]:
    health = probe()
    findings = []
    if not health.ok:
        findings.append(
            _bad("journal", "journal-tampered", health.problem or "", seq=health.first_bad_seq or "?")
        )
    if health.writable_error is not None:
        findings.append(
            _bad("journal", "journal-unavailable", health.writable_error, reason=health.writable_error)
        )
    if health.unfinished:
        findings.append(
            _bad(
                "journal",
                "unsettled-transactions",
                str(health.unfinished),
                warning=True,
                count=health.unfinished,
            )
        )
    return findings or [_ok("journal", "chain intact")]


def run_checks(checks: Sequence[tuple[str, Callable[[], list[Finding]]]]) -> list[Finding]:
    findings: list[Finding] = []
    for name, check in checks:
        try:
            findings.extend(check())
        except Exception as error:
            _log.error("check %s failed: %s", name, type(error).__name__)
            code = error.code if isinstance(error, KioskError) else type(error).__name__
            findings.append(_bad(name, "check-failed", code, name=name))
    return findings
