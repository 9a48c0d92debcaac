"""The signed document: what the municipality certifies, to whom it is bound, and the signature.

A `DocumentEnvelope` is untrusted until `kiosk.backend.verify.verify_document` has checked it; rendering code
takes only the `VerifiedDocument` that function returns.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from kiosk.backend.fields import (
    Identifier,
    LongText,
    Name,
    PngImage,
    Sha256Hex,
    ShortText,
    Signature64,
    Timestamp,
    Uuid,
)

__all__ = [
    "DOCUMENT_ALGORITHMS",
    "MAX_MEMBERS",
    "Binding",
    "DocumentAlgorithm",
    "DocumentContent",
    "DocumentEnvelope",
    "DocumentType",
    "InkanContent",
    "JuminhyoContent",
    "Member",
    "Municipality",
    "Sex",
    "WireModel",
]


class WireModel(BaseModel):
    """Base of every protocol type: immutable, no unknown keys, no silent coercion."""

    # defer_build: the schemas are built on first use, not at import (a third of a second of the kiosk's
    # start-up, before its first frame); the checks are the same.
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, defer_build=True)


class DocumentType(StrEnum):
    JUMINHYO = "juminhyo"  # 住民票の写し
    INKAN = "inkan"  # 印鑑登録証明書


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


DocumentAlgorithm = Literal["Ed25519", "ECDSA-P256-SHA256"]
DOCUMENT_ALGORITHMS: tuple[DocumentAlgorithm, ...] = ("Ed25519", "ECDSA-P256-SHA256")

#: Households at the sample municipalities have 1 to 6 members; real ones rarely pass 20.
MAX_MEMBERS = 30


class Municipality(WireModel):
    #: 全国地方公共団体コード, six digits including the check digit.
    code: Annotated[str, Field(pattern=r"^[0-9]{6}$")]
    name: ShortText


class Member(WireModel):
    """One person printed on a 住民票. Optional fields are present exactly when the option asked for them."""

    name: Name
    name_kana: Name | None = None
    birth_date: date
    sex: Sex
    relationship: ShortText | None = None  # 続柄
    became_resident_on: date | None = None  # 住民となった年月日
    previous_address: LongText | None = None  # 前住所
    honseki: LongText | None = None  # 本籍
    hittosha: Name | None = None  # 筆頭者
    nationality: ShortText | None = None  # 外国人住民: 国籍・地域


class JuminhyoContent(WireModel):
    document_type: Literal[DocumentType.JUMINHYO]
    municipality: Municipality
    address: LongText
    householder: Name | None = None  # 世帯主
    members: Annotated[tuple[Member, ...], Field(min_length=1, max_length=MAX_MEMBERS)]
    mayor_title: ShortText
    mayor_name: Name
    serial: Identifier
    issued_at: Timestamp


class InkanContent(WireModel):
    document_type: Literal[DocumentType.INKAN]
    municipality: Municipality
    address: LongText
    name: Name
    birth_date: date
    sex: Sex | None = None
    registration_number: Identifier
    seal_image: PngImage
    mayor_title: ShortText
    mayor_name: Name
    serial: Identifier
    issued_at: Timestamp


DocumentContent = Annotated[JuminhyoContent | InkanContent, Field(discriminator="document_type")]


class Binding(WireModel):
    """Whose transaction the document belongs to: checked against the kiosk's own before anything renders."""

    session_id: Uuid
    request_id: Uuid
    terminal_id: Identifier
    card_certificate_sha256: Sha256Hex


class DocumentEnvelope(WireModel):
    content: DocumentContent
    binding: Binding
    algorithm: DocumentAlgorithm
    signature: Signature64
