"""`BackendClient.health()` and the staff screen's backend probe, against the scripted HTTPS server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest

from kiosk.backend.api import ErrorCode, ErrorResponse
from kiosk.backend.http import BackendClient, BackendHealth
from kiosk.clock import FixedClock
from kiosk.errors import BackendRefusedError, BackendUnavailableError, MalformedBackendResponse
from kiosk.staff import BackendStatus, backend_probe_for
from tests.unit.backend.scripted_https import (
    SERVER_NOW,
    Pki,
    ScriptedHttpsServer,
    close,
    make_pki,
    response_bytes,
    send,
)
from tests.unit.backend.test_http import settings


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("health-pki"))


@pytest.fixture
def server(pki: Pki) -> Iterator[ScriptedHttpsServer]:
    running = ScriptedHttpsServer(pki).start()
    yield running
    running.stop()


def health_body(offset: timedelta = timedelta(0)) -> bytes:
    return json.dumps({"status": "ok", "time": (SERVER_NOW + offset).isoformat()}).encode()


@pytest.fixture
def client(pki: Pki, server: ScriptedHttpsServer) -> Iterator[BackendClient]:
    with BackendClient(settings(pki, server.url), clock=FixedClock(SERVER_NOW)) as made:
        yield made


def test_health_is_one_get_and_measures_the_skew(client: BackendClient, server: ScriptedHttpsServer) -> None:
    server.script.append(send(response_bytes(200, health_body(timedelta(seconds=-2.5)))))
    assert client.health() == BackendHealth(
        server_time=SERVER_NOW - timedelta(seconds=2.5), skew_seconds=2.5, limit_seconds=30
    )
    (request,) = server.requests
    assert request.request_line == "GET /v1/health HTTP/1.1"
    assert request.body == b"" and "content-type" not in request.headers
    assert server.client_subjects == ["CN=T0001"]


def test_a_skew_over_the_limit_is_measured_not_raised(
    client: BackendClient, server: ScriptedHttpsServer
) -> None:
    # Both the Date header and the body are 10 minutes behind: a transaction call would be refused.
    late = SERVER_NOW - timedelta(minutes=10)
    server.script.append(send(response_bytes(200, health_body(-timedelta(minutes=10)), date=late)))
    health = client.health()
    assert (health.skew_seconds, health.within_limit) == (600.0, False)


def test_health_still_needs_a_date_header(client: BackendClient, server: ScriptedHttpsServer) -> None:
    server.script.append(send(response_bytes(200, health_body(), date=None)))
    with pytest.raises(MalformedBackendResponse):
        client.health()


def test_health_is_not_retried(pki: Pki, server: ScriptedHttpsServer) -> None:
    server.script.append(send(response_bytes(503, b"")))
    server.script.append(send(response_bytes(200, health_body())))
    client = BackendClient(settings(pki, server.url, retries=2), clock=FixedClock(SERVER_NOW))
    with client, pytest.raises(MalformedBackendResponse):
        client.health()
    assert len(server.requests) == 1


def test_an_unknown_terminal_is_refused(client: BackendClient, server: ScriptedHttpsServer) -> None:
    body = ErrorResponse(code=ErrorCode.UNKNOWN_TERMINAL).model_dump_json()
    server.script.append(send(response_bytes(403, body)))
    with pytest.raises(BackendRefusedError) as caught:
        client.health()
    assert (caught.value.operation, caught.value.error_code) == ("health", "unknown-terminal")


@pytest.mark.parametrize(
    "body",
    [b'{"status": "ok"}', b'{"status": "down", "time": "2026-11-24T03:00:00+00:00"}', b'{"time": 1}'],
)
def test_a_malformed_health_answer(client: BackendClient, server: ScriptedHttpsServer, body: bytes) -> None:
    server.script.append(send(response_bytes(200, body)))
    with pytest.raises(MalformedBackendResponse):
        client.health()


def test_probe_reports_reachable_and_skew(pki: Pki, server: ScriptedHttpsServer) -> None:
    server.script.append(send(response_bytes(200, health_body(timedelta(seconds=1)))))
    probe = backend_probe_for(settings(pki, server.url), FixedClock(SERVER_NOW))
    assert probe() == BackendStatus(reachable=True, clock_skew_seconds=-1.0, error=None)


def test_probe_reports_an_untrusted_clock(pki: Pki, server: ScriptedHttpsServer) -> None:
    server.script.append(send(response_bytes(200, health_body(timedelta(seconds=45)))))
    probe = backend_probe_for(settings(pki, server.url), FixedClock(SERVER_NOW))
    assert probe() == BackendStatus(reachable=True, clock_skew_seconds=-45.0, error="clock-untrusted")


def test_probe_lets_an_unreachable_backend_raise(pki: Pki, server: ScriptedHttpsServer) -> None:
    # gather_staff_status turns this into the snapshot's error code (tests/unit/test_staff.py).
    server.script.append(close())
    probe = backend_probe_for(settings(pki, server.url), FixedClock(SERVER_NOW))
    with pytest.raises(BackendUnavailableError):
        probe()
