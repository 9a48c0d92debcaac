"""Resident data of the reference backend: the JSON import format, the import, a listing and status changes.

The format is documented for integrators in docs/residents-format.md. Every text field reuses the bounded
types of the kiosk's wire models (kiosk.backend.fields), so whatever can be imported can also travel in a
signed document. Text is never normalised: 𠮷 and 辻 followed by U+E0102 are stored as they arrive.

Errors name the record (`households[2].members[0] (R0007)`) and the field, never the bad value: resident
files hold names, addresses and birth dates, and error messages end up in terminals and logs.
"""

from __future__ import annotations

import io
import json
import re
import sqlite3
import warnings
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Annotated, Any, Final, Literal, get_args

from PIL import Image
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from kiosk.backend.document import MAX_MEMBERS, Sex
from kiosk.backend.fields import Identifier, LongText, Name, PngImage, ShortText
from kiosk.errors import KioskError
from municipal.db import Database, to_db_time
from municipal.seal import seal_impression_png

__all__ = [
    "FORMAT",
    "HOUSEHOLDER_RELATIONSHIP",
    "MAX_FILE_BYTES",
    "MAX_HOUSEHOLDS",
    "Household",
    "ImportSummary",
    "RecordNotFoundError",
    "ResidentFile",
    "ResidentFileError",
    "ResidentListing",
    "ResidentRecord",
    "ResidentStatus",
    "SealListing",
    "SealRecord",
    "SealStatus",
    "import_residents",
    "list_residents",
    "load_resident_file",
    "parse_residents",
    "set_resident_status",
    "set_seal_status",
    "set_support_measures",
]

FORMAT: Final = "konbini-residents/v1"
#: The 続柄 of the 世帯主 themself, and of nobody else in the household.
HOUSEHOLDER_RELATIONSHIP: Final = "世帯主"
#: A whole city's register with a generated seal for everyone fits easily; a bound keeps a bad file harmless.
MAX_FILE_BYTES: Final = 64 * 1024 * 1024
MAX_HOUSEHOLDS: Final = 200_000
#: Certificates print dates in 和暦; Japan counts in the Gregorian calendar from 明治6年 (1873-01-01) on.
EARLIEST_DATE: Final = date(1873, 1, 1)
#: 印鑑登録 is open to residents aged 15 and over (every municipality's 印鑑条例).
MIN_SEAL_AGE: Final = 15
_MAX_PNG_SIDE: Final = 2048
_JST: Final = timezone(timedelta(hours=9), "JST")
_IDENTIFIER: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")

ResidentStatus = Literal["resident", "moved-out", "deceased"]
SealStatus = Literal["registered", "cancelled"]
SealListing = Literal["registered", "cancelled", "none"]
_RESIDENT_STATUSES: Final[tuple[str, ...]] = get_args(ResidentStatus)
_SEAL_STATUSES: Final[tuple[str, ...]] = get_args(SealStatus)


class ResidentFileError(KioskError):
    """A resident file, or its import, was refused.

    `record` is like `households[2].members[0] (R0007)` (None for the file as a whole), `field` a dotted
    field name such as `birth_date` or `seal.registration_number`, `problem` a short code (pydantic's error
    type or one of this module's). The bad value itself is never carried: it may be personal data.
    """

    code = "bad-residents"
    reported = ("path", "record", "field", "problem")

    def __init__(
        self,
        problem: str,
        *,
        path: str | None = None,
        record: str | None = None,
        field: str | None = None,
        detail: str | None = None,
    ) -> None:
        self.path = path
        self.record = record
        self.field = field
        self.problem = problem
        parts = [part for part in (path, record, field, problem) if part]
        super().__init__(": ".join(parts) + (f" ({detail})" if detail else ""))


class RecordNotFoundError(KioskError, KeyError):
    """No resident (kind "resident"), or no seal registration (kind "seal"), with this id.

    A KeyError so that callers may treat it as a failed lookup; it carries only the id, never a name.
    """

    code = "not-found"
    reported = ("kind", "resident_id")

    def __init__(self, kind: Literal["resident", "seal"], resident_id: str) -> None:
        self.kind = kind
        self.resident_id = resident_id
        self.message = f"no {kind} record for resident {resident_id}"
        super().__init__(self.message)

    def __str__(self) -> str:
        # KeyError's own __str__ would print the repr of the message.
        return self.message


