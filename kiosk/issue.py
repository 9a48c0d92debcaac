"""One headless issuance: card, session, authentication, request, verification, delivery, completion.

The order is the protection (domain.md section 8): nothing is delivered unless its signature verifies with
the pinned key AND it is bound to this session, this request, this terminal and this card; any failure
after a request exists reports `failed` for that request, by its id, and never touches another.

`issue_document` runs it all at once (the CLI). The steps it is made of are public for the orchestrator,
where the resident acts between them: `authenticate_resident` (card and backend), `check_offer`,
`obtain_document` (request, verify, bind), then `report_printed` or `report_failed`.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from kiosk.backend.api import (
    AuthenticateRequest,
    AuthenticateResponse,
    CompletionRequest,
    CompletionResponse,
    CreateSessionResponse,
    DocumentRequest,
    DocumentResponse,
    Offer,
    Outcome,
    RefusalReason,
)
from kiosk.backend.canonical import auth_binding
from kiosk.backend.document import DocumentType
from kiosk.backend.verify import ExpectedBinding, MunicipalKey, VerifiedDocument, verify_document
from kiosk.card.connection import CardConnection
from kiosk.card.operations import authenticate
from kiosk.errors import DocumentBindingError, KioskError, OfferRefusedError

__all__ = [
    "Authenticated",
    "Backend",
    "Gate",
    "IssueOrder",
    "IssueResult",
    "ObtainedDocument",
    "authenticate_resident",
    "check_offer",
    "issue_document",
    "obtain_document",
    "report_failed",
    "report_printed",
]

_log = logging.getLogger("kiosk.issue")


class Gate(Protocol):
    """The service calendar and the clock (kiosk.service_gate.ServiceGate in production)."""

    def check_start(self) -> datetime: ...
    def check_document(self, municipality: str, document: str) -> datetime: ...
    def check_not_overrun(self, deadline: datetime) -> None: ...


class Backend(Protocol):
    """The four protocol calls (kiosk.backend.http.BackendClient in production)."""

    def create_session(self) -> CreateSessionResponse: ...
    def authenticate(self, session_id: str, request: AuthenticateRequest) -> AuthenticateResponse: ...
    def request_document(self, session_id: str, request: DocumentRequest) -> DocumentResponse: ...
    def complete(self, request_id: str, completion: CompletionRequest) -> CompletionResponse: ...


@dataclass(frozen=True)
class IssueOrder:
    document_type: DocumentType
    options: Mapping[str, str] = field(default_factory=dict)
    copies: int = 1


@dataclass(frozen=True)
class IssueResult:
    request_id: str
    document_type: DocumentType
    serial: str
    output: str
    charged_yen: int

    def to_dict(self) -> dict[str, object]:
        return {
            "request_id": self.request_id,
            "document_type": str(self.document_type),
            "serial": self.serial,
            "output": self.output,
        }


@dataclass(frozen=True)
class Authenticated:
    """A resident the backend has authenticated: what the later steps need, and no personal data.

    `certificate` is the card's authentication certificate (DER); it identifies the card, not a person's
    details, and the document binding is checked against its hash. `deadline` is the gate's end of service
    for this transaction (None without a gate).
    """

    session_id: str
    terminal_id: str
    certificate: bytes = field(repr=False)
    answer: AuthenticateResponse
    deadline: datetime | None


@dataclass(frozen=True)
class ObtainedDocument:
    """A document whose signature and binding verified: the only thing `deliver` may be given.

    `deadline` also covers the document's own hours; check it (`Gate.check_not_overrun`) before printing.
    """

    request_id: str
    # repr=False: the content is the resident's personal data, and a dataclass repr ends up in tracebacks.
    document: VerifiedDocument = field(repr=False)
    deadline: datetime | None


def authenticate_resident(
    *,
    connection: CardConnection,
    backend: Backend,
    terminal_id: str,
    pin: bytearray,
    allow_last_try: bool = False,
    gate: Gate | None = None,
) -> Authenticated:
    """Check the gate, open a backend session, have the card sign its binding, and authenticate.

    The PIN is zeroed whatever happens, before the backend sees anything from the card.
    """
    try:
        deadline = gate.check_start() if gate is not None else None
        session = backend.create_session()
        card = authenticate(
            connection,
            auth_binding(session.challenge, session.session_id, terminal_id),
            pin,
            allow_last_try=allow_last_try,
        )
    finally:
        pin[:] = bytes(len(pin))
    answer = backend.authenticate(
        session.session_id, AuthenticateRequest(certificate=card.certificate, signature=card.signature)
    )
    return Authenticated(
        session_id=session.session_id,
        terminal_id=terminal_id,
        certificate=card.certificate,
        answer=answer,
        deadline=deadline,
    )


def check_offer(authenticated: Authenticated, document_type: DocumentType) -> Offer:
    """The backend's offer of `document_type` to this resident; `OfferRefusedError` unless available."""
    for offer in authenticated.answer.offers:
        if offer.document_type is document_type:
            if not offer.available:
                raise OfferRefusedError(str(document_type), str(offer.refusal))
            return offer
    raise OfferRefusedError(str(document_type), str(RefusalReason.NOT_OFFERED))


