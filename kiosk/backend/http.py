"""The kiosk's HTTPS client for the municipal backend: mutual TLS, bounded answers, typed errors.

One `requests.Session` (keep-alive) that trusts only the deployment CA and presents the terminal's
certificate. Every answer is bounded in size and time, must carry a `Date` close to the terminal's clock, and
becomes either a parsed wire type or a `BackendError`; nothing of a body or of a header other than the
status reaches a log line.

Only calls that are safe to repeat are retried, and only after failures where the backend may not have
seen or answered the call: connect failure, timeout, dropped connection, 502/503/504. `authenticate` never
is (the challenge is single-use), and a 4xx is an answer, not a failure.
"""

from __future__ import annotations

import logging
import math
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import Final, Literal, Self, TypeVar

import requests
import urllib3
from requests.adapters import HTTPAdapter

from kiosk.backend.api import (
    AuthenticateRequest,
    AuthenticateResponse,
    CompletionRequest,
    CompletionResponse,
    CreateSessionResponse,
    DocumentRequest,
    DocumentResponse,
    ErrorResponse,
    Heartbeat,
    HeartbeatAck,
    parse_response,
)
from kiosk.backend.document import WireModel
from kiosk.backend.fields import UUID_PATTERN, Timestamp
from kiosk.clock import Clock
from kiosk.errors import (
    BackendError,
    BackendRefusedError,
    BackendUnavailableError,
    ClockSkewError,
    MalformedBackendResponse,
)
from kiosk.settings import BackendSettings

__all__ = ["HEARTBEAT_TIMEOUT_SECONDS", "BackendClient", "BackendHealth", "HealthResponse"]

_Model = TypeVar("_Model", bound=WireModel)

_RETRY_STATUSES: Final = frozenset({502, 503, 504})
_BACKOFF_SECONDS: Final = 0.2
#: A heartbeat waits at most this long to connect and for each read (less if the site config says less).
HEARTBEAT_TIMEOUT_SECONDS: Final = 5.0
_CHUNK_BYTES: Final = 16 * 1024
_UUID: Final = re.compile(UUID_PATTERN)
_HEADERS: Final = {
    "User-Agent": "konbini-kiosk",
    "Accept": "application/json",
    # Compressed bodies would make the size bound count the wrong bytes (and invite a decompression bomb).
    "Accept-Encoding": "identity",
    "Connection": "keep-alive",
}


class HealthResponse(WireModel):
    """`GET /v1/health`: the backend is up and knows this terminal; `time` is the backend's clock."""

    status: Literal["ok"]
    time: Timestamp


@dataclass(frozen=True)
class BackendHealth:
    """What `BackendClient.health` measured. `skew_seconds` is this terminal's clock minus the backend's
    (positive: the terminal is ahead), taken at the middle of the exchange."""

    server_time: datetime
    skew_seconds: float
    limit_seconds: int

    @property
    def within_limit(self) -> bool:
        return abs(self.skew_seconds) <= self.limit_seconds


class _RetryableStatus(Exception):
    """A 502/503/504 on an attempt that may still be repeated: the body is not worth reading."""


@dataclass
class _Attempt:
    operation: str
    number: int
    final: bool
    started: float  # time.monotonic(): durations and deadlines, never wall-clock decisions
    status: int | None = None
    method: str = "POST"
    check_clock: bool = True  # off for health() and heartbeat(), which measure or report the skew
    timeouts: tuple[float, float] | None = None  # (connect, read); None: the site config's


