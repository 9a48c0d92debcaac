"""The unit files in systemd/: `systemd-analyze verify` accepts them, and they say what the issue asks.

`systemd-analyze verify` runs offline (systemd need not be PID 1) but checks that each Exec*= program
exists, so the units are verified from a copy in a temporary folder with /usr/bin/cage and
/opt/kiosk/.venv/bin/kiosk pointed at executable stubs. It exits 0 even for unknown keys and unparsable
values (it warns and ignores them), so any message about these units is a failure too.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

SYSTEMD_DIR = Path(__file__).resolve().parents[2] / "systemd"
UNITS = ("kiosk.service", "kiosk-config-sync.service", "kiosk-config-sync.timer")
SERVICES = ("kiosk.service", "kiosk-config-sync.service")
# Absolute programs that exist only on a kiosk, and the stub each stands in for in the test.
INSTALLED_PROGRAMS = {"/usr/bin/cage": "cage", "/opt/kiosk/.venv/bin/kiosk": "kiosk"}
HARDENING_MARKER = "# --- hardening"


def _systemd_analyze() -> str:
    path = shutil.which("systemd-analyze")
    if path is None:
        pytest.fail(
            "systemd-analyze is not installed: it comes with the Debian package `systemd` "
            "(add it to APT_PACKAGES in run.sh, or `apt-get install --no-install-recommends systemd`)"
        )
    return path


def _lines(unit: str) -> list[str]:
    return (SYSTEMD_DIR / unit).read_text(encoding="utf-8").splitlines()


def _settings(unit: str) -> list[tuple[str, str, str]]:
    """(section, key, value) of every setting, in file order."""
    section, settings = "", []
    for line in _lines(unit):
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", ";")):
            continue
        if stripped.startswith("["):
            section = stripped.strip("[]")
            continue
        key, _, value = stripped.partition("=")
        settings.append((section, key.strip(), value.strip()))
    return settings


def _values(unit: str, section: str, key: str) -> list[str]:
    return [value for s, k, value in _settings(unit) if (s, k) == (section, key)]


def _one(unit: str, section: str, key: str) -> str:
    values = _values(unit, section, key)
    assert len(values) == 1, f"{unit}: [{section}] {key}= set {len(values)} times"
    return values[0]


def _words(unit: str, section: str, key: str) -> set[str]:
    return {word for value in _values(unit, section, key) for word in value.split()}


def test_systemd_analyze_verify(tmp_path: Path) -> None:
    analyze = _systemd_analyze()
    stubs = tmp_path / "bin"
    stubs.mkdir()
    for name in INSTALLED_PROGRAMS.values():
        stub = stubs / name
        stub.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
        stub.chmod(0o755)
    units = tmp_path / "units"
    units.mkdir()
    for unit in UNITS:
        text = (SYSTEMD_DIR / unit).read_text(encoding="utf-8")
        for program, name in INSTALLED_PROGRAMS.items():
            text = text.replace(program, str(stubs / name))
        (units / unit).write_text(text, encoding="utf-8")

    result = subprocess.run(
        [analyze, "verify", "--man=no", "--generators=no", *(str(units / unit) for unit in UNITS)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = (result.stdout + result.stderr).strip()
    assert result.returncode == 0, f"systemd-analyze verify failed ({result.returncode}):\n{output}"
    # Messages about other units come from the host's own unit files (cups.service...): not ours to judge.
    ours = [line for line in output.splitlines() if any(unit in line for unit in UNITS)]
    assert not ours, "systemd-analyze verify warns:\n" + "\n".join(ours)


def test_the_stubs_cover_every_program_that_is_not_on_this_machine() -> None:
    """Every absolute Exec*= program is either stubbed in the verify test or present everywhere."""
    for unit in SERVICES:
        for _section, key, value in _settings(unit):
            if key.startswith("Exec"):
                program = value.lstrip("-+!@:").split()[0]
                assert program in INSTALLED_PROGRAMS or Path(program).exists(), (unit, key, program)


def test_kiosk_service_notify_and_watchdog() -> None:
    unit = "kiosk.service"
    assert _one(unit, "Service", "Type") == "notify"
    # The kiosk (cage's child) sends READY=1 and WATCHDOG=1, not the main process.
    assert _one(unit, "Service", "NotifyAccess") == "all"
    assert _values(unit, "Service", "PAMName") == [], "pam_systemd would divert the child's notifications"
    assert _one(unit, "Service", "Restart") == "always"
    assert _one(unit, "Service", "RestartSec") == "2"
    assert _one(unit, "Service", "WatchdogSec") == "30"
    assert _one(unit, "Service", "User") == "kiosk"
    assert "QT_QPA_PLATFORM=wayland" in _values(unit, "Service", "Environment")
    exec_start = _one(unit, "Service", "ExecStart").split()
    assert exec_start[0] == "/usr/bin/cage"
    # -s would let anyone at the screen switch VTs away from the kiosk
    assert "-s" not in exec_start[: exec_start.index("--")]
    assert exec_start[exec_start.index("--") + 1 :] == [
        "/usr/bin/env",
        "-u",
        "WATCHDOG_PID",
        "/opt/kiosk/.venv/bin/kiosk",
        "run",
        "--config",
        "/etc/kiosk/kiosk.toml",
    ]


def test_kiosk_service_order() -> None:
    unit = "kiosk.service"
    after = _words(unit, "Unit", "After")
    assert {"pcscd.socket", "cups.service", "time-sync.target", "network-online.target"} <= after
    assert {"systemd-user-sessions.service", "seatd.service", "getty@tty1.service"} <= after
    assert {"pcscd.socket", "cups.service", "network-online.target", "seatd.service"} <= _words(
        unit, "Unit", "Wants"
    )
    assert "getty@tty1.service" in _words(unit, "Unit", "Conflicts")
    assert _one(unit, "Service", "TTYPath") == "/dev/tty1"
    assert _one(unit, "Install", "WantedBy") == "graphical.target"


@pytest.mark.parametrize("unit", SERVICES)
def test_hardening(unit: str) -> None:
    expected = {
        "ProtectSystem": "strict",
        "ReadWritePaths": "/var/lib/kiosk",
        "PrivateTmp": "yes",
        "NoNewPrivileges": "yes",
        "ProtectHome": "yes",
        "ProtectKernelTunables": "yes",
        "ProtectKernelModules": "yes",
        "ProtectKernelLogs": "yes",
        "ProtectControlGroups": "yes",
        "RestrictNamespaces": "yes",
        "LockPersonality": "yes",
        "MemoryDenyWriteExecute": "yes",
        "SystemCallArchitectures": "native",
        "CapabilityBoundingSet": "",
        "UMask": "0077",
    }
    for key, value in expected.items():
        assert _one(unit, "Service", key) == value, key
    assert {"AF_UNIX", "AF_INET", "AF_INET6"} <= _words(unit, "Service", "RestrictAddressFamilies")
    assert _one(unit, "Service", "StateDirectory") == "kiosk"


def test_kiosk_service_devices_and_qml() -> None:
    unit = "kiosk.service"
    assert _one(unit, "Service", "DevicePolicy") == "closed"
    # No core dumps of a process holding PINs and certificate contents.
    assert _one(unit, "Service", "LimitCORE") == "0"
    assert set(_values(unit, "Service", "DeviceAllow")) == {"char-drm rw", "char-alsa rw"}
    # MemoryDenyWriteExecute=yes leaves QML's JIT no W+X memory: the interpreter, on purpose.
    assert "QV4_FORCE_INTERPRETER=1" in _values(unit, "Service", "Environment")
    # wlroots and libinput need udev's netlink events.
    assert "AF_NETLINK" in _words(unit, "Service", "RestrictAddressFamilies")


@pytest.mark.parametrize("unit", SERVICES)
def test_every_hardening_option_has_its_reason(unit: str) -> None:
    """In the hardening block every option line comes right after a comment line saying why."""
    lines = _lines(unit)
    assert HARDENING_MARKER in "\n".join(lines), f"{unit}: no '{HARDENING_MARKER}' block"
    start = next(i for i, line in enumerate(lines) if line.startswith(HARDENING_MARKER))
    block: list[str] = []
    for line in lines[start + 1 :]:
        if line.startswith("["):
            break
        block.append(line)
    options = 0
    for index, line in enumerate(block):
        if re.match(r"^[A-Za-z]+=", line):
            options += 1
            above = block[index - 1] if index else ""
            assert above.startswith("# ") and len(above) > 10, f"{unit}: no reason above {line!r}"
    assert options >= 15


def test_config_sync_service() -> None:
    unit = "kiosk-config-sync.service"
    assert _one(unit, "Service", "Type") == "oneshot"
    assert _one(unit, "Service", "ExecStart") == (
        "/opt/kiosk/.venv/bin/kiosk config sync --config /etc/kiosk/kiosk.toml"
    )
    assert _one(unit, "Service", "User") == "kiosk"
    assert _one(unit, "Service", "PrivateDevices") == "yes"
    assert "network-online.target" in _words(unit, "Unit", "After")


def test_config_sync_timer() -> None:
    unit = "kiosk-config-sync.timer"
    assert _one(unit, "Timer", "OnCalendar") == "*:0/15"
    assert _one(unit, "Timer", "RandomizedDelaySec") == "10min"
    assert _one(unit, "Timer", "Persistent") == "true"
    assert _one(unit, "Install", "WantedBy") == "timers.target"


def test_sysusers_snippet() -> None:
    entries = [
        shlex.split(line)
        for line in (SYSTEMD_DIR / "kiosk.sysusers.conf").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    home, shell = "/var/lib/kiosk", "/usr/sbin/nologin"
    assert entries == [["u", "kiosk", "-", "Konbini certificate kiosk", home, shell]]