def obtain_document(
    authenticated: Authenticated,
    *,
    backend: Backend,
    municipal_key: Callable[[str], MunicipalKey],
    order: IssueOrder,
    gate: Gate | None = None,
) -> ObtainedDocument:
    """Request the document and accept it only if it is signed by the pinned key and bound to this
    transaction and this card, and is what was ordered.

    Everything that can refuse without cost (offer, document hours, pinned key) is checked before the
    request. Once the request exists, any failure here reports `failed` for it and re-raises.
    """
    check_offer(authenticated, order.document_type)
    municipality = authenticated.answer.municipality
    deadline = authenticated.deadline
    if gate is not None:
        document_deadline = gate.check_document(municipality.code, str(order.document_type))
        deadline = document_deadline if deadline is None else min(deadline, document_deadline)
    key = municipal_key(municipality.code)  # before the request: an unpinned municipality costs nothing
    response = backend.request_document(
        authenticated.session_id,
        DocumentRequest(
            document_type=order.document_type,
            options=dict(order.options),
            copies=order.copies,
            # Fresh per request: a retry of this call may reuse it, a new transaction never does.
            idempotency_key=secrets.token_urlsafe(24),
        ),
    )
    request_id = response.request_id
    try:
        document = verify_document(
            response.document,
            municipal_key=key,
            expected=ExpectedBinding.for_certificate(
                session_id=authenticated.session_id,
                request_id=request_id,
                terminal_id=authenticated.terminal_id,
                certificate_der=authenticated.certificate,
            ),
        )
        _require_asked_for(document, order, authenticated.answer)
    except BaseException as error:
        report_failed(backend, request_id, error)
        raise
    return ObtainedDocument(request_id=request_id, document=document, deadline=deadline)


def report_printed(backend: Backend, obtained: ObtainedDocument, copies: int) -> CompletionResponse:
    """Tell the backend the document is on paper (`copies` of it); its answer carries the charge."""
    return backend.complete(
        obtained.request_id, CompletionRequest(outcome=Outcome.PRINTED, copies_printed=copies)
    )


def report_failed(backend: Backend, request_id: str, error: BaseException | None) -> None:
    """Tell the backend this request was not delivered. Never raises a KioskError; logs codes only.

    `error` is why (None when the resident abandoned it); only its code or class name is logged, since a
    message may quote data.
    """
    # INFO, not WARNING: the caller reports the error itself (the CLI as one JSON object on stderr).
    if error is None:
        code = "abandoned"
    else:
        code = error.code if isinstance(error, KioskError) else type(error).__name__
    _log.info("request %s not delivered (%s); reporting failed", request_id, code)
    try:
        backend.complete(request_id, CompletionRequest(outcome=Outcome.FAILED, copies_printed=0))
    except KioskError as report_error:
        # The backend closes it as failed at its deadline anyway; the original error is what matters.
        _log.info("could not report failure of %s: %s", request_id, report_error.code)


def issue_document(
    *,
    connection: CardConnection,
    backend: Backend,
    terminal_id: str,
    municipal_key: Callable[[str], MunicipalKey],
    pin: bytearray,
    order: IssueOrder,
    deliver: Callable[[VerifiedDocument, int], str],
    allow_last_try: bool = False,
    gate: Gate | None = None,
) -> IssueResult:
    """Run the transaction; `deliver(document, copies)` prints (or writes) and returns where it went.

    The PIN is zeroed by the card step whatever happens. With a `gate`, nothing starts outside service
    hours or on an untrusted clock, the municipality's own closures and the document's hours are checked
    before the request, and a transaction that overran its deadline is failed before delivery.
    """
    authenticated = authenticate_resident(
        connection=connection,
        backend=backend,
        terminal_id=terminal_id,
        pin=pin,
        allow_last_try=allow_last_try,
        gate=gate,
    )
    obtained = obtain_document(
        authenticated, backend=backend, municipal_key=municipal_key, order=order, gate=gate
    )
    try:
        if gate is not None and obtained.deadline is not None:
            gate.check_not_overrun(obtained.deadline)
        output = deliver(obtained.document, order.copies)
    except BaseException as error:
        report_failed(backend, obtained.request_id, error)
        raise
    completion = report_printed(backend, obtained, order.copies)
    return IssueResult(
        request_id=obtained.request_id,
        document_type=order.document_type,
        serial=obtained.document.content.serial,
        output=output,
        charged_yen=completion.charged_yen,
    )


def _require_asked_for(document: VerifiedDocument, order: IssueOrder, answer: AuthenticateResponse) -> None:
    """The binding proves whose document it is; this proves it is the document that was asked for."""
    if document.content.document_type is not order.document_type:
        raise DocumentBindingError("document_type")
    if document.content.municipality != answer.municipality:
        raise DocumentBindingError("municipality")