class BackendClient:
    """The four protocol calls, `health` and `heartbeat`, over one keep-alive mutual-TLS session; close it
    (or `with`).

    One transaction at a time: a requests.Session is not meant to be shared between threads.
    """

    def __init__(
        self,
        backend: BackendSettings,
        *,
        clock: Clock,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._settings = backend
        self._clock = clock
        self._sleep = sleep
        self._log = logging.getLogger("kiosk.backend.http")
        self._session = _pinned_session(backend)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._session.close()

    def create_session(self) -> CreateSessionResponse:
        # Retrying is harmless: a session nobody uses just expires.
        return self._call("create_session", "/v1/sessions", b"{}", CreateSessionResponse, retry=True)

    def authenticate(self, session_id: str, request: AuthenticateRequest) -> AuthenticateResponse:
        # Never retried: the challenge is single-use, so a repeat could only be refused (or worse, count).
        path = f"/v1/sessions/{_path_id(session_id)}/authenticate"
        return self._call("authenticate", path, _json(request), AuthenticateResponse, retry=False)

    def request_document(self, session_id: str, request: DocumentRequest) -> DocumentResponse:
        # The idempotency key in the (identical) body makes a repeat name the same request.
        path = f"/v1/sessions/{_path_id(session_id)}/requests"
        return self._call("request_document", path, _json(request), DocumentResponse, retry=True)

    def complete(self, request_id: str, completion: CompletionRequest) -> CompletionResponse:
        # The backend answers a repeat with the first result.
        path = f"/v1/requests/{_path_id(request_id)}/complete"
        return self._call("complete", path, _json(completion), CompletionResponse, retry=True)

    def health(self) -> BackendHealth:
        """`GET /v1/health`, once (a staff probe wants a quick answer, not retries): the backend's clock
        and the measured skew. A skew over the limit is reported in the result, not raised; the `Date`
        header must still be there."""
        sent = self._clock.now()
        answer = self._call(
            "health", "/v1/health", b"", HealthResponse, retry=False, method="GET", check_clock=False
        )
        received = self._clock.now()
        middle = sent + (received - sent) / 2
        return BackendHealth(
            server_time=answer.time,
            skew_seconds=round((middle - answer.time).total_seconds(), 3),
            limit_seconds=self._settings.max_clock_skew_seconds,
        )

    def heartbeat(self, heartbeat: Heartbeat, *, timeout: float = HEARTBEAT_TIMEOUT_SECONDS) -> None:
        """`POST /v1/terminals/heartbeat`, once, with a short timeout: the next heartbeat is the retry. The
        clock is not enforced (a terminal with a wrong clock must still be seen; `sent_at` shows it), but the
        answer must carry a `Date` and be a `HeartbeatAck`."""
        settings = self._settings
        timeouts = (min(settings.connect_timeout, timeout), min(settings.read_timeout, timeout))
        self._call(
            "heartbeat",
            "/v1/terminals/heartbeat",
            _json(heartbeat),
            HeartbeatAck,
            retry=False,
            check_clock=False,
            timeouts=timeouts,
        )

    def _call(
        self,
        operation: str,
        path: str,
        body: bytes,
        model: type[_Model],
        *,
        retry: bool,
        method: str = "POST",
        check_clock: bool = True,
        timeouts: tuple[float, float] | None = None,
    ) -> _Model:
        attempts = 1 + (self._settings.retries if retry else 0)
        for number in range(1, attempts + 1):
            if number > 1:
                self._sleep(_BACKOFF_SECONDS * 2 ** (number - 2))
            attempt = _Attempt(
                operation,
                number,
                final=number == attempts,
                started=time.monotonic(),
                method=method,
                check_clock=check_clock,
                timeouts=timeouts,
            )
            try:
                return self._attempt(attempt, path, body, model)
            except BackendUnavailableError as error:
                # A TLS failure is the same on every try (wrong CA, revoked terminal): repeating only delays.
                if attempt.final or error.stage == "tls":
                    raise
            except _RetryableStatus:
                continue
        raise AssertionError("unreachable: the final attempt returns or raises")

    def _attempt(self, attempt: _Attempt, path: str, body: bytes, model: type[_Model]) -> _Model:
        outcome = "ok"
        level = logging.WARNING
        try:
            status, payload = self._exchange(attempt, path, body)
            return _interpret(attempt.operation, status, payload, model)
        except _RetryableStatus:
            outcome = "retrying"
            raise
        except BackendRefusedError as error:
            # A refusal is an answer (the caller reports it); only failures to get one are warnings.
            outcome = _outcome(error)
            level = logging.INFO
            raise
        except BackendError as error:
            outcome = _outcome(error)
            level = logging.WARNING
            raise
        finally:
            self._log.log(
                logging.INFO if outcome == "ok" else level,
                "%s attempt %d: HTTP %s, %s, %.3f s",
                attempt.operation,
                attempt.number,
                attempt.status if attempt.status is not None else "-",
                outcome,
                time.monotonic() - attempt.started,
            )

    def _exchange(self, attempt: _Attempt, path: str, body: bytes) -> tuple[int, bytes]:
        """One call: the status and the whole (bounded) body, once the headers passed their checks."""
        operation, settings = attempt.operation, self._settings
        connect_timeout, read_timeout = attempt.timeouts or (settings.connect_timeout, settings.read_timeout)
        # Socket timeouts bound each wait; the deadline bounds the sum, so a dripping server is cut off.
        deadline = attempt.started + connect_timeout + read_timeout
        try:
            response = self._session.request(
                attempt.method,
                settings.url + path,
                data=body if attempt.method == "POST" else None,
                headers={"Content-Type": "application/json"} if attempt.method == "POST" else None,
                timeout=(connect_timeout, read_timeout),
                allow_redirects=False,
                stream=True,
                # Passed on every call as well as on the session: with trust_env on, requests lets
                # $REQUESTS_CA_BUNDLE override a session's `verify` (it is off, but this holds anyway).
                verify=str(settings.ca_file),
                cert=(str(settings.client_cert), str(settings.client_key)),
            )
            with response:
                attempt.status = response.status_code  # for the log line, whatever happens next
                _check_framing(operation, response)
                self._check_date(operation, response, enforce=attempt.check_clock)
                if not attempt.final and response.status_code in _RETRY_STATUSES:
                    raise _RetryableStatus
                return response.status_code, self._read_body(operation, response, deadline)
        except requests.exceptions.InvalidHeader:
            # urllib3 refuses conflicting Content-Length values before requests returns a response.
            raise MalformedBackendResponse(operation, "Content-Length") from None
        except (requests.RequestException, urllib3.exceptions.HTTPError) as error:
            raise BackendUnavailableError(operation, _stage(error)) from None

    def _check_date(self, operation: str, response: requests.Response, *, enforce: bool = True) -> None:
        """Every answer, error or not, must carry a Date within the allowed skew of the terminal's clock
        (`enforce=False`: only carry one)."""
        stamped = _http_date(response.headers.get("Date"))
        if stamped is None:
            raise MalformedBackendResponse(operation, "Date header")
        if not enforce:
            return
        limit = self._settings.max_clock_skew_seconds
        skew = _skew_seconds(self._clock.now(), stamped)
        if skew > limit:
            raise ClockSkewError(skew, limit)

    def _read_body(self, operation: str, response: requests.Response, deadline: float) -> bytes:
        limit = self._settings.max_response_bytes
        _check_declared_size(operation, response, limit)
        raw = response.raw
        body = bytearray()
        while True:
            # Checked between reads; each read waits at most the read timeout, which bounds the overrun.
            if time.monotonic() >= deadline:
                raise BackendUnavailableError(operation, "timeout")
            # read1, not read: urllib3 2's read(n) waits for all n bytes, so a drip would never be checked.
            chunk = raw.read1(min(_CHUNK_BYTES, limit + 1 - len(body)), decode_content=False)
            if not chunk:
                return bytes(body)
            body += chunk
            if len(body) > limit:
                raise MalformedBackendResponse(operation, f"response larger than {limit} bytes")


def _pinned_session(backend: BackendSettings) -> requests.Session:
    session = requests.Session()
    # No proxies, .netrc credentials or CA bundles from the environment: the site file says it all.
    session.trust_env = False
    session.verify = str(backend.ca_file)
    session.cert = (str(backend.client_cert), str(backend.client_key))
    session.headers.clear()
    session.headers.update(_HEADERS)
    # urllib3 must not retry behind our back: which calls may be repeated is a protocol decision.
    adapter = HTTPAdapter(max_retries=0, pool_connections=1, pool_maxsize=1)
    session.mount("https://", adapter)
    return session


def _json(request: WireModel) -> bytes:
    return request.model_dump_json().encode("utf-8")


def _path_id(value: str) -> str:
    # Ids go into the URL path; anything but a canonical UUID could walk to another endpoint.
    if not _UUID.fullmatch(value):
        raise ValueError("a session or request id must be a lowercase UUID")
    return value


def _interpret(operation: str, status: int, payload: bytes, model: type[_Model]) -> _Model:
    if 200 <= status < 300:
        return parse_response(model, payload)
    if 400 <= status < 600:
        try:
            refusal = parse_response(ErrorResponse, payload)
        except MalformedBackendResponse:
            raise MalformedBackendResponse(operation, f"HTTP {status} without an error body") from None
        raise BackendRefusedError(operation, status, refusal.code.value, refusal.detail)
    # Redirects are not followed (the pinned origin is the only backend) and 1xx never gets here.
    raise MalformedBackendResponse(operation, f"unexpected HTTP {status}")


def _outcome(error: BackendError) -> str:
    if isinstance(error, BackendRefusedError):
        return error.error_code
    if isinstance(error, BackendUnavailableError):
        return error.stage
    return error.code


def _http_date(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        stamped = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    # "-0000" parses to a naive datetime: an HTTP-date is always GMT, so that is not one.
    return stamped if stamped.tzinfo is not None else None


def _skew_seconds(now: datetime, stamped: datetime) -> int:
    behind = (now - stamped).total_seconds()
    # Date is truncated to the second: the server's clock may be up to 1 s past what it wrote.
    if behind > 0:
        behind = max(0.0, behind - 1)
    return math.ceil(abs(behind))


def _check_framing(operation: str, response: requests.Response) -> None:
    """The body must say where it ends (Content-Length or chunked), and must not be compressed."""
    declared = response.headers.get("Content-Length")
    if declared is not None and not (declared.isascii() and declared.strip().isdigit()):
        raise MalformedBackendResponse(operation, "Content-Length")
    raw = response.raw
    if declared is not None and raw.chunked:
        # RFC 9112 section 6.3: both at once is how responses get split or smuggled; treat it as an error.
        raise MalformedBackendResponse(operation, "both Content-Length and chunked")
    # HTTP/1.1 lets a body end at connection close, but then an answer cut anywhere looks complete, even
    # one cut inside its headers (http.client takes EOF as the end of the header block). The backend always
    # frames its answers, so an unframed one is taken for what it most likely is: a dropped connection.
    if raw.length_remaining is None and not raw.chunked:
        raise BackendUnavailableError(operation, "dropped")
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding != "identity":
        raise MalformedBackendResponse(operation, "Content-Encoding")


def _check_declared_size(operation: str, response: requests.Response, limit: int) -> None:
    declared = response.headers.get("Content-Length")
    if declared is not None and int(declared) > limit:
        raise MalformedBackendResponse(operation, f"response larger than {limit} bytes")


def _stage(error: BaseException) -> str:
    """Which stage failed, from the chain requests and urllib3 wrap around the low-level error."""
    causes = list(_causes(error))
    if _any_instance(causes, (requests.exceptions.SSLError, urllib3.exceptions.SSLError)):
        return "tls"
    # NewConnectionError (refused, unreachable) is a ConnectTimeoutError in urllib3's tree: both "connect".
    if _any_instance(causes, (requests.exceptions.ConnectTimeout, urllib3.exceptions.ConnectTimeoutError)):
        return "connect"
    if _any_instance(causes, (requests.exceptions.Timeout, urllib3.exceptions.TimeoutError, TimeoutError)):
        return "timeout"
    return "dropped"


def _causes(error: BaseException) -> Iterator[BaseException]:
    # Only explicit links (`from`, MaxRetryError.reason, exceptions passed as arguments): __context__
    # could drag in an unrelated error that some library caught and handled on the way.
    seen: set[int] = set()
    pending = [error]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        links = (current.__cause__, getattr(current, "reason", None), *current.args)
        pending.extend(link for link in links if isinstance(link, BaseException))


def _any_instance(causes: list[BaseException], kinds: tuple[type[BaseException], ...]) -> bool:
    return any(isinstance(cause, kinds) for cause in causes)
