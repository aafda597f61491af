#!/usr/bin/env python3
"""`export -o table.html` budget: size of 5,000 rows x 10 columns, and open time in Chromium.

Builds the test project database (tests/serve_fixtures.py) with 5,000 rows, exports 10 columns
with --sql, then opens the file 5 times in Debian's Chromium (network cut) and reports the
time until the table is drawn (navigation start to the row count being written).
Budget (issue 14): <= 1 MB, < 1 s.

usage: python benchmarks/export_html_size.py [--rows 5000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    from datactiviste.serve.export import export
    from tests.browser import CHROMIUM_ARGS, chromium_path
    from tests.serve_fixtures import make_project_db

    with tempfile.TemporaryDirectory() as folder:
        db = make_project_db(Path(folder) / "p.db", rows=args.rows)
        sql = ("SELECT id, code_commune, region, poste, montant, date_paiement, latitude, longitude, "
               "montant * 1.18 AS montant_ttc, 'Commune de ' || code_commune AS libelle FROM depenses")
        output = Path(folder) / "t.html"
        export(db, output, sql=sql)
        size = output.stat().st_size
        times = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            for _ in range(5):
                page = browser.new_page()
                page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                           else route.abort())
                page.goto(output.as_uri())
                page.wait_for_selector("html[data-drawn]", state="attached")
                times.append(float(page.get_attribute("html", "data-drawn")))
                page.close()
            browser.close()
    print(f"rows={args.rows} columns=10 size={size} bytes ({size / 1e6:.2f} MB)")
    print(f"open to table drawn: median {statistics.median(times):.0f} ms, max {max(times):.0f} ms "
          f"(5 opens)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
