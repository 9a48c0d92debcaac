"""`kiosk calendar check|holidays|show`, and `kiosk issue` refused by the calendar, run in this process.

No test reads /etc/kiosk/kiosk.toml or $KIOSK_CONFIG from the environment (the autouse fixture points both
elsewhere), and nothing is sent to a card or a backend.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.x509.oid import NameOID

from kiosk.card.virtual import InProcessConnection
from kiosk.errors import BackendUnavailableError
from tests.kiosk_main import run_kiosk

BEFORE_HOURS = {
    "open": False,
    "reason": "before-hours",
    "closes_at": None,
    "next_open": "2026-11-24T06:30:00+09:00",
}

CALENDAR_TOML = """\
[calendar]

[calendar.municipalities.999997]
closed = [2026-11-25]

[calendar.municipalities.999997.documents.koseki]
open = "09:00"
close = "17:00"
weekdays_only = true
"""


@pytest.fixture(autouse=True)
def no_ambient_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Neither $KIOSK_CONFIG nor /etc/kiosk/kiosk.toml: the default path is a file that does not exist."""
    default = tmp_path / "etc" / "kiosk" / "kiosk.toml"
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    monkeypatch.setattr("kiosk.settings.DEFAULT_CONFIG_PATH", default)
    return default


def run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *argv: str, stdin: str = ""
) -> tuple[int, str, str]:
    return run_kiosk(monkeypatch, capsys, *argv, stdin=stdin)


def ok_json(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    status, out, err = run(monkeypatch, capsys, *argv)
    assert (status, err) == (0, ""), err
    return json.loads(out)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def calendar_file(tmp_path: Path) -> Path:
    return write(tmp_path / "calendar.toml", CALENDAR_TOML)


# ------------------------------------------------------------------------------------------------ check


@pytest.mark.parametrize(
    "at",
    ["2026-11-24T06:29:59.999+09:00", "2026-11-23T21:29:59.999Z", "2026-11-23T16:29:59.999-05:00"],
    ids=["jst", "utc", "minus5"],
)
def test_check_before_hours_in_any_offset(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], at: str
) -> None:
    status, out, err = run(monkeypatch, capsys, "calendar", "check", "--at", at, "--json")
    assert (status, err) == (0, "")
    assert out.count("\n") == 1
    assert json.loads(out) == BEFORE_HOURS


@pytest.mark.parametrize(
    "at", ["2026-11-24T06:30:00+09:00", "2026-11-23T21:30:00Z", "2026-11-23T16:30:00-05:00"]
)
def test_check_open_at_opening_time(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], at: str
) -> None:
    assert ok_json(monkeypatch, capsys, "calendar", "check", "--at", at, "--json") == {
        "open": True,
        "reason": None,
        "closes_at": "2026-11-24T23:00:00+09:00",
        "next_open": None,
    }


@pytest.mark.parametrize(
    "at", ["2026-12-29T06:30:00+09:00", "2026-12-31T12:00:00+09:00", "2027-01-03T14:59:59Z"]
)
def test_check_year_end(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], at: str) -> None:
    assert ok_json(monkeypatch, capsys, "calendar", "check", "--at", at, "--json") == {
        "open": False,
        "reason": "year-end",
        "closes_at": None,
        "next_open": "2027-01-04T06:30:00+09:00",
    }


def test_check_text_output(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(monkeypatch, capsys, "calendar", "check", "--at", "2026-11-24T12:00+09:00")
    assert (status, out, err) == (0, "open; closes at 2026-11-24T23:00:00+09:00\n", "")
    status, out, err = run(monkeypatch, capsys, "calendar", "check", "--at", "2026-11-24T06:00+09:00")
    assert (status, out, err) == (0, "closed (before-hours); next open 2026-11-24T06:30:00+09:00\n", "")


@pytest.mark.parametrize(
    "at",
    [
        "2026-11-24T06:30:00",
        "2026-11-24",
        "garbage",
        "",
        "2026-11-24T25:00:00+09:00",
        "2026-11-24T06:30+24:00",
    ],
    ids=["no-offset", "date-only", "garbage", "empty", "hour-25", "offset-24h"],
)
def test_check_bad_instant_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], at: str
) -> None:
    status, out, err = run(monkeypatch, capsys, "calendar", "check", "--at", at, "--json")
    assert (status, out) == (2, "")
    error = json.loads(err)
    assert error["code"] == "usage"
    assert "--at" in error["message"]


