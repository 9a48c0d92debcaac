"""Security printing: the 地紋 with its latent 「複写」, microtext along a border, the verification QR code.

The renderer calls these on a reportlab `Canvas`: `define_pattern_forms` once per document, then per page
`draw_background` first (it paints paper white inside the latent word, see below), its own text, and
`draw_microtext` / `draw_qr`.

The background is a few Form XObjects placed many times with translate/rotate: a page costs a few hundred
`Do` operators instead of thousands of inline curves (measured in docs: 15 KB / 6.5 ms against 300 KB /
143 ms). A form clips to its BBox, which is the page rectangle unless given, so every form here declares a
BBox that holds its strokes; only the screen tile is clipped on purpose, so tiles join without seams.

Layers, bottom to top, all in one light tint:

* the screen: fine 45° lines (0.12 pt every 0.48 pt by default), finer than a copier resolves; it reads as
  a flat tint and a copy loses it;
* the latent words (けん制文字 「複写」): inside the word's outline the screen is painted over with paper
  white and replaced by coarse dots (about 2 pt every 2.9 pt) that put the same ink on the same area (see
  `PatternStyle.latent_balance`), so the original looks uniform while a copier keeps the dots and drops the
  lines: the word appears on the copy;
* guilloche waves (two crossing families of sine bands) and a few rosettes, the visible decoration.

The word's shape is its glyph outline from the font (`word_shape`), drawn as a path, not as text: text in
render mode 7 (clip) would work as a shape but pdftotext extracts it, so every original would "say" 複写
and the page text that `kiosk verify` reads would carry it.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import cycle, groupby
from typing import Any, Final

import segno
from fontTools.pens.basePen import BasePen
from fontTools.ttLib import TTFont as ToolsFont
from reportlab.lib.colors import HexColor, black, white
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import FILL_NON_ZERO, Canvas

__all__ = [
    "BackgroundLayout",
    "LatentWordPlacementError",
    "PatternForms",
    "PatternStyle",
    "Rect",
    "WordPlacement",
    "WordShape",
    "define_pattern_forms",
    "draw_background",
    "draw_microtext",
    "draw_qr",
    "word_shape",
]

#: Side of a screen tile, in points. The line spacing is adjusted so a whole number of lines fits.
_SCREEN_TILE: Final = 72.0
#: Wanted width of a wave band; rounded to whole wave periods so neighbouring bands continue each other.
_WAVE_BAND_WIDTH: Final = 144.0
#: Form names are document-wide in reportlab; a prefix keeps them clear of the renderer's own.
_FORM_PREFIX: Final = "kkSecurity"
#: Random centres tried per rosette before giving up on it (decoration: a crowded page may have fewer).
_ROSETTE_TRIES: Final = 200
#: Candidate positions for the latent word are this fraction of its size apart.
_WORD_GRID_FRACTION: Final = 0.125
#: Lets a word that fits exactly onto the last grid position despite rounding.
_EPSILON: Final = 1e-6
#: QR quiet zone in modules: ISO/IEC 18004 asks for 4.
_QR_QUIET_MODULES: Final = 4

_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")

Point = tuple[float, float]
#: A PDF path operation: "m"/"l" with one point, "c" with three (flattened to six numbers), "h" with none.
PathOp = tuple[str, tuple[float, ...]]


class LatentWordPlacementError(ValueError):
    """No room on the page for even one latent word outside the rectangles to avoid: a layout bug."""


@dataclass(frozen=True)
class Rect:
    """An axis-aligned rectangle in PDF points, origin bottom left."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def top(self) -> float:
        return self.y + self.height

    def inflate(self, by: float) -> Rect:
        return Rect(self.x - by, self.y - by, self.width + 2 * by, self.height + 2 * by)

    def intersects(self, other: Rect) -> bool:
        return self.x < other.right and other.x < self.right and self.y < other.top and other.y < self.top


