#!/usr/bin/env python3
"""Render time of uncached table, row and query pages (what the plugin's render_cell costs).

Builds the 100k-row budget table of `classroom_load.py` (12 columns, 6 of them numbers),
then renders pages through Datasette's own client in this process: no server, no page cache
(the classroom cache sits in front of the app, in `ClassroomGuard`), so every request runs
every `render_cell` of the page. One process, one request at a time: light enough to run on
the shared 2-core machine. Classroom settings: 20 rows a page, no suggested facets.

usage: python benchmarks/table_render.py [--rows 100000] [--repeat 15] [--lang fr]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES = {
    "table (20 rows)": "/bench/depenses",
    "table, sorted (1000 rows)": "/bench/depenses?_size=1000&_sort_desc=montant",
    "row": "/bench/depenses/4242",
    "query (1000 rows)": "/bench?sql=" + quote("select * from depenses limit 1000"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--lang", default="fr")
    args = parser.parse_args()

    from benchmarks.classroom_load import build_database
    from datactiviste.serve.app import build_datasette

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        build_database(path, args.rows)
        # classroom settings (no suggested facets, counts computed once): what is left is
        # mostly the query and the rendering of the cells
        datasette = build_datasette([path], args.lang, classroom=True,
                                    settings={"max_returned_rows": 1000})

        async def measure() -> dict[str, list[float]]:
            timings = {}
            for name, url in PAGES.items():
                response = await datasette.client.get(url)  # warm-up: schema, templates
                assert response.status_code == 200, (url, response.status_code)
                samples = []
                for _ in range(args.repeat):
                    started = time.perf_counter()
                    response = await datasette.client.get(url)
                    samples.append(time.perf_counter() - started)
                timings[name] = samples
            return timings

        timings = asyncio.run(measure())
        cell_cost = hook_cost(datasette, path)
    for name, samples in timings.items():
        print(f"{name:28} median {statistics.median(samples) * 1000:7.1f} ms   "
              f"min {min(samples) * 1000:7.1f} ms   ({len(samples)} runs)")
    cells, seconds = cell_cost
    print(f"render_cell hook alone: {cells} cells (1000 rows x 12 columns) in {seconds * 1000:.1f} ms, "
          f"{seconds / cells * 1e6:.2f} µs a cell (best of 5)")


def hook_cost(datasette, path: Path) -> tuple[int, float]:
    """Time of Datasette's render_cell hook call alone, over the cells of a 1000-row page."""
    import sqlite3

    from datasette.plugins import pm

    connection = sqlite3.connect(path)
    cursor = connection.execute("SELECT * FROM depenses LIMIT 1000")
    columns = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    connection.close()
    hook = pm.hook.render_cell
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        for row in rows:
            for column, value in zip(columns, row):
                for candidate in hook(row=row, value=value, column=column, table="depenses",
                                      database="bench", datasette=datasette):
                    if candidate is not None:
                        break
        best = min(best, time.perf_counter() - started)
    return len(rows) * len(columns), best


if __name__ == "__main__":
    main()
