"""Rendered certificates read back with poppler and qpdf.

What these tests check:

* Every sample resident's 住民票の写し (members=all, every option) and, with a registered seal, their
  印鑑登録証明書 print every field exactly (pdftotext). They also check the serial and "n / m 頁" on every
  page, embedded IPAmj/IPAex fonts only (pdffonts), A4 pages (pdfinfo) and a sound PDF (qpdf --check).
* A household continues over pages, and only the last page carries the certification and the mayor.
* Body text stays inside the text area the renderer gives its PageDecorator: above the band kept for the
  QR code and the footer, and inside the margins.
* A character IPAmj明朝 lacks stops the render before a canvas exists. The error names code points, never
  the text.
* Page 1 of a fixed 住民票 matches a golden image.

The contents are built here straight from `config/samples/residents.json`, the way the reference backend
builds them (municipal/service.py: living members only, householder first, then by id). They are signed with a
test Ed25519 key and checked by `verify_document`, since the renderer only takes a `VerifiedDocument`.

pdftotext writes U+3000 (the ideographic space that pads 和暦 dates, 令和　８年) as U+0020, although the PDF's
ToUnicode maps it to U+3000 (test_the_ideographic_space_is_in_the_pdf checks the PDF itself). The expected
values are compared with that one substitution.

Golden image: `golden/juminhyo_page1.png` is page 1 of `golden_content()`, rendered with the default
PageDecorator (no security features) and made with `pdftoppm -r 100 -png -singlefile`. After an intended
change to the layout, wording or fonts, rewrite it with

    KIOSK_UPDATE_GOLDEN=1 .venv/bin/pytest tests/unit/printing/test_render.py -k golden

then look at the new image before you commit it. The comparison allows 0.05% of the pixels to differ by
more than 64 grey levels (see MAX_DIFFERING). A failed comparison writes the rendered and diff images
into the test's tmp_path and gives their paths in the message.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image, ImageChops
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

import printing.render as render_module
from kiosk.backend.document import (
    DocumentContent,
    DocumentType,
    InkanContent,
    JuminhyoContent,
    Member,
    Municipality,
    Sex,
)
from kiosk.backend.verify import VerifiedDocument, verify_document
from municipal.residents import Household, ResidentRecord, load_resident_file
from municipal.seal import seal_impression_png
from printing.document import Certificate, build_certificate
from printing.fonts import FontSet, MissingGlyphError
from printing.render import PageDecorator, Renderer
from printing.verification import check_pdf
from printing.wareki import era_date
from printing.wording import load_wording
from tests.unit.backend import samples

ROOT = Path(__file__).resolve().parents[3]
SAMPLES = ROOT / "config" / "samples" / "residents.json"
GOLDEN = Path(__file__).resolve().parent / "golden" / "juminhyo_page1.png"
UPDATE_GOLDEN = os.environ.get("KIOSK_UPDATE_GOLDEN") == "1"
# Ink covers under 2% of the page, so a 0.5% allowance would let a quarter of it change unseen (swapping the
# 公印's columns changes 0.13%). The limit is 0.05% (about 480 pixels): anti-aliasing drift passes, but a
# moved or missing row or seal does not. A single changed character (15 to 35 pixels) also passes.
GREY_LEVELS = 64
MAX_DIFFERING = 0.0005

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))  # a test key; nothing here depends on its value
WORDING = load_wording()
LABELS = WORDING.labels
LAYOUT = WORDING.layout
# What `kiosk backend init` configures for the sample municipality (municipal/settings.py).
MUNICIPALITY = Municipality(code="999997", name="試験市")
MAYOR_TITLE = "試験市長"
MAYOR_NAME = "見本 太郎"
ISSUED_AT = datetime(2026, 4, 1, 9, 30, tzinfo=samples.JST)

RESIDENTS = load_resident_file(SAMPLES)
RECORDS: dict[str, ResidentRecord] = {member.id: member for _, _, _, member in RESIDENTS.members()}
HOUSEHOLD_OF: dict[str, Household] = {member.id: house for _, _, house, member in RESIDENTS.members()}
# The backend refuses moved-out and deceased residents; everyone else gets a 住民票 here. That includes
# R0022, whom a kiosk refuses (支援措置), for the 2月29日 birth date.
LIVING = tuple(rid for rid, record in RECORDS.items() if record.status == "resident")
# ... and an 印鑑登録証明書 when the seal registration is in force.
SEALED = tuple(rid for rid in LIVING if (seal := RECORDS[rid].seal) and seal.status == "registered")



# --------------------------------------------------------------------------------------------- contents


def _member(record: ResidentRecord) -> Member:
    """A member with every option (続柄, 住民となった年月日, 前住所, 本籍・筆頭者), as the backend."""
    return Member(
        name=record.name,
        name_kana=record.name_kana,
        birth_date=record.birth_date,
        sex=record.sex,
        relationship=record.relationship,
        became_resident_on=record.became_resident_on,
        previous_address=record.previous_address,
        honseki=record.honseki if record.nationality is None else None,
        hittosha=record.hittosha if record.nationality is None else None,
        nationality=record.nationality,
    )


def _serial(prefix: str, resident_id: str) -> str:
    return f"{prefix}-2026-{int(resident_id.lstrip('R')):06d}"


def juminhyo_content(resident_id: str, *, every_record: bool = False) -> JuminhyoContent:
    """The 住民票 `resident_id` gets with members=all and every option. `every_record` also keeps members
    who have moved out or died (a copy made before they left)."""
    household = HOUSEHOLD_OF[resident_id]
    members = [m for m in household.members if every_record or m.status == "resident"]
    members.sort(key=lambda m: (not m.householder, m.id))
    head = household.householder
    return JuminhyoContent(
        document_type=DocumentType.JUMINHYO,
        municipality=MUNICIPALITY,
        address=household.address,
        householder=head.name if every_record or head.status == "resident" else None,
        members=tuple(_member(member) for member in members),
        mayor_title=MAYOR_TITLE,
        mayor_name=MAYOR_NAME,
        serial=_serial("J", resident_id),
        issued_at=ISSUED_AT,
    )


def inkan_content(resident_id: str) -> InkanContent:
    record = RECORDS[resident_id]
    assert record.seal is not None
    number = record.seal.registration_number
    return InkanContent(
        document_type=DocumentType.INKAN,
        municipality=MUNICIPALITY,
        address=HOUSEHOLD_OF[resident_id].address,
        name=record.name,
        birth_date=record.birth_date,
        sex=record.sex,
        registration_number=number,
        seal_image=record.seal.image_png or seal_impression_png(number),
        mayor_title=MAYOR_TITLE,
        mayor_name=MAYOR_NAME,
        serial=_serial("I", resident_id),
        issued_at=ISSUED_AT,
    )


def verified(content: DocumentContent) -> VerifiedDocument:
    envelope = samples.sign(content, KEY)
    return verify_document(envelope, municipal_key=KEY.public_key(), expected=samples.expected())


def certificate(content: DocumentContent) -> Certificate:
    return build_certificate(verified(content), WORDING)


def _wareki(day: date) -> str:
    return era_date(day, full_width=True, pad=True)


def printed_values(content: DocumentContent) -> dict[str, str]:
    """Every value the certificate prints, by field, built from the content (not from printing.document)."""
    values = {
        "municipality": content.municipality.name,
        "address": content.address,
        "issued_on": _wareki(content.issued_at.date()),
        "mayor_title": content.mayor_title,
        "mayor_name": content.mayor_name,
        "serial": content.serial,
    }
    if isinstance(content, JuminhyoContent):
        values |= {"title": WORDING.juminhyo.title, "certification": WORDING.juminhyo.certification}
        if content.householder is not None:
            values["householder"] = content.householder
        for index, member in enumerate(content.members):
            for key, value in {
                "name": member.name,
                "name_kana": member.name_kana,
                "birth_date": _wareki(member.birth_date),
                "sex": LABELS.male if member.sex is Sex.MALE else LABELS.female,
                "relationship": member.relationship,
                "nationality": member.nationality,
                "became_resident_on": member.became_resident_on and _wareki(member.became_resident_on),
                "previous_address": member.previous_address,
                "honseki": member.honseki,
                "hittosha": member.hittosha,
            }.items():
                if value is not None:
                    values[f"members[{index}].{key}"] = value
    else:
        values |= {
            "title": WORDING.inkan.title,
            "certification": WORDING.inkan.certification,
            "name": content.name,
            "birth_date": _wareki(content.birth_date),
            "registration_number": content.registration_number,
            "seal_label": LABELS.seal,
        }
        if content.sex is not None:
            values["sex"] = LABELS.male if content.sex is Sex.MALE else LABELS.female
    return values


def as_extracted(text: str) -> str:
    """What pdftotext gives back for `text`: U+3000 as a plain space (see the module docstring)."""
    return text.replace("\u3000", " ")


# --------------------------------------------------------------------------------------------- rendering


class RecordingDecorator(PageDecorator):
    """Draws nothing, like the default, and keeps the text area the renderer announces for each page.
    Whatever else `background` is given (the security work adds the certificate and the page) is ignored."""

    def __init__(self) -> None:
        self.text_areas: list[tuple[float, float, float, float]] = []

    def background(  # type: ignore[override]
        self, canvas: Canvas, *args: object, text_area: tuple[float, float, float, float], **kwargs: object
    ) -> None:
        self.text_areas.append(text_area)


@dataclass(frozen=True)
class Rendered:
    content: DocumentContent
    path: Path
    text_areas: tuple[tuple[float, float, float, float], ...]


@pytest.fixture(scope="module")
def fonts() -> FontSet:
    return FontSet.register()


@pytest.fixture(scope="module")
def renderer(fonts: FontSet) -> Renderer:
    return Renderer(fonts, WORDING)


@pytest.fixture(scope="module")
def rendered(fonts: FontSet, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """rendered(kind, resident_id) -> Rendered, each document rendered once per module."""
    folder = tmp_path_factory.mktemp("rendered")
    cache: dict[tuple[str, str], Rendered] = {}

    def get(kind: str, resident_id: str) -> Rendered:
        if (kind, resident_id) not in cache:
            content = inkan_content(resident_id) if kind == "inkan" else juminhyo_content(resident_id)
            decorator = RecordingDecorator()
            pdf = Renderer(fonts, WORDING, decorator).render(certificate(content))
            path = folder / f"{kind}-{resident_id}.pdf"
            path.write_bytes(pdf)
            cache[kind, resident_id] = Rendered(content, path, tuple(decorator.text_areas))
        return cache[kind, resident_id]

    return get


# ------------------------------------------------------------------------------------------------ poppler


def run(*argv: str) -> str:
    return subprocess.run(argv, check=True, capture_output=True, text=True, timeout=60).stdout


def page_texts(pdf: Path, first: int | None = None, last: int | None = None) -> list[str]:
    """pdftotext -raw per page (it ends every page with a form feed), newlines removed: a value wrapped
    onto a second line reads as one again."""
    pages = ["-f", str(first), "-l", str(last)] if first is not None and last is not None else []
    out = run("pdftotext", "-raw", "-enc", "UTF-8", *pages, str(pdf), "-")
    assert out.endswith("\f"), "pdftotext ends every page with a form feed"
    return [page.replace("\n", "") for page in out.split("\f")[:-1]]


def page_sizes(pdf: Path) -> list[tuple[float, float, str]]:
    out = run("pdfinfo", "-f", "1", "-l", "9999", str(pdf))
    pattern = r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts(?: \((\w+)\))?"
    return [(float(w), float(h), kind or "") for w, h, kind in re.findall(pattern, out, re.MULTILINE)]


def font_rows(pdf: Path) -> list[tuple[str, str]]:
    """(name, emb) per font in pdffonts' table (columns: name type encoding emb sub uni object ID)."""
    lines = run("pdffonts", str(pdf)).splitlines()
    assert lines[0].split()[:3] == ["name", "type", "encoding"], lines[0]
    return [(line.split()[0], line.split()[-5]) for line in lines[2:] if line.strip()]


