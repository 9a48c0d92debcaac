"""Mutual TLS through the real uvicorn server on 127.0.0.1 (port 0), with a tiny echoing ASGI app."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import queue
import socket
import ssl
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from municipal.pki import BackendPki, TerminalCredentials, create_backend_pki, issue_terminal_certificate
from municipal.tls import (
    AsgiApp,
    ServerStartupError,
    _with_tls_extension,
    backend_config,
    client_certificate_der,
    serve,
    tls_extension,
)

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
HOST = "127.0.0.1"
TIMEOUT = 10.0


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> BackendPki:
    pki = create_backend_pki(tmp_path_factory.mktemp("pki"), now=NOW)
    issue_terminal_certificate(pki, "kiosk-001", now=NOW)
    issue_terminal_certificate(pki, "kiosk-002", now=NOW)
    return pki


@pytest.fixture(scope="module")
def foreign_pki(tmp_path_factory: pytest.TempPathFactory) -> BackendPki:
    """Another deployment: its terminal certificates must mean nothing to `pki`'s server."""
    pki = create_backend_pki(tmp_path_factory.mktemp("other-pki"), now=NOW)
    issue_terminal_certificate(pki, "kiosk-001", now=NOW)
    return pki


def credentials(pki: BackendPki, terminal_id: str) -> TerminalCredentials:
    cert_path = pki.terminal_cert(terminal_id)
    der = ssl.PEM_cert_to_DER_cert(cert_path.read_text())
    key_path = pki.terminal_key(terminal_id)
    return TerminalCredentials(terminal_id, cert_path, key_path, hashlib.sha256(der).hexdigest())


async def echo_app(scope: Any, receive: Any, send: Any) -> None:
    """Answers every request with what it learned about the client certificate."""
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    der = client_certificate_der(scope)
    tls = scope.get("extensions", {}).get("tls", {})
    body = json.dumps(
        {
            "sha256": hashlib.sha256(der).hexdigest() if der is not None else None,
            "name": tls.get("client_cert_name"),
            "tls_version": tls.get("tls_version"),
            "cipher_suite": tls.get("cipher_suite"),
            "chain_length": len(tls.get("client_cert_chain", [])),
        }
    ).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


@contextlib.contextmanager
def running(pki: BackendPki, app: AsgiApp = echo_app, sock: socket.socket | None = None) -> Iterator[int]:
    """Serve in a thread; yields the bound port; always stops and joins the thread."""
    ready: queue.Queue[int] = queue.Queue()
    stop = threading.Event()
    failures: list[BaseException] = []

    def run() -> None:
        try:
            serve(app, pki=pki, host=HOST, port=0, sock=sock, on_ready=ready.put, stop=stop)
        except BaseException as error:  # surfaced in the test below
            failures.append(error)

    thread = threading.Thread(target=run, name="test-backend", daemon=True)
    thread.start()
    try:
        port = _wait_ready(ready, thread)
        assert not failures, failures
        yield port
    finally:
        stop.set()
        thread.join(timeout=TIMEOUT)
        assert not thread.is_alive(), "the server did not stop"
    assert not failures, failures


def _wait_ready(ready: queue.Queue[int], thread: threading.Thread) -> int:
    for _ in range(int(TIMEOUT / 0.05)):
        with contextlib.suppress(queue.Empty):
            return ready.get(timeout=0.05)
        if not thread.is_alive():
            raise AssertionError("the server thread ended before listening")
    raise AssertionError("the server did not start listening")


def session(pki: BackendPki, cert: tuple[Path, Path] | None) -> requests.Session:
    """A session that ignores the environment: REQUESTS_CA_BUNDLE would otherwise replace session.verify
    (psf/requests#3829), and a proxy variable must never take loopback traffic elsewhere."""
    client = requests.Session()
    client.trust_env = False
    client.verify = str(pki.deployment_ca_cert)
    client.cert = (str(cert[0]), str(cert[1])) if cert is not None else None
    return client


def get(port: int, pki: BackendPki, cert: tuple[Path, Path] | None) -> dict[str, Any]:
    with session(pki, cert) as client:
        response = client.get(f"https://{HOST}:{port}/v1/anything", timeout=TIMEOUT)
    response.raise_for_status()
    result: dict[str, Any] = response.json()
    return result


# --------------------------------------------------------------------------------------------- the handshake


