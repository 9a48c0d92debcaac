"""Certificate fonts that print exactly the registered characters: IPAmj明朝 for names, IPAex for labels.

Registered text (names and addresses from 住基/戸籍, in MJ characters) is drawn with IPAmj明朝; the form's own
labels with IPAex明朝 (and IPAexゴシック when installed). Three things stock reportlab gets wrong are handled
here:

* Non-BMP text extraction. reportlab writes each subset's ToUnicode destinations as `<%04X>`, so 𠮷 U+20BB7
  comes back from pdftotext as U+20BB. `_to_unicode_cmap` replaces `ttfonts.makeToUnicodeCMap` and writes
  UTF-16BE (surrogate pairs), with several code points where a glyph stands for a variation sequence.
* Ideographic variation sequences. reportlab ignores cmap format 14 and draws base + selector as the base
  glyph and a .notdef box. `FontSet.prepare` replaces each pair with a plane-15 private-use code point that
  the reportlab face maps to the variant glyph, and whose ToUnicode destination is the original pair.
* Characters the font lacks print as boxes. On a certificate that is a wrong name, so `FontSet.check`
  refuses them (and any selector the font does not know) with `MissingGlyphError`; the resident is then sent
  to the counter.

Process-global state, kept in this module: reportlab holds registered fonts in a process-wide registry (a
name registered twice keeps its first font), its faces are shared by every document, and it looks up
`makeToUnicodeCMap` as a module global when a PDF is saved. So the fix is installed once per process, and the
IVS state of a face (its cmap 14 table, the private-use code points given out) lives on the reportlab face
object itself, next to the code points it registers there. A `FontSet` holds font names only; a second one is
cheap and shares all of this.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from fontTools.ttLib import TTFont as ToolsFont
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from kiosk.errors import KioskError

__all__ = [
    "IPAEX_GOTHIC",
    "IPAEX_MINCHO",
    "IPAMJ_MINCHO",
    "LABEL_FONT",
    "LABEL_GOTHIC_FONT",
    "REGISTERED_FONT",
    "FontMissingError",
    "FontPaths",
    "FontSet",
    "MissingGlyphError",
]

#: Debian's font files (fonts-ipamj-mincho, fonts-ipaexfont-mincho, fonts-ipaexfont-gothic).
IPAMJ_MINCHO: Final = Path("/usr/share/fonts/truetype/ipamj/ipamjm.ttf")
IPAEX_MINCHO: Final = Path("/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf")
IPAEX_GOTHIC: Final = Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf")

#: The names the fonts are registered under in reportlab (what `canvas.setFont` takes).
REGISTERED_FONT: Final = "IPAmjMincho"
LABEL_FONT: Final = "IPAexMincho"
LABEL_GOTHIC_FONT: Final = "IPAexGothic"

# Plane 15 private use: no JIS or MJ font maps it, so a stand-in never shadows a real character.
_PUA_FIRST: Final = 0xF0000
_PUA_LAST: Final = 0xFFFFD
# Control characters are layout's business (line breaks never reach a drawString); checks start at space.
_FIRST_PRINTABLE: Final = 0x20
# The attribute of a reportlab face that holds its `_Variants`.
_VARIANTS_ATTRIBUTE: Final = "kiosk_variants"


class FontMissingError(KioskError):
    """A configured font file is absent, or is not a TrueType font reportlab can embed."""

    code = "font-missing"
    reported = ("path",)

    def __init__(self, path: str, problem: str = "missing") -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"font {path}: {problem}")


class MissingGlyphError(KioskError):
    """The font would print a box (or the wrong variant): names the code points, never the text.

    `code_points` holds "U+XXXX" for a character and "U+XXXX U+XXXXX" for a base + selector pair.
    """

    code = "missing-glyph"
    reported = ("font", "code_points")

    def __init__(self, font: str, code_points: tuple[str, ...]) -> None:
        self.font = font
        self.code_points = code_points
        super().__init__(f"{font} cannot print {', '.join(code_points)}")


def _gothic_if_present() -> Path | None:
    return IPAEX_GOTHIC if IPAEX_GOTHIC.is_file() else None


@dataclass(frozen=True)
class FontPaths:
    """The font files. The Gothic is optional: by default Debian's, when it is installed."""

    registered: Path = IPAMJ_MINCHO
    label: Path = IPAEX_MINCHO
    label_gothic: Path | None = field(default_factory=_gothic_if_present)


