"""`datactiviste publish`: the folder runs from its own wheels, and shows what the classroom saw.

A fresh virtualenv is built from DIR/wheels alone (`pip install --no-index`), the folder's own
entrypoint.sh is started on 127.0.0.1 with that virtualenv, and real Chromium (network cut)
checks that its pages are French, read-only, make no outside request, and show the same table
as `datactiviste serve --classroom` on the same database. The wheels are gathered once per test
session (pip's cache makes a second run quick).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from datactiviste.publish.folder import PublishOptions, publish
from tests.browser import offline_browser, offline_page  # noqa: F401 (fixtures)
from tests.security_servers import start_server
from tests.serve_fixtures import free_port, get, make_project_db

pytestmark = pytest.mark.browser
TABLE_TEXT = "document.querySelector('table.rows-and-columns').innerText"


@pytest.fixture(scope="session")
def published(tmp_path_factory):
    base = tmp_path_factory.mktemp("publish")
    database = make_project_db(base / "projet.db", rows=200)
    folder = base / "hub"
    publish([database], folder, PublishOptions(language="fr", licence="Licence Ouverte 2.0",
                                               title="Budgets des communes"))
    return database, folder


@pytest.fixture(scope="session")
def published_server(published, tmp_path_factory):
    database, folder = published
    venv = tmp_path_factory.mktemp("venv") / "v"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "--no-index", "--find-links",
                    str(folder / "wheels"), "datactiviste"], check=True)
    port = free_port()
    environment = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    environment.update(PATH=f"{venv / 'bin'}:/usr/bin:/bin", HOST="127.0.0.1", PORT=str(port), WORKERS="1")
    log = (folder.parent / "server.log").open("w")
    process = subprocess.Popen([str(folder / "entrypoint.sh")], env=environment, cwd="/",
                               stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if get(port, "/-/versions.json")[0] == 200:
                break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        raise AssertionError((folder.parent / "server.log").read_text())
    yield port, venv
    process.terminate()
    process.wait(timeout=20)


def test_folder_contents(published):
    database, folder = published
    for name in ("Dockerfile", "entrypoint.sh", "DEPLOY.md", "metadata.json", "settings.json",
                 "inspect-data.json", "robots.txt", "projet.db"):
        assert (folder / name).is_file(), name
    dockerfile = (folder / "Dockerfile").read_text()
    assert f"FROM python:{sys.version_info.major}.{sys.version_info.minor}.{sys.version_info.micro}-slim" in dockerfile
    assert "datasette==0.65." in dockerfile and "--no-index" in dockerfile
    deploy = (folder / "DEPLOY.md").read_text()
    assert "gcloud run deploy" in deploy and "fly deploy" in deploy and "docker run" in deploy
    assert "Publier" in deploy and "Publishing" in deploy
    assert any(p.name.startswith("datactiviste-") for p in (folder / "wheels").glob("*.whl"))
    assert any(p.name.startswith("datasette-0.65") for p in (folder / "wheels").glob("*.whl"))


def test_runs_from_its_wheels_french_read_only(published_server):
    port, venv = published_server
    # the package really comes from the fresh virtualenv, not from this checkout
    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import datactiviste; print(datactiviste.__file__)"],
                           capture_output=True, text=True, check=True, cwd=str(venv)).stdout
    assert str(venv) in where
    status, page = get(port, "/projet/depenses")
    assert status == 200 and '<html lang="fr">' in page and "À propos de ces données" in page
    assert "Licence Ouverte 2.0" in page
    assert get(port, "/projet.json?sql=DELETE+FROM+depenses")[0] >= 400
    assert get(port, "/projet.db")[0] == 403  # no download
    assert get(port, "/-/datactiviste/upload")[0] == 403  # no upload
    status, robots = get(port, "/robots.txt")
    assert status == 200 and "Disallow: /*.csv" in robots
    status, versions = get(port, "/-/versions.json")
    assert '"0.65.' in versions
    # pages cross the host's network gzipped (readers on phones pay per byte)
    import gzip

    request = urllib.request.Request(f"http://127.0.0.1:{port}/projet/depenses", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=20) as response:
        assert response.headers.get("Content-Encoding") == "gzip"
        assert "À propos de ces données" in gzip.decompress(response.read()).decode("utf-8")


def test_same_pages_as_serve_classroom(published, published_server, offline_page, tmp_path):
    database, _folder = published
    port, _venv = published_server
    classroom = start_server(database, "classroom", tmp_path / "classroom.log")
    try:
        texts = {}
        for name, base in (("published", f"http://127.0.0.1:{port}"),
                           ("classroom", f"http://127.0.0.1:{classroom.port}")):
            page = offline_page.open(f"{base}/projet/depenses?_sort=id")
            texts[name] = (page.evaluate(TABLE_TEXT), page.locator("h1").inner_text(),
                           page.locator("html").get_attribute("lang"))
        assert texts["published"] == texts["classroom"]
        assert texts["published"][2] == "fr"
        assert offline_page.external == [] and offline_page.console_errors == []
    finally:
        classroom.stop()


def test_rerun_updates_in_place(tmp_path):
    database = make_project_db(tmp_path / "projet.db", rows=10)
    folder = tmp_path / "hub"
    publish([database], folder, PublishOptions(), wheels=False)
    assert '"count": 10' in (folder / "inspect-data.json").read_text()
    assert publish([database], folder, PublishOptions(), wheels=False) == []  # nothing changed
    connection = sqlite3.connect(database)
    connection.execute("DELETE FROM depenses WHERE id > 4")
    connection.commit()
    connection.close()
    changed = publish([database], folder, PublishOptions(), wheels=False)
    assert "projet.db" in changed and "inspect-data.json" in changed
    assert '"count": 4' in (folder / "inspect-data.json").read_text()


def test_docker_build(published):
    _database, folder = published
    if shutil.which("docker") is None or subprocess.run(["docker", "info"], capture_output=True).returncode:
        pytest.skip("no Docker engine on this machine (no docker command, or no daemon behind it): "
                    "the image build is not checked here; the virtualenv-from-wheels tests above "
                    "install the same wheels and run the same entrypoint")
    subprocess.run(["docker", "build", "-t", "datactiviste-publish-test", str(folder)], check=True)


def test_offline_says_it_cannot_gather_wheels(tmp_path, monkeypatch, run_cli):
    """No index and no wheels at hand: a clear French message and exit 2, not a pip traceback."""
    database = make_project_db(tmp_path / "projet.db", rows=5)
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", "")
    result = run_cli("--lang", "fr", "publish", database, "-o", tmp_path / "hub")
    assert result.exit_code == 2
    assert "Impossible de rassembler les wheels" in result.output
    assert "Traceback" not in result.output
    assert (tmp_path / "hub" / "metadata.json").exists()  # the rest of the folder is written
