"""Security printing benchmark: the cost of the 地紋 (time and bytes), and the latent word's balance.

Run: .venv/bin/python benchmarks/security.py [--runs N] [--calibrate [--dpi 300]]. Prints figures, asserts
nothing.

--calibrate finds `latent_balance` for poppler at --dpi: it draws the page at two balances, measures the
mean grey inside the latent word and around it, and interpolates to where they are equal. For a printer,
do the same with scans of printed pages instead of pdftoppm renders.
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageChops, ImageFilter, ImageStat
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from printing.security import (
    PatternStyle,
    Rect,
    WordShape,
    define_pattern_forms,
    draw_background,
    word_shape,
)

GOTHIC = Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf")
MINCHO = Path("/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf")
FONT = "BenchmarkFont"
# The values proposed for config/certificate.toml (load them from there once it exists).
STYLE = PatternStyle(
    tint="#7f9fcc", line_width=0.2, wave_period=36.0, wave_amplitude=5.0, wave_spacing=7.0,
    waves_per_band=8, wave_variants=4, rosette_radius=60.0, rosette_amplitude=8.0, rosette_lobes=18,
    rosette_copies=12, rosettes_per_page=2, screen_pitch=0.48, screen_line_width=0.12, latent_word="複写",
    latent_size=96.0, latent_dot_pitch=2.88, latent_balance=1.42, latent_words_per_page=2, latent_margin=12.0,
)  # fmt: skip
TEXT_BLOCK = Rect(56, 250, 483, 520)
WIDTH, HEIGHT = A4
T = TypeVar("T")


def timed(samples: list[float], call: Callable[[], T]) -> T:
    started = time.perf_counter()
    result = call()
    samples.append(time.perf_counter() - started)
    return result


def document(
    style: PatternStyle, shape: WordShape, pages: int, forms_times: list[float], page_times: list[float]
) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, initialFontName=FONT)
    forms = timed(forms_times, lambda: define_pattern_forms(canvas, style, word=shape))
    for page in range(pages):
        draw = partial(draw_background, canvas, forms, WIDTH, HEIGHT, seed=page, avoid=(TEXT_BLOCK,))
        timed(page_times, draw)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def cost(runs: int) -> None:
    shape_times: list[float] = []
    shape = timed(shape_times, lambda: word_shape(FONT, STYLE.latent_word))
    print(f"word_shape (once per process):      {shape_times[0] * 1000:6.1f} ms")
    forms_times: list[float] = []
    page_times: list[float] = []
    save_times: list[float] = []
    size = 0
    for _ in range(runs):
        size = len(timed(save_times, lambda: document(STYLE, shape, 1, forms_times, page_times)))
    five = len(document(STYLE, shape, 5, [], []))
    print(f"define_pattern_forms (per document): {statistics.median(forms_times) * 1000:6.1f} ms")
    print(f"draw_background (per page):          {statistics.median(page_times) * 1000:6.1f} ms")
    print(f"whole 1-page document incl. save:    {statistics.median(save_times) * 1000:6.1f} ms")
    print(f"PDF, background only: 1 page {size:,} bytes, 5 pages {five:,} bytes")
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "page.pdf"
        pdf.write_bytes(document(STYLE, shape, 1, [], []))
        for dpi in (100, 300, 600):
            started = time.perf_counter()
            render(pdf, dpi)
            print(f"pdftoppm -r {dpi} (poppler raster, one page): {time.perf_counter() - started:5.2f} s")


def word_greys(style: PatternStyle, shape: WordShape, dpi: int, tmp: Path) -> tuple[float, float]:
    """Mean grey inside the first latent word (2 px in from its outline) and around it (2 px out)."""
    canvas = Canvas(str(tmp / "page.pdf"), pagesize=A4, initialFontName=FONT)
    forms = define_pattern_forms(canvas, style, word=shape)
    layout = draw_background(canvas, forms, WIDTH, HEIGHT, seed=1, avoid=(TEXT_BLOCK,))
    canvas.showPage()
    canvas.save()
    mask = Canvas(str(tmp / "mask.pdf"), pagesize=A4, initialFontName=FONT)
    word = layout.words[0]
    mask.setFont(FONT, word.size)
    mask.drawString(word.x, word.y, style.latent_word)
    mask.showPage()
    mask.save()
    scale, rect = dpi / 72, word.rect.inflate(style.latent_margin - 2)
    box = (
        round(rect.x * scale),
        round((HEIGHT - rect.top) * scale),
        round(rect.right * scale),
        round((HEIGHT - rect.y) * scale),
    )
    page, ink = (render(tmp / name, dpi).crop(box) for name in ("page.pdf", "mask.pdf"))
    ink = ink.point(lambda grey: 255 if grey < 128 else 0)
    inside = ink.filter(ImageFilter.MinFilter(5))
    outside = ImageChops.invert(ink.filter(ImageFilter.MaxFilter(5)))
    return ImageStat.Stat(page, inside).mean[0], ImageStat.Stat(page, outside).mean[0]


def render(pdf: Path, dpi: int) -> Image.Image:
    command = ["pdftoppm", "-r", str(dpi), "-gray", "-singlefile", str(pdf), str(pdf.with_suffix(""))]
    subprocess.run(command, check=True)
    return Image.open(pdf.with_suffix(".pgm")).convert("L")


def calibrate(dpi: int) -> None:
    shape = word_shape(FONT, STYLE.latent_word)
    with tempfile.TemporaryDirectory() as tmp:
        differences = {}
        for balance in (1.0, 1.6):
            inside, around = word_greys(replace(STYLE, latent_balance=balance), shape, dpi, Path(tmp))
            differences[balance] = inside - around
            print(f"balance {balance:.2f}: word {inside:.2f}, around {around:.2f} (grey levels at {dpi} dpi)")
        (low, d_low), (high, d_high) = differences.items()
        balance = low + (high - low) * d_low / (d_low - d_high)
        inside, around = word_greys(replace(STYLE, latent_balance=balance), shape, dpi, Path(tmp))
        print(f"suggested latent_balance = {balance:.2f}: word {inside:.2f}, around {around:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--calibrate", action="store_true")
    parser.add_argument("--dpi", type=int, default=300)
    args = parser.parse_args()
    pdfmetrics.registerFont(TTFont(FONT, str(GOTHIC if GOTHIC.exists() else MINCHO)))
    if args.calibrate:
        calibrate(args.dpi)
    else:
        cost(args.runs)


if __name__ == "__main__":
    main()