@dataclass(frozen=True)
class PatternStyle:
    """The look of the 地紋; the values come from the certificate configuration (lengths in points)."""

    tint: str  # "#RRGGBB", the one ink of the whole pattern
    line_width: float  # guilloche waves and rosettes
    wave_period: float
    wave_amplitude: float
    wave_spacing: float  # between neighbouring waves of a band
    waves_per_band: int
    wave_variants: int  # bands differing in phase; rows of the page cycle through them
    rosette_radius: float
    rosette_amplitude: float
    rosette_lobes: int
    rosette_copies: int  # rotated copies of the ring that make one rosette
    rosettes_per_page: int
    screen_pitch: float  # distance between the fine screen lines
    screen_line_width: float
    latent_word: str  # the けん制文字, 「複写」
    latent_size: float  # font size of the latent word
    latent_dot_pitch: float  # grid of the coarse dots inside the word
    # Dot area over the screen's: 1.0 is the same ink on paper geometrically, but every output device widens
    # fine lines more than coarse dots (poppler at 300 dpi draws the 0.12 pt screen as 33 % instead of 25 %
    # coverage, the dots as 23 %), so it is calibrated per device: the one value a printer model changes.
    latent_balance: float
    latent_words_per_page: int
    latent_margin: float  # clear space around each word: page edge, avoided rectangles, other words

    def __post_init__(self) -> None:
        # A wrong value must fail when the configuration loads, not as a silently weaker pattern.
        if not _HEX_COLOUR.fullmatch(self.tint):
            raise ValueError(f"tint {self.tint!r} is not #RRGGBB")
        if not self.latent_word.strip():
            raise ValueError("latent_word is empty")
        for name, value in vars(self).items():
            if isinstance(value, int | float) and not value > 0:
                raise ValueError(f"{name} must be positive, not {value}")
        if self.screen_line_width >= self.screen_pitch:
            raise ValueError("screen_line_width must be less than screen_pitch")
        if 2 * _dot_radius(self, _fitted_screen_pitch(self.screen_pitch)) >= self.latent_dot_pitch:
            raise ValueError("the latent dots would touch: lower the screen coverage or latent_balance")


@dataclass(frozen=True)
class WordShape:
    """A word's outline in em units (1.0 = the font size), baseline from (0, 0), nonzero winding."""

    word: str
    ops: tuple[PathOp, ...]
    bounds: tuple[float, float, float, float]  # x0, y0, x1, y1 of the outline's points (control points too)


@dataclass(frozen=True)
class PatternForms:
    """The forms `define_pattern_forms` made in one document, and the geometry needed to place them."""

    style: PatternStyle
    screen: str
    screen_tile: float
    screen_pitch: float  # after fitting a whole number of lines into a tile
    dot_radius: float
    waves: tuple[str, ...]
    wave_band: tuple[float, float]  # width, height: the step between placed bands
    rosette: str
    rosette_extent: float  # outer radius of a rosette, stroke included
    word: str
    word_bounds: Rect  # relative to the word's baseline origin, in points


@dataclass(frozen=True)
class WordPlacement:
    x: float  # baseline origin of the latent word, as for `Canvas.drawString` at `size`
    y: float
    size: float
    rect: Rect  # the area the word's form covers on the page


@dataclass(frozen=True)
class BackgroundLayout:
    """Where `draw_background` put the parts that matter to the layout (and to tests)."""

    words: tuple[WordPlacement, ...]
    rosettes: tuple[Point, ...]


# --- the word's outline -----------------------------------------------------------------------------------


class _OutlinePen(BasePen):  # type: ignore[misc]  # fontTools is untyped
    """Collects outlines as PDF path operations; BasePen already turns TrueType quadratics into cubics."""

    def __init__(self, glyph_set: Any, scale: float, x_offset: float) -> None:
        super().__init__(glyph_set)
        self.ops: list[PathOp] = []
        self._scale = scale
        self._x_offset = x_offset

    def _map(self, *points: Point) -> tuple[float, ...]:
        return tuple(
            value for x, y in points for value in (self._x_offset + x * self._scale, y * self._scale)
        )

    def _moveTo(self, point: Point) -> None:
        self.ops.append(("m", self._map(point)))

    def _lineTo(self, point: Point) -> None:
        self.ops.append(("l", self._map(point)))

    def _curveToOne(self, first: Point, second: Point, end: Point) -> None:
        self.ops.append(("c", self._map(first, second, end)))

    def _closePath(self) -> None:
        self.ops.append(("h", ()))


