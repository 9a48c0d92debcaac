"""`kiosk backend init`: a complete data directory for the reference backend and a test terminal.

Layout of DATA_DIR:
    backend.toml            the backend's settings (municipal/settings.py)
    backend.db              SQLite (WAL): residents, seals, cards, terminals, sessions, requests
    pki/                    deployment CA, server and terminal certificates, document-signing key,
                            jpki/ (the JPKI-like auth CA and its CRL)
    kiosk.toml              site config for terminal T0001 (the kiosk's format, docs/config.md)
    kiosk-T0002.toml        a second terminal, for tests of sessions used across terminals
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Final

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from kiosk.errors import ConfigError
from kiosk.staff import hash_staff_pin
from municipal.crl import write_auth_crl
from municipal.db import Database
from municipal.pki import BackendPki, create_backend_pki, issue_terminal_certificate
from municipal.registry import register_terminal
from municipal.residents import import_residents, load_resident_file
from municipal.settings import settings_text

__all__ = [
    "DEMO_STAFF_PIN",
    "SAMPLE_MUNICIPALITY",
    "SAMPLE_RESIDENTS",
    "TERMINAL_IDS",
    "DataDir",
    "InitSummary",
    "init_data_dir",
    "open_all_day",
]

SAMPLE_RESIDENTS: Final = Path(__file__).resolve().parent.parent / "config" / "samples" / "residents.json"
SAMPLE_MUNICIPALITY: Final = "999997"
TERMINAL_IDS: Final = ("T0001", "T0002")
#: The staff PIN of the test terminals (docs/config.md says so): a demo secret, never a store's.
DEMO_STAFF_PIN: Final = b"1234"


@dataclass(frozen=True)
class DataDir:
    root: Path

    @property
    def settings(self) -> Path:
        return self.root / "backend.toml"

    @property
    def database(self) -> Path:
        return self.root / "backend.db"

    @property
    def pki(self) -> BackendPki:
        return BackendPki(self.root / "pki")

    def kiosk_config(self, terminal_id: str) -> Path:
        return self.root / ("kiosk.toml" if terminal_id == TERMINAL_IDS[0] else f"kiosk-{terminal_id}.toml")


@dataclass(frozen=True)
class InitSummary:
    data: Path
    residents: int
    households: int
    terminals: tuple[str, ...]
    kiosk_config: Path
    port: int


def init_data_dir(
    root: Path,
    *,
    now: datetime,
    port: int,
    make_jpki_ca: Callable[[Path], None],
    residents_file: Path = SAMPLE_RESIDENTS,
    terminal_ids: Sequence[str] = TERMINAL_IDS,
) -> InitSummary:
    """Create everything a test deployment needs; refuses to touch a directory that already has a backend."""
    data = DataDir(root)
    if data.settings.exists() or data.database.exists():
        raise ConfigError(str(root), None, "already holds a backend (remove it or choose another --data)")
    residents = load_resident_file(residents_file)  # before writing anything: a bad file leaves no debris
    root.mkdir(parents=True, exist_ok=True)
    pki = create_backend_pki(data.pki.root, now=now)
    make_jpki_ca(pki.jpki_dir)
    write_auth_crl(pki, [], now=now)
    db = Database(data.database)
    try:
        summary = import_residents(db, residents, now=now)
        for terminal_id in terminal_ids:
            credentials = issue_terminal_certificate(pki, terminal_id, now=now)
            der = x509.load_pem_x509_certificate(credentials.cert_path.read_bytes()).public_bytes(
                Encoding.DER
            )
            register_terminal(db, terminal_id, der, now=now)
            data.kiosk_config(terminal_id).write_text(
                kiosk_config_text(pki, terminal_id=terminal_id, port=port), encoding="utf-8"
            )
    finally:
        db.close()
    data.settings.write_text(
        settings_text(municipality_code=SAMPLE_MUNICIPALITY, port=port), encoding="utf-8"
    )
    return InitSummary(
        data=root,
        residents=summary.residents,
        households=summary.households,
        terminals=tuple(terminal_ids),
        kiosk_config=data.kiosk_config(terminal_ids[0]),
        port=port,
    )


def kiosk_config_text(pki: BackendPki, *, terminal_id: str, port: int) -> str:
    def relative(path: Path) -> str:
        return str(path.relative_to(pki.root.parent))

    # Hashed here, with a fresh salt for each file, exactly as `kiosk staff hash-pin` would.
    staff_pin_hash = hash_staff_pin(bytearray(DEMO_STAFF_PIN))

    return f"""\
# Kiosk site config for test terminal {terminal_id}, written by `kiosk backend init`.
# Relative paths are relative to this file's folder. Reference: docs/config.md.
[terminal]
id = "{terminal_id}"

[backend]
url = "https://127.0.0.1:{port}"
ca_file = "{relative(pki.deployment_ca_cert)}"
client_cert = "{relative(pki.terminal_cert(terminal_id))}"
client_key = "{relative(pki.terminal_key(terminal_id))}"
connect_timeout = 3.0
read_timeout = 10.0
max_clock_skew_seconds = 30
retries = 2

[municipalities."{SAMPLE_MUNICIPALITY}"]
document_key = "{relative(pki.document_public_key)}"

[card]
reader = "Virtual PCD"
timeout = 10.0

[calendar]                      # service hours and closures: config/calendar.md
open = "06:30"
close = "23:00"
last_start_minutes = 10
grace_minutes = 5
# A test terminal may run where no time daemon synchronises the clock; a store terminal never sets this.
require_synchronised_clock = false

[staff]                         # staff (maintenance) mode: the demo staff PIN is 1234 (docs/config.md)
pin_hash = "{staff_pin_hash}"
max_attempts = 5
lockout_seconds = 300
"""


def open_all_day(root: Path, *, crl_recheck_seconds: float | None = None) -> None:
    """Widen `[calendar]` in backend.toml and kiosk*.toml to 00:00-24:00 with no last-start cutoff and no
    year-end closure: for the demo (which should show the flow at any hour) and test suites that run at any
    hour; the hours rules themselves have unit tests on fixed clocks. Idempotent. `crl_recheck_seconds`
    also makes the backend look at the CRL that often (tests revoke cards and expect it seen at once)."""
    for path in [root / "backend.toml", *sorted(root.glob("kiosk*.toml"))]:
        text = path.read_text(encoding="utf-8")
        text = re.sub(r'(?m)^open = "06:30"', 'open = "00:00"', text)
        text = re.sub(r'(?m)^close = "23:00"', 'close = "24:00"', text)
        text = re.sub(r"(?m)^year_end = .*\n", "", text)
        text = re.sub(
            r"(?m)^last_start_minutes = .*$", "last_start_minutes = 0\nyear_end = { enabled = false }", text
        )
        if crl_recheck_seconds is not None and path.name == "backend.toml" and "crl_recheck" not in text:
            text = re.sub(
                r"(?m)^(max_requests_per_session = .*)$",
                rf"\1\ncrl_recheck_seconds = {crl_recheck_seconds}",
                text,
            )
        path.write_text(text, encoding="utf-8")
