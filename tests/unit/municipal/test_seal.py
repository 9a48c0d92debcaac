"""Generated seal impressions: deterministic, a real PNG, small, and valid as a seal image on the wire."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from municipal.residents import SealRecord
from municipal.seal import seal_impression_png

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_same_registration_number_gives_the_same_bytes() -> None:
    assert seal_impression_png("S-000001") == seal_impression_png("S-000001")


def test_different_registration_numbers_give_different_impressions() -> None:
    images = {seal_impression_png(f"S-{number:06d}") for number in range(1, 21)}
    assert len(images) == 20


def test_it_is_a_small_png_that_pillow_opens() -> None:
    data = seal_impression_png("S-000001")
    assert data.startswith(PNG_MAGIC)
    assert len(data) < 64 * 1024
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        assert image.size == (240, 240)
        assert image.mode == "RGBA"
        image.load()
        # Transparent corners (outside the ring), opaque red ink on the ring itself.
        corner = image.getpixel((0, 0))
        ring = image.getpixel((120, 12))
        assert isinstance(corner, tuple) and isinstance(ring, tuple)
        assert corner[3] == 0
        red, green, blue, alpha = ring
        assert alpha > 200 and red > 150 and green < 80 and blue < 80


def test_no_metadata_chunks_are_written() -> None:
    data = seal_impression_png("S-000001")
    for chunk in (b"tEXt", b"zTXt", b"iTXt", b"tIME"):
        assert chunk not in data


def test_size_is_honoured_and_bounded() -> None:
    with Image.open(io.BytesIO(seal_impression_png("S-000001", size=96))) as image:
        assert image.size == (96, 96)
    largest = seal_impression_png("S-000001", size=1024)
    assert len(largest) < 256 * 1024
    for size in (31, 1025):
        with pytest.raises(ValueError, match="size"):
            seal_impression_png("S-000001", size=size)


def test_an_empty_registration_number_is_refused() -> None:
    with pytest.raises(ValueError, match="registration number"):
        seal_impression_png("")


def test_non_ascii_registration_numbers_work() -> None:
    assert seal_impression_png("印-１").startswith(PNG_MAGIC)


def test_a_generated_impression_passes_the_import_validation() -> None:
    image = seal_impression_png("S-000001")
    seal = SealRecord(registration_number="S-000001", status="registered", image_png=image)
    assert seal.image_png == image
