"""Fixtures shared by unit and integration tests: one test CA and software-card profiles per run."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.card.profile import make_profile

#: A fixed instant for everything the test PKI issues: tests never depend on the machine's clock.
TEST_NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def test_ca_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("jpki-ca")


@pytest.fixture(scope="session")
def profile_factory(test_ca_dir: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """make(**card_toml_overrides) -> profile dir; profiles with the same settings are made once."""
    made: dict[tuple[tuple[str, object], ...], Path] = {}

    def make(**settings: str | int | float) -> Path:
        key = tuple(sorted(settings.items()))
        if key not in made:
            out = tmp_path_factory.mktemp("card")
            make_profile(out, test_ca_dir, now=TEST_NOW, settings=settings or None)
            made[key] = out
        return made[key]

    return make
