"""The operator's remote config bundle: a signed, versioned overlay on the site file (docs/config.md).

A bundle is JSON, `{"envelope_b64": ..., "signature_b64": ...}`. The envelope is the exact bytes that were
signed: a JSON object `{"format": 1, "version": N, "issued_at": "...Z", "terminal_scope": "*" | [ids],
"config": "<TOML text>"}`. The signature is Ed25519 over `SIGNATURE_CONTEXT || envelope bytes`, made with the
operator's key (`kiosk config sign`) and checked with the public key pinned in the site file
(`[operator] bundle_key`).

A bundle may only set the keys of `BUNDLE_ALLOWLIST`: the service calendar, what each municipality's documents
look like at this terminal, the printer's timeouts. It can never repoint the terminal's TLS files, its
backend or a pinned key. `kiosk config sync` fetches one, refuses a bad signature, an older version, another
terminal's bundle or content that does not make a valid effective config, then installs it atomically as
`current.json` in `[operator] state_dir`, keeping the one it replaces as `last-good.json`.
`kiosk.settings.load_site_config` applies `current.json` (verified again at every load).

Every refusal is a `BundleError` whose `reason` is one of `REASONS`.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Final, Literal
from urllib.parse import urlsplit

import requests
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from kiosk.backend.fields import Identifier
from kiosk.config_file import key_path, parse_toml
from kiosk.errors import ConfigError, KioskError

if TYPE_CHECKING:
    from kiosk.settings import SiteConfig

__all__ = [
    "BUNDLE_ALLOWLIST",
    "BUNDLE_FORMAT",
    "CURRENT_NAME",
    "LAST_GOOD_NAME",
    "MAX_BUNDLE_BYTES",
    "REASONS",
    "SIGNATURE_CONTEXT",
    "BundleError",
    "Envelope",
    "SyncResult",
    "VerifiedBundle",
    "accept_bundle",
    "accepted_version",
    "bundle_config_data",
    "check_allowed",
    "fetch_bundle",
    "install_bundle",
    "load_bundle_private_key",
    "load_bundle_public_key",
    "read_bundle_file",
    "sign_bundle",
    "sync_bundle",
    "verify_bundle",
    "write_atomically",
]

BUNDLE_FORMAT: Final = 1
#: Domain separation: a signature over a config bundle can never pass for any other signed thing.
SIGNATURE_CONTEXT: Final = b"konbini-kiosk/config-bundle/v1\x00"
#: A bundle is a few kilobytes of TOML; anything near this bound is a mistake or an attack.
MAX_BUNDLE_BYTES: Final = 1024 * 1024
CURRENT_NAME: Final = "current.json"
LAST_GOOD_NAME: Final = "last-good.json"
#: The key paths a bundle may set (with everything under them); `*` is any one table name.
BUNDLE_ALLOWLIST: Final = (
    "version",
    "calendar",
    "municipalities.*.documents",
    "printer.progress_timeout",
    "printer.staff_timeout",
)
REASONS: Final = (
    "bad-signature",
    "rollback",
    "wrong-terminal",
    "invalid-content",
    "too-large",
    "unreachable",
)

_MAX_PEM_BYTES: Final = 64 * 1024
_MAX_VERSION: Final = 2**53  # JSON integers stay exact up to here
_CONNECT_TIMEOUT: Final = 10.0
_READ_TIMEOUT: Final = 30.0


class BundleError(KioskError):
    """A config bundle was refused (or could not be fetched); `reason` is one of `REASONS`.

    `detail` names rules, keys and versions, never the bundle's values or a URL (it may carry a token).
    """

    code = "config-bundle-refused"
    reported = ("reason", "detail")

    def __init__(self, reason: str, detail: str) -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"config bundle refused ({reason}): {detail}")


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class _Wrapper(_Strict):
    envelope_b64: str
    signature_b64: str


class Envelope(_Strict):
    """What the operator signed."""

    format: Literal[1]
    version: Annotated[int, Field(ge=1, le=_MAX_VERSION)]
    issued_at: Annotated[AwareDatetime, Field(strict=False)]
    terminal_scope: Literal["*"] | Annotated[tuple[Identifier, ...], Field(min_length=1, max_length=10_000)]
    config: Annotated[str, Field(max_length=MAX_BUNDLE_BYTES)]

    def applies_to(self, terminal_id: str) -> bool:
        return self.terminal_scope == "*" or terminal_id in self.terminal_scope


@dataclass(frozen=True)
class VerifiedBundle:
    """A bundle whose signature verified with the pinned key: its exact bytes and what they say."""

    raw: bytes
    envelope: Envelope

    @property
    def version(self) -> int:
        return self.envelope.version

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()


# ---------------------------------------------------------------------------------------------------------
# Keys


def load_bundle_public_key(path: Path, *, source: str, key: str) -> Ed25519PublicKey:
    """The operator's pinned Ed25519 public key (PEM); a ConfigError names `source` and `key`."""
    data = _read_small(path, source, key)
    if b"PRIVATE KEY-----" in data:
        raise ConfigError(source, key, "holds a private key; pin the public key only")
    try:
        loaded = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm):
        raise ConfigError(source, key, "not a PEM public key") from None
    if not isinstance(loaded, Ed25519PublicKey):
        raise ConfigError(source, key, "not an Ed25519 public key")
    return loaded


