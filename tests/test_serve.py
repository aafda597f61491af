"""`datactiviste serve`: a real server on 127.0.0.1, its messages, Ctrl-C, and classroom mode."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from datactiviste.errors import DatactivisteError
from datactiviste.serve.app import check_database
from datactiviste.serve.launch import announcement, prepare
from datactiviste.serve.server import bind_socket
from tests.conftest import ROOT
from tests.serve_fixtures import make_project_db


@pytest.fixture(scope="module")
def project_db(tmp_path_factory) -> Path:
    return make_project_db(tmp_path_factory.mktemp("serve") / "projet.db")


def fetch(url: str, method: str = "GET", data: bytes | None = None, timeout: float = 20):
    request = urllib.request.Request(url, method=method, data=data)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8")


@pytest.fixture(scope="module")
def classroom(project_db, tmp_path_factory):
    """Classroom mode, bound to loopback for the test (the CLI binds 0.0.0.0)."""
    prepared = prepare([project_db], classroom=True, language="fr", host="127.0.0.1", port=0,
                       settings={"max_returned_rows": 50, "sql_time_limit_ms": 500})
    prepared.server.start_in_thread()
    yield prepared
    prepared.server.stop()


# --- one laptop -------------------------------------------------------------------------------

def test_serve_without_database_says_how_to_make_one(run_cli):
    result = run_cli("serve", "--no-open")
    assert result.exit_code == 2
    assert "Il n’y a pas de base de données à servir" in result.output
    assert "datactiviste import" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("content", [b"commune;montant\nThies;12\n", b""])
def test_a_file_that_is_not_sqlite_is_refused_clearly(run_cli, tmp_path, content):
    path = tmp_path / "budget.db"
    path.write_bytes(content)
    result = run_cli("serve", str(path), "--no-open")
    assert result.exit_code == 2
    assert "SQLite" in result.output and "datactiviste import" in result.output
    assert "Traceback" not in result.output


def test_a_missing_database_is_named(run_cli):
    result = run_cli("serve", "absent.db", "--no-open")
    assert result.exit_code == 2 and "absent.db" in result.output and "introuvable" in result.output


def test_a_locked_database_is_reported(tmp_path):
    path = make_project_db(tmp_path / "verrou.db", rows=5)
    import sqlite3

    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatactivisteError) as caught:
            check_database(path)
        assert "verrouillée" in caught.value.message
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_busy_port_the_user_chose_is_an_error_and_the_default_moves(project_db):
    blocker = socket.socket()
    blocker.bind(("127.0.0.1", 0))
    blocker.listen(1)
    busy = blocker.getsockname()[1]
    try:
        with pytest.raises(DatactivisteError) as caught:
            bind_socket("127.0.0.1", busy)
        assert str(busy) in caught.value.message and "--port" in caught.value.hint
    finally:
        blocker.close()


def test_default_port_taken_gives_a_free_one(monkeypatch):
    from datactiviste.serve import server as server_module

    blocker = socket.socket()
    blocker.bind(("127.0.0.1", 0))
    blocker.listen(1)
    monkeypatch.setattr(server_module, "DEFAULT_PORT", blocker.getsockname()[1])
    try:
        sock = bind_socket("127.0.0.1", None)
        assert sock.getsockname()[1] not in (0, blocker.getsockname()[1])
        sock.close()
    finally:
        blocker.close()


def test_local_server_listens_on_loopback_only_and_serves_french(project_db):
    prepared = prepare([project_db], language="fr", port=0)
    assert prepared.server.host == "127.0.0.1"
    prepared.server.start_in_thread()
    try:
        status, headers, body = fetch(prepared.server.url + "projet/depenses")
        # a header that says more than its column's name is shown ("Code commune" is not)
        assert status == 200 and "À propos de ces données" in body and "Poste de dépense" in body
        assert "Facettes suggérées" in body  # one user: suggestions are worth their cost
    finally:
        prepared.server.stop()


def test_cli_serves_then_stops_cleanly_on_ctrl_c(project_db, tmp_path):
    """The real command in a real process: it prints the URL, serves, and Ctrl-C ends it with 0."""
    env = dict(os.environ, DATACTIVISTE_LANG="fr", PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "datactiviste", "serve", str(project_db), "--no-open", "--port", "0"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        lines = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            lines.append(line)
            if "Ctrl-C" in line or not line:
                break
        url = next(l.split()[-1] for l in lines if "servi à l’adresse" in l)
        assert url.startswith("http://127.0.0.1:")
        status, _h, body = fetch(url)
        assert status == 200 and "projet" in body
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, output
    assert "Serveur arrêté." in output and "Traceback" not in output


# --- classroom --------------------------------------------------------------------------------

def test_classroom_announces_addresses_and_a_qr_code(classroom):
    lines = announcement(classroom)
    text = "\n".join(lines)
    assert "Mode salle de classe" in text and classroom.server.url in text
    qr = lines[-2]
    assert qr.count("\n") > 10 and ("█" in qr or "▀" in qr)


def test_classroom_refuses_every_write_method(classroom):
    base = classroom.server.url
    for method, path in [("POST", "projet/depenses"), ("POST", "projet/-/create"),
                         ("PUT", "projet/depenses/1"), ("DELETE", "projet/depenses/1"),
                         ("POST", "-/permissions"), ("PATCH", "projet")]:
        status, headers, body = fetch(base + path, method=method, data=b"x=1")
        assert status == 405, (method, path, status)
        assert "lecture seule" in body


def test_classroom_sql_cannot_write_or_attach(classroom):
    base = classroom.server.url
    for sql in ["insert into communes values ('9', 'x', 'y')", "delete from communes",
                "attach database '/etc/passwd' as x", "pragma writable_schema = 1"]:
        status, _h, body = fetch(base + "projet.json?sql=" + urllib.request.quote(sql))
        assert status == 400, (sql, status, body[:200])
    status, _h, body = fetch(base + "projet/communes.json?_shape=array")
    assert status == 200 and body.count('"code"') == 8  # nothing changed


def test_classroom_debug_pages_are_hidden_but_assets_work(classroom):
    base = classroom.server.url
    for path in ["-/databases.json", "-/databases", "-/versions.json", "-/settings.json",
                 "-/threads.json", "-/actor.json", "-/allow-debug", "-/messages", "-/metadata.json",
                 "-/plugins.json", "-/permissions"]:
        status, _h, body = fetch(base + path)
        assert status == 404, path
        assert str(Path(classroom.datasette.databases["projet"].path).parent) not in body
    assert fetch(base + "-/static/app.css")[0] == 200
    assert fetch(base + "-/datactiviste/serve.css")[0] == 200


def test_classroom_files_outside_the_list_cannot_be_reached(classroom, project_db):
    other = project_db.parent / "secret.db"
    make_project_db(other, rows=3)
    base = classroom.server.url
    for path in ["secret", "secret/depenses", "secret.db", "projet.db",
                 "-/static/../../../../etc/passwd", "-/static/%2e%2e/%2e%2e/app.py",
                 "projet.json?sql=" + urllib.request.quote(f"select * from pragma_table_list('{other}')")]:
        status, _h, body = fetch(base + path)
        assert status in (400, 403, 404), (path, status)
        assert "root:" not in body


def test_classroom_cuts_a_pathological_query(classroom):
    sql = ("with recursive r(i) as (select 1 union all select i + 1 from r) "
           "select count(*) from r")
    started = time.monotonic()
    status, _h, body = fetch(classroom.server.url + "projet?sql=" + urllib.request.quote(sql))
    elapsed = time.monotonic() - started
    assert status == 400 and "trop de temps" in body
    assert elapsed < 5


def test_classroom_refuses_a_query_that_builds_a_huge_value(classroom):
    for sql in ["select length(zeroblob(500000000))", "select length(randomblob(200000000))",
                "select length(replace(hex(zeroblob(5000000)), '0', '00000'))"]:
        started = time.monotonic()
        status, _h, body = fetch(classroom.server.url + "projet.json?sql=" + urllib.request.quote(sql))
        assert status == 400, (sql, status, body[:200])
        assert time.monotonic() - started < 5


def test_classroom_caps_rows_and_has_no_suggested_facets(classroom):
    base = classroom.server.url
    status, _h, body = fetch(base + "projet.json?_shape=objects&sql=" + urllib.request.quote(
        "select * from depenses"))
    import json

    data = json.loads(body)
    # Datasette reads max_returned_rows + 1 to detect truncation and returns them: 51 at most
    assert len(data["rows"]) <= 51 and data["truncated"] is True
    status, _h, page = fetch(base + "projet/depenses")
    assert status == 200 and "Facettes suggérées" not in page and "suggested-facets" not in page


def test_classroom_serves_repeated_pages_from_cache(classroom):
    url = classroom.server.url + "projet/depenses?_sort=montant"
    first = fetch(url)
    second = fetch(url)
    assert first[0] == second[0] == 200
    assert second[1].get("x-datactiviste-cache") == "hit"
    assert first[2] == second[2]


def test_classroom_databases_are_immutable(classroom):
    database = classroom.datasette.databases["projet"]
    assert database.is_mutable is False


# --- demo -------------------------------------------------------------------------------------

def test_demo_database_is_built_with_the_import_engine_and_served_with_a_banner(tmp_path):
    import asyncio

    from datactiviste import project
    from datactiviste.serve.app import build_datasette
    from datactiviste.serve.demo import build_demo_database, demo_banner, sample_files

    path = build_demo_database(tmp_path / "demo.db")
    connection = project.connect(path)
    tables = project.data_tables(connection)
    assert len(tables) == len(sample_files()) >= 5
    source = project.latest_source(connection, tables[0])
    assert source["licence"] and source["columns"]
    connection.close()
    mtime = path.stat().st_mtime_ns
    assert build_demo_database(path) == path and path.stat().st_mtime_ns == mtime  # built once

    ds = build_datasette([path], "fr", banner_html=demo_banner())

    async def get(url):
        return await ds.client.get(url)

    page = asyncio.run(get("/")).text
    assert "Données d’exemple" in page and 'class="dt-banner"' in page
    table = asyncio.run(get(f"/demo/{tables[0]}")).text
    assert "À propos de ces données" in table


def test_prepare_for_serving_indexes_facet_and_sort_columns(tmp_path):
    import sqlite3

    from datactiviste.serve.indexes import prepare_for_serving

    path = make_project_db(tmp_path / "gros.db", rows=3000)
    connection = sqlite3.connect(path)
    created = prepare_for_serving(connection, "depenses")
    assert {"region", "poste", "montant"} <= set(created)  # the importer declares DATE too
    assert prepare_for_serving(connection, "depenses") == []  # idempotent
    plan = " ".join(str(row) for row in connection.execute(
        "EXPLAIN QUERY PLAN SELECT region, count(*) FROM depenses GROUP BY region"))
    assert "idx_depenses_region" in plan
    assert prepare_for_serving(connection, "communes") == []  # small tables need none
    connection.close()


def test_classroom_workers_share_the_socket_and_stop_on_ctrl_c(project_db, tmp_path):
    """The multi-process classroom server (as `--classroom` runs it), bound to loopback here."""
    script = (
        "import sys\n"
        "from datactiviste.serve.launch import prepare\n"
        f"p = prepare([{str(project_db)!r}], classroom=True, language='fr', host='127.0.0.1', port=0, workers=2)\n"
        "print('PORT', p.server.port, flush=True)\n"
        "p.server.run()\n"
        "print('STOPPED', flush=True)\n")
    process = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        port = int(process.stdout.readline().split()[1])
        base = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 30
        while True:
            try:
                status, _h, body = fetch(base + "projet/depenses", timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        assert status == 200 and "À propos de ces données" in body
        assert fetch(base + "projet/depenses", method="POST", data=b"a=1")[0] == 405
        assert fetch(base + "-/databases.json")[0] == 404
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert "STOPPED" in output and "Traceback" not in output, output


def test_upload_refuses_other_sites_and_classroom(project_db, classroom, tmp_path):
    body = (b"--XX\r\nContent-Disposition: form-data; name=\"database\"\r\n\r\nprojet\r\n"
            b"--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.csv\"\r\n"
            b"Content-Type: text/csv\r\n\r\na,b\r\n1,2\r\n--XX--\r\n")
    copy = tmp_path / "projet.db"
    copy.write_bytes(project_db.read_bytes())
    prepared = prepare([copy], language="fr", port=0)
    prepared.server.start_in_thread()
    try:
        for origin, expected in [("http://evil.example", 403), (prepared.server.url.rstrip("/"), 200)]:
            request = urllib.request.Request(prepared.server.url + "-/datactiviste/upload", data=body,
                                             method="POST", headers={
                                                 "Content-Type": "multipart/form-data; boundary=XX",
                                                 "Origin": origin})
            try:
                with urllib.request.urlopen(request, timeout=20) as response:
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            assert status == expected, origin
    finally:
        prepared.server.stop()
    import sqlite3

    tables = [r[0] for r in sqlite3.connect(copy).execute("select name from sqlite_master where type='table'")]
    assert tables.count("x") == 1  # imported once, by the same-origin request only
    status, _h, _b = fetch(classroom.server.url + "-/datactiviste/upload", method="POST", data=body)
    assert status == 405
    assert "Ajouter un fichier" not in fetch(classroom.server.url)[2]


def test_double_click_serves_the_folder_database_or_the_demo(tmp_path, monkeypatch):
    from datactiviste.serve.launch import home_database

    monkeypatch.setenv("DATACTIVISTE_HOME", str(tmp_path / "home"))
    folder = tmp_path / "travail"
    folder.mkdir()
    database, banner = home_database(folder)
    assert database == tmp_path / "home" / "datactiviste-demo.db" and database.exists()
    assert "dt-banner" in banner
    make_project_db(folder / "datactiviste.db", rows=3)
    assert home_database(folder) == (folder / "datactiviste.db", "")


def test_tile_packs_are_checked_with_clear_messages(tmp_path, project_db):
    from datactiviste.serve.tiles import open_tile_pack
    from tests.serve_fixtures import make_tile_pack

    pack = open_tile_pack(make_tile_pack(tmp_path / "ok.mbtiles", max_zoom=2))
    assert (pack.min_zoom, pack.max_zoom, pack.content_type) == (0, 2, "image/png")
    assert pack.tile(1, 0, 0) and pack.tile(5, 0, 0) is None
    with pytest.raises(DatactivisteError) as caught:
        open_tile_pack(tmp_path / "absent.mbtiles")
    assert "absent.mbtiles" in caught.value.message
    (tmp_path / "texte.mbtiles").write_text("pas une base")
    with pytest.raises(DatactivisteError) as caught:
        open_tile_pack(tmp_path / "texte.mbtiles")
    assert "MBTiles" in caught.value.message
    with pytest.raises(DatactivisteError) as caught:
        open_tile_pack(make_tile_pack(tmp_path / "vecteur.mbtiles", max_zoom=0, fmt="pbf"))
    assert "pbf" in caught.value.message


def test_cli_reports_a_missing_tile_pack(run_cli, project_db):
    result = run_cli("serve", str(project_db), "--tiles", "absent.mbtiles", "--no-open")
    assert result.exit_code == 2 and "absent.mbtiles" in result.output and "Traceback" not in result.output