# --- the import format ------------------------------------------------------------------------------------


def _on_or_after_1873(value: date) -> date:
    if value < EARLIEST_DATE:
        raise PydanticCustomError("before_gregorian_calendar", "date before 1873-01-01")
    return value


def _decodable_png(value: bytes) -> bytes:
    """Beyond the PNG signature the wire type checks: the image must decode and be of a sensible size."""
    try:
        with warnings.catch_warnings():
            # Pillow only warns about decompression bombs below twice its limit; make every warning fatal.
            warnings.simplefilter("error")
            with Image.open(io.BytesIO(value), formats=["PNG"]) as image:
                width, height = image.size
                image.verify()
    except Exception:  # Pillow signals a broken image with many exception types; all mean the same here
        raise PydanticCustomError("png_invalid", "not a decodable PNG image") from None
    if not (0 < width <= _MAX_PNG_SIDE and 0 < height <= _MAX_PNG_SIDE):
        raise PydanticCustomError("png_size", "seal image larger than 2048 x 2048 pixels")
    return value


_Date = Annotated[date, AfterValidator(_on_or_after_1873)]
_SealPng = Annotated[PngImage, AfterValidator(_decodable_png)]


def _refuse(problem: str, *path: str | int) -> PydanticCustomError:
    """A rule violation; `path` points below the model that found it, so the error names the right field."""
    return PydanticCustomError(problem, "resident file rule violated", {"below": path})


class _Model(BaseModel):
    # strict: JSON true is a bool and "2001-06-15" a date, but 1 is no bool and nothing is coerced.
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class SealRecord(_Model):
    """A 印鑑登録: `image_png` is generated from the registration number when absent."""

    registration_number: Identifier
    status: SealStatus
    image_png: _SealPng | None = None


class ResidentRecord(_Model):
    id: Identifier
    name: Name
    name_kana: Name | None = None
    birth_date: _Date
    sex: Sex
    relationship: ShortText  # 続柄
    householder: bool
    became_resident_on: _Date  # 住民となった年月日
    previous_address: LongText | None = None  # 前住所
    honseki: LongText | None = None  # 本籍
    hittosha: Name | None = None  # 筆頭者
    nationality: ShortText | None  # 外国人住民の国籍・地域; null for Japanese nationals, and required
    status: ResidentStatus
    support_measures: bool  # DV等支援措置
    seal: SealRecord | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ResidentRecord:
        if self.birth_date > self.became_resident_on:
            raise _refuse("birth_after_became_resident", "birth_date")
        if (self.relationship == HOUSEHOLDER_RELATIONSHIP) != self.householder:
            raise _refuse("householder_relationship", "relationship")
        # 本籍 and 筆頭者 exist for Japanese nationals only, and always as a pair (the 戸籍 and its head).
        if self.nationality is not None and self.honseki is not None:
            raise _refuse("honseki_for_foreign_resident", "honseki")
        if self.nationality is not None and self.hittosha is not None:
            raise _refuse("honseki_for_foreign_resident", "hittosha")
        if self.hittosha is not None and self.honseki is None:
            raise _refuse("hittosha_without_honseki", "hittosha")
        if self.honseki is not None and self.hittosha is None:
            raise _refuse("honseki_without_hittosha", "hittosha")
        return self


class Household(_Model):
    id: Identifier
    address: LongText
    members: Annotated[tuple[ResidentRecord, ...], Field(min_length=1, max_length=MAX_MEMBERS)]

    @model_validator(mode="after")
    def _one_householder(self) -> Household:
        heads = [index for index, member in enumerate(self.members) if member.householder]
        if not heads:
            raise _refuse("no_householder", "members")
        if len(heads) > 1:
            raise _refuse("several_householders", "members", heads[1], "householder")
        return self

    @property
    def householder(self) -> ResidentRecord:
        return next(member for member in self.members if member.householder)


