"""The resident import format, its import into SQLite, the staff listing and the status setters."""

from __future__ import annotations

import base64
import copy
import io
import json
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from municipal import residents as residents_module
from municipal.db import Database, from_db_time
from municipal.residents import (
    ImportSummary,
    RecordNotFoundError,
    ResidentFile,
    ResidentFileError,
    ResidentListing,
    import_residents,
    list_residents,
    load_resident_file,
    parse_residents,
    set_resident_status,
    set_seal_status,
    set_support_measures,
)
from municipal.seal import seal_impression_png

JST = timezone(timedelta(hours=9))
NOW = datetime(2026, 4, 1, 9, 0, tzinfo=JST)
LATER = datetime(2026, 4, 2, 10, 30, tzinfo=JST)
SAMPLES = Path(__file__).resolve().parents[3] / "config" / "samples" / "residents.json"
YOSHI = "\U00020bb7"  # 𠮷, outside the BMP
TSUJI_IVS = "辻\U000e0102"  # 辻 + VARIATION SELECTOR-19: the MJ sequence IPAmj明朝 draws one-dot
SECRET = "秘密町九丁目9番9号"  # a value that must never appear in an error


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "backend.db")
    yield database
    database.close()


@pytest.fixture(scope="module")
def sample() -> ResidentFile:
    return load_resident_file(SAMPLES)


def member(ident: str, relationship: str, **fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": ident,
        "name": "試験 太郎",
        "name_kana": "シケン タロウ",
        "birth_date": "1980-01-02",
        "sex": "male",
        "relationship": relationship,
        "householder": relationship == "世帯主",
        "became_resident_on": "2001-06-15",
        "nationality": None,
        "status": "resident",
        "support_measures": False,
    }
    record.update(fields)
    return record


def document() -> dict[str, Any]:
    """Two small households: a Japanese couple and a foreign resident living alone."""
    return {
        "format": "konbini-residents/v1",
        "households": [
            {
                "id": "H0001",
                "address": "試験県試験市中央一丁目2番3号",
                "members": [
                    member(
                        "R0001",
                        "世帯主",
                        honseki="試験県試験市中央一丁目2番地",
                        hittosha="試験 太郎",
                        seal={"registration_number": "S-000001", "status": "registered"},
                    ),
                    member("R0002", "妻", name="試験 花子", sex="female", birth_date="1982-03-04"),
                ],
            },
            {
                "id": "H0002",
                "address": "試験県試験市本町一丁目1番1号",
                "members": [
                    member(
                        "R0003",
                        "世帯主",
                        name="EXAMPLE ANNA",
                        name_kana=None,
                        nationality="架空国",
                        seal={"registration_number": "S-000002", "status": "registered"},
                    )
                ],
            },
        ],
    }


def parse(data: dict[str, Any] | list[Any]) -> ResidentFile:
    return parse_residents(json.dumps(data, ensure_ascii=False).encode("utf-8"), source="test.json")


def refused(data: dict[str, Any] | list[Any] | bytes) -> ResidentFileError:
    raw = data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode("utf-8")
    with pytest.raises(ResidentFileError) as caught:
        parse_residents(raw, source="test.json")
    return caught.value


def assert_no_secret(error: ResidentFileError, *secrets: str) -> None:
    reported = json.dumps(error.to_dict(), ensure_ascii=False)
    for secret in secrets:
        assert secret not in str(error)
        assert secret not in reported


def png(width: int = 8, height: int = 8) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (width, height), (255, 0, 0, 255)).save(buffer, format="PNG")
    return buffer.getvalue()


# --- the samples ------------------------------------------------------------------------------------------


def test_samples_cover_the_household_sizes_and_special_cases(sample: ResidentFile) -> None:
    sizes = {len(household.members) for household in sample.households}
    assert {1, 2, 3, 4, 5, 6} <= sizes
    assert len(sample.households) >= 10
    people = {resident.id: resident for _, _, _, resident in sample.members()}
    assert people["R0025"].seal is not None and people["R0025"].seal.status == "cancelled"
    assert people["R0022"].support_measures
    assert people["R0018"].status == "moved-out"
    assert people["R0015"].status == "deceased"
    assert people["R0021"].seal is None
    assert len(people["R0023"].name) >= 60
    foreign = people["R0024"]
    assert foreign.nationality and foreign.honseki is None and foreign.name.isascii()
    assert people["R0006"].name.startswith(YOSHI)
    assert people["R0008"].name.startswith(TSUJI_IVS)
    assert "髙" in people["R0001"].name and "﨑" in people["R0005"].name


