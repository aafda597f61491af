"""Smoke tests of the FROZEN datactiviste (the PyInstaller build), not of the Python package.

They run the real binaries built by `make dist` (dist/datactiviste and
dist/datactiviste-folder/datactiviste), copied into a folder whose name has spaces and accents,
with HOME, the user folders and TMPDIR pointed at fresh, empty folders: after every command the
home folder must still be empty and the program's own folder unchanged (nothing written outside
the working folder and the OS temp folder).

Without a build, or with a build older than the sources, they are skipped, unless DATACTIVISTE_REQUIRE_BINARY=1 (set by
`make dist-test` and CI), which turns a missing binary into a failure. DATACTIVISTE_BINARY=PATH
tests one given binary only.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from datactiviste import __version__
from datactiviste.cli import COMMANDS
from datactiviste.offline import assert_offline
from datactiviste.project import data_tables
from tests import classic_cases
from tests.conftest import FIXTURES, ROOT

pytestmark = pytest.mark.dist

EXE = ".exe" if os.name == "nt" else ""
BUILDS = {
    "onefile": ROOT / "dist" / f"datactiviste{EXE}",
    "folder": ROOT / "dist" / "datactiviste-folder" / f"datactiviste{EXE}",
}
REQUIRED = os.environ.get("DATACTIVISTE_REQUIRE_BINARY") == "1"
SAMPLE = ROOT / "datactiviste" / "sample_data"
TIMEOUT = 180  # seconds for one command: a cold one-file start unpacks ~50 MiB first


def _builds() -> dict[str, Path]:
    given = os.environ.get("DATACTIVISTE_BINARY")
    return {"given": Path(given)} if given else BUILDS


def _newest_source() -> float:
    return max(p.stat().st_mtime for p in (ROOT / "datactiviste").rglob("*") if p.is_file())


def _snapshot(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_size for p in folder.rglob("*") if not p.is_symlink()}


class Frozen:
    """One installed copy of a frozen build, run in a sandbox that notices stray writes."""

    def __init__(self, program: Path, sandbox: Path):
        self.program = program
        self.program_dir = program.parent
        self.home = sandbox / "home"
        self.temp = sandbox / "tmp"
        self.work = sandbox / "travail élève"
        for folder in (self.home, self.temp, self.work):
            folder.mkdir(parents=True)
        self.program_files = _snapshot(self.program_dir)
        self.input_files = {folder: _snapshot(folder) for folder in (FIXTURES / "import", SAMPLE)}

    def environment(self, **extra) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("DATACTIVISTE_", "XDG_", "MPL", "PYTHON"))}
        env.update(HOME=str(self.home), USERPROFILE=str(self.home), APPDATA=str(self.home / "AppData"),
                   LOCALAPPDATA=str(self.home / "AppDataLocal"), TMPDIR=str(self.temp),
                   TEMP=str(self.temp), TMP=str(self.temp), DATACTIVISTE_LANG="fr", LANG="C.UTF-8")
        env.update(extra)
        return env

    def check_no_stray_files(self) -> None:
        assert sorted(p.name for p in self.home.rglob("*")) == [], "files written in the home folder"
        assert _snapshot(self.program_dir) == self.program_files, "files written beside the program"
        for folder, files in self.input_files.items():
            assert _snapshot(folder) == files, f"files written beside the input files in {folder}"

    def run(self, *args, check=True, **env) -> subprocess.CompletedProcess:
        result = subprocess.run([str(self.program), *map(str, args)], cwd=self.work, env=self.environment(**env),
                                capture_output=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
        result.out = result.stdout.decode("utf-8")
        result.err = result.stderr.decode("utf-8")
        if check:
            assert result.returncode == 0, f"exit {result.returncode}\n{result.out}\n{result.err}"
        self.check_no_stray_files()
        return result


@pytest.fixture(scope="module", params=sorted(_builds()))
def frozen(request, tmp_path_factory) -> Frozen:
    built = _builds()[request.param]
    if not built.is_file():
        message = f"no frozen build at {built}: run `make dist` first"
        if REQUIRED:
            pytest.fail(message)
        pytest.skip(message)
    if not REQUIRED and built.stat().st_mtime < _newest_source():
        pytest.skip(f"{built} is older than the sources: run `make dist-test` to rebuild and test it")
    # Installed where a trainee would put it: a folder with spaces and accents.
    sandbox = tmp_path_factory.mktemp(f"dist-{request.param}")
    target_dir = sandbox / "Clé USB" / "données à jour"
    if request.param == "folder":
        shutil.copytree(built.parent, target_dir, symlinks=True)
    else:
        target_dir.mkdir(parents=True)
        shutil.copy2(built, target_dir)
    return Frozen(target_dir / built.name, sandbox)


def _require(command: str) -> None:
    if command not in COMMANDS:
        pytest.skip(f"`datactiviste {command}` is not part of the build yet")


def test_version_is_the_package_version(frozen):
    result = frozen.run("--version")
    assert result.out.strip() == f"datactiviste {__version__}"


def test_help_keeps_docstrings_and_translations(frozen):
    french = frozen.run("--help")
    english = frozen.run("--lang", "en", "import", "--help")
    assert "Exemples :" in french.out and "Utilisation" in french.out  # gettext catalogs are inside
    assert "Examples:" in english.out and "--encoding" in english.out  # docstrings survived (no optimize=2)
    for name in COMMANDS:
        assert name in french.out


def test_import_messy_csv_gives_the_golden_result(frozen):
    expected = json.loads((FIXTURES / "import" / "cp1252_semicolon_french.expected.json").read_text("utf-8"))
    frozen.run("import", FIXTURES / "import" / "cp1252_semicolon_french.csv", "--db", "projet.db",
               "--table", "budget")
    with sqlite3.connect(frozen.work / "projet.db") as connection:
        rows = [list(r) for r in connection.execute("SELECT * FROM budget ORDER BY rowid")]
        columns = [r[1] for r in connection.execute("PRAGMA table_info(budget)")]
    connection.close()
    assert rows == expected["rows"]
    assert columns == [c[0] for c in expected["columns"]]


def test_import_in_worker_processes_gives_the_same_table(frozen):
    """Big files are read by one process per core (multiprocessing "spawn" in a frozen program)."""
    source = SAMPLE / "budget_communes" / "budget_communes_2024.csv"
    reports, tables = {}, {}
    for jobs in (1, 2):
        result = frozen.run("import", source, "--db", f"jobs{jobs}.db", "--jobs", jobs, "--no-index", "--report", "json")
        (reports[jobs],) = json.loads(result.out)
        with sqlite3.connect(frozen.work / f"jobs{jobs}.db") as connection:
            tables[jobs] = connection.execute(f'SELECT * FROM "{reports[jobs]["table"]}" ORDER BY rowid').fetchall()
        connection.close()
    assert reports[1]["parts"] == 1 and reports[2]["parts"] == 2
    assert tables[2] == tables[1] and len(tables[1]) == reports[1]["rows_written"] > 200


def test_import_workbook_makes_a_table_per_sheet(frozen):
    result = frozen.run("--lang", "en", "import", FIXTURES / "import" / "two_sheets.xlsx", "--db", "classeur.db",
                        "--report", "json")
    report = json.loads(result.out)
    connection = sqlite3.connect(frozen.work / "classeur.db")
    counts = {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in data_tables(connection)}
    connection.close()
    assert len(counts) == 2 and all(n > 0 for n in counts.values()), (counts, report)


def test_inspect_reports_the_detected_encoding_and_writes_nothing(frozen):
    before = sorted(p.name for p in frozen.work.iterdir())
    result = frozen.run("--lang", "en", "inspect", FIXTURES / "import" / "cp1252_semicolon_french.csv")
    assert "cp1252" in result.out.lower() or "windows-1252" in result.out.lower()
    assert sorted(p.name for p in frozen.work.iterdir()) == before


def test_user_error_is_a_message_not_a_traceback(frozen):
    result = frozen.run("import", FIXTURES / "import" / "not_a_table.pdf", "--db", "x.db", check=False)
    assert result.returncode == 2
    assert "Traceback" not in result.err and "Erreur" in result.err


@pytest.fixture(scope="module")
def health_db(frozen) -> Path:
    frozen.run("import", SAMPLE / "structures_sante" / "structures_sante.csv", "--db", "sante.db")
    return frozen.work / "sante.db"


def test_map_is_one_offline_html_file(frozen, health_db):
    _require("map")
    frozen.run("map", "--db", health_db, "--table", "structures_sante", "-o", "carte.html",
               "--title", "Structures de santé")
    page = (frozen.work / "carte.html").read_text("utf-8")
    assert "L.map(" in page  # Leaflet is inlined from the xstatic files inside the program
    assert_offline(page, "map")  # the project's own rule: links may point out, nothing loads from out


def test_chart_renders_png_and_svg(frozen, health_db):
    _require("chart")
    frozen.run("chart", "--db", health_db, "--table", "structures_sante", "--type", "bar", "--x", "region",
               "--y", "lits", "--agg", "sum", "--title", "Lits par région", "-o", "lits.png")
    outputs = {p.suffix: p for p in frozen.work.glob("lits.*")}
    assert outputs[".png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in outputs[".svg"].read_bytes()[:2000]  # matplotlib's SVG backend is inside
    assert_offline(outputs[".html"].read_text("utf-8"), "chart")


def test_lesson_verify_passes(frozen):
    _require("lesson")
    result = frozen.run("--lang", "en", "lesson", "verify")
    assert result.returncode == 0


def _read_lines(stream, lines: list[str]) -> None:
    for raw in iter(stream.readline, b""):
        lines.append(raw.decode("utf-8", "replace"))


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read()


def _frozen_serve_refuses_attacks(url: str) -> None:
    """Issue 12 on the frozen program: its bundled _sqlite3 gets the same authorizer and guards."""
    import urllib.error
    from urllib.parse import quote

    def status_of(path, headers=None):
        try:
            with urllib.request.urlopen(urllib.request.Request(url + path, headers=headers or {}), timeout=30) as r:
                return r.status
        except urllib.error.HTTPError as error:
            return error.code

    crash = "sante.json?sql=" + quote("select fts3_tokenizer('simple', x'4141414141414141')")
    assert [status_of(crash) for _ in range(3)] == [400] * 3
    assert status_of("sante.json?sql=" + quote("select * from fts3tokenize('simple') where input='a'")) == 400
    assert status_of("sante.json?sql=select+1", {"Host": "evil.example"}) == 421
    assert status_of("sante.json?sql=select+1", {"Sec-Fetch-Site": "cross-site"}) == 403
    assert status_of("sante.json?sql=select+1") == 200  # still alive


def test_serve_answers_on_localhost_only(frozen, health_db):
    _require("serve")
    process = subprocess.Popen([str(frozen.program), "serve", str(health_db), "--no-open", "--port", "0"],
                               cwd=frozen.work, env=frozen.environment(), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    lines: list[str] = []
    threading.Thread(target=_read_lines, args=(process.stdout, lines), daemon=True).start()
    try:
        deadline, url = time.monotonic() + 90, None
        while url is None and time.monotonic() < deadline and process.poll() is None:
            found = re.search(r"http://127\.0\.0\.1:\d+/", "".join(lines))
            url = found.group(0) if found else None
            time.sleep(0.1)
        assert url, f"no URL printed:\n{''.join(lines)}"
        while time.monotonic() < deadline:  # printed before uvicorn accepts: wait until it answers
            try:
                status, body = _get(url)
                break
            except OSError:
                time.sleep(0.2)
        assert status == 200 and b"sante" in body
        status, body = _get(url + "sante/structures_sante?_size=5")
        assert status == 200 and "Poste de santé".encode() in body
        status, body = _get(url + "-/plugins.json")
        plugins = json.loads(body)
        assert status == 200 and any("datactiviste" in p["name"] for p in plugins), plugins
        status, body = _get(url + "-/versions.json")
        assert json.loads(body)["datasette"]["version"].startswith("0.65")
        _frozen_serve_refuses_attacks(url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    frozen.check_no_stray_files()


def test_pack_puts_this_program_in_a_kit_that_survives_fat32_and_runs(frozen):
    """The kit made by the frozen program holds the program itself (a one-folder build with its
    symlinks replaced by files, as a FAT32 stick would need), the handouts and the sample data;
    `pack verify` accepts it, and the program copied into the kit runs."""
    frozen.run("pack", "-o", "kit")
    kit = frozen.work / "kit"
    assert not [p for p in kit.rglob("*") if p.is_symlink()]
    assert (kit / "fiches" / "fr" / "index.html").is_file() and (kit / "donnees" / "README.md").is_file()
    programs = [p for p in (kit / "programme").rglob(frozen.program.name) if p.is_file()]
    assert len(programs) == 1
    if not frozen.program_dir.joinpath("_internal").exists():
        assert programs[0].read_bytes() == frozen.program.read_bytes()
    assert "complet" in frozen.run("pack", "verify", "kit").err
    copied = subprocess.run([str(programs[0]), "--version"], capture_output=True, timeout=TIMEOUT,
                            env=frozen.environment(), cwd=frozen.work)
    assert copied.stdout.decode().strip() == f"datactiviste {__version__}"
    frozen.check_no_stray_files()


@pytest.fixture(scope="module")
def classic_folder(frozen) -> Path:
    classic_cases.prepare(frozen.work)
    return frozen.work


@pytest.mark.parametrize("tool", classic_cases.CSVKIT)
def test_csvkit_tool_runs_on_a_french_file_with_no_options(frozen, classic_folder, tool):
    """The real csvkit inside the program, told the file's encoding, delimiter, decimal comma and dates."""
    _require("csvkit")
    classic_cases.CSVKIT_CHECKS[tool](lambda *args: frozen.run(*args, check=False))


