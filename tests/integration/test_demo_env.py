"""The demo's environment: backend subprocess on loopback, software cards, a folder printer, headless.

One environment serves the issuance tests; the lifecycle tests start their own and check, by PID, that no
backend outlives them (also when the demo process is killed outright).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.backend.document import DocumentType
from kiosk.backend.http import BackendClient
from kiosk.calendar import ServiceCalendar
from kiosk.card.profile import load_profile
from kiosk.card.virtual import InProcessConnection, SoftwareJpkiCard
from kiosk.cli.demo_env import DEMO_PIN, DemoCard, DemoEnvironment, DemoEnvironmentError
from kiosk.clock import SystemClock
from kiosk.errors import LastTryRefusedError, OfferRefusedError, PinBlockedError
from kiosk.holidays import LibraryHolidays
from kiosk.issue import IssueOrder, IssueResult, issue_document
from kiosk.service_gate import ServiceGate
from printing.decorations import SecurityDecorator
from printing.delivery import CertificateDelivery
from printing.fonts import FontSet
from printing.render import Renderer
from printing.wording import load_wording

pytestmark = pytest.mark.integration

LABELS = (
    "Resident with a seal",
    "Resident without a seal registration",
    "Card whose PIN has one try left",
    "Card whose PIN is blocked",
    "Resident who has moved out (refused)",
)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoEnvironment]:
    with DemoEnvironment(tmp_path_factory.mktemp("demo") / "state", always_open=True) as started:
        yield started


@pytest.fixture(scope="module")
def delivery(env: DemoEnvironment) -> CertificateDelivery:
    wording = load_wording()
    fonts = FontSet.register()
    return CertificateDelivery(
        Renderer(fonts, wording, SecurityDecorator(fonts, wording)), wording, printer=env.printer()
    )


def card(env: DemoEnvironment, label: str) -> DemoCard:
    return next(c for c in env.cards if c.label == label)


def issue(
    env: DemoEnvironment, delivery: CertificateDelivery, demo_card: DemoCard, order: IssueOrder
) -> IssueResult:
    config = env.config
    clock = SystemClock()
    gate = ServiceGate(
        ServiceCalendar(config.calendar, LibraryHolidays()),
        clock,
        synchronised=lambda: True,
        require_synchronised=config.calendar.require_synchronised_clock,
    )
    connection = InProcessConnection(SoftwareJpkiCard(load_profile(demo_card.profile_dir)))
    with BackendClient(config.backend, clock=clock) as backend:
        return issue_document(
            connection=connection,
            backend=backend,
            terminal_id=config.terminal.id,
            municipal_key=config.municipal_key,
            pin=bytearray(demo_card.pin.encode()),
            order=order,
            deliver=delivery.deliver,
            gate=gate,
        )


def gone(pid: int) -> bool:
    """No such process, or only a zombie (an orphan waiting for a reaper has stopped all the same)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except FileNotFoundError:
        return True
    return any(line.startswith("State:") and "Z" in line.split()[1] for line in status.splitlines())


def test_environment_shape(env: DemoEnvironment) -> None:
    assert env.initialised
    assert env.backend_pid is not None and not gone(env.backend_pid)
    assert env.config.backend.url == env.backend_url
    assert env.backend_url.startswith("https://127.0.0.1:")
    assert f'url = "{env.backend_url}"' in env.config_path.read_text(encoding="utf-8")
    assert env.config.terminal.id == "T0001"
    assert env.pdf_dir == env.data_dir / "printed"
    assert tuple(c.label for c in env.cards) == LABELS
    assert [c.resident_hint for c in env.cards] == ["R0001", "R0021", "R0002", "R0005", "R0018"]
    for demo_card in env.cards:
        assert demo_card.pin == DEMO_PIN
        assert DEMO_PIN not in repr(demo_card)
        assert load_profile(demo_card.profile_dir).pin == DEMO_PIN
    tries = [load_profile(c.profile_dir).auth_tries_left for c in env.cards]
    assert tries == [3, 3, 1, 0, 3]
    assert env.startup_seconds < 30


def test_resident_with_a_seal_gets_both_documents_as_pdfs(
    env: DemoEnvironment, delivery: CertificateDelivery
) -> None:
    demo_card = card(env, "Resident with a seal")
    juminhyo = issue(env, delivery, demo_card, IssueOrder(DocumentType("juminhyo"), {"members": "all"}, 2))
    inkan = issue(env, delivery, demo_card, IssueOrder(DocumentType("inkan")))

    for result, copies in ((juminhyo, "2 copies"), (inkan, "1 copy")):
        pdf = env.pdf_dir / f"kiosk-{result.serial}.pdf"
        assert result.output == f"folder:{pdf} ({copies})"
        assert pdf.read_bytes().startswith(b"%PDF-")
        assert pdf.stat().st_mode & 0o077 == 0


