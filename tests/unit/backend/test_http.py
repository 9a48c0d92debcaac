"""BackendClient against a scripted HTTPS server on 127.0.0.1 (mutual TLS with a test CA)."""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.backend.api import (
    AuthenticateRequest,
    AuthenticateResponse,
    CompletionRequest,
    CompletionResponse,
    CreateSessionResponse,
    DocumentRequest,
    DocumentResponse,
    ErrorCode,
    ErrorResponse,
    Offer,
    Outcome,
    RefusalReason,
)
from kiosk.backend.document import DocumentType, WireModel
from kiosk.backend.http import BackendClient
from kiosk.clock import FixedClock
from kiosk.errors import (
    BackendRefusedError,
    BackendUnavailableError,
    ClockSkewError,
    MalformedBackendResponse,
)
from kiosk.settings import BackendSettings
from tests.unit.backend.samples import MUNICIPALITY, REQUEST_ID, SESSION_ID, juminhyo, sign
from tests.unit.backend.scripted_https import (
    SERVER_NOW,
    Pki,
    Reaction,
    ScriptedHttpsServer,
    chunked,
    close,
    drip,
    http_date,
    make_pki,
    pause,
    response_bytes,
    send,
    send_and_close,
    send_then,
)

# Small on purpose: the slow cases take well under a second each.
CONNECT_TIMEOUT = 0.5
READ_TIMEOUT = 0.5
MAX_BYTES = 4096

CREATED = CreateSessionResponse(session_id=SESSION_ID, challenge=bytes(range(32)), expires_at=SERVER_NOW)
AUTH_REQUEST = AuthenticateRequest(certificate=b"0\x82fictitious card certificate", signature=bytes(256))
AUTHENTICATED = AuthenticateResponse(
    municipality=MUNICIPALITY,
    offers=(
        Offer(document_type=DocumentType.JUMINHYO, fee_yen=200, max_copies=10, available=True),
        Offer(
            document_type=DocumentType.INKAN,
            fee_yen=200,
            max_copies=10,
            available=False,
            refusal=RefusalReason.SEAL_NOT_REGISTERED,
        ),
    ),
)
DOC_REQUEST = DocumentRequest(
    document_type=DocumentType.JUMINHYO, copies=1, idempotency_key="kiosk-T0001-000001"
)
DOCUMENT = DocumentResponse(request_id=REQUEST_ID, document=sign(juminhyo(), Ed25519PrivateKey.generate()))
COMPLETION = CompletionRequest(outcome=Outcome.PRINTED, copies_printed=1)
COMPLETED = CompletionResponse(
    request_id=REQUEST_ID, outcome=Outcome.PRINTED, copies_printed=1, charged_yen=200, completed_at=SERVER_NOW
)


MakeClient = Callable[..., BackendClient]


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("https-pki"))


@pytest.fixture
def server(pki: Pki) -> Iterator[ScriptedHttpsServer]:
    running = ScriptedHttpsServer(pki).start()
    yield running
    running.stop()


@pytest.fixture
def sleeps() -> list[float]:
    return []


def settings(pki: Pki, url: str, **changes: object) -> BackendSettings:
    values: dict[str, object] = {
        "url": url,
        "ca_file": str(pki.ca_file),
        "client_cert": str(pki.client_cert),
        "client_key": str(pki.client_key),
        "connect_timeout": CONNECT_TIMEOUT,
        "read_timeout": READ_TIMEOUT,
        "max_response_bytes": MAX_BYTES,
        "retries": 2,
    }
    return BackendSettings.model_validate({**values, **changes})


@pytest.fixture
def make_client(pki: Pki, server: ScriptedHttpsServer, sleeps: list[float]) -> Iterator[MakeClient]:
    made: list[BackendClient] = []

    def make(*script: Reaction, **changes: object) -> BackendClient:
        server.script.extend(script)
        client = BackendClient(
            settings(pki, server.url, **changes), clock=FixedClock(SERVER_NOW), sleep=sleeps.append
        )
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


