"""The config layers: config/default.toml, the site file, the operator's accepted bundle.

Every problem names the file of the layer that set the key and the dotted key path; a bundle may only set the
allowlisted keys; the running kiosk picks up a newly accepted bundle through `reload_if_changed`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk import settings
from kiosk.backend.api import Offer, OptionOffer, RefusalReason
from kiosk.backend.document import DocumentType
from kiosk.config_bundle import CURRENT_NAME, install_bundle, sign_bundle
from kiosk.errors import ConfigError
from kiosk.settings import (
    AcceptedConfig,
    DocumentPolicy,
    effective_config,
    load_site_config,
    load_site_layer,
    reload_if_changed,
)
from tests.unit.backend.scripted_https import Pki, make_pki

SITE_TOML = """\
{before}
[terminal]
id = "T0001"

[backend]
url = "https://127.0.0.1:8443"
ca_file = "pki/ca.pem"
client_cert = "pki/terminal.pem"
client_key = "pki/terminal_key.pem"

[municipalities."999997"]
document_key = "pki/municipal_pub.pem"

[printer]
queue = "Kiosk"

[staff]
pin_hash = "scrypt$16384$8$1$k2wJohsn+7LD4VCyk9LeBg==$SCO/mm+Ecy75j3T56TI+42D7tmIyW6vPLLv172pEUvA="

