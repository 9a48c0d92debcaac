"""The protocol's hostile cases against the real backend process over mutual TLS.

Each case is refused with its protocol code and leaves nothing issued or charged. Card signatures come from
the software card through the kiosk's own card code, so the bytes are exactly what a terminal sends.
"""

from __future__ import annotations

import json
import socket
import ssl
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from kiosk.backend.api import (
    AuthenticateRequest,
    AuthenticateResponse,
    CompletionRequest,
    DocumentRequest,
    DocumentResponse,
    Outcome,
)
from kiosk.backend.canonical import auth_binding
from kiosk.backend.document import DocumentType
from kiosk.backend.http import BackendClient
from kiosk.backend.verify import VerifiedDocument
from kiosk.card.operations import authenticate
from kiosk.card.profile import load_profile, make_profile
from kiosk.card.virtual import InProcessConnection, SoftwareJpkiCard
from kiosk.clock import SystemClock
from kiosk.errors import BackendRefusedError, DocumentBindingError, DocumentSignatureError
from kiosk.issue import IssueOrder, issue_document
from kiosk.settings import SiteConfig, load_site_config
from municipal.pki import BackendPki, create_backend_pki, issue_terminal_certificate
from municipal.registry import register_card, register_terminal, revoke_terminal
from tests.integration.backend_rig import Deployment

pytestmark = pytest.mark.integration

PIN = b"1234"


@pytest.fixture(scope="module")
def site(deployment: Deployment) -> SiteConfig:
    return load_site_config(deployment.config)


