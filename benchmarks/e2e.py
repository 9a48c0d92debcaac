"""End-to-end benchmark: one headless issuance, and the backend's issuances per second under 50 clients.

Run as root (the card rig needs namespaces):  .venv/bin/python benchmarks/e2e.py [--runs N] [--seconds S]

1. Latency: `kiosk.issue.issue_document` with the software card in a pcscd + vpcd reader and the reference
   backend (a separate `kiosk backend serve` process) over mutual TLS on 127.0.0.1: session, card
   authentication (PIN + signature), document request, verification, completion. Reported for a kept-alive
   client (how the kiosk runs) and for a fresh TLS connection per issuance.
2. Throughput: 50 concurrent clients (threads spread over client processes, in-process software cards so
   the readers are not the bottleneck) issuing 住民票 for 50 different residents for S seconds; completed
   issuances per second as counted by the backend's own ledger.
Prints medians, p95 and rates; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.backend.document import DocumentType
from kiosk.backend.http import BackendClient
from kiosk.backend.verify import VerifiedDocument
from kiosk.card.pcsc import PcscContext
from kiosk.card.profile import CardProfile, load_profile, make_profile
from kiosk.card.virtual import InProcessConnection, SoftwareJpkiCard
from kiosk.clock import SystemClock
from kiosk.issue import IssueOrder, issue_document
from kiosk.settings import SiteConfig, load_site_config
from municipal.db import Database
from municipal.pki import BackendPki
from municipal.registry import register_card
from tests.integration.backend_rig import BackendProcess, free_port, init_backend, kiosk_command
from tests.rig import PcscdRig, wait_card_state

CLIENTS = 50
CLIENT_PROCESSES = 2


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def discard(_document: VerifiedDocument, _copies: int) -> str:
    return "-"


def one_issuance(connection: object, client: BackendClient, site: SiteConfig) -> None:
    issue_document(
        connection=connection,  # type: ignore[arg-type]
        backend=client,
        terminal_id=site.terminal.id,
        municipal_key=site.municipal_key,
        pin=bytearray(b"1234"),
        order=IssueOrder(DocumentType.JUMINHYO),
        deliver=discard,
    )


def latency(site: SiteConfig, profile: CardProfile, workdir: Path, runs: int) -> None:
    (workdir / "rig").mkdir()
    with PcscdRig(workdir / "rig") as rig:
        link = rig.attach(SoftwareJpkiCard(profile), 0)
        reader = rig.reader_name(0)
        wait_card_state(reader, present=True, timeout=10.0)
        with PcscContext() as context:
            for label, fresh in (("kept-alive TLS connection", False), ("fresh TLS connection each", True)):
                times = []
                client = BackendClient(site.backend, clock=SystemClock())
                for _ in range(runs):
                    if fresh:
                        client.close()
                        client = BackendClient(site.backend, clock=SystemClock())
                    connection = context.connect(reader)
                    started = time.perf_counter()
                    one_issuance(connection, client, site)
                    times.append(time.perf_counter() - started)
                    connection.close()
                client.close()
                print(
                    f"one issuance over pcscd + vpcd and TLS, {label} ({runs} runs): "
                    f"median {statistics.median(times) * 1000:.1f} ms, "
                    f"p95 {percentile(times, 0.95) * 1000:.1f} ms"
                )
        link.stop()


def client_process(config: str, cards: list[str], seconds: float, start_at: float, results: object) -> None:
    site = load_site_config(Path(config))
    counts = [0] * len(cards)
    errors: list[str] = []
    stop_at = start_at + seconds

    def worker(index: int) -> None:
        card = SoftwareJpkiCard(load_profile(Path(cards[index])))
        with BackendClient(site.backend, clock=SystemClock()) as client:
            while time.time() < start_at:
                time.sleep(0.001)
            while time.time() < stop_at:
                try:
                    one_issuance(InProcessConnection(card), client, site)
                    counts[index] += 1
                except Exception as error:  # benchmark: count and go on
                    errors.append(type(error).__name__)

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(len(cards))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put((sum(counts), errors))  # type: ignore[attr-defined]


def throughput(site_path: Path, data: Path, workdir: Path, seconds: float) -> None:
    households = [
        {
            "id": f"HB{index:03d}",
            "address": f"試験県試験市計測町{index + 1}番地",
            "members": [
                {
                    "id": f"RB{index:03d}",
                    "name": f"計測 試験{index:02d}",
                    "birth_date": "1990-01-01",
                    "sex": "male",
                    "relationship": "世帯主",
                    "householder": True,
                    "became_resident_on": "2020-04-01",
                    "nationality": None,
                    "status": "resident",
                    "support_measures": False,
                }
            ],
        }
        for index in range(CLIENTS)
    ]
    residents = workdir / "bench.json"
    document = {"format": "konbini-residents/v1", "households": households}
    residents.write_text(json.dumps(document), encoding="utf-8")
    result = kiosk_command("backend", "import-residents", "--data", str(data), str(residents))
    assert result.returncode == 0, result.stderr
    db = Database(data / "backend.db")
    cards = []
    now = SystemClock().now()
    jpki = BackendPki(data / "pki").jpki_dir
    for index in range(CLIENTS):
        profile = make_profile(workdir / f"bench{index}", jpki, now=now, sign_password=None)
        register_card(db, profile.auth_cert_der, f"RB{index:03d}", now=now)
        cards.append(str(profile.directory))
    before = db.connection().execute("SELECT COUNT(*) FROM requests WHERE outcome = 'printed'").fetchone()[0]
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    start_at = time.time() + 3.0  # let every process connect first
    per = CLIENTS // CLIENT_PROCESSES
    processes = [
        context.Process(
            target=client_process,
            args=(str(site_path), cards[i * per : (i + 1) * per], seconds, start_at, queue),
        )
        for i in range(CLIENT_PROCESSES)
    ]
    for process in processes:
        process.start()
    totals = [queue.get(timeout=seconds + 120) for _ in processes]
    for process in processes:
        process.join()
    after = db.connection().execute("SELECT COUNT(*) FROM requests WHERE outcome = 'printed'").fetchone()[0]
    db.close()
    errors = [name for _, names in totals for name in names]
    print(
        f"throughput, {CLIENTS} concurrent clients in {CLIENT_PROCESSES} processes for {seconds:g} s: "
        f"{(after - before) / seconds:.1f} completed issuances/s by the backend's ledger "
        f"({sum(count for count, _ in totals)} seen by clients, {len(errors)} errors {sorted(set(errors))})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--skip-latency", action="store_true", help="throughput only (no root needed)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kiosk-e2e-") as tmp:
        workdir = Path(tmp)
        os.environ["PCSCLITE_CSOCK_NAME"] = str(workdir / "rig" / "run" / "pcscd.comm")
        data = workdir / "data"
        port = free_port()
        init_backend(data, port)
        site_path = data / "kiosk.toml"
        site = load_site_config(site_path)
        profile = make_profile(workdir / "card", BackendPki(data / "pki").jpki_dir, now=SystemClock().now())
        db = Database(data / "backend.db")
        register_card(db, profile.auth_cert_der, "R0001", now=SystemClock().now())
        db.close()
        with BackendProcess(data, port):
            if not args.skip_latency:
                latency(site, profile, workdir, args.runs)
            throughput(site_path, data, workdir, args.seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
