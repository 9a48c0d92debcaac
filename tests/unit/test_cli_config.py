"""`kiosk config check|show|sign|sync`, run in this process (no network but a loopback HTTPS server)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.settings import load_site_config
from tests.kiosk_main import run_kiosk
from tests.unit.test_config_bundle import BundleServer
from tests.unit.test_config_layers import Site, make_site

BUNDLE_TOML = """\
[calendar]
open = "08:00"

[municipalities."999997".documents.juminhyo]
fee_yen = 300
"""


@pytest.fixture(autouse=True)
def no_ambient_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    monkeypatch.setattr("kiosk.settings.DEFAULT_CONFIG_PATH", tmp_path / "etc" / "kiosk" / "kiosk.toml")


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return make_site(tmp_path / "terminal")


def run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *argv: str
) -> tuple[int, str, str]:
    return run_kiosk(monkeypatch, capsys, *argv)


def sign(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    site: Site,
    version: int,
    text: str = BUNDLE_TOML,
    *extra: str,
) -> tuple[int, str, str]:
    bundle_toml = site.root.parent / f"bundle-{version}.toml"
    bundle_toml.write_text(text, encoding="utf-8")
    out = site.root.parent / f"bundle-{version}.json"
    return run(
        monkeypatch,
        capsys,
        "config", "sign", "--key", str(site.root / "operator.pem"), "--version", str(version),
        "--config", str(bundle_toml), "--out", str(out), "--json", *extra,
    )  # fmt: skip


def test_sign_then_sync_a_file(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], site: Site
) -> None:
    status, out, _ = sign(
        monkeypatch, capsys, site, 3, BUNDLE_TOML, "--terminals", "T0001,T0002", "--site", str(site.path)
    )
    assert status == 0
    signed = json.loads(out)
    assert (signed["version"], signed["terminal_scope"]) == (3, ["T0001", "T0002"])
    bundle = Path(signed["out"])
    status, out, err = run(
        monkeypatch, capsys, "config", "sync", "--file", str(bundle), "--config", str(site.path), "--json"
    )
    assert (status, err) == (0, "")
    assert json.loads(out) | {"path": None} == {
        "status": "applied",
        "version": 3,
        "previous_version": None,
        "path": None,
        "sha256": signed["sha256"],
    }
    config = load_site_config(site.path)
    assert (config.version, config.document_policy("999997", "juminhyo").fee_yen) == (3, 300)

    # The same again changes nothing; an older one is a rollback (exit 1, with the reason).
    status, out, _ = run(
        monkeypatch, capsys, "config", "sync", "--file", str(bundle), "--config", str(site.path)
    )
    assert (status, out.strip()) == (0, "config bundle version 3 is already in force")
    sign(monkeypatch, capsys, site, 2)
    older = site.root.parent / "bundle-2.json"
    status, _, err = run(
        monkeypatch, capsys, "config", "sync", "--file", str(older), "--config", str(site.path), "--json"
    )
    assert status == 1
    assert json.loads(err) == {
        "code": "config-bundle-refused",
        "message": "config bundle refused (rollback): version 2 is not newer than 3",
        "reason": "rollback",
        "detail": "version 2 is not newer than 3",
    }


def test_sign_then_sync_over_https(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], site: Site
) -> None:
    assert sign(monkeypatch, capsys, site, 5)[0] == 0
    server = BundleServer(site.pki.server_cert, site.pki.server_key)
    try:
        server.routes["/T0001.json"] = (200, (site.root.parent / "bundle-5.json").read_bytes())
        monkeypatch.setenv("KIOSK_CONFIG", str(site.path))
        status, out, err = run(
            monkeypatch,
            capsys,
            "config",
            "sync",
            "--url",
            server.url("/T0001.json"),
            "--ca",
            str(site.pki.ca_file),
        )
    finally:
        server.stop()
    assert (status, err) == (0, "")
    assert out.startswith("config bundle version 5 installed (was none): ")
    assert load_site_config(site.path).version == 5


def test_sign_refuses_a_forbidden_key(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], site: Site
) -> None:
    status, _, err = sign(monkeypatch, capsys, site, 2, '[backend]\nca_file = "evil.pem"\n')
    assert status == 1
    error = json.loads(err)
    assert (error["code"], error["path"], error["key"], error["problem"]) == (
        "bad-config",
        str(site.root.parent / "bundle-2.toml"),
        "backend",
        "not allowed in a remote bundle",
    )
    assert not (site.root.parent / "bundle-2.json").exists()


def test_sign_with_a_site_checks_the_merged_config(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], site: Site
) -> None:
    status, _, err = sign(
        monkeypatch, capsys, site, 2, "[calendar]\nclose = '05:00'\n", "--site", str(site.path)
    )
    assert status == 1
    assert json.loads(err)["key"] == "calendar.close"


def test_sign_refuses_a_public_key(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], site: Site
) -> None:
    bundle_toml = site.root / "b.toml"
    bundle_toml.write_text("", encoding="utf-8")
    public = str(site.root / "pki/operator_pub.pem")
    status, _, err = run(
        monkeypatch, capsys, "config", "sign", "--key", public, "--version", "1",
        "--config", str(bundle_toml), "--out", str(site.root / "b.json"), "--json",
    )  # fmt: skip
    assert status == 1
    assert json.loads(err)["problem"] == "not a PEM private key"


def test_check(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], site: Site) -> None:
    status, out, _ = run(monkeypatch, capsys, "config", "check", str(site.path), "--json")
    assert status == 0
    result = json.loads(out)
    assert (result["ok"], result["version"]) == (True, 0)
    assert [layer["name"] for layer in result["layers"]] == ["default", "site"]

    site.write(after="[card]\ntimeout = 0\n")
    status, _, err = run(monkeypatch, capsys, "config", "check", str(site.path), "--json")
    assert status == 1
    error = json.loads(err)
    assert (error["code"], error["path"], error["key"]) == ("bad-config", str(site.path), "card.timeout")


def test_show_effective(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], site: Site
) -> None:
    site.install(BUNDLE_TOML, 4)
    status, out, _ = run(
        monkeypatch, capsys, "config", "show", "--effective", "--config", str(site.path), "--json"
    )
    assert status == 0
    shown = json.loads(out)
    assert shown["version"] == 4
    assert [layer["name"] for layer in shown["layers"]] == ["default", "site", "bundle"]
    values = shown["values"]
    assert values["calendar.open"] == {"value": "08:00", "layer": "bundle"}
    assert values["calendar.close"] == {"value": "23:00", "layer": "default"}
    assert values["terminal.id"] == {"value": "T0001", "layer": "site"}
    assert values["staff.pin_hash"] == {"value": "<redacted>", "layer": "site"}
    assert "PRIVATE" not in out

    status, out, _ = run(monkeypatch, capsys, "config", "show", "--config", str(site.path), "--json")
    assert {entry["layer"] for entry in json.loads(out)["values"].values()} == {"site"}

    status, out, _ = run(monkeypatch, capsys, "config", "show", "--effective", "--config", str(site.path))
    assert status == 0
    assert "# layer bundle: " in out
    assert any(
        line.startswith("calendar.open") and line.endswith('"08:00"  # bundle') for line in out.splitlines()
    )


def test_a_missing_default_site_file(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(monkeypatch, capsys, "config", "show", "--effective", "--json")
    assert status == 1
    assert json.loads(err)["problem"] == "missing"
