"""Real SQLite project databases for the map tests (no mocks): built with the project schema."""

from __future__ import annotations

import json
import random

import pytest

from datactiviste import project

XSS = "<img src=x onerror=alert(1)>"


def make_db(path, table: str, columns: list[str], rows: list[tuple], labels: dict | None = None,
            file_name: str = "donnees.csv"):
    connection = project.connect(path)
    project.ensure_schema(connection)
    connection.execute(f'CREATE TABLE "{table}" ({", ".join(f"{c!r}" for c in columns)})'
                       .replace("'", '"'))
    connection.execute("BEGIN")  # one transaction: the project connection is in autocommit mode
    connection.executemany(f'INSERT INTO "{table}" VALUES ({", ".join("?" for _ in columns)})', rows)
    described = [{"name": c, "label": (labels or {}).get(c, c), "type": "TEXT"} for c in columns]
    connection.execute("INSERT INTO _sources (table_name, file_name, columns, licence) VALUES (?, ?, ?, ?)",
                       (table, file_name, json.dumps(described), "Licence Ouverte 2.0"))
    connection.execute("COMMIT")
    connection.close()
    return path


def senegal_points(count: int, seed: int = 1) -> list[tuple]:
    """Schools scattered over western Senegal; French decimal commas in latitude; one XSS name."""
    rnd = random.Random(seed)
    rows = []
    for i in range(count):
        rows.append((f"École {i + 1}", f"{14.0 + rnd.random() * 1.6:.5f}".replace(".", ","),
                     round(-16.9 + rnd.random() * 2.5, 5), rnd.randint(20, 900),
                     rnd.choice(["public", "privé", "franco-arabe"])))
    rows[0] = (XSS,) + rows[0][1:]
    return rows


@pytest.fixture
def points_db(tmp_path):
    return make_db(tmp_path / "ecoles.db", "ecoles", ["nom", "latitude", "longitude", "eleves", "statut"],
                   senegal_points(100), labels={"nom": "Nom de l'école", "eleves": "Élèves"},
                   file_name="ecoles_senegal.csv")


@pytest.fixture
def big_points_db(tmp_path):
    return make_db(tmp_path / "grand.db", "ecoles", ["nom", "latitude", "longitude", "eleves", "statut"],
                   senegal_points(5000, seed=2))


REGION_ROWS = [("DAKAR", "3 732 284"), ("Thies", "2 162 833"), ("Région de Saint-Louis", "1 236 000,5"),
               ("kedougou", "184 000"), ("SN-ZG", "675 000"), ("Diourbel", "1 800 000"),
               ("Kaolak", "1 100 000"), ("Matam", "700 000"), (XSS, "5"), ("Atlantide", "10")]


@pytest.fixture
def regions_db(tmp_path):
    return make_db(tmp_path / "regions.db", "population", ["region", "habitants"], REGION_ROWS,
                   file_name="ansd_population_2023.csv")


PLACE_ROWS = [("THIES", 12), ("St Louis", 8), ("Ziguinchor", 5), ("Kaolak", 7), ("Tambakounda", 3),
              ("Dakar", 30), ("Mbour", 9), ("Touba", 11), (XSS, 1), ("Ndiobène Gandiol", 2)]


@pytest.fixture
def places_db(tmp_path):
    return make_db(tmp_path / "marches.db", "marches", ["commune", "marches"], PLACE_ROWS,
                   file_name="marches.csv")


def make_mbtiles(path, zooms=range(5, 9), bounds=(12.0, -17.6, 16.8, -11.3)):
    """A real raster MBTiles pack over Senegal: one flat-coloured 256 px PNG per tile (Pillow)."""
    import io
    import sqlite3

    from PIL import Image

    from datactiviste.maps.tiles import tile_x, tile_y

    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    connection.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, "
                       "tile_data BLOB)")
    connection.executemany("INSERT INTO metadata VALUES (?, ?)",
                           [("format", "png"), ("name", "Pack atelier"), ("attribution", "Pack du formateur")])
    south, west, north, east = bounds
    for zoom in zooms:
        for x in range(tile_x(west, zoom), tile_x(east, zoom) + 1):
            for y in range(tile_y(north, zoom), tile_y(south, zoom) + 1):
                buffer = io.BytesIO()
                Image.new("RGB", (256, 256), (200, 220 - zoom * 10, 180)).save(buffer, format="PNG")
                connection.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)",
                                   (zoom, x, 2 ** zoom - 1 - y, buffer.getvalue()))
    connection.commit()
    connection.close()
    return path