@pytest.fixture(scope="module")
def card_dir(deployment: Deployment, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("card") / "R0001"
    profile = make_profile(
        out, BackendPki(deployment.data / "pki").jpki_dir, now=SystemClock().now(), sign_password=None
    )
    db = deployment.database()
    try:
        register_card(db, profile.auth_cert_der, "R0001", now=SystemClock().now())
    finally:
        db.close()
    return out


@pytest.fixture
def client(site: SiteConfig) -> Iterator[BackendClient]:
    with BackendClient(site.backend, clock=SystemClock()) as backend:
        yield backend


def card_answer(
    card_dir: Path, challenge: bytes, session_id: str, terminal_id: str = "T0001"
) -> AuthenticateRequest:
    connection = InProcessConnection(SoftwareJpkiCard(load_profile(card_dir)))
    signed = authenticate(connection, auth_binding(challenge, session_id, terminal_id), bytearray(PIN))
    return AuthenticateRequest(certificate=signed.certificate, signature=signed.signature)


def authenticated(client: BackendClient, card_dir: Path) -> tuple[str, AuthenticateResponse]:
    session = client.create_session()
    answer = client.authenticate(
        session.session_id, card_answer(card_dir, session.challenge, session.session_id)
    )
    return session.session_id, answer


def juminhyo(key: str = "integration-test-key-0001") -> DocumentRequest:
    return DocumentRequest(document_type=DocumentType.JUMINHYO, copies=1, idempotency_key=key)


def refused(call: Callable[[], object]) -> BackendRefusedError:
    with pytest.raises(BackendRefusedError) as caught:
        call()
    return caught.value


def request_row(deployment: Deployment, request_id: str) -> dict[str, object]:
    db = deployment.database()
    try:
        row = db.connection().execute("SELECT * FROM requests WHERE id = ?", (request_id,)).fetchone()
        return dict(row)
    finally:
        db.close()


# ------------------------------------------------------------------------------------------------ terminals


def raw_session(deployment: Deployment, cert: tuple[str, str] | None) -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # REQUESTS_CA_BUNDLE would otherwise replace the pinned CA
    session.verify = str(BackendPki(deployment.data / "pki").deployment_ca_cert)
    session.cert = cert
    return session


def test_no_client_certificate_is_refused_at_tls(deployment: Deployment) -> None:
    with raw_session(deployment, None) as session, pytest.raises(requests.exceptions.ConnectionError):
        session.post(f"https://127.0.0.1:{deployment.port}/v1/sessions", json={}, timeout=5)


def test_a_certificate_from_another_ca_is_refused_at_tls(deployment: Deployment, tmp_path: Path) -> None:
    other = create_backend_pki(tmp_path / "other", now=SystemClock().now())
    stranger = issue_terminal_certificate(other, "T0001", now=SystemClock().now())
    cert = (str(stranger.cert_path), str(stranger.key_path))
    with raw_session(deployment, cert) as session, pytest.raises(requests.exceptions.ConnectionError):
        session.post(f"https://127.0.0.1:{deployment.port}/v1/sessions", json={}, timeout=5)


def test_unregistered_and_revoked_terminals_are_refused(deployment: Deployment) -> None:
    pki = BackendPki(deployment.data / "pki")
    now = SystemClock().now()
    unknown = issue_terminal_certificate(pki, "T0090", now=now)
    revoked = issue_terminal_certificate(pki, "T0091", now=now)
    db = deployment.database()
    try:
        der = x509.load_pem_x509_certificate(revoked.cert_path.read_bytes()).public_bytes(Encoding.DER)
        register_terminal(db, "T0091", der, now=now)
        revoke_terminal(db, "T0091")
    finally:
        db.close()
    for credentials in (unknown, revoked):
        with raw_session(deployment, (str(credentials.cert_path), str(credentials.key_path))) as session:
            answer = session.post(f"https://127.0.0.1:{deployment.port}/v1/sessions", json={}, timeout=5)
        assert (answer.status_code, answer.json()) == (403, {"code": "unknown-terminal"})


# ------------------------------------------------------------------------------------------ authentication


def test_a_session_cannot_be_used_from_another_terminal(
    deployment: Deployment, client: BackendClient, card_dir: Path
) -> None:
    other = load_site_config(deployment.data / "kiosk-T0002.toml")
    session = client.create_session()
    with BackendClient(other.backend, clock=SystemClock()) as intruder:
        answer = card_answer(card_dir, session.challenge, session.session_id, terminal_id="T0002")
        error = refused(lambda: intruder.authenticate(session.session_id, answer))
    assert (error.status, error.error_code) == (403, "wrong-terminal")
    # ...and the rightful terminal can still use it: the intruder did not burn the challenge.
    client.authenticate(session.session_id, card_answer(card_dir, session.challenge, session.session_id))


def test_a_signature_over_another_binding_is_refused_and_burns_the_challenge(
    client: BackendClient, card_dir: Path
) -> None:
    session = client.create_session()
    wrong = card_answer(card_dir, session.challenge, session.session_id, terminal_id="T0002")
    assert refused(lambda: client.authenticate(session.session_id, wrong)).error_code == "signature-invalid"
    right = card_answer(card_dir, session.challenge, session.session_id)
    assert refused(lambda: client.authenticate(session.session_id, right)).error_code == "challenge-used"


def test_a_replayed_challenge_is_refused(client: BackendClient, card_dir: Path) -> None:
    session = client.create_session()
    answer = card_answer(card_dir, session.challenge, session.session_id)
    client.authenticate(session.session_id, answer)
    error = refused(lambda: client.authenticate(session.session_id, answer))
    assert (error.status, error.error_code) == (409, "challenge-used")


def test_a_request_before_authentication_is_refused(client: BackendClient) -> None:
    session = client.create_session()
    error = refused(lambda: client.request_document(session.session_id, juminhyo()))
    assert (error.status, error.error_code) == (409, "not-authenticated")


# ---------------------------------------------------------------------------------- idempotency, completion


def test_the_same_idempotency_key_returns_the_same_request(
    deployment: Deployment, client: BackendClient, card_dir: Path
) -> None:
    session_id, _ = authenticated(client, card_dir)
    first = client.request_document(session_id, juminhyo())
    second = client.request_document(session_id, juminhyo())
    assert second == first
    changed = juminhyo().model_copy(update={"copies": 2})
    assert refused(lambda: client.request_document(session_id, changed)).error_code == "idempotency-conflict"
    db = deployment.database()
    try:
        count = (
            db.connection()
            .execute("SELECT COUNT(*) FROM requests WHERE session_id = ?", (session_id,))
            .fetchone()[0]
        )
    finally:
        db.close()
    assert count == 1


def test_complete_is_exactly_once_and_charges_only_printed(
    deployment: Deployment, client: BackendClient, card_dir: Path
) -> None:
    session_id, answer = authenticated(client, card_dir)
    fee = next(offer.fee_yen for offer in answer.offers if offer.document_type is DocumentType.JUMINHYO)
    request = client.request_document(
        session_id, juminhyo("two-copies-key-000001").model_copy(update={"copies": 2})
    )
    first = client.complete(request.request_id, CompletionRequest(outcome=Outcome.PRINTED, copies_printed=2))
    again = client.complete(request.request_id, CompletionRequest(outcome=Outcome.FAILED, copies_printed=0))
    assert (first.outcome, first.charged_yen) == (Outcome.PRINTED, 2 * fee)
    assert again == first
    row = request_row(deployment, request.request_id)
    assert (row["charged_yen"], row["response"]) == (2 * fee, None)  # the document is gone after completion
    replay = refused(
        lambda: client.request_document(
            session_id, juminhyo("two-copies-key-000001").model_copy(update={"copies": 2})
        )
    )
    assert replay.error_code == "request-closed"


def test_another_terminal_cannot_complete_a_request(
    deployment: Deployment, client: BackendClient, card_dir: Path
) -> None:
    session_id, _ = authenticated(client, card_dir)
    request = client.request_document(session_id, juminhyo())
    other = load_site_config(deployment.data / "kiosk-T0002.toml")
    with BackendClient(other.backend, clock=SystemClock()) as intruder:
        error = refused(
            lambda: intruder.complete(
                request.request_id, CompletionRequest(outcome=Outcome.PRINTED, copies_printed=1)
            )
        )
    assert error.error_code == "wrong-terminal"
    assert request_row(deployment, request.request_id)["outcome"] is None


# ------------------------------------------------------------------------------ documents the kiosk refuses


class TamperingBackend:
    """The real client, with the document changed on its way to the kiosk."""

    def __init__(
        self, client: BackendClient, tamper: Callable[[str, DocumentResponse], DocumentResponse]
    ) -> None:
        self._client = client
        self._tamper = tamper
        self.create_session = client.create_session
        self.authenticate = client.authenticate
        self.complete = client.complete

    def request_document(self, session_id: str, request: DocumentRequest) -> DocumentResponse:
        return self._tamper(session_id, self._client.request_document(session_id, request))


def run_issue(site: SiteConfig, backend: object, card_dir: Path, delivered: list[VerifiedDocument]) -> None:
    def deliver(document: VerifiedDocument, _copies: int) -> str:
        delivered.append(document)
        return "delivered"

    issue_document(
        connection=InProcessConnection(SoftwareJpkiCard(load_profile(card_dir))),
        backend=backend,  # type: ignore[arg-type]
        terminal_id=site.terminal.id,
        municipal_key=site.municipal_key,
        pin=bytearray(PIN),
        order=IssueOrder(DocumentType.JUMINHYO),
        deliver=deliver,
    )


def flip_one_byte_of_the_name(_: str, response: DocumentResponse) -> DocumentResponse:
    content = response.document.content
    name = content.members[0].name  # type: ignore[union-attr]
    altered_member = content.members[0].model_copy(update={"name": name[:-1] + chr(ord(name[-1]) ^ 1)})  # type: ignore[union-attr]
    altered = content.model_copy(update={"members": (altered_member, *content.members[1:])})  # type: ignore[union-attr]
    return response.model_copy(update={"document": response.document.model_copy(update={"content": altered})})


def test_a_document_altered_in_transit_is_not_delivered_and_reported_failed(
    deployment: Deployment, site: SiteConfig, client: BackendClient, card_dir: Path
) -> None:
    seen: list[str] = []

    def tamper(session_id: str, response: DocumentResponse) -> DocumentResponse:
        seen.append(response.request_id)
        return flip_one_byte_of_the_name(session_id, response)

    delivered: list[VerifiedDocument] = []
    with pytest.raises(DocumentSignatureError):
        run_issue(site, TamperingBackend(client, tamper), card_dir, delivered)
    assert delivered == []
    row = request_row(deployment, seen[0])
    assert (row["outcome"], row["charged_yen"]) == ("failed", 0)


def test_a_document_bound_to_another_session_is_not_delivered(
    deployment: Deployment, site: SiteConfig, client: BackendClient, card_dir: Path
) -> None:
    # A genuine, correctly signed document of an earlier session of the same card: the 横浜 failure mode.
    other_session, _ = authenticated(client, card_dir)
    stale = client.request_document(other_session, juminhyo("another-session-key-01"))
    seen: list[str] = []

    def swap(_: str, response: DocumentResponse) -> DocumentResponse:
        seen.append(response.request_id)
        return stale

    delivered: list[VerifiedDocument] = []
    with pytest.raises(DocumentBindingError) as caught:
        run_issue(site, TamperingBackend(client, swap), card_dir, delivered)
    assert caught.value.field == "session_id"
    assert delivered == []
    # The kiosk reported failure for the request it received (the stale one's id), never printed anything.
    assert request_row(deployment, stale.request_id)["outcome"] == "failed"


# ------------------------------------------------------------------------------------- malformed requests


def raw_post(
    deployment: Deployment, path: str, body: bytes, headers: dict[str, str] | None = None
) -> requests.Response:
    pki = BackendPki(deployment.data / "pki")
    with raw_session(
        deployment, (str(pki.terminal_cert("T0001")), str(pki.terminal_key("T0001")))
    ) as session:
        return session.post(
            f"https://127.0.0.1:{deployment.port}{path}", data=body, headers=headers or {}, timeout=10
        )


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"{", 422, "invalid-request"),
        (b'{"certificate": 1}', 422, "invalid-request"),
        (b'{"certificate": "' + b"A" * 200_000 + b'"}', 413, "too-large"),
    ],
)
def test_malformed_and_oversized_bodies(
    deployment: Deployment, client: BackendClient, body: bytes, status: int, code: str
) -> None:
    session = client.create_session()
    answer = raw_post(deployment, f"/v1/sessions/{session.session_id}/authenticate", body)
    assert (answer.status_code, answer.json()["code"]) == (status, code)


