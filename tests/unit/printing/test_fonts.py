"""The certificate fonts print exactly the registered characters, and say so in the PDF's text.

Proven on real PDFs: drawn with reportlab, read back with poppler (pdftotext, pdffonts, pdftoppm).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageOps
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from printing.fonts import (
    IPAEX_MINCHO,
    IPAMJ_MINCHO,
    FontMissingError,
    FontPaths,
    FontSet,
    MissingGlyphError,
)

TSUJI = "辻"
MJ_ONE_DOT = "\U000e0102"  # Moji_Joho: 辻 with the one-dot ⻌ (IPAmj)
MJ_TWO_DOTS = "\U000e0103"  # Moji_Joho: 辻 with two dots, IPAmj's default glyph
AJ1_ONE_DOT = "\U000e0100"  # Adobe-Japan1: 辻 with the one-dot ⻌ (IPAex)
AJ1_TWO_DOTS = "\U000e0101"  # Adobe-Japan1: the default two-dot 辻, as a default-variant entry
YOSHI = "\U00020bb7"  # 𠮷, not in IPAex
TSUCHI = "\U0002123d"  # 𡈽
DPI = 300
SIZE = 24  # points: one em is 100 px at 300 dpi


@pytest.fixture(scope="module")
def fonts() -> FontSet:
    return FontSet.register()


def _draw(path: Path, fonts: FontSet, lines: list[tuple[str, str]]) -> Path:
    """One line per page, so pages compare pixel for pixel; each prepared the way the renderer does."""
    # The canvas starts in our font, or Helvetica (not embedded) would be in the PDF's font list.
    canvas = Canvas(str(path), pagesize=(10 * SIZE, 2 * SIZE), initialFontName=fonts.label)
    for text, font in lines:
        canvas.setFont(font, SIZE)
        canvas.drawString(SIZE / 2, SIZE / 2, fonts.prepare(text, font))
        canvas.showPage()
    canvas.save()
    return path


def _pdftotext(path: Path) -> list[str]:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [page.strip("\n") for page in out.split("\f")[:-1]]  # pdftotext ends every page with a form feed


def _pdffonts(path: Path) -> list[tuple[str, str]]:
    """(font name, emb) per font: the columns after the header lines."""
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    rows = out.splitlines()[2:]
    return [(row.split()[0], row.split()[-5]) for row in rows]


def _pages(path: Path) -> list[Image.Image]:
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", str(path), str(path.with_suffix(""))], check=True)
    return [Image.open(page).convert("L") for page in sorted(path.parent.glob(f"{path.stem}-*.pgm"))]


def test_rare_characters_come_back_exactly(fonts: FontSet, tmp_path: Path) -> None:
    lines = [
        ("髙", fonts.registered),
        ("﨑", fonts.registered),
        (YOSHI, fonts.registered),
        (TSUCHI, fonts.registered),
        (TSUJI, fonts.registered),
        (TSUJI + MJ_ONE_DOT, fonts.registered),
        (TSUJI + MJ_TWO_DOTS, fonts.registered),  # IPAmj's default glyph, yet its own text
        (f"髙﨑 {TSUCHI} {TSUJI}{AJ1_ONE_DOT}", fonts.label),
    ]
    pdf = _draw(tmp_path / "rare.pdf", fonts, lines)
    assert _pdftotext(pdf) == [text for text, _ in lines]  # the selectors included
    listed = _pdffonts(pdf)
    assert {name.partition("+")[2] for name, _ in listed} == {"IPAmjMincho", "IPAexMincho"}
    assert all(embedded == "yes" for _, embedded in listed)


def test_stock_reportlab_extracts_non_bmp_wrongly(fonts: FontSet, tmp_path: Path) -> None:
    """The ToUnicode fix is what makes 𡈽 come back: without it, the same drawing extracts as U+2123."""
    assert _pdftotext(_draw(tmp_path / "fixed.pdf", fonts, [(TSUCHI, fonts.label)])) == [TSUCHI]
    stock = tmp_path / "stock.pdf"
    script = (
        "import sys\n"
        "from reportlab.pdfbase import pdfmetrics\n"
        "from reportlab.pdfbase.ttfonts import TTFont\n"
        "from reportlab.pdfgen.canvas import Canvas\n"
        "pdfmetrics.registerFont(TTFont('F', sys.argv[1]))\n"
        "canvas = Canvas(sys.argv[2], initialFontName='F')\n"
        "canvas.setFont('F', 24)\n"
        f"canvas.drawString(10, 10, {TSUCHI!r})\n"
        "canvas.save()\n"
    )
    subprocess.run([sys.executable, "-c", script, str(IPAEX_MINCHO), str(stock)], check=True)
    assert _pdftotext(stock) == ["\u2123"]  # <2123D> read as the two-byte <2123> and a stray nibble


def test_the_variant_glyph_is_drawn(fonts: FontSet, tmp_path: Path) -> None:
    lines = [(text, fonts.registered) for text in (TSUJI, TSUJI + MJ_ONE_DOT, TSUJI + MJ_TWO_DOTS)]
    plain, one_dot, two_dots = _pages(_draw(tmp_path / "tsuji.pdf", fonts, lines))
    # E0102 is another glyph; E0103 names IPAmj's default glyph, so it prints exactly like plain 辻.
    assert ImageChops.difference(plain, one_dot).getbbox() is not None
    assert ImageChops.difference(plain, two_dots).getbbox() is None
    # One glyph and nothing after it: stock reportlab draws the base and a .notdef box to its right.
    ink = ImageOps.invert(one_dot).getbbox()
    assert ink is not None
    left = SIZE / 2 * DPI / 72
    assert ink[0] >= left - 2 and ink[2] <= left + SIZE * DPI / 72


def test_stock_reportlab_would_draw_a_box(fonts: FontSet, tmp_path: Path) -> None:
    """What the check and prepare() prevent: the raw pair prints the base glyph and a box beside it."""
    pdf = tmp_path / "raw.pdf"
    canvas = Canvas(str(pdf), pagesize=(4 * SIZE, 2 * SIZE), initialFontName=fonts.label)
    canvas.setFont(fonts.registered, SIZE)
    canvas.drawString(SIZE / 2, SIZE / 2, TSUJI + MJ_ONE_DOT)
    canvas.save()
    (page,) = _pages(pdf)
    ink = ImageOps.invert(page).getbbox()
    assert ink is not None and ink[2] > (SIZE / 2 + SIZE) * DPI / 72


def test_check_names_missing_characters_by_code_point(fonts: FontSet) -> None:
    with pytest.raises(MissingGlyphError) as caught:
        fonts.check(f"{YOSHI}田 太郎", fonts.label)
    error = caught.value
    assert (error.code, error.font, error.code_points) == ("missing-glyph", "IPAexMincho", ("U+20BB7",))
    assert YOSHI not in str(error) and "田" not in str(error)
    assert error.to_dict() == {
        "code": "missing-glyph",
        "message": str(error),
        "font": "IPAexMincho",
        "code_points": ["U+20BB7"],
    }
    fonts.check(f"{YOSHI}田 太郎", fonts.registered)  # IPAmj has it


def test_check_refuses_a_selector_the_font_does_not_know(fonts: FontSet) -> None:
    # The sample residents' 辻+E0100 is Adobe-Japan1: IPAmj (Moji_Joho) has no such sequence.
    with pytest.raises(MissingGlyphError) as caught:
        fonts.check(f"{TSUJI}{AJ1_ONE_DOT} 健太", fonts.registered)
    assert caught.value.code_points == ("U+8FBB U+E0100",)
    with pytest.raises(MissingGlyphError) as caught:
        fonts.check(f"{TSUJI}{MJ_ONE_DOT} 健太", fonts.label)  # and IPAex no Moji_Joho one
    assert caught.value.code_points == ("U+8FBB U+E0102",)
    with pytest.raises(MissingGlyphError) as caught:
        fonts.prepare(f"{TSUJI}{AJ1_ONE_DOT}", fonts.registered)  # prepare never drops it silently either
    assert caught.value.code_points == ("U+8FBB U+E0100",)


def test_check_reports_each_problem_once_in_order(fonts: FontSet) -> None:
    text = f"{AJ1_ONE_DOT}{YOSHI}{TSUJI}{MJ_ONE_DOT}{YOSHI}\U000f0000{TSUJI}{MJ_ONE_DOT}{MJ_ONE_DOT}"
    with pytest.raises(MissingGlyphError) as caught:
        fonts.check(text, fonts.label)
    assert caught.value.code_points == (
        "U+E0100",  # a selector with no base
        "U+20BB7",
        "U+8FBB U+E0102",
        "U+F0000",  # private use is nobody's name, even where a stand-in sits
        "U+E0102",  # the second selector after one base
    )


def test_ordinary_text_passes(fonts: FontSet) -> None:
    address = "東京都千代田区霞が関１－２－３　髙﨑ビル４０１号 ABC-12"
    for font in fonts.names:
        fonts.check(address, font)
        assert fonts.prepare(address, font) == address
    fonts.check(f"{TSUJI}{MJ_ONE_DOT}{TSUCHI}\t\n", fonts.registered)  # control characters are layout's


def test_prepare_maps_each_pair_to_one_stand_in_per_font(fonts: FontSet) -> None:
    mj = fonts.prepare(f"{TSUJI}{MJ_ONE_DOT} {TSUJI}{MJ_ONE_DOT}", fonts.registered)
    ex = fonts.prepare(f"{TSUJI}{AJ1_ONE_DOT}", fonts.label)
    assert len(mj) == 3 and mj[0] == mj[2] and 0xF0000 <= ord(mj[0]) <= 0xFFFFD
    assert len(ex) == 1 and ord(ex) >= 0xF0000
    assert fonts.prepare(f"{TSUJI}{AJ1_TWO_DOTS}", fonts.label) == TSUJI  # default variant: the base glyph


def test_text_width_measures_the_variant_as_one_glyph(fonts: FontSet) -> None:
    assert fonts.text_width(TSUJI + MJ_ONE_DOT, fonts.registered, 10) == pytest.approx(10)
    assert fonts.text_width(f"{TSUJI}{MJ_ONE_DOT}健太", fonts.registered, 12) == pytest.approx(36)
    assert fonts.text_width("ABC", fonts.label, 10) == pdfmetrics.stringWidth("ABC", fonts.label, 10)
    with pytest.raises(MissingGlyphError):
        fonts.text_width(YOSHI, fonts.label, 10)


def test_a_second_font_set_shares_the_registration(fonts: FontSet) -> None:
    again = FontSet.register()
    assert again == fonts
    pair = TSUJI + MJ_ONE_DOT
    assert again.prepare(pair, again.registered) == fonts.prepare(pair, fonts.registered)


def test_unknown_font_name(fonts: FontSet) -> None:
    with pytest.raises(ValueError, match="Helvetica"):
        fonts.check("abc", "Helvetica")


def test_a_missing_font_file(tmp_path: Path) -> None:
    absent = tmp_path / "ipamjm.ttf"
    with pytest.raises(FontMissingError) as caught:
        FontSet.register(FontPaths(registered=absent))
    assert caught.value.to_dict() == {
        "code": "font-missing",
        "message": f"font {absent}: missing",
        "path": str(absent),
    }
    with pytest.raises(FontMissingError):
        FontSet.register(FontPaths(label_gothic=tmp_path / "ipaexg.ttf"))  # optional, but not when named


def test_a_file_that_is_not_a_truetype_font(tmp_path: Path) -> None:
    # Under a name not registered yet: reportlab keeps the first font of a name for the whole process.
    from printing.fonts import _register

    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"OTTO" + bytes(64))
    with pytest.raises(FontMissingError, match="not a usable TrueType font") as caught:
        _register("KioskTestBroken", broken)
    assert caught.value.path == str(broken)


def test_a_registered_name_is_not_silently_kept_for_another_file(fonts: FontSet) -> None:
    with pytest.raises(ValueError, match="already registered"):
        FontSet.register(FontPaths(label=IPAMJ_MINCHO))
