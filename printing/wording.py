"""The certificates' wording and layout constants, from `config/certificate.toml` (data, not code)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Final

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kiosk.config_file import config_error, read_toml

__all__ = ["WORDING_FILE", "Labels", "Layout", "Pattern", "Wording", "load_wording"]

WORDING_FILE: Final = Path(__file__).resolve().parent.parent / "config" / "certificate.toml"

Text = Annotated[str, Field(min_length=1, max_length=200)]
Millimetres = Annotated[float, Field(gt=0, le=297)]
Points = Annotated[float, Field(gt=0, le=72)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class JuminhyoWording(_Section):
    title: Text
    certification: Text
    members_heading: Text


class InkanWording(_Section):
    title: Text
    certification: Text


class Labels(_Section):
    address: Text
    householder: Text
    name: Text
    name_kana: Text
    birth_date: Text
    sex: Text
    relationship: Text
    became_resident_on: Text
    previous_address: Text
    honseki: Text
    hittosha: Text
    nationality: Text
    registration_number: Text
    seal: Text
    serial: Text
    issued_on: Text
    page: Text  # with {page} and {pages}
    male: Text
    female: Text


class Layout(_Section):
    margin: Millimetres
    title_size: Points
    label_size: Points
    text_size: Points
    row_height: Millimetres
    label_width: Millimetres
    members_per_page: Annotated[int, Field(ge=1, le=10)]
    seal_size: Millimetres
    mayor_seal_size: Millimetres
    qr_size: Millimetres


class Pattern(_Section):
    """The 地紋's look (printing.security.PatternStyle checks the combination); lengths in points."""

    tint: Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")]
    line_width: Points
    wave_period: Points
    wave_amplitude: Points
    wave_spacing: Points
    waves_per_band: Annotated[int, Field(ge=1, le=64)]
    wave_variants: Annotated[int, Field(ge=1, le=16)]
    rosette_radius: Annotated[float, Field(gt=0, le=300)]
    rosette_amplitude: Points
    rosette_lobes: Annotated[int, Field(ge=1, le=120)]
    rosette_copies: Annotated[int, Field(ge=1, le=120)]
    rosettes_per_page: Annotated[int, Field(ge=0, le=20)]
    screen_pitch: Points
    screen_line_width: Points
    latent_word: Text
    latent_size: Annotated[float, Field(gt=0, le=300)]
    latent_dot_pitch: Points
    latent_balance: Annotated[float, Field(gt=0, le=10)]
    latent_words_per_page: Annotated[int, Field(ge=1, le=10)]
    latent_margin: Points


class Wording(_Section):
    juminhyo: JuminhyoWording
    inkan: InkanWording
    labels: Labels
    layout: Layout
    pattern: Pattern


def load_wording(path: Path = WORDING_FILE) -> Wording:
    data = read_toml(path)
    try:
        return Wording.model_validate(data)
    except ValidationError as error:
        raise config_error(str(path), error) from None
