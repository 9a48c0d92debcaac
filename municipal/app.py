"""The reference backend's HTTP face: FastAPI routes over `IssuanceService`, published as OpenAPI.

Bodies are read with a size limit and parsed by the strict wire models themselves (`model_validate_json`),
so the server accepts exactly what the kiosk's parser would. The terminal is named by its TLS client
certificate, never by anything in the request.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import logging
import re
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

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
    Heartbeat,
    HeartbeatAck,
)
from kiosk.backend.document import WireModel
from kiosk.backend.fields import UUID_PATTERN
from kiosk.clock import Clock, SystemClock
from municipal.db import Database
from municipal.service import ApiError, IssuanceService
from municipal.terminals_status import HeartbeatStore
from municipal.tls import client_certificate_der

__all__ = ["create_app"]

_log = logging.getLogger("municipal.app")
_Model = TypeVar("_Model", bound=WireModel)
_UUID = re.compile(UUID_PATTERN)

_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": description}
    for status, description in (
        (403, "unknown terminal, wrong terminal, rejected certificate or signature, refusal"),
        (404, "no such session or request"),
        (409, "challenge used, not authenticated, idempotency conflict, request closed"),
        (410, "session expired"),
        (413, "body too large"),
        (422, "body does not match the wire type, bad option, too many copies"),
    )
}


def create_app(
    service: IssuanceService,
    *,
    max_body_bytes: int,
    clock: Clock | None = None,
    heartbeats: HeartbeatStore | None = None,
) -> FastAPI:
    """`clock` is what `GET /v1/health` reports and heartbeats are stamped with (default: the system clock,
    the one the Date header uses). `heartbeats` stores `POST /v1/terminals/heartbeat` (default: a store on
    the service's own database)."""
    health_clock = clock or SystemClock()
    heartbeat_store = heartbeats if heartbeats is not None else _store_beside(service, health_clock)
    # One thread does all database work: writes are serialised by SQLite anyway, and a single thread spares
    # the GIL hand-offs of a 40-thread pool (benchmarks/e2e.py: 9 ms of server CPU per issuance → 6 ms), while
    # the event loop stays free for TLS handshakes and I/O.
    worker = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="backend-db")

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        worker.shutdown(wait=True)

    app = FastAPI(
        lifespan=lifespan,
        title="konbini-kiosk issuance protocol (reference municipal backend)",
        version="1",
        description="See docs/backend-protocol.md. Mutual TLS: the client certificate names the terminal.",
        docs_url=None,
        redoc_url=None,
    )

    async def body_of(request: Request, model: type[_Model]) -> _Model:
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > max_body_bytes):
            raise ApiError(413, ErrorCode.TOO_LARGE)
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > max_body_bytes:
                raise ApiError(413, ErrorCode.TOO_LARGE)
        try:
            return model.model_validate_json(bytes(body))
        except ValidationError:
            raise ApiError(422, ErrorCode.INVALID_REQUEST) from None

    async def call(request: Request, work: Callable[[str], WireModel], status: int = 200) -> Response:
        certificate = client_certificate_der(request.scope)

        def identified_work() -> WireModel:
            # One hop to the database thread per request: the terminal lookup and the work share it.
            return work(service.terminal_for_certificate(certificate))

        result = await asyncio.get_running_loop().run_in_executor(worker, identified_work)
        return Response(result.model_dump_json(), status_code=status, media_type="application/json")

    @app.post(
        "/v1/sessions",
        response_model=CreateSessionResponse,
        status_code=201,
        responses=_ERRORS,
        summary="Open a session and get its 32-byte challenge",
    )
    async def create_session(request: Request) -> Response:
        return await call(request, service.create_session, status=201)

    @app.post(
        "/v1/sessions/{session_id}/authenticate",
        response_model=AuthenticateResponse,
        responses=_ERRORS,
        openapi_extra=_body_schema(AuthenticateRequest),
        summary="Answer the challenge with the card's authentication certificate and signature",
    )
    async def authenticate(request: Request, session_id: str) -> Response:
        _check_id(session_id, ErrorCode.SESSION_NOT_FOUND)
        body = await body_of(request, AuthenticateRequest)
        return await call(request, lambda terminal: service.authenticate(terminal, session_id, body))

    @app.post(
        "/v1/sessions/{session_id}/requests",
        response_model=DocumentResponse,
        responses=_ERRORS,
        openapi_extra=_body_schema(DocumentRequest),
        summary="Request a document; the same idempotency key always returns the same request",
    )
    async def request_document(request: Request, session_id: str) -> Response:
        _check_id(session_id, ErrorCode.SESSION_NOT_FOUND)
        body = await body_of(request, DocumentRequest)
        return await call(request, lambda terminal: service.request_document(terminal, session_id, body))

    @app.post(
        "/v1/requests/{request_id}/complete",
        response_model=CompletionResponse,
        responses=_ERRORS,
        openapi_extra=_body_schema(CompletionRequest),
        summary="Report printed, failed or cancelled; exactly once, repeats return the first result",
    )
    async def complete(request: Request, request_id: str) -> Response:
        _check_id(request_id, ErrorCode.REQUEST_NOT_FOUND)
        body = await body_of(request, CompletionRequest)
        return await call(request, lambda terminal: service.complete(terminal, request_id, body))

    @app.get(
        "/v1/health",
        responses={200: {"description": '{"status": "ok", "time": RFC 3339}'}, **_ERRORS},
        summary="Is the backend up and does it know this terminal; its clock, for the terminal's skew check",
    )
    async def health(request: Request) -> Response:
        certificate = client_certificate_der(request.scope)
        # Through the database thread like every call: an unknown or revoked terminal gets 403 here too, so a
        # staff check shows what a resident's transaction would meet.
        await asyncio.get_running_loop().run_in_executor(
            worker, service.terminal_for_certificate, certificate
        )
        body = json.dumps({"status": "ok", "time": health_clock.now().isoformat()})
        return Response(body, status_code=200, media_type="application/json")

    @app.post(
        "/v1/terminals/heartbeat",
        response_model=HeartbeatAck,
        responses=_ERRORS,
        openapi_extra=_body_schema(Heartbeat),
        summary="The terminal's periodic status report (codes and counters only); the latest are kept",
    )
    async def heartbeat(request: Request) -> Response:
        body = await body_of(request, Heartbeat)
        if heartbeat_store is None:
            raise ApiError(500, ErrorCode.INTERNAL)
        store = heartbeat_store
        return await call(request, lambda terminal: store.record(terminal, body))

    @app.exception_handler(ApiError)
    async def api_error(_: Request, error: ApiError) -> Response:
        return _error(error.status, error.code, error.detail)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, __: RequestValidationError) -> Response:
        return _error(422, ErrorCode.INVALID_REQUEST)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, error: StarletteHTTPException) -> Response:
        return _error(
            error.status_code, ErrorCode.INVALID_REQUEST if error.status_code < 500 else ErrorCode.INTERNAL
        )

    @app.exception_handler(Exception)
    async def internal(_: Request, error: Exception) -> Response:
        # Type only: the message of an unexpected error could hold anything.
        _log.error("internal error: %s", type(error).__name__)
        return _error(500, ErrorCode.INTERNAL)

    return app


def _store_beside(service: IssuanceService, clock: Clock) -> HeartbeatStore | None:
    # server.py builds the app from the service alone: heartbeats go to the database the service uses.
    db = getattr(service, "_db", None)
    return HeartbeatStore(db, clock) if isinstance(db, Database) else None


def _error(status: int, code: ErrorCode, detail: str | None = None) -> Response:
    body = ErrorResponse(code=code, detail=detail).model_dump_json(exclude_none=True)
    return Response(body, status_code=status, media_type="application/json")


def _check_id(value: str, code: ErrorCode) -> None:
    if not _UUID.fullmatch(value):
        raise ApiError(404, code)


def _body_schema(model: type[WireModel]) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": model.model_json_schema(mode="validation")}},
        }
    }
