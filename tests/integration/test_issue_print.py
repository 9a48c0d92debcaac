"""`kiosk issue` all the way to paper: backend over TLS, the software card, the certificate rendered and
printed through a private cupsd; what the printer received verifies with `kiosk verify`; a tampered copy
does not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cups_rig import CupsRig
from tests.integration.backend_rig import Deployment
from tests.kiosk_main import run_kiosk

pytestmark = pytest.mark.integration


@pytest.fixture
def printer(cupsd: CupsRig) -> CupsRig:
    return cupsd


def run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *argv: str, stdin: str = ""
) -> tuple[int, str, str]:
    return run_kiosk(monkeypatch, capsys, *argv, stdin=stdin)


def test_issue_prints_a_certificate_that_verifies(
    deployment: Deployment,
    printer: CupsRig,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, _, err = run(
        monkeypatch, capsys, "backend", "make-card", "--data", str(deployment.data), "--resident", "R0008",
        "--out", str(tmp_path / "card"), "--json",
    )  # fmt: skip
    assert status == 0, err
    config = deployment.config_with_printer(printer.server, tmp_path.name)
    status, out, err = run(
        monkeypatch, capsys, "issue", "--config", str(config), "--document", "juminhyo",
        "--option", "members=all", "--copies", "2", "--virtual-card", str(tmp_path / "card"), "--json",
        stdin="1234\n",
    )  # fmt: skip
    assert status == 0, err
    result = json.loads(out)
    job_id = int(result["output"].rsplit("/", 1)[1])
    received = printer.printed(job_id)
    assert received.copies == 2
    assert received.title == f"kiosk-{result['serial']}"  # the job name CUPS logs carries no personal data
    printed = tmp_path / "printed.pdf"
    printed.write_bytes(received.documents[0])
    key = deployment.data / "pki" / "municipal_signing_pub.pem"
    status, out, err = run(monkeypatch, capsys, "verify", str(printed), "--key", str(key), "--json")
    assert status == 0, err
    assert json.loads(out) == {
        "valid": True,
        "serial": result["serial"],
        "municipality": "999997",
        "content_checked": True,
    }
    # The same PDF with one character of the address changed in the content it carries: refused.
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(_tamper(received.documents[0]))
    status, _, err = run(monkeypatch, capsys, "verify", str(tampered), "--key", str(key), "--json")
    assert status == 9
    assert json.loads(err.strip().splitlines()[-1])["code"] == "not-verified"


def _tamper(pdf: bytes) -> bytes:
    """The printed PDF with one character of the address changed in the content it carries."""
    import base64
    import io

    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata is not None
    content = json.loads(base64.b64decode(str(reader.metadata.keywords)))
    content["address"] = content["address"].replace("1", "2", 1)
    writer = PdfWriter(clone_from=reader)
    keywords = base64.b64encode(json.dumps(content, ensure_ascii=False).encode()).decode()
    writer.add_metadata({"/Keywords": keywords})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
