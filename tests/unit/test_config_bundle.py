"""The operator's signed bundle: verified, version-checked, scoped, validated, installed atomically.

HTTPS fetches go to a server on 127.0.0.1 with the test CA's certificate, started and stopped by the test.
"""

from __future__ import annotations

import base64
import json
import os
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk import config_bundle
from kiosk.config_bundle import (
    CURRENT_NAME,
    LAST_GOOD_NAME,
    MAX_BUNDLE_BYTES,
    SIGNATURE_CONTEXT,
    BundleError,
    accept_bundle,
    check_allowed,
    fetch_bundle,
    sync_bundle,
    verify_bundle,
)
from kiosk.errors import ConfigError
from kiosk.settings import load_site_config
from tests.unit.test_config_layers import Site, make_site

CALENDAR = "[calendar]\nopen = '08:00'\n"


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return make_site(tmp_path / "terminal")


def refused(site: Site, data: bytes) -> BundleError:
    with pytest.raises(BundleError) as caught:
        accept_bundle(site.path, data)
    return caught.value


def in_force(site: Site) -> int:
    return load_site_config(site.path).version


# --- signatures ------------------------------------------------------------------------------------------


def test_a_good_signature_applies(site: Site) -> None:
    result = accept_bundle(site.path, site.bundle(CALENDAR, 3))
    assert (result.status, result.version, result.previous_version) == ("applied", 3, None)
    assert result.path == site.current
    config = load_site_config(site.path)
    assert (config.version, config.calendar.open) == (3, 480)
    assert not (site.state_dir / LAST_GOOD_NAME).exists()


def test_the_envelope_is_what_was_signed(site: Site) -> None:
    data = site.bundle(CALENDAR, 3, terminals=["T0001", "T0002"])
    wrapper = json.loads(data)
    assert set(wrapper) == {"envelope_b64", "signature_b64"}
    envelope_bytes = base64.b64decode(wrapper["envelope_b64"])
    site.operator_key.public_key().verify(
        base64.b64decode(wrapper["signature_b64"]), SIGNATURE_CONTEXT + envelope_bytes
    )
    envelope = json.loads(envelope_bytes)
    assert envelope["format"] == 1
    assert envelope["version"] == 3
    assert envelope["terminal_scope"] == ["T0001", "T0002"]
    assert envelope["config"] == CALENDAR
    assert envelope["issued_at"].endswith("Z")


def tampered(data: bytes) -> bytes:
    wrapper = json.loads(data)
    envelope = bytearray(base64.b64decode(wrapper["envelope_b64"]))
    envelope[envelope.index(b"08:00")] = ord("0") + 1  # "18:00": a single byte
    wrapper["envelope_b64"] = base64.b64encode(bytes(envelope)).decode()
    return json.dumps(wrapper).encode()


def test_a_tampered_byte_is_refused(site: Site) -> None:
    accept_bundle(site.path, site.bundle("", 2))
    error = refused(site, tampered(site.bundle(CALENDAR, 3)))
    assert error.reason == "bad-signature"
    assert error.to_dict()["code"] == "config-bundle-refused"
    assert in_force(site) == 2


def test_another_key_is_refused(site: Site) -> None:
    error = refused(site, site.bundle(CALENDAR, 3, key=Ed25519PrivateKey.generate()))
    assert error.reason == "bad-signature"
    assert not site.current.exists()


@pytest.mark.parametrize(
    "data",
    [b"not json", b"{}", b'{"envelope_b64": "!!", "signature_b64": ""}', b"[1, 2]"],
)
def test_a_file_that_is_not_a_bundle(site: Site, data: bytes) -> None:
    assert refused(site, data).reason == "invalid-content"


def test_a_signed_envelope_of_the_wrong_shape(site: Site) -> None:
    envelope = json.dumps({"format": 2, "version": 3, "config": ""}).encode()
    signature = site.operator_key.sign(SIGNATURE_CONTEXT + envelope)
    data = json.dumps(
        {
            "envelope_b64": base64.b64encode(envelope).decode(),
            "signature_b64": base64.b64encode(signature).decode(),
        }
    ).encode()
    error = refused(site, data)
    assert error.reason == "invalid-content"
    assert "format" in error.detail


