"""The verification QR code, and `kiosk verify`: is this certificate what the municipality issued?

The code is the municipality's signed statement about the document (kiosk.backend.canonical: algorithm,
binding, SHA-256 of the canonical content, municipality code, serial) plus its signature: no personal data,
so a bank or landlord can scan it, and `--qr TEXT` checks it with the municipality's public key alone. A PDF
also carries the canonical content (base64 in its Keywords metadata) and the code (its Subject): `verify
FILE.pdf` checks the code, then the content against the code's hash, then that the page text shows that
content (so neither the metadata nor the visible text can be altered alone).
"""

from __future__ import annotations

import base64
import binascii
import json
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Final

from pydantic import Field, TypeAdapter, ValidationError

from kiosk.backend.canonical import canonical_json, content_sha256, document_statement
from kiosk.backend.document import (
    Binding,
    DocumentAlgorithm,
    DocumentContent,
    DocumentEnvelope,
    JuminhyoContent,
    WireModel,
)
from kiosk.backend.fields import Identifier, Sha256Hex, Signature64
from kiosk.backend.verify import MunicipalKey, VerifiedDocument, verify_statement
from kiosk.errors import DocumentSignatureError, KioskError

__all__ = [
    "CODE_PREFIX",
    "CertificateMetadata",
    "VerificationCode",
    "VerificationError",
    "Verified",
    "certificate_metadata",
    "check_code",
    "check_pdf",
    "parse_code",
    "verification_code",
]

CODE_PREFIX: Final = "KKV1:"
_MAX_CODE = 1200  # a statement and a signature are ~560 characters; a QR code holds ~2900 bytes at most


class VerificationError(KioskError):
    """The certificate is not (or cannot be shown to be) what the municipality issued; `reason` says why."""

    code = "not-verified"
    reported = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"not verified: {reason}")


class VerificationCode(WireModel):
    algorithm: DocumentAlgorithm
    binding: Binding
    content_sha256: Sha256Hex
    municipality: Annotated[str, Field(pattern=r"^[0-9]{6}$")]
    serial: Identifier
    signature: Signature64

    def statement(self) -> dict[str, object]:
        return self.model_dump(mode="json", exclude={"signature"})

    def text(self) -> str:
        return CODE_PREFIX + canonical_json(self.model_dump(mode="json")).decode("utf-8")


@dataclass(frozen=True)
class Verified:
    """What a successful check can say without personal data: which document, from whom."""

    serial: str
    municipality: str
    content_checked: bool  # False for --qr alone: the signature is genuine, the paper must be compared by eye

    def to_dict(self) -> dict[str, object]:
        return {
            "valid": True,
            "serial": self.serial,
            "municipality": self.municipality,
            "content_checked": self.content_checked,
        }


@dataclass(frozen=True)
class CertificateMetadata:
    """What the renderer writes into the PDF's information dictionary."""

    subject: str  # the verification code
    keywords: str  # base64 of the canonical content JSON


_CONTENT = TypeAdapter(DocumentContent)


def verification_code(document: VerifiedDocument) -> VerificationCode:
    # The same statement the municipality signed, rebuilt from the verified parts.
    envelope = DocumentEnvelope(
        content=document.content,
        binding=document.binding,
        algorithm=document.algorithm,
        signature=document.signature,
    )
    signature = base64.b64encode(document.signature).decode("ascii")
    return VerificationCode.model_validate_json(
        json.dumps({**document_statement(envelope), "signature": signature})
    )


def certificate_metadata(document: VerifiedDocument) -> CertificateMetadata:
    content = canonical_json(document.content.model_dump(mode="json"))
    return CertificateMetadata(
        subject=verification_code(document).text(), keywords=base64.b64encode(content).decode("ascii")
    )


def parse_code(text: str) -> VerificationCode:
    text = text.strip()
    if not text.startswith(CODE_PREFIX) or len(text) > _MAX_CODE:
        raise VerificationError("not a kiosk verification code")
    try:
        return VerificationCode.model_validate_json(text[len(CODE_PREFIX) :])
    except ValidationError:
        raise VerificationError("malformed verification code") from None


def check_code(code: VerificationCode, keys: Callable[[str], MunicipalKey]) -> Verified:
    """The signature over the statement, with the key pinned for the code's municipality."""
    try:
        key = keys(code.municipality)
    except KioskError:
        raise VerificationError("no key for this municipality") from None
    try:
        verify_statement(code.statement(), code.signature, municipal_key=key)
    except DocumentSignatureError:
        raise VerificationError("signature does not verify") from None
    return Verified(serial=code.serial, municipality=code.municipality, content_checked=False)


def check_pdf(path: Path, keys: Callable[[str], MunicipalKey]) -> Verified:
    code, content = _read_metadata(path)
    verified = check_code(code, keys)
    if content_sha256(content) != code.content_sha256:
        raise VerificationError("the certificate's content differs from what was signed")
    if content.serial != code.serial or content.municipality.code != code.municipality:
        raise VerificationError("the certificate's serial or municipality differs from what was signed")
    page_text = _without_spaces(_page_text(path))
    fields = _printed_fields(content).items()
    missing = [field for field, value in fields if _without_spaces(value) not in page_text]
    if missing:
        raise VerificationError(f"the printed text differs from what was signed ({', '.join(missing)})")
    return Verified(serial=verified.serial, municipality=verified.municipality, content_checked=True)


def _without_spaces(text: str) -> str:
    # Compared without any white space: a long value wraps onto a second line (pdftotext drops the space it
    # broke at), and pdftotext writes the full-width space of names and 和暦 dates (U+3000) as U+0020.
    return "".join(text.split())


def _read_metadata(path: Path) -> tuple[VerificationCode, DocumentContent]:
    # pypdf is imported here, not at the top: it costs 0.2 s of the kiosk's start-up, and only
    # `kiosk verify` reads PDFs.
    from pypdf import PdfReader  # noqa: PLC0415
    from pypdf.errors import PdfReadError  # noqa: PLC0415

    try:
        metadata = PdfReader(path).metadata
    except (OSError, PdfReadError, ValueError):
        raise VerificationError("not a readable PDF") from None
    if metadata is None or not metadata.subject or not metadata.keywords:
        raise VerificationError("no verification data in this PDF")
    code = parse_code(str(metadata.subject))
    try:
        raw = base64.b64decode(str(metadata.keywords), validate=True)
        content = _CONTENT.validate_json(raw)
    except (binascii.Error, ValidationError, json.JSONDecodeError):
        raise VerificationError("the certificate's content data is malformed") from None
    return code, content


def _page_text(path: Path) -> str:
    # poppler's pdftotext in content-stream order (-raw): a wrapped value stays together with its label.
    result = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"],  # noqa: S607 - poppler-utils from run.sh
        capture_output=True,
        timeout=60,
        check=False,
    )
    if result.returncode != 0:
        raise VerificationError("the PDF's text cannot be read")
    return result.stdout.decode("utf-8", errors="replace")


def _printed_fields(content: DocumentContent) -> dict[str, str]:
    """Fields every certificate prints verbatim; names are compared with spaces as printed."""
    fields = {"serial": content.serial, "address": content.address}
    if isinstance(content, JuminhyoContent):
        for index, member in enumerate(content.members):
            fields[f"members[{index}].name"] = member.name
    else:
        fields["name"] = content.name
    return fields