def test_the_app_sees_exactly_the_terminal_certificate(pki: BackendPki) -> None:
    one = credentials(pki, "kiosk-001")
    two = credentials(pki, "kiosk-002")
    with running(pki) as port:
        seen_one = get(port, pki, (one.cert_path, one.key_path))
        seen_two = get(port, pki, (two.cert_path, two.key_path))
    assert seen_one["sha256"] == one.certificate_sha256
    assert seen_two["sha256"] == two.certificate_sha256
    assert seen_one["name"].startswith("CN=kiosk-001,")
    assert seen_one["chain_length"] == 1
    assert seen_one["tls_version"] in (0x0303, 0x0304)
    assert isinstance(seen_one["cipher_suite"], int)


def test_every_request_on_a_kept_alive_connection_carries_the_certificate(pki: BackendPki) -> None:
    one = credentials(pki, "kiosk-001")
    with running(pki) as port, session(pki, (one.cert_path, one.key_path)) as client:
        answers = [client.get(f"https://{HOST}:{port}/{n}", timeout=TIMEOUT).json() for n in range(3)]
    assert [answer["sha256"] for answer in answers] == [one.certificate_sha256] * 3


def _refused(pki: BackendPki, foreign_pki: BackendPki) -> dict[str, tuple[Path, Path] | None]:
    return {
        "none": None,
        # Chains to the same CA but is serverAuth only: it must not open a session as a terminal.
        "server-cert": (pki.server_cert, pki.server_key),
        "foreign-ca": (foreign_pki.terminal_cert("kiosk-001"), foreign_pki.terminal_key("kiosk-001")),
    }


@pytest.mark.parametrize("case", ["none", "server-cert", "foreign-ca"])
def test_refused_at_the_handshake(pki: BackendPki, foreign_pki: BackendPki, case: str) -> None:
    cert = _refused(pki, foreign_pki)[case]
    requests_seen: list[object] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            requests_seen.append(scope)
        await echo_app(scope, receive, send)

    with running(pki, app=app) as port:
        # TLS 1.3: the client finishes its side of the handshake first, so the refusal arrives as a closed
        # connection when it reads the response; requests raises ConnectionError (SSLError is one too).
        with pytest.raises(requests.exceptions.ConnectionError):
            get(port, pki, cert)
        # TLS 1.2: the handshake itself fails.
        context = ssl.create_default_context(cafile=str(pki.deployment_ca_cert))
        context.maximum_version = ssl.TLSVersion.TLSv1_2
        if cert is not None:
            context.load_cert_chain(cert[0], cert[1])
        with (
            socket.create_connection((HOST, port), timeout=TIMEOUT) as raw,
            pytest.raises(ssl.SSLError),
            context.wrap_socket(raw, server_hostname=HOST),
        ):
            pass
    assert requests_seen == []


def test_tls_1_2_works_and_is_reported(pki: BackendPki) -> None:
    one = credentials(pki, "kiosk-001")
    context = ssl.create_default_context(cafile=str(pki.deployment_ca_cert))
    context.load_cert_chain(one.cert_path, one.key_path)
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    with running(pki) as port:
        with (
            socket.create_connection((HOST, port), timeout=TIMEOUT) as raw,
            context.wrap_socket(raw, server_hostname=HOST) as tls,
        ):
            tls.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            response = b""
            while chunk := tls.recv(65536):
                response += chunk
            negotiated = tls.cipher()
        assert negotiated is not None
    head, _, body = response.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200")
    assert b"\r\nserver:" not in head.lower()
    assert b"\r\ndate:" in head.lower()
    seen = json.loads(body)
    assert seen["sha256"] == one.certificate_sha256
    assert seen["tls_version"] == 0x0303
    ids = {cipher["name"]: cipher["id"] & 0xFFFF for cipher in context.get_ciphers()}
    assert seen["cipher_suite"] == ids[negotiated[0]]


def test_config_requires_client_certificates_and_tls_1_2(pki: BackendPki) -> None:
    config = backend_config(echo_app, pki=pki, host=HOST, port=0)
    config.load()
    assert config.ssl is not None
    assert config.ssl.verify_mode == ssl.CERT_REQUIRED
    assert config.ssl.minimum_version >= ssl.TLSVersion.TLSv1_2
    assert config.proxy_headers is False


# --------------------------------------------------------------------------------------------- the server


def test_stop_closes_the_port(pki: BackendPki) -> None:
    with running(pki) as port:
        pass
    with pytest.raises(OSError), socket.create_connection((HOST, port), timeout=TIMEOUT):
        pass


