"""The terminal's site file (TOML): who this terminal is, how it reaches its backend, which keys it pins.

Default `/etc/kiosk/kiosk.toml`, or `$KIOSK_CONFIG`; every `kiosk` command takes `--config FILE`. Relative
paths in the file are relative to the file's own folder, and the models hold them absolute and resolved. Files
are checked when the config is loaded (the TLS files parse, the client key is unencrypted and matches its
certificate, each municipal key is an Ed25519 or P-256 public key), so a bad terminal fails at start-up,
not in front of a resident.

Every problem is a `ConfigError(path, key, problem)` with the dotted key path (`backend.read_timeout`,
`municipalities.999997.document_key`). Problems name bounds and kinds, never values: the file holds
paths to keys, and a mistyped URL may carry a password.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Final, Self
from urllib.parse import SplitResult, urlsplit

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from kiosk.backend.fields import Identifier
from kiosk.backend.verify import MunicipalKey
from kiosk.calendar_config import CalendarConfig
from kiosk.config_file import FieldProblem, config_error, read_toml
from kiosk.errors import ConfigError

__all__ = [
    "CONFIG_ENV",
    "DEFAULT_CONFIG_PATH",
    "BackendSettings",
    "CardSettings",
    "MunicipalitySettings",
    "PinHash",
    "PrinterSettings",
    "SiteConfig",
    "StaffSettings",
    "TerminalSettings",
    "default_config_path",
    "load_public_key",
    "load_site_config",
    "parse_pin_hash",
]

DEFAULT_CONFIG_PATH: Final = Path("/etc/kiosk/kiosk.toml")
CONFIG_ENV: Final = "KIOSK_CONFIG"

_MIB: Final = 1024 * 1024
#: PEM files are a few kilobytes; a bound keeps a mistaken path (a log, an image) from being read whole.
_MAX_PEM_BYTES: Final = _MIB

# Validation context keys: the config file's folder (for relative paths) and its name (for later errors).
_BASE_DIR: Final = "base_dir"
_SOURCE: Final = "source"


def _config_file(value: object, info: ValidationInfo) -> Path:
    """A file path from the TOML: relative to the config file's folder, absolute in the model, existing."""
    if not isinstance(value, str) or not value:
        raise ValueError("must be a non-empty path string")
    path = Path(value)
    if not path.is_absolute():
        base = info.context.get(_BASE_DIR) if info.context else None
        if not isinstance(base, Path):
            raise ValueError("must be an absolute path (no config file to be relative to)")
        path = base / path
    # Canonical (no "..", symlinks followed): the file checked here is the file used later, and it reads
    # the same in every log line.
    try:
        path = path.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        raise ValueError(f"cannot be resolved: {path}") from None
    # Paths are not secrets, and the resolved one is what an operator needs to see to fix a relative path.
    if not path.exists():
        raise ValueError(f"file not found: {path}")
    if not path.is_file():
        raise ValueError(f"not a regular file: {path}")
    return path


def _municipality_code(value: str) -> str:
    if len(value) != 6 or not value.isascii() or not value.isdigit():
        raise ValueError("must be a 6-digit municipality code")
    return value


ConfigFile = Annotated[Path, BeforeValidator(_config_file)]
MunicipalityCode = Annotated[str, AfterValidator(_municipality_code)]


def _no_control_characters(value: str) -> str:
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in value):
        raise ValueError("must not contain control characters")
    return value


ReaderName = Annotated[
    str, StringConstraints(min_length=1, max_length=128), AfterValidator(_no_control_characters)
]


class _Section(BaseModel):
    # strict: TOML already has types, so "3" for a timeout or true for a count is a mistake, not a value.
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, allow_inf_nan=False)


class TerminalSettings(_Section):
    id: Identifier


