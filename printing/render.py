"""A4 certificates as PDF bytes: header, the tabular body, certification, mayor and seals, serial and page
n of m, the background pattern, microtext and the verification QR code on every page.

The PDF is built in memory and returned as bytes: it never touches disk here (the spooler streams it to
CUPS). Every registered string is checked against IPAmj明朝 before the first line is drawn, so a name the
font cannot print exactly stops the transaction (`MissingGlyphError`: the resident goes to the counter)
instead of printing a box.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from printing.document import Certificate, Field, PersonBlock
from printing.fonts import FontSet
from printing.wording import Layout, Wording

__all__ = ["PageDecorator", "Renderer"]

_INK = Color(0, 0, 0)
_RULE = Color(0.35, 0.35, 0.35)
_SEAL_RED = Color(0.78, 0.1, 0.12)


class PageDecorator:
    """What the security features draw under and around a page (printing.security provides the real one)."""

    def begin_document(self, canvas: Canvas) -> None:
        """Define reusable forms once per document."""

    def background(
        self,
        canvas: Canvas,
        certificate: Certificate,
        *,
        page: int,
        text_area: tuple[float, float, float, float],
    ) -> None:
        """Drawn first on every page, under everything else."""

    def foreground(self, canvas: Canvas, certificate: Certificate, *, page: int, pages: int) -> None:
        """Drawn last on every page (microtext, QR code)."""


@dataclass(frozen=True)
class Renderer:
    fonts: FontSet
    wording: Wording
    decorator: PageDecorator = field(default_factory=PageDecorator)

    def render(self, certificate: Certificate) -> bytes:
        for text in certificate.registered_texts():
            self.fonts.check(text, self.fonts.registered)
        buffer = io.BytesIO()
        canvas = Canvas(buffer, pagesize=A4, initialFontName=self.fonts.label, pageCompression=1)
        canvas.setTitle(certificate.title)
        canvas.setAuthor(certificate.municipality)
        canvas.setCreator("konbini-kiosk")
        canvas.setSubject(certificate.metadata.subject)
        canvas.setKeywords(certificate.metadata.keywords)
        self.decorator.begin_document(canvas)
        pages = _Page(canvas, self.fonts, self.wording, certificate).paginate()
        for number, persons in enumerate(pages, start=1):
            _Page(canvas, self.fonts, self.wording, certificate).draw(
                persons, number, len(pages), self.decorator
            )
            canvas.showPage()
        canvas.save()
        return buffer.getvalue()


class _Page:
    """One page of one certificate; coordinates in points from the bottom left, as reportlab has them."""

    def __init__(self, canvas: Canvas, fonts: FontSet, wording: Wording, certificate: Certificate) -> None:
        self.canvas = canvas
        self.fonts = fonts
        self.wording = wording
        self.layout: Layout = wording.layout
        self.certificate = certificate
        self.width, self.height = A4
        self.left = self.layout.margin * mm
        self.right = self.width - self.layout.margin * mm

    @property
    def top(self) -> float:
        return float(self.height - self.layout.margin * mm)

    @property
    def bottom(self) -> float:
        """Nothing of the body goes below this: the band beneath holds the QR code, footer and microtext."""
        return float(self.layout.margin * mm + self.layout.qr_size * mm + 8 * mm)

    def paginate(self) -> tuple[tuple[PersonBlock, ...], ...]:
        """Persons packed onto pages by measured height (at most `members_per_page` each), the header on
        every page, and the seal impression and certification after the last person, on a page of their
        own if they do not fit: a household that overflows continues, nothing runs off the page."""
        available = self._body_top() - self.bottom - self._rows_height(self.certificate.header)
        pages: list[tuple[PersonBlock, ...]] = []
        current: list[PersonBlock] = []
        used = 0.0
        for person in self.certificate.persons:
            height = 2 * mm + self._rows_height(person.fields)
            if current and (used + height > available or len(current) >= self.layout.members_per_page):
                pages.append(tuple(current))
                current, used = [], 0.0
            current.append(person)
            used += height
        if used + self._closing_height() > available:
            pages.append(tuple(current))
            current = []
        pages.append(tuple(current))
        return tuple(pages)

    def _body_top(self) -> float:
        return float(self.top - self.layout.title_size - 6 * mm)

    def _rows_height(self, fields: tuple[Field, ...]) -> float:
        width = self.right - self.left - self.layout.label_width * mm - 4 * mm
        lines = sum(len(self._wrap(entry.value, self._font(entry), width)) for entry in fields)
        return float(lines * self.layout.row_height * mm)

    def _closing_height(self) -> float:
        """The seal impression (印鑑登録証明書), then the certification, date, mayor and 公印."""
        seal = 2 * mm + self.layout.seal_size * mm if self.certificate.seal_image is not None else 0
        return float(seal + 6 * mm + 22 * mm + 8 * mm + 2 * mm)

    def draw(self, persons: tuple[PersonBlock, ...], page: int, pages: int, decorator: PageDecorator) -> None:
        top, bottom = self.top, self.bottom
        decorator.background(
            self.canvas, self.certificate, page=page, text_area=(self.left, bottom, self.right, top)
        )
        y = self._title(top)
        y = self._rows(self.certificate.header, y)
        for person in persons:
            y = self._rows(person.fields, y - 2 * mm)
        if page == pages:
            if self.certificate.seal_image is not None:
                y = self._seal_impression(y - 2 * mm)
            self._certification(y - 6 * mm)
        self._footer(page, pages)
        decorator.foreground(self.canvas, self.certificate, page=page, pages=pages)

    # ----------------------------------------------------------------------------------------- parts

    def _title(self, top: float) -> float:
        size = self.layout.title_size
        title = self.certificate.title
        width = self.fonts.text_width(title, self.fonts.label, size)
        self._text(title, (self.width - width) / 2, top - size, self.fonts.label, size)
        self._text(
            self.certificate.municipality, self.left, top - size, self.fonts.label, self.layout.text_size
        )
        return float(top - size - 6 * mm)

    def _rows(self, fields: tuple[Field, ...], y: float) -> float:
        row = self.layout.row_height * mm
        label_width = self.layout.label_width * mm
        for entry in fields:
            lines = self._wrap(entry.value, self._font(entry), self.right - self.left - label_width - 4 * mm)
            height = row * len(lines)
            self.canvas.setStrokeColor(_RULE)
            self.canvas.setLineWidth(0.4)
            self.canvas.rect(self.left, y - height, self.right - self.left, height)
            self.canvas.line(self.left + label_width, y - height, self.left + label_width, y)
            self._text(
                entry.label, self.left + 2 * mm, y - row + 2.2 * mm, self.fonts.label, self.layout.label_size
            )
            for index, line in enumerate(lines):
                baseline = y - row * (index + 1) + 2.2 * mm
                self._text(
                    line, self.left + label_width + 2 * mm, baseline, self._font(entry), self.layout.text_size
                )
            y -= height
        return y

    def _seal_impression(self, y: float) -> float:
        size = self.layout.seal_size * mm
        label = self.wording.labels.seal
        self._text(label, self.left + 2 * mm, y - 5 * mm, self.fonts.label, self.layout.label_size)
        image = ImageReader(io.BytesIO(self.certificate.seal_image or b""))
        x = self.left + self.layout.label_width * mm + 2 * mm
        self.canvas.drawImage(image, x, y - size, size, size, mask="auto")
        return float(y - size)

    def _certification(self, y: float) -> None:
        size = self.layout.text_size
        self._text(self.certificate.certification, self.left, y, self.fonts.label, size)
        self._text(self.certificate.issued_on, self.left + 10 * mm, y - 9 * mm, self.fonts.label, size)
        mayor_y = y - 22 * mm
        self._text(self.certificate.mayor_title, self.left + 70 * mm, mayor_y, self.fonts.label, size + 2)
        title_width = self.fonts.text_width(self.certificate.mayor_title, self.fonts.label, size + 2)
        name_x = self.left + 70 * mm + title_width + 4 * mm
        self._text(self.certificate.mayor_name, name_x, mayor_y, self.fonts.registered, size + 2)
        name_width = self.fonts.text_width(self.certificate.mayor_name, self.fonts.registered, size + 2)
        self._official_seal(name_x + name_width + 2 * mm, mayor_y - 8 * mm)

    def _official_seal(self, x: float, y: float) -> None:
        """The 公印: a red square with the mayor's seal text, drawn as vectors (red, over the name)."""
        side = self.layout.mayor_seal_size * mm
        canvas = self.canvas
        canvas.saveState()
        canvas.setStrokeColor(_SEAL_RED)
        canvas.setFillColor(_SEAL_RED)
        canvas.setLineWidth(1.6)
        canvas.rect(x, y, side, side)
        text = f"{self.certificate.mayor_title}之印"
        columns = [text[index : index + 3] for index in range(0, len(text), 3)][:3]
        glyph = side / 3.4
        for column, characters in enumerate(columns):  # the first column is the rightmost: read right to left
            for row, character in enumerate(characters):
                cx = (
                    x
                    + side
                    - (column + 1) * side / max(len(columns), 1)
                    + (side / max(len(columns), 1) - glyph) / 2
                )
                cy = y + side - (row + 1) * glyph - 1.5 * mm
                canvas.setFont(self.fonts.label, glyph)
                canvas.drawString(cx, cy, self.fonts.prepare(character, self.fonts.label))
        canvas.restoreState()

    def _footer(self, page: int, pages: int) -> None:
        size = self.layout.label_size
        labels = self.wording.labels
        y = self.layout.margin * mm
        self._text(f"{labels.serial} {self.certificate.serial}", self.left, y, self.fonts.label, size)
        numbering = labels.page.format(page=page, pages=pages)
        width = self.fonts.text_width(numbering, self.fonts.label, size)
        self._text(numbering, (self.width - width) / 2, y, self.fonts.label, size)

    # --------------------------------------------------------------------------------------- helpers

    def _font(self, field: Field) -> str:
        return self.fonts.registered if field.registered else self.fonts.label

    def _text(self, text: str, x: float, y: float, font: str, size: float) -> None:
        self.canvas.setFillColor(_INK)
        self.canvas.setFont(font, size)
        self.canvas.drawString(x, y, self.fonts.prepare(text, font))

    def _wrap(self, text: str, font: str, width: float) -> list[str]:
        """Greedy wrap by characters (Japanese has no spaces to break at); variation sequences stay whole."""
        lines: list[str] = []
        current = ""
        for unit in _units(text):
            if current and self.fonts.text_width(current + unit, font, self.layout.text_size) > width:
                lines.append(current)
                current = unit
            else:
                current += unit
        return [*lines, current] if current or not lines else lines


def _units(text: str) -> list[str]:
    """Characters with any variation selector attached to the one before it."""
    units: list[str] = []
    for character in text:
        code = ord(character)
        if units and (0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF):
            units[-1] += character
        else:
            units.append(character)
    return units