def word_shape(font_name: str, word: str) -> WordShape:
    """The outline of `word` in a font registered with reportlab. Costs ~40 ms: call once per process."""
    face = pdfmetrics.getFont(font_name).face
    ops: list[PathOp] = []
    advance = 0.0
    with ToolsFont(face.filename, lazy=True) as font:
        # reportlab has already read the cmap and widths; naming glyphs by index spares fontTools parsing
        # the 12,000 names of IPAex's post table (half the cost).
        font.setGlyphOrder([f"glyph{index}" for index in range(face.numGlyphs)])
        glyphs = font.getGlyphSet()
        for char in word:
            glyph = face.charToGlyph.get(ord(char), 0)
            if glyph == 0:
                raise ValueError(f"{font_name} has no glyph for {char!r}")
            pen = _OutlinePen(glyphs, 1.0 / face.unitsPerEm, advance)
            glyphs[f"glyph{glyph}"].draw(pen)
            ops.extend(pen.ops)
            advance += face.charWidths[ord(char)] / 1000.0
    return WordShape(word, tuple(ops), _bounds(ops))


def _bounds(ops: Sequence[PathOp]) -> tuple[float, float, float, float]:
    xs = [value for _, values in ops for value in values[0::2]]
    ys = [value for _, values in ops for value in values[1::2]]
    if not xs:
        raise ValueError("the word has no outline")
    return min(xs), min(ys), max(xs), max(ys)


# --- forms, once per document -------------------------------------------------------------------------------


def define_pattern_forms(canvas: Canvas, style: PatternStyle, *, word: WordShape) -> PatternForms:
    """Define the pattern's Form XObjects in the canvas's document (once per document)."""
    if word.word != style.latent_word:
        raise ValueError(f"the word shape is {word.word!r}, the style asks for {style.latent_word!r}")
    tint = HexColor(style.tint)
    screen_pitch = _fitted_screen_pitch(style.screen_pitch)
    radius = _dot_radius(style, screen_pitch)
    names = _FormNames.of(style.wave_variants)
    band_width = style.wave_period * max(1, round(_WAVE_BAND_WIDTH / style.wave_period))
    _define_screen(canvas, names.screen, tint, style.screen_line_width, screen_pitch)
    for variant, name in enumerate(names.waves):
        _define_wave_band(canvas, name, tint, style, variant, band_width)
    extent = _define_rosette_ring(canvas, names.rosette, tint, style)
    word_bounds = _define_word(canvas, names, tint, style, word, radius)
    return PatternForms(
        style=style,
        screen=names.screen,
        screen_tile=_SCREEN_TILE,
        screen_pitch=screen_pitch,
        dot_radius=radius,
        waves=names.waves,
        wave_band=(band_width, style.waves_per_band * style.wave_spacing),
        rosette=names.rosette,
        rosette_extent=extent,
        word=names.word,
        word_bounds=word_bounds,
    )


@dataclass(frozen=True)
class _FormNames:
    screen: str
    waves: tuple[str, ...]
    rosette: str
    dot_row: str
    word: str

    @classmethod
    def of(cls, wave_variants: int) -> _FormNames:
        return cls(
            screen=f"{_FORM_PREFIX}Screen",
            waves=tuple(f"{_FORM_PREFIX}Wave{variant}" for variant in range(wave_variants)),
            rosette=f"{_FORM_PREFIX}Rosette",
            dot_row=f"{_FORM_PREFIX}DotRow",
            word=f"{_FORM_PREFIX}Word",
        )