def test_a_truncated_body_issues_nothing_and_the_server_keeps_serving(
    deployment: Deployment, client: BackendClient
) -> None:
    pki = BackendPki(deployment.data / "pki")
    context = ssl.create_default_context(cafile=str(pki.deployment_ca_cert))
    context.load_cert_chain(str(pki.terminal_cert("T0001")), str(pki.terminal_key("T0001")))
    session = client.create_session()
    with (
        socket.create_connection(("127.0.0.1", deployment.port), timeout=5) as raw,
        context.wrap_socket(raw, server_hostname="127.0.0.1") as tls,
    ):
        tls.sendall(
            f"POST /v1/sessions/{session.session_id}/authenticate HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            'Content-Type: application/json\r\nContent-Length: 500\r\n\r\n{"certificate": "'.encode()
        )
    assert client.create_session().session_id  # still answering
    db = deployment.database()
    try:
        answered = (
            db.connection()
            .execute("SELECT challenge_answered FROM sessions WHERE id = ?", (session.session_id,))
            .fetchone()[0]
        )
    finally:
        db.close()
    assert answered == 0  # half a body never reaches the rules


def test_the_openapi_document_describes_the_four_calls_and_health(deployment: Deployment) -> None:
    pki = BackendPki(deployment.data / "pki")
    with raw_session(
        deployment, (str(pki.terminal_cert("T0001")), str(pki.terminal_key("T0001")))
    ) as session:
        spec = session.get(f"https://127.0.0.1:{deployment.port}/openapi.json", timeout=5).json()
    assert set(spec["paths"]) == {
        "/v1/sessions",
        "/v1/sessions/{session_id}/authenticate",
        "/v1/sessions/{session_id}/requests",
        "/v1/requests/{request_id}/complete",
        "/v1/health",
        "/v1/terminals/heartbeat",
    }
    assert "DocumentEnvelope" in json.dumps(spec)