def test_every_other_adult_in_the_samples_has_a_registered_seal(sample: ResidentFile) -> None:
    special = {"R0021", "R0025"}  # no registration; cancelled
    for _, _, _, resident in sample.members():
        adult = resident.birth_date <= NOW.date().replace(year=NOW.year - 18)
        if adult and resident.id not in special:
            assert resident.seal is not None and resident.seal.status == "registered", resident.id
        if not adult:
            assert resident.seal is None, resident.id


def test_samples_import(db: Database, sample: ResidentFile) -> None:
    summary = import_residents(db, sample, now=NOW)
    assert summary == ImportSummary(households=12, residents=31, seals=22)
    listing = list_residents(db)
    assert [entry.id for entry in listing] == sorted(entry.id for entry in listing)
    by_id = {entry.id: entry for entry in listing}
    assert by_id["R0025"].seal == "cancelled"
    assert by_id["R0021"].seal == "none"
    assert by_id["R0022"].support_measures is True
    assert by_id["R0018"].status == "moved-out"
    assert by_id["R0015"].status == "deceased"
    assert by_id["R0001"].household == "H0001"


def test_names_outside_the_bmp_come_back_byte_identical(db: Database, sample: ResidentFile) -> None:
    import_residents(db, sample, now=NOW)
    connection = sqlite3.connect(db.path)
    try:
        rows = dict(
            connection.execute(
                "SELECT id, CAST(name AS BLOB) FROM residents WHERE id IN ('R0006', 'R0008')"
            ).fetchall()
        )
    finally:
        connection.close()
    assert rows["R0006"] == f"{YOSHI}田 茂".encode()
    assert rows["R0008"] == f"{TSUJI_IVS} 健太".encode()
    # Two code points, not a normalised single 辻.
    assert rows["R0008"].decode().startswith("辻\U000e0102 ")
    names = {entry.id: entry.name for entry in list_residents(db)}
    assert names["R0008"] == "辻\U000e0102 健太"


def test_the_ivs_escape_in_the_sample_file_is_kept(sample: ResidentFile) -> None:
    assert "\\udb40\\udd02" in SAMPLES.read_text(encoding="utf-8")
    householder = next(h for h in sample.households if h.id == "H0004").householder
    assert [hex(ord(c)) for c in householder.name[:2]] == ["0x8fbb", "0xe0102"]


def test_seal_images_are_generated_or_taken_as_given(db: Database) -> None:
    data = document()
    given = png()
    data["households"][1]["members"][0]["seal"]["image_png"] = base64.b64encode(given).decode()
    import_residents(db, parse(data), now=NOW)
    with db.read() as connection:
        images = dict(connection.execute("SELECT resident_id, image FROM seals").fetchall())
    assert images["R0001"] == seal_impression_png("S-000001")
    assert images["R0003"] == given


def test_dates_and_flags_are_stored_as_documented(db: Database) -> None:
    import_residents(db, parse(document()), now=NOW)
    with db.read() as connection:
        row = connection.execute("SELECT * FROM residents WHERE id = 'R0001'").fetchone()
    assert row["birth_date"] == "1980-01-02"
    assert row["is_householder"] == 1 and row["support_measures"] == 0
    assert row["nationality"] is None and row["honseki"] == "試験県試験市中央一丁目2番地"
    assert from_db_time(row["updated_at"]) == NOW


# --- validation rules: the record and field are named, the value never ------------------------------------

M0 = ("households", 0, "members", 0)
M1 = ("households", 0, "members", 1)
F0 = ("households", 1, "members", 0)


