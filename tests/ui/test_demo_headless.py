"""`kiosk demo --headless`, as the README's demo command runs it on a machine with no display: every screen
as a PNG and the printed certificates as PDFs that `kiosk verify` accepts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from kiosk.flow import State

pytestmark = pytest.mark.integration


def test_the_headless_demo_writes_every_screen_and_the_pdfs(tmp_path: Path) -> None:
    out, data = tmp_path / "out", tmp_path / "data"
    env = {key: value for key, value in os.environ.items() if key not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["TMPDIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "demo", "--data", str(data), "--out", str(out), "--size", "1024x768"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    written = json.loads(result.stdout)
    screens = {Path(path).name.split("-", 1)[1].removesuffix("-1024x768.png") for path in written["screens"]}
    assert screens == {state.value for state in State}
    for path in written["screens"]:
        with Image.open(path) as image:
            assert image.size == (1024, 768)
    assert {Path(pdf).name[:8] for pdf in written["pdfs"]} == {"kiosk-J-", "kiosk-I-"}
    key = data / "pki" / "municipal_signing_pub.pem"
    for pdf in written["pdfs"]:
        check = subprocess.run(
            [sys.executable, "-m", "kiosk", "verify", pdf, "--key", str(key), "--json"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert check.returncode == 0, check.stdout + check.stderr
    # Nothing else outlives the demo in TMPDIR: its temporary files (the chime, Qt's caches) are gone, and the
    # certificates (personal data) are only where --out asked for them.
    left = [path for path in tmp_path.iterdir() if path not in (out, data)]
    assert left == [], left