def test_serves_on_a_given_socket(pki: BackendPki) -> None:
    one = credentials(pki, "kiosk-001")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((HOST, 0))
    bound = sock.getsockname()[1]
    with running(pki, sock=sock) as port:
        assert port == bound
        assert get(port, pki, (one.cert_path, one.key_path))["sha256"] == one.certificate_sha256


def test_a_taken_port_is_a_typed_error(pki: BackendPki) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind((HOST, 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ServerStartupError) as caught:
            serve(echo_app, pki=pki, host=HOST, port=port, stop=threading.Event())
    assert caught.value.to_dict()["port"] == port


def test_no_access_log_even_if_logging_adds_a_handler(pki: BackendPki) -> None:
    one = credentials(pki, "kiosk-001")
    records: list[logging.LogRecord] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    access = logging.getLogger("uvicorn.access")
    handler = Collect(level=logging.DEBUG)
    with running(pki) as port:
        access.addHandler(handler)
        try:
            get(port, pki, (one.cert_path, one.key_path))
        finally:
            access.removeHandler(handler)
    assert records == []


# --------------------------------------------------------------------------------------------- the scope


def test_client_certificate_der_reads_the_extension(pki: BackendPki) -> None:
    pem = pki.terminal_cert("kiosk-001").read_text()
    der = ssl.PEM_cert_to_DER_cert(pem)
    assert client_certificate_der({"extensions": {"tls": {"client_cert_chain": [pem]}}}) == der
    assert client_certificate_der({"extensions": {"tls": {"client_cert_chain": (pem,)}}}) == der


@pytest.mark.parametrize(
    "scope",
    [
        {},
        {"extensions": None},
        {"extensions": {}},
        {"extensions": {"tls": None}},
        {"extensions": {"tls": {}}},
        {"extensions": {"tls": {"client_cert_chain": []}}},
        {"extensions": {"tls": {"client_cert_chain": "-----BEGIN CERTIFICATE-----"}}},
        {"extensions": {"tls": {"client_cert_chain": ["not a certificate"]}}},
    ],
)
def test_no_certificate_in_the_scope(scope: dict[str, Any]) -> None:
    assert client_certificate_der(scope) is None


class PlainTransport:
    def get_extra_info(self, name: str, default: object = None) -> object:
        return default


def test_no_extension_without_tls() -> None:
    assert tls_extension(PlainTransport()) is None  # type: ignore[arg-type]


def _call(app: AsgiApp, scope: dict[str, Any]) -> None:
    asyncio.run(app(scope, None, None))  # type: ignore[arg-type]


def _recording() -> tuple[AsgiApp, list[Any]]:
    seen: list[Any] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen.append(scope)
        # An app that edits its scope must not change what the next request on the connection sees.
        tls = scope.get("extensions", {}).get("tls")
        if tls is not None:
            tls["client_cert_chain"].append("edited")

    return app, seen


@pytest.mark.parametrize("scope_type", ["http", "websocket"])
def test_the_wrapper_adds_the_extension_to_each_request(scope_type: str) -> None:
    app, seen = _recording()
    tls = {"client_cert_chain": ["PEM"], "client_cert_name": "CN=x"}
    wrapped = _with_tls_extension(app, tls)
    original: dict[str, Any] = {"type": scope_type, "extensions": {"http.response.trailers": {}}}
    _call(wrapped, original)
    _call(wrapped, original)
    assert seen[1]["extensions"] == {
        "http.response.trailers": {},
        "tls": {"client_cert_chain": ["PEM", "edited"], "client_cert_name": "CN=x"},
    }
    assert original == {"type": scope_type, "extensions": {"http.response.trailers": {}}}
    assert tls == {"client_cert_chain": ["PEM"], "client_cert_name": "CN=x"}


def test_the_wrapper_leaves_other_scopes_and_a_server_provided_extension_alone() -> None:
    app, seen = _recording()
    wrapped = _with_tls_extension(app, {"client_cert_chain": ["PEM"]})
    _call(wrapped, {"type": "lifespan"})
    # Once uvicorn provides the extension itself, its value wins.
    _call(wrapped, {"type": "http", "extensions": {"tls": {"client_cert_chain": []}}})
    assert seen[0] == {"type": "lifespan"}
    assert seen[1]["extensions"]["tls"] == {"client_cert_chain": ["edited"]}
