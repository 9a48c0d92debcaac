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
import base64
import http.client
import json
import multiprocessing
import os
import resource
import secrets
import ssl
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from kiosk.backend.canonical import auth_binding
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


def lean_issuances(
    site: SiteConfig, card_dir: Path, start_at: float, stop_at: float, count: list[int]
) -> None:
    """The protocol without the kiosk's parsing and verification: what the server sees, at least client cost.

    A kept-alive TLS connection, hand-built JSON, the card's key signing each binding (fresh every time).
    """
    key = serialization.load_pem_private_key((card_dir / "auth_key.pem").read_bytes(), password=None)
    certificate = base64.b64encode(load_profile(card_dir).auth_cert_der).decode()
    context = ssl.create_default_context(cafile=str(site.backend.ca_file))
    context.load_cert_chain(str(site.backend.client_cert), str(site.backend.client_key))
    host, port = site.backend.url.removeprefix("https://").rsplit(":", 1)
    connection = http.client.HTTPSConnection(host, int(port), context=context, timeout=30)

    def post(path: str, body: dict[str, object]) -> dict[str, object]:
        connection.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
        response = connection.getresponse()
        payload = json.loads(response.read())
        if response.status >= 300:
            raise RuntimeError(payload["code"])
        return dict(payload)

    while time.time() < start_at:
        time.sleep(0.001)
    while time.time() < stop_at:
        session = post("/v1/sessions", {})
        binding = auth_binding(
            base64.b64decode(str(session["challenge"])), str(session["session_id"]), "T0001"
        )
        signature = key.sign(binding, padding.PKCS1v15(), hashes.SHA256())  # type: ignore[union-attr,call-arg]
        post(
            f"/v1/sessions/{session['session_id']}/authenticate",
            {"certificate": certificate, "signature": base64.b64encode(signature).decode()},
        )
        request = post(
            f"/v1/sessions/{session['session_id']}/requests",
            {"document_type": "juminhyo", "copies": 1, "idempotency_key": secrets.token_urlsafe(24)},
        )
        post(f"/v1/requests/{request['request_id']}/complete", {"outcome": "printed", "copies_printed": 1})
        count[0] += 1
    connection.close()


def client_process(
    config: str, cards: list[str], seconds: float, start_at: float, results: object, lean: bool
) -> None:
    site = load_site_config(Path(config))
    counts = [0] * len(cards)
    errors: list[str] = []
    stop_at = start_at + seconds

    def worker(index: int) -> None:
        if lean:
            counter = [0]
            try:
                lean_issuances(site, Path(cards[index]), start_at, stop_at, counter)
            except Exception as error:  # benchmark: count and go on
                errors.append(type(error).__name__)
            counts[index] = counter[0]
            return
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
    usage = resource.getrusage(resource.RUSAGE_SELF)
    results.put((sum(counts), errors, usage.ru_utime + usage.ru_stime))  # type: ignore[attr-defined]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def throughput(
    site_path: Path, data: Path, workdir: Path, seconds: float, server_pid: int, lean: bool, tag: str
) -> None:
    households = [
        {
            "id": f"HB{tag}{index:03d}",
            "address": f"試験県試験市計測町{index + 1}番地",
            "members": [
                {
                    "id": f"RB{tag}{index:03d}",
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
    residents = workdir / f"bench{tag}.json"
    document = {"format": "konbini-residents/v1", "households": households}
    residents.write_text(json.dumps(document), encoding="utf-8")
    result = kiosk_command("backend", "import-residents", "--data", str(data), str(residents))
    assert result.returncode == 0, result.stderr
    db = Database(data / "backend.db")
    cards = []
    now = SystemClock().now()
    jpki = BackendPki(data / "pki").jpki_dir
    for index in range(CLIENTS):
        profile = make_profile(workdir / f"bench{tag}{index}", jpki, now=now, sign_password=None)
        register_card(db, profile.auth_cert_der, f"RB{tag}{index:03d}", now=now)
        cards.append(str(profile.directory))
    before = db.connection().execute("SELECT COUNT(*) FROM requests WHERE outcome = 'printed'").fetchone()[0]
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    start_at = time.time() + 3.0  # let every process connect first
    per = CLIENTS // CLIENT_PROCESSES
    processes = [
        context.Process(
            target=client_process,
            args=(str(site_path), cards[i * per : (i + 1) * per], seconds, start_at, queue, lean),
        )
        for i in range(CLIENT_PROCESSES)
    ]
    for process in processes:
        process.start()
    time.sleep(max(0.0, start_at - time.time()))
    server_before = cpu_seconds(server_pid)
    totals = [queue.get(timeout=seconds + 120) for _ in processes]
    for process in processes:
        process.join()
    server_cpu = cpu_seconds(server_pid) - server_before
    after = db.connection().execute("SELECT COUNT(*) FROM requests WHERE outcome = 'printed'").fetchone()[0]
    db.close()
    errors = [name for _, names, _ in totals for name in names]
    client_cpu = sum(cpu for _, _, cpu in totals)
    completed = after - before
    kind = "lean protocol clients" if lean else "kiosk-stack clients (software card, parsing, verification)"
    print(f"throughput with {kind}:")
    print(
        f"  {CLIENTS} concurrent clients in {CLIENT_PROCESSES} processes for {seconds:g} s: "
        f"{completed / seconds:.1f} completed issuances/s by the backend's ledger "
        f"({sum(count for count, _, _ in totals)} seen by clients, "
        f"{len(errors)} errors {sorted(set(errors))})"
    )
    if completed:
        print(
            f"  CPU per issuance: server {server_cpu / completed * 1000:.1f} ms, "
            f"clients {client_cpu / completed * 1000:.1f} ms (incl. start-up); "
            f"server used {server_cpu / seconds:.2f} of {os.cpu_count()} cores"
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
        with BackendProcess(data, port) as backend:
            if not args.skip_latency:
                latency(site, profile, workdir, args.runs)
            assert backend.process is not None
            for lean in (False, True):
                tag = "L" if lean else "K"
                throughput(site_path, data, workdir, args.seconds, backend.process.pid, lean, tag)
    return 0


if __name__ == "__main__":
    sys.exit(main())
