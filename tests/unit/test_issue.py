"""`kiosk.issue.issue_document` on the in-process software card against a scripted backend.

The backend is a recording fake that answers with real wire objects; its documents are signed with a test
Ed25519 key over the binding the kiosk expects, so every refusal below is the kiosk's own check at work.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.backend.api import (
    AuthenticateRequest,
    AuthenticateResponse,
    CompletionRequest,
    CompletionResponse,
    CreateSessionResponse,
    DocumentRequest,
    DocumentResponse,
    Offer,
    OptionOffer,
    Outcome,
    RefusalReason,
)
from kiosk.backend.canonical import auth_binding
from kiosk.backend.document import Binding, DocumentContent, DocumentEnvelope, DocumentType, Municipality
from kiosk.backend.verify import MunicipalKey, VerifiedDocument
from kiosk.card.profile import CardProfile, load_profile
from kiosk.card.virtual import InProcessConnection, SoftwareJpkiCard
from kiosk.errors import (
    BackendUnavailableError,
    ConfigError,
    DocumentBindingError,
    DocumentSignatureError,
    LastTryRefusedError,
    MalformedPinError,
    OfferRefusedError,
    WrongPinError,
)
from kiosk.issue import IssueOrder, IssueResult, issue_document
from tests.unit.backend import samples

SESSION_ID = "3f1c2a9e-8b7d-4e6f-a5c4-1d2e3f4a5b6c"
REQUEST_ID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
OTHER_UUID = "00000000-1111-4222-8333-444444444444"
TERMINAL_ID = samples.TERMINAL_ID
CHALLENGE = bytes(range(100, 132))
MUNICIPALITY = samples.MUNICIPALITY
OTHER_MUNICIPALITY = Municipality(code="131016", name="千代田区")
FEE_YEN = 300
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")  # kiosk.backend.fields.IdempotencyKey
JST = samples.JST

MUNICIPAL_KEY = Ed25519PrivateKey.generate()
OTHER_KEY = Ed25519PrivateKey.generate()


# ------------------------------------------------------------------------------------------- the fakes


def offer(document_type: DocumentType, refusal: RefusalReason | None = None) -> Offer:
    options = (
        (OptionOffer(key="members", allowed=("self", "all"), default="self"),)
        if document_type is DocumentType.JUMINHYO
        else ()
    )
    return Offer(
        document_type=document_type,
        options=options,
        fee_yen=FEE_YEN,
        max_copies=10,
        available=refusal is None,
        refusal=refusal,
    )


BOTH_AVAILABLE = (offer(DocumentType.JUMINHYO), offer(DocumentType.INKAN))


@dataclass
class Transaction:
    """What the fake backend knows when it builds the document: its ids and the card that authenticated."""

    session_id: str
    request_id: str
    terminal_id: str
    certificate: bytes
    request: DocumentRequest

    def binding(self, **changes: str) -> Binding:
        values = {
            "session_id": self.session_id,
            "request_id": self.request_id,
            "terminal_id": self.terminal_id,
            "card_certificate_sha256": hashlib.sha256(self.certificate).hexdigest(),
        }
        return Binding(**{**values, **changes})


def content_for(document_type: DocumentType) -> DocumentContent:
    return samples.juminhyo() if document_type is DocumentType.JUMINHYO else samples.inkan()


def honest_document(tx: Transaction) -> DocumentEnvelope:
    """A correct backend: the content asked for, bound to this transaction, signed by the pinned key."""
    return samples.sign(content_for(tx.request.document_type), MUNICIPAL_KEY, tx.binding())


@dataclass
class ScriptedBackend:
    """The four protocol calls, recorded as (name, *arguments) and answered from the script."""

    offers: tuple[Offer, ...] = BOTH_AVAILABLE
    municipality: Municipality = MUNICIPALITY
    document: Callable[[Transaction], DocumentEnvelope] = honest_document
    complete_error: Exception | None = None
    session_error: Exception | None = None
    calls: list[tuple[Any, ...]] = field(default_factory=list)
    certificate: bytes | None = None

    def names(self) -> list[str]:
        return [call[0] for call in self.calls]

    def create_session(self) -> CreateSessionResponse:
        self.calls.append(("create_session",))
        if self.session_error is not None:
            raise self.session_error
        return CreateSessionResponse(
            session_id=SESSION_ID,
            challenge=CHALLENGE,
            expires_at=datetime(2026, 11, 23, 12, 5, tzinfo=JST),
        )

    def authenticate(self, session_id: str, request: AuthenticateRequest) -> AuthenticateResponse:
        self.calls.append(("authenticate", session_id, request))
        self.certificate = request.certificate
        return AuthenticateResponse(municipality=self.municipality, offers=self.offers)

    def request_document(self, session_id: str, request: DocumentRequest) -> DocumentResponse:
        self.calls.append(("request_document", session_id, request))
        assert self.certificate is not None
        tx = Transaction(session_id, REQUEST_ID, TERMINAL_ID, self.certificate, request)
        return DocumentResponse(request_id=REQUEST_ID, document=self.document(tx))

    def complete(self, request_id: str, completion: CompletionRequest) -> CompletionResponse:
        self.calls.append(("complete", request_id, completion))
        if self.complete_error is not None:
            raise self.complete_error
        return CompletionResponse(
            request_id=request_id,
            outcome=completion.outcome,
            copies_printed=completion.copies_printed,
            charged_yen=FEE_YEN * completion.copies_printed,
            completed_at=datetime(2026, 11, 23, 12, 1, tzinfo=JST),
        )


@dataclass
class Keys:
    """The terminal's pinned keys: only MUNICIPALITY is pinned; every lookup is recorded."""

    asked: list[str] = field(default_factory=list)

    def __call__(self, code: str) -> MunicipalKey:
        self.asked.append(code)
        if code != MUNICIPALITY.code:
            raise ConfigError("kiosk.toml", f"municipalities.{code}", "no pinned key")
        return MUNICIPAL_KEY.public_key()


