"""The terminal's site file (TOML): who this terminal is, how it reaches its backend, which keys it pins.

Default `/etc/kiosk/kiosk.toml`, or `$KIOSK_CONFIG`; every `kiosk` command takes `--config FILE`. The config
in force is three layers deep-merged (tables key by key, any other value, lists too, replaced): the shipped
defaults (`config/default.toml`), the site file, then the operator's signed bundle accepted by
`kiosk config sync` (kiosk.config_bundle), which may only set a few keys. The site file must be valid on
its own; the merged result is validated again, and a problem names the file of the layer that set the key.
Relative paths in the file are relative to the file's own folder, and the models hold them absolute and
resolved. Files are checked when the config is loaded (the TLS files parse, the client key is unencrypted and
matches its certificate, each municipal key is an Ed25519 or P-256 public key), so a bad terminal fails at
start-up, not in front of a resident.

Every problem is a `ConfigError(path, key, problem)` with the dotted key path (`backend.read_timeout`,
`municipalities.999997.document_key`). Problems name bounds and kinds, never values: the file holds
paths to keys, and a mistyped URL may carry a password.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
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

from kiosk.backend.api import MAX_COPIES, Offer, OptionCode, RefusalReason
from kiosk.backend.fields import Identifier
from kiosk.backend.verify import MunicipalKey
from kiosk.calendar_config import DOCUMENT_TYPES, CalendarConfig
from kiosk.config_bundle import (
    CURRENT_NAME,
    BundleError,
    VerifiedBundle,
    bundle_config_data,
    read_bundle_file,
    verify_bundle,
)
from kiosk.config_file import (
    FieldProblem,
    Layer,
    MergedLayers,
    config_error,
    merge_layers,
    read_toml_file,
)
from kiosk.errors import ConfigError, KioskError

__all__ = [
    "CONFIG_ENV",
    "DEFAULT_CONFIG_PATH",
    "DEFAULT_LAYER_FILE",
    "DEFAULT_STATE_DIR",
    "REDACTED_KEYS",
    "AcceptedConfig",
    "BackendSettings",
    "CardSettings",
    "DocumentPolicy",
    "EffectiveConfig",
    "EffectiveEntry",
    "LayerInfo",
    "MunicipalitySettings",
    "OperatorSettings",
    "PinHash",
    "PrinterSettings",
    "SiteConfig",
    "StaffSettings",
    "TerminalSettings",
    "check_bundle_candidate",
    "default_config_path",
    "effective_config",
    "load_public_key",
    "load_site_config",
    "load_site_layer",
    "parse_pin_hash",
    "reload_if_changed",
]

DEFAULT_CONFIG_PATH: Final = Path("/etc/kiosk/kiosk.toml")
CONFIG_ENV: Final = "KIOSK_CONFIG"
#: The lowest layer: every default the schema has, written out (tests/unit/test_config_layers.py checks it).
DEFAULT_LAYER_FILE: Final = Path(__file__).resolve().parent.parent / "config" / "default.toml"
#: Where accepted bundles live when `[operator]` does not say.
DEFAULT_STATE_DIR: Final = Path("/var/lib/kiosk/config")
#: Values `kiosk config show` never prints (a short staff PIN falls to a brute force of its hash).
REDACTED_KEYS: Final = frozenset({"staff.pin_hash"})

_log = logging.getLogger(__name__)

_MIB: Final = 1024 * 1024
#: PEM files are a few kilobytes; a bound keeps a mistaken path (a log, an image) from being read whole.
_MAX_PEM_BYTES: Final = _MIB

# Validation context keys: the config file's folder (for relative paths) and its name (for later errors).
_BASE_DIR: Final = "base_dir"
_SOURCE: Final = "source"
_FINGERPRINT: Final = "fingerprint"
_MAX_VERSION: Final = 2**53


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


def _config_dir(value: object, info: ValidationInfo) -> Path:
    """A folder path from the TOML, relative to the config file's folder; it need not exist yet."""
    if not isinstance(value, str) or not value:
        raise ValueError("must be a non-empty path string")
    path = Path(value)
    if not path.is_absolute():
        base = info.context.get(_BASE_DIR) if info.context else None
        if not isinstance(base, Path):
            raise ValueError("must be an absolute path (no config file to be relative to)")
        path = base / path
    try:
        path = path.resolve()
    except (OSError, RuntimeError):
        raise ValueError(f"cannot be resolved: {path}") from None
    if path.exists() and not path.is_dir():
        raise ValueError(f"not a directory: {path}")
    return path


