"""The security features on every page of a certificate: the 地紋 with its latent 「複写」 under the text,
microtext along the bottom border and the verification QR code (printing/security.py draws them)."""

from __future__ import annotations

import hashlib

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from printing.document import Certificate
from printing.fonts import FontSet
from printing.render import PageDecorator
from printing.security import (
    PatternForms,
    PatternStyle,
    Rect,
    WordShape,
    define_pattern_forms,
    draw_background,
    draw_microtext,
    draw_qr,
    word_shape,
)
from printing.wording import Wording

__all__ = ["SecurityDecorator"]

_MICROTEXT_INK = Color(0.25, 0.25, 0.25)


class SecurityDecorator(PageDecorator):
    """Made once per process (the latent word's outline takes ~100 ms to read); forms once per document."""

    def __init__(self, fonts: FontSet, wording: Wording) -> None:
        self._fonts = fonts
        self._layout = wording.layout
        self._style = PatternStyle(**wording.pattern.model_dump())
        self._word: WordShape = word_shape(fonts.label_gothic or fonts.label, self._style.latent_word)
        self._forms: PatternForms | None = None

    def begin_document(self, canvas: Canvas) -> None:
        self._forms = define_pattern_forms(canvas, self._style, word=self._word)

    def background(
        self,
        canvas: Canvas,
        certificate: Certificate,
        *,
        page: int,
        text_area: tuple[float, float, float, float],
    ) -> None:
        assert self._forms is not None  # noqa: S101 - begin_document runs first (Renderer.render)
        width, height = A4
        x0, y0, x1, y1 = text_area
        # Where the rosettes and latent words go follows from the serial: every certificate differs, and the
        # same certificate rendered twice is the same picture (golden-image tests, reprints for staff).
        seed = int.from_bytes(hashlib.sha256(certificate.serial.encode()).digest()[:4], "big") + page
        avoid = (Rect(x0, y0, x1 - x0, y1 - y0), self._qr_rect())
        draw_background(canvas, self._forms, width, height, seed=seed, avoid=avoid)

    def foreground(self, canvas: Canvas, certificate: Certificate, *, page: int, pages: int) -> None:
        left = self._layout.margin * mm
        width = A4[0] - 2 * left
        canvas.saveState()
        canvas.setFillColor(_MICROTEXT_INK)
        micro = f"{certificate.municipality} {certificate.serial} "
        draw_microtext(canvas, micro, left, left - 3 * mm, width, font_name=self._fonts.label)
        canvas.restoreState()
        qr = self._qr_rect()
        draw_qr(canvas, certificate.verification_code, qr.x, qr.y, qr.width)

    def _qr_rect(self) -> Rect:
        size = self._layout.qr_size * mm
        right = A4[0] - self._layout.margin * mm
        return Rect(right - size, self._layout.margin * mm, size, size)
