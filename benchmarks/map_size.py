"""Map sizes and build time against the DESIGN.md budgets, on real SQLite databases.

Budgets: 100 points + country outlines <= 450 KB; 5,000 points <= 1 MB; zero external loads.
Also: a Senegal region choropleth, the time to build the 5,000-point map (median of 3), and the
gazetteer's precision/recall on synthetic typos (one letter dropped from real place names of
Senegal, Burkina Faso and Côte d'Ivoire, looked up with --country; seeded, so reproducible).

usage: .venv/bin/python benchmarks/map_size.py   (exit 1 if a budget is missed)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from datactiviste.i18n import set_language  # noqa: E402
from datactiviste.maps.build import build_map  # noqa: E402
from datactiviste.maps.points import MapOptions  # noqa: E402
from datactiviste.offline import external_loads  # noqa: E402
from tests.test_maps_fixtures import REGION_ROWS, make_db, senegal_points  # noqa: E402

COLUMNS = ["nom", "latitude", "longitude", "eleves", "statut"]


def measure(label, db, options, table, budget_kb=None, repeat=1):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = build_map(db, options, table=table)
        times.append(time.perf_counter() - start)
    size_kb = len(result.html.encode("utf-8")) / 1024
    loads = len(external_loads(result.html))
    ok = loads == 0 and (budget_kb is None or size_kb <= budget_kb)
    budget = f"<= {budget_kb} KB" if budget_kb else "-"
    print(f"| {label} | {result.drawn} | {size_kb:,.0f} KB | {budget} | {loads} | "
          f"{statistics.median(times):.2f} s | {'ok' if ok else 'OVER'} |")
    return ok


def main() -> int:
    set_language("fr")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        small = make_db(folder / "s.db", "ecoles", COLUMNS, senegal_points(100))
        big = make_db(folder / "b.db", "ecoles", COLUMNS, senegal_points(5000, seed=2))
        regions = make_db(folder / "r.db", "population", ["region", "habitants"], REGION_ROWS)
        print("| map | features | size | budget | external loads | build time | verdict |")
        print("|---|---|---|---|---|---|---|")
        results = [
            measure("100 points + outlines", small, MapOptions(), "ecoles", 450),
            measure("100 points, --size --color", small, MapOptions(size="eleves", color="statut"),
                    "ecoles", 450),
            measure("5,000 points (clustered)", big, MapOptions(), "ecoles", 1024, repeat=3),
            measure("5,000 points (--no-cluster)", big, MapOptions(cluster=False), "ecoles", 1024),
            measure("Senegal regions choropleth", regions,
                    MapOptions(region="region", value="habitants"), "population", 450),
        ]
    typo_accuracy()
    return 0 if all(results) else 1


def typo_accuracy(seed: int = 5, per_country: int = 150) -> None:
    import random

    from datactiviste.maps.gazetteer import Gazetteer

    gazetteer = Gazetteer.bundled()
    rnd = random.Random(seed)
    print("\n| country | names with a typo | found right | wrong place | not found | ms/name |")
    print("|---|---|---|---|---|---|")
    for country in ("SN", "BF", "CI"):
        places = [p for p in gazetteer.places if p.country == country and len(p.name) >= 6]
        sample = rnd.sample(places, min(per_country, len(places)))
        right = wrong = missing = 0
        start = time.perf_counter()
        for place in sample:
            cut = rnd.randrange(1, len(place.name) - 1)
            match = gazetteer.lookup(place.name[:cut] + place.name[cut + 1:], {country})
            if match.place is None:
                missing += 1
            elif match.place.name == place.name:
                right += 1
            else:
                wrong += 1
        elapsed = (time.perf_counter() - start) / len(sample) * 1000
        n = len(sample)
        print(f"| {country} | {n} | {right / n:.0%} | {wrong / n:.0%} | {missing / n:.0%} | {elapsed:.0f} |")


if __name__ == "__main__":
    sys.exit(main())