@dataclass
class Delivery:
    delivered: list[tuple[VerifiedDocument, int]] = field(default_factory=list)
    error: BaseException | None = None
    where: str = "/srv/issued/out.json"

    def __call__(self, document: VerifiedDocument, copies: int) -> str:
        self.delivered.append((document, copies))
        if self.error is not None:
            raise self.error
        return self.where


@pytest.fixture(scope="module")
def profile(profile_factory: Callable[..., Path]) -> CardProfile:
    return load_profile(profile_factory())


@pytest.fixture
def connection(profile: CardProfile) -> InProcessConnection:
    return InProcessConnection(SoftwareJpkiCard(profile))


def run(
    connection: InProcessConnection,
    backend: ScriptedBackend,
    *,
    order: IssueOrder | None = None,
    pin: bytearray | None = None,
    keys: Keys | None = None,
    deliver: Delivery | None = None,
    allow_last_try: bool = False,
) -> IssueResult:
    return issue_document(
        connection=connection,
        backend=backend,
        terminal_id=TERMINAL_ID,
        municipal_key=keys if keys is not None else Keys(),
        pin=pin if pin is not None else bytearray(b"1234"),
        order=order if order is not None else IssueOrder(DocumentType.JUMINHYO),
        deliver=deliver if deliver is not None else Delivery(),
        allow_last_try=allow_last_try,
    )


FAILED = CompletionRequest(outcome=Outcome.FAILED, copies_printed=0)


# ------------------------------------------------------------------------------------------ happy path


