"""Reading a TOML config file and turning pydantic's complaints into `ConfigError(path, key, problem)`.

Shared by the site config (kiosk.settings), its `[calendar]` table (kiosk.calendar_config) and the reference
backend's settings, so that every config error reads the same: the file, the dotted key path
(`calendar.municipalities.999997.closed[1].to`) and a rule, never the value (a URL may hold a password, a
path may point at a key).
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from kiosk.errors import ConfigError

__all__ = ["FieldProblem", "config_error", "key_path", "read_toml"]


class FieldProblem(ValueError):
    """A check made on a whole table that blames one entry of it: `field` joins the error's key path.

    Pydantic locates a model validator's error at the model, not at the field it is about; the instance
    travels in the error's context, which is how the blamed field (`end`, `closed[1]`) gets back into the key.
    """

    def __init__(self, field: str | tuple[str | int, ...], problem: str) -> None:
        super().__init__(problem)
        self.field: tuple[str | int, ...] = (field,) if isinstance(field, str) else field
        self.problem = problem


def read_toml(path: Path) -> dict[str, object]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(str(path), None, "missing") from None
    except IsADirectoryError:
        raise ConfigError(str(path), None, "is a directory, not a file") from None
    except OSError as error:
        raise ConfigError(str(path), None, f"cannot be read ({type(error).__name__})") from None
    except UnicodeDecodeError:
        raise ConfigError(str(path), None, "not UTF-8") from None
    except tomllib.TOMLDecodeError as error:
        # tomllib's messages give a position ("at line 3, column 7"), never the offending text.
        raise ConfigError(str(path), None, f"not valid TOML ({error})") from None


# Pydantic's wording for the common cases, said the way an operator reads a TOML file.
_PHRASES: Final = {
    "missing": "missing",
    "extra_forbidden": "unknown key",
    "model_type": "must be a table",
    "model_attributes_type": "must be a table",
    "dict_type": "must be a table",
    "tuple_type": "must be an array",
    "date_type": "must be a date (YYYY-MM-DD, no time)",
    "datetime_type": "must be a date-time with a UTC offset",
    "timezone_aware": "must have a UTC offset",
    "string_type": "must be a string",
    "int_type": "must be an integer",
    "bool_type": "must be true or false",
}


def config_error(source: str, error: ValidationError, *, root: Sequence[str] = ()) -> ConfigError:
    """The first problem only: fixing one line at a time is how files get edited, and the order is the file's.

    `root` prefixes the key path when the model was a table of the file (`("calendar",)`).
    """
    item = error.errors(include_url=False, include_input=False)[0]
    # "[key]" marks a bad table name: the key path then ends at that name.
    parts: list[str | int] = [*root, *(part for part in item["loc"] if part != "[key]")]
    cause = item.get("ctx", {}).get("error")
    if isinstance(cause, FieldProblem):
        parts.extend(cause.field)
        problem = cause.problem
    else:
        problem = _problem(item)
    return ConfigError(source, key_path(parts), problem)


def key_path(parts: Sequence[str | int]) -> str | None:
    """`calendar.municipalities.999997.closed[1].to`: names joined by dots, list indexes in brackets."""
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or None


def _problem(item: ErrorDetails) -> str:
    if item["type"] in _PHRASES:
        return _PHRASES[item["type"]]
    if item["type"] == "too_short":  # pydantic says "Dictionary should have ... after validation, not 0"
        return f"must have at least {item.get('ctx', {}).get('min_length', 1)} entry"
    # Pydantic's messages state the rule ("Input should be less than or equal to 120"), never the input.
    message = item["msg"].removeprefix("Value error, ")
    for prefix in ("Input should", "String should", "Tuple should"):
        if message.startswith(prefix):
            return "must" + message[len(prefix) :]
    return message
