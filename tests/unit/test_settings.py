"""The site file: a valid one loads whole, and every problem names the file and the key path."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.errors import ConfigError
from kiosk.settings import (
    DEFAULT_CONFIG_PATH,
    BackendSettings,
    CardSettings,
    default_config_path,
    load_site_config,
)
from tests.unit.backend.scripted_https import make_pki

ED25519 = Ed25519PrivateKey.generate()
P256 = ec.generate_private_key(ec.SECP256R1())
PASSWORD = "hunter2-not-a-real-one"

DELETE = object()

# A table of tables, written out by `_toml`; dotted override paths address any key in it.
Config = dict[str, object]


def _public_pem(key: object) -> bytes:
    """PEM of a public key, or of a private key's public half."""
    public = key.public_key() if hasattr(key, "public_key") else key
    pem: bytes = public.public_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return pem


def _private_pem(key: object, password: bytes | None = None) -> bytes:
    encryption = serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    pem: bytes = key.private_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    return pem


@pytest.fixture(scope="session")
def pki_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every file a site file may point at, good and bad, made once; each test gets a copy."""
    directory = tmp_path_factory.mktemp("site-pki")
    pki = make_pki(directory)
    files = {
        "municipal_ed25519_pub.pem": _public_pem(ED25519),
        "municipal_p256_pub.pem": _public_pem(P256),
        "municipal_p384_pub.pem": _public_pem(ec.generate_private_key(ec.SECP384R1())),
        "municipal_rsa_pub.pem": _public_pem(rsa.generate_private_key(public_exponent=65537, key_size=2048)),
        "municipal_private.pem": _private_pem(ED25519),
        "garbage.pem": b"-----BEGIN NOTHING-----\nsecret-looking-content\n-----END NOTHING-----\n",
        "terminal_key_encrypted.pem": _private_pem(
            serialization.load_pem_private_key(pki.client_key.read_bytes(), None), PASSWORD.encode()
        ),
    }
    for name, data in files.items():
        (directory / name).write_bytes(data)
    return directory


@pytest.fixture
def site(tmp_path: Path, pki_template: Path) -> Path:
    shutil.copytree(pki_template, tmp_path / "pki")
    return tmp_path


def base_config() -> Config:
    return {
        "terminal": {"id": "T0001"},
        "backend": {
            "url": "https://127.0.0.1:8443",
            "ca_file": "pki/ca.pem",
            "client_cert": "pki/terminal.pem",
            "client_key": "pki/terminal_key.pem",
        },
        "municipalities": {
            "999997": {"document_key": "pki/municipal_ed25519_pub.pem"},
            "141003": {"document_key": "pki/municipal_p256_pub.pem"},
        },
        "card": {"reader": "Virtual PCD", "timeout": 10.0},
    }


def write_config(
    directory: Path, overrides: dict[str, object] | None = None, name: str = "kiosk.toml"
) -> Path:
    config = base_config()
    for dotted, value in (overrides or {}).items():
        *parents, last = dotted.split(".")
        table = config
        for part in parents:
            table = table.setdefault(part, {})  # type: ignore[assignment]
        if value is DELETE:
            del table[last]
        else:
            table[last] = value
    path = directory / name
    path.write_text(_toml(config), encoding="utf-8")
    return path


def _toml(config: Config, prefix: str = "") -> str:
    scalars = {key: value for key, value in config.items() if not isinstance(value, dict)}
    tables = {key: value for key, value in config.items() if isinstance(value, dict)}
    lines = [f"[{prefix}]"] if prefix and (scalars or not tables) else []
    lines += [f"{json.dumps(key)} = {_value(value)}" for key, value in scalars.items()]
    text = "\n".join(lines) + "\n"
    for key, table in tables.items():
        text += _toml(table, f"{prefix}.{json.dumps(key)}" if prefix else json.dumps(key))
    return text


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else "inf"
    return json.dumps(value)


# --- a valid file ---------------------------------------------------------------------------------------


def test_valid_file_loads_whole(site: Path) -> None:
    path = write_config(
        site,
        {
            "backend.url": "https://backend.example.jp:8443/",
            "backend.connect_timeout": 2,  # an integer is a fine number of seconds
            "backend.read_timeout": 8.5,
            "backend.max_response_bytes": 2 * 1024 * 1024,
            "backend.max_clock_skew_seconds": 60,
            "backend.retries": 0,
        },
    )
    config = load_site_config(path)

    assert config.terminal.id == "T0001"
    backend = config.backend
    assert backend.url == "https://backend.example.jp:8443"  # the origin: paths are appended to it
    assert (backend.ca_file, backend.client_cert, backend.client_key) == (
        site / "pki/ca.pem",
        site / "pki/terminal.pem",
        site / "pki/terminal_key.pem",
    )
    assert (backend.connect_timeout, backend.read_timeout) == (2.0, 8.5)
    assert isinstance(backend.connect_timeout, float)
    assert (backend.max_response_bytes, backend.max_clock_skew_seconds, backend.retries) == (
        2 * 1024 * 1024,
        60,
        0,
    )
    assert config.card == CardSettings(reader="Virtual PCD", timeout=10.0)
    assert set(config.municipalities) == {"999997", "141003"}
    assert config.municipalities["999997"].document_key == site / "pki/municipal_ed25519_pub.pem"
    assert _public_pem(config.municipal_key("999997")) == _public_pem(ED25519)
    assert _public_pem(config.municipal_key("141003")) == _public_pem(P256)


def test_loading_twice_gives_equal_configs(site: Path) -> None:
    path = write_config(site)
    assert load_site_config(path) == load_site_config(path)


def test_defaults(site: Path) -> None:
    config = load_site_config(write_config(site, {"card": DELETE}))
    backend = config.backend
    assert (backend.connect_timeout, backend.read_timeout) == (3.0, 10.0)
    assert (backend.max_response_bytes, backend.max_clock_skew_seconds, backend.retries) == (
        1024 * 1024,
        30,
        2,
    )
    assert config.card == CardSettings(reader=None, timeout=10.0)


def test_models_are_frozen(site: Path) -> None:
    config = load_site_config(write_config(site))
    with pytest.raises(ValueError, match="frozen"):
        config.backend.retries = 5  # type: ignore[misc]


# --- paths ----------------------------------------------------------------------------------------------


def test_relative_paths_are_relative_to_the_config_file(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (site / "etc").mkdir()
    absolute_key = site / "pki/municipal_ed25519_pub.pem"
    overrides: dict[str, object] = {
        "backend.ca_file": "../pki/ca.pem",
        "backend.client_cert": "../pki/terminal.pem",
        "backend.client_key": str(site / "pki/terminal_key.pem"),
        "municipalities.999997.document_key": str(absolute_key),
        "municipalities.141003.document_key": "../pki/municipal_p256_pub.pem",
    }
    write_config(site / "etc", overrides)
    monkeypatch.chdir(site / "pki")  # neither the working directory nor a relative config path matters
    config = load_site_config(Path("../etc/kiosk.toml"))

    backend = config.backend
    assert backend.ca_file == site / "pki/ca.pem"
    assert backend.client_cert == site / "pki/terminal.pem"
    assert backend.client_key == site / "pki/terminal_key.pem"
    assert config.municipalities["999997"].document_key == absolute_key
    assert config.municipalities["141003"].document_key == site / "pki/municipal_p256_pub.pem"


def test_paths_are_canonical(site: Path) -> None:
    (site / "current").symlink_to(site / "pki")
    path = write_config(site, {"backend.ca_file": "current/../current/ca.pem"})
    assert load_site_config(path).backend.ca_file == site / "pki/ca.pem"


def test_relative_paths_need_a_config_file() -> None:
    with pytest.raises(ValueError, match="absolute"):
        BackendSettings.model_validate(
            {"url": "https://h", "ca_file": "ca.pem", "client_cert": "x", "client_key": "y"}
        )


def test_symlink_loop(site: Path) -> None:
    (site / "pki/loop.pem").symlink_to(site / "pki/loop.pem")
    error = config_error(write_config(site, {"backend.ca_file": "pki/loop.pem"}))
    assert (error.key, error.problem.split(":")[0]) == ("backend.ca_file", "cannot be resolved")


def test_default_path_and_environment() -> None:
    assert default_config_path({}) == DEFAULT_CONFIG_PATH == Path("/etc/kiosk/kiosk.toml")
    assert default_config_path({"KIOSK_CONFIG": "/srv/kiosk/site.toml"}) == Path("/srv/kiosk/site.toml")
    assert default_config_path({"KIOSK_CONFIG": ""}) == DEFAULT_CONFIG_PATH


# --- the file itself ------------------------------------------------------------------------------------


def config_error(path: Path) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_site_config(path)
    assert caught.value.path == str(path)
    return caught.value


def test_missing_file(tmp_path: Path) -> None:
    error = config_error(tmp_path / "absent.toml")
    assert (error.key, error.problem) == (None, "missing")
    assert error.to_dict() == {
        "code": "bad-config",
        "message": f"{tmp_path / 'absent.toml'}: missing",
        "path": str(tmp_path / "absent.toml"),
        "key": None,
        "problem": "missing",
    }


def test_directory_instead_of_file(tmp_path: Path) -> None:
    assert "directory" in config_error(tmp_path).problem


def test_invalid_toml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text('[terminal]\nid = "T0001"\n[backend]\nurl = https://nope\n', encoding="utf-8")
    error = config_error(path)
    assert error.key is None
    assert error.problem.startswith("not valid TOML")
    assert "line 4" in error.problem


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_bytes(b'[terminal]\nid = "T\xff"\n')
    assert config_error(path).problem == "not UTF-8"


# --- each bad value, named by its key path -------------------------------------------------------------

BAD_VALUES: list[tuple[dict[str, object], str, str]] = [
    ({"printer.queue": "Kiosk", "printer.name": "x"}, "printer.name", "unknown key"),
    ({"printer.queue": "no spaces"}, "printer.queue", "must match pattern '^[A-Za-z0-9_.-]{1,127}$'"),
    ({"backend.proxy": "http://proxy"}, "backend.proxy", "unknown key"),
    ({"municipalities.999997.signing_key": "x"}, "municipalities.999997.signing_key", "unknown key"),
    ({"terminal": DELETE}, "terminal", "missing"),
    ({"terminal.id": DELETE}, "terminal.id", "missing"),
    ({"backend.client_key": DELETE}, "backend.client_key", "missing"),
    ({"terminal.id": "T 0001"}, "terminal.id", "must match pattern"),
    ({"terminal.id": 1}, "terminal.id", "must be a string"),
    ({"card": 3}, "card", "must be a table"),
    ({"backend.connect_timeout": "3"}, "backend.connect_timeout", "must be a valid number"),
    ({"backend.connect_timeout": True}, "backend.connect_timeout", "must be a valid number"),
    ({"backend.connect_timeout": 0}, "backend.connect_timeout", "must be greater than 0"),
    ({"backend.connect_timeout": 60.5}, "backend.connect_timeout", "must be less than or equal to 60"),
    ({"backend.read_timeout": 121}, "backend.read_timeout", "must be less than or equal to 120"),
    ({"backend.read_timeout": math.nan}, "backend.read_timeout", "must be a finite number"),
    ({"backend.read_timeout": math.inf}, "backend.read_timeout", "must be a finite number"),
    ({"backend.max_response_bytes": 1023}, "backend.max_response_bytes", "greater than or equal to 1024"),
    (
        {"backend.max_response_bytes": 16 * 1024 * 1024 + 1},
        "backend.max_response_bytes",
        "less than or equal",
    ),
    ({"backend.max_response_bytes": 4096.0}, "backend.max_response_bytes", "must be an integer"),
    ({"backend.max_clock_skew_seconds": 0}, "backend.max_clock_skew_seconds", "greater than or equal to 1"),
    (
        {"backend.max_clock_skew_seconds": 3601},
        "backend.max_clock_skew_seconds",
        "less than or equal to 3600",
    ),
    ({"backend.retries": 6}, "backend.retries", "less than or equal to 5"),
    ({"backend.retries": -1}, "backend.retries", "greater than or equal to 0"),
    ({"backend.retries": True}, "backend.retries", "must be an integer"),
    ({"backend.url": 8443}, "backend.url", "must be a string"),
    ({"backend.url": "http://127.0.0.1:8443"}, "backend.url", "must be an https:// URL"),
    ({"backend.url": "127.0.0.1:8443"}, "backend.url", "must be an https:// URL"),
    ({"backend.url": "https://127.0.0.1:8443/v1"}, "backend.url", "must not have a path"),
    ({"backend.url": "https://127.0.0.1:8443/?x=1"}, "backend.url", "must not have a query"),
    ({"backend.url": "https://127.0.0.1:8443/#top"}, "backend.url", "must not have a fragment"),
    ({"backend.url": "https://"}, "backend.url", "must name a host"),
    ({"backend.url": "https://127.0.0.1:99999"}, "backend.url", "invalid port"),
    ({"backend.url": "https://127.0.0.1 :8443"}, "backend.url", "without spaces"),
    ({"backend.url": "https://バックエンド.jp"}, "backend.url", "ASCII"),
    ({"backend.ca_file": "pki/absent.pem"}, "backend.ca_file", "file not found"),
    ({"backend.ca_file": "pki"}, "backend.ca_file", "not a regular file"),
    ({"backend.ca_file": ""}, "backend.ca_file", "non-empty path"),
    ({"backend.ca_file": "pki/garbage.pem"}, "backend.ca_file", "not a PEM certificate file"),
    ({"backend.client_cert": "pki/terminal_key.pem"}, "backend.client_cert", "not a PEM certificate file"),
    ({"backend.client_key": "pki/garbage.pem"}, "backend.client_key", "not a PEM private key"),
    ({"backend.client_key": "pki/terminal_key_encrypted.pem"}, "backend.client_key", "encrypted"),
    ({"backend.client_key": "pki/server_key.pem"}, "backend.client_key", "does not match client_cert"),
    ({"municipalities": DELETE}, "municipalities", "missing"),
    ({"municipalities": {}}, "municipalities", "must have at least 1 entry"),
    ({"municipalities.12345.document_key": "pki/municipal_p256_pub.pem"}, "municipalities.12345", "6-digit"),
    ({"municipalities.999997": "pki/x.pem"}, "municipalities.999997", "must be a table"),
    ({"municipalities.999997.document_key": DELETE}, "municipalities.999997.document_key", "missing"),
    (
        {"municipalities.999997.document_key": "pki/absent.pem"},
        "municipalities.999997.document_key",
        "not found",
    ),
    (
        {"municipalities.999997.document_key": "pki/municipal_rsa_pub.pem"},
        "municipalities.999997.document_key",
        "not an Ed25519 or P-256 public key",
    ),
    (
        {"municipalities.999997.document_key": "pki/municipal_p384_pub.pem"},
        "municipalities.999997.document_key",
        "not an Ed25519 or P-256 public key",
    ),
    (
        {"municipalities.999997.document_key": "pki/municipal_private.pem"},
        "municipalities.999997.document_key",
        "private key",
    ),
    (
        {"municipalities.999997.document_key": "pki/garbage.pem"},
        "municipalities.999997.document_key",
        "not a PEM public key",
    ),
    (
        {"municipalities.999997.document_key": "pki/ca.pem"},
        "municipalities.999997.document_key",
        "not a PEM public key",
    ),
    ({"card.timeout": 0}, "card.timeout", "greater than 0"),
    ({"card.reader": ""}, "card.reader", "at least 1 character"),
    ({"card.reader": "Virtual\nPCD"}, "card.reader", "must not contain control characters"),
    ({"card.reader": "x" * 129}, "card.reader", "at most 128 characters"),
]


@pytest.mark.parametrize(("overrides", "key", "problem"), BAD_VALUES, ids=lambda value: None)
def test_bad_value_names_its_key(site: Path, overrides: dict[str, object], key: str, problem: str) -> None:
    error = config_error(write_config(site, overrides))
    assert error.key == key
    assert problem in error.problem
    assert str(error).startswith(f"{site / 'kiosk.toml'}: {key}: ")


@pytest.mark.parametrize(
    "overrides",
    [
        {"backend.url": f"https://operator:{PASSWORD}@127.0.0.1:8443"},
        {"backend.url": f"http://operator:{PASSWORD}@127.0.0.1:8443"},
        {"backend.url": f"https://127.0.0.1:8443/?token={PASSWORD}"},
        {"backend.client_key": "pki/terminal_key_encrypted.pem"},
        {"backend.client_key": "pki/garbage.pem"},
        {"backend.ca_file": "pki/garbage.pem"},
    ],
    ids=["userinfo", "userinfo-http", "query", "encrypted-key", "garbage-key", "garbage-ca"],
)
def test_values_and_contents_are_never_echoed(site: Path, overrides: dict[str, object]) -> None:
    error = config_error(write_config(site, overrides))
    said = json.dumps(error.to_dict())
    for secret in (PASSWORD, "secret-looking-content", "operator", "token"):
        assert secret not in said


def test_user_info_is_named(site: Path) -> None:
    error = config_error(write_config(site, {"backend.url": f"https://operator:{PASSWORD}@127.0.0.1:8443"}))
    assert (error.key, error.problem) == ("backend.url", "must not contain user info")


def test_first_problem_in_file_order(site: Path) -> None:
    error = config_error(write_config(site, {"terminal.id": "", "card.timeout": -1}))
    assert error.key == "terminal.id"


# --- the pinned keys ------------------------------------------------------------------------------------


def test_unknown_municipality_has_no_pinned_key(site: Path) -> None:
    path = write_config(site)
    config = load_site_config(path)
    with pytest.raises(ConfigError) as caught:
        config.municipal_key("131016")
    assert (caught.value.path, caught.value.key, caught.value.problem) == (
        str(path),
        "municipalities.131016",
        "no pinned key",
    )


def test_keys_are_loaded_at_load_time(site: Path) -> None:
    path = write_config(site)
    config = load_site_config(path)
    (site / "pki/municipal_ed25519_pub.pem").write_bytes(b"replaced after start-up")
    assert _public_pem(config.municipal_key("999997")) == _public_pem(ED25519)
