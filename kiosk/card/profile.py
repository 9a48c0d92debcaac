"""Software-card profiles: what one fake My Number card holds, loaded from (and made into) a directory.

A profile directory holds:

- ``auth_cert.pem``, ``auth_key.pem``, ``auth_ca.pem``: the 利用者証明用 certificate (EF 000A), its
  RSA-2048 key (EF 0017) and its CA certificate (EF 000B). Required.
- ``sign_cert.pem``, ``sign_key.pem``, ``sign_ca.pem``: the 署名用 certificate (EF 0001), key (EF 001A)
  and CA (EF 0002). All three or none.
- ``card.toml``: ``pin`` (4 digits, string), ``sign_password`` (6–16 of A–Z 0–9; required exactly when
  the sign files exist), ``auth_tries_left`` (0..3, default 3), ``sign_tries_left`` (0..5, default 5),
  ``atr`` (hex, default the contact ATR), ``blocked_sw`` ("6983" or "6984", default "6984"),
  ``status_sw_when_blocked`` (hex, default "63C0"), ``apdu_delay_ms`` (float ≥ 0, default 0). The
  blocked-PIN answers are knobs because no public real-card trace shows them (card-protocol.md, "Unknowns").

`make_profile` signs the certificates with a test CA kept in a CA directory. The CA directory's file names
are a contract with the reference backend, which trusts the same test auth CA:

- ``auth_ca.pem`` / ``auth_ca_key.pem``: "JPKI-TEST for user authentication" CA (issues 利用者証明用 certs).
- ``sign_ca.pem`` / ``sign_ca_key.pem``: "JPKI-TEST for digital signature" CA (issues 署名用 certs).

They are created when absent and reused when present, so every profile made against one CA directory
chains to the same roots. Everything is a clearly labelled test PKI (O=JPKI-TEST, ``.invalid`` URLs,
fictitious holders); never put real certificates in a profile.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import math
import os
import re
import secrets
import tomllib
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID

from kiosk.errors import ProfileError

__all__ = [
    "AUTH_PIN_MAX_TRIES",
    "CONTACT_ATR",
    "SIGN_PASSWORD_MAX_TRIES",
    "CardProfile",
    "ensure_test_ca",
    "load_profile",
    "make_profile",
]

#: The contact-interface ATR from OpenSC's table. Never used to identify the card (SELECT AID is).
CONTACT_ATR = bytes.fromhex("3BE000FF8131FE4514")
AUTH_PIN_MAX_TRIES = 3
SIGN_PASSWORD_MAX_TRIES = 5
#: The card returns a 256-byte signature, so only RSA-2048 keys make a faithful card.
_KEY_BITS = 2048

_PIN_RE = re.compile(r"[0-9]{4}")
_SIGN_PASSWORD_RE = re.compile(r"[A-Z0-9]{6,16}")
_HEX_RE = re.compile(r"(?:[0-9A-Fa-f]{2})+")
_KNOWN_KEYS = frozenset(
    {
        "pin",
        "sign_password",
        "auth_tries_left",
        "sign_tries_left",
        "atr",
        "blocked_sw",
        "status_sw_when_blocked",
        "apdu_delay_ms",
    }
)
_SIGN_FILES = ("sign_cert.pem", "sign_key.pem", "sign_ca.pem")
_TEST_HOST = "jpki-test.invalid"


@dataclass(frozen=True)
class CardProfile:
    """Everything one software card holds. PINs and keys are kept out of repr so they never reach a log."""

    directory: Path
    auth_cert_der: bytes = field(repr=False)
    auth_key: rsa.RSAPrivateKey = field(repr=False)
    auth_ca_der: bytes = field(repr=False)
    pin: str = field(repr=False)
    sign_cert_der: bytes | None = field(default=None, repr=False)
    sign_key: rsa.RSAPrivateKey | None = field(default=None, repr=False)
    sign_ca_der: bytes | None = field(default=None, repr=False)
    sign_password: str | None = field(default=None, repr=False)
    auth_tries_left: int = AUTH_PIN_MAX_TRIES
    sign_tries_left: int = SIGN_PASSWORD_MAX_TRIES
    atr: bytes = CONTACT_ATR
    blocked_sw: int = 0x6984
    status_sw_when_blocked: int = 0x63C0
    apdu_delay_ms: float = 0.0

    @property
    def has_sign(self) -> bool:
        return self.sign_key is not None


# --------------------------------------------------------------------------------------------- loading


def load_profile(directory: Path) -> CardProfile:
    """Load and validate a profile directory; any problem raises `ProfileError` naming the file and key."""
    toml_path = directory / "card.toml"
    settings = _read_toml(toml_path)
    unknown = sorted(set(settings) - _KNOWN_KEYS)
    if unknown:
        raise ProfileError(str(toml_path), unknown[0], "unknown key")

    auth_cert_der, auth_key = _load_pair(directory, "auth_cert.pem", "auth_key.pem")
    auth_ca_der = _load_cert(directory / "auth_ca.pem").public_bytes(serialization.Encoding.DER)

    present = [name for name in _SIGN_FILES if (directory / name).exists()]
    sign_cert_der: bytes | None = None
    sign_key: rsa.RSAPrivateKey | None = None
    sign_ca_der: bytes | None = None
    if present:
        missing = [name for name in _SIGN_FILES if name not in present]
        if missing:
            problem = "missing (the sign files come all three or none)"
            raise ProfileError(str(directory / missing[0]), None, problem)
        sign_cert_der, sign_key = _load_pair(directory, "sign_cert.pem", "sign_key.pem")
        sign_ca_der = _load_cert(directory / "sign_ca.pem").public_bytes(serialization.Encoding.DER)

    path = str(toml_path)
    pin = _get_str(settings, path, "pin", required=True)
    if pin is None or not _PIN_RE.fullmatch(pin):
        raise ProfileError(path, "pin", "must be exactly 4 digits")
    sign_password = _get_str(settings, path, "sign_password", required=False)
    if present and sign_password is None:
        raise ProfileError(path, "sign_password", "required because the sign files exist")
    if sign_password is not None:
        if not present:
            problem = "given but sign_cert.pem, sign_key.pem, sign_ca.pem are absent"
            raise ProfileError(path, "sign_password", problem)
        if not _SIGN_PASSWORD_RE.fullmatch(sign_password):
            raise ProfileError(path, "sign_password", "must be 6-16 characters of A-Z and 0-9")

    return CardProfile(
        directory=directory,
        auth_cert_der=auth_cert_der,
        auth_key=auth_key,
        auth_ca_der=auth_ca_der,
        pin=pin,
        sign_cert_der=sign_cert_der,
        sign_key=sign_key,
        sign_ca_der=sign_ca_der,
        sign_password=sign_password,
        auth_tries_left=_get_int(settings, path, "auth_tries_left", AUTH_PIN_MAX_TRIES),
        sign_tries_left=_get_int(settings, path, "sign_tries_left", SIGN_PASSWORD_MAX_TRIES),
        atr=_get_atr(settings, path),
        blocked_sw=_get_sw(settings, path, "blocked_sw", "6984", allowed=(0x6983, 0x6984)),
        status_sw_when_blocked=_get_sw(settings, path, "status_sw_when_blocked", "63C0", allowed=None),
        apdu_delay_ms=_get_delay(settings, path),
    )


def _read_toml(path: Path) -> dict[str, object]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ProfileError(str(path), None, "missing") from None
    except tomllib.TOMLDecodeError as exc:
        # The decoder's message carries a position, not the offending text, so it cannot leak the PIN.
        raise ProfileError(str(path), None, f"not valid TOML ({exc})") from None


def _get_str(settings: Mapping[str, object], path: str, key: str, *, required: bool) -> str | None:
    if key not in settings:
        if required:
            raise ProfileError(path, key, "missing")
        return None
    value = settings[key]
    if not isinstance(value, str):
        raise ProfileError(path, key, f"must be a string, not {type(value).__name__}")
    return value


def _get_int(settings: Mapping[str, object], path: str, key: str, maximum: int) -> int:
    value = settings.get(key, maximum)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProfileError(path, key, f"must be an integer, not {type(value).__name__}")
    if not 0 <= value <= maximum:
        raise ProfileError(path, key, f"must be 0..{maximum}, got {value}")
    return value


def _get_hex(settings: Mapping[str, object], path: str, key: str, default: str) -> bytes:
    value = settings.get(key, default)
    if not isinstance(value, str):
        raise ProfileError(path, key, f"must be a hex string, not {type(value).__name__}")
    compact = value.replace(" ", "")
    if not _HEX_RE.fullmatch(compact):
        raise ProfileError(path, key, f"not a hex string: {value!r}")
    return bytes.fromhex(compact)


def _get_atr(settings: Mapping[str, object], path: str) -> bytes:
    atr = _get_hex(settings, path, "atr", CONTACT_ATR.hex())
    if not 2 <= len(atr) <= 33 or atr[0] not in (0x3B, 0x3F):
        raise ProfileError(path, "atr", "an ATR is 2..33 bytes starting with 3B or 3F")
    return atr


def _get_sw(
    settings: Mapping[str, object], path: str, key: str, default: str, *, allowed: tuple[int, ...] | None
) -> int:
    raw = _get_hex(settings, path, key, default)
    if len(raw) != 2:
        raise ProfileError(path, key, "a status word is exactly 2 bytes (4 hex digits)")
    sw = int.from_bytes(raw, "big")
    if allowed is not None and sw not in allowed:
        raise ProfileError(path, key, "must be one of " + ", ".join(f"{a:04X}" for a in allowed))
    return sw


def _get_delay(settings: Mapping[str, object], path: str) -> float:
    value = settings.get("apdu_delay_ms", 0.0)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ProfileError(path, "apdu_delay_ms", f"must be a number, not {type(value).__name__}")
    if not math.isfinite(value) or value < 0:
        raise ProfileError(path, "apdu_delay_ms", f"must be a finite number >= 0, got {value}")
    return float(value)


def _load_cert(path: Path) -> x509.Certificate:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ProfileError(str(path), None, "missing") from None
    try:
        cert = x509.load_pem_x509_certificate(data)
    except ValueError:
        raise ProfileError(str(path), None, "not a PEM certificate") from None
    if not isinstance(cert.public_key(), rsa.RSAPublicKey):
        raise ProfileError(str(path), None, "not an RSA certificate")
    return cert


def _load_pair(directory: Path, cert_name: str, key_name: str) -> tuple[bytes, rsa.RSAPrivateKey]:
    cert = _load_cert(directory / cert_name)
    key_path = directory / key_name
    try:
        data = key_path.read_bytes()
    except FileNotFoundError:
        raise ProfileError(str(key_path), None, "missing") from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        # Never chain the original: some parser messages quote input bytes.
        raise ProfileError(str(key_path), None, "not an unencrypted PEM private key") from None
    if not isinstance(key, rsa.RSAPrivateKey) or key.key_size != _KEY_BITS:
        raise ProfileError(str(key_path), None, f"must be an RSA-{_KEY_BITS} key")
    if key.public_key().public_numbers() != cert.public_key().public_numbers():  # type: ignore[union-attr]
        raise ProfileError(str(key_path), None, f"does not match {cert_name}")
    return cert.public_bytes(serialization.Encoding.DER), key


# --------------------------------------------------------------------------------------------- making


@dataclass(frozen=True)
class _Ca:
    cert: x509.Certificate
    key: rsa.RSAPrivateKey


def ensure_test_ca(ca_dir: Path, *, now: datetime) -> None:
    """Create the two test CAs in `ca_dir` unless they exist (a file lock keeps parallel runs consistent)."""
    ca_dir.mkdir(parents=True, exist_ok=True)
    with _locked(ca_dir / ".lock"):
        for kind, purpose in (("auth", "user authentication"), ("sign", "digital signature")):
            if (ca_dir / f"{kind}_ca.pem").exists() and (ca_dir / f"{kind}_ca_key.pem").exists():
                continue
            ca = _new_ca(purpose, now)
            _write(ca_dir / f"{kind}_ca_key.pem", _key_pem(ca.key), private=True)
            _write(ca_dir / f"{kind}_ca.pem", ca.cert.public_bytes(serialization.Encoding.PEM))


def make_profile(
    out: Path,
    ca_dir: Path,
    *,
    now: datetime,
    pin: str = "1234",
    sign_password: str | None = "ABC123",  # noqa: S107 - the test PKI's documented default
    subject_id: str | None = None,
    settings: Mapping[str, str | int | float] | None = None,
) -> CardProfile:
    """Write a complete profile into `out` (created if needed) and return it as loaded back.

    `sign_password=None` makes a card without the 署名用 files. `subject_id` fixes the auth cert's CN
    (random otherwise). `settings` adds card.toml keys (tries left, ATR, blocked SWs, delay); loading the
    result validates them.
    """
    ensure_test_ca(ca_dir, now=now)
    out.mkdir(parents=True, exist_ok=True)
    auth_ca = _read_ca(ca_dir, "auth")
    auth_key = _new_key()
    cn = subject_id if subject_id is not None else secrets.token_hex(10).upper()
    auth_cert = _user_cert(
        auth_ca,
        auth_key,
        x509.Name(
            [x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"), x509.NameAttribute(NameOID.COMMON_NAME, cn)]
        ),
        now=now,
        kind="auth",
        key_usage_nonrepudiation=False,
    )
    _write(out / "auth_key.pem", _key_pem(auth_key), private=True)
    _write(out / "auth_cert.pem", auth_cert.public_bytes(serialization.Encoding.PEM))
    _write(out / "auth_ca.pem", auth_ca.cert.public_bytes(serialization.Encoding.PEM))

    toml: dict[str, str | int | float] = {"pin": pin}
    if sign_password is not None:
        sign_ca = _read_ca(ca_dir, "sign")
        sign_key = _new_key()
        holder = x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
                x509.NameAttribute(NameOID.LOCALITY_NAME, "Fictitious City (test data)"),
                x509.NameAttribute(NameOID.COMMON_NAME, "試験 太郎 (fictitious holder)"),
            ]
        )
        sign_cert = _user_cert(sign_ca, sign_key, holder, now=now, kind="sign", key_usage_nonrepudiation=True)
        _write(out / "sign_key.pem", _key_pem(sign_key), private=True)
        _write(out / "sign_cert.pem", sign_cert.public_bytes(serialization.Encoding.PEM))
        _write(out / "sign_ca.pem", sign_ca.cert.public_bytes(serialization.Encoding.PEM))
        toml["sign_password"] = sign_password
    else:
        for name in _SIGN_FILES:
            (out / name).unlink(missing_ok=True)
    toml.update(settings or {})
    _write(out / "card.toml", _toml_text(toml).encode(), private=True)
    return load_profile(out)


def _toml_text(values: Mapping[str, str | int | float]) -> str:
    lines = ["# Software My Number card profile (test data only). See kiosk/card/profile.py."]
    for key, value in values.items():
        # JSON string escapes are valid TOML basic-string escapes; numbers print the same in both.
        lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write(path: Path, data: bytes, *, private: bool = False) -> None:
    """Write via a temp file and rename so a reader never sees half a key; keys are 0600 from the start."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def _key_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=_KEY_BITS)


