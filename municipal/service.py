"""The issuance protocol's rules, independent of HTTP: sessions, authentication, requests, completion.

Each call runs in one SQLite write transaction that reads what it certifies (domain.md section 8: no stale
copies), ids are random UUIDs (never timestamps), a request is found only through its own session, and a
completion is recorded exactly once. `ApiError` carries the HTTP status and protocol codes; the HTTP layer
only translates.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import sqlite3
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from cryptography import x509

from kiosk.backend.api import (
    AuthenticateRequest,
    AuthenticateResponse,
    CompletionRequest,
    CompletionResponse,
    CreateSessionResponse,
    DocumentRequest,
    DocumentResponse,
    ErrorCode,
    Offer,
    OptionOffer,
    Outcome,
    RefusalReason,
)
from kiosk.backend.canonical import auth_binding, canonical_json, document_signing_bytes
from kiosk.backend.document import (
    Binding,
    DocumentContent,
    DocumentEnvelope,
    DocumentType,
    InkanContent,
    JuminhyoContent,
    Member,
    Municipality,
    Sex,
)
from kiosk.calendar import Reason, ServiceCalendar
from kiosk.clock import Clock
from kiosk.holidays import HolidayProvider
from municipal.cardcheck import AuthSignatureInvalid, CardCertificateRejected, check_card_certificate
from municipal.cardcheck import verify_auth_signature as verify_card_signature
from municipal.crl import CrlSource, CrlUnavailable
from municipal.db import Database, from_db_time, to_db_time
from municipal.pki import DocumentSigner
from municipal.settings import BackendSettings

__all__ = ["JUMINHYO_OPTIONS", "ApiError", "IssuanceService"]

_log = logging.getLogger("municipal.service")


class ApiError(Exception):
    """A refusal the protocol defines: HTTP status, error code and an optional code-valued detail."""

    def __init__(self, status: int, code: ErrorCode, detail: str | None = None) -> None:
        self.status = status
        self.code = code
        self.detail = detail
        super().__init__(f"{status} {code}" + (f" ({detail})" if detail else ""))


#: 住民票 options: key → (allowed values, default). `members=self` prints the resident only.
JUMINHYO_OPTIONS: Mapping[str, tuple[tuple[str, ...], str]] = {
    "members": (("self", "all"), "self"),
    "householder": (("include", "omit"), "include"),  # 世帯主の氏名と続柄
    "honseki": (("omit", "include"), "omit"),  # 本籍・筆頭者
    "became-resident": (("include", "omit"), "include"),  # 住民となった年月日
    "previous-address": (("omit", "include"), "omit"),  # 前住所
}
_SERIAL_PREFIX = {DocumentType.JUMINHYO: "J", DocumentType.INKAN: "I"}


@dataclass(frozen=True)
class _Resident:
    id: str
    household_id: str
    status: str
    support_measures: bool
    seal_status: str | None


class IssuanceService:
    def __init__(
        self,
        *,
        db: Database,
        settings: BackendSettings,
        clock: Clock,
        signer: DocumentSigner,
        auth_ca: x509.Certificate,
        crl: CrlSource,
        holidays: HolidayProvider,
    ) -> None:
        self._db = db
        self._settings = settings
        self._clock = clock
        self._signer = signer
        self._auth_ca = auth_ca
        self._crl = crl
        self._municipality = Municipality(code=settings.municipality.code, name=settings.municipality.name)
        self._calendar = ServiceCalendar(settings.calendar, holidays)

    # ------------------------------------------------------------------------------------------ terminals

    def terminal_for_certificate(self, der: bytes | None) -> str:
        """The terminal id registered for this client certificate; anything else is `unknown-terminal`."""
        if der is None:
            raise ApiError(403, ErrorCode.UNKNOWN_TERMINAL)
        fingerprint = hashlib.sha256(der).hexdigest()
        row = (
            self._db.connection()
            .execute("SELECT id FROM terminals WHERE certificate_sha256 = ? AND revoked = 0", (fingerprint,))
            .fetchone()
        )
        if row is None:
            raise ApiError(403, ErrorCode.UNKNOWN_TERMINAL)
        return str(row["id"])

    # ------------------------------------------------------------------------------------------- sessions

    def create_session(self, terminal_id: str) -> CreateSessionResponse:
        now = self._clock.now()
        session_id = str(uuid.uuid4())
        challenge = secrets.token_bytes(32)
        expires = now + timedelta(minutes=self._settings.server.session_minutes)
        with self._db.write() as db:
            db.execute(
                "INSERT INTO sessions (id, terminal_id, challenge, created_at, expires_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (session_id, terminal_id, challenge, to_db_time(now), to_db_time(expires)),
            )
        return CreateSessionResponse(session_id=session_id, challenge=challenge, expires_at=expires)

    def authenticate(
        self, terminal_id: str, session_id: str, request: AuthenticateRequest
    ) -> AuthenticateResponse:
        now = self._clock.now()
        challenge = self._consume_challenge(terminal_id, session_id, now)
        crl: x509.CertificateRevocationList | None
        try:
            crl = self._crl.current(now)
        except CrlUnavailable:
            crl = None  # refused as revocation-unknown once the certificate's own checks have run
        try:
            card = check_card_certificate(request.certificate, auth_ca=self._auth_ca, crl=crl, now=now)
        except CardCertificateRejected as error:
            raise ApiError(403, ErrorCode.CERTIFICATE_REJECTED, str(error.problem)) from None
        try:
            verify_card_signature(card, request.signature, auth_binding(challenge, session_id, terminal_id))
        except AuthSignatureInvalid:
            raise ApiError(403, ErrorCode.SIGNATURE_INVALID) from None
        with self._db.write() as db:
            row = db.execute(
                "SELECT resident_id FROM cards WHERE certificate_sha256 = ?", (card.sha256,)
            ).fetchone()
            if row is None:
                raise ApiError(403, ErrorCode.CARD_NOT_REGISTERED)
            resident = self._resident(db, str(row["resident_id"]))
            db.execute(
                "UPDATE sessions SET resident_id = ?, card_certificate_sha256 = ?, authenticated_at = ? "
                "WHERE id = ?",
                (resident.id, card.sha256, to_db_time(now), session_id),
            )
        offers = tuple(self._offer(document_type, resident, now) for document_type in DocumentType)
        return AuthenticateResponse(municipality=self._municipality, offers=offers)

    def _consume_challenge(self, terminal_id: str, session_id: str, now: datetime) -> bytes:
        """Mark the challenge answered before checking the answer: a wrong answer also burns it."""
        with self._db.write() as db:
            session = self._session(db, terminal_id, session_id, now)
            if session["challenge_answered"]:
                raise ApiError(409, ErrorCode.CHALLENGE_USED)
            db.execute("UPDATE sessions SET challenge_answered = 1 WHERE id = ?", (session_id,))
            return bytes(session["challenge"])

    def _session(
        self, db: sqlite3.Connection, terminal_id: str, session_id: str, now: datetime
    ) -> sqlite3.Row:
        session: sqlite3.Row | None = db.execute(
            "SELECT * FROM sessions WHERE id = ?", (session_id,)
        ).fetchone()
        if session is None:
            raise ApiError(404, ErrorCode.SESSION_NOT_FOUND)
        if session["terminal_id"] != terminal_id:
            _log.warning("session used from another terminal (session terminal differs)")
            raise ApiError(403, ErrorCode.WRONG_TERMINAL)
        if from_db_time(session["expires_at"]) <= now:
            raise ApiError(410, ErrorCode.SESSION_EXPIRED)
        return session

    # ------------------------------------------------------------------------------------------- offers

    def _resident(self, db: sqlite3.Connection, resident_id: str) -> _Resident:
        row = db.execute(
            "SELECT r.id, r.household_id, r.status, r.support_measures, s.status AS seal_status "
            "FROM residents r LEFT JOIN seals s ON s.resident_id = r.id WHERE r.id = ?",
            (resident_id,),
        ).fetchone()
        if row is None:  # a card row always names a resident (foreign key); guard anyway
            raise ApiError(403, ErrorCode.CARD_NOT_REGISTERED)
        return _Resident(
            id=row["id"],
            household_id=row["household_id"],
            status=row["status"],
            support_measures=bool(row["support_measures"]),
            seal_status=row["seal_status"],
        )

    def _refusal(
        self,
        document_type: DocumentType,
        resident: _Resident,
        now: datetime,
        started_at: datetime | None = None,
    ) -> RefusalReason | None:
        """Why this resident may not have this document now; `started_at`: the session's authentication."""
        document = self._settings.documents[document_type]
        if not document.offered:
            return RefusalReason.NOT_OFFERED
        hours = self._hours_refusal(document_type, now, started_at)
        if hours is not None:
            return hours
        if resident.status == "moved-out":
            return RefusalReason.MOVED_OUT
        if resident.status == "deceased":
            return RefusalReason.DECEASED
        if resident.support_measures:
            return RefusalReason.SUPPORT_MEASURES
        if document_type is DocumentType.INKAN:
            if resident.seal_status is None:
                return RefusalReason.SEAL_NOT_REGISTERED
            if resident.seal_status == "cancelled":
                return RefusalReason.SEAL_CANCELLED
        return None

    def _hours_refusal(
        self, document_type: DocumentType, now: datetime, started_at: datetime | None
    ) -> RefusalReason | None:
        """The kiosk's calendar rules: a session may start when a terminal could start a transaction, and its
        requests are served until the end of that open period plus the grace the terminal also allows."""
        calendar = self._calendar
        code = self._settings.municipality.code
        municipality = code if code in calendar.config.municipalities else None
        document = str(document_type)
        if started_at is None:
            decision = calendar.decide(now, municipality=municipality, document=document)
            if decision.open:
                return None
            if decision.reason in (Reason.DOCUMENT_HOURS, Reason.HOLIDAY):
                return RefusalReason.OUTSIDE_DOCUMENT_HOURS
            return RefusalReason.CLOSED
        at_start = self._hours_refusal(document_type, started_at, None)
        if at_start is not None:  # the session began when this document was not offered
            return at_start
        deadline = calendar.transaction_deadline(started_at, municipality=municipality, document=document)
        return RefusalReason.CLOSED if now > deadline else None

    def _offer(self, document_type: DocumentType, resident: _Resident, now: datetime) -> Offer:
        document = self._settings.documents[document_type]
        refusal = self._refusal(document_type, resident, now)
        options: tuple[OptionOffer, ...] = ()
        if document_type is DocumentType.JUMINHYO:
            options = tuple(
                OptionOffer(key=key, allowed=allowed, default=default)
                for key, (allowed, default) in JUMINHYO_OPTIONS.items()
            )
        return Offer(
            document_type=document_type,
            options=options,
            fee_yen=document.fee_yen,
            max_copies=document.max_copies,
            available=refusal is None,
            refusal=refusal,
        )

    # ----------------------------------------------------------------------------------------- requests

    def request_document(
        self, terminal_id: str, session_id: str, request: DocumentRequest
    ) -> DocumentResponse:
        now = self._clock.now()
        fingerprint = _request_fingerprint(request)
        with self._db.write() as db:
            session = self._session(db, terminal_id, session_id, now)
            existing = db.execute(
                "SELECT id, request_sha256, response FROM requests "
                "WHERE session_id = ? AND idempotency_key = ?",
                (session_id, request.idempotency_key),
            ).fetchone()
            if existing is not None:
                return _replay(existing, fingerprint)
            if session["resident_id"] is None:
                raise ApiError(409, ErrorCode.NOT_AUTHENTICATED)
            count = db.execute(
                "SELECT COUNT(*) FROM requests WHERE session_id = ?", (session_id,)
            ).fetchone()[0]
            if count >= self._settings.server.max_requests_per_session:
                raise ApiError(429, ErrorCode.TOO_MANY_REQUESTS)
            resident = self._resident(db, session["resident_id"])
            started_at = from_db_time(session["authenticated_at"])
            refusal = self._refusal(request.document_type, resident, now, started_at)
            if refusal is not None:
                raise ApiError(403, ErrorCode.REFUSED, str(refusal))
            options = _resolved_options(request)
            document = self._settings.documents[request.document_type]
            if request.copies > document.max_copies:
                raise ApiError(422, ErrorCode.TOO_MANY_COPIES)
            request_id = str(uuid.uuid4())
            serial = _next_serial(db, request.document_type, now.astimezone(self._settings.zone).year)
            content = self._content(db, request.document_type, resident, options, serial, now)
            binding = Binding(
                session_id=session_id,
                request_id=request_id,
                terminal_id=terminal_id,
                card_certificate_sha256=session["card_certificate_sha256"],
            )
            response = DocumentResponse(request_id=request_id, document=self._sign(content, binding))
            deadline = now + timedelta(minutes=self._settings.server.request_deadline_minutes)
            db.execute(
                "INSERT INTO requests (id, session_id, terminal_id, idempotency_key, request_sha256, "
                "document_type, copies, fee_yen, serial, response, created_at, deadline) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    request_id,
                    session_id,
                    terminal_id,
                    request.idempotency_key,
                    fingerprint,
                    str(request.document_type),
                    request.copies,
                    document.fee_yen,
                    serial,
                    response.model_dump_json(),
                    to_db_time(now),
                    to_db_time(deadline),
                ),
            )
        _log.info("issued %s request %s serial %s", request.document_type, request_id, serial)
        return response

    def _sign(self, content: DocumentContent, binding: Binding) -> DocumentEnvelope:
        unsigned = DocumentEnvelope(
            content=content, binding=binding, algorithm=self._signer.algorithm, signature=bytes(64)
        )
        signature = self._signer.sign(document_signing_bytes(unsigned))
        return unsigned.model_copy(update={"signature": signature})

    def _content(
        self,
        db: sqlite3.Connection,
        document_type: DocumentType,
        resident: _Resident,
        options: Mapping[str, str],
        serial: str,
        now: datetime,
    ) -> DocumentContent:
        settings = self._settings.municipality
        issued_at = now.astimezone(self._settings.zone)
        household = db.execute(
            "SELECT address FROM households WHERE id = ?", (resident.household_id,)
        ).fetchone()
        if document_type is DocumentType.INKAN:
            row = db.execute(
                "SELECT r.name, r.birth_date, r.sex, s.registration_number, s.image FROM residents r "
                "JOIN seals s ON s.resident_id = r.id WHERE r.id = ? AND s.status = 'registered'",
                (resident.id,),
            ).fetchone()
            return InkanContent(
                document_type=DocumentType.INKAN,
                municipality=self._municipality,
                address=household["address"],
                name=row["name"],
                birth_date=date.fromisoformat(row["birth_date"]),
                sex=Sex(row["sex"]),
                registration_number=row["registration_number"],
                seal_image=bytes(row["image"]),
                mayor_title=settings.mayor_title,
                mayor_name=settings.mayor_name,
                serial=serial,
                issued_at=issued_at,
            )
        # 消除者 (moved out, deceased) never appear on a copy issued at a kiosk.
        rows = db.execute(
            "SELECT * FROM residents WHERE household_id = ? AND status = 'resident' "
            "ORDER BY is_householder DESC, id",
            (resident.household_id,),
        ).fetchall()
        if options["members"] == "self":
            rows = [row for row in rows if row["id"] == resident.id]
        householder = db.execute(
            # A householder who has left is a 消除者 too: omitted until the register names a new one.
            "SELECT name FROM residents "
            "WHERE household_id = ? AND is_householder = 1 AND status = 'resident'",
            (resident.household_id,),
        ).fetchone()
        return JuminhyoContent(
            document_type=DocumentType.JUMINHYO,
            municipality=self._municipality,
            address=household["address"],
            householder=householder["name"] if householder and options["householder"] == "include" else None,
            members=tuple(_member(row, options) for row in rows),
            mayor_title=settings.mayor_title,
            mayor_name=settings.mayor_name,
            serial=serial,
            issued_at=issued_at,
        )

    # --------------------------------------------------------------------------------------- completion

    def complete(
        self, terminal_id: str, request_id: str, completion: CompletionRequest
    ) -> CompletionResponse:
        now = self._clock.now()
        with self._db.write() as db:
            row = db.execute("SELECT * FROM requests WHERE id = ?", (request_id,)).fetchone()
            if row is None:
                raise ApiError(404, ErrorCode.REQUEST_NOT_FOUND)
            if row["terminal_id"] != terminal_id:
                _log.warning("completion from another terminal refused")
                raise ApiError(403, ErrorCode.WRONG_TERMINAL)
            if row["outcome"] is None:
                if from_db_time(row["deadline"]) <= now:
                    _close(db, request_id, Outcome.FAILED, 0, 0, now)
                else:
                    if completion.copies_printed > row["copies"]:
                        raise ApiError(422, ErrorCode.TOO_MANY_COPIES)
                    charged = row["fee_yen"] * completion.copies_printed
                    if completion.outcome is not Outcome.PRINTED:
                        charged = 0
                    _close(db, request_id, completion.outcome, completion.copies_printed, charged, now)
                row = db.execute("SELECT * FROM requests WHERE id = ?", (request_id,)).fetchone()
        return CompletionResponse(
            request_id=request_id,
            outcome=Outcome(row["outcome"]),
            copies_printed=row["copies_printed"],
            charged_yen=row["charged_yen"],
            completed_at=from_db_time(row["completed_at"]),
        )

    def close_overdue(self) -> int:
        """Close every request past its deadline as failed without charge; returns how many."""
        now = self._clock.now()
        with self._db.write() as db:
            overdue = db.execute(
                "SELECT id FROM requests WHERE outcome IS NULL AND deadline <= ?", (to_db_time(now),)
            ).fetchall()
            for row in overdue:
                _close(db, row["id"], Outcome.FAILED, 0, 0, now)
        if overdue:
            _log.info("closed %d overdue requests as failed", len(overdue))
        return len(overdue)