def ok(model: WireModel, **options: object) -> bytes:
    return response_bytes(200, model.model_dump_json(), **options)  # type: ignore[arg-type]


def refusal(status: int, code: ErrorCode, detail: str | None = None, **options: object) -> bytes:
    body = ErrorResponse(code=code, detail=detail).model_dump_json()
    return response_bytes(status, body, **options)  # type: ignore[arg-type]


def body_of(model: WireModel) -> bytes:
    return model.model_dump_json().encode()


# --- the happy paths --------------------------------------------------------------------------------------


def test_the_four_calls_over_one_connection(make_client: MakeClient, server: ScriptedHttpsServer) -> None:
    client = make_client(send(ok(CREATED)), send(ok(AUTHENTICATED)), send(ok(DOCUMENT)), send(ok(COMPLETED)))

    assert client.create_session() == CREATED
    assert client.authenticate(SESSION_ID, AUTH_REQUEST) == AUTHENTICATED
    assert client.request_document(SESSION_ID, DOC_REQUEST) == DOCUMENT
    assert client.complete(REQUEST_ID, COMPLETION) == COMPLETED

    assert [(r.request_line, r.body) for r in server.requests] == [
        ("POST /v1/sessions HTTP/1.1", b"{}"),
        (f"POST /v1/sessions/{SESSION_ID}/authenticate HTTP/1.1", body_of(AUTH_REQUEST)),
        (f"POST /v1/sessions/{SESSION_ID}/requests HTTP/1.1", body_of(DOC_REQUEST)),
        (f"POST /v1/requests/{REQUEST_ID}/complete HTTP/1.1", body_of(COMPLETION)),
    ]
    assert {r.connection for r in server.requests} == {1}  # keep-alive
    assert server.connections() == 1
    assert server.client_subjects == ["CN=T0001"]  # the terminal's certificate was presented


def test_request_headers(make_client: MakeClient, server: ScriptedHttpsServer) -> None:
    make_client(send(ok(CREATED))).create_session()
    headers = server.requests[0].headers
    assert headers["content-type"] == "application/json"
    assert headers["accept"] == "application/json"
    assert headers["accept-encoding"] == "identity"
    assert headers["content-length"] == "2"
    assert headers["host"] == server.url.removeprefix("https://")
    assert "authorization" not in headers and "cookie" not in headers


def test_environment_cannot_redirect_or_unpin(
    make_client: MakeClient, pki: Pki, monkeypatch: pytest.MonkeyPatch
) -> None:
    # requests would otherwise take a proxy and a CA bundle from here (and the bundle beats Session.verify).
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(pki.impostor_cert))
    monkeypatch.setenv("CURL_CA_BUNDLE", str(pki.impostor_cert))
    assert make_client(send(ok(CREATED))).create_session() == CREATED


def test_ids_must_be_uuids_before_anything_is_sent(
    make_client: MakeClient, server: ScriptedHttpsServer
) -> None:
    client = make_client()
    with pytest.raises(ValueError, match="UUID"):
        client.authenticate("../../v1/other", AUTH_REQUEST)
    with pytest.raises(ValueError, match="UUID"):
        client.complete(REQUEST_ID.upper(), COMPLETION)
    assert server.requests == []


def test_context_manager_closes(pki: Pki, server: ScriptedHttpsServer) -> None:
    server.script.append(send(ok(CREATED)))
    with BackendClient(settings(pki, server.url), clock=FixedClock(SERVER_NOW)) as client:
        assert client.create_session() == CREATED


# --- answers that are not the expected type -----------------------------------------------------------


def test_error_response_is_refused_with_its_codes(make_client: MakeClient, sleeps: list[float]) -> None:
    client = make_client(send(refusal(403, ErrorCode.REFUSED, "moved-out")))
    with pytest.raises(BackendRefusedError) as caught:
        client.request_document(SESSION_ID, DOC_REQUEST)
    error = caught.value
    assert (error.operation, error.status, error.error_code, error.detail) == (
        "request_document",
        403,
        "refused",
        "moved-out",
    )
    assert sleeps == []


