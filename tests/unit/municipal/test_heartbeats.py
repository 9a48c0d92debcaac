"""Heartbeats on the reference backend: the store and its history, the terminal listing, the
`POST /v1/terminals/heartbeat` route over real mutual TLS (sent by the kiosk's own client), the migration
and `kiosk backend terminals`."""

from __future__ import annotations

import json
import sqlite3
import ssl
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import pytest
import requests

from kiosk.backend.api import (
    Heartbeat,
    HeartbeatCounters,
    HeartbeatPrinter,
    HeartbeatReader,
    Paper,
    PrinterState,
)
from kiosk.backend.http import BackendClient
from kiosk.cli import main
from kiosk.clock import FixedClock
from kiosk.errors import BackendRefusedError
from municipal.app import create_app
from municipal.db import MIGRATIONS, Database, to_db_time
from municipal.pki import BackendPki, create_backend_pki, issue_terminal_certificate
from municipal.registry import register_terminal, revoke_terminal
from municipal.service import IssuanceService
from municipal.terminals_status import HeartbeatStore, terminal_statuses
from tests.unit.municipal.test_health import TerminalsOnly, backend_settings
from tests.unit.municipal.test_tls import HOST, NOW, TIMEOUT, running

RECEIVED = datetime(2026, 11, 23, 3, 0, 30, tzinfo=UTC)


def heartbeat(**changes: Any) -> Heartbeat:
    values: dict[str, Any] = {
        "sent_at": NOW,
        "app_version": "0.1.0",
        "config_version": "7",
        "interval_seconds": 300,
        "uptime_seconds": 60,
        "paused": False,
        "reader": HeartbeatReader(present=True, card_present=False),
        "printer": HeartbeatPrinter(
            state=PrinterState.STOPPED, reasons=("media-empty-error",), needs_staff=True, paper=Paper.OUT
        ),
        "backend_clock_skew_seconds": -0.5,
        "counters": HeartbeatCounters(started=4, completed=2, failed=1, aborted=1),
        "last_error_code": "card-removed",
    }
    values.update(changes)
    return Heartbeat(**values)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    made = Database(tmp_path / "backend.db")
    for terminal in ("T0001", "T0002", "T0003"):
        register_terminal(made, terminal, terminal.encode(), now=NOW)
    yield made
    made.close()


# ------------------------------------------------------------------------------------------ store


def test_the_store_keeps_the_newest_per_terminal(db: Database) -> None:
    store = HeartbeatStore(db, FixedClock(RECEIVED), history=3)
    for uptime in range(5):
        ack = store.record("T0001", heartbeat(uptime_seconds=uptime))
    store.record("T0002", heartbeat(uptime_seconds=99))
    assert ack.received_at == RECEIVED
    history = store.history("T0001")
    assert [item.heartbeat.uptime_seconds for item in history if item.heartbeat] == [4, 3, 2]
    assert {item.received_at for item in history} == {RECEIVED}
    assert len(store.history("T0002")) == 1
    with pytest.raises(ValueError):
        HeartbeatStore(db, FixedClock(RECEIVED), history=0)


def test_the_listing_marks_never_ok_and_stale(db: Database) -> None:
    HeartbeatStore(db, FixedClock(RECEIVED)).record("T0001", heartbeat(interval_seconds=60))
    HeartbeatStore(db, FixedClock(RECEIVED - timedelta(hours=2))).record("T0002", heartbeat(uptime_seconds=1))
    HeartbeatStore(db, FixedClock(RECEIVED - timedelta(minutes=20))).record("T0002", heartbeat())
    revoke_terminal(db, "T0003")
    statuses = terminal_statuses(db, now=RECEIVED + timedelta(minutes=2))
    assert [(s.terminal_id, s.status, s.revoked) for s in statuses] == [
        ("T0001", "ok", False),  # 2 min < 3 x 60 s
        ("T0002", "stale", False),  # the latest (20 min ago) > 3 x 300 s
        ("T0003", "never", True),
    ]
    latest = statuses[1]
    assert latest.heartbeat is not None and latest.heartbeat.uptime_seconds == 60
    assert latest.age_seconds == 22 * 60
    assert [s.status for s in terminal_statuses(db, now=RECEIVED, stale_after=600)] == [
        "ok",
        "stale",
        "never",
    ]
    as_dict = statuses[0].to_dict()
    assert as_dict["received_at"] == "2026-11-23T03:00:30+00:00"
    assert cast(dict[str, Any], as_dict["heartbeat"])["printer"]["paper"] == "out"


def test_an_unreadable_row_is_listed_without_its_heartbeat(db: Database) -> None:
    with db.write() as connection:
        connection.execute(
            "INSERT INTO heartbeats (terminal_id, received_at, body) VALUES ('T0001', ?, '{}')",
            (to_db_time(RECEIVED),),
        )
    (first, *_) = terminal_statuses(db, now=RECEIVED)
    assert (first.status, first.heartbeat) == ("ok", None)


