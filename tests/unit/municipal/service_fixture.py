"""Helpers for the IssuanceService tests: a real backend, in-process (no HTTP), on a copy of a prepared dir.

`build_template` does the slow part once per test module: the backend PKI, the JPKI-like test CA, the sample
residents, the terminals and the software-card profiles (RSA key generation). `open_backend` copies that
directory for one test and builds an `IssuanceService` over the copy with a settable clock, so every test
starts from the same state and may change residents, seals, the CRL or the clock freely.

Everything is fictitious test data (config/samples/README.md): the residents of 試験市 and the JPKI-TEST CA.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import secrets
import shutil
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from kiosk.backend.api import (
    AuthenticateRequest,
    AuthenticateResponse,
    CompletionRequest,
    CompletionResponse,
    CreateSessionResponse,
    DocumentRequest,
    DocumentResponse,
    ErrorCode,
    Outcome,
)
from kiosk.backend.canonical import auth_binding
from kiosk.backend.document import DocumentType
from kiosk.backend.verify import ExpectedBinding, VerifiedDocument, verify_document
from kiosk.card.profile import CardProfile, ensure_test_ca, make_profile
from kiosk.holidays import LibraryHolidays
from municipal.crl import CrlSource, write_auth_crl
from municipal.db import Database
from municipal.pki import (
    BackendPki,
    create_backend_pki,
    issue_terminal_certificate,
    load_document_public_key,
    load_document_signer,
)
from municipal.registry import register_card, register_terminal
from municipal.residents import import_residents, load_resident_file
from municipal.service import ApiError, IssuanceService
from municipal.settings import BackendSettings, load_backend_settings, settings_text
from municipal.setup import SAMPLE_MUNICIPALITY, SAMPLE_RESIDENTS

#: One provider for every test: the library's years are built once and cached.
HOLIDAYS = LibraryHolidays()

__all__ = [
    "BASE",
    "CARD_RESIDENTS",
    "CRL_LIFETIME",
    "ISSUED",
    "JST",
    "T1",
    "T2",
    "Backend",
    "Card",
    "SettableClock",
    "Template",
    "api_error",
    "build_template",
    "edited_settings",
    "idempotency_key",
    "open_backend",
    "reissue",
    "run_all",
    "sample_personal_data",
    "terminal_der",
]

_T = TypeVar("_T")

JST = ZoneInfo("Asia/Tokyo")
#: Tuesday 2026-11-24 12:00 JST: a weekday, inside the default hours, far from the year-end closure.
BASE = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
#: When the template's PKI, CRL, cards and terminals were made: before every instant the tests use.
ISSUED = BASE - timedelta(days=2)
#: The template CRL stays current through the year-end and into January (the hours tests go there).
CRL_LIFETIME = timedelta(days=400)
T1, T2 = "T0001", "T0002"
TERMINALS = (T1, T2)

#: Residents that get a registered card in the template (config/samples/README.md says who is who).
CARD_RESIDENTS = (
    "R0001",  # ordinary householder, household of four, registered seal
    "R0003",  # child of R0001, no seal
    "R0011",  # householder of H0005, whose father R0015 is deceased
    "R0015",  # deceased, seal still registered
    "R0016",  # householder of H0006, whose son R0018 moved out
    "R0018",  # moved out, seal still registered
    "R0021",  # adult without a seal registration
    "R0022",  # under 支援措置
    "R0023",  # foreign resident (householder of H0008)
    "R0025",  # seal registration cancelled
)
#: Valid-looking cards that are not what they should be; all but "unregistered" are registered to R0001,
#: so that the certificate check is the only thing that can refuse them.
SPARE_CARDS = ("unregistered", "expired", "not-yet-valid", "wrong-ca")


# ------------------------------------------------------------------------------------------------ clock


class SettableClock:
    """A kiosk.clock.Clock whose instant the test moves; never reads the machine's clock."""

    def __init__(self, instant: datetime) -> None:
        self._instant = _aware(instant)

    def now(self) -> datetime:
        return self._instant

    def set(self, instant: datetime) -> None:
        self._instant = _aware(instant)

    def advance(self, delta: timedelta) -> datetime:
        self._instant += delta
        return self._instant