@pytest.mark.parametrize(
    ("answer", "what"),
    [
        (response_bytes(200, b'{"session_id": '), "CreateSessionResponse"),  # not JSON
        (response_bytes(200, json.dumps({"session_id": SESSION_ID})), "CreateSessionResponse"),  # schema
        (response_bytes(200, ok(COMPLETED)[-200:]), "CreateSessionResponse"),
        (response_bytes(500, "<html>Internal Server Error</html>"), "create_session"),
        (response_bytes(404, json.dumps({"code": "no-such-code"})), "create_session"),
        (response_bytes(302, b"", headers={"Location": "https://example.invalid/"}), "create_session"),
        (
            response_bytes(200, CREATED.model_dump_json(), headers={"Content-Encoding": "gzip"}),
            "create_session",
        ),
    ],
    ids=["not-json", "wrong-schema", "garbage", "500-html", "unknown-code", "redirect", "gzip"],
)
def test_malformed_answers(
    make_client: MakeClient, server: ScriptedHttpsServer, answer: bytes, what: str
) -> None:
    with pytest.raises(MalformedBackendResponse) as caught:
        make_client(send(answer)).create_session()
    assert caught.value.what == what
    assert len(server.requests) == 1  # not retried, redirect not followed


def _head(*fields: str) -> bytes:
    lines = ["HTTP/1.1 200 OK", f"Date: {http_date()}", *fields]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


@pytest.mark.parametrize(
    ("answer", "detail"),
    [
        (_head("Content-Length: 5", "Content-Length: 7") + body_of(CREATED), "Content-Length"),
        (_head("Content-Length: 5", "Content-Length: 5") + b"{}{}{", "Content-Length"),
        (_head("Content-Length: \xb2") + b"{}", "Content-Length"),
        (_head("Content-Length: -1") + b"{}", "Content-Length"),
        (_head("Content-Length: 5", "Transfer-Encoding: chunked") + chunked(body_of(CREATED)), "both"),
    ],
    ids=["conflicting-lengths", "repeated-length", "unicode-digit", "negative", "length-and-chunked"],
)
def test_ambiguous_framing_is_malformed(make_client: MakeClient, answer: bytes, detail: str) -> None:
    with pytest.raises(MalformedBackendResponse, match=detail) as caught:
        make_client(send_and_close(answer)).create_session()
    assert caught.value.what == "create_session"


def test_body_ending_at_close_is_not_trusted(make_client: MakeClient) -> None:
    # Legal HTTP/1.1, but a cut anywhere would look complete; the backend always frames its answers.
    answer = _head() + body_of(CREATED)
    assert unavailable(make_client(send_and_close(answer))).stage == "dropped"


def test_redirect_is_named(make_client: MakeClient) -> None:
    client = make_client(send(response_bytes(307, b"", headers={"Location": "/v1/elsewhere"})))
    with pytest.raises(MalformedBackendResponse, match="unexpected HTTP 307"):
        client.complete(REQUEST_ID, COMPLETION)


# --- size bounds --------------------------------------------------------------------------------------------


def test_declared_length_over_the_bound_is_refused_before_reading(make_client: MakeClient) -> None:
    # The body never comes: reading it would end in a timeout, so "malformed" proves nothing was read.
    head_only = response_bytes(200, b"", content_length=10**9)
    with pytest.raises(MalformedBackendResponse, match=f"response larger than {MAX_BYTES} bytes") as caught:
        make_client(send(head_only)).create_session()
    assert caught.value.what == "create_session"


def test_chunked_body_over_the_bound_is_cut_off(make_client: MakeClient) -> None:
    big = chunked(b"x" * (MAX_BYTES * 4))
    answer = response_bytes(200, big, headers={"Transfer-Encoding": "chunked"})
    with pytest.raises(MalformedBackendResponse, match=f"response larger than {MAX_BYTES} bytes"):
        make_client(send(answer)).create_session()