def _close(
    db: sqlite3.Connection, request_id: str, outcome: Outcome, copies: int, charged: int, now: datetime
) -> None:
    # The document is erased with the completion: nothing personal outlives the transaction here either.
    db.execute(
        "UPDATE requests SET outcome = ?, copies_printed = ?, charged_yen = ?, completed_at = ?, "
        "response = NULL "
        "WHERE id = ? AND outcome IS NULL",
        (str(outcome), copies, charged, to_db_time(now), request_id),
    )


def _request_fingerprint(request: DocumentRequest) -> str:
    payload = request.model_dump(mode="json", exclude={"idempotency_key"})
    return hashlib.sha256(canonical_json(payload)).hexdigest()


def _replay(existing: sqlite3.Row, fingerprint: str) -> DocumentResponse:
    if existing["request_sha256"] != fingerprint:
        raise ApiError(409, ErrorCode.IDEMPOTENCY_CONFLICT)
    if existing["response"] is None:
        raise ApiError(409, ErrorCode.REQUEST_CLOSED)
    return DocumentResponse.model_validate_json(existing["response"])


def _resolved_options(request: DocumentRequest) -> dict[str, str]:
    known = JUMINHYO_OPTIONS if request.document_type is DocumentType.JUMINHYO else {}
    for key, value in request.options.items():
        if key not in known or value not in known[key][0]:
            raise ApiError(422, ErrorCode.OPTION_INVALID, key)
    return {key: request.options.get(key, default) for key, (_, default) in known.items()}


