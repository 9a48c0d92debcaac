"""Mutual TLS for the reference backend on uvicorn, and the terminal's client certificate for the app.

uvicorn verifies client certificates (``ssl_cert_reqs=CERT_REQUIRED``) but does not pass them to the app
(Kludex/uvicorn#400, #745; PR #3132 open). `ClientCertificateH11Protocol` fills that gap the way the ASGI TLS
extension specifies (https://asgi.readthedocs.io/en/latest/specs/tls.html): ``scope["extensions"]["tls"]``
with ``client_cert_chain`` (PEM, leaf first), ``client_cert_name``, ``tls_version`` and ``cipher_suite``.
When uvicorn implements the extension itself, this protocol class can be dropped and the app keeps working.

How: uvicorn's H11Protocol is created once per connection and calls ``self.app`` for each request on it.
After the TLS handshake (asyncio calls ``connection_made`` only then), the subclass reads the verified peer
certificate once and replaces its own ``self.app`` with a wrapper that adds the extension to each scope.
Nothing else of uvicorn is overridden.
"""

from __future__ import annotations

import asyncio
import ssl
import threading
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import TYPE_CHECKING, Any, cast

import uvicorn
from cryptography import x509
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from kiosk.errors import KioskError
from municipal.pki import BackendPki

if TYPE_CHECKING:
    import socket

    from uvicorn._types import ASGI3Application

__all__ = [
    "AsgiApp",
    "ClientCertificateH11Protocol",
    "ClientCertificateHttpToolsProtocol",
    "ServerStartupError",
    "backend_config",
    "client_certificate_der",
    "serve",
    "tls_extension",
]

# The ASGI callable shapes, as Starlette spells them, so a FastAPI app is an AsgiApp.
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
AsgiApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# TLS record-layer version numbers the extension reports (RFC 8446 4.1.2 and earlier RFCs).
_TLS_VERSIONS = {"TLSv1.2": 0x0303, "TLSv1.3": 0x0304}


class ServerStartupError(KioskError):
    """uvicorn could not start listening (address in use, unreadable certificate, ...); details are logged."""

    code = "backend-server-startup"
    reported = ("host", "port")

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        super().__init__(f"the backend could not start listening on {host} port {port}")


# --------------------------------------------------------------------------------------------- protocol


class ClientCertificateH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, plus the ASGI TLS extension carrying the verified client certificate."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        _prepare_connection(self, transport)


class ClientCertificateHttpToolsProtocol(HttpToolsProtocol):
    """The same for uvicorn's httptools protocol (C parser: the default, measured faster in benchmarks/)."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        _prepare_connection(self, transport)


def _prepare_connection(protocol: H11Protocol | HttpToolsProtocol, transport: asyncio.Transport) -> None:
    # uvicorn decides per connection from whether "uvicorn.access" has handlers, which logging set up
    # later could add: the backend never writes access lines (client addresses, paths with session ids).
    protocol.access_log = False
    tls = tls_extension(transport)
    if tls is not None:
        wrapped = _with_tls_extension(cast("AsgiApp", protocol.app), tls)
        protocol.app = cast("ASGI3Application", wrapped)


def tls_extension(transport: asyncio.BaseTransport) -> dict[str, object] | None:
    """The extension's value for this connection, or None when it is not TLS (the spec forbids it then)."""
    ssl_object = transport.get_extra_info("ssl_object")
    if not isinstance(ssl_object, ssl.SSLObject | ssl.SSLSocket):
        return None
    der = ssl_object.getpeercert(binary_form=True)
    chain: list[str] = []
    name: str | None = None
    if der:
        chain.append(ssl.DER_cert_to_PEM_cert(der))
        name = x509.load_der_x509_certificate(der).subject.rfc4514_string()
    version = ssl_object.version()
    return {
        "server_cert": None,  # Python's ssl does not expose our own certificate; the spec allows None
        "client_cert_chain": chain,  # the leaf only: Python 3.11 does not expose the peer's chain
        "client_cert_name": name,
        "client_cert_error": None,  # CERT_REQUIRED: a certificate that failed verification never gets here
        "tls_version": _TLS_VERSIONS.get(version) if version is not None else None,
        "cipher_suite": _cipher_suite(ssl_object),
    }


