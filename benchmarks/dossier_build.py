#!/usr/bin/env python3
"""Dossier budget: 3 charts + 1 map + 2 tables (and 5 numbers) <= 1.5 MB, built in < 5 s.

Builds the fixture dossier (tests/fixtures/dossier/complet) on a database imported from the
sample data, several times in fresh processes' worth of work (each build evaluates every query,
draws every figure and writes the file), and reports the median and worst build time without
the PDF, one build with the PDF when Chromium is present, the HTML size and its parts, and the
load average (the machine is shared: a loaded machine is slower, so the CPU time is given too:
it is what one build costs, and about its wall time on an idle machine).

usage: .venv/bin/python benchmarks/dossier_build.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BUDGET_BYTES = 1_500_000
BUDGET_SECONDS = 5.0


def parts(html: str) -> dict[str, int]:
    svg = sum(len(m.encode()) for m in re.findall(r"<svg\b.*?</svg>", html, re.S))
    csv = sum(len(m) for m in re.findall(r"data:text/csv[^\"]+", html))
    return {"svg figures": svg, "csv appendix": csv, "text, method, styles": len(html.encode()) - svg - csv}


def main() -> int:
    from datactiviste.dossier import build_dossier
    from datactiviste.dossier.pdf import find_browser
    from tests.dossier_helpers import full_dossier, sample_database

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dossier-bench-") as scratch:
        root = Path(scratch)
        folder = full_dossier(root / "complet", sample_database(root / "datactiviste.db"))
        build_dossier(folder, pdf=False)  # warm: imports, fonts, geodata read once per process
        load = os.getloadavg()[0]
        times, cpu = [], []
        for _ in range(args.runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            result = build_dossier(folder, pdf=False)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        facts = result.evaluation.facts
        html = result.html.read_text(encoding="utf-8")
        kinds = {k: sum(f.kind == k for f in facts) for k in ("number", "chart", "map", "table")}
        print(f"dossier: {kinds['number']} numbers, {kinds['chart']} charts, {kinds['map']} map, "
              f"{kinds['table']} tables")
        print(f"load average at start: {load:.1f} (2 cores)")
        print(f"HTML size: {result.size / 1e6:.3f} MB (budget {BUDGET_BYTES / 1e6:.1f} MB): "
              + ("met" if result.size <= BUDGET_BYTES else "NOT met"))
        for name, size in parts(html).items():
            print(f"  {name}: {size / 1000:.0f} kB")
        median, worst = statistics.median(times), max(times)
        print(f"build without PDF, {args.runs} runs in one process: median {median:.2f} s, worst "
              f"{worst:.2f} s, CPU median {statistics.median(cpu):.2f} s (budget "
              f"{BUDGET_SECONDS:.0f} s): " + ("met" if median < BUDGET_SECONDS else "NOT met"))
        started, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        cold = os.system(f"{sys.executable} -m datactiviste dossier build {folder} --no-pdf "
                         f"> /dev/null 2>&1")
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        print(f"build without PDF from the command line (new process, imports included): "
              f"{time.perf_counter() - started:.2f} s, CPU {used:.2f} s (exit {cold})")
        browser = find_browser()
        if browser:
            started = time.perf_counter()
            result = build_dossier(folder, pdf=True)
            print(f"build with PDF ({Path(browser).name}): {time.perf_counter() - started:.2f} s, "
                  f"PDF {result.pdf.stat().st_size / 1000:.0f} kB")
        else:
            print("no Chromium: PDF not measured")
    return 0


if __name__ == "__main__":
    sys.exit(main())
