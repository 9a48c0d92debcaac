"""The staff test print: a 住民票の写し that is obviously a 見本, printed through the real renderer.

Staff print it to see that the printer, the paper and the security features come out right, so it goes
through the same `Renderer` (fonts, layout, the decorator with the 地紋, microtext and QR code) as a real
certificate, with two additions drawn over every page: a large red 見本 stamp and a 「見本 — テスト印刷」
line in the top margin. Its content is made-up placeholder text only (見本市, 見本 次郎): no sample
resident, and nothing that a verifier could take for a certificate (the QR code and the PDF's Subject
carry no verification code, so `kiosk verify` rejects it).
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Final
from zoneinfo import ZoneInfo

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kiosk.backend.document import DocumentType
from printing.document import Certificate, Field, PersonBlock
from printing.fonts import FontSet
from printing.render import PageDecorator, Renderer
from printing.verification import CertificateMetadata
from printing.wareki import era_date
from printing.wording import Wording

__all__ = ["SPECIMEN_HEADER", "SPECIMEN_MARK", "SpecimenDecorator", "render_specimen", "specimen_certificate"]

SPECIMEN_MARK: Final = "見本"
SPECIMEN_HEADER: Final = "見本 — テスト印刷"
#: What the QR code and the PDF's Subject say instead of a verification code (ASCII: any scanner reads it).
SPECIMEN_CODE: Final = "KONBINI-KIOSK SPECIMEN: not a certificate"

_JST: Final = ZoneInfo("Asia/Tokyo")
_STAMP_RED = Color(0.85, 0.05, 0.05)
_STAMP_SIZE: Final = 170.0  # points: two characters across most of the page's width when turned
_STAMP_ANGLE: Final = 30.0
_HEADER_SIZE: Final = 11.0

# Placeholder content: the fictional 見本市 and its 見本 family, none of them in config/samples.
_MUNICIPALITY: Final = "見本市"
_ADDRESS: Final = "見本県見本市見本町一丁目1番1号"
_MAYOR_TITLE: Final = "見本市長"
_MAYOR_NAME: Final = "見本 三郎"
_PERSONS: Final = (
    ("見本 次郎", "ミホン ジロウ", date(1980, 1, 1), True, "世帯主"),
    ("見本 春子", "ミホン ハルコ", date(1982, 2, 2), False, "妻"),
)


class SpecimenDecorator(PageDecorator):
    """The renderer's own decorator (the security features), then the 見本 stamp and header on top."""

    def __init__(self, inner: PageDecorator, fonts: FontSet, wording: Wording) -> None:
        self._inner = inner
        self._fonts = fonts
        self._margin = wording.layout.margin * mm

    def begin_document(self, canvas: Canvas) -> None:
        self._inner.begin_document(canvas)

    def background(
        self,
        canvas: Canvas,
        certificate: Certificate,
        *,
        page: int,
        text_area: tuple[float, float, float, float],
    ) -> None:
        self._inner.background(canvas, certificate, page=page, text_area=text_area)

    def foreground(self, canvas: Canvas, certificate: Certificate, *, page: int, pages: int) -> None:
        self._inner.foreground(canvas, certificate, page=page, pages=pages)
        self._header(canvas)
        self._stamp(canvas)

    def _header(self, canvas: Canvas) -> None:
        font = self._fonts.label_gothic or self._fonts.label
        width = self._fonts.text_width(SPECIMEN_HEADER, font, _HEADER_SIZE)
        canvas.saveState()
        canvas.setFillColor(_STAMP_RED)
        canvas.setFont(font, _HEADER_SIZE)
        # In the top margin, above the title: nothing of the certificate is drawn there.
        y = A4[1] - self._margin + (self._margin - _HEADER_SIZE) / 2
        canvas.drawString((A4[0] - width) / 2, y, self._fonts.prepare(SPECIMEN_HEADER, font))
        canvas.restoreState()

    def _stamp(self, canvas: Canvas) -> None:
        font = self._fonts.label_gothic or self._fonts.label
        width = self._fonts.text_width(SPECIMEN_MARK, font, _STAMP_SIZE)
        canvas.saveState()
        canvas.translate(A4[0] / 2, A4[1] / 2)
        canvas.rotate(_STAMP_ANGLE)
        # Outlined with a light fill: unmistakable across the page, yet the text under it stays readable,
        # which is what staff are checking.
        canvas.setStrokeColor(_STAMP_RED)
        canvas.setFillColor(_STAMP_RED)
        canvas.setFillAlpha(0.18)
        canvas.setLineWidth(2.5)
        text = canvas.beginText(-width / 2, -_STAMP_SIZE * 0.35)
        text.setTextRenderMode(2)  # fill, then stroke
        text.setFont(font, _STAMP_SIZE)
        text.textOut(self._fonts.prepare(SPECIMEN_MARK, font))
        canvas.drawText(text)
        pad = 8 * mm
        canvas.setFillAlpha(1)
        canvas.rect(-width / 2 - pad, -_STAMP_SIZE * 0.35 - pad, width + 2 * pad, _STAMP_SIZE + 2 * pad)
        canvas.restoreState()


def specimen_certificate(wording: Wording, issued_at: datetime) -> Certificate:
    """The placeholder 住民票の写し, dated `issued_at` (aware; shown in 和暦 in Japan time)."""
    if issued_at.tzinfo is None:
        raise ValueError("issued_at must be timezone-aware")
    labels = wording.labels
    local = issued_at.astimezone(_JST)

    def wareki(day: date) -> str:
        return era_date(day, full_width=True, pad=True)

    persons = tuple(
        PersonBlock(
            (
                Field(labels.name, name, registered=True),
                Field(labels.name_kana, kana, registered=True),
                Field(labels.birth_date, wareki(born), registered=False),
                Field(labels.sex, labels.male if male else labels.female, registered=False),
                Field(labels.relationship, relationship, registered=True),
            )
        )
        for name, kana, born, male, relationship in _PERSONS
    )
    return Certificate(
        document_type=DocumentType.JUMINHYO,
        title=wording.juminhyo.title,
        municipality=_MUNICIPALITY,
        header=(
            Field(labels.address, _ADDRESS, registered=True),
            Field(labels.householder, _PERSONS[0][0], registered=True),
        ),
        persons=persons,
        certification=wording.juminhyo.certification,
        issued_on=wareki(local.date()),
        mayor_title=_MAYOR_TITLE,
        mayor_name=_MAYOR_NAME,
        # The time in the serial tells two test prints apart (and seeds a different 地紋 layout, as a real
        # serial does).
        serial=f"SPECIMEN-{local:%Y%m%d-%H%M%S}",
        seal_image=None,
        verification_code=SPECIMEN_CODE,
        metadata=CertificateMetadata(subject=f"{SPECIMEN_HEADER} ({SPECIMEN_CODE})", keywords=SPECIMEN_MARK),
    )


def render_specimen(renderer: Renderer, wording: Wording, issued_at: datetime) -> bytes:
    """The 見本 test print as PDF bytes, through `renderer` with its decorator and the 見本 marks on top."""
    marked = dataclasses.replace(
        renderer, decorator=SpecimenDecorator(renderer.decorator, renderer.fonts, wording)
    )
    return marked.render(specimen_certificate(wording, issued_at))
