"""`kiosk issue` and `kiosk backend ...` in this process: usage, config and data errors, exit codes, JSON.

No server is ever started and nothing touches the network: the paths that would reach a backend either
stop earlier (usage, config, profile) or talk to an in-process stand-in for `BackendClient`.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.backend.api import (
    AuthenticateRequest,
    AuthenticateResponse,
    CompletionRequest,
    CompletionResponse,
    CreateSessionResponse,
    DocumentRequest,
    DocumentResponse,
    Offer,
    Outcome,
    RefusalReason,
)
from kiosk.backend.document import Binding, DocumentType, Municipality
from kiosk.card.profile import load_profile
from kiosk.cli import exit_code_for, main
from kiosk.errors import (
    BackendRefusedError,
    BackendUnavailableError,
    ClockSkewError,
    ConfigError,
    DocumentBindingError,
    DocumentSignatureError,
    KioskError,
    MalformedBackendResponse,
    OfferRefusedError,
    WrongPinError,
)
from municipal.db import Database
from municipal.residents import ResidentFileError
from municipal.setup import SAMPLE_MUNICIPALITY, SAMPLE_RESIDENTS
from tests.always_open import open_all_day
from tests.kiosk_main import run_kiosk
from tests.unit.backend import samples

FAILED = CompletionRequest(outcome=Outcome.FAILED, copies_printed=0)
LISTING_KEYS = {"id", "name", "household", "status", "support_measures", "seal"}


def run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *argv: str, stdin: str = "1234\n"
) -> tuple[int, str, str]:
    return run_kiosk(monkeypatch, capsys, *argv, stdin=stdin)


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()
    }


@dataclass(frozen=True)
class Deployment:
    data: Path
    summary: dict[str, Any]

    @property
    def config(self) -> Path:
        return self.data / "kiosk.toml"


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Deployment:
    """One `kiosk backend init` per module (RSA keys and seal images take a moment); copy it to change it."""
    data = tmp_path_factory.mktemp("municipal") / "data"
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["backend", "init", "--data", str(data), "--json"])
    assert status == 0, err.getvalue()
    open_all_day(data)  # these tests must pass at 3 a.m. and on 1/1 too
    return Deployment(data, json.loads(out.getvalue()))


@pytest.fixture
def own_copy(deployment: Deployment, tmp_path: Path) -> Deployment:
    data = tmp_path / "data"
    shutil.copytree(deployment.data, data)
    return Deployment(data, deployment.summary)


# ----------------------------------------------------------------------------------- kiosk issue: usage


def issue_argv(tmp_path: Path, *extra: str) -> list[str]:
    return ["issue", "--document", "juminhyo", "--out", str(tmp_path / "out"), *extra]


@pytest.mark.parametrize(
    "options",
    [
        ["--option", "members"],
        ["--option", "members=all", "--option", "members=self"],
        ["--option", "=all"],
        ["--option", "members="],
        ["--option", "honseki=include", "--option", "honseki=include"],
    ],
)
def test_bad_option_is_a_json_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path, options: list[str]
) -> None:
    status, out, err = run(monkeypatch, capsys, *issue_argv(tmp_path, *options, "--json"))
    assert (status, out) == (2, "")
    error = json.loads(err)
    assert error["code"] == "usage"
    assert "--option" in error["message"]
    assert not (tmp_path / "out").exists()


def test_usage_error_without_json_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, out, err = run(monkeypatch, capsys, *issue_argv(tmp_path, "--option", "members"))
    assert (status, out) == (2, "")
    assert err.startswith("kiosk: ")
    assert err.count("\n") == 1


@pytest.mark.parametrize("copies", ["0", "11", "-1"])
def test_copies_out_of_range(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path, copies: str
) -> None:
    status, out, err = run(monkeypatch, capsys, *issue_argv(tmp_path, "--copies", copies, "--json"))
    assert (status, out) == (2, "")
    assert json.loads(err)["code"] == "usage"


@pytest.mark.parametrize("copies", ["1", "10"])
def test_copies_at_the_limits_are_accepted(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path, copies: str
) -> None:
    """Accepted copies get as far as the config (here missing: exit 1, not a usage error)."""
    missing = tmp_path / "missing.toml"
    argv = issue_argv(tmp_path, "--copies", copies, "--config", str(missing), "--json")
    status, _, err = run(monkeypatch, capsys, *argv)
    assert status == 1
    assert json.loads(err)["code"] == "bad-config"


@pytest.mark.parametrize(
    "argv",
    [
        ["issue", "--document", "passport", "--out", "x", "--json"],
        ["issue", "--out", "x", "--json"],
        ["issue", "--document", "juminhyo", "--out", "x", "--copies", "two", "--json"],
        ["issue", "--document", "juminhyo", "--out", "x", "--wait", "-1", "--json"],
    ],
)
def test_other_issue_usage_errors(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    status, out, err = run(monkeypatch, capsys, *argv)
    assert (status, out) == (2, "")
    assert json.loads(err)["code"] == "usage"


# ---------------------------------------------------------------------------------- kiosk issue: config


def test_missing_config_file_names_the_path(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "nowhere" / "kiosk.toml"
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    status, out, err = run(monkeypatch, capsys, *issue_argv(tmp_path, "--config", str(missing), "--json"))
    assert (status, out) == (1, "")
    error = json.loads(err)
    assert error["code"] == "bad-config"
    assert error["path"] == str(missing)
    assert error["problem"] == "missing"
    assert str(missing) in error["message"]


def test_kiosk_config_environment_is_used_without_config_option(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from_env = tmp_path / "from-env.toml"
    monkeypatch.setenv("KIOSK_CONFIG", str(from_env))
    status, _, err = run(monkeypatch, capsys, *issue_argv(tmp_path, "--json"))
    assert status == 1
    assert json.loads(err)["path"] == str(from_env)


def test_config_option_wins_over_the_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("KIOSK_CONFIG", str(tmp_path / "from-env.toml"))
    named = tmp_path / "named.toml"
    status, _, err = run(monkeypatch, capsys, *issue_argv(tmp_path, "--config", str(named), "--json"))
    assert status == 1
    assert json.loads(err)["path"] == str(named)


@pytest.mark.parametrize("environment", [None, ""])
def test_default_config_path_without_option_or_environment(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    environment: str | None,
) -> None:
    default = tmp_path / "etc" / "kiosk.toml"  # stands in for /etc/kiosk/kiosk.toml
    monkeypatch.setattr("kiosk.settings.DEFAULT_CONFIG_PATH", default)
    if environment is None:
        monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    else:
        monkeypatch.setenv("KIOSK_CONFIG", environment)
    status, _, err = run(monkeypatch, capsys, *issue_argv(tmp_path, "--json"))
    assert status == 1
    assert json.loads(err)["path"] == str(default)


def test_config_from_environment_is_loaded(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    deployment: Deployment,
) -> None:
    """A valid config from $KIOSK_CONFIG gets past the config step: the missing card profile is next."""
    monkeypatch.setenv("KIOSK_CONFIG", str(deployment.config))
    missing = tmp_path / "no-card"
    status, out, err = run(
        monkeypatch, capsys, *issue_argv(tmp_path, "--virtual-card", str(missing), "--json")
    )
    assert (status, out) == (1, "")
    error = json.loads(err)
    assert error["code"] == "bad-profile"
    assert str(missing) in error["path"]
    assert "1234" not in err


def test_broken_config_names_the_key(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text('[terminal]\nid = "T0001"\n', encoding="utf-8")
    status, _, err = run(monkeypatch, capsys, *issue_argv(tmp_path, "--config", str(config), "--json"))
    assert status == 1
    error = json.loads(err)
    assert (error["code"], error["path"], error["key"]) == ("bad-config", str(config), "backend")


# ---------------------------------------------------------- kiosk issue: a whole transaction, no server


@dataclass
class FakeBackendClient:
    """Stands in for kiosk.backend.http.BackendClient: answers like the reference backend would."""

    signing_key: Ed25519PrivateKey
    municipality: Municipality
    refusal: RefusalReason | None = None
    wrong_key: bool = False
    calls: list[tuple[Any, ...]] = field(default_factory=list)
    certificate: bytes = b""
    closed: bool = False

    session_id = "5d7a0c1e-2b3f-4a5d-9e8f-0a1b2c3d4e5f"
    request_id = "6e8b1d2f-3c4a-4b6e-8f9a-1b2c3d4e5f6a"

    def __enter__(self) -> FakeBackendClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.closed = True

    def create_session(self) -> CreateSessionResponse:
        self.calls.append(("create_session",))
        return CreateSessionResponse(
            session_id=self.session_id,
            challenge=bytes(32),
            expires_at=datetime(2026, 11, 23, 12, 5, tzinfo=samples.JST),
        )

    def authenticate(self, session_id: str, request: AuthenticateRequest) -> AuthenticateResponse:
        self.calls.append(("authenticate", session_id))
        self.certificate = request.certificate
        offer = Offer(
            document_type=DocumentType.JUMINHYO,
            fee_yen=300,
            max_copies=10,
            available=self.refusal is None,
            refusal=self.refusal,
        )
        return AuthenticateResponse(municipality=self.municipality, offers=(offer,))

    def request_document(self, session_id: str, request: DocumentRequest) -> DocumentResponse:
        self.calls.append(("request_document", session_id, request))
        content = samples.juminhyo().model_copy(update={"municipality": self.municipality})
        binding = Binding(
            session_id=session_id,
            request_id=self.request_id,
            terminal_id="T0001",
            card_certificate_sha256=hashlib.sha256(self.certificate).hexdigest(),
        )
        key = Ed25519PrivateKey.generate() if self.wrong_key else self.signing_key
        return DocumentResponse(request_id=self.request_id, document=samples.sign(content, key, binding))

    def complete(self, request_id: str, completion: CompletionRequest) -> CompletionResponse:
        self.calls.append(("complete", request_id, completion))
        return CompletionResponse(
            request_id=request_id,
            outcome=completion.outcome,
            copies_printed=completion.copies_printed,
            charged_yen=300 * completion.copies_printed,
            completed_at=datetime(2026, 11, 23, 12, 1, tzinfo=samples.JST),
        )


@pytest.fixture
def fake_backend(
    monkeypatch: pytest.MonkeyPatch, deployment: Deployment
) -> Callable[..., list[FakeBackendClient]]:
    """install(**script) -> the list of clients `kiosk issue` made (it should make exactly one)."""
    pem = (deployment.data / "pki" / "municipal_signing_key.pem").read_bytes()
    signing_key = serialization.load_pem_private_key(pem, password=None)
    assert isinstance(signing_key, Ed25519PrivateKey)
    municipality = Municipality(code=SAMPLE_MUNICIPALITY, name="試験市")

    def install(**script: Any) -> list[FakeBackendClient]:
        made: list[FakeBackendClient] = []

        def client(settings: object, *, clock: object) -> FakeBackendClient:
            made.append(FakeBackendClient(signing_key, municipality, **script))
            return made[-1]

        monkeypatch.setattr("kiosk.backend.http.BackendClient", client)
        return made

    return install


def issue_with_card(deployment: Deployment, card: Path, out: Path, *extra: str) -> list[str]:
    return [
        "issue",
        "--config",
        str(deployment.config),
        "--document",
        "juminhyo",
        "--virtual-card",
        str(card),
        "--out",
        str(out),
        "--json",
        *extra,
    ]


def test_issue_writes_the_verified_document(  # type: ignore[no-untyped-def]
    monkeypatch, capsys, tmp_path: Path, deployment: Deployment, profile_factory, fake_backend
) -> None:
    made = fake_backend()
    out = tmp_path / "issued"
    argv = issue_with_card(deployment, profile_factory(), out, "--option", "members=all", "--copies", "2")
    status, stdout, err = run(monkeypatch, capsys, *argv)
    assert (status, err) == (0, "")
    result = json.loads(stdout)
    target = out / "J-2026-000001.pdf"
    assert result == {
        "request_id": FakeBackendClient.request_id,
        "document_type": "juminhyo",
        "serial": "J-2026-000001",
        "output": str(target),
    }
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    assert target.read_bytes().startswith(b"%PDF-")
    code = verification_code_of(target)
    assert code.binding.terminal_id == "T0001"
    assert code.binding.request_id == FakeBackendClient.request_id
    assert [name for name, *_ in made[0].calls] == [
        "create_session",
        "authenticate",
        "request_document",
        "complete",
    ]
    request = made[0].calls[2][2]
    assert (request.options, request.copies) == ({"members": "all"}, 2)
    assert made[0].calls[3][2] == CompletionRequest(outcome=Outcome.PRINTED, copies_printed=2)
    assert len(made) == 1 and made[0].closed
    assert "1234" not in stdout


def test_issue_refused_exits_7_with_the_reason(  # type: ignore[no-untyped-def]
    monkeypatch, capsys, tmp_path: Path, deployment: Deployment, profile_factory, fake_backend
) -> None:
    made = fake_backend(refusal=RefusalReason.MOVED_OUT)
    out = tmp_path / "issued"
    status, stdout, err = run(monkeypatch, capsys, *issue_with_card(deployment, profile_factory(), out))
    assert (status, stdout) == (7, "")
    error = json.loads(err)
    assert (error["code"], error["reason"], error["document_type"]) == ("refused", "moved-out", "juminhyo")
    assert [name for name, *_ in made[0].calls] == ["create_session", "authenticate"]
    assert not out.exists()


def test_issue_bad_signature_exits_8_and_writes_nothing(  # type: ignore[no-untyped-def]
    monkeypatch, capsys, tmp_path: Path, deployment: Deployment, profile_factory, fake_backend
) -> None:
    made = fake_backend(wrong_key=True)
    out = tmp_path / "issued"
    status, stdout, err = run(monkeypatch, capsys, *issue_with_card(deployment, profile_factory(), out))
    assert (status, stdout) == (8, "")
    # The last line: see test_issue_failure_after_request_keeps_stderr_one_json_object for the lines above.
    assert json.loads(err.splitlines()[-1])["code"] == "document-signature"
    assert made[0].calls[-1] == ("complete", FakeBackendClient.request_id, FAILED)
    assert not out.exists() or not any(out.iterdir())


def test_issue_failure_after_request_keeps_stderr_one_json_object(  # type: ignore[no-untyped-def]
    monkeypatch, capsys, tmp_path: Path, deployment: Deployment, profile_factory, fake_backend
) -> None:
    """README: with --json, errors are one JSON object on stderr (as a backend refusal already is)."""
    fake_backend(wrong_key=True)
    argv = issue_with_card(deployment, profile_factory(), tmp_path / "issued")
    status, _, err = run(monkeypatch, capsys, *argv)
    assert status == 8
    assert json.loads(err)["code"] == "document-signature"


def test_issue_delivery_failure_is_reported_failed(  # type: ignore[no-untyped-def]
    monkeypatch, capsys, tmp_path: Path, deployment: Deployment, profile_factory, fake_backend
) -> None:
    """--out is a regular file: nothing can be written, and the backend hears `failed` for the request."""
    made = fake_backend()
    out = tmp_path / "a-file"
    out.write_bytes(b"")
    with contextlib.suppress(OSError):  # see test_issue_delivery_failure_is_a_json_error
        run(monkeypatch, capsys, *issue_with_card(deployment, profile_factory(), out))
    assert [name for name, *_ in made[0].calls] == [
        "create_session",
        "authenticate",
        "request_document",
        "complete",
    ]
    assert made[0].calls[-1] == ("complete", FakeBackendClient.request_id, FAILED)
    assert out.read_bytes() == b""


def test_issue_delivery_failure_is_a_json_error(  # type: ignore[no-untyped-def]
    monkeypatch, capsys, tmp_path: Path, deployment: Deployment, profile_factory, fake_backend
) -> None:
    fake_backend()
    out = tmp_path / "a-file"
    out.write_bytes(b"")
    status, stdout, err = run(monkeypatch, capsys, *issue_with_card(deployment, profile_factory(), out))
    assert (status, stdout) == (1, "")
    assert "code" in json.loads(err.splitlines()[-1])


def test_issue_wrong_pin_exits_3(  # type: ignore[no-untyped-def]
    monkeypatch, capsys, tmp_path: Path, deployment: Deployment, profile_factory, fake_backend
) -> None:
    made = fake_backend()
    argv = issue_with_card(deployment, profile_factory(), tmp_path / "issued")
    status, stdout, err = run(monkeypatch, capsys, *argv, stdin="9999\n")
    assert (status, stdout) == (3, "")
    error = json.loads(err)
    assert (error["code"], error["tries_left"]) == ("wrong-pin", 2)
    assert "9999" not in err
    assert [name for name, *_ in made[0].calls] == ["create_session"]


# ------------------------------------------------------------------------------------- kiosk backend ...


def test_init_summary(deployment: Deployment) -> None:
    assert deployment.summary == {
        "data": str(deployment.data),
        "households": 12,
        "residents": 31,
        "terminals": ["T0001", "T0002"],
        "kiosk_config": str(deployment.data / "kiosk.toml"),
        "port": 8443,
    }
    for name in ("backend.toml", "backend.db", "kiosk.toml", "kiosk-T0002.toml", "pki/deployment_ca_key.pem"):
        assert (deployment.data / name).is_file(), name


def test_list_residents_json(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], deployment: Deployment
) -> None:
    status, out, err = run(
        monkeypatch, capsys, "backend", "list-residents", "--data", str(deployment.data), "--json"
    )
    assert (status, err) == (0, "")
    listing = json.loads(out)
    assert len(listing) == 31
    for entry in listing:
        assert set(entry) == LISTING_KEYS
    ids = [entry["id"] for entry in listing]
    assert ids == sorted(ids)
    assert ids[0] == "R0001"
    assert {entry["seal"] for entry in listing} <= {"registered", "cancelled", "none"}
    assert {entry["status"] for entry in listing} <= {"resident", "moved-out", "deceased"}


def test_list_residents_without_backend_data(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, out, err = run(
        monkeypatch, capsys, "backend", "list-residents", "--data", str(tmp_path), "--json"
    )
    assert (status, out) == (1, "")
    error = json.loads(err)
    assert (error["code"], error["path"]) == ("bad-config", str(tmp_path))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("port", ["0", "65536", "-1"])
def test_init_port_out_of_range(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path, port: str
) -> None:
    data = tmp_path / "data"
    status, out, err = run(
        monkeypatch, capsys, "backend", "init", "--data", str(data), "--port", port, "--json"
    )
    assert (status, out) == (2, "")
    assert json.loads(err)["code"] == "usage"
    assert not data.exists()


def test_init_twice_refuses_and_overwrites_nothing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], own_copy: Deployment
) -> None:
    before = tree_bytes(own_copy.data)
    ca_key = (own_copy.data / "pki" / "deployment_ca_key.pem").read_bytes()
    status, out, err = run(monkeypatch, capsys, "backend", "init", "--data", str(own_copy.data), "--json")
    assert (status, out) == (1, "")
    error = json.loads(err)
    assert (error["code"], error["path"]) == ("bad-config", str(own_copy.data))
    assert (own_copy.data / "pki" / "deployment_ca_key.pem").read_bytes() == ca_key
    assert tree_bytes(own_copy.data) == before


def test_init_with_bad_residents_leaves_no_debris(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "residents.json"
    bad.write_text('{"format": "konbini-residents/v1", "households": []}', encoding="utf-8")
    data = tmp_path / "data"
    argv = ["backend", "init", "--data", str(data), "--residents", str(bad), "--json"]
    status, out, err = run(monkeypatch, capsys, *argv)
    assert (status, out) == (1, "")
    assert json.loads(err)["code"] == "bad-residents"
    assert not data.exists()


def test_make_card_for_unknown_resident(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], own_copy: Deployment, tmp_path: Path
) -> None:
    card = tmp_path / "card"
    argv = [
        "backend",
        "make-card",
        "--data",
        str(own_copy.data),
        "--resident",
        "NOPE",
        "--out",
        str(card),
        "--json",
    ]
    status, out, err = run(monkeypatch, capsys, *argv)
    assert status != 0
    assert out == ""
    error = json.loads(err)
    assert error["code"] == "registry"
    assert error["identifier"] == "NOPE"
    assert not card.exists()


def test_make_card_writes_a_registered_profile(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], own_copy: Deployment, tmp_path: Path
) -> None:
    card = tmp_path / "card-R0001"
    argv = [
        "backend",
        "make-card",
        "--data",
        str(own_copy.data),
        "--resident",
        "R0001",
        "--out",
        str(card),
        "--json",
    ]
    status, out, err = run(monkeypatch, capsys, *argv)
    assert (status, err) == (0, "")
    result = json.loads(out)
    profile = load_profile(card)
    fingerprint = hashlib.sha256(profile.auth_cert_der).hexdigest()
    assert result == {
        "profile": str(card),
        "resident": "R0001",
        "certificate_sha256": fingerprint,
        "revoked": False,
        "expired": False,
    }
    assert profile.pin == "1234"
    certificate = x509.load_der_x509_certificate(profile.auth_cert_der)
    ca = x509.load_pem_x509_certificate((own_copy.data / "pki" / "jpki" / "auth_ca.pem").read_bytes())
    certificate.verify_directly_issued_by(ca)

    db = Database(own_copy.data / "backend.db")
    try:
        with db.read() as connection:
            rows = connection.execute(
                "SELECT certificate_sha256, certificate_serial, resident_id FROM cards"
            ).fetchall()
            revoked = connection.execute("SELECT certificate_serial FROM revocations").fetchall()
    finally:
        db.close()
    assert [tuple(row) for row in rows] == [(fingerprint, format(certificate.serial_number, "x"), "R0001")]
    assert revoked == []


def sample_household() -> dict[str, Any]:
    household: dict[str, Any] = json.loads(SAMPLE_RESIDENTS.read_text(encoding="utf-8"))["households"][0]
    household["id"] = "H9001"
    for index, member in enumerate(household["members"]):
        member["id"] = f"R90{index:02d}"
        if member.get("seal"):
            member["seal"]["registration_number"] = f"S-9000{index:02d}"
    return household


def write_residents(path: Path, *households: dict[str, Any]) -> Path:
    path.write_text(
        json.dumps({"format": "konbini-residents/v1", "households": list(households)}, ensure_ascii=False),
        encoding="utf-8",
    )
    return path


def listed_ids(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], data: Path) -> list[str]:
    status, out, _ = run(monkeypatch, capsys, "backend", "list-residents", "--data", str(data), "--json")
    assert status == 0
    return [entry["id"] for entry in json.loads(out)]


@pytest.mark.parametrize(
    ("field_name", "value", "problem"),
    [
        ("name", "漏洩\t禁止", "string_pattern_mismatch"),
        ("birth_date", "1850-02-03", "before_gregorian_calendar"),
        ("sex", "漏洩禁止", "enum"),
    ],
)
def test_import_residents_with_a_bad_value_never_echoes_it(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    own_copy: Deployment,
    tmp_path: Path,
    field_name: str,
    value: str,
    problem: str,
) -> None:
    household = sample_household()
    household["members"][0][field_name] = value
    bad = write_residents(tmp_path / "residents.json", household)
    argv = ["backend", "import-residents", "--data", str(own_copy.data), str(bad), "--json"]
    status, out, err = run(monkeypatch, capsys, *argv)
    assert (status, out) == (1, "")
    error = json.loads(err)
    assert error == {
        "code": "bad-residents",
        "message": error["message"],
        "path": str(bad),
        "record": "households[0].members[0] (R9000)",
        "field": field_name,
        "problem": problem,
    }
    for fragment in ("漏洩", "禁止", "1850", "髙橋", "タカハシ"):
        assert fragment not in err
    assert len(listed_ids(monkeypatch, capsys, own_copy.data)) == 31


def test_import_residents_adds_a_household(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], own_copy: Deployment, tmp_path: Path
) -> None:
    household = sample_household()
    good = write_residents(tmp_path / "residents.json", household)
    argv = ["backend", "import-residents", "--data", str(own_copy.data), str(good), "--json"]
    status, out, err = run(monkeypatch, capsys, *argv)
    assert (status, err) == (0, "")
    members = len(household["members"])
    seals = sum(1 for member in household["members"] if member.get("seal"))
    assert json.loads(out) == {"households": 1, "residents": members, "seals": seals}
    ids = listed_ids(monkeypatch, capsys, own_copy.data)
    assert len(ids) == 31 + members
    assert {member["id"] for member in household["members"]} <= set(ids)


def test_import_residents_into_no_backend(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    argv = ["backend", "import-residents", "--data", str(tmp_path), str(SAMPLE_RESIDENTS), "--json"]
    status, _, err = run(monkeypatch, capsys, *argv)
    assert status == 1
    assert json.loads(err)["code"] == "bad-config"


def test_backend_without_subcommand_prints_usage(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(monkeypatch, capsys, "backend")
    assert (status, out) == (2, "")
    assert "usage: kiosk" in err


# ----------------------------------------------------------------------------------------- exit codes


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (OfferRefusedError("juminhyo", "moved-out"), 7),
        (BackendRefusedError("request_document", 403, "refused", "closed"), 7),
        (BackendRefusedError("authenticate", 403, "signature-invalid", None), 8),
        (BackendRefusedError("authenticate", 403, "certificate-rejected", "revoked"), 8),
        (BackendUnavailableError("create_session", "connect"), 8),
        (DocumentSignatureError("does not verify with the pinned key"), 8),
        (DocumentBindingError("session_id"), 8),
        (ClockSkewError(120, 30), 8),
        (MalformedBackendResponse("DocumentResponse", "request_id: string_pattern_mismatch"), 8),
        (ConfigError("kiosk.toml", None, "missing"), 1),
        (ResidentFileError("not_utf8", path="r.json"), 1),
        (WrongPinError(2), 3),
    ],
)
def test_exit_code_for(error: KioskError, code: int) -> None:
    assert exit_code_for(error) == code


def verification_code_of(pdf: Path) -> Any:
    from pypdf import PdfReader

    from printing.verification import parse_code

    metadata = PdfReader(pdf).metadata
    assert metadata is not None
    return parse_code(str(metadata.subject))


def test_issue_without_out_needs_a_printer(  # type: ignore[no-untyped-def]
    monkeypatch, capsys, deployment: Deployment
) -> None:
    """The sample site config has no [printer]: then --out is the only place a certificate can go."""
    argv = ["issue", "--config", str(deployment.config), "--document", "juminhyo", "--json"]
    status, _, err = run(monkeypatch, capsys, *argv)
    assert status == 2
    assert json.loads(err.strip().splitlines()[-1])["message"].endswith(
        "--out is required when the site config has no [printer]"
    )


def test_a_name_the_font_cannot_print_sends_the_resident_to_the_counter() -> None:
    from kiosk.cli.common import exit_code_for
    from printing.fonts import MissingGlyphError

    assert exit_code_for(MissingGlyphError("IPAmjMincho", ("U+8FBB U+E0100",))) == 7
