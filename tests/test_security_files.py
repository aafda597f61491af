"""Hostile files and names: progress files, class report, source links, odd table names, kits.

Each case is one point of issue 12 (5 and 7) that does not need a running server, tried with
the real commands (the CLI through click, real SQLite, real zip files).
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
import zipfile
from pathlib import Path

import pytest

from datactiviste.errors import DatactivisteError

SCRIPT = "<img src=x onerror=alert(1)>"


def progress_file(path: Path, events, learner="Awa") -> Path:
    path.write_text(json.dumps({"format": "datactiviste-progress", "version": 1, "learner": learner,
                                "events": events}), encoding="utf-8")
    return path


# --- progress files: a schema on import ----------------------------------------------------------

@pytest.mark.parametrize("event, said", [
    ([SCRIPT, "s1", "done", None, "", "2026-03-05T10:00:00+00:00"], "module"),
    (["2", "s1", "done", None, "", "2026-03-05T10:00:00+00:00"], "module"),
    ([True, "s1", "done", None, "", "2026-03-05T10:00:00+00:00"], "module"),
    ([2, "s1", "explode", None, "", "2026-03-05T10:00:00+00:00"], "type"),
    ([2, "s1", "done", "yes", "", "2026-03-05T10:00:00+00:00"], "correct"),
    ([2, "s1", "done", None, "", "hier"], "at"),
    ([2, "", "done", None, "", "2026-03-05T10:00:00+00:00"], "step"),
    ([2, "s1", "done"], "6"),
    ("2,s1,done", "6"),
])
def test_a_progress_file_breaking_the_schema_is_refused_on_import(tmp_path, event, said):
    from datactiviste.lessons.progress import read_export

    path = progress_file(tmp_path / "p.json", [[1, "ok", "start", None, "", "2026-03-05T09:00:00+00:00"], event])
    with pytest.raises(DatactivisteError) as raised:
        read_export(path)
    assert "2" in raised.value.message and said in raised.value.message  # event 2, and what is wrong
    assert str(path) in raised.value.message


def test_import_progress_refuses_the_file_and_export_progress_still_works(run_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("DATACTIVISTE_HOME", str(tmp_path / "home"))
    bad = progress_file(tmp_path / "bad.json", [["3", "s1", "done", None, "", "2026-03-05T10:00:00+00:00"]])
    result = run_cli("lesson", "--learner", "Awa", "import-progress", bad)
    assert result.exit_code == 2 and "module" in result.output and "Traceback" not in result.output
    exported = run_cli("lesson", "--learner", "Awa", "export-progress", "-o", tmp_path / "out.json")
    assert exported.exit_code == 0, exported.output
    assert json.loads((tmp_path / "out.json").read_text())["events"] == []


def test_a_json_mistake_is_reported_with_line_and_column(tmp_path):
    from datactiviste.lessons.progress import read_export

    path = tmp_path / "p.json"
    path.write_text('{"format": "datactiviste-progress",\n "events": [1,]}', encoding="utf-8")
    with pytest.raises(DatactivisteError) as raised:
        read_export(path)
    assert f"{path}:2:" in raised.value.message


# --- the class report escapes what learners wrote --------------------------------------------------

def test_the_class_report_escapes_names_and_steps(tmp_path):
    from datactiviste.lessons.report import class_report_html, merge_exports

    path = progress_file(tmp_path / "p.json", [[1, SCRIPT, "attempt", 0, SCRIPT, "2026-03-05T10:00:00+00:00"]],
                         learner=SCRIPT)
    page = class_report_html(merge_exports([path]))
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


# --- links: only http(s) ---------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["javascript:alert(1)", " JaVa\tScRiPt:alert(1)", "data:text/html,<script>x</script>"])
def test_a_source_url_that_is_not_http_is_shown_as_text_never_as_a_link(tmp_path, url):
    from datactiviste.serve.metadata import database_metadata
    from datactiviste.serve.translate import Translator
    from tests.serve_fixtures import make_project_db

    database = make_project_db(tmp_path / "projet.db")
    connection = sqlite3.connect(database)
    connection.execute("UPDATE _sources SET source_url = ?", (url,))
    connection.commit()
    connection.close()
    table = database_metadata(database, "projet", Translator("fr"))["tables"]["depenses"]
    assert "source_url" not in table
    assert "<script" not in table["description_html"]
    page = _render_table_page(database)
    assert not any(href.strip().lower().startswith(("javascript", "data:")) for href in _hrefs(page))


def _render_table_page(database: Path) -> str:
    import asyncio

    from datactiviste.serve.app import build_datasette

    datasette = build_datasette([database], "fr")

    async def get():
        return (await datasette.client.get("/projet/depenses")).text

    return asyncio.run(get())


def _hrefs(page: str) -> list[str]:
    import re

    return re.findall(r'href="([^"]*)"', page)


# --- names with ] " ' ; \ and newlines: one quoting, every command --------------------------------

ODD_NAMES = ['a"b', "c'd;e", "f\\g", "h\ni", "[j]", "k l"]
SERVABLE_NAMES = [name for name in ODD_NAMES if "]" not in name]  # see the bracket test below


@pytest.fixture
def odd_database(tmp_path) -> Path:
    path = tmp_path / "noms.db"
    connection = sqlite3.connect(path)
    from datactiviste.ingest.names import quote

    region, amount = quote("ré]gion"), quote('mon"tant')
    for name in ODD_NAMES:
        connection.execute(f"CREATE TABLE {quote(name)} ({region} TEXT, {amount} REAL, "
                           "latitude REAL, longitude REAL)")
        connection.executemany(f"INSERT INTO {quote(name)} VALUES (?, ?, ?, ?)",
                               [("Dakar", 12.5, 14.69, -17.44), ("Thiès", 7.0, 14.79, -16.93)])
    connection.commit()
    connection.close()
    return path


@pytest.mark.parametrize("name", ODD_NAMES)
def test_chart_map_and_export_read_tables_with_odd_names(run_cli, odd_database, tmp_path, name):
    chart = run_cli("chart", "--db", odd_database, "--table", name, "--type", "bar", "--x", "ré]gion",
                    "--y", 'mon"tant', "-o", tmp_path / "c.svg")
    assert chart.exit_code == 0, chart.output
    assert "Erreur inattendue" not in chart.output and (tmp_path / "c.svg").stat().st_size > 0
    drawn = run_cli("map", "--db", odd_database, "--table", name, "-o", tmp_path / "m.html")
    assert drawn.exit_code == 0, drawn.output
    assert "Erreur inattendue" not in drawn.output
    from datactiviste.serve.export import export

    result = export(odd_database, tmp_path / "e.csv", table=name)
    assert result.rows == 2


def test_datasette_serves_tables_with_odd_names(odd_database):
    import asyncio

    from datactiviste.ingest.names import quote
    from datactiviste.serve.app import build_datasette

    connection = sqlite3.connect(odd_database)
    connection.execute(f"DROP TABLE {quote('[j]')}")
    connection.commit()
    connection.close()
    datasette = build_datasette([odd_database], "fr")

    async def statuses():
        home = await datasette.client.get("/")
        tables = [await datasette.client.get(datasette.urls.table("noms", name)) for name in SERVABLE_NAMES]
        return home.status_code, [t.status_code for t in tables]

    home, tables = asyncio.run(statuses())
    assert home == 200 and tables == [200] * len(SERVABLE_NAMES)


def test_a_table_name_with_a_bracket_is_refused_before_serving_with_the_fix(run_cli, tmp_path):
    """Datasette 0.65 quotes table names with brackets in its own SQL: every page would fail."""
    path = tmp_path / "crochet.db"
    connection = sqlite3.connect(path)
    connection.execute('CREATE TABLE "T]x" (a)')
    connection.commit()
    connection.close()
    result = run_cli("serve", path)
    assert result.exit_code == 2 and "T]x" in result.output and 'RENAME TO "T_x"' in result.output


# --- kits: no link out of a folder, no path out of the kit, no unpacking to check ------------------

def test_pack_refuses_a_program_folder_linking_outside_it(tmp_path):
    from datactiviste.packaging.kit import _tree

    program = tmp_path / "programme"
    program.mkdir()
    (program / "datactiviste").write_bytes(b"#!/bin/sh\n")
    (program / "inside.txt").write_text("ok")
    os.symlink(program / "inside.txt", program / "alias.txt")
    assert [kit for _source, kit in _tree(program, "programme")] == [
        "programme/programme/alias.txt", "programme/programme/datactiviste", "programme/programme/inside.txt"]
    os.symlink("/etc/hostname", program / "secret")
    with pytest.raises(DatactivisteError) as raised:
        _tree(program, "programme")
    assert "/etc/hostname" in raised.value.message
    (program / "secret").unlink()
    os.symlink("/etc", program / "systeme")
    with pytest.raises(DatactivisteError):
        _tree(program, "programme")


def _manifest_zip(path: Path, entries: dict[str, bytes], manifest: str | None = None) -> Path:
    import io

    from datactiviste.packaging.manifest import stream_sha256

    lines = manifest if manifest is not None else "".join(
        f"{stream_sha256(io.BytesIO(data))}  {name}\n" for name, data in sorted(entries.items()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        archive.writestr("MANIFEST", lines)
    return path


def test_pack_verify_checks_a_zip_without_extracting_it(tmp_path, monkeypatch):
    from datactiviste.packaging.kit import verify_kit

    kit = _manifest_zip(tmp_path / "kit.zip", {"LISEZMOI.txt": b"bonjour", "donnees/a.csv": b"a\n1\n"})
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    result = verify_kit(kit)
    assert result.ok and result.checked == 2
    assert list((tmp_path / "tmp").iterdir()) == []  # nothing unpacked


@pytest.mark.parametrize("bad_path", ["/etc/passwd", "../../etc/passwd", "donnees/../../x", "C:/Windows/x",
                                      "a\\..\\..\\x", ""])
def test_pack_verify_refuses_manifest_paths_outside_the_kit(tmp_path, bad_path):
    from datactiviste.packaging.kit import verify_kit

    line = f"{'0' * 64}  {bad_path}\n"
    folder = tmp_path / "kit"
    folder.mkdir()
    (folder / "MANIFEST").write_text(line)
    for target in (folder, _manifest_zip(tmp_path / "kit.zip", {"a.txt": b"a"}, manifest=line)):
        with pytest.raises(DatactivisteError) as raised:
            verify_kit(target)
        assert "MANIFEST" in raised.value.message or "kit" in raised.value.message


def test_pack_verify_refuses_zip_entries_outside_the_kit(tmp_path):
    from datactiviste.packaging.kit import verify_kit

    kit = _manifest_zip(tmp_path / "kit.zip", {"../evil.sh": b"rm -rf /"})
    with pytest.raises(DatactivisteError) as raised:
        verify_kit(kit)
    assert "../evil.sh" in raised.value.message


def test_pack_verify_refuses_a_zip_bomb_quickly_without_writing(tmp_path):
    from datactiviste.packaging.kit import verify_kit

    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("donnees/zero.bin", "w", force_zip64=True) as sink:
            block = b"\0" * (1 << 20)
            for _ in range(2048):  # 2 GiB of zeros, about 2 MB compressed
                sink.write(block)
        archive.writestr("MANIFEST", f"{'0' * 64}  donnees/zero.bin\n")
    assert bomb.stat().st_size < 5 * 1024**2
    started = time.monotonic()
    with pytest.raises(DatactivisteError) as raised:
        verify_kit(bomb)
    assert "zero.bin" in raised.value.message and time.monotonic() - started < 5


def test_pack_verify_of_a_folder_does_not_follow_links_out_of_it(tmp_path):
    from datactiviste.packaging.kit import verify_kit
    from datactiviste.packaging.manifest import write_manifest

    folder = tmp_path / "kit"
    folder.mkdir()
    (folder / "a.txt").write_text("a")
    write_manifest(folder)
    (folder / "a.txt").unlink()
    os.symlink("/etc/hostname", folder / "a.txt")  # the copied kit now points outside
    result = verify_kit(folder)
    assert result.missing == ["a.txt"] and not result.ok
