"""Reading a TOML config file and turning pydantic's complaints into `ConfigError(path, key, problem)`.

Shared by the site config (kiosk.settings), its `[calendar]` table (kiosk.calendar_config) and the reference
backend's settings, so that every config error reads the same: the file, the dotted key path
(`calendar.municipalities.999997.closed[1].to`) and a rule, never the value (a URL may hold a password, a
path may point at a key).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from kiosk.errors import ConfigError

__all__ = [
    "MAX_TOML_BYTES",
    "FieldProblem",
    "Layer",
    "MergedLayers",
    "config_error",
    "key_path",
    "merge_layers",
    "parse_toml",
    "read_toml",
    "read_toml_file",
]

#: A site file is a few kilobytes; the bound keeps a mistaken path (a log, an image) from being read whole.
MAX_TOML_BYTES: Final = 1024 * 1024


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
    return read_toml_file(path)[0]


def read_toml_file(path: Path) -> tuple[dict[str, object], bytes]:
    """The parsed file and its exact bytes (for a fingerprint); errors name the file, never its content."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_TOML_BYTES + 1)
    except FileNotFoundError:
        raise ConfigError(str(path), None, "missing") from None
    except IsADirectoryError:
        raise ConfigError(str(path), None, "is a directory, not a file") from None
    except OSError as error:
        raise ConfigError(str(path), None, f"cannot be read ({type(error).__name__})") from None
    if len(raw) > MAX_TOML_BYTES:
        raise ConfigError(str(path), None, f"larger than {MAX_TOML_BYTES} bytes")
    return parse_toml(raw, str(path)), raw


def parse_toml(raw: bytes, source: str) -> dict[str, object]:
    """TOML from bytes (a file, or the text inside a config bundle); errors name `source`."""
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(source, None, "not UTF-8") from None
    except tomllib.TOMLDecodeError as error:
        # tomllib's messages give a position ("at line 3, column 7"), never the offending text.
        raise ConfigError(source, None, f"not valid TOML ({error})") from None


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


# ---------------------------------------------------------------------------------------------------------
# Layers: default.toml, then the site file, then the operator's bundle. Tables merge key by key; any other
# value (a list too) replaces what the lower layer had.


@dataclass(frozen=True)
class Layer:
    """One config file's contents: `name` is the layer ("default", "site", "bundle"), `source` the file."""

    name: str
    source: str
    data: Mapping[str, object]


@dataclass(frozen=True)
class MergedLayers:
    """The merged tables, and for every key path which layer it came from.

    `values` holds the layer that set each value last (tables are not values). `tables` holds, for each
    table, the first layer other than the defaults that wrote it: a key missing from a table is that
    layer's fault (a `[municipalities."131016"]` a bundle added without its `document_key`), and a key
    missing from a table only the defaults have is the primary layer's (the site file's).
    """

    data: dict[str, object]
    primary: Layer
    values: dict[str, Layer] = field(default_factory=dict)
    tables: dict[str, Layer] = field(default_factory=dict)
    default_tables: set[str] = field(default_factory=set)

    def blame(self, key: str | None) -> Layer:
        """The layer at fault for a problem at `key` (a dotted key path as `key_path` writes it)."""
        for prefix in _prefixes(key):
            if prefix in self.values:
                return self.values[prefix]
            if prefix in self.tables:
                return self.tables[prefix]
        return self.primary

    def reattribute(self, error: ConfigError) -> ConfigError:
        """The same problem, naming the file of the layer that set the key.

        A key missing from a table that only the defaults wrote is reported as that table missing from the
        primary layer (`backend`, not `backend.url`): the site file is what lacks it.
        """
        key = error.key
        if error.problem == "missing" and key is not None:
            for prefix in reversed(list(_prefixes(key))):
                if prefix in self.default_tables and prefix not in self.tables:
                    return ConfigError(self.primary.source, prefix, error.problem)
        return ConfigError(self.blame(key).source, key, error.problem)

    def leaves(self) -> Iterator[tuple[str, object, Layer]]:
        """Every value (lists are values) with its dotted key path and its layer, in table order."""
        yield from self._leaves(self.data, ())

    def _leaves(
        self, table: Mapping[str, object], parts: tuple[str, ...]
    ) -> Iterator[tuple[str, object, Layer]]:
        for name, value in table.items():
            here = (*parts, name)
            if isinstance(value, Mapping):
                yield from self._leaves(value, here)
            else:
                path = key_path(here) or ""
                yield path, value, self.values.get(path, self.primary)


def merge_layers(layers: Sequence[Layer], *, primary: Layer) -> MergedLayers:
    """Deep-merge `layers`, lowest first; `primary` is blamed for keys missing at the root."""
    merged = MergedLayers(data={}, primary=primary)
    for layer in layers:
        _merge_into(merged, merged.data, layer.data, (), layer)
    return merged


def _merge_into(
    merged: MergedLayers,
    target: dict[str, object],
    upper: Mapping[str, object],
    parts: tuple[str, ...],
    layer: Layer,
) -> None:
    for name, value in upper.items():
        here = (*parts, name)
        path = key_path(here) or ""
        if isinstance(value, Mapping):
            lower = target.get(name)
            if not isinstance(lower, dict):
                lower = {}
                target[name] = lower
                merged.values.pop(path, None)
            if layer.name == "default":
                merged.default_tables.add(path)
            elif path not in merged.tables:
                merged.tables[path] = layer
            _merge_into(merged, lower, value, here, layer)
        else:
            target[name] = value
            merged.values[path] = layer


def _prefixes(key: str | None) -> Iterator[str]:
    """`a.b[1].c`, `a.b[1]`, `a.b`, `a`: the key and each table or list it sits in."""
    while key:
        yield key
        cut = max(key.rfind("."), key.rfind("["))
        key = key[:cut] if cut > 0 else ""
