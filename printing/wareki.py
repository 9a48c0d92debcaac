"""和暦 (Japanese-era) dates as certificates print them: "令和元年5月1日", or "令和元年１２月　４日".

The era table is data (`config/eras.toml`): a new era is announced ahead of time and is one more entry there.
Year 1 of an era is written 元 (the 2019 改元 showed what a system that prints "1年", or worse, does to a
municipality). Certificates print full-width digits padded with an ideographic space, so that dates line
up in a column ("令和元年１２月　４日", "平成　５年　５月　５日"): `full_width` and `pad`. 元 is a word,
not a number, and is never padded, as in the MIC-modelled 住民票 sample ("令和元年　５月　１日").

Dates are personal data (a birth date): no error message here ever contains one.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Annotated, Final, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from kiosk.config_file import FieldProblem, config_error, read_toml

__all__ = ["ERAS_FILE", "Era", "default_eras", "era_date", "load_eras"]

#: The project's era table.
ERAS_FILE: Final = Path(__file__).resolve().parent.parent / "config" / "eras.toml"

_FIRST_YEAR: Final = "元"
_FULL_WIDTH_DIGITS: Final = str.maketrans("0123456789", "０１２３４５６７８９")
_IDEOGRAPHIC_SPACE: Final = "\u3000"  # as wide as a full-width digit


class Era(BaseModel):
    """One era: its name and the first day of its 元年."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    name: str = Field(min_length=1)
    start: date  # strict: a TOML date, not a date-time or a string


def _as_tuple(value: object) -> object:
    # TOML arrays arrive as lists; the table is held as a tuple so that nobody edits it in place.
    return tuple(value) if isinstance(value, list) else value


class _EraFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    eras: Annotated[tuple[Era, ...], BeforeValidator(_as_tuple), Field(min_length=1)]

    @model_validator(mode="after")
    def _in_order(self) -> Self:
        for index, (earlier, later) in enumerate(pairwise(self.eras), start=1):
            if later.start <= earlier.start:
                raise FieldProblem(("eras", index, "start"), "must be after the previous era's start")
        return self


def load_eras(path: Path = ERAS_FILE) -> tuple[Era, ...]:
    """The eras of the TOML file `path`, oldest first; a bad file is a `ConfigError` naming the key."""
    try:
        return _EraFile.model_validate(read_toml(path)).eras
    except ValidationError as error:
        raise config_error(str(path), error) from None


@functools.cache
def default_eras() -> tuple[Era, ...]:
    """`ERAS_FILE`, read once per process (it changes with a release, never while running)."""
    return load_eras()


def era_date(
    d: date, *, full_width: bool = False, pad: bool = False, eras: Sequence[Era] | None = None
) -> str:
    """`d` in its era: "令和元年5月1日". `full_width` digits, `pad` numbers to two places with a space
    (ideographic with full-width digits). ValueError for a date before the first era."""
    table = default_eras() if eras is None else eras
    era = next((era for era in reversed(table) if era.start <= d), None)
    if era is None:
        raise ValueError(f"date before the first era ({table[0].name}, from {table[0].start.isoformat()})")
    year = d.year - era.start.year + 1
    space = _IDEOGRAPHIC_SPACE if full_width else " "
    numbers = [str(number).rjust(2 if pad else 1, space) for number in (year, d.month, d.day)]
    text = f"{era.name}{_FIRST_YEAR if year == 1 else numbers[0]}年{numbers[1]}月{numbers[2]}日"
    return text.translate(_FULL_WIDTH_DIGITS) if full_width else text
