"""The verification code and `kiosk verify`: genuine certificates pass, altered ones say why they fail."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from kiosk.backend.document import JuminhyoContent, Member
from kiosk.backend.verify import VerifiedDocument, verify_document
from kiosk.cli import main
from kiosk.errors import ConfigError
from printing.verification import (
    CODE_PREFIX,
    VerificationError,
    certificate_metadata,
    check_code,
    check_pdf,
    parse_code,
    verification_code,
)
from tests.unit.backend import samples

KEY = Ed25519PrivateKey.generate()
OTHER_KEY = Ed25519PrivateKey.generate()
FONT = "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf"


def content() -> JuminhyoContent:
    # BMP names only: these tests are about the code and the checks; the fonts have test_fonts.py
    base = samples.juminhyo()
    members = (
        Member(name="髙橋 一郎", birth_date=base.members[0].birth_date, sex=base.members[0].sex),
        Member(name="山﨑 花子", birth_date=base.members[1].birth_date, sex=base.members[1].sex),
    )
    return base.model_copy(update={"members": members, "householder": "髙橋 一郎"})


def document(key: Ed25519PrivateKey = KEY) -> VerifiedDocument:
    envelope = samples.sign(content(), key)
    return verify_document(envelope, municipal_key=key.public_key(), expected=samples.expected())


def keys(code: str) -> object:
    if code == samples.MUNICIPALITY.code:
        return KEY.public_key()
    raise ConfigError("test", f"municipalities.{code}", "no pinned key")


def test_the_code_verifies_with_the_municipalitys_key_and_holds_no_personal_data() -> None:
    code = verification_code(document())
    text = code.text()
    assert text.startswith(CODE_PREFIX) and len(text) < 700
    for private in ("髙橋", "山﨑", "一丁目", "1980"):
        assert private not in text
    verified = check_code(parse_code(text), keys)  # type: ignore[arg-type]
    assert verified.to_dict() == {
        "valid": True,
        "serial": "J-2026-000001",
        "municipality": samples.MUNICIPALITY.code,
        "content_checked": False,
    }


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        (lambda d: {**d, "serial": "J-2026-000002"}, "signature does not verify"),
        (lambda d: {**d, "content_sha256": "0" * 64}, "signature does not verify"),
        (lambda d: {**d, "municipality": "131016"}, "no key for this municipality"),
        (lambda d: {**d, "signature": base64.b64encode(bytes(64)).decode()}, "signature does not verify"),
        (lambda d: {**d, "extra": 1}, "malformed verification code"),
    ],
)
def test_an_altered_code_is_refused(edit, reason: str) -> None:  # type: ignore[no-untyped-def]
    fields = json.loads(verification_code(document()).text()[len(CODE_PREFIX) :])
    with pytest.raises(VerificationError) as caught:
        check_code(parse_code(CODE_PREFIX + json.dumps(edit(fields))), keys)  # type: ignore[arg-type]
    assert caught.value.reason == reason


def test_a_code_signed_by_another_key_is_refused() -> None:
    with pytest.raises(VerificationError, match="signature"):
        check_code(verification_code(document(OTHER_KEY)), keys)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["", "hello", CODE_PREFIX + "{", CODE_PREFIX + "x" * 2000])
def test_not_a_code(text: str) -> None:
    with pytest.raises(VerificationError):
        parse_code(text)


def write_pdf(
    path: Path,
    verified: VerifiedDocument,
    *,
    printed_names: tuple[str, ...] | None = None,
    keywords: str | None = None,
) -> Path:
    if "VerifyTestMincho" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("VerifyTestMincho", FONT))
    metadata = certificate_metadata(verified)
    canvas = Canvas(str(path))
    canvas.setSubject(metadata.subject)
    canvas.setKeywords(keywords if keywords is not None else metadata.keywords)
    canvas.setFont("VerifyTestMincho", 10)
    lines = [verified.content.serial, verified.content.address]
    assert isinstance(verified.content, JuminhyoContent)
    lines += list(printed_names or tuple(member.name for member in verified.content.members))
    for index, line in enumerate(lines):
        canvas.drawString(72, 760 - 20 * index, line)
    canvas.save()
    return path


def test_a_genuine_pdf_verifies_with_its_content(tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "c.pdf", document())
    assert check_pdf(pdf, keys).content_checked is True  # type: ignore[arg-type]


def test_altered_printed_text_is_found(tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "c.pdf", document(), printed_names=("髙橋 一郎", "山崎 花子"))
    with pytest.raises(VerificationError) as caught:
        check_pdf(pdf, keys)  # type: ignore[arg-type]
    assert caught.value.reason == "the printed text differs from what was signed (members[1].name)"
    assert "山" not in str(caught.value)


def test_altered_embedded_content_is_found(tmp_path: Path) -> None:
    verified = document()
    altered = verified.content.model_copy(update={"address": "神奈川県横浜市中区港町一丁目2番地"})
    keywords = base64.b64encode(altered.model_dump_json().encode()).decode()
    pdf = write_pdf(tmp_path / "c.pdf", verified, keywords=keywords)
    with pytest.raises(VerificationError, match="content differs"):
        check_pdf(pdf, keys)  # type: ignore[arg-type]


def test_a_pdf_without_verification_data(tmp_path: Path) -> None:
    path = tmp_path / "plain.pdf"
    Canvas(str(path)).save()
    with pytest.raises(VerificationError, match="no verification data"):
        check_pdf(path, keys)  # type: ignore[arg-type]
    (tmp_path / "junk.pdf").write_bytes(b"not a pdf")
    with pytest.raises(VerificationError, match="not a readable PDF"):
        check_pdf(tmp_path / "junk.pdf", keys)  # type: ignore[arg-type]


def test_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pem = tmp_path / "municipal.pem"
    pem.write_bytes(
        KEY.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    genuine = write_pdf(tmp_path / "genuine.pdf", document())
    assert main(["verify", str(genuine), "--key", str(pem), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["content_checked"] is True
    code = verification_code(document()).text()
    assert main(["verify", "--qr", code, "--key", str(pem), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["content_checked"] is False
    forged = write_pdf(tmp_path / "forged.pdf", document(), printed_names=("髙橋 一郎", "別人 花子"))
    assert main(["verify", str(forged), "--key", str(pem), "--json"]) == 9
    error = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert error["code"] == "not-verified"