def _cipher_suite(ssl_object: ssl.SSLObject | ssl.SSLSocket) -> int | None:
    # SSLObject.cipher() gives OpenSSL's name; the context's cipher list maps names to ids whose low 16 bits
    # are the IANA code point the spec asks for.
    current = ssl_object.cipher()
    if current is None:
        return None
    for cipher in ssl_object.context.get_ciphers():
        if cipher["name"] == current[0]:
            return int(cipher["id"]) & 0xFFFF
    return None


def _with_tls_extension(app: AsgiApp, tls: Mapping[str, object]) -> AsgiApp:
    async def app_with_tls(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            extensions = dict(scope.get("extensions") or {})
            # Fresh copies per request, so an app that edits its scope cannot change the next request's.
            extensions.setdefault("tls", {**tls, "client_cert_chain": list(_chain(tls))})
            scope = {**scope, "extensions": extensions}
        await app(scope, receive, send)

    return app_with_tls


def _chain(tls: Mapping[str, object]) -> list[str]:
    chain = tls.get("client_cert_chain")
    if not isinstance(chain, list | tuple):
        return []
    return [str(item) for item in chain]


def client_certificate_der(scope: Mapping[str, Any]) -> bytes | None:
    """The client's verified certificate (DER) from the ASGI TLS extension, or None if there is none."""
    extensions = scope.get("extensions")
    tls = extensions.get("tls") if isinstance(extensions, Mapping) else None
    if not isinstance(tls, Mapping):
        return None
    chain = _chain(tls)
    if not chain:
        return None
    try:
        return ssl.PEM_cert_to_DER_cert(chain[0])
    except ValueError:
        return None


# --------------------------------------------------------------------------------------------- server


def backend_config(
    app: AsgiApp, *, pki: BackendPki, host: str, port: int, parser: str = "httptools"
) -> uvicorn.Config:
    """uvicorn settings for the backend: mutual TLS against the deployment CA, quiet logs, no extras.

    `parser` is "httptools" (C, the default) or "h11" (pure Python); both carry the client certificate.
    """
    protocol = ClientCertificateHttpToolsProtocol if parser == "httptools" else ClientCertificateH11Protocol
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=protocol,
        ws="none",  # WebSocket upgrades would bypass the protocol that adds the client certificate
        lifespan="auto",
        ssl_certfile=pki.server_cert,
        ssl_keyfile=pki.server_key,
        ssl_ca_certs=pki.deployment_ca_cert,
        ssl_cert_reqs=ssl.CERT_REQUIRED,
        ssl_context_factory=_tls12_or_newer,
        # No reverse proxy: X-Forwarded-* headers from a client must never rewrite the client address.
        proxy_headers=False,
        server_header=False,
        date_header=True,  # kiosks compare it with their clock (ClockSkewError)
        log_config=None,  # leave the process's logging alone
        access_log=False,
        timeout_graceful_shutdown=5,
    )


def _tls12_or_newer(config: uvicorn.Config, default: Callable[[], ssl.SSLContext]) -> ssl.SSLContext:
    context = default()
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


class _Server(uvicorn.Server):
    """uvicorn's server, reporting the bound port once listening and stopping when `stop` is set."""

    def __init__(
        self,
        config: uvicorn.Config,
        *,
        on_ready: Callable[[int], None] | None,
        stop: threading.Event | None,
    ) -> None:
        super().__init__(config)
        self._on_ready = on_ready
        self._stop = stop

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started and self._on_ready is not None:
            listening = self.servers[0].sockets[0]
            self._on_ready(int(listening.getsockname()[1]))

    async def on_tick(self, counter: int) -> bool:
        # uvicorn polls this every 0.1 s; a threading.Event is the one stop signal that works from any thread.
        if self._stop is not None and self._stop.is_set():
            self.should_exit = True
        return await super().on_tick(counter)


def serve(
    app: AsgiApp,
    *,
    pki: BackendPki,
    host: str,
    port: int,
    sock: socket.socket | None = None,
    on_ready: Callable[[int], None] | None = None,
    stop: threading.Event | None = None,
) -> None:
    """Serve `app` over mutual TLS until `stop` is set (or SIGINT/SIGTERM when run in the main thread).

    `port=0` picks a free port; `on_ready` receives the real one once the socket listens. With `sock`, that
    already bound socket is used instead of `host` and `port` (and closed when the server stops).
    """
    server = _Server(backend_config(app, pki=pki, host=host, port=port), on_ready=on_ready, stop=stop)
    try:
        server.run(sockets=[sock] if sock is not None else None)
    except SystemExit:
        # uvicorn calls sys.exit() when it cannot bind; in a thread that would vanish without a trace.
        raise ServerStartupError(host, port) from None