class BackendSettings(_Section):
    url: str
    ca_file: ConfigFile
    client_cert: ConfigFile
    client_key: ConfigFile
    connect_timeout: Annotated[float, Field(gt=0, le=60)] = 3.0
    read_timeout: Annotated[float, Field(gt=0, le=120)] = 10.0
    max_response_bytes: Annotated[int, Field(ge=1024, le=16 * _MIB)] = _MIB
    max_clock_skew_seconds: Annotated[int, Field(ge=1, le=3600)] = 30
    retries: Annotated[int, Field(ge=0, le=5)] = 2

    @field_validator("url")
    @classmethod
    def _origin_only(cls, value: str) -> str:
        return _https_origin(value)

    @model_validator(mode="after")
    def _tls_files_usable(self) -> Self:
        _check_ca_file(self.ca_file)
        _check_client_pair(self.client_cert, self.client_key)
        return self


class MunicipalitySettings(_Section):
    document_key: ConfigFile
    _key: MunicipalKey = PrivateAttr()

    @model_validator(mode="after")
    def _load_key(self) -> Self:
        # Loaded once here, so a bad key stops the terminal at start-up and a later edit changes nothing.
        self._key = _load_municipal_key(self.document_key)
        return self

    @property
    def key(self) -> MunicipalKey:
        return self._key


class CardSettings(_Section):
    reader: ReaderName | None = None
    timeout: Annotated[float, Field(gt=0, le=120)] = 10.0


class PrinterSettings(_Section):
    """The store printer's CUPS queue (printing/spool.py). Absent: `kiosk issue` needs `--out`."""

    queue: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{1,127}$")]
    #: "host:port" or a socket path of the cupsd; absent: libcups's default (the local scheduler)
    server: Annotated[str, StringConstraints(min_length=1, max_length=255)] | None = None
    progress_timeout: Annotated[float, Field(gt=0, le=3600)] = 120.0
    staff_timeout: Annotated[float, Field(gt=0, le=7200)] = 300.0


# What a `pin_hash` may ask of scrypt: enough to raise the cost later, not enough to stall or exhaust the
# kiosk (kiosk.staff.hash_staff_pin writes N=2**14, r=8, p=1: 16 MiB, ~50 ms).
_MAX_N: Final = 2**20
_MAX_R: Final = 32
_MAX_P: Final = 16
_MAX_SCRYPT_MEMORY: Final = 256 * _MIB


@dataclass(frozen=True, repr=False)
class PinHash:
    """A parsed `pin_hash`. `key` is the derived key, not the PIN: it is kept out of the repr anyway."""

    n: int
    r: int
    p: int
    salt: bytes
    key: bytes

    def text(self) -> str:
        salt = base64.b64encode(self.salt).decode("ascii")
        key = base64.b64encode(self.key).decode("ascii")
        return f"scrypt${self.n}${self.r}${self.p}${salt}${key}"

    def derive(self, pin: bytes | bytearray) -> bytes:
        # maxmem a little above what these parameters need (128·N·r, plus p·128·r): OpenSSL's default
        # (32 MiB) would refuse a larger N that the config is allowed to ask for.
        memory = 128 * self.r * (self.n + self.p + 2) + 1024 * 1024
        return hashlib.scrypt(
            pin, salt=self.salt, n=self.n, r=self.r, p=self.p, maxmem=memory, dklen=len(self.key)
        )

    def __repr__(self) -> str:
        return f"PinHash(n={self.n}, r={self.r}, p={self.p})"


def parse_pin_hash(text: str) -> PinHash:
    """`scrypt$N$r$p$salt_b64$hash_b64`; a ValueError names what is wrong, never the value."""
    parts = text.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        raise ValueError("must be scrypt$N$r$p$salt_b64$hash_b64 (made by `kiosk staff hash-pin`)")
    n, r, p = (_positive_int(name, value) for name, value in zip(("N", "r", "p"), parts[1:4], strict=True))
    if n < 2 or n & (n - 1) or n > _MAX_N:
        raise ValueError(f"N must be a power of 2 from 2 to {_MAX_N}")
    if r > _MAX_R or p > _MAX_P:
        raise ValueError(f"r must be at most {_MAX_R} and p at most {_MAX_P}")
    if 128 * r * (n + p + 2) > _MAX_SCRYPT_MEMORY:
        raise ValueError(f"N and r need more than {_MAX_SCRYPT_MEMORY // (1024 * 1024)} MiB")
    salt = _base64("salt", parts[4])
    key = _base64("hash", parts[5])
    if not 16 <= len(salt) <= 64 or not 16 <= len(key) <= 64:
        raise ValueError("salt and hash must each be 16 to 64 bytes")
    return PinHash(n=n, r=r, p=p, salt=salt, key=key)


