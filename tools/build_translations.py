"""Compile the kiosk translations: ui/i18n/kiosk_<lang>.ts -> kiosk_<lang>.qm (build outputs, not committed).

    python tools/build_translations.py            # lrelease every .ts into ui/i18n/
    python tools/build_translations.py --out DIR  # ... into DIR instead
    python tools/build_translations.py --update   # first re-extract the strings from ui/qml (lupdate)

The Qt tools come from the PySide6 in the running interpreter's environment (pyside6-lrelease,
pyside6-lupdate next to sys.executable), else from PATH.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QML = ROOT / "ui" / "qml"
I18N = ROOT / "ui" / "i18n"
#: Every language but English (the source strings are English).
LANGUAGES = ("ja", "zh", "ko", "pt", "es", "vi")


def _tool(name: str) -> str:
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found (install PySide6 in this environment)")
    return found


def update() -> None:
    """Re-extract every qsTr() string under ui/qml into each .ts (keeps existing translations)."""
    ts = [str(I18N / f"kiosk_{lang}.ts") for lang in LANGUAGES]
    subprocess.run([_tool("pyside6-lupdate"), "-silent", "-extensions", "qml,js", "-locations", "relative",
                    str(QML), "-ts", *ts], check=True, cwd=ROOT)  # fmt: skip


def build(out_dir: Path = I18N) -> list[Path]:
    """lrelease every ui/i18n/*.ts into out_dir; returns the .qm paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for ts in sorted(I18N.glob("kiosk_*.ts")):
        qm = out_dir / ts.with_suffix(".qm").name
        subprocess.run([_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)
        written.append(qm)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=I18N, help="where to write the .qm files")
    parser.add_argument("--update", action="store_true", help="run lupdate over ui/qml first")
    args = parser.parse_args(argv)
    if args.update:
        update()
    for qm in build(args.out):
        print(qm)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