def test_too_large(site: Site) -> None:
    assert refused(site, b" " * (MAX_BUNDLE_BYTES + 1)).reason == "too-large"


# --- versions and terminals -------------------------------------------------------------------------------


def test_an_older_or_equal_version_is_refused(site: Site) -> None:
    accept_bundle(site.path, site.bundle(CALENDAR, 5))
    older = refused(site, site.bundle("", 4))
    assert (older.reason, older.detail) == ("rollback", "version 4 is not newer than 5")
    assert refused(site, site.bundle("", 5)).reason == "rollback"  # same version, other content
    assert in_force(site) == 5


def test_the_same_bundle_again_is_unchanged(site: Site) -> None:
    data = site.bundle(CALENDAR, 5)
    accept_bundle(site.path, data)
    before = site.current.stat().st_mtime_ns
    result = accept_bundle(site.path, data)
    assert (result.status, result.version) == ("unchanged", 5)
    assert site.current.stat().st_mtime_ns == before


def test_another_terminals_bundle_is_refused(site: Site) -> None:
    error = refused(site, site.bundle(CALENDAR, 3, terminals=["T0002", "T0003"]))
    assert (error.reason, error.detail) == ("wrong-terminal", "the bundle is not for terminal T0001")
    result = accept_bundle(site.path, site.bundle(CALENDAR, 3, terminals=["T0002", "T0001"]))
    assert result.status == "applied"


# --- content --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "key"),
    [
        ("[calendar]\nclose = '25:00'\n", "calendar.close"),
        ('[backend]\nca_file = "/tmp/evil.pem"\n', "backend"),
        ("[calendar\n", None),
        ("version = 9\n", "version"),
    ],
)
def test_invalid_content_is_refused_and_the_last_good_kept(site: Site, config: str, key: str | None) -> None:
    good = site.bundle(CALENDAR, 2)
    accept_bundle(site.path, good)
    error = refused(site, site.bundle(config, 3))
    assert error.reason == "invalid-content"
    if key is not None:
        assert f": {key}: " in error.detail
    assert site.current.read_bytes() == good
    assert in_force(site) == 2


def test_the_previous_bundle_is_kept_as_last_good(site: Site) -> None:
    first = site.bundle(CALENDAR, 2)
    accept_bundle(site.path, first)
    second = site.bundle("[calendar]\nopen = '09:00'\n", 3)
    result = accept_bundle(site.path, second)
    assert (result.version, result.previous_version) == (3, 2)
    assert site.current.read_bytes() == second
    assert (site.state_dir / LAST_GOOD_NAME).read_bytes() == first
    assert sorted(path.name for path in site.state_dir.iterdir()) == [CURRENT_NAME, LAST_GOOD_NAME]