def _positive_int(name: str, value: str) -> int:
    if not value.isascii() or not value.isdigit() or len(value) > 8 or int(value) < 1:
        raise ValueError(f"{name} must be a positive integer")
    return int(value)


def _base64(name: str, value: str) -> bytes:
    try:
        return base64.b64decode(value.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error):
        raise ValueError(f"{name} must be standard base64") from None


class StaffSettings(_Section):
    """Staff (maintenance) mode (kiosk/staff.py). Absent: staff mode cannot be entered on this terminal."""

    #: `scrypt$N$r$p$salt_b64$hash_b64`, from `kiosk staff hash-pin`; never the PIN itself. Out of the repr:
    #: not the PIN, but a short PIN falls to a brute force of its hash, so it has no business in a log.
    pin_hash: Annotated[str, Field(repr=False)]
    max_attempts: Annotated[int, Field(ge=1, le=20)] = 5
    lockout_seconds: Annotated[int, Field(ge=1, le=86400)] = 300
    _pin: PinHash = PrivateAttr()

    @field_validator("pin_hash")
    @classmethod
    def _well_formed(cls, value: str) -> str:
        parse_pin_hash(value)  # its ValueError names the problem, never the value
        return value

    @model_validator(mode="after")
    def _parse(self) -> Self:
        # Parsed once here, like the municipal keys: a later edit of the file changes nothing until restart.
        self._pin = parse_pin_hash(self.pin_hash)
        return self

    @property
    def pin(self) -> PinHash:
        return self._pin


class SiteConfig(_Section):
    terminal: TerminalSettings
    backend: BackendSettings
    municipalities: Annotated[dict[MunicipalityCode, MunicipalitySettings], Field(min_length=1)]
    card: CardSettings = CardSettings()
    printer: PrinterSettings | None = None
    staff: StaffSettings | None = None
    calendar: CalendarConfig = Field(default_factory=lambda: CalendarConfig.from_mapping({}))
    _source: str = PrivateAttr(default="<site config>")

    @field_validator("calendar", mode="before")
    @classmethod
    def _calendar_table(cls, value: object, info: ValidationInfo) -> object:
        # The [calendar] table has its own loader, rules and key paths (kiosk.calendar_config); its
        # ConfigError passes through pydantic untouched, already naming this file and the key.
        if isinstance(value, CalendarConfig):
            return value
        if not isinstance(value, Mapping):
            raise ValueError("must be a table")  # noqa: TRY004 - pydantic reports ValueErrors as field errors
        source = info.context.get(_SOURCE) if info.context else None
        named = source if isinstance(source, str) else "<site config>"
        return CalendarConfig.from_mapping(value, source=named)

    @model_validator(mode="after")
    def _remember_source(self, info: ValidationInfo) -> Self:
        source = info.context.get(_SOURCE) if info.context else None
        if isinstance(source, str):
            self._source = source
        return self

    def municipal_key(self, code: str) -> MunicipalKey:
        """The pinned document-signing key of municipality `code` (6 digits)."""
        settings = self.municipalities.get(code)
        if settings is None:
            raise ConfigError(self._source, f"municipalities.{code}", "no pinned key")
        return settings.key


def default_config_path(environ: Mapping[str, str]) -> Path:
    """`$KIOSK_CONFIG` when set and not empty, else /etc/kiosk/kiosk.toml."""
    value = environ.get(CONFIG_ENV, "")
    return Path(value) if value else DEFAULT_CONFIG_PATH


