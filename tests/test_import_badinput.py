"""Hostile or broken input ends in a clear message in the user's language (file, line where it
applies), exit 2 and the database as it was: never a traceback, never "Erreur inattendue"."""

import hashlib
import json
import os
import signal
import sqlite3
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from datactiviste.errors import DatactivisteError
from datactiviste.ingest import importer, scratch
from datactiviste.ingest.importer import ImportOptions, import_file
from tests.conftest import FIXTURES, ROOT

TRAPS = FIXTURES / "import"


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def kept(tmp_path):
    """A database holding one table, and a check that it is byte for byte as it was."""
    database = tmp_path / "garde.db"
    import_file(TRAPS / "pipe.psv", database)
    before = _digest(database)
    yield database
    assert _digest(database) == before


def _refused(run_cli, target, database, *words):
    result = run_cli("import", target, "--db", database)
    assert result.exit_code == 2, result.output
    for word in words:
        assert word in result.output, result.output
    assert "Traceback" not in result.output and "inattendue" not in result.output
    return result.output


def test_a_field_over_the_limit_in_the_first_lines_names_its_line(run_cli, tmp_path, kept):
    broken = tmp_path / "guillemet.csv"
    with open(broken, "w", encoding="utf-8") as handle:
        handle.write('commune;libellé\nDakar;ok\nThiès;"jamais fermé ' + "x" * (17 * 1024 * 1024) + "\nKaolack;ok\n")
    output = _refused(run_cli, broken, kept, "guillemet non refermé", "ligne 3")
    assert "field larger" not in output


def test_a_quote_left_open_over_rows_past_the_limit_names_its_line_and_leaves_no_new_database(run_cli, tmp_path):
    # The quote of line 3 reads 600 000 short rows into one cell, over 16 MB: found while loading
    # (the sample ends before), named on its own line, and the database the import would have
    # created is not left behind, empty.
    broken = tmp_path / "ouvert.csv"
    rows = ["id;commune;valeur", "1;Dakar;10", '2;"Keur Massar;2000'] + [f"{i};Commune {i};{i * 7}" for i in range(3, 600_000)]
    broken.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert broken.stat().st_size > 16 * 1024 * 1024
    database = tmp_path / "nouvelle.db"
    output = _refused(run_cli, broken, database, "guillemet non refermé", "ligne 3")
    assert "ligne 2" not in output and not database.exists()


def test_a_quote_never_closed_far_under_the_limit_names_its_line_and_column(run_cli, tmp_path, kept):
    # Line 3 opens a quote that nothing closes: the 3 000 lines under it are rows of the table
    # (id;commune;montant), not the content of one cell. The cell stays far under 16 MB.
    broken = tmp_path / "depenses.csv"
    rows = [f"{i};Commune {i};{i * 1000}" for i in range(3, 3003)]
    broken.write_text("id;commune;montant\n1;Dakar;1000\n2;\"Keur Massar;2000\n" + "\n".join(rows) + "\n",
                      encoding="utf-8")
    output = _refused(run_cli, broken, kept, "guillemet", "jamais refermé", "ligne 3", "colonne commune")
    assert "3000" in output.replace("\u202f", "").replace("\xa0", "").replace(" ", "")


def test_a_quote_never_closed_up_to_the_next_quote_of_the_file_is_refused_too(run_cli, tmp_path, kept):
    # Line 6 opens a quote; the next quote of the file, line 31, closes it: 25 rows in one cell.
    rows = [f"{i};ligne {i};{i}" for i in range(1, 40)]
    rows[4], rows[30] = '5;"Keur Massar;50', '31;"Pikine, Dakar";310'
    broken = tmp_path / "lignes.csv"
    broken.write_text("id;texte;montant\n" + "\n".join(rows) + "\n", encoding="utf-8")
    _refused(run_cli, broken, kept, "jamais refermé", "ligne 6", "colonne texte")


@pytest.mark.parametrize("text", [
    # A real multi-line comment, its lines holding semicolons, but never as wide as a row.
    "id;commune;observations\n1;Dakar;\"" + "\n".join(f"visite {i}; RAS" for i in range(40)) + "\"\n2;Thiès;ok\n",
    # Lines as wide as the table inside the cell, but the cell's first line does not end the row.
    "id;titre;texte\n1;a;\"" + "\n".join(f"ligne {i}; suite; encore" for i in range(50)) + "\"\n2;b;fin\n",
    # ...or the cell is closed and the row goes on after it.
    "texte;a;b\n\"" + "\n".join(f"l{i};x;y" for i in range(20)) + "\";1;2\nok;3;4\n",
], ids=["narrower-lines", "first-line-not-a-row", "row-goes-on"])
def test_cells_over_many_lines_with_the_delimiter_inside_are_not_an_open_quote(tmp_path, text):
    path = tmp_path / "visites.csv"
    path.write_text(text, encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(search=False))
    assert result.rows_written == 2


