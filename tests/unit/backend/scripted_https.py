"""A scripted HTTPS server on 127.0.0.1 for the backend client's tests, and the test PKI it needs.

The server requires a client certificate from the test CA, records every request exactly as it arrived
(request line, headers, body) and answers each one with the next reaction of its script: bytes, bytes then
a close, a pause, a close without answer, a slow drip. Connections are kept open between requests unless a
reaction closes them, so keep-alive is exercised too.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

#: The instant every scripted answer is dated with; tests give the client a FixedClock at it.
SERVER_NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)

# OpenSSL checks validity against the machine's real clock, so the window is wide instead of "now ± n".
_NOT_BEFORE = datetime(2020, 1, 1, tzinfo=UTC)
_NOT_AFTER = datetime(2099, 12, 31, tzinfo=UTC)


# ---------------------------------------------------------------------------------------------------------
# Test PKI


@dataclass(frozen=True)
class Pki:
    """PEM files: the pinned CA, a server cert for 127.0.0.1 and a terminal cert from it, and an impostor."""

    ca_file: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path
    impostor_cert: Path  # a server cert for 127.0.0.1 from another CA
    impostor_key: Path


def make_pki(directory: Path) -> Pki:
    ca_key, ca_cert = _make_ca("Test Deployment CA")
    other_key, other_cert = _make_ca("Impostor CA")
    server_key, server_cert = _make_leaf(ca_key, ca_cert, "127.0.0.1", server=True)
    client_key, client_cert = _make_leaf(ca_key, ca_cert, "T0001", server=False)
    impostor_key, impostor_cert = _make_leaf(other_key, other_cert, "127.0.0.1", server=True)
    files = {
        "ca_file": _write(directory / "ca.pem", _cert_pem(ca_cert)),
        "server_cert": _write(directory / "server.pem", _cert_pem(server_cert)),
        "server_key": _write(directory / "server_key.pem", _key_pem(server_key)),
        "client_cert": _write(directory / "terminal.pem", _cert_pem(client_cert)),
        "client_key": _write(directory / "terminal_key.pem", _key_pem(client_key)),
        "impostor_cert": _write(directory / "impostor.pem", _cert_pem(impostor_cert)),
        "impostor_key": _write(directory / "impostor_key.pem", _key_pem(impostor_key)),
    }
    return Pki(**files)


def _make_ca(name: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    certificate = (
        _builder(subject, subject, key.public_key())
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def _make_leaf(
    ca_key: ec.EllipticCurvePrivateKey, ca_cert: x509.Certificate, name: str, *, server: bool
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    purpose = ExtendedKeyUsageOID.SERVER_AUTH if server else ExtendedKeyUsageOID.CLIENT_AUTH
    builder = (
        _builder(subject, ca_cert.subject, key.public_key())
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(cert_sign=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([purpose]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
    )
    if server:
        alt_name = x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(name))])
        builder = builder.add_extension(alt_name, critical=False)
    return key, builder.sign(ca_key, hashes.SHA256())


def _builder(
    subject: x509.Name, issuer: x509.Name, public_key: ec.EllipticCurvePublicKey
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(_NOT_BEFORE)
        .not_valid_after(_NOT_AFTER)
    )


def _usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _cert_pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# ---------------------------------------------------------------------------------------------------------
# Responses and reactions


def http_date(instant: datetime = SERVER_NOW) -> str:
    return format_datetime(instant.astimezone(UTC), usegmt=True)


def response_bytes(
    status: int,
    body: bytes | str = b"",
    *,
    reason: str = "Whatever",
    date: datetime | str | None = SERVER_NOW,
    headers: dict[str, str] | None = None,
    content_length: int | None = None,
) -> bytes:
    """A full HTTP/1.1 answer; `date=None` leaves Date out, `content_length` may lie about the body."""
    payload = body.encode() if isinstance(body, str) else body
    fields: dict[str, str] = {"Content-Type": "application/json"}
    if date is not None:
        fields["Date"] = date if isinstance(date, str) else http_date(date)
    fields.update(headers or {})
    if "Transfer-Encoding" not in fields:
        fields["Content-Length"] = str(len(payload) if content_length is None else content_length)
    head = f"HTTP/1.1 {status} {reason}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in fields.items())
    return head.encode("latin-1") + b"\r\n" + payload


def chunked(body: bytes, *, chunk: int = 1000, finish: bool = True) -> bytes:
    """`body` in chunked transfer coding; `finish=False` leaves out the terminating zero chunk."""
    pieces = [body[i : i + chunk] for i in range(0, len(body), chunk)]
    return b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces) + (
        b"0\r\n\r\n" if finish else b""
    )


#: A reaction answers one request on a connection and says whether to keep the connection open.
Reaction = Callable[[ssl.SSLSocket], bool]


def send(data: bytes) -> Reaction:
    """Send these bytes and keep the connection for the next request."""

    def react(conn: ssl.SSLSocket) -> bool:
        conn.sendall(data)
        return True

    return react


def send_and_close(data: bytes) -> Reaction:
    """Send these bytes (often a partial answer), then close the connection."""

    def react(conn: ssl.SSLSocket) -> bool:
        conn.sendall(data)
        return False

    return react


def close() -> Reaction:
    """Close the connection without answering."""
    return lambda conn: False


def pause(seconds: float, then: Reaction) -> Reaction:
    def react(conn: ssl.SSLSocket) -> bool:
        time.sleep(seconds)
        return _quietly(then, conn)

    return react


def send_then(data: bytes, then: Reaction) -> Reaction:
    """Send these bytes at once (the headers, say), then react (drip the body)."""

    def react(conn: ssl.SSLSocket) -> bool:
        conn.sendall(data)
        return then(conn)

    return lambda conn: _quietly(react, conn)


def drip(data: bytes, *, every: float, progress: list[int] | None = None) -> Reaction:
    """Send one byte at a time, `every` seconds apart, until done or the client goes away.

    `progress` gets each byte's index just before it is sent: once the client has read byte n, the list
    is already that long, so a test can tell a client that gave up from one that waited for everything.
    """

    def react(conn: ssl.SSLSocket) -> bool:
        for index in range(len(data)):
            if progress is not None:
                progress.append(index)
            conn.sendall(data[index : index + 1])
            time.sleep(every)
        return False

    return lambda conn: _quietly(react, conn)


def _quietly(reaction: Reaction, conn: ssl.SSLSocket) -> bool:
    # The client giving up mid-answer is what most slow reactions test, not a server failure.
    try:
        return reaction(conn)
    except OSError:
        return False


# ---------------------------------------------------------------------------------------------------------
# The server


@dataclass(frozen=True)
class RecordedRequest:
    request_line: str
    headers: dict[str, str]  # lowercased names
    body: bytes
    connection: int  # which accepted connection it arrived on (1, 2, ...)


@dataclass
class ScriptedHttpsServer:
    """Serve `script` in order, one reaction per request; `stop()` ends everything."""

    pki: Pki
    impostor: bool = False  # present the cert from the other CA
    script: list[Reaction] = field(default_factory=list)
    requests: list[RecordedRequest] = field(default_factory=list)
    unexpected: int = 0  # requests that arrived after the script ran out
    handshake_failures: list[str] = field(default_factory=list)
    client_subjects: list[str] = field(default_factory=list)
    _listener: socket.socket | None = None
    _threads: list[threading.Thread] = field(default_factory=list)
    _open: list[socket.socket] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stopping: threading.Event = field(default_factory=threading.Event)
    _accepted: int = 0

    @property
    def url(self) -> str:
        assert self._listener is not None
        return f"https://127.0.0.1:{self._listener.getsockname()[1]}"

    def start(self) -> ScriptedHttpsServer:
        listener = socket.create_server(("127.0.0.1", 0))
        listener.settimeout(0.05)  # so the accept loop notices stop()
        self._listener = listener
        self._spawn(self._accept_loop, listener, self._tls_context())
        return self

    def stop(self) -> None:
        self._stopping.set()
        with self._lock:
            for sock in self._open:
                _shut(sock)
        for thread in self._threads:
            thread.join(timeout=5)
        if self._listener is not None:
            self._listener.close()

    def _tls_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        cert, key = (
            (self.pki.impostor_cert, self.pki.impostor_key)
            if self.impostor
            else (self.pki.server_cert, self.pki.server_key)
        )
        context.load_cert_chain(cert, key)
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(self.pki.ca_file)
        return context

    def _spawn(self, target: Callable[..., None], *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept_loop(self, listener: socket.socket, context: ssl.SSLContext) -> None:
        while not self._stopping.is_set():
            try:
                sock, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            sock.settimeout(5)  # a stuck test ends instead of hanging the run
            with self._lock:
                self._accepted += 1
                number = self._accepted
                self._open.append(sock)
            self._spawn(self._serve, sock, context, number)

    def _serve(self, sock: socket.socket, context: ssl.SSLContext, number: int) -> None:
        try:
            conn = context.wrap_socket(sock, server_side=True)
        except (ssl.SSLError, OSError) as error:
            self.handshake_failures.append(type(error).__name__)
            _shut(sock)
            return
        with self._lock:
            self._open.append(conn)
        self.client_subjects.append(_subject(conn))
        try:
            while self._answer_one(conn, number):
                pass
        finally:
            _shut(conn)

    def _answer_one(self, conn: ssl.SSLSocket, number: int) -> bool:
        request = _read_request(conn, number)
        if request is None:
            return False
        with self._lock:
            self.requests.append(request)
            reaction = self.script.pop(0) if self.script else None
        if reaction is None:
            self.unexpected += 1
            return False
        try:
            return reaction(conn)
        except OSError:
            return False

    def connections(self) -> int:
        return self._accepted


def _read_request(conn: ssl.SSLSocket, number: int) -> RecordedRequest | None:
    buffer = b""
    try:
        while b"\r\n\r\n" not in buffer:
            data = conn.recv(65536)
            if not data:
                return None
            buffer += data
        head, _, rest = buffer.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        fields = (line.partition(":") for line in lines[1:])
        headers = {name.strip().lower(): value.strip() for name, _, value in fields}
        length = int(headers.get("content-length", "0"))
        while len(rest) < length:
            data = conn.recv(65536)
            if not data:
                return None
            rest += data
    except OSError:
        return None
    return RecordedRequest(request_line=lines[0], headers=headers, body=rest[:length], connection=number)


def _subject(conn: ssl.SSLSocket) -> str:
    der = conn.getpeercert(binary_form=True)
    if der is None:
        return ""
    return x509.load_der_x509_certificate(der).subject.rfc4514_string()


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