def test_happy_path_calls_in_order_with_exact_arguments(
    connection: InProcessConnection, profile: CardProfile
) -> None:
    backend = ScriptedBackend()
    keys = Keys()
    delivery = Delivery()
    pin = bytearray(b"1234")
    order = IssueOrder(DocumentType.JUMINHYO, {"members": "all"}, copies=2)

    result = run(connection, backend, order=order, pin=pin, keys=keys, deliver=delivery)

    assert backend.names() == ["create_session", "authenticate", "request_document", "complete"]
    assert backend.calls[0] == ("create_session",)

    _, session_id, auth = backend.calls[1]
    assert session_id == SESSION_ID
    assert isinstance(auth, AuthenticateRequest)
    assert auth.certificate == profile.auth_cert_der
    assert auth.algorithm == "sha256WithRSAEncryption"
    public_key = x509.load_der_x509_certificate(auth.certificate).public_key()
    assert isinstance(public_key, rsa.RSAPublicKey)
    # Raises InvalidSignature unless the card signed exactly this session's binding at this terminal.
    public_key.verify(
        auth.signature,
        auth_binding(CHALLENGE, SESSION_ID, TERMINAL_ID),
        padding.PKCS1v15(),
        hashes.SHA256(),
    )

    _, session_id, request = backend.calls[2]
    assert session_id == SESSION_ID
    assert isinstance(request, DocumentRequest)
    assert request.document_type is DocumentType.JUMINHYO
    assert request.options == {"members": "all"}
    assert request.copies == 2
    assert IDEMPOTENCY_KEY.fullmatch(request.idempotency_key)

    assert backend.calls[3] == (
        "complete",
        REQUEST_ID,
        CompletionRequest(outcome=Outcome.PRINTED, copies_printed=2),
    )

    assert keys.asked == [MUNICIPALITY.code]
    assert len(delivery.delivered) == 1
    document, copies = delivery.delivered[0]
    assert isinstance(document, VerifiedDocument)
    assert copies == 2
    assert document.content == samples.juminhyo()
    assert document.binding.session_id == SESSION_ID
    assert document.binding.request_id == REQUEST_ID
    assert document.binding.terminal_id == TERMINAL_ID
    assert document.binding.card_certificate_sha256 == hashlib.sha256(profile.auth_cert_der).hexdigest()
    assert document.algorithm == "Ed25519"

    assert result == IssueResult(
        request_id=REQUEST_ID,
        document_type=DocumentType.JUMINHYO,
        serial=samples.juminhyo().serial,
        output=delivery.where,
        charged_yen=2 * FEE_YEN,
    )
    assert result.to_dict() == {
        "request_id": REQUEST_ID,
        "document_type": "juminhyo",
        "serial": "J-2026-000001",
        "output": delivery.where,
    }
    assert pin == bytearray(4)


def test_inkan_with_default_order(connection: InProcessConnection) -> None:
    backend = ScriptedBackend()
    delivery = Delivery()
    result = run(connection, backend, order=IssueOrder(DocumentType.INKAN), deliver=delivery)
    request = backend.calls[2][2]
    assert (request.document_type, request.options, request.copies) == (DocumentType.INKAN, {}, 1)
    assert backend.calls[3] == (
        "complete",
        REQUEST_ID,
        CompletionRequest(outcome=Outcome.PRINTED, copies_printed=1),
    )
    assert [copies for _, copies in delivery.delivered] == [1]
    assert (result.document_type, result.serial, result.charged_yen) == (
        DocumentType.INKAN,
        "I-2026-000001",
        FEE_YEN,
    )


def test_each_transaction_gets_a_fresh_idempotency_key(profile: CardProfile) -> None:
    keys = []
    for _ in range(2):
        backend = ScriptedBackend()
        run(InProcessConnection(SoftwareJpkiCard(profile)), backend)
        keys.append(backend.calls[2][2].idempotency_key)
    assert keys[0] != keys[1]


# ------------------------------------------------------------------------------------------ refusals


@pytest.mark.parametrize(
    ("document_type", "refusal"),
    [
        (DocumentType.JUMINHYO, RefusalReason.MOVED_OUT),
        (DocumentType.JUMINHYO, RefusalReason.DECEASED),
        (DocumentType.JUMINHYO, RefusalReason.SUPPORT_MEASURES),
        (DocumentType.JUMINHYO, RefusalReason.CLOSED),
        (DocumentType.INKAN, RefusalReason.SEAL_NOT_REGISTERED),
        (DocumentType.INKAN, RefusalReason.SEAL_CANCELLED),
        (DocumentType.INKAN, RefusalReason.OUTSIDE_DOCUMENT_HOURS),
    ],
)
def test_unavailable_offer_is_refused_before_any_request(
    connection: InProcessConnection, document_type: DocumentType, refusal: RefusalReason
) -> None:
    other = DocumentType.INKAN if document_type is DocumentType.JUMINHYO else DocumentType.JUMINHYO
    backend = ScriptedBackend(offers=(offer(document_type, refusal), offer(other)))
    keys = Keys()
    delivery = Delivery()
    with pytest.raises(OfferRefusedError) as caught:
        run(connection, backend, order=IssueOrder(document_type), keys=keys, deliver=delivery)
    assert caught.value.reason == str(refusal)
    assert caught.value.document_type == str(document_type)
    assert caught.value.to_dict()["code"] == "refused"
    assert backend.names() == ["create_session", "authenticate"]
    assert keys.asked == []
    assert delivery.delivered == []