@dataclass(frozen=True)
class Word:
    text: str
    x_min: float
    y_min: float  # from the top of the page, as pdftotext -bbox gives it
    x_max: float
    y_max: float


def page_words(pdf: Path) -> list[tuple[float, list[Word]]]:
    """(page height, words) per page, from pdftotext -bbox."""
    out = run("pdftotext", "-bbox", str(pdf), "-")
    pages = []
    for height, body in re.findall(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', out, re.DOTALL):
        words = [
            Word(text, float(x0), float(y0), float(x1), float(y1))
            for x0, y0, x1, y1, text in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', body
            )
        ]
        pages.append((float(height), words))
    return pages


def assert_sound_a4_pdf(pdf: Path, pages: int) -> None:
    """A4 on every page, only embedded IPAmj/IPAex fonts, and no syntax or stream errors."""
    sizes = page_sizes(pdf)
    assert len(sizes) == pages
    for width, height, kind in sizes:
        assert (abs(width - 595.28) < 0.01, abs(height - 841.89) < 0.01, kind) == (True, True, "A4")
    fonts = font_rows(pdf)
    assert fonts, "no fonts in the PDF"
    for name, embedded in fonts:
        assert embedded == "yes", f"{name} is not embedded"
        assert name.partition("+")[2].startswith(("IPAmj", "IPAex")), f"{name} is not IPAmj or IPAex"
    check = subprocess.run(
        ["qpdf", "--check", str(pdf)], check=False, capture_output=True, text=True, timeout=60
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No syntax or stream encoding errors found" in check.stdout


def page_label(page: int, pages: int) -> str:
    return LABELS.page.format(page=page, pages=pages)


# ------------------------------------------------------------------------------------- every sample resident


def _resident_params(ids: tuple[str, ...], marks: dict[str, pytest.MarkDecorator]) -> list[Any]:
    """One param per resident, with the mark of its household if it has one."""
    params = []
    for rid in ids:
        mark = marks.get(HOUSEHOLD_OF[rid].id)
        params.append(pytest.param(rid, id=rid, marks=[mark] if mark else []))
    return params


def test_the_samples_are_what_these_tests_expect() -> None:
    """29 living residents (R0015 died, R0018 moved out), 19 seals in force, and the rare characters."""
    assert len(LIVING) == 29
    assert len(SEALED) == 19
    names = "".join(RECORDS[rid].name for rid in LIVING)
    for character in ("\U00020bb7", "髙", "﨑", "辻\U000e0102"):
        assert character in names


def _check_document(rendered: Rendered) -> None:
    texts = page_texts(rendered.path)  # one pdftotext per PDF
    pages = len(texts)
    assert pages == len(rendered.text_areas)
    whole = "".join(texts)
    expected = printed_values(rendered.content)
    missing = {key: value for key, value in expected.items() if as_extracted(value) not in whole}
    assert not missing, f"not printed exactly: {missing}"
    for number, text in enumerate(texts, start=1):
        assert rendered.content.serial in text, f"no serial on page {number}"
        assert page_label(number, pages) in text, f"no page number on page {number}"
    assert_sound_a4_pdf(rendered.path, pages)


@pytest.mark.parametrize("resident_id", _resident_params(LIVING, {}))
def test_every_residents_juminhyo_prints_every_field(rendered: Any, resident_id: str) -> None:
    _check_document(rendered("juminhyo", resident_id))


@pytest.mark.parametrize("resident_id", _resident_params(SEALED, {}))
def test_every_registered_seals_inkan_prints_every_field(rendered: Any, resident_id: str) -> None:
    document = rendered("inkan", resident_id)
    _check_document(document)
    rows = run("pdfimages", "-list", str(document.path)).splitlines()[2:]
    assert [row.split()[2] for row in rows].count("image") == 1  # the 印影 (its alpha is an smask)


def _assert_inside(document: Rendered) -> None:
    pages = page_words(document.path)
    assert len(pages) == len(document.text_areas)
    for number, ((height, words), (left, bottom, right, top)) in enumerate(
        zip(pages, document.text_areas, strict=True), start=1
    ):
        footer = [word for word in words if word.text == LABELS.serial]
        assert len(footer) == 1, f"page {number}: no footer"
        body = [word for word in words if abs(word.y_min - footer[0].y_min) > 1]
        outside = [
            (word.text, round(height - word.y_max), round(word.x_max))
            for word in body
            if word.x_min < left - 1
            or word.x_max > right + 1
            or height - word.y_max < bottom - 1
            or height - word.y_min > top + 1
        ]
        area = f"({left:.0f}, {bottom:.0f}, {right:.0f}, {top:.0f})"
        assert not outside, f"page {number}: (text, bottom, right) outside {area}: {outside}"


# One 住民票 per household: the first living member's (the others differ in the serial only).
_HOUSEHOLDS = tuple(next(m.id for m in h.members if m.status == "resident") for h in RESIDENTS.households)


@pytest.mark.parametrize(
    "resident_id", _resident_params(_HOUSEHOLDS, {})
)
def test_the_body_stays_inside_the_text_area(rendered: Any, resident_id: str) -> None:
    """Every word but the footer's inside the text area given to the PageDecorator (the QR band kept free)."""
    _assert_inside(rendered("juminhyo", resident_id))


@pytest.mark.parametrize("resident_id", ["R0001", "R0023", "R0024"])
def test_the_inkan_body_stays_inside_the_text_area(rendered: Any, resident_id: str) -> None:
    _assert_inside(rendered("inkan", resident_id))


def test_the_ideographic_space_is_in_the_pdf(rendered: Any) -> None:
    """The PDF itself says U+3000 where the date has one (pypdf reads it); pdftotext gives a space."""
    birth_date = _wareki(RECORDS["R0005"].birth_date)  # 昭和３７年　２月１４日
    assert "\u3000" in birth_date
    assert birth_date in PdfReader(rendered("juminhyo", "R0005").path).pages[0].extract_text()
    assert birth_date not in page_texts(rendered("juminhyo", "R0005").path)[0]


# ------------------------------------------------------------------------------------------------ pages


def test_a_household_of_five_continues_on_further_pages(rendered: Any) -> None:
    """H0006 as issued: six records, R0018 moved out, so five members; every option printed, so the pages
    are filled by measured height (at most members_per_page each) and each member appears exactly once."""
    document = rendered("juminhyo", "R0016")
    assert len(document.content.members) == 5  # type: ignore[union-attr]
    counts = [text.count(LABELS.name) for text in page_texts(document.path)]
    assert sum(counts) == 5 and len(counts) >= 2 and max(counts) <= LAYOUT.members_per_page


def test_a_household_of_six_continues_over_pages_in_order(renderer: Renderer, tmp_path: Path) -> None:
    content = juminhyo_content("R0016", every_record=True)
    names = [member.name for member in content.members]
    assert len(names) == 6 and LAYOUT.members_per_page == 4
    path = tmp_path / "six.pdf"
    path.write_bytes(renderer.render(certificate(content)))
    count = len(page_sizes(path))
    assert count >= 2
    pages = [page_texts(path, number, number)[0] for number in range(1, count + 1)]  # pdftotext -f N -l N
    blocks = [f"{LABELS.name} {name}" for name in names]  # 鈴木 浩 is also 世帯主 and 筆頭者 on every page
    where = [next(number for number, text in enumerate(pages) if block in text) for block in blocks]
    assert where == sorted(where)  # in order, each on exactly one page
    assert all(sum(block in text for text in pages) == 1 for block in blocks)
    assert all(text.count(LABELS.name) <= LAYOUT.members_per_page for text in pages)
    # The address and the householder head every page; the certification and the mayor the last one only.
    for text in pages:
        assert content.address in text and LABELS.householder in text
    issued_on = as_extracted(_wareki(ISSUED_AT.date()))
    for text in (WORDING.juminhyo.certification, issued_on, f"{MAYOR_TITLE} {MAYOR_NAME}"):
        assert all(text not in page for page in pages[:-1]) and text in pages[-1]
    for number, text in enumerate(pages, start=1):
        assert text.startswith(WORDING.juminhyo.title)
        assert f"{LABELS.serial} {content.serial}" in text
        assert page_label(number, count) in text
    assert_sound_a4_pdf(path, len(page_sizes(path)))


# ------------------------------------------------------------------------------------------ missing glyphs


@pytest.mark.parametrize(
    ("name", "code_points"),
    [
        ("髙橋 \uf8ff子", ("U+F8FF",)),  # private use: no font has it
        ("辻\U000e0100 花子", ("U+8FBB U+E0100",)),  # Adobe-Japan1's 辻 sequence: IPAmj has only MJ's
        ("山田 \U000f0000郎", ("U+F0000",)),  # the plane-15 stand-ins' range is nobody's input either
    ],
)
def test_a_name_the_font_cannot_print_stops_before_anything_is_drawn(
    renderer: Renderer, monkeypatch: pytest.MonkeyPatch, name: str, code_points: tuple[str, ...]
) -> None:
    base = juminhyo_content("R0005")
    member = base.members[0].model_copy(update={"name": name})
    content = base.model_copy(update={"members": (member,)})
    cert = certificate(content)
    canvases: list[object] = []

    class Spy(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            canvases.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(render_module, "Canvas", Spy)
    with pytest.raises(MissingGlyphError) as caught:
        renderer.render(cert)
    assert canvases == []  # refused before the first canvas: no page, no bytes
    assert caught.value.code_points == code_points
    message = f"{caught.value} {caught.value!r} {caught.value.args}"
    for part in name.split():
        assert part not in message
    # the same certificate without the bad name renders
    assert renderer.render(certificate(base)).startswith(b"%PDF-")


# ------------------------------------------------------------------------------------------- verification


def _keys(code: str) -> Any:
    assert code == MUNICIPALITY.code
    return KEY.public_key()


def test_a_rendered_certificate_verifies(rendered: Any) -> None:
    """`kiosk verify FILE.pdf` accepts what the renderer makes, rare characters included."""
    for kind, resident_id in (("juminhyo", "R0006"), ("juminhyo", "R0008"), ("inkan", "R0023")):
        assert check_pdf(rendered(kind, resident_id).path, _keys).content_checked is True


def _render_single(renderer: Renderer, path: Path, name: str) -> Path:
    base = juminhyo_content("R0024")
    member = base.members[0].model_copy(update={"name": name})
    content = base.model_copy(update={"members": (member,), "householder": name})
    path.write_bytes(renderer.render(certificate(content)))
    return path


def test_a_name_wrapped_at_a_space_still_verifies(renderer: Renderer, tmp_path: Path) -> None:
    name = " ".join(["MARIA"] * 11)  # the 11th MARIA is the first that does not fit: the line ends in a space
    path = _render_single(renderer, tmp_path / "wrapped.pdf", name)
    assert check_pdf(path, _keys).content_checked is True


def test_a_name_with_an_ideographic_space_verifies(renderer: Renderer, tmp_path: Path) -> None:
    path = _render_single(renderer, tmp_path / "ideographic.pdf", "山田\u3000花子")
    assert check_pdf(path, _keys).content_checked is True


# ------------------------------------------------------------------------------------------------- the seal


def test_the_official_seal_reads_right_to_left(rendered: Any) -> None:
    """試験市長之印 in columns read right to left: 試験市 on the right, 長之印 on the left. (Commit fd36485
    reversed the columns in _Page._official_seal, so the seal read 長之印試験市.)"""
    (_, words), *_ = page_words(rendered("juminhyo", "R0005").path)
    x = {word.text: word.x_min for word in words if len(word.text) == 1 and word.text in "試験市長之印"}
    assert set(x) == set("試験市長之印")
    assert x["試"] > x["長"]  # the first column is the rightmost


# ------------------------------------------------------------------------------------------------- golden


def golden_content() -> JuminhyoContent:
    """samples.juminhyo(): 髙, 𠮷 and 辻 + U+E0102 on one page, with a fixed issued_at."""
    return samples.juminhyo()


def test_page_one_matches_the_golden_image(renderer: Renderer, tmp_path: Path) -> None:
    assert type(renderer.decorator) is PageDecorator  # no security features in the golden image
    pdf = tmp_path / "golden.pdf"
    pdf.write_bytes(renderer.render(certificate(golden_content())))
    png = tmp_path / "juminhyo_page1.png"
    subprocess.run(
        ["pdftoppm", "-r", "100", "-png", "-singlefile", str(pdf), str(png.with_suffix(""))],
        check=True,
        timeout=60,
    )
    if UPDATE_GOLDEN:
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_bytes(png.read_bytes())
        return
    assert GOLDEN.is_file(), f"no golden image: run with KIOSK_UPDATE_GOLDEN=1 to create {GOLDEN}"
    with Image.open(GOLDEN) as golden_image, Image.open(png) as actual_image:
        golden, actual = golden_image.convert("L"), actual_image.convert("L")
    assert actual.size == golden.size, f"{png} is {actual.size}, the golden image {golden.size}"
    diff = ImageChops.difference(golden, actual)
    mask = diff.point(lambda value: 255 if value > GREY_LEVELS else 0)
    share = mask.histogram()[255] / (diff.width * diff.height)
    if share > MAX_DIFFERING:
        marked = tmp_path / "juminhyo_page1.diff.png"
        red = Image.new("RGB", actual.size, (255, 0, 0))
        Image.composite(red, actual.convert("RGB"), mask).save(marked)
        pytest.fail(
            f"page 1 differs from {GOLDEN.name} in {share:.2%} of its pixels (allowed {MAX_DIFFERING:.2%}): "
            f"rendered {png}, differences in red {marked}"
        )
