"""`kiosk backend serve`: the reference backend with its housekeeping threads.

Besides answering the protocol it closes overdue requests (failed, no charge) and, acting as the test JPKI
CA's publisher, re-signs the CRL from the revocations table before the current one goes stale.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from cryptography import x509

from kiosk.clock import Clock
from kiosk.holidays import LibraryHolidays
from municipal.app import create_app
from municipal.crl import CrlSource, write_auth_crl
from municipal.db import Database
from municipal.faults import FaultInjector, FaultPlan
from municipal.pki import load_document_signer
from municipal.registry import revocations
from municipal.service import IssuanceService
from municipal.settings import load_backend_settings
from municipal.setup import DataDir
from municipal.tls import serve

__all__ = ["CRL_VALIDITY", "build_service", "run_backend"]

_log = logging.getLogger("municipal.server")

CRL_VALIDITY = timedelta(days=1)
_CRL_REPUBLISH_SECONDS = 3600.0


def build_service(root: Path, clock: Clock) -> tuple[IssuanceService, Database, int]:
    data = DataDir(root)
    settings = load_backend_settings(data.settings)
    pki = data.pki
    db = Database(data.database)
    auth_ca = x509.load_pem_x509_certificate(pki.auth_ca_cert.read_bytes())
    service = IssuanceService(
        db=db,
        settings=settings,
        clock=clock,
        signer=load_document_signer(pki),
        auth_ca=auth_ca,
        crl=CrlSource(pki.auth_crl, auth_ca, recheck_seconds=settings.server.crl_recheck_seconds),
        holidays=LibraryHolidays(),
    )
    return service, db, settings.server.max_body_bytes


def publish_crl(root: Path, db: Database, clock: Clock) -> None:
    write_auth_crl(DataDir(root).pki, revocations(db), now=clock.now(), valid_for=CRL_VALIDITY)


def run_backend(
    root: Path,
    *,
    host: str | None,
    port: int | None,
    clock: Clock,
    stop: threading.Event,
    on_ready: Callable[[int], None] | None = None,
    faults: FaultPlan | None = None,
) -> None:
    data = DataDir(root)
    settings = load_backend_settings(data.settings)
    service, db, max_body = build_service(root, clock)
    publish_crl(root, db, clock)
    housekeeping = threading.Thread(
        target=_housekeeping,
        args=(root, service, db, clock, stop, settings.server.overdue_sweep_seconds),
        name="backend-housekeeping",
        daemon=True,
    )
    housekeeping.start()
    try:
        app: Any = create_app(service, max_body_bytes=max_body)
        if faults is not None:
            _log.warning("fault injection on: %s", faults)
            app = FaultInjector(app, faults)
        serve(
            app,
            pki=data.pki,
            host=host if host is not None else settings.server.host,
            port=port if port is not None else settings.server.port,
            on_ready=on_ready,
            stop=stop,
        )
    finally:
        stop.set()
        housekeeping.join(timeout=5)
        db.close()


def _housekeeping(
    root: Path, service: IssuanceService, db: Database, clock: Clock, stop: threading.Event, every: float
) -> None:
    since_crl = 0.0
    while not stop.wait(every):
        try:
            service.close_overdue()
            since_crl += every
            if since_crl >= _CRL_REPUBLISH_SECONDS:
                publish_crl(root, db, clock)
                since_crl = 0.0
        except Exception as error:  # keep serving; the next round retries
            _log.error("housekeeping failed: %s", type(error).__name__)