def _fitted_screen_pitch(pitch: float) -> float:
    # 45° lines repeat horizontally every pitch·√2; a whole number of repeats per tile makes tiles seamless.
    repeats = max(1, round(_SCREEN_TILE / (pitch * math.sqrt(2))))
    return _SCREEN_TILE / repeats / math.sqrt(2)


def _dot_radius(style: PatternStyle, screen_pitch: float) -> float:
    # Same ink per area inside and outside the word: the screen covers width/pitch of the page, a dot πr² of
    # its pitch² cell; the balance corrects for how the device renders each.
    coverage = style.screen_line_width / screen_pitch * style.latent_balance
    return math.sqrt(coverage * style.latent_dot_pitch**2 / math.pi)


def _define_screen(canvas: Canvas, name: str, tint: Any, line_width: float, pitch: float) -> None:
    tile = _SCREEN_TILE
    step = pitch * math.sqrt(2)
    repeats = round(tile / step)
    # Lines run past the tile by a line width and the BBox (the tile) cuts them: neighbouring tiles then
    # meet edge to edge instead of leaving the notches of butt caps at every seam.
    low, high = -line_width, tile + line_width
    canvas.beginForm(name, 0, 0, tile, tile)
    canvas.setStrokeColor(tint)
    canvas.setLineWidth(line_width)
    path = canvas.beginPath()
    for index in range(-repeats - 1, repeats + 2):
        offset = index * step  # the line y = x + offset
        start, end = max(low, low - offset), min(high, high - offset)
        if start < end:
            path.moveTo(start, start + offset)
            path.lineTo(end, end + offset)
    canvas.drawPath(path, stroke=1, fill=0)
    canvas.endForm()


def _define_wave_band(
    canvas: Canvas, name: str, tint: Any, style: PatternStyle, variant: int, width: float
) -> None:
    amplitude, spacing, count = style.wave_amplitude, style.wave_spacing, style.waves_per_band
    phase = 2 * math.pi * variant / style.wave_variants
    # Each wave is shifted a little against its neighbour (one way or the other by variant): they braid.
    twist = math.pi / count * (1 if variant % 2 == 0 else -1)
    margin = style.line_width
    top = (count - 1) * spacing + amplitude + margin
    canvas.beginForm(name, -margin, -amplitude - margin, width + margin, top)
    canvas.setStrokeColor(tint)
    canvas.setLineWidth(style.line_width)
    path = canvas.beginPath()
    for index in range(count):
        wave = _SineWave(index * spacing, amplitude, 2 * math.pi / style.wave_period, phase + index * twist)
        # Four cubic pieces per period keep the error below 0.1 % of the amplitude.
        _trace(path, wave.point, wave.tangent, (0.0, width), round(4 * width / style.wave_period))
    canvas.drawPath(path, stroke=1, fill=0)
    canvas.endForm()


@dataclass(frozen=True)
class _SineWave:
    """y = base + amplitude·sin(wave_number·x + phase)."""

    base: float
    amplitude: float
    wave_number: float
    phase: float

    def point(self, x: float) -> Point:
        return x, self.base + self.amplitude * math.sin(self.wave_number * x + self.phase)

    def tangent(self, x: float) -> Point:
        return 1.0, self.amplitude * self.wave_number * math.cos(self.wave_number * x + self.phase)


def _define_rosette_ring(canvas: Canvas, name: str, tint: Any, style: PatternStyle) -> float:
    radius, amplitude, lobes = style.rosette_radius, style.rosette_amplitude, style.rosette_lobes
    extent = radius + amplitude + style.line_width
    # Centred on the origin, so the BBox must reach into negative coordinates: with the default (the page
    # rectangle) only the upper right quarter of the ring would show.
    canvas.beginForm(name, -extent, -extent, extent, extent)
    canvas.setStrokeColor(tint)
    canvas.setLineWidth(style.line_width)
    path = canvas.beginPath()

    def point(angle: float) -> Point:
        r = radius + amplitude * math.sin(lobes * angle)
        return r * math.cos(angle), r * math.sin(angle)

    def tangent(angle: float) -> Point:
        r = radius + amplitude * math.sin(lobes * angle)
        dr = amplitude * lobes * math.cos(lobes * angle)
        return dr * math.cos(angle) - r * math.sin(angle), dr * math.sin(angle) + r * math.cos(angle)

    _trace(path, point, tangent, (0.0, 2 * math.pi), 4 * lobes)
    path.close()
    canvas.drawPath(path, stroke=1, fill=0)
    canvas.endForm()
    return extent