def test_chunked_body_within_the_bound(make_client: MakeClient) -> None:
    answer = response_bytes(200, chunked(body_of(CREATED), chunk=7), headers={"Transfer-Encoding": "chunked"})
    assert make_client(send(answer)).create_session() == CREATED


# --- transport failures -------------------------------------------------------------------------------------


def unavailable(client: BackendClient) -> BackendUnavailableError:
    with pytest.raises(BackendUnavailableError) as caught:
        client.authenticate(SESSION_ID, AUTH_REQUEST)
    assert caught.value.operation == "authenticate"
    return caught.value


def test_body_shorter_than_content_length_is_a_drop(make_client: MakeClient) -> None:
    # urllib3 2 enforces Content-Length while streaming: the short body raises IncompleteRead (in a
    # ProtocolError) instead of ending quietly and reaching the JSON parser as "malformed".
    truncated = ok(AUTHENTICATED)[:-20]
    assert unavailable(make_client(send_and_close(truncated))).stage == "dropped"


def test_unfinished_chunked_body_is_a_drop(make_client: MakeClient) -> None:
    answer = response_bytes(
        200, chunked(body_of(AUTHENTICATED), finish=False), headers={"Transfer-Encoding": "chunked"}
    )
    assert unavailable(make_client(send_and_close(answer))).stage == "dropped"


def test_closed_before_any_answer_is_a_drop(make_client: MakeClient) -> None:
    assert unavailable(make_client(close())).stage == "dropped"


def test_closed_inside_the_headers_is_a_drop(make_client: MakeClient) -> None:
    assert unavailable(make_client(send_and_close(b"HTTP/1.1 200 OK\r\nDate: "))).stage == "dropped"


def test_answer_after_the_read_timeout(make_client: MakeClient) -> None:
    assert unavailable(make_client(pause(READ_TIMEOUT * 2, send(ok(AUTHENTICATED))))).stage == "timeout"


def test_drip_fed_body_is_cut_off_at_the_deadline(make_client: MakeClient) -> None:
    # Each byte comes well within the read timeout; only the per-attempt deadline can stop this.
    answer = ok(AUTHENTICATED)
    head_end = answer.index(b"\r\n\r\n") + 4
    progress: list[int] = []
    reaction = send_then(answer[:head_end], drip(answer[head_end:], every=0.05, progress=progress))
    assert unavailable(make_client(reaction)).stage == "timeout"
    assert len(progress) < len(answer) - head_end  # the client gave up; it did not wait for the whole body


def test_server_certificate_from_another_ca_is_a_tls_failure(pki: Pki, sleeps: list[float]) -> None:
    impostor = ScriptedHttpsServer(pki, impostor=True).start()
    try:
        impostor.script.append(send(ok(CREATED)))
        client = BackendClient(settings(pki, impostor.url), clock=FixedClock(SERVER_NOW), sleep=sleeps.append)
        with client, pytest.raises(BackendUnavailableError) as caught:
            client.create_session()
    finally:
        impostor.stop()
    assert caught.value.stage == "tls"
    assert impostor.requests == []  # nothing was sent to it
    assert sleeps == []  # a TLS failure is not retried


def test_terminal_certificate_the_server_does_not_trust_is_a_tls_failure(
    pki: Pki, server: ScriptedHttpsServer, sleeps: list[float]
) -> None:
    server.script.append(send(ok(CREATED)))
    untrusted = settings(
        pki, server.url, client_cert=str(pki.impostor_cert), client_key=str(pki.impostor_key)
    )
    client = BackendClient(untrusted, clock=FixedClock(SERVER_NOW), sleep=sleeps.append)
    with client, pytest.raises(BackendUnavailableError) as caught:
        client.create_session()
    assert caught.value.stage == "tls"
    assert server.requests == []
    assert sleeps == []