def test_missing_offer_is_not_offered(connection: InProcessConnection) -> None:
    backend = ScriptedBackend(offers=(offer(DocumentType.INKAN),))
    with pytest.raises(OfferRefusedError) as caught:
        run(connection, backend, order=IssueOrder(DocumentType.JUMINHYO))
    assert caught.value.reason == "not-offered"
    assert caught.value.document_type == "juminhyo"
    assert backend.names() == ["create_session", "authenticate"]


def test_the_other_offer_being_refused_does_not_matter(connection: InProcessConnection) -> None:
    backend = ScriptedBackend(
        offers=(offer(DocumentType.JUMINHYO), offer(DocumentType.INKAN, RefusalReason.SEAL_NOT_REGISTERED))
    )
    run(connection, backend, order=IssueOrder(DocumentType.JUMINHYO))
    assert backend.names() == ["create_session", "authenticate", "request_document", "complete"]


def test_unpinned_municipality_costs_no_request(connection: InProcessConnection) -> None:
    backend = ScriptedBackend(municipality=OTHER_MUNICIPALITY)
    keys = Keys()
    with pytest.raises(ConfigError) as caught:
        run(connection, backend, keys=keys)
    assert caught.value.key == f"municipalities.{OTHER_MUNICIPALITY.code}"
    assert keys.asked == [OTHER_MUNICIPALITY.code]
    assert backend.names() == ["create_session", "authenticate"]


# --------------------------------------------------------------------- documents that fail verification


def signed_by_other_key(tx: Transaction) -> DocumentEnvelope:
    return samples.sign(content_for(tx.request.document_type), OTHER_KEY, tx.binding())


def tampered_after_signing(tx: Transaction) -> DocumentEnvelope:
    envelope = honest_document(tx)
    content = samples.juminhyo().model_copy(update={"address": "神奈川県横浜市中区港町一丁目2番地"})
    return envelope.model_copy(update={"content": content})


def bound(**changes: str) -> Callable[[Transaction], DocumentEnvelope]:
    def build(tx: Transaction) -> DocumentEnvelope:
        return samples.sign(content_for(tx.request.document_type), MUNICIPAL_KEY, tx.binding(**changes))

    return build


def with_content(content: DocumentContent) -> Callable[[Transaction], DocumentEnvelope]:
    def build(tx: Transaction) -> DocumentEnvelope:
        return samples.sign(content, MUNICIPAL_KEY, tx.binding())

    return build


def assert_failed_and_not_delivered(backend: ScriptedBackend, delivery: Delivery) -> None:
    assert backend.names() == ["create_session", "authenticate", "request_document", "complete"]
    assert backend.calls[3] == ("complete", REQUEST_ID, FAILED)
    assert delivery.delivered == []


@pytest.mark.parametrize("document", [signed_by_other_key, tampered_after_signing])
def test_bad_signature_is_never_delivered_and_reported_failed(
    connection: InProcessConnection, document: Callable[[Transaction], DocumentEnvelope]
) -> None:
    backend = ScriptedBackend(document=document)
    delivery = Delivery()
    with pytest.raises(DocumentSignatureError):
        run(connection, backend, deliver=delivery)
    assert_failed_and_not_delivered(backend, delivery)


@pytest.mark.parametrize(
    ("field_name", "other_value"),
    [
        ("session_id", OTHER_UUID),
        ("request_id", OTHER_UUID),
        ("terminal_id", "yokohama-naka-0002"),
        ("card_certificate_sha256", hashlib.sha256(b"another card").hexdigest()),
    ],
)
def test_binding_to_another_transaction_is_never_delivered(
    connection: InProcessConnection, field_name: str, other_value: str
) -> None:
    backend = ScriptedBackend(document=bound(**{field_name: other_value}))
    delivery = Delivery()
    with pytest.raises(DocumentBindingError) as caught:
        run(connection, backend, deliver=delivery)
    assert caught.value.field == field_name
    assert_failed_and_not_delivered(backend, delivery)


@pytest.mark.parametrize(
    ("order", "content", "field_name"),
    [
        (IssueOrder(DocumentType.JUMINHYO), samples.inkan(), "document_type"),
        (IssueOrder(DocumentType.INKAN), samples.juminhyo(), "document_type"),
        (
            IssueOrder(DocumentType.JUMINHYO),
            samples.juminhyo().model_copy(update={"municipality": OTHER_MUNICIPALITY}),
            "municipality",
        ),
        (
            IssueOrder(DocumentType.INKAN),
            samples.inkan().model_copy(update={"municipality": OTHER_MUNICIPALITY}),
            "municipality",
        ),
    ],
)
def test_signed_and_bound_but_not_what_was_asked_for(
    connection: InProcessConnection, order: IssueOrder, content: DocumentContent, field_name: str
) -> None:
    backend = ScriptedBackend(document=with_content(content))
    delivery = Delivery()
    with pytest.raises(DocumentBindingError) as caught:
        run(connection, backend, order=order, deliver=delivery)
    assert caught.value.field == field_name
    assert_failed_and_not_delivered(backend, delivery)


