"""A real project database from the sample data, and dossier folders around it, for the dossier tests.

The database is imported with the real importer (elections, market prices, the commune budget
whose title line the importer sets aside); import dates are fixed so builds are comparable.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "datactiviste" / "sample_data"
FIXTURES = Path(__file__).parent / "fixtures" / "dossier"
SAMPLE_FILES = ("resultats_elections/resultats_municipales_fictives.csv",
                "prix_marches/prix_marches_uemoa.csv",
                "budget_communes/budget_communes_2024.csv")
IMPORTED_AT = "2026-01-15T10:00:00+00:00"
ELECTIONS = "resultats_municipales_fictives"


def sample_database(path: Path) -> Path:
    from datactiviste.ingest.importer import ImportOptions, import_file

    for relative in SAMPLE_FILES:
        import_file(SAMPLES / relative, path, ImportOptions(licence="CC0"))
    connection = sqlite3.connect(path)
    connection.execute("UPDATE _sources SET imported_at = ?", (IMPORTED_AT,))
    connection.commit()
    connection.close()
    return path


def dossier_folder(folder: Path, database: Path, text: str) -> Path:
    """FOLDER/dossier.md with `text` and a copy of `database` beside it (base: datactiviste.db)."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(database, folder / "datactiviste.db")
    (folder / "dossier.md").write_text(text, encoding="utf-8")
    return folder


def full_dossier(folder: Path, database: Path) -> Path:
    """The fixture dossier: 5 numbers, 3 charts, 1 map, 2 tables, 2 sources."""
    text = (FIXTURES / "complet" / "dossier.md").read_text(encoding="utf-8")
    return dossier_folder(folder, database, text)


def front(body: str, title: str = "Un dossier de test") -> str:
    return f"---\ntitre: {title}\nbase: datactiviste.db\nlangue: fr\n---\n{body}"


def normalised_html(html: str) -> str:
    """The HTML text without what depends on matplotlib's drawing or the database file's bytes."""
    html = re.sub(r"<svg\b.*?</svg>", "<svg/>", html, flags=re.S)
    # the chart engine writes the alt text: its wording is that engine's, tested there
    html = re.sub(r"(<figcaption>)<p>[^<]*</p>", r"\1<p>[alt]</p>", html)
    html = re.sub(r'data:text/csv;charset=utf-8;base64,[A-Za-z0-9+/=]+', "data:csv", html)
    html = re.sub(r"(sha256 )[0-9a-f]{64}", r"\1<sha256>", html)
    html = re.sub(r'(<code class="hash">)[0-9a-f]{64}', r"\1<sha256>", html)
    html = re.sub(r"datactiviste \d+\.\d+\.\d+\S*", "datactiviste <version>", html)
    return html