def test_a_json_object_with_a_million_keys_is_refused_at_once(run_cli, tmp_path, kept):
    wide = tmp_path / "large.json"
    wide.write_text("[{" + ",".join(f'"k{i}": {i}' for i in range(10 ** 6)) + "}]")
    output = _refused(run_cli, wide, kept, "2000", "enregistrement 1")
    assert "1 000 000" in output.replace("\u202f", " ").replace("\xa0", " ")


def test_a_sheet_filled_wider_than_a_table_can_be_keeps_every_value_in_the_last_column(run_cli, tmp_path):
    # A codebook sheet whose rows were filled far to the right of its two labels (a real one had
    # 14 858 columns): SQLite tables hold 2000 columns, the fields past them are joined in the last.
    import xlsxwriter

    path = tmp_path / "codes.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("labels")
    sheet.write_row(0, 0, ["variable", "libellé"])
    sheet.write_row(1, 0, ["ID", "Identifiant"])
    sheet.write_row(2, 0, ["ADMIN1"] + [f"v{i}" for i in range(1, 2500)])
    sheet.write_row(3, 0, ["SvyDate", "Date de l'enquête"])
    workbook.close()
    database = tmp_path / "t.db"
    result = run_cli("import", path, "--db", database)
    assert result.exit_code == 0, result.output
    assert "1 ligne avec plus de valeurs qu'une table n'a de colonnes" in result.output
    connection = sqlite3.connect(database)
    assert len(connection.execute("PRAGMA table_info(codes)").fetchall()) == 2000
    stored = connection.execute("SELECT * FROM codes WHERE variable = 'ADMIN1'").fetchone()
    assert stored[:3] == ("ADMIN1", "v1", "v2") and stored[-1] == " | ".join(f"v{i}" for i in range(1999, 2500))
    assert connection.execute("SELECT count(*) FROM codes").fetchone()[0] == 3


def test_a_sheet_naming_more_columns_than_a_table_can_hold_is_refused(run_cli, tmp_path, kept):
    import xlsxwriter

    path = tmp_path / "large.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, [f"c{i}" for i in range(2100)])
    sheet.write_row(1, 0, list(range(2100)))
    workbook.close()
    output = _refused(run_cli, path, kept, "2100 colonnes", "au plus 2000", "transposé")
    assert "too many columns" not in output


def test_json_keys_spread_over_many_records_are_bounded_too(tmp_path):
    spread = tmp_path / "spread.json"
    spread.write_text(json.dumps([{f"k{i}": i} for i in range(5000)]))
    with pytest.raises(DatactivisteError) as error:
        import_file(spread, tmp_path / "t.db")
    assert "2001" in error.value.message.replace("\u202f", "").replace("\xa0", "").replace(" ", "")


def test_json_nested_a_hundred_thousand_levels_is_refused(run_cli, tmp_path, kept):
    deep = tmp_path / "profond.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    _refused(run_cli, deep, kept, "imbriqué", "pas un tableau")
    nested_values = tmp_path / "valeurs.json"
    nested_values.write_text('[{"a": ' + "[" * 990 + "]" * 990 + "}]")
    with pytest.raises(DatactivisteError):
        import_file(nested_values, tmp_path / "t.db")


# --- workbooks that unpack to gigabytes -------------------------------------------------------

_WORKBOOK = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.'
    'xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
    'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
    '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Feuil1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.'
    'org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
}


def _deflate(data: bytes) -> tuple[bytes, int, int]:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data)