def _trace(
    path: Any,
    point: Callable[[float], Point],
    tangent: Callable[[float], Point],
    span: tuple[float, float],
    pieces: int,
) -> None:
    """Append a parametric curve as cubic Béziers (Hermite: each piece keeps its ends' points and slopes)."""
    start, end = span
    step = (end - start) / pieces
    path.moveTo(*point(start))
    for piece in range(pieces):
        t0, t1 = start + piece * step, start + (piece + 1) * step
        (x0, y0), (dx0, dy0) = point(t0), tangent(t0)
        (x1, y1), (dx1, dy1) = point(t1), tangent(t1)
        third = step / 3
        path.curveTo(x0 + dx0 * third, y0 + dy0 * third, x1 - dx1 * third, y1 - dy1 * third, x1, y1)


def _define_word(
    canvas: Canvas, names: _FormNames, tint: Any, style: PatternStyle, word: WordShape, radius: float
) -> Rect:
    size, pitch = style.latent_size, style.latent_dot_pitch
    x0, y0, x1, y1 = (value * size for value in word.bounds)
    bounds = Rect(x0, y0, x1 - x0, y1 - y0).inflate(radius + 1)
    # The dot grid is anchored to the word's origin, so it is the same in every placement.
    first_column, first_row = math.floor(bounds.x / pitch), math.floor(bounds.y / pitch)
    columns = math.ceil(bounds.right / pitch) - first_column + 1
    rows = math.ceil(bounds.top / pitch) - first_row + 1
    _define_dot_row(canvas, names.dot_row, tint, radius, pitch, columns)
    canvas.beginForm(names.word, bounds.x, bounds.y, bounds.right, bounds.top)
    canvas.setFillColor(white)
    # One path does both jobs: painted in paper white it removes the screen under the word, and as the clip
    # it keeps the dots inside the word.
    canvas.clipPath(_outline_path(canvas, word, size), stroke=0, fill=1, fillMode=FILL_NON_ZERO)
    canvas.translate(first_column * pitch, first_row * pitch)
    for _ in range(rows):
        canvas.doForm(names.dot_row)
        canvas.translate(0, pitch)
    canvas.endForm()
    return bounds


def _define_dot_row(canvas: Canvas, name: str, tint: Any, radius: float, pitch: float, count: int) -> None:
    margin = radius + 1
    canvas.beginForm(name, -margin, -margin, (count - 1) * pitch + margin, margin)
    canvas.setStrokeColor(tint)
    # A zero-length stroke with round caps is a filled disc (PDF 32000-1 §8.5.3.2) in a dozen bytes, against
    # four Béziers for a circle.
    canvas.setLineWidth(2 * radius)
    canvas.setLineCap(1)
    path = canvas.beginPath()
    for index in range(count):
        path.moveTo(index * pitch, 0)
        path.lineTo(index * pitch, 0)
    canvas.drawPath(path, stroke=1, fill=0)
    canvas.endForm()


def _outline_path(canvas: Canvas, word: WordShape, size: float) -> Any:
    path = canvas.beginPath()
    for op, values in word.ops:
        scaled = [value * size for value in values]
        if op == "m":
            path.moveTo(*scaled)
        elif op == "l":
            path.lineTo(*scaled)
        elif op == "c":
            path.curveTo(*scaled)
        else:
            path.close()
    return path


# --- the background, per page ---------------------------------------------------------------------------