def _aware(instant: datetime) -> datetime:
    if instant.utcoffset() is None:
        raise ValueError("the clock's instant must be timezone-aware")
    return instant


# ------------------------------------------------------------------------------------------------ cards


@dataclass(frozen=True)
class Card:
    """What the backend sees of a card: the auth certificate (DER) and a key that signs like the card does."""

    certificate_der: bytes
    key: rsa.RSAPrivateKey = field(repr=False)

    @classmethod
    def from_profile(cls, profile: CardProfile) -> Card:
        # profile.auth_key is auth_key.pem of the profile directory, as the software card uses it.
        return cls(profile.auth_cert_der, profile.auth_key)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.certificate_der).hexdigest()

    @property
    def serial(self) -> int:
        return x509.load_der_x509_certificate(self.certificate_der).serial_number

    def sign(self, message: bytes) -> bytes:
        """RSASSA-PKCS1-v1_5/SHA-256: exactly what the JPKI applet returns for DigestInfo(SHA-256(m))."""
        return self.key.sign(message, padding.PKCS1v15(), hashes.SHA256())

    def answer(self, challenge: bytes, session_id: str, terminal_id: str) -> AuthenticateRequest:
        signature = self.sign(auth_binding(challenge, session_id, terminal_id))
        return AuthenticateRequest(certificate=self.certificate_der, signature=signature)


@functools.lru_cache(maxsize=8)
def _load_ca(ca_dir: Path) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    # Loading an RSA private key checks it at length (tens of milliseconds): once per CA directory.
    cert = x509.load_pem_x509_certificate((ca_dir / "auth_ca.pem").read_bytes())
    key = serialization.load_pem_private_key((ca_dir / "auth_ca_key.pem").read_bytes(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return cert, key


def reissue(
    original: Card,
    ca_dir: Path,
    *,
    key: rsa.RSAPrivateKey | None = None,
    key_usage: x509.KeyUsage | None = None,
    basic_constraints: x509.BasicConstraints | None = None,
) -> Card:
    """A certificate like `original` (same validity and extensions), signed by the real auth CA in `ca_dir`.

    It gets a fresh serial and subject; `key` replaces the public key (default: the original's key), and
    `key_usage` / `basic_constraints` replace or add those extensions. Used for hostile certificates that
    only the CA could have made, and to mint many cards without generating an RSA key for each.
    """
    ca_cert, ca_key = _load_ca(ca_dir)
    source = x509.load_der_x509_certificate(original.certificate_der)
    private = key or original.key
    public = private.public_key()
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
            x509.NameAttribute(NameOID.COMMON_NAME, secrets.token_hex(10).upper()),
        ]
    )
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(source.not_valid_before_utc)
        .not_valid_after(source.not_valid_after_utc)
    )
    for extension in source.extensions:
        value: x509.ExtensionType = extension.value
        if isinstance(value, x509.KeyUsage) and key_usage is not None:
            value = key_usage
        elif isinstance(value, x509.SubjectKeyIdentifier):
            value = x509.SubjectKeyIdentifier.from_public_key(public)
        builder = builder.add_extension(value, critical=extension.critical)
    if basic_constraints is not None:
        builder = builder.add_extension(basic_constraints, critical=True)
    certificate = builder.sign(ca_key, hashes.SHA256())
    return Card(certificate.public_bytes(serialization.Encoding.DER), private)


# ------------------------------------------------------------------------------------------------ template


@dataclass(frozen=True)
class Template:
    """A prepared data directory (`root/data`) and the cards made for it."""

    root: Path
    cards: Mapping[str, Card]  # resident id -> its registered card
    spare: Mapping[str, Card]  # SPARE_CARDS

    @property
    def data(self) -> Path:
        return self.root / "data"


