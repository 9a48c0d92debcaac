"""Integration fixtures: one private pcscd+vpcd per test run, and a fresh software card per test.

These tests never skip: a machine without pcscd or vsmartcard-vpcd fails them with the package to install.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.card.profile import CardProfile, load_profile
from kiosk.card.virtual import SoftwareJpkiCard
from kiosk.card.vpcd import VpcdLink
from tests.cups_rig import CupsRig
from tests.cups_rig import RigError as CupsRigError
from tests.integration.backend_rig import BackendProcess, Deployment, free_port, init_backend, kiosk_command
from tests.rig import PcscdRig, RigError, wait_card_state

_rig_dir: Path | None = None


def pytest_configure(config: pytest.Config) -> None:
    """Point libpcsclite at the rig's socket before any test (unit ones included) makes a PC/SC context.

    libpcsclite reads PCSCLITE_CSOCK_NAME once per process, so setting it later would be too late.
    """
    global _rig_dir  # noqa: PLW0603 - one rig directory per pytest process, known before collection
    _rig_dir = Path(tempfile.mkdtemp(prefix="kiosk-rig-"))
    os.environ["PCSCLITE_CSOCK_NAME"] = str(_rig_dir / "run" / "pcscd.comm")


def pytest_unconfigure(config: pytest.Config) -> None:
    if _rig_dir is not None:
        shutil.rmtree(_rig_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def pcscd_rig() -> Iterator[PcscdRig]:
    assert _rig_dir is not None
    rig = PcscdRig(_rig_dir)
    try:
        rig.start()
    except RigError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield rig
    finally:
        rig.stop()


@pytest.fixture(scope="session")
def card_profile_dir(profile_factory: Callable[..., Path]) -> Path:
    return profile_factory()


@pytest.fixture(scope="session")
def card_profile(card_profile_dir: Path) -> CardProfile:
    return load_profile(card_profile_dir)


@dataclass
class AttachedCard:
    """A software card in a rig reader: `card` for its state, `link` to pull or reinsert it."""

    card: SoftwareJpkiCard
    link: VpcdLink
    reader: str


@pytest.fixture
def software_card(pcscd_rig: PcscdRig, card_profile: CardProfile) -> Iterator[AttachedCard]:
    """A fresh card (full PIN counters) in reader 0, already seen present by PC/SC."""
    card = SoftwareJpkiCard(card_profile)
    reader = pcscd_rig.reader_name(0)
    link = pcscd_rig.attach(card, 0)
    try:
        wait_card_state(reader, present=True, timeout=5.0)
        yield AttachedCard(card, link, reader)
        assert link.errors == (), f"the card link recorded errors: {link.errors}"
    finally:
        link.stop()
        # The next test must start from an empty reader, not race pcscd's removal poll.
        wait_card_state(reader, present=False, timeout=5.0)


@pytest.fixture(scope="session")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    root = tmp_path_factory.mktemp("deployment")
    data = root / "data"
    port = free_port()
    init_backend(data, port)
    listing = kiosk_command("backend", "list-residents", "--data", str(data), "--json")
    assert listing.returncode == 0, listing.stderr
    with BackendProcess(data, port) as backend:
        yield Deployment(data, port, backend, json.loads(listing.stdout))


@pytest.fixture
def cupsd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CupsRig]:
    """A private cupsd with the scripted Kiosk queue, fresh for each test, stopped by its PID."""
    rig = CupsRig(tmp_path_factory.mktemp("cups"))
    try:
        rig.start()
    except CupsRigError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield rig
    finally:
        rig.stop()
