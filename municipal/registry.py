"""Terminals and cards known to the backend, and the card revocations its test CA publishes.

The JPKI user-authentication certificate carries no name: the backend links a card to a resident by the
certificate's SHA-256 (the real service links through J-LIS by serial number).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509

from kiosk.errors import KioskError
from municipal.db import Database, from_db_time, to_db_time

__all__ = [
    "RegisteredCard",
    "RegistryError",
    "register_card",
    "register_terminal",
    "revocations",
    "revoke_card",
    "revoke_terminal",
]


class RegistryError(KioskError):
    """A registry change that cannot be made (unknown resident or terminal, duplicate); names ids only."""

    code = "registry"
    reported = ("what", "identifier", "problem")

    def __init__(self, what: str, identifier: str, problem: str) -> None:
        self.what = what
        self.identifier = identifier
        self.problem = problem
        super().__init__(f"{what} {identifier}: {problem}")


@dataclass(frozen=True)
class RegisteredCard:
    resident_id: str
    certificate_sha256: str
    serial: int


def register_terminal(db: Database, terminal_id: str, certificate_der: bytes, *, now: datetime) -> None:
    fingerprint = hashlib.sha256(certificate_der).hexdigest()
    with db.write() as connection:
        if connection.execute("SELECT 1 FROM terminals WHERE id = ?", (terminal_id,)).fetchone():
            raise RegistryError("terminal", terminal_id, "already registered")
        connection.execute(
            "INSERT INTO terminals (id, certificate_sha256, registered_at) VALUES (?, ?, ?)",
            (terminal_id, fingerprint, to_db_time(now)),
        )


def revoke_terminal(db: Database, terminal_id: str) -> None:
    with db.write() as connection:
        changed = connection.execute("UPDATE terminals SET revoked = 1 WHERE id = ?", (terminal_id,)).rowcount
    if not changed:
        raise RegistryError("terminal", terminal_id, "not registered")


def register_card(db: Database, certificate_der: bytes, resident_id: str, *, now: datetime) -> RegisteredCard:
    certificate = x509.load_der_x509_certificate(certificate_der)
    card = RegisteredCard(
        resident_id=resident_id,
        certificate_sha256=hashlib.sha256(certificate_der).hexdigest(),
        serial=certificate.serial_number,
    )
    with db.write() as connection:
        if connection.execute("SELECT 1 FROM residents WHERE id = ?", (resident_id,)).fetchone() is None:
            raise RegistryError("resident", resident_id, "no such resident")
        connection.execute(
            "INSERT INTO cards (certificate_sha256, certificate_serial, resident_id, registered_at) "
            "VALUES (?, ?, ?, ?)",
            (card.certificate_sha256, format(card.serial, "x"), resident_id, to_db_time(now)),
        )
    return card


def revoke_card(db: Database, serial: int, *, now: datetime) -> None:
    with db.write() as connection:
        connection.execute(
            "INSERT OR IGNORE INTO revocations (certificate_serial, revoked_at) VALUES (?, ?)",
            (format(serial, "x"), to_db_time(now)),
        )


def revocations(db: Database) -> list[tuple[int, datetime]]:
    """(serial, revocation time) of every revoked card, for the CRL the test CA publishes."""
    with db.read() as connection:
        rows = connection.execute("SELECT certificate_serial, revoked_at FROM revocations").fetchall()
    return [(int(row["certificate_serial"], 16), from_db_time(row["revoked_at"])) for row in rows]