def draw_background(
    canvas: Canvas,
    forms: PatternForms,
    page_width: float,
    page_height: float,
    *,
    seed: int,
    avoid: Sequence[Rect] = (),
) -> BackgroundLayout:
    """Cover the page with the 地紋; latent words go where they clear every rectangle in `avoid`.

    Draw it before anything else on the page: inside the latent words it paints paper white. `seed` varies
    the guilloche (wave phases and offsets, rosettes) from page to page; the words depend on `avoid` only.
    """
    rng = random.Random(seed)  # noqa: S311 - layout variation, not a secret
    page = Rect(0, 0, page_width, page_height)
    words = _place_words(forms, page, avoid)
    rosettes = _place_rosettes(forms, page, [word.rect for word in words], rng)
    canvas.saveState()
    _draw_screen(canvas, forms, page)
    for word in words:
        _place(canvas, forms.word, word.x, word.y)
    _draw_waves(canvas, forms, page, rng)
    for centre in rosettes:
        _draw_rosette(canvas, forms, centre, rng)
    canvas.restoreState()
    return BackgroundLayout(words=words, rosettes=tuple(rosettes))


def _place(canvas: Canvas, form: str, x: float, y: float, angle: float = 0.0, mirror: bool = False) -> None:
    canvas.saveState()
    canvas.translate(x, y)
    if angle:
        canvas.rotate(angle)
    if mirror:
        canvas.scale(1, -1)
    canvas.doForm(form)
    canvas.restoreState()


def _draw_screen(canvas: Canvas, forms: PatternForms, page: Rect) -> None:
    tile = forms.screen_tile
    for row in range(math.ceil(page.height / tile)):
        for column in range(math.ceil(page.width / tile)):
            _place(canvas, forms.screen, column * tile, row * tile)


def _draw_waves(canvas: Canvas, forms: PatternForms, page: Rect, rng: random.Random) -> None:
    width, height = forms.wave_band
    first = rng.randrange(len(forms.waves))
    shift_x, shift_y = rng.uniform(0, width), rng.uniform(0, height)
    # Two families: upright and mirrored bands, half a period apart, cross each other into a lattice.
    for mirror in (False, True):
        offset = forms.style.wave_period / 2 if mirror else 0.0
        for row, y in enumerate(_steps(page.y - height + shift_y, page.top + height, height)):
            form = forms.waves[(first + row) % len(forms.waves)]
            for x in _steps(page.x - width + shift_x + offset, page.right, width):
                _place(canvas, form, x, y, mirror=mirror)


def _steps(start: float, stop: float, step: float) -> Iterator[float]:
    value = start
    while value < stop:
        yield value
        value += step


def _draw_rosette(canvas: Canvas, forms: PatternForms, centre: Point, rng: random.Random) -> None:
    copies = forms.style.rosette_copies
    turn = rng.uniform(0, 360)
    # Rotated copies of one ring, spread over one lobe, interleave into the rosette.
    lobe = 360 / forms.style.rosette_lobes
    for copy in range(copies):
        _place(canvas, forms.rosette, centre[0], centre[1], angle=turn + copy * lobe / copies)


def _place_words(forms: PatternForms, page: Rect, avoid: Sequence[Rect]) -> tuple[WordPlacement, ...]:
    # First fit in reading order from the bottom left, on a grid of an eighth of the word's size: it packs as
    # many words as the free space holds, and the same layout always gets the same words.
    style, bounds = forms.style, forms.word_bounds
    margin = style.latent_margin
    free = page.inflate(-margin)
    step = style.latent_size * _WORD_GRID_FRACTION
    taken = [rect.inflate(margin) for rect in avoid]
    chosen: list[WordPlacement] = []
    for y in _steps(free.y - bounds.y, free.top - bounds.top + _EPSILON, step):
        for x in _steps(free.x - bounds.x, free.right - bounds.right + _EPSILON, step):
            rect = Rect(x + bounds.x, y + bounds.y, bounds.width, bounds.height)
            if len(chosen) < style.latent_words_per_page and not any(rect.intersects(t) for t in taken):
                chosen.append(WordPlacement(x, y, style.latent_size, rect))
                taken.append(rect.inflate(margin))
    if not chosen:
        raise LatentWordPlacementError(
            f"no room for a {bounds.width:.0f} × {bounds.height:.0f} pt latent word outside {list(avoid)}"
        )
    return tuple(chosen)