def _next_serial(db: sqlite3.Connection, document_type: DocumentType, year: int) -> str:
    db.execute(
        "INSERT INTO serials (document_type, year, last) VALUES (?, ?, 1) "
        "ON CONFLICT (document_type, year) DO UPDATE SET last = last + 1",
        (str(document_type), year),
    )
    number = db.execute(
        "SELECT last FROM serials WHERE document_type = ? AND year = ?", (str(document_type), year)
    ).fetchone()[0]
    return f"{_SERIAL_PREFIX[document_type]}-{year}-{number:06d}"


def _member(row: sqlite3.Row, options: Mapping[str, str]) -> Member:
    japanese = row["nationality"] is None
    with_honseki = options["honseki"] == "include" and japanese
    return Member(
        name=row["name"],
        name_kana=row["name_kana"],
        birth_date=date.fromisoformat(row["birth_date"]),
        sex=Sex(row["sex"]),
        relationship=row["relationship"] if options["householder"] == "include" else None,
        became_resident_on=(
            date.fromisoformat(row["became_resident_on"]) if options["became-resident"] == "include" else None
        ),
        previous_address=row["previous_address"] if options["previous-address"] == "include" else None,
        honseki=row["honseki"] if with_honseki else None,
        hittosha=row["hittosha"] if with_honseki else None,
        nationality=row["nationality"],
    )
