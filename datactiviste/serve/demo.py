"""`datactiviste demo`: the bundled sample data imported into a demo database, then served.

A newcomer sees the whole chain with one command: the same import engine as
`datactiviste import` (so the provenance panels and anomalies are real), the indexes a
classroom needs, and the French Datasette with a banner saying these are sample data.
"""

from __future__ import annotations

import json
from pathlib import Path

from markupsafe import escape

from datactiviste.i18n import _

SAMPLE_DATA = Path(__file__).resolve().parents[1] / "sample_data"
DEMO_DB = "datactiviste-demo.db"


def sample_files() -> list[tuple[Path, str | None]]:
    """(CSV file, licence) for every bundled dataset, in a stable order."""
    found = []
    for package in sorted(SAMPLE_DATA.glob("*/datapackage.json")):
        meta = json.loads(package.read_text(encoding="utf-8"))
        licences = meta.get("licenses") or []
        licence = licences[0].get("title") or licences[0].get("name") if licences else None
        for csv_file in sorted(package.parent.glob("*.csv")):
            found.append((csv_file, licence))
    return found


def build_demo_database(path: Path, rebuild: bool = False) -> Path:
    """Import the sample data into `path` once (again with `rebuild`); returns the path."""
    from datactiviste import project
    from datactiviste.ingest.importer import ImportOptions, import_file
    from datactiviste.serve.indexes import prepare_for_serving

    path = Path(path)
    if path.exists() and not rebuild:
        return path
    if path.exists():
        path.unlink()
    partial = path.with_name(path.name + ".part")
    partial.unlink(missing_ok=True)
    try:
        for csv_file, licence in sample_files():
            import_file(csv_file, partial, ImportOptions(licence=licence))
        connection = project.connect(partial)
        try:
            for table in project.data_tables(connection):
                prepare_for_serving(connection, table)
        finally:
            connection.close()
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(path)
    return path


def demo_banner() -> str:
    return ('<p class="dt-banner">' + str(escape(_(
        "Sample data (mostly fictional) bundled with datactiviste. For your own file: "
        "datactiviste import FILE.csv, then datactiviste serve."))) + "</p>")