def test_refusals_and_pin_states(env: DemoEnvironment, delivery: CertificateDelivery) -> None:
    before = set(env.pdf_dir.glob("*.pdf")) if env.pdf_dir.exists() else set()
    with pytest.raises(OfferRefusedError) as refused:
        issue(
            env,
            delivery,
            card(env, "Resident who has moved out (refused)"),
            IssueOrder(DocumentType("juminhyo")),
        )
    assert refused.value.document_type == "juminhyo"
    with pytest.raises(OfferRefusedError):
        issue(
            env,
            delivery,
            card(env, "Resident without a seal registration"),
            IssueOrder(DocumentType("inkan")),
        )
    with pytest.raises(PinBlockedError):
        issue(env, delivery, card(env, "Card whose PIN is blocked"), IssueOrder(DocumentType("juminhyo")))
    with pytest.raises(LastTryRefusedError):
        issue(
            env, delivery, card(env, "Card whose PIN has one try left"), IssueOrder(DocumentType("juminhyo"))
        )
    after = set(env.pdf_dir.glob("*.pdf")) if env.pdf_dir.exists() else set()
    assert after == before, "nothing refused was filed"
    result = issue(
        env, delivery, card(env, "Resident without a seal registration"), IssueOrder(DocumentType("juminhyo"))
    )
    assert (env.pdf_dir / f"kiosk-{result.serial}.pdf").exists()


def test_a_faulty_demo_printer_fails_the_request(env: DemoEnvironment) -> None:
    from printing.spool import PrintFailedError

    wording = load_wording()
    fonts = FontSet.register()
    faulty = CertificateDelivery(
        Renderer(fonts, wording, SecurityDecorator(fonts, wording)),
        wording,
        printer=env.printer(lambda: "media-jam-error"),
    )
    with pytest.raises(PrintFailedError) as failed:
        issue(env, faulty, card(env, "Resident with a seal"), IssueOrder(DocumentType("juminhyo")))
    assert failed.value.reasons == ("media-jam-error",)


def test_exit_stops_the_backend_and_removes_a_temporary_directory() -> None:
    with DemoEnvironment() as started:
        pid = started.backend_pid
        data = started.data_dir
        assert pid is not None and not gone(pid)
        assert data.name.startswith("kiosk-demo-")
        assert (data / "kiosk.toml").exists()
    assert gone(pid)
    assert not data.exists()
    assert started.backend_pid is None
    started.stop()  # idempotent


def test_a_second_start_reuses_the_data_and_the_cards(tmp_path: Path) -> None:
    state = tmp_path / "state"
    with DemoEnvironment(state) as first:
        certificates = [(c.profile_dir / "auth_cert.pem").read_bytes() for c in first.cards]
        first_port = first.backend_url
        first_pid = first.backend_pid
    with DemoEnvironment(state, always_open=True) as second:
        assert first.initialised and not second.initialised
        assert [(c.profile_dir / "auth_cert.pem").read_bytes() for c in second.cards] == certificates
        assert second.config.backend.url == second.backend_url
        print(f"start-up: new {first.startup_seconds:.2f} s, reused {second.startup_seconds:.2f} s")
    assert first_port  # (the port may or may not differ: the backend picks a free one each time)
    assert first_pid is not None and gone(first_pid)
    text = (state / "kiosk.toml").read_text(encoding="utf-8")
    assert 'open = "00:00"' in text and 'close = "24:00"' in text
    assert state.exists(), "a directory given by the caller is kept"


@pytest.fixture
def spawned(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[subprocess.Popen[bytes]]]:
    """Every backend process the environment starts, killed by PID if a test leaves one behind."""
    processes: list[subprocess.Popen[bytes]] = []
    real = subprocess.Popen

    def recording(*args: Any, **kwargs: Any) -> subprocess.Popen[bytes]:
        process = real(*args, **kwargs)
        processes.append(process)
        return process

    monkeypatch.setattr(subprocess, "Popen", recording)
    yield processes
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


def test_a_backend_that_cannot_start_is_a_typed_error(
    tmp_path: Path, spawned: list[subprocess.Popen[bytes]]
) -> None:
    state = tmp_path / "state"
    with DemoEnvironment(state):
        pass
    (state / "backend.toml").write_text("[server]\nport = 'not a port'\n", encoding="utf-8")
    with pytest.raises(DemoEnvironmentError) as failed:
        DemoEnvironment(state).start()
    assert failed.value.stage == "backend-exited"
    assert str(state / "demo-backend.log") in str(failed.value)
    assert failed.value.to_dict()["code"] == "demo-unavailable"
    assert len(spawned) == 2
    assert all(process.poll() is not None for process in spawned)


def test_a_backend_too_slow_to_start_is_stopped(
    tmp_path: Path, spawned: list[subprocess.Popen[bytes]]
) -> None:
    with DemoEnvironment(tmp_path / "state"):
        pass
    # Reused data: only a few milliseconds pass between releasing the backend and the first check.
    with pytest.raises(DemoEnvironmentError) as failed:
        DemoEnvironment(tmp_path / "state", start_timeout=0.001).start()
    assert failed.value.stage in {"backend-timeout", "tls"}
    assert len(spawned) == 2
    assert all(process.poll() is not None for process in spawned)


def test_a_killed_demo_leaves_no_backend_behind(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        from kiosk.cli.demo_env import DemoEnvironment
        env = DemoEnvironment(Path({str(tmp_path / "state")!r}))
        env.start()
        print(env.backend_pid, flush=True)
        time.sleep(600)
        """
    )
    demo = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    backend_pid: int | None = None
    try:
        assert demo.stdout is not None
        backend_pid = int(demo.stdout.readline())
        assert not gone(backend_pid)
        demo.kill()  # no exit code runs in the demo process
        demo.wait(timeout=10)
        deadline = time.monotonic() + 10
        while not gone(backend_pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert gone(backend_pid), "the backend stops itself when the demo's pipe closes"
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait(timeout=10)
        if backend_pid is not None and not gone(backend_pid):
            os.kill(backend_pid, signal.SIGKILL)
