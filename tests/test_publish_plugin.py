"""Our layer as a real Datasette plugin: a plain `datasette serve` (the project venv, where
datactiviste is installed) shows the French UI only when its metadata configures the plugin.

Real Datasette processes on 127.0.0.1, real HTTP; no browser needed for these checks (the
published-folder test drives Chromium).
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.serve_fixtures import free_port, get, make_project_db

DATASETTE = Path(sys.executable).with_name("datasette")


def plain_datasette(database: Path, metadata: dict | None, folder: Path):
    """A `datasette serve` subprocess; yields its port."""
    port = free_port()
    args = [str(DATASETTE), "serve", str(database), "-h", "127.0.0.1", "-p", str(port)]
    if metadata is not None:
        path = folder / f"m{port}.json"
        path.write_text(json.dumps(metadata), "utf-8")
        args += ["--metadata", str(path)]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process, port
        except OSError:
            if process.poll() is not None:
                raise AssertionError(process.stderr.read().decode())
            time.sleep(0.2)
    process.kill()
    raise AssertionError("datasette did not start")


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    return make_project_db(tmp_path_factory.mktemp("plugin") / "projet.db", rows=40)


@pytest.mark.parametrize("config, french", [
    (None, False),                                                    # no metadata at all
    ({"title": "x"}, False),                                          # metadata, plugin not configured
    ({"plugins": {"datactiviste": {"lang": "fr"}}}, True),
    ({"plugins": {"datactiviste": {"lang": "fr", "classroom": True}}}, True),
])
def test_french_ui_only_when_configured(database, tmp_path, config, french):
    process, port = plain_datasette(database, config, tmp_path)
    try:
        status, home = get(port, "/")
        assert status == 200
        status, table = get(port, "/projet/depenses")
        assert status == 200
        status, css = get(port, "/-/datactiviste/serve.css")
        if french:
            assert '<html lang="fr">' in table and "depenses: 40 lignes</title>" in table
            assert status == 200 and css
        else:
            assert "<html>" in table and "depenses: 40 rows</title>" in table  # Datasette's own page
            assert status == 404  # our routes are inert too
        status, plugins = get(port, "/-/plugins.json")
        assert any(p["name"].startswith("datactiviste") for p in json.loads(plugins))
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_classroom_config_makes_it_read_only(database, tmp_path):
    process, port = plain_datasette(
        database, {"plugins": {"datactiviste": {"lang": "fr", "classroom": True}}}, tmp_path)
    try:
        status, body = get(port, "/projet.json?sql=" + urllib.parse.quote("DELETE FROM depenses"))
        assert status >= 400
        status, _ = get(port, "/-/datactiviste/upload")
        assert status == 403
        status, count = get(port, "/projet.json?sql=select+count(*)+from+depenses&_shape=array")
        assert status == 200 and "40" in count
    finally:
        process.terminate()
        process.wait(timeout=10)
