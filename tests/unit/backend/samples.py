"""Fictitious documents and a municipal signer for the backend tests (no real person's data)."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta, timezone

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from kiosk.backend.canonical import document_signing_bytes
from kiosk.backend.document import (
    Binding,
    DocumentAlgorithm,
    DocumentContent,
    DocumentEnvelope,
    DocumentType,
    InkanContent,
    JuminhyoContent,
    Member,
    Municipality,
    Sex,
)
from kiosk.backend.verify import ExpectedBinding

RESIDENT_NAME = "髙橋 𠮷太郎"
IVS_NAME = "辻\U000e0102 花子"  # 辻 + the MJ selector IPAmj明朝 draws (one-dot ⻌), outside the BMP
SESSION_ID = "0b6a3d1e-4a7f-4c1e-9d2b-5f8e7a6c4b3d"
REQUEST_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
TERMINAL_ID = "yokohama-naka-0001"
CARD_DER = b"0\x82fictitious card certificate"
JST = timezone(timedelta(hours=9))
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(32))
MUNICIPALITY = Municipality(code="141003", name="横浜市")


def juminhyo() -> JuminhyoContent:
    return JuminhyoContent(
        document_type=DocumentType.JUMINHYO,
        municipality=MUNICIPALITY,
        address="神奈川県横浜市中区港町一丁目1番地",
        householder=RESIDENT_NAME,
        members=(
            Member(
                name=RESIDENT_NAME,
                birth_date=date(1980, 4, 1),
                sex=Sex.MALE,
                relationship="世帯主",
                honseki="神奈川県横浜市中区港町一丁目1番地",
                hittosha=RESIDENT_NAME,
            ),
            Member(name=IVS_NAME, birth_date=date(1982, 2, 28), sex=Sex.FEMALE, relationship="妻"),
        ),
        mayor_title="横浜市長",
        mayor_name="架空 太郎",
        serial="J-2026-000001",
        issued_at=datetime(2026, 4, 1, 9, 30, tzinfo=JST),
    )


def inkan() -> InkanContent:
    return InkanContent(
        document_type=DocumentType.INKAN,
        municipality=MUNICIPALITY,
        address="神奈川県横浜市中区港町一丁目1番地",
        name=RESIDENT_NAME,
        birth_date=date(1980, 4, 1),
        registration_number="S-000123",
        seal_image=PNG,
        mayor_title="横浜市長",
        mayor_name="架空 太郎",
        serial="I-2026-000001",
        issued_at=datetime(2026, 4, 1, 9, 30, tzinfo=JST),
    )


def binding(**changes: str) -> Binding:
    fields = {
        "session_id": SESSION_ID,
        "request_id": REQUEST_ID,
        "terminal_id": TERMINAL_ID,
        "card_certificate_sha256": hashlib.sha256(CARD_DER).hexdigest(),
    }
    return Binding(**{**fields, **changes})


def expected() -> ExpectedBinding:
    return ExpectedBinding.for_certificate(
        session_id=SESSION_ID, request_id=REQUEST_ID, terminal_id=TERMINAL_ID, certificate_der=CARD_DER
    )


SigningKey = Ed25519PrivateKey | ec.EllipticCurvePrivateKey


def sign(content: DocumentContent, key: SigningKey, bound: Binding | None = None) -> DocumentEnvelope:
    """What the reference backend will do: sign the canonical bytes of an envelope with a blank signature."""
    algorithm: DocumentAlgorithm = "Ed25519" if isinstance(key, Ed25519PrivateKey) else "ECDSA-P256-SHA256"
    unsigned = DocumentEnvelope(
        content=content, binding=bound or binding(), algorithm=algorithm, signature=bytes(64)
    )
    message = document_signing_bytes(unsigned)
    if isinstance(key, Ed25519PrivateKey):
        signature = key.sign(message)
    else:
        r, s = decode_dss_signature(key.sign(message, ec.ECDSA(hashes.SHA256())))
        signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return unsigned.model_copy(update={"signature": signature})