@dataclass(frozen=True)
class FontSet:
    """The registered fonts by reportlab name: `registered` for names and addresses, `label` and
    `label_gothic` for the form's own text. Made by `FontSet.register`."""

    registered: str
    label: str
    label_gothic: str | None = None

    @classmethod
    def register(cls, paths: FontPaths | None = None) -> FontSet:
        """Register the fonts with reportlab (once per process: later calls find them registered) and
        install the ToUnicode fix. Meant for start-up: reportlab's registry has no lock."""
        paths = paths or FontPaths()
        _register(REGISTERED_FONT, paths.registered)
        _register(LABEL_FONT, paths.label)
        gothic = None
        if paths.label_gothic is not None:
            gothic = _register(LABEL_GOTHIC_FONT, paths.label_gothic)
        _install_to_unicode_fix()
        return cls(registered=REGISTERED_FONT, label=LABEL_FONT, label_gothic=gothic)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name in (self.registered, self.label, self.label_gothic) if name)

    def check(self, text: str, font_name: str) -> None:
        """Raise `MissingGlyphError` unless `font_name` prints `text` exactly: every character has a
        glyph, and every variation sequence is in the font's cmap 14 (as a variant or the default)."""
        variants = self._variants(font_name)
        missing = [_code_points(base, sel) for base, sel in _pairs(text) if not variants.knows(base, sel)]
        if missing:
            raise MissingGlyphError(font_name, tuple(dict.fromkeys(missing)))

    def prepare(self, text: str, font_name: str) -> str:
        """`text` as reportlab must be given it: a variation sequence becomes the private-use stand-in of
        its glyph, a default-variant selector is dropped. Checks first: it never returns a box."""
        self.check(text, font_name)
        variants = self._variants(font_name)
        return "".join(variants.resolve(base, sel) for base, sel in _pairs(text) if base is not None)

    def text_width(self, text: str, font_name: str, size: float) -> float:
        """The width in points of `text` in `font_name` at `size`, variant glyphs measured as drawn."""
        return float(pdfmetrics.stringWidth(self.prepare(text, font_name), font_name, size))

    def _variants(self, font_name: str) -> _Variants:
        if font_name not in self.names:
            raise ValueError(f"{font_name!r} is not one of this FontSet's fonts {self.names}")
        variants: _Variants = getattr(pdfmetrics.getFont(font_name).face, _VARIANTS_ATTRIBUTE)
        return variants


def _register(name: str, path: Path) -> str:
    """Register `path` as `name` unless it already is, and give its face IVS state. Returns `name`."""
    if not path.is_file():
        raise FontMissingError(str(path))
    if name in pdfmetrics.getRegisteredFontNames():
        face = pdfmetrics.getFont(name).face
        # reportlab keeps the first font under a name: another file would be drawn without a word.
        if Path(face.filename).resolve() != path.resolve():
            raise ValueError(f"font {name!r} is already registered from {face.filename}, not {path}")
    else:
        try:
            font = TTFont(name, str(path))
        except TTFError as error:  # e.g. CFF outlines (Noto CJK): reportlab embeds glyf only
            raise FontMissingError(str(path), f"not a usable TrueType font ({error})") from None
        pdfmetrics.registerFont(font)
        face = pdfmetrics.getFont(name).face
    if not isinstance(getattr(face, _VARIANTS_ATTRIBUTE, None), _Variants):
        setattr(face, _VARIANTS_ATTRIBUTE, _Variants(face))
    _keep_glyph_table(face)
    return name


def _keep_glyph_table(face: Any) -> None:
    """Let reportlab's subsetting reuse one copy of the glyf table instead of slicing a new one per PDF.

    `TTFontFile.makeSubset` calls `get_table("glyf")` for every subset it embeds, which copies the whole table
    out of the font file's bytes: 40 MB for IPAmj明朝, about a third of a warm certificate render
    (benchmarks/render.py). The face lives as long as the process, so one kept copy serves every certificate.
    """
    if getattr(face, "_kiosk_glyf", None) is not None:
        return
    original = face.get_table
    kept = original("glyf")
    face._kiosk_glyf = kept

    def get_table(tag: str) -> bytes:
        return kept if tag == "glyf" else bytes(original(tag))

    face.get_table = get_table


def _pairs(text: str) -> Iterator[tuple[int | None, int | None]]:
    """(base, selector) per character: selector None for a plain one, base None for a stray selector."""
    base: int | None = None
    for code in map(ord, text):
        if _is_selector(code):
            yield base, code
            base = None
        else:
            if base is not None:
                yield base, None
            base = code
    if base is not None:
        yield base, None


def _is_selector(code: int) -> bool:
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def _code_points(base: int | None, selector: int | None) -> str:
    return " ".join(f"U+{code:04X}" for code in (base, selector) if code is not None)


#: A variant glyph: its id and its advance width in 1/1000 em (reportlab's unit).
_Glyph = tuple[int, float]