def load_bundle_private_key(path: Path) -> Ed25519PrivateKey:
    """The operator's signing key (unencrypted PKCS#8 PEM, e.g. `openssl genpkey -algorithm ed25519`)."""
    data = _read_small(path, str(path), None)
    try:
        loaded = serialization.load_pem_private_key(data, password=None)
    except TypeError:
        raise ConfigError(str(path), None, "is encrypted; decrypt it for signing") from None
    except (ValueError, UnsupportedAlgorithm):
        raise ConfigError(str(path), None, "not a PEM private key") from None
    if not isinstance(loaded, Ed25519PrivateKey):
        raise ConfigError(str(path), None, "not an Ed25519 private key")
    return loaded


def _read_small(path: Path, source: str, key: str | None) -> bytes:
    try:
        with path.open("rb") as handle:
            data = handle.read(_MAX_PEM_BYTES + 1)
    except OSError as error:
        raise ConfigError(source, key, f"cannot be read ({type(error).__name__})") from None
    if len(data) > _MAX_PEM_BYTES:
        raise ConfigError(source, key, f"larger than {_MAX_PEM_BYTES} bytes")
    return data


# ---------------------------------------------------------------------------------------------------------
# Signing and verifying


def sign_bundle(
    private_key: Ed25519PrivateKey,
    *,
    version: int,
    config_text: str,
    terminals: Sequence[str] | None = None,
    issued_at: datetime | None = None,
) -> bytes:
    """The bundle file's bytes. `terminals` None: every terminal ("*"). The config is not checked here."""
    when = (issued_at or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    scope: object = "*" if terminals is None else list(terminals)
    fields = {
        "format": BUNDLE_FORMAT,
        "version": version,
        "issued_at": when.isoformat().replace("+00:00", "Z"),
        "terminal_scope": scope,
        "config": config_text,
    }
    try:
        Envelope.model_validate_json(json.dumps(fields))
    except ValidationError as error:
        item = error.errors(include_url=False, include_input=False)[0]
        raise ConfigError("<bundle envelope>", key_path([str(p) for p in item["loc"]]), item["msg"]) from None
    envelope = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    signature = private_key.sign(SIGNATURE_CONTEXT + envelope)
    wrapper = {
        "envelope_b64": base64.b64encode(envelope).decode("ascii"),
        "signature_b64": base64.b64encode(signature).decode("ascii"),
    }
    return (json.dumps(wrapper, indent=1) + "\n").encode("ascii")


def verify_bundle(data: bytes, public_key: Ed25519PublicKey) -> VerifiedBundle:
    """Check size, shape and signature, then read the envelope: nothing in it is read before the signature."""
    if len(data) > MAX_BUNDLE_BYTES:
        raise BundleError("too-large", f"larger than {MAX_BUNDLE_BYTES} bytes")
    try:
        wrapper = _Wrapper.model_validate_json(data)
        envelope_bytes = base64.b64decode(wrapper.envelope_b64.encode("ascii"), validate=True)
        signature = base64.b64decode(wrapper.signature_b64.encode("ascii"), validate=True)
    except (ValidationError, UnicodeEncodeError, binascii.Error):
        raise BundleError("invalid-content", "not a bundle file ({envelope_b64, signature_b64})") from None
    try:
        public_key.verify(signature, SIGNATURE_CONTEXT + envelope_bytes)
    except InvalidSignature:
        raise BundleError("bad-signature", "the signature does not verify with operator.bundle_key") from None
    try:
        envelope = Envelope.model_validate_json(envelope_bytes)
    except ValidationError as error:
        item = error.errors(include_url=False, include_input=False)[0]
        where = key_path([str(part) for part in item["loc"]]) or "envelope"
        raise BundleError("invalid-content", f"envelope {where}: {item['msg']}") from None
    return VerifiedBundle(raw=data, envelope=envelope)


# ---------------------------------------------------------------------------------------------------------
# What a bundle may set


def check_allowed(data: Mapping[str, object], source: str) -> None:
    """A ConfigError naming the first key of `data` (a bundle's TOML) outside `BUNDLE_ALLOWLIST`."""
    patterns = [tuple(pattern.split(".")) for pattern in BUNDLE_ALLOWLIST]
    _check_table(data, (), patterns, source)


def _check_table(
    table: Mapping[str, object], parts: tuple[str, ...], patterns: list[tuple[str, ...]], source: str
) -> None:
    for name, value in table.items():
        here = (*parts, name)
        if any(_matches(pattern, here) for pattern in patterns):
            continue  # allowed, with everything under it
        if isinstance(value, Mapping) and any(_matches(pattern[: len(here)], here) for pattern in patterns):
            _check_table(value, here, patterns, source)
            continue
        raise ConfigError(source, key_path(here), "not allowed in a remote bundle")


def _matches(pattern: tuple[str, ...], parts: tuple[str, ...]) -> bool:
    """`parts` starts with `pattern` (`*` matching any one name)."""
    if len(parts) < len(pattern):
        return False
    return all(want in ("*", got) for want, got in zip(pattern, parts, strict=False))


def bundle_config_data(envelope: Envelope, source: str) -> dict[str, object]:
    """The bundle's TOML as a config layer: allowlisted, with `version` set to the envelope's."""
    data = parse_toml(envelope.config.encode("utf-8"), source)
    check_allowed(data, source)
    stated = data.get("version")
    if stated is not None and (type(stated) is not int or stated != envelope.version):
        raise ConfigError(source, "version", "must equal the bundle's signed version (or be left out)")
    data["version"] = envelope.version
    return data


# ---------------------------------------------------------------------------------------------------------
# The state directory


def read_bundle_file(path: Path) -> bytes | None:
    """A bundle file's bytes, None when there is none; a file too large to be a bundle is refused unread."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BUNDLE_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise ConfigError(str(path), None, f"cannot be read ({type(error).__name__})") from None
    if len(data) > MAX_BUNDLE_BYTES:
        raise BundleError("too-large", f"larger than {MAX_BUNDLE_BYTES} bytes")
    return data


def accepted_version(state_dir: Path) -> int | None:
    """The version of `current.json`, None without one. Read without the signature: it is local state,
    written only after its signature verified, and a rotated pinned key must not reopen rollback."""
    data = read_bundle_file(state_dir / CURRENT_NAME)
    if data is None:
        return None
    try:
        wrapper = _Wrapper.model_validate_json(data)
        envelope = json.loads(base64.b64decode(wrapper.envelope_b64.encode("ascii"), validate=True))
    except (ValidationError, UnicodeEncodeError, binascii.Error, ValueError):
        raise ConfigError(str(state_dir / CURRENT_NAME), None, "not a bundle file") from None
    version = envelope.get("version") if isinstance(envelope, dict) else None
    if type(version) is not int:
        raise ConfigError(str(state_dir / CURRENT_NAME), "version", "must be an integer")
    return version


def write_atomically(path: Path, data: bytes) -> None:
    """Temp file in the same folder, fsync, rename over `path`, fsync the folder: old or new, never half."""
    directory = path.parent
    temporary = directory / f".{path.name}.{os.getpid()}.tmp"
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(descriptor, view) :]
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    _fsync_directory(directory)


def _fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def install_bundle(state_dir: Path, data: bytes) -> None:
    """Make `data` the accepted bundle; the one it replaces becomes `last-good.json`.

    The previous bundle is copied (not moved) to last-good first, so `current.json` exists and is whole at
    every instant: a crash leaves either the old bundle or the new one in force.
    """
    state_dir.mkdir(parents=True, exist_ok=True, mode=0o755)
    previous = read_bundle_file(state_dir / CURRENT_NAME)
    if previous is not None:
        write_atomically(state_dir / LAST_GOOD_NAME, previous)
    write_atomically(state_dir / CURRENT_NAME, data)


# ---------------------------------------------------------------------------------------------------------
# Fetching and accepting


def fetch_bundle(
    url: str,
    *,
    ca_file: Path,
    connect_timeout: float = _CONNECT_TIMEOUT,
    read_timeout: float = _READ_TIMEOUT,
    max_bytes: int = MAX_BUNDLE_BYTES,
) -> bytes:
    """GET `url` (https only, trusting `ca_file` alone); the body, at most `max_bytes`, or a BundleError."""
    _check_url(url)
    try:
        with requests.get(
            url,
            verify=str(ca_file),
            timeout=(connect_timeout, read_timeout),
            stream=True,
            allow_redirects=False,
            headers={"Accept": "application/json"},
        ) as response:
            if response.status_code != 200:
                raise BundleError("unreachable", f"the server answered HTTP {response.status_code}")
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise BundleError("too-large", f"larger than {max_bytes} bytes")
            body = bytearray()
            for chunk in response.iter_content(chunk_size=64 * 1024):
                body += chunk
                if len(body) > max_bytes:
                    raise BundleError("too-large", f"larger than {max_bytes} bytes")
            return bytes(body)
    except requests.RequestException as error:
        # The type says what failed (ConnectTimeout, SSLError, ConnectionError); its text may hold the URL.
        raise BundleError("unreachable", type(error).__name__) from None


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme.lower() != "https" or not parts.hostname:
        raise BundleError("unreachable", "the bundle URL must be an https:// URL with a host")
    if "@" in parts.netloc:
        raise BundleError("unreachable", "the bundle URL must not contain user info")


@dataclass(frozen=True)
class SyncResult:
    """What `accept_bundle` did: `applied` (installed), or `unchanged` (this very bundle is in force)."""

    status: Literal["applied", "unchanged"]
    version: int
    previous_version: int | None
    path: Path
    sha256: str

    def to_dict(self) -> dict[str, object]:
        return {
            "status": self.status,
            "version": self.version,
            "previous_version": self.previous_version,
            "path": str(self.path),
            "sha256": self.sha256,
        }


def accept_bundle(site_path: Path, data: bytes) -> SyncResult:
    """Verify `data` against the site file's pinned key and terminal, check that it makes a valid effective
    config, then install it. The site file must be valid on its own (a bundle is never needed to start)."""
    from kiosk.settings import check_bundle_candidate, load_site_layer  # noqa: PLC0415 - settings imports us

    site = load_site_layer(site_path)
    operator = _operator(site, site_path)
    bundle = verify_bundle(data, operator.public_key)
    if not bundle.envelope.applies_to(site.terminal.id):
        raise BundleError("wrong-terminal", f"the bundle is not for terminal {site.terminal.id}")
    current_path = operator.state_dir / CURRENT_NAME
    previous = accepted_version(operator.state_dir)
    if previous is not None and bundle.version <= previous:
        if bundle.version == previous and read_bundle_file(current_path) == data:
            return SyncResult("unchanged", bundle.version, previous, current_path, bundle.sha256)
        raise BundleError("rollback", f"version {bundle.version} is not newer than {previous}")
    try:
        check_bundle_candidate(site_path, bundle)
    except ConfigError as error:
        detail = str(error) if error.key else f"{error.path}: {error.problem}"
        raise BundleError("invalid-content", detail) from None
    install_bundle(operator.state_dir, data)
    return SyncResult("applied", bundle.version, previous, current_path, bundle.sha256)


def sync_bundle(
    site_path: Path, *, url: str | None = None, file: Path | None = None, ca_file: Path | None = None
) -> SyncResult:
    """Fetch the bundle (`url`, else `[operator] bundle_url`; or read `file`) and `accept_bundle` it."""
    from kiosk.settings import load_site_layer  # noqa: PLC0415 - settings imports this module

    if file is not None:
        data = read_bundle_file(file)
        if data is None:
            raise ConfigError(str(file), None, "missing")
        return accept_bundle(site_path, data)
    site = load_site_layer(site_path)
    operator = _operator(site, site_path)
    target = url or operator.bundle_url
    if target is None:
        raise ConfigError(str(site_path), "operator.bundle_url", "missing (or give --url)")
    data = fetch_bundle(
        target,
        ca_file=ca_file or site.backend.ca_file,
        connect_timeout=site.backend.connect_timeout,
        read_timeout=max(site.backend.read_timeout, _READ_TIMEOUT),
    )
    return accept_bundle(site_path, data)


def _operator(site: SiteConfig, site_path: Path) -> _OperatorView:
    if site.operator is None:
        raise ConfigError(str(site_path), "operator", "missing: no bundle key is pinned")
    return _OperatorView(site.operator.bundle_public_key, site.operator.state_dir, site.operator.bundle_url)


@dataclass(frozen=True)
class _OperatorView:
    public_key: Ed25519PublicKey
    state_dir: Path
    bundle_url: str | None