def build_template(root: Path) -> Template:
    data = root / "data"
    pki = create_backend_pki(data / "pki", now=ISSUED)
    ensure_test_ca(pki.jpki_dir, now=ISSUED)
    write_auth_crl(pki, [], now=ISSUED, valid_for=CRL_LIFETIME)

    # RSA-2048 key generation dominates and releases the GIL: make the cards in worker threads while this
    # thread imports the residents (drawing their seals). Profiles live outside data/, which tests copy.
    jobs: dict[str, tuple[Path, datetime]] = {resident: (pki.jpki_dir, ISSUED) for resident in CARD_RESIDENTS}
    jobs["unregistered"] = (pki.jpki_dir, ISSUED)
    # make_profile certificates run from now - 5 minutes to now + 5 * 365 days.
    jobs["expired"] = (pki.jpki_dir, BASE - timedelta(days=5 * 365, hours=1))
    jobs["not-yet-valid"] = (pki.jpki_dir, BASE + timedelta(hours=1))
    jobs["wrong-ca"] = (root / "other-ca", ISSUED)  # make_profile creates this second JPKI-TEST CA

    def make(name: str) -> Card:
        ca_dir, now = jobs[name]
        return Card.from_profile(make_profile(root / "cards" / name, ca_dir, now=now, sign_password=None))

    db = Database(data / "backend.db")
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            pending = {name: pool.submit(make, name) for name in jobs}
            import_residents(db, load_resident_file(SAMPLE_RESIDENTS), now=ISSUED)
            for terminal_id in TERMINALS:
                issue_terminal_certificate(pki, terminal_id, now=ISSUED)
                register_terminal(db, terminal_id, terminal_der(pki, terminal_id), now=ISSUED)
            made = {name: future.result() for name, future in pending.items()}
        for resident in CARD_RESIDENTS:
            register_card(db, made[resident].certificate_der, resident, now=ISSUED)
        for name in ("expired", "not-yet-valid", "wrong-ca"):
            register_card(db, made[name].certificate_der, "R0001", now=ISSUED)
    finally:
        db.close()
    return Template(
        root=root,
        cards={resident: made[resident] for resident in CARD_RESIDENTS},
        spare={name: made[name] for name in SPARE_CARDS},
    )


def terminal_der(pki: BackendPki, terminal_id: str) -> bytes:
    certificate = x509.load_pem_x509_certificate(pki.terminal_cert(terminal_id).read_bytes())
    return certificate.public_bytes(serialization.Encoding.DER)


def edited_settings(replacements: Sequence[tuple[str, str]] = (), append: str = "") -> str:
    """The sample backend.toml with exact text replaced (each must occur once) and TOML appended."""
    text = settings_text(municipality_code=SAMPLE_MUNICIPALITY, port=0)
    for old, new in replacements:
        assert text.count(old) == 1, f"settings text changed: {old!r} not found exactly once"
        text = text.replace(old, new)
    return text + append


# ------------------------------------------------------------------------------------------------ backend


def idempotency_key() -> str:
    return secrets.token_urlsafe(24)  # 32 characters of A-Za-z0-9_-


