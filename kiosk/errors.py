"""The kiosk's error tree.

Every error carries data (status words, tries left, reader names) and never personal data: no PIN, no
certificate content, no resident fields. Only the UI and the CLI turn these into words.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

__all__ = [
    "BackendError",
    "BackendRefusedError",
    "BackendUnavailableError",
    "CardCommunicationError",
    "CardError",
    "CardRemovedError",
    "CardTimeoutError",
    "ClockSkewError",
    "ConfigError",
    "DocumentBindingError",
    "DocumentSignatureError",
    "KioskError",
    "LastTryRefusedError",
    "MalformedBackendResponse",
    "MalformedPinError",
    "MalformedResponseError",
    "NoCardError",
    "NoReaderError",
    "NotJpkiCardError",
    "OfferRefusedError",
    "PaymentCancelledError",
    "PaymentError",
    "PaymentTimeoutError",
    "PinBlockedError",
    "ProfileError",
    "ReaderUnavailableError",
    "SecurityStatusError",
    "ServiceClosedError",
    "StaffLockedError",
    "StaffNotConfiguredError",
    "StatusWord",
    "StatusWordError",
    "UnacceptedMoneyError",
    "WrongPinError",
]


class KioskError(Exception):
    """Base of every error the kiosk raises on purpose.

    `reported` names the attributes that `to_dict` adds beside the code and the message: an allowlist, so a
    field only reaches the CLI's JSON or the journal when its class says it may.
    """

    code = "kiosk-error"
    reported: ClassVar[tuple[str, ...]] = ()

    def to_dict(self) -> dict[str, object]:
        """The error as allowlisted, JSON-safe fields (what the CLI prints and the journal may keep)."""
        result: dict[str, object] = {"code": self.code, "message": str(self)}
        for name in self.reported:
            result[name] = _json_value(getattr(self, name))
        return result


def _json_value(value: object) -> object:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, StatusWord):
        return f"{value:04X}"
    return value


class StatusWord(int):
    """SW1SW2 as an int that reports itself the way cards are documented: four hex digits."""


class CardError(KioskError):
    code = "card-error"


class NoReaderError(CardError):
    """No PC/SC reader, or none whose name contains the configured text."""

    code = "no-reader"
    reported = ("wanted", "available")

    def __init__(self, wanted: str | None, available: tuple[str, ...]) -> None:
        self.wanted = wanted
        self.available = available
        what = f"containing {wanted!r}" if wanted else "at all"
        super().__init__(f"no card reader {what} (readers: {', '.join(available) or 'none'})")


class NoCardError(CardError):
    """The reader has no card (within the wait, if one was given)."""

    code = "no-card"
    reported = ("reader", "waited")

    def __init__(self, reader: str, waited: float) -> None:
        self.reader = reader
        self.waited = waited
        super().__init__(f"no card in {reader!r} after waiting {waited:g} s")


class CardRemovedError(CardError):
    """The card left the reader in the middle of an exchange."""

    code = "card-removed"


class ReaderUnavailableError(CardError):
    """The reader, or the PC/SC service itself, went away (unplugged, pcscd stopped)."""

    code = "reader-unavailable"

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(f"card reader unavailable: {detail}")


class CardCommunicationError(CardError):
    """A PC/SC call failed for a reason other than removal or an unplugged reader."""

    code = "card-communication"
    reported = ("operation", "pcsc_code")

    def __init__(self, operation: str, pcsc_code: int) -> None:
        self.operation = operation
        self.pcsc_code = pcsc_code
        super().__init__(f"{operation} failed with PC/SC code 0x{pcsc_code & 0xFFFFFFFF:08X}")


class CardTimeoutError(CardError):
    """The card did not answer one command within the allowed time."""

    code = "card-timeout"
    reported = ("timeout",)

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        super().__init__(f"the card did not answer within {timeout:g} s")


class StatusWordError(CardError):
    """The card answered a command with an unexpected status word."""

    code = "status-word"
    reported = ("command", "sw")

    def __init__(self, command: str, sw: int) -> None:
        self.command = command
        self.sw = StatusWord(sw)
        super().__init__(f"{command} answered {sw:04X}")


class SecurityStatusError(StatusWordError):
    """6982: the command needs a PIN that has not been verified in this card session."""

    code = "security-status"


class NotJpkiCardError(CardError):
    """The card has no JPKI applet (SELECT by AID failed): another card, or no My Number card."""

    code = "not-jpki"
    reported = ("sw",)

    def __init__(self, sw: int) -> None:
        self.sw = StatusWord(sw)
        super().__init__(f"not a My Number card: SELECT JPKI AID answered {sw:04X}")


class MalformedResponseError(CardError):
    """The card's answer does not have the shape the protocol promises (truncated, lying length, bad SW)."""

    code = "malformed-response"
    reported = ("what", "detail")

    def __init__(self, what: str, detail: str) -> None:
        self.what = what
        self.detail = detail
        super().__init__(f"malformed {what}: {detail}")