[operator]
bundle_key = "pki/operator_pub.pem"
state_dir = "state"
{after}
"""


def public_pem(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def private_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


@dataclass
class Site:
    """A terminal's folder: kiosk.toml, its PKI (pki/), the operator's key pair and the bundle state dir."""

    root: Path
    pki: Pki
    operator_key: Ed25519PrivateKey

    @property
    def path(self) -> Path:
        return self.root / "kiosk.toml"

    @property
    def state_dir(self) -> Path:
        return self.root / "state"

    @property
    def current(self) -> Path:
        return self.state_dir / CURRENT_NAME

    def write(self, before: str = "", after: str = "") -> Path:
        self.path.write_text(SITE_TOML.format(before=before, after=after), encoding="utf-8")
        return self.path

    def bundle(
        self,
        config: str,
        version: int,
        *,
        terminals: list[str] | None = None,
        key: Ed25519PrivateKey | None = None,
    ) -> bytes:
        return sign_bundle(key or self.operator_key, version=version, config_text=config, terminals=terminals)

    def install(self, config: str, version: int) -> bytes:
        """Put a signed bundle in force directly (what a successful sync leaves behind)."""
        data = self.bundle(config, version)
        install_bundle(self.state_dir, data)
        return data


def make_site(root: Path) -> Site:
    (root / "pki").mkdir(parents=True)
    pki = make_pki(root / "pki")
    municipal = Ed25519PrivateKey.generate()
    (root / "pki" / "municipal_pub.pem").write_bytes(public_pem(municipal))
    operator = Ed25519PrivateKey.generate()
    (root / "pki" / "operator_pub.pem").write_bytes(public_pem(operator))
    (root / "operator.pem").write_bytes(private_pem(operator))
    site = Site(root, pki, operator)
    site.write()
    return site


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return make_site(tmp_path / "terminal")


def config_error(path: Path) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_site_config(path)
    return caught.value


def sources(path: Path) -> dict[str, tuple[object, str]]:
    return {entry.key: (entry.value, entry.layer) for entry in effective_config(path).entries()}


# --- defaults ---------------------------------------------------------------------------------------------


def test_default_only_keys_come_from_the_default_layer(site: Path | Site) -> None:
    assert isinstance(site, Site)
    values = sources(site.path)
    assert values["backend.connect_timeout"] == (3.0, "default")
    assert values["calendar.open"] == ("06:30", "default")
    assert values["calendar.year_end.from"] == ("12-29", "default")
    assert values["version"] == (0, "default")
    assert values["terminal.id"] == ("T0001", "site")
    config = load_site_config(site.path)
    assert (config.version, config.backend.connect_timeout, config.calendar.open) == (0, 3.0, 390)


def test_default_toml_states_the_schema_defaults(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_defaults = load_site_config(site.path)
    empty = tmp_path / "empty-default.toml"
    empty.write_text("", encoding="utf-8")
    monkeypatch.setattr(settings, "DEFAULT_LAYER_FILE", empty)
    without = load_site_config(site.path)
    assert with_defaults.model_dump() == without.model_dump()
    assert with_defaults.fingerprint != without.fingerprint


def test_the_site_file_overrides_the_defaults(site: Site) -> None:
    site.write(before="version = 4", after="[calendar]\nopen = '07:00'\n[card]\nreader = 'PCD'\n")
    values = sources(site.path)
    assert values["calendar.open"] == ("07:00", "site")
    assert values["calendar.close"] == ("23:00", "default")
    assert values["card.reader"] == ("PCD", "site")
    assert values["card.timeout"] == (10.0, "default")
    assert values["version"] == (4, "site")
    assert load_site_config(site.path).version == 4


def test_lists_replace_and_the_staff_hash_is_never_shown(site: Site) -> None:
    site.write(after="[calendar.store]\nclosed = [2027-02-01]\n")
    site.install("[calendar.store]\nclosed = [2027-03-01, 2027-03-02]\n", 2)
    values = sources(site.path)
    assert values["calendar.store.closed"] == (["2027-03-01", "2027-03-02"], "bundle")
    assert values["staff.pin_hash"] == ("<redacted>", "site")
    shown = json.dumps(effective_config(site.path).to_dict())
    assert "SCO/mm" not in shown


# --- each layer's problems name that layer's file ------------------------------------------------------


def test_unknown_key_in_the_default_layer(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    default = tmp_path / "default.toml"
    default.write_text("[backend]\nproxy = 'x'\n", encoding="utf-8")
    monkeypatch.setattr(settings, "DEFAULT_LAYER_FILE", default)
    error = config_error(site.path)
    assert (error.path, error.key, error.problem) == (str(default), "backend.proxy", "unknown key")


def test_bad_value_in_the_default_layer(site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    default = tmp_path / "default.toml"
    default.write_text("[backend]\nretries = 9\n", encoding="utf-8")
    monkeypatch.setattr(settings, "DEFAULT_LAYER_FILE", default)
    error = config_error(site.path)
    assert (error.path, error.key) == (str(default), "backend.retries")
    assert "less than or equal to 5" in error.problem


def test_unknown_key_in_the_site_file(site: Site) -> None:
    site.write(after="[calendar.store]\nopen = '07:00'\n")
    error = config_error(site.path)
    assert (error.path, error.key, error.problem) == (str(site.path), "calendar.store.open", "unknown key")


def test_bad_value_in_the_site_file(site: Site) -> None:
    site.write(before='version = "2026.11"')
    error = config_error(site.path)
    assert (error.path, error.key, error.problem) == (str(site.path), "version", "must be an integer")


def test_a_table_only_the_defaults_have_is_missing_from_the_site_file(site: Site) -> None:
    text = site.path.read_text(encoding="utf-8")
    start = text.index("[backend]")
    site.path.write_text(text[:start] + text[text.index("[municipalities") :], encoding="utf-8")
    error = config_error(site.path)
    assert (error.path, error.key, error.problem) == (str(site.path), "backend", "missing")


def test_unknown_key_in_the_bundle(site: Site) -> None:
    site.install("[calendar]\nopening = '07:00'\n", 2)
    error = config_error(site.path)
    assert (error.path, error.key, error.problem) == (str(site.current), "calendar.opening", "unknown key")


def test_bad_value_in_the_bundle(site: Site) -> None:
    site.install("[printer]\nprogress_timeout = 0\n", 2)
    error = config_error(site.path)
    assert (error.path, error.key) == (str(site.current), "printer.progress_timeout")
    assert "greater than 0" in error.problem


def test_a_calendar_rule_broken_by_the_bundle_names_the_bundle(site: Site) -> None:
    site.write(after="[calendar]\nopen = '09:00'\n")
    site.install("[calendar]\nclose = '08:00'\n", 2)
    error = config_error(site.path)
    assert (error.path, error.key, error.problem) == (
        str(site.current),
        "calendar.close",
        "must be after open",
    )


def test_a_municipality_added_by_the_bundle_lacks_its_key(site: Site) -> None:
    site.install('[municipalities."131016".documents.juminhyo]\nfee_yen = 200\n', 2)
    error = config_error(site.path)
    assert (error.path, error.key, error.problem) == (
        str(site.current),
        "municipalities.131016.document_key",
        "missing",
    )


def test_the_site_file_must_be_valid_without_the_bundle(site: Site) -> None:
    site.write(after="[calendar]\nopen = '23:30'\n")
    site.install("[calendar]\nclose = '24:00'\n", 2)
    error = config_error(site.path)
    assert (error.path, error.key) == (str(site.path), "calendar.close")


# --- what a bundle may set -------------------------------------------------------------------------------


def test_the_bundle_overrides_the_site_file_for_allowed_keys(site: Site) -> None:
    site.write(after="[calendar]\nopen = '07:00'\n")
    site.install(
        """\