class _Variants:
    """The IVS state of one reportlab face: the font's cmap 14 (read when a selector first turns up)
    and the private-use stand-ins given out. Lives on the face; the lock covers concurrent renderers."""

    def __init__(self, face: Any) -> None:
        self._face = face
        self._lock = threading.Lock()
        self._sequences: dict[tuple[int, int], _Glyph | None] | None = None
        self._pua_by_pair: dict[tuple[int, int], int] = {}
        # The name reportlab gives this face's subsets after the "XXXXXX+" (TTFont.addObjects).
        self.pdf_name: str = (face.name + face.subfontNameX).decode("pdfdoc")
        self.text_by_pua: dict[int, str] = {}

    def knows(self, base: int | None, selector: int | None) -> bool:
        """Whether the face prints this character or pair as intended."""
        if base is None:
            return False  # a selector with nothing to select
        if selector is None:
            return base < _FIRST_PRINTABLE or self._has_glyph(base)
        sequences = self._cmap14()
        if (base, selector) not in sequences:
            return False
        return sequences[(base, selector)] is not None or self._has_glyph(base)

    def resolve(self, base: int, selector: int | None) -> str:
        """What reportlab draws for a checked pair: the base, or the stand-in for the variant glyph."""
        if selector is None or (variant := self._cmap14()[(base, selector)]) is None:
            return chr(base)
        with self._lock:
            pua = self._pua_by_pair.get((base, selector))
            return chr(pua if pua is not None else self._allocate(base, selector, variant))

    def _has_glyph(self, code: int) -> bool:
        # Our stand-ins are in charToGlyph too, but as input they are nobody's name.
        return code in self._face.charToGlyph and code not in self.text_by_pua

    def _allocate(self, base: int, selector: int, variant: _Glyph) -> int:
        face = self._face
        glyph, width = variant
        pua = _PUA_FIRST + len(self._pua_by_pair)
        while pua in face.charToGlyph:
            pua += 1
        if pua > _PUA_LAST:  # not with these fonts: IPAmj has 11,474 sequences, plane 15 65,534 points
            raise RuntimeError(f"out of private-use code points for {self.pdf_name}")
        # What reportlab consults: charToGlyph to subset and draw, glyphToChar and charWidths for the
        # Widths array and stringWidth.
        face.charToGlyph[pua] = glyph
        face.glyphToChar.setdefault(glyph, []).append(pua)
        face.charWidths[pua] = width
        self.text_by_pua[pua] = chr(base) + chr(selector)
        self._pua_by_pair[(base, selector)] = pua
        return pua

    def _cmap14(self) -> dict[tuple[int, int], _Glyph | None]:
        with self._lock:
            if self._sequences is None:
                self._sequences = _read_cmap14(self._face.filename)
            return self._sequences


def _read_cmap14(path: str) -> dict[tuple[int, int], _Glyph | None]:
    """(base, selector) → (glyph id, width in 1/1000 em), or None for "the base's own glyph", from the
    font's cmap 14 subtables."""
    with ToolsFont(path, lazy=True, fontNumber=0) as font:
        # fontTools would name glyphs from the post table (61k names in IPAmj: 0.3 s). Our own names,
        # the glyph ids as strings, cost nothing and convert straight back.
        font.setGlyphOrder([str(glyph) for glyph in range(font["maxp"].numGlyphs)])
        # Not reportlab's face.hmetrics: past hhea.numberOfHMetrics it holds already-scaled advances.
        metrics, units_per_em = font["hmtx"], font["head"].unitsPerEm
        return {
            (base, selector): None if glyph is None else (int(glyph), metrics[glyph][0] * 1000 / units_per_em)
            for subtable in font["cmap"].tables
            if subtable.format == 14
            for selector, pairs in subtable.uvsDict.items()
            for base, glyph in pairs
        }


def _to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """reportlab's ToUnicode CMap for one subset, but with UTF-16BE destinations (surrogate pairs beyond
    the BMP), and the original variation sequence for a private-use stand-in."""
    sequences = _sequences_of(fontname)
    destinations = (_utf16_hex(sequences.get(code, chr(code))) for code in subset)
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{index:02X}> <{destination}>" for index, destination in enumerate(destinations)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines)


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def _sequences_of(fontname: str) -> Mapping[int, str]:
    """The stand-ins given out for the face behind a subset's name ("AAAAAA+IPAmjMincho"), if any."""
    pdf_name = fontname.partition("+")[2]
    for name in pdfmetrics.getRegisteredFontNames():
        face = getattr(pdfmetrics.getFont(name), "face", None)
        variants = getattr(face, _VARIANTS_ATTRIBUTE, None)
        if isinstance(variants, _Variants) and variants.pdf_name == pdf_name:
            return variants.text_by_pua
    return {}


def _install_to_unicode_fix() -> None:
    """Replace reportlab's ToUnicode writer, once per process.

    reportlab calls `ttfonts.makeToUnicodeCMap` through its module-global name when a PDF is saved, so
    assigning that global is the hook there is. It applies to every TrueType font in the process, which
    is intended: the replacement writes what reportlab wrote, except for destinations it gets right.
    """
    if ttfonts.makeToUnicodeCMap is not _to_unicode_cmap:
        ttfonts.makeToUnicodeCMap = _to_unicode_cmap