def _deflate_repeated(prefix: bytes, chunk: bytes, times: int, suffix: bytes) -> tuple[bytes, int, int]:
    """Raw deflate of prefix + chunk × times + suffix built from one compressed chunk (a full flush
    resets the dictionary, so that compressed chunk can be repeated as is): gigabytes in megabytes."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = compressor.compress(prefix) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.compress(suffix) + compressor.flush()
    crc = zlib.crc32(prefix)
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    return data + block * times + tail, zlib.crc32(suffix, crc), len(prefix) + len(chunk) * times + len(suffix)


def _write_zip(path: Path, members: dict[str, tuple[bytes, int, int]]) -> None:
    """A zip of already deflated members (zipfile would compress the gigabytes itself)."""
    out, central = bytearray(), bytearray()
    for name, (data, crc, size) in members.items():
        encoded, offset = name.encode(), len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0)
        out += encoded + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(data), size,
                               len(encoded), 0, 0, 0, 0, 0, offset) + encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0)
    path.write_bytes(bytes(out) + bytes(central) + end)


def _bomb(path: Path, megabytes: int) -> Path:
    members = {name: _deflate(text.encode()) for name, text in _WORKBOOK.items()}
    head = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>n</t></is></c></row>')
    chunk = b'<row><c t="n"><v>1</v></c></row>' * 32768          # 1 MiB
    members["xl/worksheets/sheet1.xml"] = _deflate_repeated(head, chunk, megabytes, b"</sheetData></worksheet>")
    _write_zip(path, members)
    return path


def test_the_bomb_builder_makes_a_workbook_calamine_reads(tmp_path):
    from python_calamine import CalamineWorkbook

    small = _bomb(tmp_path / "petit.xlsx", 1)
    rows = CalamineWorkbook.from_path(str(small)).get_sheet_by_index(0).to_python()
    assert len(rows) == 32768 + 1 and rows[1] == [1.0]
    (result,) = import_file(small, tmp_path / "t.db")
    assert result.rows_written == 32768


def test_an_xlsx_that_unpacks_to_gigabytes_is_refused_before_it_is_opened(tmp_path, kept):
    bomb = _bomb(tmp_path / "bombe.xlsx", 3 * 1024)                 # 3 GiB of XML in about 9 MB
    assert bomb.stat().st_size < 16 * 1024 * 1024
    # What the refusal costs: the peak above what the program weighs once loaded.
    code = ("import resource, sys; from datactiviste.cli import main\n"
            "import datactiviste.ingest.importer, datactiviste.ingest.readers, datactiviste.ingest.workbooks\n"
            "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit as exit:\n"
            "    print('RSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base, 'EXIT', exit.code)")
    run = subprocess.run([sys.executable, "-c", code, "--lang", "fr", "import", str(bomb), "--db", str(kept)],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert "EXIT 2" in run.stdout, run.stdout + run.stderr
    assert "Go" in run.stderr and "décompress" in run.stderr, run.stderr
    assert "Traceback" not in run.stderr and "inattendue" not in run.stderr
    peak_kb = int(run.stdout.split("RSS")[1].split()[0])
    assert peak_kb < 300 * 1024, f"{peak_kb} KB"


def test_an_xlsx_that_unpacks_a_hundred_times_its_size_is_refused_as_a_bomb(tmp_path):
    bomb = _bomb(tmp_path / "ratio.xlsx", 200)
    with pytest.raises(DatactivisteError) as error:
        import_file(bomb, tmp_path / "t.db")
    assert "bombe" in error.value.message or "fois" in error.value.message


# --- the disk fills up while importing --------------------------------------------------------

def _many_rows(path: Path, rows: int) -> Path:
    path.write_text("commune;libellé;montant\n" + "".join(f"C{i};texte numéro {i} pour remplir;{i},5\n"
                                                          for i in range(rows)), encoding="utf-8")
    return path


def test_disk_full_is_a_french_message_and_the_database_is_rolled_back(run_cli, tmp_path, kept, monkeypatch):
    """SQLITE_FULL on the real import path: the connection may not grow the file past a few pages."""
    real_connect = importer.connect

    def small_disk(path):
        connection = real_connect(path)
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages + 20}")
        return connection

    monkeypatch.setattr(importer, "connect", small_disk)
    big = _many_rows(tmp_path / "gros.csv", 20_000)
    output = _refused(run_cli, big, kept, "Le disque est plein", "telle qu'elle était", "Que faire")
    assert "disk is full" not in output
    assert not Path(str(kept) + "-journal").exists()


def _can_mount_tmpfs(folder: Path) -> bool:
    if os.name != "posix" or os.geteuid() != 0:
        return False
    folder.mkdir(exist_ok=True)
    return subprocess.run(["mount", "-t", "tmpfs", "-o", "size=640k", "tmpfs", str(folder)],
                          capture_output=True).returncode == 0


def test_a_really_full_disk_leaves_the_database_byte_for_byte_as_it_was(tmp_path):
    disk = tmp_path / "disque"
    if not _can_mount_tmpfs(disk):
        pytest.skip("mounting a small tmpfs needs root on Linux; the max_page_count test covers the message")
    try:
        database = disk / "base.db"
        import_file(TRAPS / "pipe.psv", database)
        before = _digest(database)
        run = subprocess.run([sys.executable, "-m", "datactiviste", "--lang", "fr", "import",
                              str(_many_rows(tmp_path / "gros.csv", 40_000)), "--db", str(database)],
                             capture_output=True, text=True, cwd=ROOT, timeout=300)
        assert run.returncode == 2, run.stderr
        assert "Le disque est plein" in run.stderr and "Traceback" not in run.stderr
        assert _digest(database) == before
        assert sorted(p.name for p in disk.iterdir()) == ["base.db"]        # no journal left behind
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_a_database_in_a_missing_folder_is_a_clear_message(run_cli, tmp_path):
    result = run_cli("import", TRAPS / "pipe.psv", "--db", tmp_path / "absent" / "base.db")
    assert result.exit_code == 2
    assert "ne peut être ni créé ni ouvert" in result.output and "inattendue" not in result.output


# --- kill -9 during a parallel import ---------------------------------------------------------

def _scratch_left(temp: Path) -> list[str]:
    return sorted(p.name for p in temp.iterdir() if p.name.startswith(scratch.PREFIX))


def test_kill_9_during_a_parallel_import_leaves_nothing_after_the_next_run(tmp_path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp), "TEMP": str(temp), "TMP": str(temp)}
    big = _many_rows(tmp_path / "gros.csv", 400_000)
    command = [sys.executable, "-m", "datactiviste", "import", str(big), "--db", str(tmp_path / "t.db"), "--jobs", "2"]
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not list(temp.glob(f"{scratch.PREFIX}*/part*.db")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, "the import ended before a part was written: use a bigger file"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert list(temp.glob(f"{scratch.PREFIX}*/part*.db")), "kill -9 leaves the scratch folder (the case to clean)"
    # The next run of the program cleans what the killed one left.
    run = subprocess.run([sys.executable, "-m", "datactiviste", "import", str(TRAPS / "pipe.psv"), "--db",
                          str(tmp_path / "u.db")], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    deadline = time.monotonic() + 30     # a worker of the killed import may still be stopping
    while _scratch_left(temp) and time.monotonic() < deadline:
        time.sleep(0.2)
        scratch.remove_abandoned(temp)
    assert _scratch_left(temp) == []
    assert not list(temp.rglob("part*.db"))


def test_the_cleaning_never_touches_the_folder_of_a_live_import(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    with scratch.scratch_folder() as folder:
        (folder / "part1.db").write_bytes(b"in use")
        assert scratch.remove_abandoned(tmp_path) == []
        subprocess.run([sys.executable, "-m", "datactiviste", "import", str(TRAPS / "pipe.psv"), "--db",
                        str(tmp_path / "u.db")], env={**os.environ, "TMPDIR": str(tmp_path)}, cwd=ROOT,
                       capture_output=True, check=True, timeout=120)
        assert (folder / "part1.db").read_bytes() == b"in use"
    assert _scratch_left(tmp_path) == []


def test_import_options_do_not_change_the_cleaning(tmp_path, monkeypatch):
    """A folder left by a dead process (its lock file free) goes at the next import of any file."""
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    left = tmp_path / f"{scratch.PREFIX}99999-old"
    left.mkdir()
    (left / "part1.db").write_bytes(b"x" * 1000)
    scratch.lock_path(left).write_bytes(b"")
    import_file(TRAPS / "pipe.psv", tmp_path / "t.db", ImportOptions(jobs=1))
    assert not left.exists() and not scratch.lock_path(left).exists()
    assert sqlite3.connect(tmp_path / "t.db").execute("SELECT count(*) FROM pipe").fetchone() == (2,)


@pytest.mark.parametrize("text, words", [
    ('[{"a": 1},\n {"a": 2}\n {"a": 3}]', "il manque une virgule"),
    ('[{"a": 1,}]', "entre guillemets doubles"),
    ('[{"a": "jamais fermé}]', "jamais refermé"),
    ('[{"a": 1}] [2]', "suit la fin"),
])
def test_invalid_json_says_what_is_wrong_in_french_with_line_and_column(run_cli, tmp_path, kept, text, words):
    broken = tmp_path / "casse.json"
    broken.write_text(text, encoding="utf-8")
    output = _refused(run_cli, broken, kept, "JSON invalide", words, "ligne", "colonne")
    assert "Expecting" not in output and "Unterminated" not in output and "Extra data" not in output


@pytest.mark.parametrize("keep", [0.5, 0.99])
def test_a_cut_short_xls_is_refused_in_french_without_a_native_backtrace(tmp_path, keep):
    # calamine (Rust) panics on some truncated .xls files: the panic and its backtrace went to the
    # terminal, then a Python traceback (PanicException is no Exception).
    source = Path(__file__).parent / "realcorpus" / "files" / "fl_ints_floats_dates_xls.xls"
    data = source.read_bytes()
    cut = tmp_path / "coupe.xls"
    cut.write_bytes(data[:int(len(data) * keep)])
    database = tmp_path / "t.db"
    run = subprocess.run([sys.executable, "-m", "datactiviste", "--lang", "fr", "import", str(cut), "--db", str(database)],
                         capture_output=True, text=True, timeout=120, env={**os.environ, "RUST_BACKTRACE": "1"})
    assert run.returncode == 2, run.stderr
    output = run.stdout + run.stderr
    assert "Ce classeur est abîmé" in output and "coupe.xls" in output
    assert "panicked" not in output and "Traceback" not in output and "Cannot detect" not in output
    assert not database.exists()