def _place_rosettes(
    forms: PatternForms, page: Rect, words: Sequence[Rect], rng: random.Random
) -> list[Point]:
    # Rosettes stay off the latent words: a word's surroundings must carry the same ink as the word itself.
    extent = forms.rosette_extent + forms.style.latent_margin
    centres: list[Point] = []
    for _ in range(forms.style.rosettes_per_page):
        for _ in range(_ROSETTE_TRIES):
            x, y = rng.uniform(page.x, page.right), rng.uniform(page.y, page.top)
            disc = Rect(x - extent, y - extent, 2 * extent, 2 * extent)
            if not any(disc.intersects(word) for word in words):
                centres.append((x, y))
                break
    return centres


# --- microtext and QR -------------------------------------------------------------------------------------


def draw_microtext(
    canvas: Canvas, text: str, x: float, y: float, width: float, *, font_name: str, size: float = 1.2
) -> None:
    """Repeat `text` on one line from (x, y) for `width` points, in the canvas's current fill colour.

    At 1.2 pt it prints as a dotted rule that a copier smears; it stays real text, so pdftotext finds it.
    """
    if not text.strip():
        raise ValueError("microtext is empty")
    canvas.saveState()
    canvas.setFont(font_name, size)
    canvas.drawString(x, y, _repeat_to_width(text, width, font_name, size))
    canvas.restoreState()


def _repeat_to_width(text: str, width: float, font_name: str, size: float) -> str:
    # Whole characters only, and never past `width`: the line must end where the border ends.
    line: list[str] = []
    used = 0.0
    for char in cycle(text + " "):
        advance = pdfmetrics.stringWidth(char, font_name, size)
        if used + advance > width:
            break
        line.append(char)
        used += advance
    return "".join(line).rstrip()


_QR_MASK: Final = 4  # pattern 100: (i // 2 + j // 3) % 2, which breaks up long runs in text-heavy codes


def draw_qr(canvas: Canvas, payload: str, x: float, y: float, size: float) -> None:
    """A QR code (error correction M) of `payload`, `size` points square including its 4-module quiet zone.

    The square is painted white first: the quiet zone and the light modules must be paper, not 地紋.
    """
    if not payload:
        raise ValueError("QR payload is empty")
    # segno with a fixed mask, not reportlab's QrCodeWidget: both search the eight mask patterns in pure
    # Python by default (~250 ms in reportlab, ~60 ms in segno per code), which alone broke the 60 ms render
    # budget. Any mask is a valid QR code; the search only picks the one with the fewest look-alike blocks,
    # and the test decodes every rendered code with zbarimg at 100 and 300 dpi.
    code = segno.make_qr(payload, error="m", boost_error=False, mask=_QR_MASK)
    rows = code.matrix
    side = len(rows) + 2 * _QR_QUIET_MODULES
    canvas.saveState()
    canvas.setFillColor(white)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColor(black)
    # Drawn in module units as one path: a path per dark run with seven-digit coordinates would take
    # 15 KB compressed for a 600-character code, against ~4 KB.
    canvas.translate(x, y)
    canvas.scale(size / side, size / side)
    path = canvas.beginPath()
    for row, cells in enumerate(rows):
        for start, length in _dark_runs(cells):
            path.rect(_QR_QUIET_MODULES + start, side - _QR_QUIET_MODULES - 1 - row, length, 1)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


def _dark_runs(cells: Sequence[int]) -> Iterator[tuple[int, int]]:
    start = 0
    for dark, run in groupby(cells, key=bool):
        length = len(list(run))
        if dark:
            yield start, length
        start += length
