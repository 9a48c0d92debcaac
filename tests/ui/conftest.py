"""UI tests run offscreen against the real application: one demo environment (reference backend over TLS,
software cards, folder printer) for the session, and a fresh window, controller and orchestrator per test."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from kiosk.cli.demo_env import DemoEnvironment
from kiosk.flow import TIMEOUTS, State
from tests.ui.app_rig import RunningApp, start_app


@pytest.fixture(scope="session")
def demo_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoEnvironment]:
    with DemoEnvironment(tmp_path_factory.mktemp("ui-demo") / "state", always_open=True) as env:
        yield env


@pytest.fixture
def make_app(qapp: object, demo_env: DemoEnvironment) -> Iterator[Callable[..., RunningApp]]:
    started: list[RunningApp] = []

    def make(
        *,
        timeouts: Mapping[State, float] = TIMEOUTS,
        size: tuple[int, int] = (1024, 768),
        language: str = "ja",
    ) -> RunningApp:
        app = start_app(demo_env, timeouts=timeouts, size=size, language=language)
        started.append(app)
        return app

    yield make
    for app in started:
        app.close()


@pytest.fixture
def app(make_app: Callable[..., RunningApp]) -> RunningApp:
    return make_app()


@pytest.fixture
def pdf_dir(demo_env: DemoEnvironment) -> Path:
    return demo_env.pdf_dir