def test_a_version_1_database_gets_the_table(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    connection = sqlite3.connect(path)
    connection.executescript(MIGRATIONS[0])
    connection.execute("PRAGMA user_version = 1")
    connection.commit()
    connection.close()
    migrated = Database(path)
    try:
        assert migrated.schema_version() == len(MIGRATIONS) >= 2
        migrated.connection().execute("SELECT id, terminal_id, received_at, body FROM heartbeats").fetchall()
    finally:
        migrated.close()


# ------------------------------------------------------------------------------------------ route


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> BackendPki:
    made = create_backend_pki(tmp_path_factory.mktemp("heartbeat-pki"), now=NOW)
    issue_terminal_certificate(made, "T0001", now=NOW)
    issue_terminal_certificate(made, "T0002", now=NOW)  # never registered with the backend
    return made


@pytest.fixture
def route_db(tmp_path: Path, pki: BackendPki) -> Iterator[Database]:
    made = Database(tmp_path / "backend.db")
    der = ssl.PEM_cert_to_DER_cert(pki.terminal_cert("T0001").read_text())
    register_terminal(made, "T0001", der, now=NOW)
    yield made
    made.close()


def app_for(pki: BackendPki, db: Database) -> Any:
    return create_app(
        cast(IssuanceService, TerminalsOnly(pki, "T0001")),
        max_body_bytes=4096,
        clock=FixedClock(RECEIVED),
        heartbeats=HeartbeatStore(db, FixedClock(RECEIVED)),
    )


def post(pki: BackendPki, port: int, body: bytes, terminal: str = "T0001") -> requests.Response:
    with requests.Session() as session:
        session.trust_env = False
        return session.post(
            f"https://{HOST}:{port}/v1/terminals/heartbeat",
            data=body,
            # Connection: close, or the server's shutdown waits out the idle keep-alive connection.
            headers={"Content-Type": "application/json", "Connection": "close"},
            verify=str(pki.deployment_ca_cert),
            cert=(str(pki.terminal_cert(terminal)), str(pki.terminal_key(terminal))),
            timeout=TIMEOUT,
        )


def test_the_kiosk_client_sends_a_heartbeat(pki: BackendPki, route_db: Database) -> None:
    # The terminal's clock is 30 s behind: not enforced for heartbeats, and sent_at shows it.
    with running(pki, app_for(pki, route_db)) as port:
        client = BackendClient(backend_settings(pki, port, "T0001"), clock=FixedClock(NOW))
        with client:
            client.heartbeat(heartbeat())
    (stored,) = HeartbeatStore(route_db, FixedClock(RECEIVED)).history("T0001")
    assert (stored.terminal_id, stored.received_at, stored.heartbeat) == ("T0001", RECEIVED, heartbeat())


def test_the_answer_is_a_small_ack(pki: BackendPki, route_db: Database) -> None:
    with running(pki, app_for(pki, route_db)) as port:
        response = post(pki, port, heartbeat().model_dump_json().encode())
    assert response.status_code == 200
    assert response.json() == {"received_at": "2026-11-23T03:00:30+00:00"}


def test_the_body_never_names_the_terminal(pki: BackendPki, route_db: Database) -> None:
    body = json.loads(heartbeat().model_dump_json())
    with running(pki, app_for(pki, route_db)) as port:
        response = post(pki, port, json.dumps({**body, "terminal_id": "T0002"}).encode())
    assert (response.status_code, response.json()) == (422, {"code": "invalid-request"})
    assert HeartbeatStore(route_db, FixedClock(RECEIVED)).history("T0001") == []


def test_free_text_and_oversized_bodies_are_refused(pki: BackendPki, route_db: Database) -> None:
    body = json.loads(heartbeat().model_dump_json())
    with running(pki, app_for(pki, route_db)) as port:
        free_text = post(pki, port, json.dumps({**body, "last_error_code": "山田 太郎"}).encode())
        too_large = post(pki, port, b" " * 5000 + json.dumps(body).encode())
    assert (free_text.status_code, free_text.json()["code"]) == (422, "invalid-request")
    assert (too_large.status_code, too_large.json()["code"]) == (413, "too-large")
    assert HeartbeatStore(route_db, FixedClock(RECEIVED)).history("T0001") == []


def test_an_unknown_terminal_is_refused(pki: BackendPki, route_db: Database) -> None:
    with running(pki, app_for(pki, route_db)) as port:
        client = BackendClient(backend_settings(pki, port, "T0002"), clock=FixedClock(NOW))
        with client, pytest.raises(BackendRefusedError) as caught:
            client.heartbeat(heartbeat())
    assert (caught.value.status, caught.value.error_code) == (403, "unknown-terminal")
    with route_db.read() as connection:
        assert connection.execute("SELECT COUNT(*) FROM heartbeats").fetchone()[0] == 0


def test_the_route_is_in_the_openapi_document(pki: BackendPki, route_db: Database) -> None:
    schema = app_for(pki, route_db).openapi()
    operation = schema["paths"]["/v1/terminals/heartbeat"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert "last_error_code" in body["properties"]


# ------------------------------------------------------------------------------------------ CLI


def test_kiosk_backend_terminals(db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "backend.toml").write_text("# only needs to exist here\n", encoding="utf-8")
    now = datetime.now(UTC)
    HeartbeatStore(db, FixedClock(now - timedelta(seconds=42))).record("T0001", heartbeat(paused=True))
    HeartbeatStore(db, FixedClock(now - timedelta(hours=1))).record("T0002", heartbeat())

    assert main(["backend", "terminals", "--data", str(tmp_path), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(item["terminal"], item["status"]) for item in listed] == [
        ("T0001", "ok"),
        ("T0002", "stale"),
        ("T0003", "never"),
    ]
    assert listed[0]["heartbeat"]["counters"] == {"started": 4, "completed": 2, "failed": 1, "aborted": 1}

    assert main(["backend", "terminals", "--data", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("T0001  ") and "  ok  " in lines[0]
    for part in ("printer stopped paper out needs-staff", "reader ok", "counters 4/2/1/1"):
        assert part in lines[0]
    assert "last-error card-removed  config 7  PAUSED" in lines[0]
    assert "STALE" in lines[1] and "age 1h00m" in lines[1]
    assert lines[2] == "T0003  never  STALE"

    assert main(["backend", "terminals", "--data", str(tmp_path), "--stale-after", "10", "--json"]) == 0
    assert [item["stale"] for item in json.loads(capsys.readouterr().out)] == [True, True, True]