def test_nothing_listening_is_a_connect_failure(pki: Pki, sleeps: list[float]) -> None:
    with socket.create_server(("127.0.0.1", 0)) as placeholder:
        port = placeholder.getsockname()[1]
    client = BackendClient(
        settings(pki, f"https://127.0.0.1:{port}", retries=1),
        clock=FixedClock(SERVER_NOW),
        sleep=sleeps.append,
    )
    with client, pytest.raises(BackendUnavailableError) as caught:
        client.create_session()
    assert caught.value.stage == "connect"
    assert sleeps == [0.2]


# --- retries ------------------------------------------------------------------------------------------------


def test_request_document_is_repeated_after_a_drop(
    make_client: MakeClient, server: ScriptedHttpsServer, sleeps: list[float]
) -> None:
    client = make_client(close(), send_and_close(ok(DOCUMENT)[:100]), send(ok(DOCUMENT)))
    assert client.request_document(SESSION_ID, DOC_REQUEST) == DOCUMENT
    line = f"POST /v1/sessions/{SESSION_ID}/requests HTTP/1.1"
    assert [(r.request_line, r.body) for r in server.requests] == [(line, body_of(DOC_REQUEST))] * 3
    assert sleeps == [0.2, 0.4]


def test_complete_is_repeated_after_a_drop(
    make_client: MakeClient, server: ScriptedHttpsServer, sleeps: list[float]
) -> None:
    client = make_client(close(), send(ok(COMPLETED)))
    assert client.complete(REQUEST_ID, COMPLETION) == COMPLETED
    line = f"POST /v1/requests/{REQUEST_ID}/complete HTTP/1.1"
    assert [(r.request_line, r.body) for r in server.requests] == [(line, body_of(COMPLETION))] * 2
    assert sleeps == [0.2]


def test_retries_run_out(make_client: MakeClient, server: ScriptedHttpsServer, sleeps: list[float]) -> None:
    client = make_client(close(), close(), close())
    with pytest.raises(BackendUnavailableError) as caught:
        client.complete(REQUEST_ID, COMPLETION)
    assert caught.value.stage == "dropped"
    assert len(server.requests) == 3
    assert sleeps == [0.2, 0.4]


def test_unavailable_statuses_are_repeated(
    make_client: MakeClient, server: ScriptedHttpsServer, sleeps: list[float]
) -> None:
    client = make_client(
        send(response_bytes(503, "<html>busy</html>")),
        send(response_bytes(502, b"")),
        send(ok(DOCUMENT)),
    )
    assert client.request_document(SESSION_ID, DOC_REQUEST) == DOCUMENT
    assert len(server.requests) == 3
    assert sleeps == [0.2, 0.4]


def test_last_unavailable_status_is_reported(make_client: MakeClient, sleeps: list[float]) -> None:
    client = make_client(*[send(refusal(503, ErrorCode.INTERNAL))] * 2, retries=1)
    with pytest.raises(BackendRefusedError) as caught:
        client.create_session()
    assert (caught.value.status, caught.value.error_code) == (503, "internal")
    assert sleeps == [0.2]


def test_a_timeout_is_repeated(make_client: MakeClient, server: ScriptedHttpsServer) -> None:
    client = make_client(pause(READ_TIMEOUT * 2, send(ok(COMPLETED))), send(ok(COMPLETED)))
    assert client.complete(REQUEST_ID, COMPLETION) == COMPLETED
    assert len(server.requests) == 2


def test_authenticate_is_never_repeated(
    make_client: MakeClient, server: ScriptedHttpsServer, sleeps: list[float]
) -> None:
    client = make_client(close(), send(ok(AUTHENTICATED)))
    assert unavailable(client).stage == "dropped"
    assert len(server.requests) == 1
    assert len(server.script) == 1  # the answer to a repeat was never asked for
    assert sleeps == []


def test_authenticate_is_not_repeated_after_a_503(
    make_client: MakeClient, server: ScriptedHttpsServer, sleeps: list[float]
) -> None:
    client = make_client(send(refusal(503, ErrorCode.INTERNAL)), send(ok(AUTHENTICATED)))
    with pytest.raises(BackendRefusedError) as caught:
        client.authenticate(SESSION_ID, AUTH_REQUEST)
    assert caught.value.status == 503
    assert len(server.requests) == 1
    assert sleeps == []


