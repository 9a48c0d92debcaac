"""`GET /v1/health` of the reference backend over the real uvicorn server and mutual TLS on 127.0.0.1, asked
by the kiosk's own `BackendClient.health()` and by the staff screen's backend probe."""

from __future__ import annotations

import hashlib
import ssl
from datetime import UTC, datetime
from typing import Any, cast

import pytest
import requests

from kiosk.backend.api import ErrorCode
from kiosk.backend.http import BackendClient
from kiosk.clock import FixedClock
from kiosk.errors import BackendRefusedError
from kiosk.settings import BackendSettings
from kiosk.staff import BackendStatus, backend_probe_for
from municipal.app import create_app
from municipal.pki import BackendPki, create_backend_pki, issue_terminal_certificate
from municipal.service import ApiError, IssuanceService
from tests.unit.municipal.test_tls import HOST, NOW, TIMEOUT, running

BACKEND_NOW = datetime(2026, 11, 23, 3, 0, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> BackendPki:
    made = create_backend_pki(tmp_path_factory.mktemp("health-pki"), now=NOW)
    issue_terminal_certificate(made, "kiosk-001", now=NOW)
    issue_terminal_certificate(made, "kiosk-002", now=NOW)  # never registered with the backend
    return made


class TerminalsOnly:
    """The one IssuanceService method the health route uses: terminals by certificate fingerprint."""

    def __init__(self, pki: BackendPki, *registered: str) -> None:
        self.known = {_fingerprint(pki, terminal): terminal for terminal in registered}
        self.asked: list[str] = []

    def terminal_for_certificate(self, der: bytes | None) -> str:
        fingerprint = hashlib.sha256(der or b"").hexdigest()
        self.asked.append(fingerprint)
        if der is None or fingerprint not in self.known:
            raise ApiError(403, ErrorCode.UNKNOWN_TERMINAL)
        return self.known[fingerprint]


def _fingerprint(pki: BackendPki, terminal_id: str) -> str:
    return hashlib.sha256(ssl.PEM_cert_to_DER_cert(pki.terminal_cert(terminal_id).read_text())).hexdigest()


def app_for(service: TerminalsOnly) -> Any:
    return create_app(cast(IssuanceService, service), max_body_bytes=65536, clock=FixedClock(BACKEND_NOW))


def backend_settings(pki: BackendPki, port: int, terminal_id: str) -> BackendSettings:
    return BackendSettings.model_validate(
        {
            "url": f"https://{HOST}:{port}",
            "ca_file": str(pki.deployment_ca_cert),
            "client_cert": str(pki.terminal_cert(terminal_id)),
            "client_key": str(pki.terminal_key(terminal_id)),
        }
    )


def test_health_answers_a_registered_terminal(pki: BackendPki) -> None:
    service = TerminalsOnly(pki, "kiosk-001")
    with running(pki, app_for(service)) as port, requests.Session() as client:
        client.trust_env = False
        response = client.get(
            f"https://{HOST}:{port}/v1/health",
            verify=str(pki.deployment_ca_cert),
            cert=(str(pki.terminal_cert("kiosk-001")), str(pki.terminal_key("kiosk-001"))),
            timeout=TIMEOUT,
        )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert "date" in response.headers
    assert response.json() == {"status": "ok", "time": "2026-11-23T03:00:30+00:00"}
    assert service.asked == [_fingerprint(pki, "kiosk-001")]


def test_the_kiosk_client_measures_its_skew(pki: BackendPki) -> None:
    # The terminal's clock is 30 s behind the backend's: within the default limit.
    with running(pki, app_for(TerminalsOnly(pki, "kiosk-001"))) as port:
        client = BackendClient(backend_settings(pki, port, "kiosk-001"), clock=FixedClock(NOW))
        with client:
            health = client.health()
    assert health.server_time == BACKEND_NOW
    assert (health.skew_seconds, health.within_limit) == (-30.0, True)


def test_the_staff_probe_over_the_real_server(pki: BackendPki) -> None:
    with running(pki, app_for(TerminalsOnly(pki, "kiosk-001"))) as port:
        status = backend_probe_for(backend_settings(pki, port, "kiosk-001"), FixedClock(NOW))()
    assert status == BackendStatus(reachable=True, clock_skew_seconds=-30.0, error=None)


def test_an_unregistered_terminal_is_refused(pki: BackendPki) -> None:
    with running(pki, app_for(TerminalsOnly(pki, "kiosk-001"))) as port:
        client = BackendClient(backend_settings(pki, port, "kiosk-002"), clock=FixedClock(NOW))
        with client, pytest.raises(BackendRefusedError) as caught:
            client.health()
    assert (caught.value.status, caught.value.error_code) == (403, "unknown-terminal")


def test_health_is_in_the_openapi_document(pki: BackendPki) -> None:
    schema = app_for(TerminalsOnly(pki)).openapi()
    assert "get" in schema["paths"]["/v1/health"]
