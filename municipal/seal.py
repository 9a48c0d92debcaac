"""Generated seal impressions (印影) for residents whose import gives no image.

The reference backend needs an image for every registered seal so that a 印鑑登録証明書 can be printed. Real
impressions carry the resident's name in seal script; Pillow has no CJK font yet, so the picture is a double
ring around a stroke pattern drawn from SHA-256 of the registration number: stable for one registration,
different between registrations, and free of any personal data.
"""

from __future__ import annotations

import hashlib
import io
import math
from typing import Final

from PIL import Image, ImageDraw

__all__ = ["MAX_SIZE", "MIN_SIZE", "seal_impression_png"]

MIN_SIZE: Final = 32
#: 1024 px RGBA compresses to far below the 256 KiB a seal image may have on the wire.
MAX_SIZE: Final = 1024

# 朱肉 (vermilion seal ink).
_INK: Final = (200, 34, 42)
# Drawn at four times the size and scaled down: ImageDraw has no anti-aliasing of its own.
_SUPERSAMPLE: Final = 4
_GRID: Final = 4
_SPECKLES: Final = 24


def seal_impression_png(registration_number: str, *, size: int = 240) -> bytes:
    """A size x size RGBA PNG: red ink on a transparent background, the same bytes for the same input."""
    if not registration_number:
        raise ValueError("a seal impression needs a registration number")
    if not MIN_SIZE <= size <= MAX_SIZE:
        raise ValueError(f"seal size must be between {MIN_SIZE} and {MAX_SIZE} pixels")
    digest = hashlib.sha256(registration_number.encode("utf-8")).digest()
    canvas = size * _SUPERSAMPLE
    # Draw ink coverage as a greyscale mask, then use it as the alpha channel of a plain red image.
    mask = Image.new("L", (canvas, canvas), 0)
    draw = ImageDraw.Draw(mask)
    _rings(draw, canvas)
    _strokes(draw, canvas, digest)
    _wear(draw, canvas, digest)
    alpha = mask.resize((size, size), Image.Resampling.LANCZOS)
    impression = Image.new("RGBA", (size, size), (*_INK, 0))
    impression.putalpha(alpha)
    buffer = io.BytesIO()
    # No text chunks or timestamps are written, so the output depends on the pixels alone.
    impression.save(buffer, format="PNG")
    return buffer.getvalue()


def _rings(draw: ImageDraw.ImageDraw, canvas: int) -> None:
    outer = canvas * 0.02
    draw.ellipse((outer, outer, canvas - outer, canvas - outer), outline=255, width=round(canvas * 0.06))
    inner = canvas * 0.13
    draw.ellipse((inner, inner, canvas - inner, canvas - inner), outline=255, width=round(canvas * 0.018))


def _strokes(draw: ImageDraw.ImageDraw, canvas: int, digest: bytes) -> None:
    """A grid of seal-script-like strokes inside the inner ring, one digest byte per cell."""
    radius = canvas * (0.5 - 0.13) - canvas * 0.03
    side = radius * math.sqrt(2)  # the square inscribed in the inner ring
    origin = (canvas - side) / 2
    cell = side / _GRID
    bar = max(1, round(cell * 0.22))
    for index in range(_GRID * _GRID):
        row, column = divmod(index, _GRID)
        byte = digest[index]
        left = origin + column * cell
        top = origin + row * cell
        middle_x = left + cell / 2
        middle_y = top + cell / 2
        if byte & 0b0001:
            draw.line((left, middle_y, left + cell, middle_y), fill=255, width=bar)
        if byte & 0b0010:
            draw.line((middle_x, top, middle_x, top + cell), fill=255, width=bar)
        if byte & 0b1100 == 0b1100:
            inset = cell * 0.25
            draw.rectangle((left + inset, top + inset, left + cell - inset, top + cell - inset), fill=255)
        if byte & 0b0011 == 0:
            # An empty cell still gets a dot so that the pattern never has large holes.
            dot = cell * 0.14
            draw.ellipse((middle_x - dot, middle_y - dot, middle_x + dot, middle_y + dot), fill=255)


def _wear(draw: ImageDraw.ImageDraw, canvas: int, digest: bytes) -> None:
    """Small gaps in the ink, as a real stamp leaves them; positions come from the digest, not from random."""
    for index in range(_SPECKLES):
        point = hashlib.sha256(digest + index.to_bytes(1, "big")).digest()
        angle = int.from_bytes(point[0:2], "big") / 65536 * 2 * math.pi
        distance = int.from_bytes(point[2:4], "big") / 65536 * canvas * 0.48
        x = canvas / 2 + distance * math.cos(angle)
        y = canvas / 2 + distance * math.sin(angle)
        dot = canvas * (0.004 + point[4] / 255 * 0.008)
        draw.ellipse((x - dot, y - dot, x + dot, y + dot), fill=0)