def test_sqlite_utils_commands_run_on_a_french_file(frozen, classic_folder):
    _require("sqlite-utils")
    classic_cases.check_sqlite_utils(lambda *args: frozen.run(*args, check=False), classic_folder)


def test_search_finds_french_words_from_the_program(frozen, classic_folder):
    _require("search")
    frozen.run("import", "paiements.csv", "--db", "recherche.db")
    result = frozen.run("search", "recherche.db", "ecole")
    assert "http://127.0.0.1:8001/recherche/paiements/" in result.out and "*École* Sénégalaise" in result.out


def test_nothing_left_in_temp_after_the_one_file_program_exits(frozen):
    if frozen.program_dir.joinpath("_internal").exists():
        pytest.skip("only the one-file build unpacks itself into the temp folder")
    before = {p.name for p in frozen.temp.iterdir()}  # a killed server may leave one behind on Windows
    frozen.run("--version")
    leftovers = [p.name for p in frozen.temp.iterdir() if p.name.startswith("_MEI") and p.name not in before]
    assert leftovers == []


if sys.platform.startswith("linux"):
    def test_no_python_needed_from_the_system(frozen):
        """The program brings its own Python: it runs with an empty PATH and no PYTHONHOME."""
        result = frozen.run("--version", PATH="")
        assert __version__ in result.out
