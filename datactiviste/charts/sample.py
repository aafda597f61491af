"""A small, realistic project database to try every chart type (tests, benchmark, workshops).

Built with the project schema and a `_sources` row, exactly as an import would leave it, so
provenance (source line, original headers, units) is exercised too. Values are derived
from simple formulas, not random numbers, so every run gives the same database.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

from datactiviste import project

REGIONS = ["Dakar", "Thiès", "Diourbel", "Saint-Louis", "Kaolack", "Ziguinchor", "Louga",
           "Tambacounda", "Kolda", "Matam", "Kaffrine", "Kédougou", "Sédhiou", "Fatick"]


def _source(connection, table: str, file_name: str, columns: list[tuple], licence: str | None,
            url: str | None) -> None:
    described = [{"name": name, "label": label, "type": kind, "unit": unit}
                 for name, label, kind, unit in columns]
    connection.execute(
        "INSERT INTO _sources (table_name, file_name, imported_at, encoding, delimiter, columns, "
        "licence, source_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (table, file_name, "2024-03-01T10:00:00", "cp1252", ";",
         json.dumps(described, ensure_ascii=False), licence, url))


def build_sample_database(path: str | Path, categories: int = len(REGIONS),
                          days: int = 365) -> Path:
    """Tables: budget (region, secteur, montant FCFA), prix (mois, produit, prix FCFA/kg),
    pluie (jour, mm), ecoles (region, eleves, taux_reussite %)."""
    path = Path(path)
    if path.exists():
        path.unlink()
    connection = project.connect(path)
    project.ensure_schema(connection)
    connection.execute("BEGIN")
    regions = REGIONS + [f"Commune {i:03d}" for i in range(max(categories - len(REGIONS), 0))]
    regions = regions[:categories]
    connection.execute("CREATE TABLE budget (region TEXT, secteur TEXT, montant REAL)")
    sectors = ["Santé", "Éducation", "Eau"]
    rows = [(region, sector, round(1_000_000 * (len(regions) - i) ** 1.3 * (1 + 0.4 * j) / 7, 1))
            for i, region in enumerate(regions) for j, sector in enumerate(sectors)]
    connection.executemany("INSERT INTO budget VALUES (?, ?, ?)", rows)
    _source(connection, "budget", "budget_regions_2024.csv",
            [("region", "Région", "TEXT", None), ("secteur", "Secteur", "TEXT", None),
             ("montant", "Montant (FCFA)", "REAL", "FCFA")],
            "Licence ouverte 2.0", "https://example.org/budget")

    connection.execute("CREATE TABLE prix (mois DATE, produit TEXT, prix REAL)")
    products = {"Riz": 400, "Mil": 250, "Oignon": 300}
    rows = []
    for month in range(24):
        date = dt.date(2023 + month // 12, month % 12 + 1, 1).isoformat()
        for k, (product, base) in enumerate(products.items()):
            rows.append((date, product, round(base * (1 + 0.012 * month) + 25 * math.sin(month / 2 + k), 1)))
    connection.executemany("INSERT INTO prix VALUES (?, ?, ?)", rows)
    _source(connection, "prix", "prix_marches.csv",
            [("mois", "Mois", "DATE", None), ("produit", "Produit", "TEXT", None),
             ("prix", "Prix (FCFA/kg)", "REAL", "FCFA/kg")], None, None)

    connection.execute("CREATE TABLE pluie (jour DATE, pluie REAL)")
    start = dt.date(2024, 1, 1)
    rows = [((start + dt.timedelta(days=d)).isoformat(),
             round(max(0.0, 12 * math.sin(math.pi * (d - 150) / 200)) + (d * 7 % 5) / 2, 1)
             if 150 <= d <= 350 else round((d * 7 % 5) / 10, 1)) for d in range(days)]
    connection.executemany("INSERT INTO pluie VALUES (?, ?)", rows)
    _source(connection, "pluie", "pluviometrie_thies.csv",
            [("jour", "Jour", "DATE", None), ("pluie", "Pluie (mm)", "REAL", "mm")],
            "CC BY 4.0", "https://example.org/pluie")

    connection.execute("CREATE TABLE ecoles (region TEXT, eleves INTEGER, taux_reussite REAL)")
    rows = [(region, 20_000 + 9_000 * ((i * 5) % 14), round(38 + 2.1 * ((i * 5) % 14) + (i % 3), 1))
            for i, region in enumerate(regions)]
    connection.executemany("INSERT INTO ecoles VALUES (?, ?, ?)", rows)
    _source(connection, "ecoles", "resultats_bfem.csv",
            [("region", "Région", "TEXT", None), ("eleves", "Élèves", "INTEGER", None),
             ("taux_reussite", "Taux de réussite", "REAL", "%")], None, None)
    connection.execute("COMMIT")
    connection.close()
    return path