def test_a_conflict_is_not_repeated(
    make_client: MakeClient, server: ScriptedHttpsServer, sleeps: list[float]
) -> None:
    client = make_client(send(refusal(409, ErrorCode.IDEMPOTENCY_CONFLICT)), send(ok(DOCUMENT)))
    with pytest.raises(BackendRefusedError) as caught:
        client.request_document(SESSION_ID, DOC_REQUEST)
    assert (caught.value.status, caught.value.error_code, caught.value.detail) == (
        409,
        "idempotency-conflict",
        None,
    )
    assert len(server.requests) == 1
    assert sleeps == []


# --- the Date header ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("offset", [30, -31, 0, -1])
def test_date_within_the_skew_is_accepted(make_client: MakeClient, offset: int) -> None:
    # 30 s is the default bound; a Date 31 s behind may be 30.x s behind the server's real clock.
    date = SERVER_NOW + timedelta(seconds=offset)
    assert make_client(send(ok(CREATED, date=date))).create_session() == CREATED


@pytest.mark.parametrize(("offset", "skew"), [(31, 31), (-33, 32), (3600, 3600)])
def test_date_beyond_the_skew_is_refused(
    make_client: MakeClient, sleeps: list[float], offset: int, skew: int
) -> None:
    date = SERVER_NOW + timedelta(seconds=offset)
    with pytest.raises(ClockSkewError) as caught:
        make_client(send(ok(COMPLETED, date=date))).complete(REQUEST_ID, COMPLETION)
    assert (caught.value.skew_seconds, caught.value.limit_seconds) == (skew, 30)
    assert sleeps == []


def test_skew_is_checked_on_error_answers_too(make_client: MakeClient) -> None:
    late = SERVER_NOW - timedelta(hours=1)
    with pytest.raises(ClockSkewError):
        make_client(send(refusal(404, ErrorCode.SESSION_NOT_FOUND, date=late))).create_session()


def test_skew_bound_comes_from_the_settings(make_client: MakeClient) -> None:
    date = SERVER_NOW + timedelta(seconds=10)
    with pytest.raises(ClockSkewError) as caught:
        make_client(send(ok(CREATED, date=date)), max_clock_skew_seconds=5).create_session()
    assert (caught.value.skew_seconds, caught.value.limit_seconds) == (10, 5)


@pytest.mark.parametrize("date", [None, "yesterday", "Mon, 23 Nov 2026 03:00:00 -0000", ""])
def test_missing_or_unreadable_date(make_client: MakeClient, date: str | None) -> None:
    with pytest.raises(MalformedBackendResponse, match="Date header") as caught:
        make_client(send(ok(CREATED, date=date))).create_session()
    assert caught.value.what == "create_session"


# --- logging ------------------------------------------------------------------------------------------------


def test_logs_name_the_call_not_the_content(
    make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="kiosk.backend.http")
    client = make_client(send(ok(CREATED)), send(refusal(403, ErrorCode.REFUSED, "moved-out")), close())
    client.create_session()
    with pytest.raises(BackendRefusedError):
        client.authenticate(SESSION_ID, AUTH_REQUEST)
    with pytest.raises(BackendUnavailableError):
        client.authenticate(SESSION_ID, AUTH_REQUEST)
    ours = [r.getMessage() for r in caplog.records if r.name == "kiosk.backend.http"]
    assert [line.rsplit(",", 1)[0] for line in ours] == [
        "create_session attempt 1: HTTP 200, ok",
        "authenticate attempt 1: HTTP 403, refused",
        "authenticate attempt 1: HTTP -, dropped",
    ]
    for secret in (SESSION_ID, CREATED.model_dump_json()[20:60], "moved-out"):
        assert not any(secret in line for line in ours)
