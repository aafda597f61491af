#!/usr/bin/env python3
"""Import speed and memory: datactiviste vs `sqlite-utils insert` vs the sqlite3 shell's `.import`.

Generates a deterministic French CSV (cp1252, `;`, comma decimals with space thousands, dd/mm/yyyy
dates, codes with leading zeros) of N rows x 12 columns, then times each tool on it in the same
run, each in a fresh process, and samples peak memory (RSS of the process and its workers
together: a big file is read by one process per core).

usage: python benchmarks/import_speed.py [--rows 1000000] [--rows 100000] [--skip-sqlite-utils]
                                        [--shared-file] [--repeat N]
Results are printed as a Markdown table; the last run is quoted in benchmarks/import_speed.md.
--repeat N runs every tool once per round, N rounds, interleaved: on a shared or throttled machine
the speed changes by ±25 % within minutes, so each round's ratio to `.import` is taken in that
round, and the table gives medians (and each ratio's range over the rounds).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from processes import tree_rss_mib  # noqa: E402

REGIONS = ["Dakar", "Thiès", "Saint-Louis", "Ziguinchor", "Kaolack", "Louga", "Fatick", "Kolda",
           "Matam", "Tambacounda", "Kédougou", "Sédhiou", "Kaffrine", "Diourbel"]
CHAPTERS = ["Santé", "Éducation", "Voirie", "Eau et assainissement", "Administration générale",
            "Jeunesse et sports", "Culture", "Marchés"]


def french_amount(value: float) -> str:
    whole, cents = f"{value:.2f}".split(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return "\u00a0".join(groups) + "," + cents


def generate(path: Path, rows: int, seed: int = 2024) -> None:
    rng = random.Random(seed)
    header = ["Code commune", "Commune", "Région", "Chapitre", "Libellé", "Date de mandatement",
              "Montant (FCFA)", "Taux d'exécution", "Bénéficiaires", "Latitude", "Longitude", "Référence"]
    with open(path, "w", encoding="cp1252", newline="") as handle:
        handle.write(";".join(header) + "\r\n")
        for index in range(rows):
            code = f"{rng.randint(1, 14):02d}{rng.randint(1, 999):03d}"
            region = REGIONS[rng.randrange(len(REGIONS))]
            day, month = rng.randint(1, 28), rng.randint(1, 12)
            amount = rng.random() * 10_000_000
            rate = f"{rng.random() * 100:.1f}".replace(".", ",")
            beneficiaries = str(rng.randint(0, 50_000))
            latitude = f"{12 + rng.random() * 4:.5f}".replace(".", ",")
            longitude = f"{-17.5 + rng.random() * 5:.5f}".replace(".", ",")
            handle.write(";".join([
                code, f"Commune {code}", region, CHAPTERS[index % len(CHAPTERS)],
                f"Dépense n° {index} — fournitures et travaux", f"{day:02d}/{month:02d}/2024",
                french_amount(amount), rate, beneficiaries, latitude, longitude, f"REF-{index:07d}",
            ]) + "\r\n")


def run(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall time and CPU time (user + system, s) of one command run in a child process.

    CPU time is what to compare on a shared machine: wall time grows with other load, CPU time
    much less."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def peak_rss(command: list[str], cwd: Path) -> float:
    """Peak memory (MiB) of one command and its worker processes together, sampled every 20 ms
    (a big import runs one process per core: their sum is what the laptop must hold)."""
    if not Path("/proc/self/status").exists():
        return float("nan")
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, tree_rss_mib(process.pid) or 0.0)
        time.sleep(0.02)
    return peak


SHARED_GENERATOR = HERE.parents[1] / "shared" / "tools" / "make_big_csv.py"


def compile_package() -> None:
    """Byte-compile datactiviste before timing it, as users run it: the frozen binary and a pip
    install carry compiled bytecode, while an editable checkout under PYTHONDONTWRITEBYTECODE=1
    (set on the project machines) compiles every module again in each process, 0.07 s for the main
    one and as much for each worker, which no user pays."""
    import compileall

    import datactiviste

    compileall.compile_dir(str(Path(datactiviste.__file__).parent), quiet=1)


def bench(rows: int, work: Path, with_sqlite_utils: bool, shared: bool = False, repeat: int = 1) -> list[dict]:
    """Time each tool on one file: ours (`generate`) or the issue's file (`make_big_csv.py`)."""
    csv_path = work / (f"big_{rows}.csv" if shared else f"depenses_{rows}.csv")
    if not csv_path.exists():
        if shared:
            subprocess.run([sys.executable, str(SHARED_GENERATOR), str(csv_path), str(rows)], check=True)
        else:
            generate(csv_path, rows)
    size_mb = csv_path.stat().st_size / 1e6
    bin_dir = Path(sys.executable).parent
    compile_package()
    tools = {
        # Same work as the baselines: types and provenance, no indexes; one process per core.
        "datactiviste import": [str(bin_dir / "datactiviste"), "import", str(csv_path), "--db", "dv.db", "--no-index"],
        # The same in one process, to show what splitting the file buys.
        "datactiviste import --jobs 1": [str(bin_dir / "datactiviste"), "import", str(csv_path), "--db", "dv.db",
                                         "--no-index", "--jobs", "1"],
        # The default also indexes facet/sort columns for Datasette and builds the full-text
        # search index (work the baselines skip).
        "datactiviste import + indexes": [str(bin_dir / "datactiviste"), "import", str(csv_path), "--db", "dv.db"],
        "datactiviste import + indexes, no search": [str(bin_dir / "datactiviste"), "import", str(csv_path),
                                                     "--db", "dv.db", "--no-search"],
        "sqlite3 .import": ["sqlite3", "shell.db", "-cmd", ".mode csv", "-cmd", ".separator ;",
                            ".import " + str(csv_path) + " depenses"],
    }
    if with_sqlite_utils:
        tools["sqlite-utils insert"] = [str(bin_dir / "sqlite-utils"), "insert", "su.db", "depenses", str(csv_path),
                                        "--csv", "--delimiter", ";", "--encoding", "cp1252"]  # 4.x detects types by default
    rounds: list[dict[str, tuple[float, float]]] = []
    memory: dict[str, float] = {}
    for round_number in range(1, repeat + 1):
        timings = {}
        for name, command in tools.items():
            for db in ("dv.db", "shell.db", "su.db"):
                (work / db).unlink(missing_ok=True)
            timings[name] = seconds, cpu = run(command, work)
            for db in ("dv.db", "shell.db", "su.db"):
                (work / db).unlink(missing_ok=True)
            if round_number == 1:
                memory[name] = peak_rss(command, work)
            print(f"{rows:>9} rows  round {round_number}  {name:<30} {seconds:7.2f} s wall  {cpu:7.2f} s CPU  "
                  f"{memory[name]:7.1f} MiB", file=sys.stderr)
        rounds.append(timings)
    for db in ("dv.db", "shell.db", "su.db"):
        (work / db).unlink(missing_ok=True)
    results = []
    for name in tools:
        ratios = [timings[name][0] / timings["sqlite3 .import"][0] for timings in rounds]
        results.append({"rows": rows, "size_mb": size_mb, "tool": name,
                        "seconds": statistics.median(t[name][0] for t in rounds),
                        "cpu": statistics.median(t[name][1] for t in rounds), "peak_mib": memory[name],
                        "ratio": statistics.median(ratios), "ratios": ratios})
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append", help="rows to generate (repeatable)")
    parser.add_argument("--skip-sqlite-utils", action="store_true", help="skip the slow sqlite-utils baseline")
    parser.add_argument("--work", type=Path, default=HERE / "data", help="where generated files go")
    parser.add_argument("--repeat", type=int, default=1, help="rounds, interleaved (medians are reported)")
    parser.add_argument("--shared-file", action="store_true",
                        help="use ../shared/tools/make_big_csv.py's file (the one issue 11's budgets name)")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    results = []
    for rows in args.rows or [100_000, 1_000_000]:
        results += bench(rows, args.work, not args.skip_sqlite_utils, shared=args.shared_file, repeat=args.repeat)
    print(f"load average at the end: {os.getloadavg()[0]:.2f} (CPU time is the fair comparison when > 1)")
    print("| rows | file MB | tool | wall s | CPU s (all processes) | peak MiB (all processes) | vs `.import` (same round) |")
    print("|---:|---:|---|---:|---:|---:|---:|")
    for row in results:
        print(f"| {row['rows']:,} | {row['size_mb']:.0f} | {row['tool']} | {row['seconds']:.2f} | {row['cpu']:.2f} | "
              f"{row['peak_mib']:.0f} | {row['ratio']:.2f}× |")
    for rows in sorted({r["rows"] for r in results}):
        def wall(tool: str) -> float:
            return next(r["seconds"] for r in results if r["rows"] == rows and r["tool"] == tool)
        def ratio(tool: str) -> str:
            row = next(r for r in results if r["rows"] == rows and r["tool"] == tool)
            spread = f" (rounds: {min(row['ratios']):.2f}–{max(row['ratios']):.2f})" if len(row["ratios"]) > 1 else ""
            return f"{row['ratio']:.2f}×{spread}"
        print(f"{rows:,} rows, {args.repeat} round(s), median of each round's ratio: "
              f"--no-index {ratio('datactiviste import')} .import (budget 2×), "
              f"default {ratio('datactiviste import + indexes')} (budget 4×), "
              f"search adds {wall('datactiviste import + indexes') / wall('datactiviste import + indexes, no search') - 1:.0%} "
              f"(budget 25 %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
