"""One headless issuance: card, session, authentication, request, verification, delivery, completion.

The order is the protection (domain.md section 8): nothing is delivered unless its signature verifies with
the pinned key AND it is bound to this session, this request, this terminal and this card; any failure
after a request exists reports `failed` for that request, by its id, and never touches another.
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

__all__ = ["Backend", "Gate", "IssueOrder", "IssueResult", "issue_document"]

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
    _require_available(answer.offers, order.document_type)
    if gate is not None:
        document_deadline = gate.check_document(answer.municipality.code, str(order.document_type))
        deadline = document_deadline if deadline is None else min(deadline, document_deadline)
    key = municipal_key(
        answer.municipality.code
    )  # before the request: an unpinned municipality costs nothing
    response = backend.request_document(
        session.session_id,
        DocumentRequest(
            document_type=order.document_type,
            options=dict(order.options),
            copies=order.copies,
            idempotency_key=secrets.token_urlsafe(24),
        ),
    )
    request_id = response.request_id
    try:
        document = verify_document(
            response.document,
            municipal_key=key,
            expected=ExpectedBinding.for_certificate(
                session_id=session.session_id,
                request_id=request_id,
                terminal_id=terminal_id,
                certificate_der=card.certificate,
            ),
        )
        content = document.content
        _require_asked_for(document, order, answer)
        if gate is not None and deadline is not None:
            gate.check_not_overrun(deadline)
        output = deliver(document, order.copies)
    except BaseException as error:
        _report_failure(backend, request_id, error)
        raise
    completion = backend.complete(
        request_id, CompletionRequest(outcome=Outcome.PRINTED, copies_printed=order.copies)
    )
    return IssueResult(
        request_id=request_id,
        document_type=order.document_type,
        serial=content.serial,
        output=output,
        charged_yen=completion.charged_yen,
    )


def _require_available(offers: tuple[Offer, ...], document_type: DocumentType) -> None:
    for offer in offers:
        if offer.document_type is document_type:
            if not offer.available:
                raise OfferRefusedError(str(document_type), str(offer.refusal))
            return
    raise OfferRefusedError(str(document_type), str(RefusalReason.NOT_OFFERED))


def _require_asked_for(document: VerifiedDocument, order: IssueOrder, answer: AuthenticateResponse) -> None:
    """The binding proves whose document it is; this proves it is the document that was asked for."""
    if document.content.document_type is not order.document_type:
        raise DocumentBindingError("document_type")
    if document.content.municipality != answer.municipality:
        raise DocumentBindingError("municipality")


def _report_failure(backend: Backend, request_id: str, error: BaseException) -> None:
    # INFO, not WARNING: the caller reports the error itself (the CLI as one JSON object on stderr).
    code = error.code if isinstance(error, KioskError) else type(error).__name__
    _log.info("request %s not delivered (%s); reporting failed", request_id, code)
    try:
        backend.complete(request_id, CompletionRequest(outcome=Outcome.FAILED, copies_printed=0))
    except KioskError as report_error:
        # The backend closes it as failed at its deadline anyway; the original error is what matters.
        _log.info("could not report failure of %s: %s", request_id, report_error.code)