class ResidentFile(_Model):
    format: Literal["konbini-residents/v1"]
    households: Annotated[tuple[Household, ...], Field(min_length=1, max_length=MAX_HOUSEHOLDS)]

    @model_validator(mode="after")
    def _unique(self) -> ResidentFile:
        # One namespace for household and resident ids, so that an id alone says which record it is.
        ids: set[str] = set()
        numbers: set[str] = set()
        for h_index, household in enumerate(self.households):
            if household.id in ids:
                raise _refuse("duplicate_id", "households", h_index, "id")
            ids.add(household.id)
            for m_index, member in enumerate(household.members):
                at = ("households", h_index, "members", m_index)
                if member.id in ids:
                    raise _refuse("duplicate_id", *at, "id")
                ids.add(member.id)
                if member.seal is None:
                    continue
                if member.seal.registration_number in numbers:
                    raise _refuse("duplicate_registration_number", *at, "seal", "registration_number")
                numbers.add(member.seal.registration_number)
        return self

    def members(self) -> Iterator[tuple[int, int, Household, ResidentRecord]]:
        """Every resident with its household and both positions in the file."""
        for h_index, household in enumerate(self.households):
            for m_index, member in enumerate(household.members):
                yield h_index, m_index, household, member


# --- reading a file ---------------------------------------------------------------------------------------


def load_resident_file(path: Path) -> ResidentFile:
    """Read and validate a resident file; any problem is a ResidentFileError naming the record and field."""
    source = str(path)
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ResidentFileError("unreadable", path=source, detail=error.strerror) from None
    return parse_residents(data, source=source)


def parse_residents(data: bytes | str, *, source: str | None = None) -> ResidentFile:
    """Validate a resident document given as UTF-8 bytes or text; `source` names it in errors."""
    # Text is counted in code points: looser than counting UTF-8 bytes, but still a bound.
    if len(data) > MAX_FILE_BYTES:
        raise ResidentFileError("file_too_large", path=source, detail=f"limit {MAX_FILE_BYTES} bytes")
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise ResidentFileError("not_utf8", path=source) from None
    else:
        text = data
    tree = _json_tree(text, source)
    try:
        return ResidentFile.model_validate_json(text)
    except ValidationError as error:
        raise _file_error(error, tree, source) from None


class _JsonObject(dict[str, Any]):
    """A parsed JSON object that remembers keys given twice (json.loads would keep the last silently)."""

    duplicates: tuple[str, ...] = ()


