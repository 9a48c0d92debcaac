"""和暦 dates: every era boundary, 元年, the certificate forms, and a broken era file naming its key."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kiosk.errors import ConfigError
from printing.wareki import ERAS_FILE, Era, era_date, load_eras


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(1868, 10, 23), "明治元年10月23日"),
        (date(1873, 1, 1), "明治6年1月1日"),  # the first day of the Gregorian calendar in Japan
        (date(1912, 7, 29), "明治45年7月29日"),
        (date(1912, 7, 30), "大正元年7月30日"),  # the day of the 改元 belongs to the new era
        (date(1926, 12, 24), "大正15年12月24日"),
        (date(1926, 12, 25), "昭和元年12月25日"),
        (date(1989, 1, 7), "昭和64年1月7日"),
        (date(1989, 1, 8), "平成元年1月8日"),
        (date(2019, 4, 30), "平成31年4月30日"),
        (date(2019, 5, 1), "令和元年5月1日"),
        (date(2019, 12, 31), "令和元年12月31日"),
        (date(2020, 1, 1), "令和2年1月1日"),
        (date(2026, 11, 23), "令和8年11月23日"),
    ],
)
def test_era_boundaries(day: date, expected: str) -> None:
    assert era_date(day) == expected


@pytest.mark.parametrize(
    ("day", "full_width", "pad", "expected"),
    [
        (date(2019, 12, 4), True, True, "令和元年１２月　４日"),  # the certificate form (domain.md §4)
        (date(2019, 5, 1), True, True, "令和元年　５月　１日"),  # 元 is a word: never padded
        (date(1993, 5, 5), True, True, "平成　５年　５月　５日"),
        (date(1989, 1, 7), True, True, "昭和６４年　１月　７日"),
        (date(1993, 5, 5), True, False, "平成５年５月５日"),
        (date(1993, 5, 5), False, True, "平成 5年 5月 5日"),  # half-width digits pad with a half-width space
        (date(2020, 10, 12), True, True, "令和　２年１０月１２日"),
    ],
)
def test_certificate_forms(day: date, full_width: bool, pad: bool, expected: str) -> None:
    assert era_date(day, full_width=full_width, pad=pad) == expected


def test_before_meiji_is_refused_without_the_date() -> None:
    with pytest.raises(ValueError, match="明治") as caught:
        era_date(date(1868, 10, 22))
    assert "22" not in str(caught.value)  # a birth date is personal data
    with pytest.raises(ValueError):
        era_date(date(1, 1, 1))


def test_the_project_table() -> None:
    assert [(era.name, era.start) for era in load_eras(ERAS_FILE)] == [
        ("明治", date(1868, 10, 23)),
        ("大正", date(1912, 7, 30)),
        ("昭和", date(1926, 12, 25)),
        ("平成", date(1989, 1, 8)),
        ("令和", date(2019, 5, 1)),
    ]


def test_a_new_era_is_one_more_entry(tmp_path: Path) -> None:
    path = tmp_path / "eras.toml"
    path.write_text(
        ERAS_FILE.read_text(encoding="utf-8") + '\n[[eras]]\nname = "新元号"\nstart = 2100-01-01\n',
        encoding="utf-8",
    )
    eras = load_eras(path)
    assert era_date(date(2099, 12, 31), eras=eras) == "令和81年12月31日"
    assert era_date(date(2100, 1, 1), eras=eras) == "新元号元年1月1日"
    assert era_date(date(2101, 1, 1), eras=(Era(name="X", start=date(2100, 1, 1)),)) == "X2年1月1日"


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        ('[[eras]]\nname = "明治"\nstart = "1868-10-23"\n', "eras[0].start", "must be a date"),
        ('[[eras]]\nname = "明治"\nstart = 1868-10-23T00:00:00\n', "eras[0].start", "must be a date"),
        ("[[eras]]\nstart = 1868-10-23\n", "eras[0].name", "missing"),
        ('[[eras]]\nname = ""\nstart = 1868-10-23\n', "eras[0].name", "must have at least 1 character"),
        ('[[eras]]\nname = "明治"\nstart = 1868-10-23\nkana = "めいじ"\n', "eras[0].kana", "unknown key"),
        (
            '[[eras]]\nname = "大正"\nstart = 1912-07-30\n[[eras]]\nname = "明治"\nstart = 1868-10-23\n',
            "eras[1].start",
            "must be after the previous era's start",
        ),
        ("eras = []\n", "eras", "must have at least 1 entry"),
        ("", "eras", "missing"),
        ("[eras]\n", "eras", "must be an array"),
    ],
)
def test_a_broken_file_names_the_key(tmp_path: Path, text: str, key: str, problem: str) -> None:
    path = tmp_path / "eras.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_eras(path)
    assert (caught.value.path, caught.value.key) == (str(path), key)
    assert caught.value.problem.startswith(problem)


def test_a_missing_or_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_eras(tmp_path / "absent.toml")
    assert (caught.value.key, caught.value.problem) == (None, "missing")
    (tmp_path / "bad.toml").write_text("[[eras]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_eras(tmp_path / "bad.toml")