class MalformedPinError(CardError):
    """The PIN breaks the card's rules; nothing was sent to the card."""

    code = "malformed-pin"
    reported = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"malformed PIN: {reason}")


class WrongPinError(CardError):
    """The card refused the PIN and spent a try."""

    code = "wrong-pin"
    reported = ("tries_left",)

    def __init__(self, tries_left: int) -> None:
        self.tries_left = tries_left
        super().__init__(f"wrong PIN, {tries_left} tries left")


class PinBlockedError(CardError):
    """The PIN has no tries left; only the municipal office can reset it. Nothing more is sent."""

    code = "pin-blocked"
    reported = ("tries_left",)

    def __init__(self, sw: int | None = None) -> None:
        self.sw = sw
        self.tries_left = 0
        super().__init__("PIN blocked" + (f" (card answered {sw:04X})" if sw is not None else ""))


class LastTryRefusedError(CardError):
    """One try is left and the caller did not explicitly allow spending it; nothing was sent."""

    code = "last-try"
    reported = ("tries_left",)

    def __init__(self) -> None:
        self.tries_left = 1
        super().__init__("only one PIN try left; not spending it without explicit permission")


class ProfileError(KioskError):
    """A software-card profile directory is missing a file or has a bad value (names the file and key)."""

    code = "bad-profile"
    reported = ("path", "key", "problem")

    def __init__(self, path: str, key: str | None, problem: str) -> None:
        self.path = path
        self.key = key
        self.problem = problem
        where = f"{path}: {key}" if key else path
        super().__init__(f"{where}: {problem}")


class ConfigError(KioskError):
    """A configuration file is missing, unreadable or has a bad value; names the file and the key path."""

    code = "bad-config"
    reported = ("path", "key", "problem")

    def __init__(self, path: str, key: str | None, problem: str) -> None:
        self.path = path
        self.key = key
        self.problem = problem
        where = f"{path}: {key}" if key else path
        super().__init__(f"{where}: {problem}")


class BackendError(KioskError):
    """The municipal backend, or what it sent, cannot be trusted for this transaction."""

    code = "backend-error"


class MalformedBackendResponse(BackendError):
    """A backend answer does not have the shape the protocol promises; `detail` names fields, never values."""

    code = "malformed-backend-response"
    reported = ("what", "detail")

    def __init__(self, what: str, detail: str) -> None:
        self.what = what
        self.detail = detail
        super().__init__(f"malformed {what}: {detail}")


class DocumentSignatureError(BackendError):
    """The document's signature does not verify with the pinned municipal key (or names another algorithm)."""

    code = "document-signature"
    reported = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"document signature rejected: {reason}")


class DocumentBindingError(BackendError):
    """A correctly signed document belongs to another transaction; names the field, never the values."""

    code = "document-binding"
    reported = ("field",)

    def __init__(self, field: str) -> None:
        self.field = field
        super().__init__(f"document is bound to another {field}")


