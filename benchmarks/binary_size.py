#!/usr/bin/env python3
"""Size and start time of the frozen datactiviste, and what each dependency costs.

Reads the builds made by `make dist` (dist/datactiviste and dist/datactiviste-folder/):
- sizes of the one-file program and of the one-folder build;
- `--help` start time, warm (median of 5 after one run) and cold (page cache dropped before
  each run, when allowed: root on Linux; else reported as not measured);
- the one-file program's content by dependency, compressed as it is stored (from its own
  archive table, pure-Python modules included), so "which dependency costs what" is measured,
  not guessed;
- import time of the heavy dependencies in this Python (`python -X importtime`), which is what
  each command pays on top of `--help`.

usage: python benchmarks/binary_size.py [--dist dist] [--runs 5] [--output benchmarks/binary_size.md]
"""

from __future__ import annotations

import argparse
import importlib.metadata as metadata
import os
import platform
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
EXE = ".exe" if os.name == "nt" else ""
HEAVY_IMPORTS = ["datactiviste.cli", "datactiviste.ingest.importer", "datasette.app", "folium", "matplotlib.pyplot",
                 "numpy", "PIL.Image", "rapidfuzz.process", "python_calamine", "uvicorn", "yaml", "xlsxwriter"]


def tree_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def drop_caches() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def time_run(program: Path, args: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run([str(program), *args], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def start_times(program: Path, runs: int, cwd: Path) -> dict[str, float | None]:
    time_run(program, ["--help"], cwd)
    warm = statistics.median(time_run(program, ["--help"], cwd) for _ in range(runs))
    cold_runs = []
    for _ in range(3):
        if not drop_caches():
            break
        cold_runs.append(time_run(program, ["--help"], cwd))
    return {"warm": warm, "cold": statistics.median(cold_runs) if cold_runs else None}


def _owner(name: str, modules_to_dists: dict[str, list[str]]) -> str:
    """The distribution (or 'Python', 'shared libraries') a bundled file or module belongs to."""
    top = name.replace("\\", "/").split("/")[0].split(".")[0] if "/" in name or "\\" in name else name.split(".")[0]
    if top.endswith("-libs") or name.split("/")[0].endswith(".libs"):
        top = name.split("/")[0][: -len(".libs")]
    if ".dist-info" in name.split("/")[0]:
        return name.split("/")[0].split("-")[0]
    if top in sys.stdlib_module_names or top.startswith(("python3", "libpython", "base_library", "lib-dynload", "_")) \
            and top not in modules_to_dists:
        return "Python (interpreter + stdlib)"
    if top.startswith("lib") and ".so" in name and "/" not in name:
        return "shared libraries (ssl, sqlite, ...)"
    dists = modules_to_dists.get(top)
    if dists:
        return dists[0]
    return {"pillow": "pillow", "numpy": "numpy"}.get(top.lower(), top)


def onefile_breakdown(program: Path) -> dict[str, int]:
    """{dependency: compressed bytes} from the one-file program's own archive table."""
    from PyInstaller.archive.readers import CArchiveReader

    modules_to_dists = metadata.packages_distributions()
    archive = CArchiveReader(str(program))
    costs: dict[str, int] = defaultdict(int)
    for name, (_offset, stored, _size, _flag, typecode) in archive.toc.items():
        if typecode == "z":  # the PYZ of pure-Python modules: split it by module
            pyz = archive.open_embedded_archive(name)
            for module, (_kind, _module_offset, length) in pyz.toc.items():
                costs[_owner(module, modules_to_dists)] += length
        else:
            costs[_owner(name, modules_to_dists)] += stored
    return dict(costs)


def import_times(modules: list[str]) -> dict[str, float]:
    """Seconds to import each module in a fresh interpreter (what a command adds to --help)."""
    found = {}
    for module in modules:
        code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
        if result.returncode == 0:
            found[module] = float(result.stdout.strip())
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--output", type=Path, default=HERE / "binary_size.md")
    args = parser.parse_args(argv)
    onefile = args.dist / f"datactiviste{EXE}"
    folder = args.dist / "datactiviste-folder" / f"datactiviste{EXE}"
    missing = [str(p) for p in (onefile, folder) if not p.is_file()]
    if missing:
        print(f"missing build(s): {', '.join(missing)}; run `make dist` first", file=sys.stderr)
        return 2
    cwd = Path(os.environ.get("TMPDIR", "/tmp"))
    lines = [f"# Frozen datactiviste: size and start time",
             "", f"Measured on {platform.system()} {platform.machine()}, Python {platform.python_version()}, "
             f"{os.cpu_count()} cores" + (f", {' '.join(platform.libc_ver())}" if sys.platform.startswith("linux") else "")
             + (f", load average {os.getloadavg()[0]:.1f} at start" if hasattr(os, "getloadavg") else "")
             + ". Reproduce: `make dist && python benchmarks/binary_size.py`.", "",
             "| build | size | `--help` warm (median of %d) | `--help` cold (page cache dropped) |" % args.runs,
             "|---|---|---|---|"]
    measured = {}
    for label, program, size in (("one file", onefile, tree_size(onefile)), ("one folder", folder, tree_size(folder.parent))):
        times = start_times(program, args.runs, cwd)
        measured[label] = (size, times["warm"])
        cold = f"{times['cold']:.2f} s" if times["cold"] is not None else "not measured (needs root on Linux)"
        lines.append(f"| {label} | {size / 2**20:.1f} MiB | {times['warm']:.2f} s | {cold} |")
    onefile_size, onefile_warm = measured["one file"]
    lines += ["", "Budget (DESIGN.md): one file ≤ 60 MiB: "
              + ("met" if onefile_size <= 60 * 2**20 else "NOT met")
              + f"; warm `--help` ≤ 1 s: one folder {'met' if measured['one folder'][1] <= 1 else 'NOT met'}, "
              f"one file {'met' if onefile_warm <= 1 else 'NOT met'}. The one-file program unpacks its "
              f"{measured['one folder'][0] / 2**20:.0f} MiB into the temp folder at every start, so its start time "
              "follows its unpacked size, which numpy (OpenBLAS) and matplotlib — the chart engine and the static "
              "maps — dominate (table below). The one-folder build starts without unpacking: it is the one to "
              "put in a kit for old laptops (on Windows the antivirus also scans every unpacked file of the "
              "one-file program)."]
    sys.path.insert(0, str(ROOT / "packaging"))
    from build import required_glibc

    glibc = required_glibc(folder.parent)
    if glibc:
        lines += ["", f"Oldest Linux it runs on: glibc {glibc} (newest GLIBC symbol needed by a bundled file, "
                      "from `objdump -T`; the build machine's system libraries, e.g. libstdc++, set it)."]
    costs = onefile_breakdown(onefile)
    total = sum(costs.values())
    lines += ["", "## What each dependency costs in the one-file program (compressed, as stored)", "",
              "| dependency | MiB | share |", "|---|---|---|"]
    for name, size in sorted(costs.items(), key=lambda item: -item[1]):
        if size >= 256 * 1024:
            lines.append(f"| {name} | {size / 2**20:.1f} | {100 * size / total:.0f} % |")
    small = sum(s for s in costs.values() if s < 256 * 1024)
    lines.append(f"| everything else (each < 0.25 MiB) | {small / 2**20:.1f} | {100 * small / total:.0f} % |")
    lines += ["", "## Import time in this Python (what a command adds to the start)", "",
              "| module | seconds |", "|---|---|"]
    lines += [f"| {module} | {seconds:.3f} |" for module, seconds in import_times(HEAVY_IMPORTS).items()]
    text = "\n".join(lines) + "\n"
    print(text)
    args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