# ------------------------------------------------------------------------------------ delivery failures


def test_delivery_failure_is_reported_failed_and_propagates(connection: InProcessConnection) -> None:
    backend = ScriptedBackend()
    delivery = Delivery(error=OSError(28, "No space left on device"))
    with pytest.raises(OSError, match="No space left") as caught:
        run(connection, backend, order=IssueOrder(DocumentType.JUMINHYO, copies=3), deliver=delivery)
    assert caught.value is delivery.error
    assert len(delivery.delivered) == 1
    assert backend.names() == ["create_session", "authenticate", "request_document", "complete"]
    assert backend.calls[3] == ("complete", REQUEST_ID, FAILED)


def test_interrupted_delivery_is_reported_failed(connection: InProcessConnection) -> None:
    backend = ScriptedBackend()
    with pytest.raises(KeyboardInterrupt):
        run(connection, backend, deliver=Delivery(error=KeyboardInterrupt()))
    assert backend.calls[3] == ("complete", REQUEST_ID, FAILED)


def test_failure_report_that_fails_keeps_the_original_error(connection: InProcessConnection) -> None:
    backend = ScriptedBackend(complete_error=BackendUnavailableError("complete", "timeout"))
    delivery = Delivery(error=OSError(5, "Input/output error"))
    with pytest.raises(OSError) as caught:
        run(connection, backend, deliver=delivery)
    assert caught.value is delivery.error
    assert backend.calls[3] == ("complete", REQUEST_ID, FAILED)


def test_failure_report_that_fails_keeps_the_verification_error(connection: InProcessConnection) -> None:
    backend = ScriptedBackend(
        document=signed_by_other_key, complete_error=BackendUnavailableError("complete", "dropped")
    )
    with pytest.raises(DocumentSignatureError):
        run(connection, backend)
    assert backend.calls[3] == ("complete", REQUEST_ID, FAILED)


# ------------------------------------------------------------------------------------------------ PIN


def test_wrong_pin_zeroes_it_and_stops_after_the_session(connection: InProcessConnection) -> None:
    backend = ScriptedBackend()
    pin = bytearray(b"9999")
    with pytest.raises(WrongPinError) as caught:
        run(connection, backend, pin=pin)
    assert caught.value.tries_left == 2
    assert pin == bytearray(4)
    assert backend.names() == ["create_session"]


def test_malformed_pin_zeroes_it_and_stops_after_the_session(connection: InProcessConnection) -> None:
    backend = ScriptedBackend()
    pin = bytearray(b"12a4")
    with pytest.raises(MalformedPinError):
        run(connection, backend, pin=pin)
    assert pin == bytearray(4)
    assert backend.names() == ["create_session"]
    assert connection.card.auth_tries_left == 3


def test_pin_zeroed_when_the_backend_is_unreachable(connection: InProcessConnection) -> None:
    backend = ScriptedBackend(session_error=BackendUnavailableError("create_session", "connect"))
    pin = bytearray(b"1234")
    with pytest.raises(BackendUnavailableError):
        run(connection, backend, pin=pin)
    assert pin == bytearray(4)
    assert backend.names() == ["create_session"]
    assert connection.card.auth_tries_left == 3


def test_last_try_is_spent_only_when_allowed(profile_factory: Callable[..., Path]) -> None:
    last_try = load_profile(profile_factory(auth_tries_left=1))

    refused = ScriptedBackend()
    pin = bytearray(b"1234")
    with pytest.raises(LastTryRefusedError):
        run(InProcessConnection(SoftwareJpkiCard(last_try)), refused, pin=pin)
    assert pin == bytearray(4)
    assert refused.names() == ["create_session"]

    allowed = ScriptedBackend()
    result = run(InProcessConnection(SoftwareJpkiCard(last_try)), allowed, allow_last_try=True)
    assert result.request_id == REQUEST_ID
    assert allowed.names() == ["create_session", "authenticate", "request_document", "complete"]