def _municipality_code(value: str) -> str:
    if len(value) != 6 or not value.isascii() or not value.isdigit():
        raise ValueError("must be a 6-digit municipality code")
    return value


def _document_type(value: str) -> str:
    if value not in DOCUMENT_TYPES:
        raise ValueError(f"unknown document type (known: {', '.join(DOCUMENT_TYPES)})")
    return value


def _as_tuple(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


ConfigFile = Annotated[Path, BeforeValidator(_config_file)]
ConfigDir = Annotated[Path, BeforeValidator(_config_dir)]
MunicipalityCode = Annotated[str, AfterValidator(_municipality_code)]
DocumentTypeName = Annotated[str, AfterValidator(_document_type)]
OptionValues = Annotated[
    tuple[OptionCode, ...], BeforeValidator(_as_tuple), Field(min_length=1, max_length=16)
]


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


class DocumentPolicy(_Section):
    """`[municipalities."CODE".documents.TYPE]`: what this terminal offers of one municipality's document.

    The backend decides fees, options and copy limits per resident; this table can only narrow what the
    terminal offers (`restrict`), and states the fee the operator expects so that a different one is caught.
    """

    #: false: this terminal does not offer the document (greyed, `not-offered`)
    offered: bool = True
    #: the per-copy fee the terminal expects; an offer with another fee is not offered. Absent: no check.
    fee_yen: Annotated[int, Field(ge=0, le=100_000)] | None = None
    #: at most this many copies here (the lower of this and the backend's limit)
    max_copies: Annotated[int, Field(ge=1, le=MAX_COPIES)] | None = None
    #: option key → the values offered here; the backend's default must stay among them. Absent key: all.
    options: Annotated[dict[OptionCode, OptionValues], Field(max_length=16)] = Field(default_factory=dict)

    def restrict(self, offer: Offer) -> Offer:
        """The backend's `offer` narrowed to this policy; `not-offered` when nothing acceptable is left."""
        if not offer.available:
            return offer
        refused = offer.model_copy(update={"available": False, "refusal": RefusalReason.NOT_OFFERED})
        if not self.offered or (self.fee_yen is not None and offer.fee_yen != self.fee_yen):
            return refused
        options = []
        for option in offer.options:
            wanted = self.options.get(option.key)
            if wanted is None:
                options.append(option)
                continue
            allowed = tuple(value for value in option.allowed if value in wanted)
            if option.default not in allowed:
                return refused
            options.append(option.model_copy(update={"allowed": allowed}))
        copies = offer.max_copies if self.max_copies is None else min(offer.max_copies, self.max_copies)
        return offer.model_copy(update={"options": tuple(options), "max_copies": copies})


class MunicipalitySettings(_Section):
    document_key: ConfigFile
    #: document type → this terminal's policy for it; a type not listed is offered as the backend says
    documents: dict[DocumentTypeName, DocumentPolicy] = Field(default_factory=dict)
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


class OperatorSettings(_Section):
    """`[operator]`: the operator's signed config bundles (kiosk.config_bundle). Absent: no bundle applies."""

    #: the operator's Ed25519 public key (PEM) that every bundle must be signed with
    bundle_key: ConfigFile
    #: where `kiosk config sync` fetches from when given no --url (https only)
    bundle_url: str | None = None
    #: where accepted bundles are kept (current.json, last-good.json); created by the first sync
    state_dir: ConfigDir = DEFAULT_STATE_DIR
    _public_key: Ed25519PublicKey = PrivateAttr()

    @field_validator("bundle_url")
    @classmethod
    def _https_url(cls, value: str | None) -> str | None:
        return None if value is None else _https_url(value)

    @model_validator(mode="after")
    def _load_key(self) -> Self:
        self._public_key = _load_bundle_key(self.bundle_key)
        return self

    @property
    def bundle_public_key(self) -> Ed25519PublicKey:
        return self._public_key


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
    #: the config's version: the accepted bundle's when one is applied, else the site file's (default 0)
    version: Annotated[int, Field(ge=0, le=_MAX_VERSION)] = 0
    terminal: TerminalSettings
    backend: BackendSettings
    municipalities: Annotated[dict[MunicipalityCode, MunicipalitySettings], Field(min_length=1)]
    card: CardSettings = CardSettings()
    printer: PrinterSettings | None = None
    staff: StaffSettings | None = None
    operator: OperatorSettings | None = None
    calendar: CalendarConfig = Field(default_factory=lambda: CalendarConfig.from_mapping({}))
    _source: str = PrivateAttr(default="<site config>")
    _fingerprint: str = PrivateAttr(default="")

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
        fingerprint = info.context.get(_FINGERPRINT) if info.context else None
        if isinstance(fingerprint, str):
            self._fingerprint = fingerprint
        return self

    @property
    def source(self) -> str:
        """The site file this config was loaded from."""
        return self._source

    @property
    def fingerprint(self) -> str:
        """SHA-256 over the layers' files as loaded; `reload_if_changed` compares it. Empty if not loaded."""
        return self._fingerprint

    def municipal_key(self, code: str) -> MunicipalKey:
        """The pinned document-signing key of municipality `code` (6 digits)."""
        settings = self.municipalities.get(code)
        if settings is None:
            raise ConfigError(self._source, f"municipalities.{code}", "no pinned key")
        return settings.key

    def document_policy(self, code: str, document_type: str) -> DocumentPolicy:
        """This terminal's policy for `document_type` of municipality `code`; the permissive one if none."""
        settings = self.municipalities.get(code)
        policy = settings.documents.get(document_type) if settings is not None else None
        return policy if policy is not None else DocumentPolicy()

    def restrict_offer(self, code: str, offer: Offer) -> Offer:
        """The backend's `offer` for municipality `code`, narrowed by this terminal's document policy."""
        return self.document_policy(code, str(offer.document_type)).restrict(offer)


def default_config_path(environ: Mapping[str, str]) -> Path:
    """`$KIOSK_CONFIG` when set and not empty, else /etc/kiosk/kiosk.toml."""
    value = environ.get(CONFIG_ENV, "")
    return Path(value) if value else DEFAULT_CONFIG_PATH


def load_site_config(path: Path) -> SiteConfig:
    """The config in force: the defaults, the site file `path`, then the accepted bundle if there is one.

    Every problem is a ConfigError naming the file of the layer at fault and the dotted key path.
    """
    return effective_config(path).config


def load_site_layer(path: Path) -> SiteConfig:
    """The defaults and the site file only, without any bundle (what `kiosk config sync` trusts)."""
    return _load_layers(path, bundle=None, use_accepted=False).config


def check_bundle_candidate(path: Path, bundle: VerifiedBundle) -> SiteConfig:
    """The config that `bundle` (verified, not yet accepted) would make on top of the site file `path`."""
    return _load_layers(path, bundle=bundle, use_accepted=False).config


def effective_config(path: Path) -> EffectiveConfig:
    """`load_site_config`, with each value's layer (`kiosk config show --effective`)."""
    return _load_layers(path, bundle=None, use_accepted=True)


@dataclass(frozen=True)
class LayerInfo:
    """One layer of the config in force: `name` is default, site or bundle; `version` a bundle's."""

    name: str
    path: str
    sha256: str
    version: int | None = None

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "path": self.path, "sha256": self.sha256, "version": self.version}