@dataclass
class Backend:
    """One test's backend: the service over a private copy of the template, and shortcuts for the protocol."""

    template: Template
    root: Path
    pki: BackendPki
    db: Database
    clock: SettableClock
    settings: BackendSettings
    service: IssuanceService

    def card(self, resident_id: str) -> Card:
        return self.template.cards[resident_id]

    def session(self, terminal_id: str = T1) -> CreateSessionResponse:
        return self.service.create_session(terminal_id)

    def authenticate(
        self,
        session: CreateSessionResponse,
        card: Card,
        terminal_id: str = T1,
        *,
        bound_to: str | None = None,
    ) -> AuthenticateResponse:
        """Answer `session` with `card` from `terminal_id`; `bound_to` signs another terminal's binding."""
        answer = card.answer(session.challenge, session.session_id, bound_to or terminal_id)
        return self.service.authenticate(terminal_id, session.session_id, answer)

    def login(
        self, card: Card | str = "R0001", terminal_id: str = T1
    ) -> tuple[CreateSessionResponse, AuthenticateResponse]:
        """A new session, authenticated with `card` (a Card or a resident id with a template card)."""
        if isinstance(card, str):
            card = self.card(card)
        session = self.session(terminal_id)
        return session, self.authenticate(session, card, terminal_id)

    def request(
        self,
        session_id: str,
        document_type: DocumentType = DocumentType.JUMINHYO,
        *,
        options: Mapping[str, str] | None = None,
        copies: int = 1,
        key: str | None = None,
        terminal_id: str = T1,
    ) -> DocumentResponse:
        request = DocumentRequest(
            document_type=document_type,
            options=dict(options or {}),
            copies=copies,
            idempotency_key=key or idempotency_key(),
        )
        return self.service.request_document(terminal_id, session_id, request)

    def complete(
        self, request_id: str, outcome: Outcome, copies_printed: int, terminal_id: str = T1
    ) -> CompletionResponse:
        completion = CompletionRequest(outcome=outcome, copies_printed=copies_printed)
        return self.service.complete(terminal_id, request_id, completion)

    def verify(
        self, response: DocumentResponse, session_id: str, card: Card, terminal_id: str = T1
    ) -> VerifiedDocument:
        """The kiosk's own check: the pinned municipal key and the binding it expects."""
        expected = ExpectedBinding.for_certificate(
            session_id=session_id,
            request_id=response.request_id,
            terminal_id=terminal_id,
            certificate_der=card.certificate_der,
        )
        key = load_document_public_key(self.pki.document_public_key)
        return verify_document(response.document, municipal_key=key, expected=expected)

    def request_row(self, request_id: str) -> sqlite3.Row:
        row: sqlite3.Row | None = (
            self.db.connection().execute("SELECT * FROM requests WHERE id = ?", (request_id,)).fetchone()
        )
        assert row is not None
        return row

    def count(self, table: str) -> int:
        assert table in {"requests", "sessions", "serials"}
        return int(self.db.connection().execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])  # noqa: S608

    def rewrite_crl(
        self, revoked: Sequence[tuple[int, datetime]], *, at: datetime, valid_for: timedelta
    ) -> None:
        write_auth_crl(self.pki, revoked, now=at, valid_for=valid_for)

    def close(self) -> None:
        self.db.close()


def open_backend(
    template: Template,
    root: Path,
    *,
    settings: str | None = None,
    now: datetime = BASE,
) -> Backend:
    """Copy the template's data dir to `root` and build an IssuanceService over it (the CRL is re-read on
    every call: recheck_seconds=0, so a rewritten CRL counts at once)."""
    shutil.copytree(template.data, root)
    pki = BackendPki(root / "pki")
    settings_path = root / "backend.toml"
    settings_path.write_text(settings if settings is not None else edited_settings(), encoding="utf-8")
    loaded = load_backend_settings(settings_path)
    db = Database(root / "backend.db")
    clock = SettableClock(now)
    auth_ca = x509.load_pem_x509_certificate(pki.auth_ca_cert.read_bytes())
    service = IssuanceService(
        db=db,
        settings=loaded,
        clock=clock,
        signer=load_document_signer(pki),
        auth_ca=auth_ca,
        crl=CrlSource(pki.auth_crl, auth_ca, recheck_seconds=0.0),
        holidays=HOLIDAYS,
    )
    return Backend(
        template=template, root=root, pki=pki, db=db, clock=clock, settings=loaded, service=service
    )


# ------------------------------------------------------------------------------------------------ checks


@contextlib.contextmanager
def api_error(status: int, code: ErrorCode, detail: str | None = None) -> Iterator[None]:
    """Expect exactly this ApiError (status, code and detail) from the block."""
    with pytest.raises(ApiError) as caught:
        yield
    got = (caught.value.status, caught.value.code, caught.value.detail)
    assert got == (status, code, detail), f"expected {(status, str(code), detail)}, got {caught.value}"


def sample_personal_data() -> set[str]:
    """Every name, kana, address, 本籍, 筆頭者 and birth date in the sample resident file."""
    tree: dict[str, Any] = json.loads(SAMPLE_RESIDENTS.read_text(encoding="utf-8"))
    values: set[str] = set()
    for household in tree["households"]:
        values.add(household["address"])
        for member in household["members"]:
            for key in ("name", "name_kana", "birth_date", "previous_address", "honseki", "hittosha"):
                if member.get(key):
                    values.add(member[key])
    return values


def run_all(jobs: Sequence[Callable[[], _T]]) -> list[_T]:
    """Run callables in parallel threads and return their results in order (exceptions propagate)."""
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = [pool.submit(job) for job in jobs]
        return [future.result() for future in futures]
