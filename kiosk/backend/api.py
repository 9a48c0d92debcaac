"""Requests and responses of the issuance protocol (issue 3), shared with the reference backend.

Binary fields are standard padded base64 on the wire (the challenge too: 32 bytes, 44 characters). Times are
RFC 3339 with an offset. Nothing in a response before the document carries personal data.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Final, Literal, TypeVar

from pydantic import Field, StringConstraints, ValidationError, model_validator

from kiosk.backend.document import DocumentEnvelope, DocumentType, Municipality, WireModel
from kiosk.backend.fields import Challenge, IdempotencyKey, RsaSignature, Timestamp, Uuid, X509Der
from kiosk.errors import MalformedBackendResponse

__all__ = [
    "AUTH_SIGNATURE_ALGORITHM",
    "MAX_COPIES",
    "AuthenticateRequest",
    "AuthenticateResponse",
    "CertificateProblem",
    "CompletionRequest",
    "CompletionResponse",
    "CreateSessionResponse",
    "DocumentRequest",
    "DocumentResponse",
    "ErrorCode",
    "ErrorResponse",
    "Heartbeat",
    "HeartbeatAck",
    "HeartbeatCounters",
    "HeartbeatPrinter",
    "HeartbeatReader",
    "Offer",
    "OptionOffer",
    "Outcome",
    "Paper",
    "PrinterState",
    "RefusalReason",
    "parse_response",
]

AUTH_SIGNATURE_ALGORITHM: Final = "sha256WithRSAEncryption"

#: The most copies of one document a single request may ask for.
MAX_COPIES = 10

# Option keys and values are codes (`honseki`, `include`), never free text: the UI translates them.
OptionCode = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,31}$")]


class RefusalReason(StrEnum):
    MOVED_OUT = "moved-out"
    DECEASED = "deceased"
    SUPPORT_MEASURES = "support-measures"  # DV等支援措置: never issued at a kiosk
    SEAL_NOT_REGISTERED = "seal-not-registered"
    SEAL_CANCELLED = "seal-cancelled"
    OUTSIDE_DOCUMENT_HOURS = "outside-document-hours"
    CLOSED = "closed"
    NOT_OFFERED = "not-offered"  # the municipality does not issue this document at kiosks
    CARD_NOT_ELIGIBLE = "card-not-eligible"


class ErrorCode(StrEnum):
    """Why the backend refused a call; the HTTP status is given beside each in docs/backend-protocol.md."""

    INVALID_REQUEST = "invalid-request"  # 422: the body does not match the wire type
    TOO_LARGE = "too-large"  # 413
    UNKNOWN_TERMINAL = "unknown-terminal"  # 403: no, unknown or revoked client certificate
    SESSION_NOT_FOUND = "session-not-found"  # 404
    SESSION_EXPIRED = "session-expired"  # 410
    WRONG_TERMINAL = "wrong-terminal"  # 403: the session or request belongs to another terminal
    CHALLENGE_USED = "challenge-used"  # 409: the session's challenge was already answered
    CERTIFICATE_REJECTED = "certificate-rejected"  # 403; detail: CertificateProblem
    SIGNATURE_INVALID = "signature-invalid"  # 403
    CARD_NOT_REGISTERED = "card-not-registered"  # 403: a valid card this municipality has no resident for
    NOT_AUTHENTICATED = "not-authenticated"  # 409: a request before a successful authentication
    REFUSED = "refused"  # 403; detail: RefusalReason
    OPTION_INVALID = "option-invalid"  # 422; detail: the option key
    TOO_MANY_COPIES = "too-many-copies"  # 422
    IDEMPOTENCY_CONFLICT = "idempotency-conflict"  # 409: the key was used for a different request
    REQUEST_NOT_FOUND = "request-not-found"  # 404
    REQUEST_CLOSED = "request-closed"  # 409: the request was completed; its document is gone for good
    TOO_MANY_REQUESTS = "too-many-requests"  # 429: this session asked for more documents than allowed
    INTERNAL = "internal"  # 500


class CertificateProblem(StrEnum):
    """The detail of `certificate-rejected`."""

    MALFORMED = "malformed"
    WRONG_CA = "wrong-ca"
    WRONG_KEY_USAGE = "wrong-key-usage"
    EXPIRED = "expired"
    NOT_YET_VALID = "not-yet-valid"
    REVOKED = "revoked"
    REVOCATION_UNKNOWN = "revocation-unknown"  # no current CRL: refuse rather than guess


class ErrorResponse(WireModel):
    """The body of every 4xx/5xx answer: codes only, never personal data or free text."""

    code: ErrorCode
    detail: OptionCode | None = None


class Outcome(StrEnum):
    PRINTED = "printed"
    FAILED = "failed"
    CANCELLED = "cancelled"


class CreateSessionResponse(WireModel):
    """`POST /v1/sessions`."""

    session_id: Uuid
    challenge: Challenge
    expires_at: Timestamp


class AuthenticateRequest(WireModel):
    """`POST /v1/sessions/{id}/authenticate`: the card's signature over DigestInfo(SHA-256(auth binding))."""

    certificate: X509Der
    signature: RsaSignature
    algorithm: Literal["sha256WithRSAEncryption"] = "sha256WithRSAEncryption"


class OptionOffer(WireModel):
    key: OptionCode
    allowed: Annotated[tuple[OptionCode, ...], Field(min_length=1, max_length=16)]
    default: OptionCode

    @model_validator(mode="after")
    def _default_is_allowed(self) -> OptionOffer:
        if self.default not in self.allowed or len(set(self.allowed)) != len(self.allowed):
            raise ValueError("allowed values must be unique and include the default")
        return self