def load_site_config(path: Path) -> SiteConfig:
    """Read and check the site file; every problem is a ConfigError naming the file and the key path."""
    data = read_toml(path)
    context = {_BASE_DIR: path.absolute().parent, _SOURCE: str(path)}
    try:
        return SiteConfig.model_validate(data, context=context)
    except ValidationError as error:
        raise config_error(str(path), error) from None


def _https_origin(value: str) -> str:
    """`https://host[:port]`, no trailing slash; problems never repeat the URL (it may hold a password)."""
    if not value.isascii() or any(ord(char) <= 0x20 or ord(char) == 0x7F for char in value):
        raise ValueError("must be an ASCII URL without spaces or control characters")
    parts = urlsplit(value)
    if parts.scheme.lower() != "https":
        raise ValueError("must be an https:// URL")
    if "@" in parts.netloc:
        raise ValueError("must not contain user info")
    if parts.query or "?" in value:
        raise ValueError("must not have a query")
    if parts.fragment or "#" in value:
        raise ValueError("must not have a fragment")
    if parts.path not in ("", "/"):
        raise ValueError("must not have a path")
    _check_host_and_port(parts)
    return f"https://{parts.netloc}"


def _check_host_and_port(parts: SplitResult) -> None:
    if not parts.hostname:
        raise ValueError("must name a host")
    try:
        parts.port  # noqa: B018  # urlsplit checks the port only when it is asked for
    except ValueError:
        raise ValueError("has an invalid port") from None


def _read_pem(field: str, path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            data = handle.read(_MAX_PEM_BYTES + 1)
    except OSError as error:
        raise FieldProblem(field, f"cannot be read ({type(error).__name__})") from None
    if len(data) > _MAX_PEM_BYTES:
        raise FieldProblem(field, f"larger than {_MAX_PEM_BYTES} bytes")
    return data


def _check_ca_file(path: Path) -> None:
    try:
        x509.load_pem_x509_certificates(_read_pem("ca_file", path))
    except ValueError:
        raise FieldProblem("ca_file", "not a PEM certificate file") from None


def _check_client_pair(cert_path: Path, key_path: Path) -> None:
    try:
        certificate = x509.load_pem_x509_certificates(_read_pem("client_cert", cert_path))[0]
    except ValueError:
        raise FieldProblem("client_cert", "not a PEM certificate file") from None
    key_pem = _read_pem("client_key", key_path)
    try:
        key = serialization.load_pem_private_key(key_pem, password=None)
    except TypeError:
        # OpenSSL would prompt for the passphrase on the terminal at the first connection: a hung kiosk.
        raise FieldProblem("client_key", "is encrypted; the kiosk cannot enter a passphrase") from None
    except (ValueError, UnsupportedAlgorithm):
        raise FieldProblem("client_key", "not a PEM private key") from None
    if _spki(certificate.public_key()) != _spki(key.public_key()):
        raise FieldProblem("client_key", "does not match client_cert")


def _spki(key: PublicKeyTypes) -> bytes:
    return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def load_public_key(path: Path, what: str) -> MunicipalKey:
    """A municipality's public key from a PEM file named on a command line (`kiosk verify --key`)."""
    try:
        return _load_municipal_key(path)
    except FieldProblem as problem:
        raise ConfigError(str(path), what, problem.problem) from None


def _load_municipal_key(path: Path) -> MunicipalKey:
    data = _read_pem("document_key", path)
    if b"PRIVATE KEY-----" in data:
        # A signing key has no business on a store terminal; say so rather than "not a public key".
        raise FieldProblem("document_key", "holds a private key; pin the public key only")
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm):
        raise FieldProblem("document_key", "not a PEM public key") from None
    if isinstance(key, Ed25519PublicKey):
        return key
    if isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP256R1):
        return key
    raise FieldProblem("document_key", "not an Ed25519 or P-256 public key")
