#!/usr/bin/env python3
"""Bad input is refused fast and in bounded memory: wall seconds and peak memory (max RSS) of
`datactiviste import` on each hostile file, each in a fresh process, with the exit code.

Files (built in a temporary folder): a JSON object with 10^6 keys (before: 17 s, 1.5 GB, then
an English SQLite error), a JSON nested 10^5 levels deep (before: RecursionError), an xlsx whose
sheet unpacks to 3 GiB (before: 3 GB of memory), a CSV with an unclosed quote swallowing 17 MB
in its first lines, 20 kB of random bytes (before: imported with exit 0), a web page saved as .csv.
Budget: every case exits 2 in under 5 s and under 300 MiB (about 130 MiB of it is the program itself).
Measured on the shared 2-core machine (1 Dec 2026): 10^6 keys 3.4 s 212 MiB, bomb 1.3 s 133 MiB,
others under 1.5 s and 140 MiB.

usage: python benchmarks/bad_input.py     (prints a Markdown table; a shared machine: run once)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.test_import_badinput import _bomb  # noqa: E402 - the same bomb the test refuses

MEASURE = ("import resource, sys\nfrom datactiviste.cli import main\ntry:\n    main(sys.argv[1:])\n"
           "except SystemExit as exit:\n    code = exit.code\nelse:\n    code = 0\n"
           "print('RESULT', code, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)")


def _cases(folder: Path) -> dict[str, Path]:
    wide = folder / "wide.json"
    wide.write_text("[{" + ",".join(f'"k{i}": {i}' for i in range(10 ** 6)) + "}]")
    deep = folder / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    quote = folder / "quote.csv"
    quote.write_text('a;b\n1;"jamais fermé ' + "x" * (17 * 1024 * 1024) + "\n2;3\n")
    noise = folder / "noise.csv"
    noise.write_bytes(os.urandom(20_000))
    page = folder / "page.csv"
    page.write_text("<!DOCTYPE html><html><body><table><tr><td>1</td></tr></table></body></html>")
    return {"JSON, 10^6 keys": wide, "JSON, 10^5 levels": deep, "xlsx unpacking to 3 GiB": _bomb(folder / "bomb.xlsx", 3072),
            "CSV, 17 MB unclosed quote": quote, "random bytes": noise, "web page as .csv": page}


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        print("| file | size | exit | seconds | peak MiB |\n| --- | ---: | ---: | ---: | ---: |")
        for label, path in _cases(folder).items():
            started = time.perf_counter()
            run = subprocess.run([sys.executable, "-c", MEASURE, "import", str(path), "--db", str(folder / "t.db")],
                                 capture_output=True, text=True, cwd=ROOT)
            seconds = time.perf_counter() - started
            code, peak = run.stderr.rsplit("RESULT", 1)[1].split()
            print(f"| {label} | {path.stat().st_size / 1e6:.1f} MB | {code} | {seconds:.2f} | {int(peak) / 1024:.0f} |")


if __name__ == "__main__":
    main()
