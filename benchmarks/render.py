"""Rendering benchmark: warm render time and PDF size of three certificates, and a cold process's first PDF.

Run:  .venv/bin/python benchmarks/render.py [--runs N] [--cold-runs N]

Warm: fonts registered and one render done first, then the median (and p90) of N calls to
`Renderer.render(certificate)` with the default PageDecorator, so no security features yet. Building the
`Certificate` (`build_certificate`) is timed apart. The documents are the sample residents':

* a one-member 住民票 (H0002, every option),
* the six-member 住民票 of H0006, every record including the member who moved out (2 pages: 4 + 2),
* an 印鑑登録証明書 with the generated 240 px seal impression.

Cold: the median of 5 fresh `python -c` processes that import the renderer, register the fonts, verify
and render one one-member 住民票. Each is timed from spawn to exit; the child also reports its own import,
font and render times. The goal to report against is a warm one-page render of at most 60 ms and 150 KB.
The script prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from printing.decorations import SecurityDecorator
from printing.document import build_certificate
from printing.fonts import FontSet
from printing.render import Renderer
from printing.wording import load_wording
from tests.unit.printing.test_render import inkan_content, juminhyo_content, verified

GOAL_MS = 60.0
GOAL_KB = 150.0
def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


COLD_CHILD = """
import json, sys, time
started = time.perf_counter()
sys.path.insert(0, {root!r})
from printing.document import build_certificate
from printing.fonts import FontSet
from printing.render import Renderer
from printing.wording import load_wording
imported = time.perf_counter()
fonts = FontSet.register()
wording = load_wording()
registered = time.perf_counter()
from tests.unit.printing.test_render import juminhyo_content, verified
document = verified(juminhyo_content("R0005"))
prepared = time.perf_counter()
pdf = Renderer(fonts, wording).render(build_certificate(document, wording))
rendered = time.perf_counter()
assert pdf.startswith(b"%PDF-")
times = {{"import": imported - started, "fonts": registered - imported, "render": rendered - prepared}}
print(json.dumps(times))
"""


def cold(runs: int) -> None:
    totals: list[float] = []
    parts: list[dict[str, float]] = []
    for _ in range(runs):
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-c", COLD_CHILD.format(root=str(ROOT))],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
            cwd=ROOT,
        )
        totals.append(time.perf_counter() - started)
        parts.append(json.loads(result.stdout.strip().splitlines()[-1]))
    median = {key: statistics.median(part[key] for part in parts) * 1000 for key in parts[0]}
    print(
        f"cold process to first PDF (median of {runs}): {statistics.median(totals) * 1000:6.0f} ms "
        f"spawn to exit; inside: imports {median['import']:.0f} ms, fonts {median['fonts']:.0f} ms, "
        f"first build + render {median['render']:.0f} ms (the sample content is made in between, untimed)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=30, help="warm renders per document (default 30)")
    parser.add_argument("--cold-runs", type=int, default=5, help="cold processes (default 5)")
    args = parser.parse_args()

    fonts = FontSet.register()
    wording = load_wording()
    documents = {
        # The renderer tests' builders: the content the backend would issue, every option printed.
        "juminhyo, 1 member (H0002)": verified(juminhyo_content("R0005")),
        "juminhyo, 6 members (H0006)": verified(juminhyo_content("R0016", every_record=True)),
        "inkan (R0001)": verified(inkan_content("R0001")),
    }
    goal = f"goal for one page: <= {GOAL_MS:.0f} ms, <= {GOAL_KB:.0f} KB"
    for features, renderer in (
        ("text and layout only", Renderer(fonts, wording)),
        (
            "as printed: with the security features",
            Renderer(fonts, wording, SecurityDecorator(fonts, wording)),
        ),
    ):
        print(f"warm rendering, {features}: median (p90) of {args.runs} renders; {goal}")
        warm(renderer, documents, wording, args.runs)
    cold(args.cold_runs)


def warm(renderer: Renderer, documents: dict[str, Any], wording: Any, runs: int) -> None:
    for label, document in documents.items():
        certificate = build_certificate(document, wording)
        renderer.render(certificate)  # warm: the subsets and the IVS stand-ins of these strings exist
        builds, renders = [], []
        pdf = b""
        for _ in range(runs):
            started = time.perf_counter()
            certificate = build_certificate(document, wording)
            built = time.perf_counter()
            pdf = renderer.render(certificate)
            done = time.perf_counter()
            builds.append(built - started)
            renders.append(done - built)
        pages = len(re.findall(rb"/Type /Page\b(?!s)", pdf))
        render_ms = statistics.median(renders) * 1000
        verdict = ""
        if pages == 1:
            ok = render_ms <= GOAL_MS and len(pdf) / 1024 <= GOAL_KB
            verdict = "  within goal" if ok else "  OVER GOAL"
        print(
            f"  {label:<28} render {render_ms:6.1f} ms ({percentile(renders, 0.9) * 1000:5.1f})"
            f"  build {statistics.median(builds) * 1000:5.1f} ms  {len(pdf) / 1024:6.1f} KB"
            f"  {pages} page(s){verdict}"
        )


if __name__ == "__main__":
    main()
