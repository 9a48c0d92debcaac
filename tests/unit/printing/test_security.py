"""Security printing on a real A4 page: the 地紋 and its latent 「複写」, microtext and the verification QR.

One page with everything is drawn once per module and read back with poppler (pdftoppm, pdftotext), zbar and
pypdf. The latent word is judged on grey levels: in the 300 dpi render (the original) the word must carry
the same mean grey as its surroundings; in a simulated copy it must stand out.
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageFilter, ImageStat
from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject, IndirectObject
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from printing.security import (
    BackgroundLayout,
    LatentWordPlacementError,
    PatternStyle,
    Rect,
    define_pattern_forms,
    draw_background,
    draw_microtext,
    draw_qr,
    word_shape,
)

_GOTHIC = Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf")
_MINCHO = Path("/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf")
FONT_FILE = _GOTHIC if _GOTHIC.exists() else _MINCHO
FONT = "SecurityTestFont"  # a name of our own: printing.fonts refuses one name for two files

#: The defaults proposed for config/certificate.toml.
STYLE = PatternStyle(
    tint="#7f9fcc",
    line_width=0.2,
    wave_period=36.0,
    wave_amplitude=5.0,
    wave_spacing=7.0,
    waves_per_band=8,
    wave_variants=4,
    rosette_radius=60.0,
    rosette_amplitude=8.0,
    rosette_lobes=18,
    rosette_copies=12,
    rosettes_per_page=2,
    screen_pitch=0.48,
    screen_line_width=0.12,
    latent_word="複写",
    latent_size=96.0,
    latent_dot_pitch=2.88,
    # Calibrated for poppler at 300 dpi, the device this test looks through: it renders the 0.12 pt screen
    # as 33.3 % coverage instead of 25 % and the dots as 23.2 % (benchmarks/security.py --calibrate).
    latent_balance=1.42,
    latent_words_per_page=2,
    latent_margin=12.0,
)

PAGE_WIDTH, PAGE_HEIGHT = A4
TEXT_BLOCK = Rect(56, 250, 483, 520)
# ~600 characters make a version 19 code (93 modules + quiet zone). zbar reads it from a 100 dpi render
# only from about 2.2 px a module, so 160 pt (56 mm); from 300 dpi a 28 mm code is enough.
QR = Rect(405, 30, 160, 160)
MICROTEXT = "千代田区 KS-2026-000123"
MICROTEXT_LINE = Rect(36, 812, 523, 1.2)  # along the top border; the height is the font size
SEED = 20261123

#: Grey levels (of 255) by which the word may differ from its surroundings on the original. The eye tells
#: two large adjacent patches apart from about a 1 % luminance step (Weber fraction 1-2 %); the background
#: renders at ~217, so 1 % is ~2.2 levels. 2.0 stays below that, with the pattern's own texture on top.
ORIGINAL_TOLERANCE = 2.0
#: Grey levels by which the word must stand out on the copy: a fifth of the scale, plainly legible.
COPY_CONTRAST = 51.0


def _payload() -> str:
    """A verification code shaped like printing.verification's (~510 characters with an Ed25519 signature),
    with a 128-byte signature to reach the ~600 characters the layout plans for."""
    statement = {
        "algorithm": "Ed25519",
        "binding": {
            "card_certificate_sha256": hashlib.sha256(b"card").hexdigest(),
            "request_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
            "session_id": "0b6a3d1e-4a7f-4c1e-9d2b-5f8e7a6c4b3d",
            "terminal_id": "chiyoda-0001",
        },
        "content_sha256": hashlib.sha256(b"content").hexdigest(),
        "municipality": "131016",
        "serial": "KS-2026-000123",
        "signature": base64.b64encode(hashlib.shake_256(b"signature").digest(128)).decode("ascii"),
    }
    return "KKV1:" + json.dumps(statement, separators=(",", ":"), sort_keys=True)


PAYLOAD = _payload()


@dataclass(frozen=True)
class Page:
    pdf: Path
    layout: BackgroundLayout


@pytest.fixture(scope="module")
def font() -> str:
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE)))
    return FONT


@pytest.fixture(scope="module")
def page(font: str, tmp_path_factory: pytest.TempPathFactory) -> Page:
    pdf = tmp_path_factory.mktemp("security") / "page.pdf"
    # The canvas starts in our font, or Helvetica would be listed (unembedded) in the PDF.
    canvas = Canvas(str(pdf), pagesize=A4, initialFontName=font)
    forms = define_pattern_forms(canvas, STYLE, word=word_shape(font, STYLE.latent_word))
    layout = draw_background(canvas, forms, PAGE_WIDTH, PAGE_HEIGHT, seed=SEED, avoid=(TEXT_BLOCK, QR))
    canvas.setFont(font, 10.5)
    for line in range(24):
        text = f"{line + 1:2d}  東京都千代田区霞が関一丁目１番１号　山田　太郎"
        canvas.drawString(TEXT_BLOCK.x, TEXT_BLOCK.top - 20 * (line + 1), text)
    border = MICROTEXT_LINE
    draw_microtext(canvas, MICROTEXT, border.x, border.y, border.width, font_name=font)
    draw_qr(canvas, PAYLOAD, QR.x, QR.y, QR.width)
    canvas.showPage()
    canvas.save()
    return Page(pdf, layout)


def _render(pdf: Path, dpi: int) -> Path:
    out = pdf.parent / f"{pdf.stem}-{dpi}"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-singlefile", str(pdf), str(out)], check=True)
    return out.with_suffix(".png")


@pytest.fixture(scope="module")
def renders(page: Page) -> dict[int, Path]:
    """The page as PNG at 100 and 300 dpi (a few seconds: the fine screen is ~23,000 strokes)."""
    return {dpi: _render(page.pdf, dpi) for dpi in (100, 300)}


@pytest.fixture(scope="module")
def render_300(renders: dict[int, Path]) -> Image.Image:
    return Image.open(renders[300]).convert("L")


# --- QR, size, forms, microtext -----------------------------------------------------------------------------


@pytest.mark.parametrize("dpi", [100, 300])
def test_the_qr_code_decodes_to_the_payload(renders: dict[int, Path], dpi: int) -> None:
    assert 580 < len(PAYLOAD) < 620
    command = ["zbarimg", "--raw", "-q", str(renders[dpi])]
    decoded = subprocess.run(command, check=True, capture_output=True).stdout
    assert decoded.decode("ascii") == PAYLOAD + "\n"  # one symbol found, exactly the payload


def test_the_page_is_small_and_its_pattern_is_a_few_forms_placed_many_times(page: Page) -> None:
    assert page.pdf.stat().st_size < 60_000
    reader = PdfReader(page.pdf)
    (pdf_page,) = reader.pages
    forms = dict(_forms(pdf_page["/Resources"]))
    assert 5 <= len(forms) <= 10  # screen, wave bands, rosette ring, dot row, word
    placements = pdf_page.get_contents().get_data().count(b" Do")
    assert placements >= 200


def _forms(resources: DictionaryObject) -> Iterator[tuple[int, DictionaryObject]]:
    """Every Form XObject reachable from a resource dictionary, once, keyed by object number."""
    seen: set[int] = set()
    pending = [resources]
    while pending:
        xobjects = pending.pop().get("/XObject", DictionaryObject())
        for reference in xobjects.values():
            assert isinstance(reference, IndirectObject)
            form = reference.get_object()
            if form["/Subtype"] == "/Form" and reference.idnum not in seen:
                seen.add(reference.idnum)
                yield reference.idnum, form
                if "/Resources" in form:
                    pending.append(form["/Resources"])


def test_every_form_bbox_holds_what_the_form_draws(page: Page) -> None:
    """The pitfall: a BBox too small clips silently (a rosette centred on the origin shows a quarter)."""
    reader = PdfReader(page.pdf)
    (pdf_page,) = reader.pages
    negative = 0
    for _, form in _forms(pdf_page["/Resources"]):
        x0, y0, x1, y1 = (float(value) for value in form["/BBox"])
        negative += x0 < 0 and y0 < 0
        for x, y in _path_points(ContentStream(form, reader)):
            # One point of slack: the screen tile runs its lines a line width past its BBox on purpose.
            assert x0 - 1 <= x <= x1 + 1 and y0 - 1 <= y <= y1 + 1, (form["/BBox"], x, y)
    assert negative >= 2  # the rosette and the word reach below and left of their origin


def _path_points(content: ContentStream) -> Iterator[tuple[float, float]]:
    """Path coordinates in the form's own space: everything before its first change of matrix."""
    for operands, operator in content.operations:
        if operator == b"cm":
            return
        numbers = [float(value) for value in operands]
        if operator == b"re":
            x, y, width, height = numbers
            yield from ((x, y), (x + width, y + height))
        elif operator in (b"m", b"l", b"c"):
            yield from zip(numbers[0::2], numbers[1::2], strict=True)


