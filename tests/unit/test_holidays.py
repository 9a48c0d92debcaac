"""National holidays: the library's answer checked against the law itself, and the provider's own rules.

The oracle below is written from 国民の祝日に関する法律 (docs: domain.md §6), not from the library: art. 2's
list with the years each rule changed, the 2019 enthronement law's two days, the 2020/2021 Olympic moves,
NAOJ's equinox dates, then art. 3(2) (振替休日) and art. 3(3) (国民の休日) applied on top. Any date where the
library and the oracle differ is a finding about one of them, never something to adjust a test for.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import date, datetime, timedelta

import holidays as holidays_library
import pytest

from kiosk.holidays import HolidayProvider, HolidayRangeError, LibraryHolidays, OverriddenHolidays

ORACLE_YEARS = range(2016, 2031)

# 春分日 and 秋分日 as (month, day). Through 2027 these are the official dates of NAOJ's 暦要項, published in
# the 官報 each February for the next year; 2028–2030 (and 2032, 2037) are NAOJ's computed dates, which become
# official only when announced. 2032 and 2037 are here because they are the next years after 2026 in which
# 敬老の日 and 秋分の日 enclose a weekday (art. 3(3)).
EQUINOXES: dict[int, tuple[tuple[int, int], tuple[int, int]]] = {
    2016: ((3, 20), (9, 22)),
    2017: ((3, 20), (9, 23)),
    2018: ((3, 21), (9, 23)),
    2019: ((3, 21), (9, 23)),
    2020: ((3, 20), (9, 22)),
    2021: ((3, 20), (9, 23)),
    2022: ((3, 21), (9, 23)),
    2023: ((3, 21), (9, 23)),
    2024: ((3, 20), (9, 22)),
    2025: ((3, 20), (9, 23)),
    2026: ((3, 20), (9, 23)),
    2027: ((3, 21), (9, 23)),
    2028: ((3, 20), (9, 22)),
    2029: ((3, 20), (9, 23)),
    2030: ((3, 20), (9, 23)),
    2032: ((3, 20), (9, 22)),
    2037: ((3, 20), (9, 23)),
}

# The Olympic special measures law moved three holidays in 2020, and again (the Games postponed) in 2021.
OLYMPIC_MOVES: dict[int, dict[str, tuple[int, int]]] = {
    2020: {"海の日": (7, 23), "スポーツの日": (7, 24), "山の日": (8, 10)},
    2021: {"海の日": (7, 22), "スポーツの日": (7, 23), "山の日": (8, 8)},
}

# The 2019 enthronement law: two one-off days, treated as 国民の祝日 for art. 3 (hence 4/30 and 5/2 off).
ENTHRONEMENT_DAYS = {date(2019, 5, 1): "天皇の即位の日", date(2019, 10, 22): "即位礼正殿の儀"}

SUBSTITUTE = "振替休日"
CITIZENS = "国民の休日"
MONDAY = 0
SUNDAY = 6


def _nth_monday(year: int, month: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(MONDAY - first.weekday()) % 7 + 7 * (n - 1))


def _moved(year: int, name: str, usual: date) -> date:
    month_day = OLYMPIC_MOVES.get(year, {}).get(name)
    return date(year, *month_day) if month_day else usual


def national_holidays(year: int) -> dict[date, str]:
    """Art. 2's 国民の祝日 of `year` (plus the one-offs that count as such), before art. 3's days off."""
    vernal, autumnal = EQUINOXES[year]
    sports = "体育の日" if year <= 2019 else "スポーツの日"
    days = {
        date(year, 1, 1): "元日",
        _nth_monday(year, 1, 2): "成人の日",
        date(year, 2, 11): "建国記念の日",
        date(year, *vernal): "春分の日",
        date(year, 4, 29): "昭和の日",
        date(year, 5, 3): "憲法記念日",
        date(year, 5, 4): "みどりの日",
        date(year, 5, 5): "こどもの日",
        _moved(year, "海の日", _nth_monday(year, 7, 3)): "海の日",
        _moved(year, "山の日", date(year, 8, 11)): "山の日",
        _nth_monday(year, 9, 3): "敬老の日",
        date(year, *autumnal): "秋分の日",
        _moved(year, sports, _nth_monday(year, 10, 2)): sports,
        date(year, 11, 3): "文化の日",
        date(year, 11, 23): "勤労感謝の日",
    }
    # 天皇誕生日 followed the reigning emperor: 12/23 (Heisei), none in 2019, 2/23 (Reiwa) from 2020.
    if year <= 2018:
        days[date(year, 12, 23)] = "天皇誕生日"
    elif year >= 2020:
        days[date(year, 2, 23)] = "天皇誕生日"
    days.update({day: name for day, name in ENTHRONEMENT_DAYS.items() if day.year == year})
    return days


def days_off(year: int) -> dict[date, str]:
    """Every day off the law gives in `year`: art. 2, then 3(2) substitutes, then 3(3) enclosed days."""
    national = national_holidays(year)
    result = dict(national)
    for day in sorted(national):
        if day.weekday() == SUNDAY:
            # 3(2): the nearest following day that is not a 国民の祝日.
            substitute = day + timedelta(days=1)
            while substitute in national:
                substitute += timedelta(days=1)
            result[substitute] = SUBSTITUTE
    day = date(year, 1, 2)
    while day.year == year:
        # 3(3): a day that is not a 国民の祝日 with one on each side (not a substitute already given).
        enclosed = day - timedelta(days=1) in national and day + timedelta(days=1) in national
        if enclosed and day not in result:
            result[day] = CITIZENS
        day += timedelta(days=1)
    return dict(sorted(result.items()))


@pytest.fixture(scope="module")
def library() -> LibraryHolidays:
    return LibraryHolidays()


# ---------------------------------------------------------------- the oracle sanity-checks itself


def test_the_oracle_knows_the_well_known_days_off() -> None:
    # Dates printed on every Japanese calendar, as a check that the oracle's rules are coded right.
    assert days_off(2026)[date(2026, 9, 22)] == CITIZENS
    assert days_off(2026)[date(2026, 5, 6)] == SUBSTITUTE  # 憲法記念日 on Sunday; 5/4 and 5/5 are holidays
    assert days_off(2019)[date(2019, 4, 30)] == CITIZENS
    assert days_off(2019)[date(2019, 5, 2)] == CITIZENS
    assert days_off(2019)[date(2019, 5, 6)] == SUBSTITUTE
    assert days_off(2021)[date(2021, 8, 9)] == SUBSTITUTE
    assert days_off(2032)[date(2032, 9, 21)] == CITIZENS
    assert days_off(2037)[date(2037, 9, 22)] == CITIZENS
    assert date(2019, 12, 23) not in days_off(2019)
    assert date(2019, 2, 23) not in days_off(2019)
    assert len(days_off(2026)) == 18


# ---------------------------------------------------------------- the library against the law


@pytest.mark.parametrize("year", [*ORACLE_YEARS, 2032, 2037])
def test_library_gives_exactly_the_days_off_of_the_law(library: LibraryHolidays, year: int) -> None:
    assert set(library.year(year)) == set(days_off(year))


@pytest.mark.parametrize("year", ORACLE_YEARS)
def test_library_names_are_the_laws_names_in_japanese(library: LibraryHolidays, year: int) -> None:
    given = library.year(year)
    for day, expected in days_off(year).items():
        if day == date(2019, 10, 22):
            # The library says 即位礼正殿の儀が行われる日, the enthronement law's own wording.
            assert "即位礼正殿の儀" in given[day]
        elif expected in (SUBSTITUTE, CITIZENS):
            assert expected in given[day], day
        else:
            assert given[day] == expected, day


@pytest.mark.parametrize("year", ORACLE_YEARS)
def test_library_equinoxes_are_the_naoj_dates(library: LibraryHolidays, year: int) -> None:
    vernal, autumnal = EQUINOXES[year]
    assert library.name(date(year, *vernal)) == "春分の日"
    assert library.name(date(year, *autumnal)) == "秋分の日"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 1), "元日"),
        (date(2026, 2, 23), "天皇誕生日"),
        (date(2019, 5, 1), "天皇の即位の日"),
        (date(2021, 7, 23), "スポーツの日"),
        (date(2019, 10, 14), "体育の日"),
    ],
)
def test_name_of_a_holiday(library: LibraryHolidays, day: date, expected: str) -> None:
    assert library.name(day) == expected


@pytest.mark.parametrize(
    ("day", "kind"),
    [
        (date(2026, 5, 6), SUBSTITUTE),
        (date(2021, 8, 9), SUBSTITUTE),
        (date(2024, 9, 23), SUBSTITUTE),
        (date(2026, 9, 22), CITIZENS),
        (date(2019, 4, 30), CITIZENS),
        (date(2019, 5, 2), CITIZENS),
    ],
)
def test_names_of_days_off_added_by_article_3(library: LibraryHolidays, day: date, kind: str) -> None:
    name = library.name(day)
    assert name is not None
    assert kind in name


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 1, 2),  # 年末年始 closes the service but is no national holiday
        date(2026, 12, 31),
        date(2019, 12, 23),  # no 天皇誕生日 in 2019
        date(2020, 7, 20),  # 海の日 moved to 7/23 that year
        date(2021, 8, 11),  # 山の日 moved to 8/8
        date(2026, 9, 20),  # a plain Sunday
    ],
)
def test_ordinary_days_have_no_name(library: LibraryHolidays, day: date) -> None:
    assert library.name(day) is None


def test_year_is_sorted_and_read_only(library: LibraryHolidays) -> None:
    table = library.year(2026)
    assert list(table) == sorted(table)
    with pytest.raises(TypeError):
        table[date(2026, 1, 2)] = "x"  # type: ignore[index]


def test_a_datetime_is_refused_not_silently_missed(library: LibraryHolidays) -> None:
    with pytest.raises(TypeError):
        library.name(datetime(2026, 1, 1, 9, 0))


# ---------------------------------------------------------------- locale independence


@pytest.mark.parametrize(
    "environment",
    [
        {"LANG": "C", "LC_ALL": "C"},
        {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "LC_MESSAGES": "C.UTF-8"},
        {"LANGUAGE": "en_US", "LC_ALL": "C", "LANG": "C"},
    ],
)
def test_names_stay_japanese_whatever_the_locale(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str]
) -> None:
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    fresh = LibraryHolidays()
    assert fresh.name(date(2026, 1, 1)) == "元日"
    assert fresh.name(date(2026, 5, 6)) == SUBSTITUTE
    assert fresh.name(date(2026, 9, 22)) == CITIZENS


def test_without_a_language_the_library_would_follow_the_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    # The control for the test above: this environment really does change what the bare library says.
    monkeypatch.setenv("LANGUAGE", "en_US")
    bare = holidays_library.country_holidays("JP", years=2026)
    assert bare[date(2026, 1, 1)] != "元日"


# ---------------------------------------------------------------- range and concurrency


@pytest.mark.parametrize("year", [1948, 2100, 9999])
def test_years_outside_the_library_are_an_error_not_an_empty(library: LibraryHolidays, year: int) -> None:
    with pytest.raises(HolidayRangeError) as caught:
        library.year(year)
    assert caught.value.to_dict() == {"code": "holiday-range", "message": str(caught.value), "year": year}
    with pytest.raises(HolidayRangeError):
        library.name(date(year, 1, 1))


@pytest.mark.parametrize("year", [1949, 2099])
def test_the_edges_of_the_range_are_covered(library: LibraryHolidays, year: int) -> None:
    assert library.name(date(year, 1, 1)) == "元日"


def test_concurrent_first_use_builds_each_year_once() -> None:
    provider = LibraryHolidays()
    start = threading.Barrier(8)
    seen: list[Mapping[date, str]] = []

    def ask(year: int) -> None:
        start.wait(timeout=10)
        seen.append(provider.year(year))

    threads = [threading.Thread(target=ask, args=(2026 + index % 2,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert len(seen) == 8
    assert len({id(table) for table in seen}) == 2
    assert {len(table) for table in seen} == {len(days_off(2026)), len(days_off(2027))}


# ---------------------------------------------------------------- configured overrides


class FixedHolidays:
    """A provider with a fixed table, to test the overrides apart from the library."""

    def __init__(self, table: Mapping[date, str]) -> None:
        self._table = dict(table)

    def name(self, day: date) -> str | None:
        return self._table.get(day)

    def year(self, year: int) -> Mapping[date, str]:
        return {day: name for day, name in sorted(self._table.items()) if day.year == year}


BASE: HolidayProvider = FixedHolidays(
    {date(2031, 1, 1): "元日", date(2031, 2, 11): "建国記念の日", date(2032, 1, 1): "元日"}
)


def test_an_added_day_is_a_holiday_with_the_configured_name() -> None:
    provider = OverriddenHolidays(BASE, add={date(2031, 1, 20): "臨時の休日"}, remove=())
    assert provider.name(date(2031, 1, 20)) == "臨時の休日"
    assert provider.name(date(2031, 1, 1)) == "元日"
    assert provider.name(date(2031, 1, 21)) is None
    assert list(provider.year(2031).items()) == [
        (date(2031, 1, 1), "元日"),
        (date(2031, 1, 20), "臨時の休日"),
        (date(2031, 2, 11), "建国記念の日"),
    ]
    assert list(provider.year(2032)) == [date(2032, 1, 1)]


def test_an_added_day_may_rename_a_holiday_of_the_base() -> None:
    provider = OverriddenHolidays(BASE, add={date(2031, 1, 1): "元日（設定）"}, remove=())
    assert provider.name(date(2031, 1, 1)) == "元日（設定）"
    assert provider.year(2031)[date(2031, 1, 1)] == "元日（設定）"


def test_a_removed_day_is_no_holiday() -> None:
    provider = OverriddenHolidays(BASE, add={}, remove={date(2031, 2, 11)})
    assert provider.name(date(2031, 2, 11)) is None
    assert list(provider.year(2031)) == [date(2031, 1, 1)]
    assert BASE.name(date(2031, 2, 11)) == "建国記念の日"


def test_a_day_both_added_and_removed_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="2031-02-11"):
        OverriddenHolidays(BASE, add={date(2031, 2, 11): "建国記念の日"}, remove=[date(2031, 2, 11)])


def test_an_added_day_needs_a_name() -> None:
    with pytest.raises(ValueError, match="no name"):
        OverriddenHolidays(BASE, add={date(2031, 3, 3): " "}, remove=())


def test_overrides_over_the_library(library: LibraryHolidays) -> None:
    provider = OverriddenHolidays(library, add={date(2026, 12, 28): "臨時の休日"}, remove={date(2026, 9, 22)})
    assert provider.name(date(2026, 9, 22)) is None
    assert provider.name(date(2026, 12, 28)) == "臨時の休日"
    assert provider.name(date(2026, 9, 23)) == "秋分の日"
    table = provider.year(2026)
    assert list(table) == sorted(table)
    assert set(table) == (set(days_off(2026)) - {date(2026, 9, 22)}) | {date(2026, 12, 28)}
    with pytest.raises(HolidayRangeError):
        provider.year(2100)