def _object_with_duplicates(pairs: list[tuple[str, Any]]) -> _JsonObject:
    result = _JsonObject(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        repeated: list[str] = []
        for key, _ in pairs:
            if key in seen:
                repeated.append(key)
            seen.add(key)
        result.duplicates = tuple(repeated)
    return result


def _json_tree(text: str, source: str | None) -> Any:
    """Parse once with the standard library: for duplicate keys and to find record ids for error messages."""
    try:
        tree = json.loads(text, object_pairs_hook=_object_with_duplicates)
    except json.JSONDecodeError as error:
        # Line and column are positions, never content.
        where = f"line {error.lineno} column {error.colno}"
        raise ResidentFileError("json_invalid", path=source, detail=where) from None
    except RecursionError:
        raise ResidentFileError("json_invalid", path=source, detail="nested too deeply") from None
    duplicate = _first_duplicate(tree, ())
    if duplicate is not None:
        record, field = _locate(duplicate, tree)
        raise ResidentFileError("duplicate_key", path=source, record=record, field=field)
    return tree


def _first_duplicate(node: Any, loc: tuple[str | int, ...]) -> tuple[str | int, ...] | None:
    if isinstance(node, _JsonObject):
        if node.duplicates:
            return (*loc, node.duplicates[0])
        children: list[tuple[str | int, Any]] = list(node.items())
    elif isinstance(node, list):
        children = list(enumerate(node))
    else:
        return None
    for key, child in children:
        found = _first_duplicate(child, (*loc, key))
        if found is not None:
            return found
    return None


def _file_error(error: ValidationError, tree: Any, source: str | None) -> ResidentFileError:
    # Only loc, type and our own ctx "below" are used: pydantic's msg and input may quote the bad value.
    first = error.errors(include_url=False, include_context=True, include_input=False)[0]
    loc = tuple(first["loc"])
    context = first.get("ctx") or {}
    below = context.get("below")
    if isinstance(below, tuple):
        loc = (*loc, *below)
    record, field = _locate(loc, tree)
    return ResidentFileError(first["type"], path=source, record=record, field=field)


def _locate(loc: tuple[str | int, ...], tree: Any) -> tuple[str | None, str | None]:
    """(record, field) for an error location: ('households', 2, 'members', 0, 'seal', 'status') gives
    ('households[2].members[0] (R0007)', 'seal.status')."""
    if len(loc) < 2 or loc[0] != "households" or not isinstance(loc[1], int):
        return None, _dotted(loc)
    household = _child(_child(tree, "households"), loc[1])
    if len(loc) >= 4 and loc[2] == "members" and isinstance(loc[3], int):
        member = _child(_child(household, "members"), loc[3])
        return _record_name(loc[1], loc[3], _valid_id(member)), _dotted(loc[4:])
    return _record_name(loc[1], None, _valid_id(household)), _dotted(loc[2:])


def _child(node: Any, key: str | int) -> Any:
    if isinstance(key, str) and isinstance(node, dict):
        return node.get(key)
    if isinstance(key, int) and isinstance(node, list) and 0 <= key < len(node):
        return node[key]
    return None


def _valid_id(node: Any) -> str | None:
    # Only an id that is itself valid is quoted: an invalid one is the bad value, and could be anything.
    ident = node.get("id") if isinstance(node, dict) else None
    return ident if isinstance(ident, str) and _IDENTIFIER.fullmatch(ident) else None


def _record_name(household: int, member: int | None, ident: str | None) -> str:
    name = f"households[{household}]"
    if member is not None:
        name += f".members[{member}]"
    return f"{name} ({ident})" if ident else name


def _dotted(parts: tuple[str | int, ...]) -> str | None:
    return ".".join(str(part) for part in parts) or None


# --- importing into the database --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportSummary:
    households: int
    residents: int
    seals: int


def import_residents(db: Database, residents: ResidentFile, *, now: datetime) -> ImportSummary:
    """Add every household, resident and seal in one write transaction: all of them, or nothing.

    Ids (households and residents share one namespace) and registration numbers already in the database are
    refused, as are dates after `now`'s day in Japan and seals of residents under 15.
    """
    stamp = to_db_time(now)
    _check_dates(residents, now.astimezone(_JST).date())
    # Drawing seals takes a few milliseconds each: do it before taking the database's write lock.
    images = _seal_images(residents)
    with db.write() as connection:
        _refuse_existing(connection, residents)
        for household in residents.households:
            connection.execute(
                "INSERT INTO households (id, address) VALUES (?, ?)", (household.id, household.address)
            )
        for _, _, household, member in residents.members():
            _insert_resident(connection, household.id, member, stamp)
            if member.seal is not None:
                _insert_seal(connection, member.id, member.seal, images[member.id], stamp)
    return ImportSummary(
        households=len(residents.households),
        residents=sum(len(household.members) for household in residents.households),
        seals=len(images),
    )


def _check_dates(residents: ResidentFile, today: date) -> None:
    for h_index, m_index, _, member in residents.members():
        record = _record_name(h_index, m_index, member.id)
        if member.birth_date > today:
            raise ResidentFileError("in_the_future", record=record, field="birth_date")
        if member.became_resident_on > today:
            raise ResidentFileError("in_the_future", record=record, field="became_resident_on")
        if member.seal is not None and _age(member.birth_date, today) < MIN_SEAL_AGE:
            raise ResidentFileError("seal_registrant_under_15", record=record, field="seal")


def _age(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _seal_images(residents: ResidentFile) -> dict[str, bytes]:
    images: dict[str, bytes] = {}
    for _, _, _, member in residents.members():
        if member.seal is not None:
            seal = member.seal
            images[member.id] = seal.image_png or seal_impression_png(seal.registration_number)
    return images


def _refuse_existing(connection: sqlite3.Connection, residents: ResidentFile) -> None:
    """Refuse the whole file if any id or registration number is taken; runs inside the write lock."""
    for h_index, household in enumerate(residents.households):
        if _id_taken(connection, household.id):
            raise ResidentFileError(
                "already_in_database", record=_record_name(h_index, None, household.id), field="id"
            )
    for h_index, m_index, _, member in residents.members():
        record = _record_name(h_index, m_index, member.id)
        if _id_taken(connection, member.id):
            raise ResidentFileError("already_in_database", record=record, field="id")
        if member.seal is not None and _registration_taken(connection, member.seal.registration_number):
            raise ResidentFileError("already_in_database", record=record, field="seal.registration_number")


def _id_taken(connection: sqlite3.Connection, ident: str) -> bool:
    row = connection.execute(
        "SELECT 1 FROM households WHERE id = ? UNION ALL SELECT 1 FROM residents WHERE id = ?", (ident, ident)
    ).fetchone()
    return row is not None


def _registration_taken(connection: sqlite3.Connection, number: str) -> bool:
    row = connection.execute("SELECT 1 FROM seals WHERE registration_number = ?", (number,)).fetchone()
    return row is not None


def _insert_resident(
    connection: sqlite3.Connection, household_id: str, member: ResidentRecord, stamp: str
) -> None:
    connection.execute(
        """
        INSERT INTO residents (
            id, household_id, is_householder, name, name_kana, birth_date, sex, relationship,
            became_resident_on, previous_address, honseki, hittosha, nationality, status, support_measures,
            updated_at
        ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        (
            member.id,
            household_id,
            int(member.householder),
            member.name,
            member.name_kana,
            member.birth_date.isoformat(),
            member.sex.value,
            member.relationship,
            member.became_resident_on.isoformat(),
            member.previous_address,
            member.honseki,
            member.hittosha,
            member.nationality,
            member.status,
            int(member.support_measures),
            stamp,
        ),
    )


def _insert_seal(
    connection: sqlite3.Connection, resident_id: str, seal: SealRecord, image: bytes, stamp: str
) -> None:
    connection.execute(
        "INSERT INTO seals (resident_id, registration_number, image, status, updated_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (resident_id, seal.registration_number, image, seal.status, stamp),
    )


# --- listing and changing records -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ResidentListing:
    """One line of the staff listing. It holds the name: show it to staff only, never log it."""

    id: str
    name: str
    household: str
    status: ResidentStatus
    support_measures: bool
    seal: SealListing

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def list_residents(db: Database) -> list[ResidentListing]:
    """Every resident ordered by id, with the seal registration's status ("none" when there is none)."""
    with db.read() as connection:
        rows = connection.execute(
            """
            SELECT r.id, r.name, r.household_id, r.status, r.support_measures, s.status AS seal_status
            FROM residents AS r LEFT JOIN seals AS s ON s.resident_id = r.id
            ORDER BY r.id
            """
        ).fetchall()
    return [
        ResidentListing(
            id=row["id"],
            name=row["name"],
            household=row["household_id"],
            status=row["status"],
            support_measures=bool(row["support_measures"]),
            seal=row["seal_status"] or "none",
        )
        for row in rows
    ]


def set_resident_status(db: Database, resident_id: str, status: ResidentStatus, *, now: datetime) -> None:
    """Mark a resident as resident, moved out or deceased. The seal registration is left as it is."""
    if status not in _RESIDENT_STATUSES:
        raise ValueError(f"resident status must be one of {', '.join(_RESIDENT_STATUSES)}")
    sql = "UPDATE residents SET status = ?, updated_at = ? WHERE id = ?"
    _update_resident(db, sql, status, resident_id, now)


def set_support_measures(db: Database, resident_id: str, flag: bool, *, now: datetime) -> None:
    """Put a resident under DV等支援措置 (flag True) or lift it."""
    if not isinstance(flag, bool):
        raise TypeError("support_measures must be a bool")
    sql = "UPDATE residents SET support_measures = ?, updated_at = ? WHERE id = ?"
    _update_resident(db, sql, int(flag), resident_id, now)


def set_seal_status(db: Database, resident_id: str, status: SealStatus, *, now: datetime) -> None:
    """Register again or cancel (廃止) a resident's existing seal registration."""
    if status not in _SEAL_STATUSES:
        raise ValueError(f"seal status must be one of {', '.join(_SEAL_STATUSES)}")
    stamp = to_db_time(now)
    with db.write() as connection:
        cursor = connection.execute(
            "UPDATE seals SET status = ?, updated_at = ? WHERE resident_id = ?", (status, stamp, resident_id)
        )
        if cursor.rowcount == 0:
            exists = connection.execute("SELECT 1 FROM residents WHERE id = ?", (resident_id,)).fetchone()
            raise RecordNotFoundError("seal" if exists else "resident", resident_id)


def _update_resident(db: Database, sql: str, value: str | int, resident_id: str, now: datetime) -> None:
    stamp = to_db_time(now)
    with db.write() as connection:
        if connection.execute(sql, (value, stamp, resident_id)).rowcount == 0:
            raise RecordNotFoundError("resident", resident_id)