@dataclass(frozen=True)
class EffectiveEntry:
    """One value of the merged config: dotted key, value (JSON-safe; redacted keys hidden), its layer."""

    key: str
    value: object
    layer: str


@dataclass(frozen=True)
class EffectiveConfig:
    config: SiteConfig
    layers: tuple[LayerInfo, ...]
    merged: MergedLayers

    def entries(self) -> list[EffectiveEntry]:
        """Every value the layers set, in file order (defaults the schema fills in silently are not listed:
        config/default.toml writes them all out)."""
        return [
            EffectiveEntry(key, "<redacted>" if key in REDACTED_KEYS else _jsonable(value), layer.name)
            for key, value, layer in self.merged.leaves()
        ]

    def to_dict(self) -> dict[str, object]:
        return {
            "version": self.config.version,
            "layers": [layer.to_dict() for layer in self.layers],
            "values": {entry.key: {"value": entry.value, "layer": entry.layer} for entry in self.entries()},
        }


def _jsonable(value: object) -> object:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): _jsonable(item) for key, item in value.items()}
    return value


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _fingerprint(*parts: bytes | None) -> str:
    digest = hashlib.sha256()
    for part in parts:
        # Length-prefixed, and "no file" differs from an empty one: adding a bundle is a change.
        digest.update(b"-" if part is None else len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


def _load_layers(path: Path, *, bundle: VerifiedBundle | None, use_accepted: bool) -> EffectiveConfig:
    default_path = DEFAULT_LAYER_FILE
    default_data, default_raw = read_toml_file(default_path)
    site_data, site_raw = read_toml_file(path)
    default = Layer("default", str(default_path), default_data)
    site = Layer("site", str(path), site_data)
    layers = [
        LayerInfo("default", str(default_path), _sha256(default_raw)),
        LayerInfo("site", str(path), _sha256(site_raw)),
    ]
    base_dir = path.absolute().parent
    base, merged = _validate_layers(
        [default, site], site, base_dir, _fingerprint(default_raw, site_raw, None)
    )
    if bundle is not None:
        source = f"<config bundle version {bundle.version}>"
    elif use_accepted and base.operator is not None:
        current = base.operator.state_dir / CURRENT_NAME
        source = str(current)
        bundle = _accepted_bundle(current, base)
        if bundle is None:
            return EffectiveConfig(base, tuple(layers), merged)
    else:
        return EffectiveConfig(base, tuple(layers), merged)
    upper = Layer("bundle", source, bundle_config_data(bundle.envelope, source))
    layers.append(LayerInfo("bundle", source, bundle.sha256, bundle.version))
    fingerprint = _fingerprint(default_raw, site_raw, bundle.raw)
    config, merged = _validate_layers([default, site, upper], site, base_dir, fingerprint)
    return EffectiveConfig(config, tuple(layers), merged)


def _accepted_bundle(current: Path, base: SiteConfig) -> VerifiedBundle | None:
    """`current.json`, verified again: the state folder is only as trustworthy as its permissions."""
    assert base.operator is not None  # noqa: S101 - the caller checked
    try:
        data = read_bundle_file(current)
        if data is None:
            return None
        bundle = verify_bundle(data, base.operator.bundle_public_key)
    except BundleError as error:
        raise ConfigError(str(current), None, f"{error.reason}: {error.detail}") from None
    if not bundle.envelope.applies_to(base.terminal.id):
        raise ConfigError(str(current), "terminal_scope", f"does not include terminal {base.terminal.id}")
    return bundle


def _validate_layers(
    layers: list[Layer], primary: Layer, base_dir: Path, fingerprint: str
) -> tuple[SiteConfig, MergedLayers]:
    merged = merge_layers(layers, primary=primary)
    try:
        return _validate(merged, base_dir, fingerprint), merged
    except ConfigError as error:
        if layers[0].name != "default" or error.path != layers[0].source:
            raise
        # A rule between two keys (`close` after `open`) blames the key it names, which may hold a default
        # that is fine on its own. default.toml states the schema's defaults, so the same layers without it
        # tell whether it really is at fault; if they fail too, their error names the culprit.
        try:
            _validate(merge_layers(layers[1:], primary=primary), base_dir, fingerprint)
        except ConfigError as without:
            raise without from None
        raise


def _validate(merged: MergedLayers, base_dir: Path, fingerprint: str) -> SiteConfig:
    context = {_BASE_DIR: base_dir, _SOURCE: merged.primary.source, _FINGERPRINT: fingerprint}
    try:
        return SiteConfig.model_validate(merged.data, context=context)
    except ValidationError as error:
        raise merged.reattribute(config_error(merged.primary.source, error)) from None
    except ConfigError as error:
        # The [calendar] table's own loader names the site file; the key may have come from another layer.
        if error.path == merged.primary.source and error.key is not None:
            raise merged.reattribute(error) from None
        raise


def _current_fingerprint(path: Path, state_dir: Path | None) -> str | None:
    """The fingerprint the layers' files would give now; None when one cannot be read."""
    try:
        default_raw = DEFAULT_LAYER_FILE.read_bytes()
        site_raw = path.read_bytes()
        bundle_raw = read_bundle_file(state_dir / CURRENT_NAME) if state_dir is not None else None
    except (OSError, KioskError):
        return None
    return _fingerprint(default_raw, site_raw, bundle_raw)


def reload_if_changed(current: SiteConfig, path: Path) -> SiteConfig | None:
    """The config now in force when a layer's file changed since `current` was loaded, else None.

    For the running kiosk, between transactions (never during one). A changed config that does not load is
    logged and ignored: the terminal keeps `current` (and tries again at the next call).
    """
    state_dir = current.operator.state_dir if current.operator is not None else None
    now = _current_fingerprint(path, state_dir)
    if now is not None and now == current.fingerprint:
        return None
    try:
        loaded = load_site_config(path)
    except KioskError as error:
        _log.warning("config not reloaded, keeping version %d: %s", current.version, error)
        return None
    if loaded.fingerprint == current.fingerprint:
        return None
    return loaded


class AcceptedConfig:
    """The config in force for a long-running kiosk: `refresh()` between transactions picks up a newly
    accepted bundle (or an edited site file). Not thread-safe: call it from the thread that owns the flow."""

    def __init__(self, path: Path, config: SiteConfig | None = None) -> None:
        self._path = path
        self._config = config if config is not None else load_site_config(path)
        self._failed: str | None = None

    @property
    def path(self) -> Path:
        return self._path

    @property
    def config(self) -> SiteConfig:
        return self._config

    def refresh(self) -> SiteConfig | None:
        """The new config if it changed (and loads), else None; the same broken change is logged once."""
        state_dir = self._config.operator.state_dir if self._config.operator is not None else None
        now = _current_fingerprint(self._path, state_dir)
        if now is not None and now in (self._config.fingerprint, self._failed):
            return None
        try:
            loaded = load_site_config(self._path)
        except KioskError as error:
            if now is None or now != self._failed:
                _log.warning("config not reloaded, keeping version %d: %s", self._config.version, error)
            self._failed = now
            return None
        self._failed = None
        if loaded.fingerprint == self._config.fingerprint:
            return None
        self._config = loaded
        return loaded


def _https_url(value: str) -> str:
    """An https:// URL with a path allowed (a bundle's address); no user info, fragment or control chars."""
    _https_parts(value)
    return value


def _https_origin(value: str) -> str:
    """`https://host[:port]`, no trailing slash; problems never repeat the URL (it may hold a password)."""
    parts = _https_parts(value)
    if parts.query or "?" in value:
        raise ValueError("must not have a query")
    if parts.path not in ("", "/"):
        raise ValueError("must not have a path")
    return f"https://{parts.netloc}"


def _https_parts(value: str) -> SplitResult:
    """The checks every https URL in the config passes; the messages never quote the value."""
    if not value.isascii() or any(ord(char) <= 0x20 or ord(char) == 0x7F for char in value):
        raise ValueError("must be an ASCII URL without spaces or control characters")
    parts = urlsplit(value)
    if parts.scheme.lower() != "https":
        raise ValueError("must be an https:// URL")
    if "@" in parts.netloc:
        raise ValueError("must not contain user info")
    if parts.fragment or "#" in value:
        raise ValueError("must not have a fragment")
    _check_host_and_port(parts)
    return parts


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


def _load_bundle_key(path: Path) -> Ed25519PublicKey:
    data = _read_pem("bundle_key", path)
    if b"PRIVATE KEY-----" in data:
        raise FieldProblem("bundle_key", "holds a private key; pin the operator's public key only")
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm):
        raise FieldProblem("bundle_key", "not a PEM public key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise FieldProblem("bundle_key", "not an Ed25519 public key")
    return key


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
