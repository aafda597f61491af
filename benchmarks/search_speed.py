#!/usr/bin/env python3
"""Full-text search: what it adds to an import, how fast a query answers, what the program weighs.

1. `datactiviste import FILE` with and without `--no-search`, each in a fresh process, into a
   new database (wall seconds; the budget: search adds at most 25 % to the default import), and
   the index built alone on the imported table (the difference of two imports is noisy);
2. query latency on that database, median of 5 after one warm-up, for `datactiviste search`'s
   query (datactiviste.find.search_tables, every searchable table), for Datasette's table
   page with `?_search=` (its count and first page) and for the search-all page with the
   classroom settings (through Datasette's own client: the classroom response cache, which
   would answer repeats at once, is not in the way); budget < 100 ms;
3. the frozen program's sizes, if dist/ holds a build (compare with benchmarks/binary_size.md).

usage: python benchmarks/search_speed.py [FILE]   (default /tmp/big.csv; make it with
       python ../shared/tools/make_big_csv.py /tmp/big.csv 1000000)
Results are printed as Markdown; quote them in the issue note (a shared, noisy machine: run once).
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ["ecole", "saint-etienne", "maîtrise d’œuvre", "reno", "chalons champagne", "introuvable"]


def timed_import(source: Path, database: Path, *extra: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "datactiviste", "import", str(source), "--db", str(database),
                    "--report", "json", *extra], check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - started


def index_alone(database: Path, table: str) -> float:
    """Seconds to choose the columns and build the index on the imported table (rolled back):
    less noisy than the difference of two imports on a shared machine."""
    import json

    from datactiviste.ingest.search import enable_search

    connection = sqlite3.connect(database, isolation_level=None)
    columns = json.loads(connection.execute(
        "SELECT columns FROM _sources WHERE table_name = ? ORDER BY id DESC LIMIT 1", (table,)).fetchone()[0])
    connection.execute("BEGIN IMMEDIATE")
    started = time.perf_counter()
    enable_search(connection, table, {column["name"]: column["kind"] for column in columns})
    seconds = time.perf_counter() - started
    connection.execute("ROLLBACK")
    connection.close()
    return seconds


def median_ms(function, repeat: int = 5) -> float:
    function()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def query_latencies(database: Path, table: str) -> list[tuple[str, int, float, float, float]]:
    from datactiviste.find import search_tables
    from datactiviste.serve.app import build_datasette

    connection = sqlite3.connect(database)
    datasette = build_datasette([database], "fr")
    classroom = build_datasette([database], "fr", classroom=True)
    name = database.stem
    rows = []
    for query in QUERIES:
        found = search_tables(connection, query)
        total = sum(r.total for r in found)
        terminal = median_ms(lambda: search_tables(connection, query))

        def get(instance, url):
            response = asyncio.run(instance.client.get(url))
            assert response.status_code == 200, response.status_code

        table_page = median_ms(lambda: get(datasette, f"/{name}/{table}?_search={query}"))
        search_all = median_ms(lambda: get(classroom, f"/-/datactiviste/search?q={query}"))
        rows.append((query, total, terminal, table_page, search_all))
    connection.close()
    return rows


def sizes() -> list[tuple[str, float]]:
    found = []
    for label, path in (("one file", ROOT / "dist" / "datactiviste"), ("one folder", ROOT / "dist" / "datactiviste-folder")):
        if path.is_file():
            found.append((label, path.stat().st_size / 2**20))
        elif path.is_dir():
            found.append((label, sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink()) / 2**20))
    return found


def main() -> None:
    source = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/big.csv")
    if not source.is_file():
        sys.exit(f"{source} not found: python ../shared/tools/make_big_csv.py {source} 1000000")
    with tempfile.TemporaryDirectory(prefix="search-bench-") as folder:
        plain, searchable = Path(folder) / "plain.db", Path(folder) / "big.db"
        without = timed_import(source, plain, "--no-search")
        plain.unlink()
        with_search = timed_import(source, searchable)
        connection = sqlite3.connect(searchable)
        table = connection.execute("SELECT table_name FROM _sources ORDER BY id DESC LIMIT 1").fetchone()[0]
        columns = [row[1] for row in connection.execute(f'PRAGMA table_info("{table}_fts")')]
        rows = connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        connection.close()
        size = searchable.stat().st_size / 2**20
        alone = index_alone(searchable, table)
        print(f"## {source.name}: {rows:,} rows, load average {os.getloadavg()[0]:.1f}\n")
        print("| import | wall s |\n|---|---:|")
        print(f"| default, `--no-search` | {without:.1f} |")
        print(f"| default (full-text index on {', '.join(columns)}) | {with_search:.1f} |")
        print(f"| the index alone (`enable_search` again, in this process) | {alone:.1f} |")
        print(f"\nSearch adds {100 * (with_search - without) / without:.0f} % (two imports; the index alone: "
              f"{100 * alone / without:.0f} %; budget 25 %); database {size:.0f} MiB.\n")
        print("| query | rows found | `datactiviste search` ms | table page `?_search=` ms | search-all page (classroom) ms |\n"
              "|---|---:|---:|---:|---:|")
        for query, total, terminal, page, search_all in query_latencies(searchable, table):
            print(f"| {query} | {total:,} | {terminal:.1f} | {page:.1f} | {search_all:.1f} |")
    for label, mib in sizes():
        print(f"\n{label}: {mib:.1f} MiB")


if __name__ == "__main__":
    main()
