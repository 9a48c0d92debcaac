"""The staff test print (printing/specimen.py): obviously a 見本, placeholder content only, the real renderer
with its security features, a sound PDF, and nothing a verifier would take for a certificate."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from printing.decorations import SecurityDecorator
from printing.fonts import FontSet
from printing.render import Renderer
from printing.specimen import SPECIMEN_HEADER, SPECIMEN_MARK, render_specimen, specimen_certificate
from printing.verification import VerificationError, check_pdf
from printing.wording import load_wording
from tests.unit.municipal.service_fixture import sample_personal_data

WORDING = load_wording()
ISSUED_AT = datetime(2026, 4, 1, 0, 30, tzinfo=UTC)  # 09:30 in Japan


@pytest.fixture(scope="module")
def specimen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    fonts = FontSet.register()
    renderer = Renderer(fonts, WORDING, SecurityDecorator(fonts, WORDING))
    path = tmp_path_factory.mktemp("specimen") / "specimen.pdf"
    path.write_bytes(render_specimen(renderer, WORDING, ISSUED_AT))
    return path


def text_of(path: Path) -> str:
    result = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, timeout=60
    )
    return result.stdout.decode("utf-8")


def test_it_says_mihon(specimen: Path) -> None:
    text = text_of(specimen)
    assert SPECIMEN_MARK in text
    assert SPECIMEN_HEADER in text  # 見本 — テスト印刷, in the top margin
    assert WORDING.juminhyo.title in text and "令和 ８年 ４月 １日" in text  # the layout staff check
    assert "SPECIMEN-20260401-093000" in text  # the serial, in Japan time


def test_no_sample_resident_appears(specimen: Path) -> None:
    text = "".join(text_of(specimen).split())
    printed = [value for value in sample_personal_data() if "".join(value.split()) in text]
    assert printed == []


def test_the_pdf_is_sound(specimen: Path) -> None:
    result = subprocess.run(["qpdf", "--check", str(specimen)], capture_output=True, check=False, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert b"No syntax or stream encoding errors" in result.stdout
    assert len(PdfReader(specimen).pages) == 1


def test_the_security_features_are_drawn(specimen: Path) -> None:
    # The 地紋's forms and the microtext of the real decorator are in the page, as on a certificate.
    page = PdfReader(specimen).pages[0]
    resources = page["/Resources"].get_object()
    assert isinstance(resources, DictionaryObject)
    forms = resources.get("/XObject")
    assert forms is not None and len(forms.get_object()) > 3
    text = text_of(specimen)
    assert text.count("見本市 SPECIMEN-20260401-093000") > 3  # the microtext line repeats the serial


def test_a_verifier_rejects_it(specimen: Path) -> None:
    with pytest.raises(VerificationError):
        check_pdf(specimen, lambda code: pytest.fail("no key should be asked for"))


def test_issued_at_must_be_aware() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        specimen_certificate(WORDING, datetime(2026, 4, 1, 9, 30))
