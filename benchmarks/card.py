"""Card benchmark: APDUs per authentication, and the time of a full authentication through pcscd + vpcd.

Run as root (the rig needs mount and network namespaces):  .venv/bin/python benchmarks/card.py [--runs N]

It starts the same private pcscd + vpcd rig as the integration tests, puts the software card in the reader
and runs `kiosk.card.operations.authenticate` (SELECT, certificate read, PIN status, VERIFY, SIGN) N times
over a real PC/SC connection. "Card time" is what the software card itself spends inside `process()`
(mostly the RSA signature a real card computes in hardware); "software overhead" is the rest: our code,
pyscard, pcscd and vpcd. It prints medians and p90; it asserts nothing (tests stay free of timing limits).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.card.operations import authenticate
from kiosk.card.pcsc import PcscContext
from kiosk.card.profile import load_profile, make_profile
from kiosk.card.virtual import InProcessConnection, SoftwareJpkiCard
from kiosk.clock import SystemClock
from tests.rig import PcscdRig, wait_card_state


class TimedCard(SoftwareJpkiCard):
    """The software card, keeping count of APDUs and of the time it spends answering them."""

    card_seconds = 0.0
    apdus = 0

    def process(self, apdu: bytes | bytearray) -> bytes:
        started = time.perf_counter()
        try:
            return super().process(apdu)
        finally:
            self.card_seconds += time.perf_counter() - started
            self.apdus += 1


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure(connection_factory, card: TimedCard, runs: int) -> tuple[list[float], list[float], list[int]]:  # type: ignore[no-untyped-def]
    totals, overheads, apdus = [], [], []
    for index in range(runs):
        card.card_seconds, card.apdus = 0.0, 0
        challenge = index.to_bytes(32, "big")
        with connection_factory() as connection:
            started = time.perf_counter()
            authenticate(connection, challenge, bytearray(b"1234"))
            total = time.perf_counter() - started
        totals.append(total)
        overheads.append(total - card.card_seconds)
        apdus.append(card.apdus)
    return totals, overheads, apdus


def report(label: str, totals: list[float], overheads: list[float], apdus: list[int]) -> None:
    ms = 1000.0
    print(f"{label}:")
    print(f"  APDUs per authentication: {statistics.median(apdus):g} (min {min(apdus)}, max {max(apdus)})")
    for name, values in (("total", totals), ("software overhead", overheads)):
        median, p90 = statistics.median(values) * ms, percentile(values, 0.9) * ms
        print(f"  {name + ':':19s}median {median:6.2f} ms   p90 {p90:6.2f} ms")


class _Closing:
    def __init__(self, connection) -> None:  # type: ignore[no-untyped-def]
        self.connection = connection

    def __enter__(self):  # type: ignore[no-untyped-def]
        return self.connection

    def __exit__(self, *exc: object) -> None:
        self.connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as tmp:
        workdir = Path(tmp)
        os.environ["PCSCLITE_CSOCK_NAME"] = str(workdir / "rig" / "run" / "pcscd.comm")
        make_profile(workdir / "card", workdir / "ca", now=SystemClock().now())
        profile = load_profile(workdir / "card")

        card = TimedCard(profile)
        in_process = measure(lambda: _Closing(InProcessConnection(card)), card, args.runs)
        report("in-process software card (no PC/SC)", *in_process)

        for quickack in (True, False):
            card = TimedCard(profile)
            (workdir / "rig").mkdir(exist_ok=True)
            with PcscdRig(workdir / "rig") as rig:
                link = rig.attach(card, 0, quickack=quickack)
                reader = rig.reader_name(0)
                wait_card_state(reader, present=True, timeout=10.0)
                with PcscContext() as context:
                    runs = args.runs if quickack else max(3, args.runs // 10)
                    results = measure(lambda: context.connect(reader), card, runs)  # noqa: B023
                link.stop()
            label = (
                "pcscd + vpcd, TCP_QUICKACK on"
                if quickack
                else "pcscd + vpcd, TCP_QUICKACK off (stock vpcd 0.8)"
            )
            report(f"{label} ({runs} runs)", *results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