def _read_ca(ca_dir: Path, kind: str) -> _Ca:
    cert = x509.load_pem_x509_certificate((ca_dir / f"{kind}_ca.pem").read_bytes())
    key = serialization.load_pem_private_key((ca_dir / f"{kind}_ca_key.pem").read_bytes(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ProfileError(str(ca_dir / f"{kind}_ca_key.pem"), None, "must be an RSA key")
    return _Ca(cert, key)


def _new_ca(purpose: str, now: datetime) -> _Ca:
    key = _new_key()
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "JPKI-TEST"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"JPKI-TEST for {purpose}"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Test PKI - not J-LIS - never trust"),
        ]
    )
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=20 * 365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ski, critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
        .sign(key, hashes.SHA256())
    )
    return _Ca(cert, key)


# A UUID-arc OID (2.25.x) is free for anyone to mint, so the test policy never collides with J-LIS's real arc.
_POLICY_OIDS = {
    "auth": x509.ObjectIdentifier(f"2.25.{uuid.UUID('6a2f3c1e-6b0e-4d7e-9d8f-0a1b2c3d4e5f').int}"),
    "sign": x509.ObjectIdentifier(f"2.25.{uuid.UUID('7b3e4d2f-7c1f-4e8f-8e9a-1b2c3d4e5f60').int}"),
}


def _user_cert(
    ca: _Ca,
    key: rsa.RSAPrivateKey,
    subject: x509.Name,
    *,
    now: datetime,
    kind: str,
    key_usage_nonrepudiation: bool,
) -> x509.Certificate:
    ca_ski = ca.cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=5 * 365))
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=key_usage_nonrepudiation,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.CertificatePolicies(
                [
                    x509.PolicyInformation(
                        _POLICY_OIDS[kind],
                        [
                            f"http://{_TEST_HOST}/cps/{kind}.html",
                            x509.UserNotice(None, f"JPKI-TEST {kind} certificate: test data, no real person"),
                        ],
                    )
                ]
            ),
            critical=False,
        )
        .add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        [x509.UniformResourceIdentifier(f"http://{_TEST_HOST}/crl/{kind}.crl")],
                        None,
                        None,
                        None,
                    )
                ]
            ),
            critical=False,
        )
        .add_extension(
            x509.AuthorityInformationAccess(
                [
                    x509.AccessDescription(
                        AuthorityInformationAccessOID.OCSP,
                        x509.UniformResourceIdentifier(f"http://{_TEST_HOST}/ocsp/{kind}"),
                    )
                ]
            ),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
        .sign(ca.key, hashes.SHA256())
    )