class BackendUnavailableError(BackendError):
    """No usable answer: cannot connect, TLS failed, timed out, or the connection dropped mid-answer.

    `stage` is one of connect, tls, timeout, dropped; `operation` names the protocol call.
    """

    code = "backend-unavailable"
    reported = ("operation", "stage")

    def __init__(self, operation: str, stage: str) -> None:
        self.operation = operation
        self.stage = stage
        super().__init__(f"backend unavailable during {operation}: {stage}")


class BackendRefusedError(BackendError):
    """The backend answered with an error body: `error_code` and `detail` are protocol codes."""

    code = "backend-refused"
    reported = ("operation", "status", "error_code", "detail")

    def __init__(self, operation: str, status: int, error_code: str, detail: str | None) -> None:
        self.operation = operation
        self.status = status
        self.error_code = error_code
        self.detail = detail
        suffix = f" ({detail})" if detail else ""
        super().__init__(f"backend refused {operation}: {error_code}{suffix}")


class OfferRefusedError(BackendError):
    """The resident may not have this document here and now; `reason` is a RefusalReason code."""

    code = "refused"
    reported = ("document_type", "reason")

    def __init__(self, document_type: str, reason: str) -> None:
        self.document_type = document_type
        self.reason = reason
        super().__init__(f"{document_type} refused: {reason}")


class ClockSkewError(BackendError):
    """The backend's Date header and this terminal's clock differ by more than the configured bound."""

    code = "clock-untrusted"
    reported = ("skew_seconds", "limit_seconds")

    def __init__(self, skew_seconds: int, limit_seconds: int) -> None:
        self.skew_seconds = skew_seconds
        self.limit_seconds = limit_seconds
        super().__init__(f"clock differs from the backend by {skew_seconds} s (limit {limit_seconds} s)")


class ServiceClosedError(KioskError):
    """The service calendar (or an untrusted clock) says no transaction now; `reason` is a calendar code."""

    code = "service-closed"
    reported = ("reason", "next_open")

    def __init__(self, reason: str, next_open: str | None) -> None:
        self.reason = reason
        self.next_open = next_open
        after = f"; next open {next_open}" if next_open else ""
        super().__init__(f"service closed: {reason}{after}")


class StaffNotConfiguredError(KioskError):
    """The site config has no [staff] section: no staff mode until it has one (and the kiosk restarts)."""

    code = "staff-not-configured"

    def __init__(self) -> None:
        super().__init__("staff mode is not configured ([staff] pin_hash)")


class StaffLockedError(KioskError):
    """Too many wrong staff PINs within the lockout window; nothing is checked until `until` (aware)."""

    code = "staff-locked"
    reported = ("locked_until",)

    def __init__(self, until: datetime) -> None:
        self.until = until
        self.locked_until = until.isoformat()  # the JSON-safe form `to_dict` reports
        super().__init__(f"staff PIN locked until {self.locked_until}")


class PaymentError(KioskError):
    """The payment device did not take the fee; whatever was inserted has been handed back."""

    code = "payment-error"


class PaymentCancelledError(PaymentError):
    """The transaction was cancelled while paying; `refunded_yen` went back to the resident."""

    code = "payment-cancelled"
    reported = ("refunded_yen",)

    def __init__(self, refunded_yen: int) -> None:
        self.refunded_yen = refunded_yen
        super().__init__(f"payment cancelled; {refunded_yen} yen refunded")


class PaymentTimeoutError(PaymentError):
    """The fee was not inserted within `timeout` seconds; `refunded_yen` went back to the resident."""

    code = "payment-timeout"
    reported = ("refunded_yen", "timeout")

    def __init__(self, refunded_yen: int, timeout: float) -> None:
        self.refunded_yen = refunded_yen
        self.timeout = timeout
        super().__init__(f"payment not completed within {timeout:g} s; {refunded_yen} yen refunded")


class UnacceptedMoneyError(PaymentError):
    """A coin or note the device does not take (1 and 5 yen coins, 2000 yen notes and up); it is returned."""

    code = "money-not-accepted"
    reported = ("yen",)

    def __init__(self, yen: int) -> None:
        self.yen = yen
        super().__init__(f"{yen} yen is not accepted")