def edit(path: tuple[str | int, ...], key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def apply(data: dict[str, Any]) -> None:
        node: Any = data
        for step in path:
            node = node[step]
        node[key] = value

    return apply


def drop(path: tuple[str | int, ...], key: str) -> Callable[[dict[str, Any]], None]:
    def apply(data: dict[str, Any]) -> None:
        node: Any = data
        for step in path:
            node = node[step]
        del node[key]

    return apply


def many_members(count: int) -> Callable[[dict[str, Any]], None]:
    def apply(data: dict[str, Any]) -> None:
        head = data["households"][0]["members"][0]
        data["households"][0]["members"] = [head] + [member(f"X{n:04d}", "子") for n in range(count - 1)]

    return apply


def both(*edits: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def apply(data: dict[str, Any]) -> None:
        for one in edits:
            one(data)

    return apply


RULES = [
    # (edit, record, field, problem)
    pytest.param(
        edit(M1, "birth_date", "2009-09-09"),
        "households[0].members[1] (R0002)",
        "birth_date",
        "birth_after_became_resident",
        id="born-after-becoming-resident",
    ),
    pytest.param(
        edit(M0, "birth_date", "1872-12-31"),
        "households[0].members[0] (R0001)",
        "birth_date",
        "before_gregorian_calendar",
        id="before-1873",
    ),
    pytest.param(
        both(edit(M1, "householder", True), edit(M1, "relationship", "世帯主")),
        "households[0].members[1] (R0002)",
        "householder",
        "several_householders",
        id="two-householders",
    ),
    pytest.param(
        both(edit(F0, "householder", False), edit(F0, "relationship", "同居人")),
        "households[1] (H0002)",
        "members",
        "no_householder",
        id="no-householder",
    ),
    pytest.param(
        edit(M0, "relationship", "夫"),
        "households[0].members[0] (R0001)",
        "relationship",
        "householder_relationship",
        id="householder-not-世帯主",
    ),
    pytest.param(
        edit(M1, "relationship", "世帯主"),
        "households[0].members[1] (R0002)",
        "relationship",
        "householder_relationship",
        id="世帯主-not-householder",
    ),
    pytest.param(
        both(edit(F0, "honseki", SECRET), edit(F0, "hittosha", "EXAMPLE ANNA")),
        "households[1].members[0] (R0003)",
        "honseki",
        "honseki_for_foreign_resident",
        id="honseki-for-foreign-resident",
    ),
    pytest.param(
        edit(F0, "hittosha", SECRET),
        "households[1].members[0] (R0003)",
        "hittosha",
        "honseki_for_foreign_resident",
        id="hittosha-for-foreign-resident",
    ),
    pytest.param(
        edit(M1, "hittosha", SECRET),
        "households[0].members[1] (R0002)",
        "hittosha",
        "hittosha_without_honseki",
        id="hittosha-without-honseki",
    ),
    pytest.param(
        edit(M1, "honseki", SECRET),
        "households[0].members[1] (R0002)",
        "hittosha",
        "honseki_without_hittosha",
        id="honseki-without-hittosha",
    ),
    pytest.param(
        edit(F0, "id", "R0001"),
        "households[1].members[0] (R0001)",
        "id",
        "duplicate_id",
        id="duplicate-resident-id",
    ),
    pytest.param(
        edit(("households", 1), "id", "R0002"),
        "households[1] (R0002)",
        "id",
        "duplicate_id",
        id="household-id-equal-to-a-resident-id",
    ),
    pytest.param(
        edit(("households", 1), "id", "H0001"),
        "households[1] (H0001)",
        "id",
        "duplicate_id",
        id="duplicate-household-id",
    ),
    pytest.param(
        edit((*F0, "seal"), "registration_number", "S-000001"),
        "households[1].members[0] (R0003)",
        "seal.registration_number",
        "duplicate_registration_number",
        id="duplicate-registration-number",
    ),
    pytest.param(many_members(31), "households[0] (H0001)", "members", "too_long", id="31-members"),
    pytest.param(
        edit(("households", 0), "members", []),
        "households[0] (H0001)",
        "members",
        "too_short",
        id="no-members",
    ),
    pytest.param(
        edit(M0, "name", SECRET * 40),
        "households[0].members[0] (R0001)",
        "name",
        "string_too_long",
        id="name-too-long",
    ),
    pytest.param(
        edit(M0, "name", f"試験\n{SECRET}"),
        "households[0].members[0] (R0001)",
        "name",
        "string_pattern_mismatch",
        id="control-character",
    ),
    pytest.param(
        edit(M0, "name", ""), "households[0].members[0] (R0001)", "name", "string_too_short", id="empty-name"
    ),
    pytest.param(
        edit(("households", 0), "address", SECRET * 60),
        "households[0] (H0001)",
        "address",
        "string_too_long",
        id="address-too-long",
    ),
    pytest.param(edit(M0, "sex", "x"), "households[0].members[0] (R0001)", "sex", "enum", id="sex"),
    pytest.param(
        edit(M0, "birth_date", "1975-02-30"),
        "households[0].members[0] (R0001)",
        "birth_date",
        "date_parsing",
        id="impossible-date",
    ),
    pytest.param(
        edit(M0, "birth_date", "1975-02-01T00:00:00"),
        "households[0].members[0] (R0001)",
        "birth_date",
        "date_parsing",
        id="datetime-for-date",
    ),
    pytest.param(
        edit(M0, "my_number", "123456789018"),
        "households[0].members[0] (R0001)",
        "my_number",
        "extra_forbidden",
        id="unknown-field",
    ),
    pytest.param(
        drop(M0, "nationality"), "households[0].members[0] (R0001)", "nationality", "missing", id="missing"
    ),
    pytest.param(
        edit(M0, "householder", "true"),
        "households[0].members[0] (R0001)",
        "householder",
        "bool_type",
        id="bool-as-text",
    ),
    pytest.param(
        edit(M1, "support_measures", 0),
        "households[0].members[1] (R0002)",
        "support_measures",
        "bool_type",
        id="bool-as-int",
    ),
    pytest.param(
        edit(M0, "status", "dead"), "households[0].members[0] (R0001)", "status", "literal_error", id="status"
    ),
    pytest.param(
        edit((*M0, "seal"), "status", "lost"),
        "households[0].members[0] (R0001)",
        "seal.status",
        "literal_error",
        id="seal-status",
    ),
    pytest.param(
        edit(M0, "id", f"{SECRET}"),
        "households[0].members[0]",
        "id",
        "string_pattern_mismatch",
        id="bad-id-not-quoted",
    ),
    pytest.param(
        edit((*M0, "seal"), "image_png", base64.b64encode(b"\x89PNG\r\n\x1a\n" + SECRET.encode()).decode()),
        "households[0].members[0] (R0001)",
        "seal.image_png",
        "png_invalid",
        id="png-that-does-not-decode",
    ),
    pytest.param(
        edit((*M0, "seal"), "image_png", base64.b64encode(SECRET.encode() * 3).decode()),
        "households[0].members[0] (R0001)",
        "seal.image_png",
        "value_error",
        id="not-a-png",
    ),
    pytest.param(
        edit((*M0, "seal"), "image_png", "not base64!"),
        "households[0].members[0] (R0001)",
        "seal.image_png",
        "value_error",
        id="not-base64",
    ),
    pytest.param(
        edit((*M0, "seal"), "image_png", base64.b64encode(png(2049, 1)).decode()),
        "households[0].members[0] (R0001)",
        "seal.image_png",
        "png_size",
        id="png-too-wide",
    ),
    pytest.param(edit((), "format", "konbini-residents/v2"), None, "format", "literal_error", id="format"),
    pytest.param(edit((), "households", []), None, "households", "too_short", id="no-households"),
]


@pytest.mark.parametrize(("change", "record", "field", "problem"), RULES)
def test_rule_is_refused_naming_record_and_field(
    change: Callable[[dict[str, Any]], None], record: str | None, field: str, problem: str
) -> None:
    data = document()
    change(data)
    error = refused(data)
    assert (error.record, error.field, error.problem) == (record, field, problem)
    assert error.path == "test.json"
    assert error.to_dict() == {
        "code": "bad-residents",
        "message": str(error),
        "path": "test.json",
        "record": record,
        "field": field,
        "problem": problem,
    }
    assert_no_secret(error, SECRET, "2009-09-09", "1975-02-30", "123456789018")


def test_the_unchanged_document_is_valid() -> None:
    parsed = parse(document())
    assert [household.householder.id for household in parsed.households] == ["R0001", "R0003"]


def test_thirty_members_are_accepted() -> None:
    data = document()
    many_members(30)(data)
    assert len(parse(data).households[0].members) == 30


def test_text_is_not_normalised() -> None:
    data = document()
    # NFC would not touch these, NFKC would fold 﨑 and strip nothing; the point is that nothing is applied.
    names = ["辻\U000e0100 太郎", "\U00020bb7田 花子", "山﨑 ｶﾀｶﾅ", "Ａ\u3000Ｂ"]
    data["households"][0]["members"][1]["name"] = names[0]
    data["households"][0]["members"][0]["name"] = names[1]
    data["households"][1]["members"][0]["name"] = names[2]
    data["households"][0]["address"] = names[3]
    parsed = parse(data)
    assert parsed.households[0].members[1].name == names[0]
    assert parsed.households[0].members[0].name == names[1]
    assert parsed.households[1].members[0].name == names[2]
    assert parsed.households[0].address == names[3]


def test_malformed_json_names_a_position_only() -> None:
    error = refused(b'{"format": "konbini-residents/v1", "households": [' + SECRET.encode())
    assert (error.record, error.field, error.problem) == (None, None, "json_invalid")
    assert "line 1 column" in str(error)
    assert_no_secret(error, SECRET)


def test_lone_surrogate_is_refused() -> None:
    text = json.dumps(document()).replace("\\u8a66\\u9a13 \\u592a\\u90ce", "\\ud800", 1)
    assert "\\ud800" in text
    assert refused(text.encode()).problem == "json_invalid"


def test_duplicate_keys_are_refused_with_their_record() -> None:
    text = json.dumps(document(), ensure_ascii=False)
    text = text.replace('"name": "試験 花子"', f'"name": "試験 花子", "name": "{SECRET}"', 1)
    error = refused(text.encode())
    assert (error.record, error.field, error.problem) == (
        "households[0].members[1] (R0002)",
        "name",
        "duplicate_key",
    )
    assert_no_secret(error, SECRET, "試験 花子")


def test_not_utf8_is_refused() -> None:
    text = json.dumps(document(), ensure_ascii=False)
    assert refused(text.encode("shift_jis")).problem == "not_utf8"


def test_a_list_instead_of_an_object_is_refused() -> None:
    error = refused([document()])
    assert (error.record, error.field, error.problem) == (None, None, "model_type")


def test_a_file_over_the_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "residents.json"
    path.write_text(json.dumps(document()), encoding="utf-8")
    monkeypatch.setattr(residents_module, "MAX_FILE_BYTES", 100)
    with pytest.raises(ResidentFileError) as caught:
        load_resident_file(path)
    assert caught.value.problem == "file_too_large"
    assert caught.value.path == str(path)


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ResidentFileError) as caught:
        load_resident_file(tmp_path / "absent.json")
    assert caught.value.problem == "unreadable"
    assert caught.value.to_dict()["path"] == str(tmp_path / "absent.json")


def test_load_names_the_file_in_errors(tmp_path: Path) -> None:
    data = document()
    data["households"][0]["members"][1]["birth_date"] = "2009-09-09"
    path = tmp_path / "residents.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ResidentFileError) as caught:
        load_resident_file(path)
    assert str(caught.value) == (
        f"{path}: households[0].members[1] (R0002): birth_date: birth_after_became_resident"
    )


def test_error_is_a_kiosk_error_with_the_documented_code() -> None:
    error = refused(b"[")
    assert error.code == "bad-residents"
    assert ResidentFileError.reported == ("path", "record", "field", "problem")


# --- importing --------------------------------------------------------------------------------------------


def count_rows(db: Database) -> tuple[int, int, int]:
    with db.read() as connection:
        return (
            connection.execute("SELECT COUNT(*) FROM households").fetchone()[0],
            connection.execute("SELECT COUNT(*) FROM residents").fetchone()[0],
            connection.execute("SELECT COUNT(*) FROM seals").fetchone()[0],
        )


def new_household(ident: str, resident: str, registration: str | None = None) -> dict[str, Any]:
    seal = {"registration_number": registration, "status": "registered"} if registration else None
    head = member(resident, "世帯主", seal=seal) if seal else member(resident, "世帯主")
    return {"id": ident, "address": "試験県試験市東町一丁目1番1号", "members": [head]}


def test_an_id_already_in_the_database_refuses_the_whole_file(db: Database, sample: ResidentFile) -> None:
    import_residents(db, sample, now=NOW)
    before = (count_rows(db), list_residents(db))
    data = {
        "format": "konbini-residents/v1",
        "households": [new_household("H0100", "R0100", "S-000100"), new_household("H0101", "R0005")],
    }
    with pytest.raises(ResidentFileError) as caught:
        import_residents(db, parse(data), now=LATER)
    error = caught.value
    assert (error.record, error.field, error.problem) == (
        "households[1].members[0] (R0005)",
        "id",
        "already_in_database",
    )
    assert error.path is None
    assert (count_rows(db), list_residents(db)) == before


def test_importing_the_same_file_twice_is_refused(db: Database, sample: ResidentFile) -> None:
    import_residents(db, sample, now=NOW)
    with pytest.raises(ResidentFileError) as caught:
        import_residents(db, sample, now=LATER)
    assert (caught.value.record, caught.value.problem) == ("households[0] (H0001)", "already_in_database")
    assert count_rows(db) == (12, 31, 22)


def test_a_household_id_taken_by_a_resident_is_refused(db: Database) -> None:
    import_residents(db, parse(document()), now=NOW)
    data = {"format": "konbini-residents/v1", "households": [new_household("R0002", "R0100")]}
    with pytest.raises(ResidentFileError) as caught:
        import_residents(db, parse(data), now=LATER)
    assert (caught.value.record, caught.value.field) == ("households[0] (R0002)", "id")


def test_a_registration_number_already_in_the_database_is_refused(db: Database) -> None:
    import_residents(db, parse(document()), now=NOW)
    data = {"format": "konbini-residents/v1", "households": [new_household("H0100", "R0100", "S-000002")]}
    with pytest.raises(ResidentFileError) as caught:
        import_residents(db, parse(data), now=LATER)
    error = caught.value
    assert (error.record, error.field, error.problem) == (
        "households[0].members[0] (R0100)",
        "seal.registration_number",
        "already_in_database",
    )
    assert count_rows(db) == (2, 3, 2)


def test_dates_after_today_in_japan_are_refused(db: Database) -> None:
    data = document()
    data["households"][0]["members"][1]["became_resident_on"] = "2026-04-02"
    parsed = parse(data)
    # 2026-04-01T15:00Z is already 2026-04-02 in Japan.
    import_residents(db, parsed, now=datetime(2026, 4, 1, 15, 0, tzinfo=UTC))
    other = Database(db.path.with_name("other.db"))
    try:
        with pytest.raises(ResidentFileError) as caught:
            import_residents(other, parsed, now=datetime(2026, 4, 1, 14, 59, tzinfo=UTC))
        assert count_rows(other) == (0, 0, 0)
    finally:
        other.close()
    error = caught.value
    assert (error.record, error.field, error.problem) == (
        "households[0].members[1] (R0002)",
        "became_resident_on",
        "in_the_future",
    )
    assert_no_secret(error, "2026-04-02")


def test_a_seal_for_a_resident_under_15_is_refused(db: Database) -> None:
    data = document()
    child = member(
        "R0009",
        "子",
        birth_date="2011-04-02",
        became_resident_on="2011-04-02",
        seal={"registration_number": "S-000009", "status": "registered"},
    )
    data["households"][0]["members"].append(child)
    with pytest.raises(ResidentFileError) as caught:
        import_residents(db, parse(data), now=NOW)  # 14 until 2026-04-02
    assert (caught.value.field, caught.value.problem) == ("seal", "seal_registrant_under_15")
    assert count_rows(db) == (0, 0, 0)
    summary = import_residents(db, parse(data), now=datetime(2026, 4, 2, 0, 0, tzinfo=JST))
    assert summary == ImportSummary(households=2, residents=4, seals=3)


def test_a_naive_now_is_refused(db: Database) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        import_residents(db, parse(document()), now=datetime(2026, 4, 1, 9, 0))
    assert count_rows(db) == (0, 0, 0)


# --- listing and setters ----------------------------------------------------------------------------------


def test_list_residents(db: Database) -> None:
    assert list_residents(db) == []
    import_residents(db, parse(document()), now=NOW)
    listing = list_residents(db)
    assert listing == [
        ResidentListing("R0001", "試験 太郎", "H0001", "resident", False, "registered"),
        ResidentListing("R0002", "試験 花子", "H0001", "resident", False, "none"),
        ResidentListing("R0003", "EXAMPLE ANNA", "H0002", "resident", False, "registered"),
    ]
    assert listing[1].to_dict() == {
        "id": "R0002",
        "name": "試験 花子",
        "household": "H0001",
        "status": "resident",
        "support_measures": False,
        "seal": "none",
    }


UPDATED_AT = {
    "residents": "SELECT updated_at FROM residents WHERE id = ?",
    "seals": "SELECT updated_at FROM seals WHERE resident_id = ?",
}


def updated_at(db: Database, table: str, resident_id: str) -> datetime:
    with db.read() as connection:
        row = connection.execute(UPDATED_AT[table], (resident_id,)).fetchone()
    return from_db_time(row[0])


def test_set_resident_status(db: Database) -> None:
    import_residents(db, parse(document()), now=NOW)
    set_resident_status(db, "R0002", "moved-out", now=LATER)
    set_resident_status(db, "R0003", "deceased", now=LATER)
    statuses = {entry.id: entry.status for entry in list_residents(db)}
    assert statuses == {"R0001": "resident", "R0002": "moved-out", "R0003": "deceased"}
    assert updated_at(db, "residents", "R0002") == LATER
    assert updated_at(db, "residents", "R0001") == NOW
    set_resident_status(db, "R0002", "resident", now=LATER)
    assert list_residents(db)[1].status == "resident"


def test_set_support_measures(db: Database) -> None:
    import_residents(db, parse(document()), now=NOW)
    set_support_measures(db, "R0001", True, now=LATER)
    assert list_residents(db)[0].support_measures is True
    assert updated_at(db, "residents", "R0001") == LATER
    set_support_measures(db, "R0001", False, now=LATER)
    assert list_residents(db)[0].support_measures is False


def test_set_seal_status(db: Database) -> None:
    import_residents(db, parse(document()), now=NOW)
    set_seal_status(db, "R0001", "cancelled", now=LATER)
    assert list_residents(db)[0].seal == "cancelled"
    assert updated_at(db, "seals", "R0001") == LATER
    set_seal_status(db, "R0001", "registered", now=LATER)
    assert list_residents(db)[0].seal == "registered"


def test_unknown_ids_raise_a_lookup_error_without_personal_data(db: Database) -> None:
    import_residents(db, parse(document()), now=NOW)
    setters: list[Callable[[], None]] = [
        lambda: set_resident_status(db, "R9999", "deceased", now=LATER),
        lambda: set_support_measures(db, "R9999", True, now=LATER),
        lambda: set_seal_status(db, "R9999", "cancelled", now=LATER),
    ]
    for call in setters:
        with pytest.raises(KeyError) as caught:
            call()
        assert isinstance(caught.value, RecordNotFoundError)
        assert caught.value.to_dict() == {
            "code": "not-found",
            "message": "no resident record for resident R9999",
            "kind": "resident",
            "resident_id": "R9999",
        }
    with pytest.raises(RecordNotFoundError) as no_seal:
        set_seal_status(db, "R0002", "cancelled", now=LATER)
    assert no_seal.value.kind == "seal"
    assert "試験" not in str(no_seal.value)


def test_setters_refuse_values_outside_the_schema(db: Database) -> None:
    import_residents(db, parse(document()), now=NOW)
    before = list_residents(db)
    with pytest.raises(ValueError, match="resident status"):
        set_resident_status(db, "R0001", "gone", now=LATER)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="seal status"):
        set_seal_status(db, "R0001", "lost", now=LATER)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        set_support_measures(db, "R0001", 1, now=LATER)  # type: ignore[arg-type]
    assert list_residents(db) == before


def test_listing_is_a_frozen_value() -> None:
    entry = ResidentListing("R0001", "試験 太郎", "H0001", "resident", False, "none")
    with pytest.raises(AttributeError):
        entry.name = "x"  # type: ignore[misc]
    assert copy.copy(entry) == entry