[calendar]
open = "08:00"
[printer]
progress_timeout = 60.0
[municipalities."999997".documents.juminhyo]
fee_yen = 300
max_copies = 3
options = { honseki = ["omit"] }
[municipalities."999997".documents.koseki]
offered = false
""",
        7,
    )
    config = load_site_config(site.path)
    assert config.version == 7
    assert config.calendar.open == 8 * 60
    assert config.printer is not None
    assert (config.printer.queue, config.printer.progress_timeout) == ("Kiosk", 60.0)
    assert config.document_policy("999997", "juminhyo") == DocumentPolicy(
        fee_yen=300, max_copies=3, options={"honseki": ("omit",)}
    )
    assert config.document_policy("999997", "koseki").offered is False
    assert config.document_policy("999997", "inkan") == DocumentPolicy()
    values = sources(site.path)
    assert values["calendar.open"] == ("08:00", "bundle")
    assert values["printer.queue"] == ("Kiosk", "site")
    assert values["version"] == (7, "bundle")
    layers = effective_config(site.path).layers
    assert [(layer.name, layer.version) for layer in layers] == [
        ("default", None),
        ("site", None),
        ("bundle", 7),
    ]
    # Without [operator] the same state folder is never read.
    assert load_site_layer(site.path).version == 0


@pytest.mark.parametrize(
    ("bundle", "key"),
    [
        ('[backend]\nca_file = "/tmp/evil.pem"\n', "backend"),
        ("[backend]\nread_timeout = 5.0\n", "backend"),
        ('[municipalities."999997"]\ndocument_key = "/tmp/evil.pem"\n', "municipalities.999997.document_key"),
        ('[operator]\nbundle_key = "/tmp/evil.pem"\n', "operator"),
        ('[terminal]\nid = "T0002"\n', "terminal"),
        ('[printer]\nqueue = "Other"\n', "printer.queue"),
        ('[staff]\npin_hash = "x"\n', "staff"),
        ('certificate = "x"\n', "certificate"),
    ],
)
def test_a_bundle_touching_a_forbidden_key_is_refused(site: Site, bundle: str, key: str) -> None:
    site.install(bundle, 2)
    error = config_error(site.path)
    assert (error.path, error.key, error.problem) == (
        str(site.current),
        key,
        "not allowed in a remote bundle",
    )


def test_a_bundle_version_that_disagrees_with_the_envelope(site: Site) -> None:
    site.install("version = 3\n", 2)
    error = config_error(site.path)
    assert (error.path, error.key) == (str(site.current), "version")


def test_a_tampered_accepted_bundle_stops_the_load(site: Site) -> None:
    site.install("[calendar]\nopen = '08:00'\n", 2)
    data = json.loads(site.current.read_text(encoding="utf-8"))
    data["signature_b64"] = data["signature_b64"][:-4] + "AAA="
    site.current.write_text(json.dumps(data), encoding="utf-8")
    error = config_error(site.path)
    assert error.path == str(site.current)
    assert error.problem.startswith("bad-signature")


def test_an_accepted_bundle_for_another_terminal_stops_the_load(site: Site) -> None:
    install_bundle(site.state_dir, site.bundle("", 2, terminals=["T0002"]))
    error = config_error(site.path)
    assert (error.path, error.key) == (str(site.current), "terminal_scope")


@pytest.mark.parametrize(
    ("after", "key", "problem"),
    [
        ("[operator]\nbundle_key = 'pki/terminal_key.pem'", "operator.bundle_key", "private key"),
        ("[operator]\nbundle_key = 'pki/ca.pem'", "operator.bundle_key", "not a PEM public key"),
        ("[operator]\nbundle_key = 'pki/absent.pem'", "operator.bundle_key", "file not found"),
        (
            "[operator]\nbundle_key = 'pki/operator_pub.pem'\nbundle_url = 'http://ops.example/b.json'",
            "operator.bundle_url",
            "https://",
        ),
        (
            "[operator]\nbundle_key = 'pki/operator_pub.pem'\nstate_dir = 'kiosk.toml'",
            "operator.state_dir",
            "not a directory",
        ),
        (
            '[municipalities."999997".documents.passport]',
            "municipalities.999997.documents.passport",
            "unknown",
        ),
        ('[municipalities."999997".documents.inkan]\nfee_yen = -1', "documents.inkan.fee_yen", "greater"),
        ('[municipalities."999997".documents.inkan]\nmax_copies = 11', "documents.inkan.max_copies", "less"),
        ('[municipalities."999997".documents.inkan]\noptions = { a = [] }', "inkan.options.a", "at least 1"),
        ('[municipalities."999997".documents.inkan]\noptions = { A = ["x"] }', "inkan.options.A", "pattern"),
    ],
)
def test_bad_new_site_keys(site: Site, after: str, key: str, problem: str) -> None:
    text = site.path.read_text(encoding="utf-8")
    if after.startswith("[operator]"):
        text = text[: text.index("[operator]")]
    site.path.write_text(text + after + "\n", encoding="utf-8")
    error = config_error(site.path)
    assert error.path == str(site.path)
    assert error.key is not None
    assert error.key.endswith(key)
    assert problem in error.problem


# --- the document policy ----------------------------------------------------------------------------------


def juminhyo_offer(**changes: object) -> Offer:
    offer = Offer(
        document_type=DocumentType.JUMINHYO,
        options=(
            OptionOffer(key="members", allowed=("self", "all"), default="self"),
            OptionOffer(key="honseki", allowed=("omit", "include"), default="omit"),
        ),
        fee_yen=300,
        max_copies=10,
        available=True,
    )
    return offer.model_copy(update=changes)


def test_the_policy_narrows_an_offer() -> None:
    policy = DocumentPolicy(fee_yen=300, max_copies=2, options={"honseki": ("omit",)})
    narrowed = policy.restrict(juminhyo_offer())
    assert narrowed.available
    assert narrowed.max_copies == 2
    assert [option.allowed for option in narrowed.options] == [("self", "all"), ("omit",)]
    assert DocumentPolicy().restrict(juminhyo_offer()) == juminhyo_offer()


@pytest.mark.parametrize(
    "policy",
    [
        DocumentPolicy(offered=False),
        DocumentPolicy(fee_yen=350),
        DocumentPolicy(options={"members": ("all",)}),  # the backend's default would not be offered
    ],
)
def test_the_policy_refuses_an_offer(policy: DocumentPolicy) -> None:
    refused = policy.restrict(juminhyo_offer())
    assert (refused.available, refused.refusal) == (False, RefusalReason.NOT_OFFERED)


def test_the_site_config_applies_the_policy_of_the_offers_municipality(site: Site) -> None:
    site.write(after='[municipalities."999997".documents.juminhyo]\noffered = false\n')
    config = load_site_config(site.path)
    assert config.restrict_offer("999997", juminhyo_offer()).available is False
    assert config.restrict_offer("131016", juminhyo_offer()).available is True


# --- reloading between transactions ----------------------------------------------------------------------


def test_reload_if_changed(site: Site) -> None:
    first = load_site_config(site.path)
    assert reload_if_changed(first, site.path) is None
    site.install("[calendar]\nopen = '08:00'\n", 2)
    second = reload_if_changed(first, site.path)
    assert second is not None
    assert (second.version, second.calendar.open) == (2, 480)
    assert reload_if_changed(second, site.path) is None
    # A change that does not load keeps the config in force.
    site.path.write_text(site.path.read_text(encoding="utf-8") + "[bogus]\n", encoding="utf-8")
    assert reload_if_changed(second, site.path) is None


def test_accepted_config_refreshes_and_logs_a_broken_change_once(
    site: Site, caplog: pytest.LogCaptureFixture
) -> None:
    accepted = AcceptedConfig(site.path)
    assert accepted.refresh() is None
    site.install("[calendar]\nopen = '08:00'\n", 2)
    refreshed = accepted.refresh()
    assert refreshed is not None
    assert accepted.config is refreshed
    assert accepted.config.version == 2
    site.install("[calendar]\nopen = 'late'\n", 3)
    with caplog.at_level("WARNING", logger="kiosk.settings"):
        assert accepted.refresh() is None
        assert accepted.refresh() is None
    assert len([record for record in caplog.records if "not reloaded" in record.message]) == 1
    assert accepted.config.version == 2