class Offer(WireModel):
    """One document this resident may (or may not, and why) request now."""

    document_type: DocumentType
    options: Annotated[tuple[OptionOffer, ...], Field(max_length=16)] = ()
    fee_yen: Annotated[int, Field(ge=0, le=100_000)]
    max_copies: Annotated[int, Field(ge=1, le=MAX_COPIES)]
    available: bool
    refusal: RefusalReason | None = None

    @model_validator(mode="after")
    def _refusal_iff_unavailable(self) -> Offer:
        if self.available == (self.refusal is not None):
            raise ValueError("an offer is either available or has a refusal reason")
        if len({option.key for option in self.options}) != len(self.options):
            raise ValueError("option keys must be unique")
        return self


class AuthenticateResponse(WireModel):
    municipality: Municipality
    offers: Annotated[tuple[Offer, ...], Field(min_length=1, max_length=len(DocumentType))]

    @model_validator(mode="after")
    def _one_offer_per_type(self) -> AuthenticateResponse:
        if len({offer.document_type for offer in self.offers}) != len(self.offers):
            raise ValueError("one offer per document type")
        return self


class DocumentRequest(WireModel):
    """`POST /v1/sessions/{id}/requests`; the same idempotency key always names the same request."""

    document_type: DocumentType
    options: Annotated[dict[OptionCode, OptionCode], Field(max_length=16)] = Field(default_factory=dict)
    copies: Annotated[int, Field(ge=1, le=MAX_COPIES)]
    idempotency_key: IdempotencyKey


class DocumentResponse(WireModel):
    request_id: Uuid
    document: DocumentEnvelope


class CompletionRequest(WireModel):
    """`POST /v1/requests/{id}/complete`: exactly once; a repeat is answered with the first result."""

    outcome: Outcome
    copies_printed: Annotated[int, Field(ge=0, le=MAX_COPIES)]

    @model_validator(mode="after")
    def _copies_match_outcome(self) -> CompletionRequest:
        if self.outcome is Outcome.PRINTED and self.copies_printed == 0:
            raise ValueError("printed needs at least one copy")
        if self.outcome is Outcome.CANCELLED and self.copies_printed != 0:
            raise ValueError("cancelled means nothing was printed")
        return self


class CompletionResponse(WireModel):
    request_id: Uuid
    outcome: Outcome
    copies_printed: Annotated[int, Field(ge=0, le=MAX_COPIES)]
    charged_yen: Annotated[int, Field(ge=0, le=MAX_COPIES * 100_000)]
    completed_at: Timestamp


# ------------------------------------------------------------------------------------------- heartbeat
# A terminal's periodic status report (`POST /v1/terminals/heartbeat`). Every string is a code, a keyword or a
# version label from a closed character set, never free text: nothing in it can carry personal data.

#: An error code (`backend-unavailable`, `refused:moved-out`, ...): what KioskError.code and the View carry.
StatusCode = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9:._-]{0,63}$")]
#: An IPP keyword as CUPS reports printer-state-reasons (`media-empty-error`, `com.vendor.x-warning`).
IppKeyword = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9._-]{0,63}$")]
#: A version label (`0.1.0`, `2026-04b`, a config hash prefix).
VersionLabel = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$")]
#: The most printer-state-reasons one heartbeat carries.
MAX_PRINTER_REASONS = 32
_MAX_COUNT = 10**9
Count = Annotated[int, Field(ge=0, le=_MAX_COUNT)]


class PrinterState(StrEnum):
    IDLE = "idle"
    PROCESSING = "processing"
    STOPPED = "stopped"


class Paper(StrEnum):
    OK = "ok"
    OUT = "out"
    UNKNOWN = "unknown"  # the printer could not be asked


class HeartbeatReader(WireModel):
    present: bool  # the configured card reader is there
    card_present: bool
    error: StatusCode | None = None  # the reader could not be asked


class HeartbeatPrinter(WireModel):
    state: PrinterState | None = None  # None when CUPS could not be asked (see `error`)
    reasons: Annotated[tuple[IppKeyword, ...], Field(max_length=MAX_PRINTER_REASONS)] = ()
    needs_staff: bool = False
    accepting: bool = False
    paper: Paper
    error: StatusCode | None = None


class HeartbeatCounters(WireModel):
    """Transactions since the application started."""

    started: Count
    completed: Count
    failed: Count
    aborted: Count


class Heartbeat(WireModel):
    """`POST /v1/terminals/heartbeat`: the terminal's status. The client certificate names the terminal."""

    sent_at: Timestamp  # the terminal's clock
    app_version: VersionLabel
    config_version: Annotated[int, Field(ge=0, le=_MAX_COUNT)] | VersionLabel | None = None
    interval_seconds: Annotated[int, Field(ge=10, le=86_400)]  # when to expect the next one
    uptime_seconds: Annotated[int, Field(ge=0, le=10 * 365 * 86_400)]
    paused: bool  # staff paused the service
    reader: HeartbeatReader
    printer: HeartbeatPrinter
    backend_clock_skew_seconds: Annotated[float, Field(ge=-1e9, le=1e9, allow_inf_nan=False)] | None = None
    counters: HeartbeatCounters
    last_error_code: StatusCode | None = None


class HeartbeatAck(WireModel):
    """The answer to a heartbeat: when the backend stored it (its clock)."""

    received_at: Timestamp


_Model = TypeVar("_Model", bound=WireModel)


def parse_response(model: type[_Model], body: bytes | str) -> _Model:
    """Validate one response body; errors name fields and problems, never values (they may be personal)."""
    try:
        return model.model_validate_json(body)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in item['loc']) or '(body)'}: {item['type']}"
            for item in error.errors(include_input=False, include_url=False, include_context=False)[:5]
        )
        raise MalformedBackendResponse(model.__name__, problems) from None
