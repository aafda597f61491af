"""A small real project database for the serve tests: provenance, anomalies, a foreign key, FTS.

Built with sqlite3 + sqlite-utils + `project.ensure_schema` the way the importer records a
table, so the tests do not depend on the importer's details.
"""

from __future__ import annotations

import json
import random
import socket
import urllib.error
import urllib.request
from pathlib import Path

import sqlite_utils

from datactiviste import project

REGIONS = {"Dakar": (14.69, -17.44), "Thiès": (14.79, -16.93), "Saint-Louis": (16.02, -16.49),
           "Ziguinchor": (12.56, -16.27), "Kaolack": (14.15, -16.07)}
COMMUNES = [("01001", "Dakar-Plateau", "Dakar"), ("01002", "Médina", "Dakar"),
            ("02001", "Thiès-Est", "Thiès"), ("02002", "Tivaouane", "Thiès"),
            ("03001", "Saint-Louis", "Saint-Louis"), ("04001", "Ziguinchor", "Ziguinchor"),
            ("05001", "Kaolack", "Kaolack"), ("05002", "Nioro du Rip", "Kaolack")]
COLUMNS = [
    {"name": "code_commune", "label": "Code commune", "type": "TEXT"},
    {"name": "region", "label": "Région", "type": "TEXT"},
    {"name": "poste", "label": "Poste de dépense", "type": "TEXT"},
    {"name": "montant", "label": "Montant (FCFA)", "type": "REAL", "unit": "FCFA"},
    {"name": "date_paiement", "label": "Date de paiement", "type": "DATE"},
    {"name": "latitude", "label": "Latitude", "type": "REAL"},
    {"name": "longitude", "label": "Longitude", "type": "REAL"},
]


def make_project_db(path: Path, rows: int = 120, seed: int = 7) -> Path:
    """`depenses` (rows, with provenance and 2 anomalies) and `communes` (referenced by FK)."""
    rng = random.Random(seed)
    db = sqlite_utils.Database(str(path))
    db["communes"].insert_all(
        [{"code": c, "nom": n, "region": r} for c, n, r in COMMUNES], pk="code")
    records = []
    for i in range(rows):
        code, _name, region = COMMUNES[i % len(COMMUNES)]
        lat, lon = REGIONS[region]
        records.append({
            "id": i + 1, "code_commune": code, "region": region,
            "poste": rng.choice(["Santé", "Éducation", "Voirie", "Eau potable"]),
            "montant": round(rng.uniform(1000, 5_000_000), 2),
            "date_paiement": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "latitude": round(lat + rng.uniform(-0.1, 0.1), 5),
            "longitude": round(lon + rng.uniform(-0.1, 0.1), 5),
        })
    db["depenses"].insert_all(records, pk="id", foreign_keys=[("code_commune", "communes", "code")])
    db["depenses"].enable_fts(["poste", "region"])
    db.create_view("depenses_par_region", "SELECT region, count(*) AS n, sum(montant) AS total "
                                          "FROM depenses GROUP BY region")
    connection = db.conn
    project.ensure_schema(connection)
    connection.execute(
        "INSERT INTO _sources (table_name, file_name, file_size, imported_at, format, encoding, "
        "delimiter, rows_read, rows_written, mode, columns, licence, source_url) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ("depenses", "depenses_communes.csv", 12345, "2024-03-05T10:00:00", "csv", "cp1252", ";",
         rows, rows, "create", json.dumps(COLUMNS), "Licence Ouverte 2.0",
         "https://example.org/depenses"))
    connection.executemany(
        "INSERT INTO _anomalies (table_name, source_line, column_name, raw_value, reason) "
        "VALUES ('depenses', ?, 'montant', ?, 'not a number')", [(5, "n/a"), (9, "12,3,4")])
    connection.commit()
    db.close()
    return path


def make_tile_pack(path: Path, max_zoom: int = 3, fmt: str = "png") -> Path:
    """A real MBTiles file: one plain PNG per tile for zooms 0..max_zoom (TMS rows)."""
    import io
    import sqlite3

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (200, 225, 240)).save(buffer, format="PNG")
    tile = buffer.getvalue()
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    connection.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, "
                       "tile_row INTEGER, tile_data BLOB)")
    connection.executemany("INSERT INTO metadata VALUES (?, ?)", [
        ("name", "Pack de test"), ("format", fmt), ("bounds", "-18,12,-11,17"),
        ("attribution", "Formateur <b>test</b>")])
    connection.executemany("INSERT INTO tiles VALUES (?, ?, ?, ?)", [
        (z, x, y, tile) for z in range(max_zoom + 1) for x in range(1 << z) for y in range(1 << z)])
    connection.commit()
    connection.close()
    return path


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now (for a server process a test starts)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, timeout: float = 20) -> tuple[int, str]:
    """(status, text) of a GET to a test server on 127.0.0.1, error pages included."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")