def test_check_without_at_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(monkeypatch, capsys, "calendar", "check", "--json")
    assert (status, out) == (2, "")
    assert json.loads(err)["code"] == "usage"


def test_calendar_without_subcommand_prints_usage(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(monkeypatch, capsys, "calendar")
    assert (status, out) == (2, "")
    assert "usage: kiosk" in err


# ------------------------------------------------------------------------------- check with --config


def check_json(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], config: Path, at: str, *scope: str
) -> Any:
    argv = ["calendar", "check", "--at", at, "--config", str(config), *scope, "--json"]
    return ok_json(monkeypatch, capsys, *argv)


def test_check_applies_the_municipality(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], calendar_file: Path
) -> None:
    at = "2026-11-25T12:00:00+09:00"
    assert check_json(monkeypatch, capsys, calendar_file, at, "--municipality", "999997") == {
        "open": False,
        "reason": "closure",
        "closes_at": None,
        "next_open": "2026-11-26T06:30:00+09:00",
    }
    # The terminal as a whole is open that day.
    assert check_json(monkeypatch, capsys, calendar_file, at)["open"] is True


def test_check_applies_the_document(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], calendar_file: Path
) -> None:
    koseki = ("--municipality", "999997", "--document", "koseki")
    assert check_json(monkeypatch, capsys, calendar_file, "2026-11-24T08:00:00+09:00", *koseki) == {
        "open": False,
        "reason": "document-hours",
        "closes_at": None,
        "next_open": "2026-11-24T09:00:00+09:00",
    }
    assert check_json(monkeypatch, capsys, calendar_file, "2026-11-24T12:00:00+09:00", *koseki) == {
        "open": True,
        "reason": None,
        "closes_at": "2026-11-24T17:00:00+09:00",
        "next_open": None,
    }
    saturday = check_json(monkeypatch, capsys, calendar_file, "2026-11-28T12:00:00+09:00", *koseki)
    assert (saturday["reason"], saturday["next_open"]) == ("document-hours", "2026-11-30T09:00:00+09:00")
    # Another document in the same municipality, or the document without a municipality: no own hours.
    juminhyo = ("--municipality", "999997", "--document", "juminhyo")
    assert check_json(monkeypatch, capsys, calendar_file, "2026-11-28T12:00:00+09:00", *juminhyo)["open"]
    assert check_json(
        monkeypatch, capsys, calendar_file, "2026-11-28T12:00:00+09:00", "--document", "koseki"
    )["open"]


def test_check_unknown_municipality_is_a_config_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], calendar_file: Path
) -> None:
    argv = ["calendar", "check", "--at", "2026-11-24T12:00+09:00", "--config", str(calendar_file)]
    status, out, err = run(monkeypatch, capsys, *argv, "--municipality", "123456", "--json")
    assert (status, out) == (1, "")
    error = json.loads(err)
    assert (error["code"], error["path"], error["key"], error["problem"]) == (
        "bad-config",
        str(calendar_file),
        "calendar.municipalities.123456",
        "unknown municipality",
    )


@pytest.mark.parametrize("command", ["check", "show"])
def test_unknown_document_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], calendar_file: Path, command: str
) -> None:
    when = (
        ["--at", "2026-11-24T12:00+09:00"] if command == "check" else ["--from", "2026-11-24", "--days", "1"]
    )
    argv = ["calendar", command, *when, "--config", str(calendar_file), "--document", "passport", "--json"]
    status, out, err = run(monkeypatch, capsys, *argv)
    assert (status, out) == (2, "")
    error = json.loads(err)
    assert error["code"] == "usage"
    assert "--document" in error["message"]


# ------------------------------------------------------------------------- which config is read


def test_without_config_the_defaults_are_used(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], no_ambient_config: Path
) -> None:
    assert not no_ambient_config.exists()
    assert (
        ok_json(monkeypatch, capsys, "calendar", "check", "--at", "2026-11-24T06:29:59.999+09:00", "--json")
        == BEFORE_HOURS
    )
    # A municipality the defaults do not list is an error naming the defaults, not a file.
    argv = ["calendar", "check", "--at", "2026-11-24T12:00+09:00", "--municipality", "999997", "--json"]
    status, _, err = run(monkeypatch, capsys, *argv)
    assert status == 1
    error = json.loads(err)
    assert (error["code"], error["path"], error["key"]) == (
        "bad-config",
        "defaults",
        "calendar.municipalities.999997",
    )


