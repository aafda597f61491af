"""Which columns get an index: the ones people facet and sort by, few, chosen from a sample."""

import random
import sqlite3

from datactiviste.serve.indexes import MAX_INDEXES, columns_worth_indexing, prepare_for_serving


def _table(path, rows=5000):
    rng = random.Random(3)
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE t (id INTEGER, code_commune TEXT, region TEXT, statut TEXT, annee INTEGER, "
                       "date_paiement TEXT, montant REAL, latitude REAL, longitude REAL, commentaire TEXT, "
                       "fournisseur TEXT)")
    connection.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
        (i, f"{i:05d}", rng.choice(["Dakar", "Thiès", "Kolda"]), rng.choice(["payé", "engagé"]),
         rng.choice([2022, 2023, 2024]), f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
         rng.uniform(1, 1e6), rng.uniform(12, 16), rng.uniform(-17, -11),
         "voir note" if i % 500 == 0 else None, f"Fournisseur {rng.randint(1, 4000)}")
        for i in range(1, rows + 1)])
    return connection


def test_facets_first_then_dates_then_quantities_never_identifiers_coordinates_or_empty(tmp_path):
    connection = _table(tmp_path / "t.db")
    chosen = columns_worth_indexing(connection, "t")
    # The first facet (a place or category of 3 values before the yes/no statut), the date, the
    # amount, then the next facet; the flag does not make the cut of MAX_INDEXES.
    assert chosen in (["annee", "date_paiement", "montant", "region"], ["region", "date_paiement", "montant", "annee"])
    for never in ("id", "code_commune", "latitude", "longitude", "commentaire", "fournisseur", "statut"):
        assert never not in chosen
    assert len(chosen) <= MAX_INDEXES


def test_indexes_are_used_by_facet_and_sort_queries(tmp_path):
    connection = _table(tmp_path / "t.db")
    created = prepare_for_serving(connection, "t")
    assert "region" in created and prepare_for_serving(connection, "t") == []   # idempotent
    facet = " ".join(str(r) for r in connection.execute("EXPLAIN QUERY PLAN SELECT region, count(*) FROM t GROUP BY region"))
    sort = " ".join(str(r) for r in connection.execute("EXPLAIN QUERY PLAN SELECT * FROM t ORDER BY montant DESC LIMIT 10"))
    assert "idx_t_region" in facet and "idx_t_montant" in sort
    assert connection.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 't'").fetchone()[0] >= len(created)