def test_a_crash_before_the_rename_leaves_the_old_bundle_whole(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = site.bundle(CALENDAR, 2)
    accept_bundle(site.path, good)
    real_replace = os.replace

    def crash(source: object, target: object) -> None:
        if str(target).endswith(CURRENT_NAME):
            raise OSError(5, "simulated power cut")
        real_replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(config_bundle.os, "replace", crash)
    with pytest.raises(OSError, match="simulated"):
        accept_bundle(site.path, site.bundle("[calendar]\nopen = '09:00'\n", 3))
    monkeypatch.undo()
    assert site.current.read_bytes() == good
    assert not [path for path in site.state_dir.iterdir() if path.name.endswith(".tmp")]
    assert in_force(site) == 2


def test_the_allowlist() -> None:
    check_allowed({"version": 2, "calendar": {"stops": []}, "printer": {"staff_timeout": 10.0}}, "b")
    check_allowed({"municipalities": {"999997": {"documents": {"inkan": {"offered": False}}}}}, "b")
    with pytest.raises(ConfigError) as caught:
        check_allowed({"printer": {"staff_timeout": 10.0, "server": "evil:631"}}, "b.toml")
    assert (caught.value.path, caught.value.key) == ("b.toml", "printer.server")


def test_a_site_without_an_operator_takes_no_bundle(site: Site) -> None:
    text = site.path.read_text(encoding="utf-8")
    site.path.write_text(text[: text.index("[operator]")], encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        accept_bundle(site.path, site.bundle(CALENDAR, 2))
    assert caught.value.key == "operator"


def test_verify_bundle_alone(site: Site) -> None:
    bundle = verify_bundle(site.bundle(CALENDAR, 2), site.operator_key.public_key())
    assert (bundle.version, bundle.envelope.applies_to("anyone")) == (2, True)


# --- fetching over HTTPS -----------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[int, bytes]]] = {}

    def do_GET(self) -> None:
        status, body = self.routes.get(self.path, (404, b"not found"))
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        del format, args


class BundleServer:
    def __init__(self, cert: Path, key: Path) -> None:
        handler = type("Handler", (_Handler,), {"routes": {}})
        self.routes: dict[str, tuple[int, bytes]] = handler.routes
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"https://127.0.0.1:{self.server.server_address[1]}{path}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def server(site: Site) -> Iterator[BundleServer]:
    running = BundleServer(site.pki.server_cert, site.pki.server_key)
    try:
        yield running
    finally:
        running.stop()


def test_sync_over_https_with_the_deployment_ca(site: Site, server: BundleServer) -> None:
    server.routes["/bundles/T0001.json"] = (200, site.bundle(CALENDAR, 4))
    result = sync_bundle(site.path, url=server.url("/bundles/T0001.json"))
    assert (result.status, result.version) == ("applied", 4)
    assert in_force(site) == 4


def test_sync_uses_the_site_files_bundle_url(site: Site, server: BundleServer) -> None:
    server.routes["/b.json"] = (200, site.bundle(CALENDAR, 4))
    text = site.path.read_text(encoding="utf-8").replace(
        'state_dir = "state"', f'state_dir = "state"\nbundle_url = "{server.url("/b.json")}"'
    )
    site.path.write_text(text, encoding="utf-8")
    assert sync_bundle(site.path).version == 4


@pytest.mark.parametrize(
    ("route", "reason"),
    [((404, b"gone"), "unreachable"), ((200, b"x" * (MAX_BUNDLE_BYTES + 1)), "too-large")],
)
def test_fetch_failures(site: Site, server: BundleServer, route: tuple[int, bytes], reason: str) -> None:
    server.routes["/b.json"] = route
    with pytest.raises(BundleError) as caught:
        fetch_bundle(server.url("/b.json"), ca_file=site.pki.ca_file)
    assert caught.value.reason == reason


def test_a_server_the_ca_did_not_certify_is_unreachable(site: Site, tmp_path: Path) -> None:
    impostor = BundleServer(site.pki.impostor_cert, site.pki.impostor_key)
    try:
        impostor.routes["/b.json"] = (200, site.bundle(CALENDAR, 4))
        with pytest.raises(BundleError) as caught:
            sync_bundle(site.path, url=impostor.url("/b.json"))
    finally:
        impostor.stop()
    assert (caught.value.reason, caught.value.detail) == ("unreachable", "SSLError")
    assert not site.current.exists()


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:1/b.json", "file:///etc/passwd", "https://user:secret@127.0.0.1:1/b.json"]
)
def test_only_https_urls_without_user_info(site: Site, url: str) -> None:
    with pytest.raises(BundleError) as caught:
        fetch_bundle(url, ca_file=site.pki.ca_file)
    assert caught.value.reason == "unreachable"
    assert "secret" not in str(caught.value)


def test_nothing_listening_is_unreachable(site: Site) -> None:
    with pytest.raises(BundleError) as caught:
        fetch_bundle("https://127.0.0.1:1/b.json", ca_file=site.pki.ca_file, connect_timeout=2)
    assert caught.value.reason == "unreachable"