def test_empty_kiosk_config_means_the_default_path(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KIOSK_CONFIG", "")
    assert (
        ok_json(monkeypatch, capsys, "calendar", "check", "--at", "2026-11-24T06:29:59.999+09:00", "--json")
        == BEFORE_HOURS
    )


def test_existing_default_path_is_read(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], no_ambient_config: Path
) -> None:
    write(no_ambient_config, '[calendar]\nopen = "08:00"\n')
    result = ok_json(monkeypatch, capsys, "calendar", "check", "--at", "2026-11-24T07:00+09:00", "--json")
    assert result["next_open"] == "2026-11-24T08:00:00+09:00"


def test_kiosk_config_environment_is_read(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("KIOSK_CONFIG", str(write(tmp_path / "env.toml", '[calendar]\nclose = "22:00"\n')))
    result = ok_json(monkeypatch, capsys, "calendar", "check", "--at", "2026-11-24T12:00+09:00", "--json")
    assert result["closes_at"] == "2026-11-24T22:00:00+09:00"
    # --config wins over the environment.
    named = write(tmp_path / "named.toml", '[calendar]\nclose = "21:00"\n')
    argv = ["calendar", "check", "--at", "2026-11-24T12:00+09:00", "--config", str(named), "--json"]
    assert ok_json(monkeypatch, capsys, *argv)["closes_at"] == "2026-11-24T21:00:00+09:00"


def test_missing_or_broken_config_is_bad_config(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "missing.toml"
    argv = ["calendar", "check", "--at", "2026-11-24T12:00+09:00", "--json"]
    status, _, err = run(monkeypatch, capsys, *argv, "--config", str(missing))
    assert status == 1
    assert json.loads(err) | {"message": ""} == {
        "code": "bad-config",
        "message": "",
        "path": str(missing),
        "key": None,
        "problem": "missing",
    }
    broken = write(tmp_path / "broken.toml", '[calendar]\nclose = "25:00"\n')
    status, _, err = run(monkeypatch, capsys, *argv, "--config", str(broken))
    assert status == 1
    assert (json.loads(err)["code"], json.loads(err)["key"]) == ("bad-config", "calendar.close")


# --------------------------------------------------------------------------------------------- holidays


def test_holidays_2026(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    listing = ok_json(monkeypatch, capsys, "calendar", "holidays", "--year", "2026", "--json")
    assert all(set(entry) == {"date", "name"} for entry in listing)
    assert {"date": "2026-01-01", "name": "元日"} in listing
    assert {"date": "2026-09-22", "name": "国民の休日"} in listing
    assert {"date": "2026-05-06", "name": "振替休日"} in listing
    dates = [entry["date"] for entry in listing]
    assert dates == sorted(dates)
    assert all(day.startswith("2026-") for day in dates)
    assert "2026-12-31" not in dates and "2026-01-02" not in dates  # bank holidays, not national ones


def test_holidays_text(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(monkeypatch, capsys, "calendar", "holidays", "--year", "2026")
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "2026-01-01 (木)  元日"
    assert "2026-09-22 (火)  国民の休日" in lines


def test_holidays_overrides_from_config(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = write(
        tmp_path / "kiosk.toml",
        """\
[calendar.holidays]
add = [{ date = 2026-12-28, name = "臨時の休日" }, { date = 2027-01-04, name = "翌年の休日" }]
remove = [2026-09-22]
""",
    )
    argv = ["calendar", "holidays", "--year", "2026", "--config", str(config), "--json"]
    listing = ok_json(monkeypatch, capsys, *argv)
    assert {"date": "2026-12-28", "name": "臨時の休日"} in listing
    assert listing[-1] == {"date": "2026-12-28", "name": "臨時の休日"}
    assert "2026-09-22" not in [entry["date"] for entry in listing]
    assert "2027-01-04" not in [entry["date"] for entry in listing]
    assert {"date": "2026-01-01", "name": "元日"} in listing


@pytest.mark.parametrize("year", ["1800", "1948", "2100"])
def test_holidays_out_of_range(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], year: str
) -> None:
    status, out, err = run(monkeypatch, capsys, "calendar", "holidays", "--year", year, "--json")
    assert (status, out) == (1, "")
    error = json.loads(err)
    assert (error["code"], error["year"]) == ("holiday-range", int(year))


def test_holidays_year_not_a_number(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(monkeypatch, capsys, "calendar", "holidays", "--year", "next", "--json")
    assert (status, out) == (2, "")
    assert json.loads(err)["code"] == "usage"


# ------------------------------------------------------------------------------------------------- show


def test_show_year_end_text(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(monkeypatch, capsys, "calendar", "show", "--from", "2026-12-27", "--days", "10")
    assert (status, err) == (0, "")
    header, *lines = out.splitlines()
    assert "Asia/Tokyo" in header
    assert "10 min" in header
    assert len(lines) == 10
    by_date = {line[:10]: line for line in lines}
    assert list(by_date) == [
        "2026-12-27",
        "2026-12-28",
        "2026-12-29",
        "2026-12-30",
        "2026-12-31",
        "2027-01-01",
        "2027-01-02",
        "2027-01-03",
        "2027-01-04",
        "2027-01-05",
    ]
    for day in ("2026-12-29", "2026-12-30", "2026-12-31", "2027-01-01", "2027-01-02", "2027-01-03"):
        assert "closed" in by_date[day], by_date[day]
        assert "06:30" not in by_date[day]
    assert by_date["2027-01-01"].endswith("closed  元日")
    for day in ("2026-12-27", "2026-12-28", "2027-01-04", "2027-01-05"):
        assert "06:30–23:00" in by_date[day], by_date[day]
        assert "closed" not in by_date[day]
    assert by_date["2026-12-27"] == "2026-12-27  日    06:30–23:00"


def test_show_json(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    table = ok_json(monkeypatch, capsys, "calendar", "show", "--from", "2026-12-31", "--days", "5", "--json")
    assert table == [
        {"date": "2026-12-31", "holiday": None, "open": []},
        {"date": "2027-01-01", "holiday": "元日", "open": []},
        {"date": "2027-01-02", "holiday": None, "open": []},
        {"date": "2027-01-03", "holiday": None, "open": []},
        {
            "date": "2027-01-04",
            "holiday": None,
            "open": [["2027-01-04T06:30:00+09:00", "2027-01-04T23:00:00+09:00"]],
        },
    ]


def test_show_applies_municipality_and_document(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], calendar_file: Path
) -> None:
    argv = ["calendar", "show", "--from", "2026-11-23", "--days", "7", "--config", str(calendar_file)]
    scope = ["--municipality", "999997", "--document", "koseki", "--json"]
    table = ok_json(monkeypatch, capsys, *argv, *scope)
    hours = {row["date"]: [[begin[11:16], end[11:16]] for begin, end in row["open"]] for row in table}
    assert hours == {
        "2026-11-23": [["09:00", "17:00"]],  # 勤労感謝の日: koseki is not closed on holidays here
        "2026-11-24": [["09:00", "17:00"]],
        "2026-11-25": [],  # the municipality's closure
        "2026-11-26": [["09:00", "17:00"]],
        "2026-11-27": [["09:00", "17:00"]],
        "2026-11-28": [],  # weekdays only
        "2026-11-29": [],
    }
    assert table[0]["holiday"] == "勤労感謝の日"
    plain = ok_json(monkeypatch, capsys, *argv, "--json")
    assert {row["date"]: len(row["open"]) for row in plain} == dict.fromkeys(hours, 1)


@pytest.mark.parametrize("days", ["0", "400", "367", "-1"])
def test_show_days_out_of_range(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], days: str
) -> None:
    status, out, err = run(
        monkeypatch, capsys, "calendar", "show", "--from", "2026-12-27", "--days", days, "--json"
    )
    assert (status, out) == (2, "")
    error = json.loads(err)
    assert error["code"] == "usage"
    assert "--days" in error["message"]


def test_show_days_limits_accepted(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        len(ok_json(monkeypatch, capsys, "calendar", "show", "--from", "2026-01-01", "--days", "1", "--json"))
        == 1
    )
    argv = ["calendar", "show", "--from", "2026-01-01", "--days", "366", "--json"]
    assert len(ok_json(monkeypatch, capsys, *argv)) == 366


@pytest.mark.parametrize("start", ["2026-13-01", "27/12/2026", "tomorrow"])
def test_show_bad_from(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], start: str
) -> None:
    status, out, err = run(monkeypatch, capsys, "calendar", "show", "--from", start, "--days", "3", "--json")
    assert (status, out) == (2, "")
    error = json.loads(err)
    assert error["code"] == "usage"
    assert "--from" in error["message"]


MAINTENANCE_TOML = """\
[calendar]
open = "00:00"
close = "24:00"
stops = [{ start = 2026-12-01T10:00:00+09:00, end = 2026-12-01T11:00:00+09:00 }]

[calendar.municipalities.999997]
maintenance = [
    { start = 2026-12-01T22:00:00+09:00, end = 2026-12-02T02:00:00+09:00 },
    { start = 2026-12-02T12:00:00+09:00, end = 2026-12-02T13:00:00+09:00 },
]
"""


def test_show_maintenance_across_midnight(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = write(tmp_path / "kiosk.toml", MAINTENANCE_TOML)
    argv = ["calendar", "show", "--from", "2026-11-30", "--days", "4", "--config", str(config)]
    status, out, err = run(monkeypatch, capsys, *argv, "--municipality", "999997")
    assert (status, err) == (0, "")
    assert out.splitlines()[1:] == [
        "2026-11-30  月    00:00–24:00",
        "2026-12-01  火    00:00–10:00, 11:00–22:00",
        "2026-12-02  水    02:00–12:00, 13:00–24:00",
        "2026-12-03  木    00:00–24:00",
    ]
    table = ok_json(monkeypatch, capsys, *argv, "--municipality", "999997", "--json")
    assert table[1]["open"] == [
        ["2026-12-01T00:00:00+09:00", "2026-12-01T10:00:00+09:00"],
        ["2026-12-01T11:00:00+09:00", "2026-12-01T22:00:00+09:00"],
    ]
    assert table[2]["open"] == [
        ["2026-12-02T02:00:00+09:00", "2026-12-02T12:00:00+09:00"],
        ["2026-12-02T13:00:00+09:00", "2026-12-03T00:00:00+09:00"],
    ]
    # Without the municipality only the operator's stop applies.
    status, out, _ = run(monkeypatch, capsys, *argv)
    assert status == 0
    assert out.splitlines()[2:4] == [
        "2026-12-01  火    00:00–10:00, 11:00–24:00",
        "2026-12-02  水    00:00–24:00",
    ]


# ------------------------------------------------------------------------ kiosk issue, refused by the gate


def _pem_files(folder: Path) -> None:
    """A self-signed P-256 certificate (CA file and client certificate), its key, a pinned Ed25519 key."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "T0001")])
    now = datetime(2026, 1, 1, tzinfo=UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    cert_pem = certificate.public_bytes(serialization.Encoding.PEM)
    (folder / "ca.pem").write_bytes(cert_pem)
    (folder / "client.pem").write_bytes(cert_pem)
    (folder / "client_key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    (folder / "document_key.pem").write_bytes(
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )


@pytest.fixture(scope="module")
def site_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    _pem_files(folder)
    return folder


def site_config(folder: Path, name: str, calendar: str) -> Path:
    # Port 9 on the loopback (discard; closed here): nothing may be sent there anyway.
    return write(
        folder / name,
        f"""\
[terminal]
id = "T0001"

[backend]
url = "https://127.0.0.1:9"
ca_file = "ca.pem"
client_cert = "client.pem"
client_key = "client_key.pem"
retries = 0

[municipalities.999997]
document_key = "document_key.pem"

[calendar]
{calendar}
""",
    )


OPEN_ALL_DAY = 'open = "00:00"\nclose = "24:00"\nlast_start_minutes = 0\nyear_end = { enabled = false }\n'


@dataclass
class Spies:
    """What `kiosk issue` asked of the clock, the backend client and the card."""

    synchronised: bool | None = False
    sync_asked: int = 0
    clients: int = 0
    backend_calls: list[str] = field(default_factory=list)
    apdus: int = 0


@pytest.fixture
def spies(monkeypatch: pytest.MonkeyPatch) -> Spies:
    spy = Spies()

    def synchronised(*_: object) -> bool | None:
        spy.sync_asked += 1
        return spy.synchronised

    class RecordingClient:
        """Stands in for BackendClient: every call is recorded and fails as an unreachable backend."""

        def __init__(self, settings: object, *, clock: object) -> None:
            spy.clients += 1

        def __enter__(self) -> RecordingClient:
            return self

        def __exit__(self, *exc: object) -> None:
            pass

        def __getattr__(self, operation: str) -> Callable[..., object]:
            def call(*_: object) -> object:
                spy.backend_calls.append(operation)
                raise BackendUnavailableError(operation, "connect")

            return call

    original_transmit = InProcessConnection.transmit

    def transmit(self: InProcessConnection, apdu: bytes | bytearray) -> tuple[bytes, int]:
        spy.apdus += 1
        return original_transmit(self, apdu)

    monkeypatch.setattr("kiosk.clock_trust.system_clock_synchronised", synchronised)
    monkeypatch.setattr("kiosk.backend.http.BackendClient", RecordingClient)
    monkeypatch.setattr(InProcessConnection, "transmit", transmit)
    return spy


def issue_argv(config: Path, card: Path, out: Path) -> list[str]:
    return [
        "issue",
        "--config",
        str(config),
        "--document",
        "juminhyo",
        "--virtual-card",
        str(card),
        "--out",
        str(out),
        "--json",
    ]


@pytest.mark.parametrize("answer", [False, None], ids=["not-synchronised", "unknown"])
def test_issue_refused_on_an_unsynchronised_clock(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    site_folder: Path,
    profile_factory: Callable[..., Path],
    spies: Spies,
    answer: bool | None,
) -> None:
    spies.synchronised = answer
    # Open around the clock, so that only the clock can be the reason, whenever this runs.
    config = site_config(site_folder, "untrusted.toml", "require_synchronised_clock = true\n" + OPEN_ALL_DAY)
    out = tmp_path / "issued"
    status, stdout, err = run(
        monkeypatch, capsys, *issue_argv(config, profile_factory(), out), stdin="1234\n"
    )
    assert (status, stdout) == (7, "")
    assert json.loads(err) == {
        "code": "service-closed",
        "message": "service closed: clock-untrusted",
        "reason": "clock-untrusted",
        "next_open": None,
    }
    assert spies.sync_asked == 1
    assert spies.backend_calls == []
    assert spies.apdus == 0
    assert not out.exists()
    assert "1234" not in err


def test_issue_refused_by_the_default_hours_and_the_clock(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    site_folder: Path,
    profile_factory: Callable[..., Path],
    spies: Spies,
) -> None:
    """Only `require_synchronised_clock = true` in [calendar]: the clock is checked before the hours."""
    config = site_config(site_folder, "required.toml", "require_synchronised_clock = true\n")
    status, _, err = run(
        monkeypatch, capsys, *issue_argv(config, profile_factory(), tmp_path / "issued"), stdin="1234\n"
    )
    assert status == 7
    assert (json.loads(err)["code"], json.loads(err)["reason"]) == ("service-closed", "clock-untrusted")
    assert (spies.backend_calls, spies.apdus) == ([], 0)


@pytest.mark.parametrize(
    ("calendar", "synchronised"),
    [
        ("require_synchronised_clock = true\n", True),
        ("require_synchronised_clock = false\n", False),
    ],
    ids=["synchronised", "not-required"],
)
def test_issue_passes_the_gate_when_the_clock_is_trusted_or_not_required(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    site_folder: Path,
    profile_factory: Callable[..., Path],
    spies: Spies,
    calendar: str,
    synchronised: bool,
) -> None:
    """The control: with the clock trusted (or not required), the gate lets it through to the backend."""
    spies.synchronised = synchronised
    config = site_config(site_folder, f"gate-{synchronised}.toml", calendar + OPEN_ALL_DAY)
    status, _, err = run(
        monkeypatch, capsys, *issue_argv(config, profile_factory(), tmp_path / "issued"), stdin="1234\n"
    )
    assert status == 8
    assert json.loads(err)["code"] == "backend-unavailable"
    assert spies.backend_calls == ["create_session"]
    assert spies.apdus == 0  # the session comes first: the card is not asked before the backend answers