def test_the_microtext_is_text_at_its_position_and_the_latent_word_is_not(page: Page, font: str) -> None:
    # pdftotext's crop is in points from the top left.
    line = MICROTEXT_LINE
    top = PAGE_HEIGHT - line.top - 1
    crop = ["-x", f"{line.x:.0f}", "-y", f"{top:.0f}", "-W", f"{line.width:.0f}", "-H", "4"]
    repeat = pdfmetrics.stringWidth(MICROTEXT + " ", font, line.height)
    assert _pdftotext(page.pdf, crop).count(MICROTEXT) == int(line.width // repeat)  # 34 in 523 pt
    assert "複写" not in _pdftotext(page.pdf, [])  # drawn as an outline, so no original "says" 複写


def _pdftotext(pdf: Path, options: list[str]) -> str:
    command = ["pdftotext", "-enc", "UTF-8", *options, str(pdf), "-"]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


# --- the latent word ----------------------------------------------------------------------------------------


def test_the_words_clear_the_text_block_the_qr_code_and_the_page_edge(page: Page) -> None:
    assert len(page.layout.words) == STYLE.latent_words_per_page
    margin = STYLE.latent_margin
    for word in page.layout.words:
        assert not word.rect.intersects(TEXT_BLOCK.inflate(margin - 0.01))
        assert not word.rect.intersects(QR.inflate(margin - 0.01))
        assert margin <= word.rect.x and word.rect.right <= PAGE_WIDTH - margin
        assert margin <= word.rect.y and word.rect.top <= PAGE_HEIGHT - margin


def test_the_latent_word_is_invisible_on_the_original_and_appears_on_a_copy(
    page: Page, render_300: Image.Image, font: str, tmp_path: Path
) -> None:
    ink = _word_ink(page.layout, font, tmp_path)
    tint = HexColor(STYLE.tint)
    # The copier: a 100 dpi scan (each pixel the mean of 3 × 3 at 300 dpi), then ink where the scan is
    # darker than halfway between the tint's solid grey (ITU-R 601 luma, as PIL's "L") and paper.
    solid = 255 * (0.299 * tint.red + 0.587 * tint.green + 0.114 * tint.blue)
    threshold = (solid + 255) / 2
    for word in page.layout.words:
        box = _pixels(word.rect.inflate(STYLE.latent_margin - 2), 300)
        original, word_ink = render_300.crop(box), ink.crop(box)
        inside = word_ink.filter(ImageFilter.MinFilter(5))  # 2 px in from the outline: no edge pixels
        outside = ImageChops.invert(word_ink.filter(ImageFilter.MaxFilter(5)))
        in_grey, out_grey = _mean(original, inside), _mean(original, outside)

        copy = original.reduce(3).point(lambda grey: 0 if grey < threshold else 255)
        in_copy = _mean(copy, inside.reduce(3).point(lambda v: 255 if v == 255 else 0))
        out_copy = _mean(copy, outside.reduce(3).point(lambda v: 255 if v == 255 else 0))
        print(
            f"word at ({word.x:.0f}, {word.y:.0f}): original {in_grey:.2f} in / {out_grey:.2f} around; "
            f"copy (threshold {threshold:.0f}) {in_copy:.1f} in / {out_copy:.1f} around"
        )
        assert abs(in_grey - out_grey) <= ORIGINAL_TOLERANCE
        assert out_copy - in_copy >= COPY_CONTRAST


def _word_ink(layout: BackgroundLayout, font: str, tmp_path: Path) -> Image.Image:
    """Where the words are, drawn as plain text at the layout's positions: 255 inside, 0 outside."""
    pdf = tmp_path / "word-mask.pdf"
    canvas = Canvas(str(pdf), pagesize=A4, initialFontName=font)
    for word in layout.words:
        canvas.setFont(font, word.size)
        canvas.drawString(word.x, word.y, STYLE.latent_word)
    canvas.showPage()
    canvas.save()
    return Image.open(_render(pdf, 300)).convert("L").point(lambda grey: 255 if grey < 128 else 0)


def _pixels(rect: Rect, dpi: int) -> tuple[int, int, int, int]:
    scale = dpi / 72
    return (
        round(rect.x * scale),
        round((PAGE_HEIGHT - rect.top) * scale),
        round(rect.right * scale),
        round((PAGE_HEIGHT - rect.y) * scale),
    )


def _mean(image: Image.Image, mask: Image.Image) -> float:
    return float(ImageStat.Stat(image, mask).mean[0])


def test_no_room_for_a_word_is_a_layout_error(font: str, tmp_path: Path) -> None:
    canvas = Canvas(str(tmp_path / "full.pdf"), pagesize=A4, initialFontName=font)
    forms = define_pattern_forms(canvas, STYLE, word=word_shape(font, STYLE.latent_word))
    with pytest.raises(LatentWordPlacementError):
        draw_background(canvas, forms, PAGE_WIDTH, PAGE_HEIGHT, seed=1, avoid=(Rect(40, 40, 515, 760),))


# --- the style ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"tint": "blue"},
        {"screen_pitch": 0.0},
        {"waves_per_band": -1},
        {"latent_word": " "},
        {"screen_line_width": 0.5},  # wider than its pitch
        {"latent_balance": 4.0},  # dots so big they touch
    ],
)
def test_a_bad_style_is_refused(change: dict[str, object]) -> None:
    with pytest.raises(ValueError):  # each case has its own message
        replace(STYLE, **change)  # type: ignore[arg-type]


def test_the_word_shape_must_match_the_style(font: str, tmp_path: Path) -> None:
    canvas = Canvas(str(tmp_path / "other.pdf"), pagesize=A4, initialFontName=font)
    with pytest.raises(ValueError, match="style asks for"):
        define_pattern_forms(canvas, STYLE, word=word_shape(font, "コピー"))
