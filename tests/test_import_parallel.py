"""A big delimited file is read by several processes (ingest/split.py, ingest/parallel.py): the
database must be exactly what one process would have written — rows, types, anomalies with their
source lines, provenance — whatever falls near a cut: quoted line breaks, stray quotes, a type
that changes late, footnotes, extra fields, a repeated header."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datactiviste.ingest import ahead, split
from datactiviste.ingest.importer import ImportOptions, import_file
from datactiviste.ingest.delimited import read_delimited
from datactiviste.ingest.readers import ReadOptions
from tests.conftest import CORPUS
from tests.test_import_roundtrip import render, tables

IGNORED = {"seconds", "parts", "source_id", "database"}   # differ by design between two imports


def contents(database: Path) -> dict:
    """Everything an import writes, in a comparable form (ids and times left out)."""
    connection = sqlite3.connect(database)
    found = {}
    for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                      "AND sql NOT LIKE '%WITHOUT ROWID%' ORDER BY name"):
        if name.endswith("_fts_data"):
            continue   # FTS5's b-tree segments depend on insertion batches; its rows are compared through the _fts table
        if name == "_sources":
            found[name] = connection.execute(
                "SELECT table_name, file_name, file_size, sha256, encoding, delimiter, header_line, rows_read, "
                "rows_written, mode, columns FROM _sources ORDER BY id").fetchall()
        elif name == "_anomalies":
            found[name] = connection.execute(
                "SELECT table_name, source_line, column_name, raw_value, reason FROM _anomalies ORDER BY id").fetchall()
        else:
            found[name] = (connection.execute(f'PRAGMA table_info("{name}")').fetchall(),
                           connection.execute(f'SELECT rowid, * FROM "{name}" ORDER BY rowid').fetchall())
    connection.close()
    return found


def import_both(path: Path, tmp_path: Path, jobs: int = 3, **options):
    """Import `path` alone and in `jobs` parts; returns (serial result, parallel result) after
    checking both databases are identical."""
    results = {}
    for count in (1, jobs):
        database = tmp_path / f"jobs{count}.db"
        (results[count],) = import_file(path, database, ImportOptions(jobs=count, index=False, **options))
    assert contents(tmp_path / f"jobs{jobs}.db") == contents(tmp_path / "jobs1.db")
    serial, parallel = results[1].to_dict(), results[jobs].to_dict()
    assert {k: v for k, v in parallel.items() if k not in IGNORED} == {
        k: v for k, v in serial.items() if k not in IGNORED}
    return results[1], results[jobs]


def write(tmp_path: Path, lines: list[str], encoding="utf-8", name="big.csv", newline="\n") -> Path:
    path = tmp_path / name
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    return path


def budget_lines(count: int, start: int = 0) -> list[str]:
    return [f"{i:05d};Commune {i % 37};{(i * 7919) % 100000},{i % 100:02d};{1 + i % 28:02d}/{1 + i % 12:02d}/2024"
            for i in range(start, start + count)]


HEADER = "Code;Commune;Montant;Date"


# --- the real corpus ------------------------------------------------------------------------------

CORPUS_FILES = sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".csv", ".psv", ".txt")) if CORPUS.is_dir() else []


@pytest.mark.corpus
@pytest.mark.parametrize("name", CORPUS_FILES or ["(corpus missing)"])
def test_corpus_file_in_parts_is_the_same(corpus, tmp_path, name):
    serial, parallel = import_both(corpus / name, tmp_path)
    table = read_delimited(corpus / name, ReadOptions())
    if not split.splittable(table):
        assert parallel.parts == 1
    elif serial.rows_written >= 10:
        assert parallel.parts > 1, "a splittable file with data should have been split"


# --- what can happen near a cut -------------------------------------------------------------------

@pytest.fixture(params=["counted", "quick"])
def cuts(request, monkeypatch):
    """Both ways of cutting: lines and quotes counted up to each cut, or (split._quick_parts, for
    big files whose sample has no record over several lines) the first line break after it, the
    later parts' line numbers counted as the parts before them are read."""
    if request.param == "quick":
        monkeypatch.setattr(split, "QUICK_CUT_AFTER", 0)
    return request.param


def test_plain_file_is_split_and_typed(tmp_path, cuts):
    path = write(tmp_path, [HEADER] + budget_lines(3000), encoding="cp1252", newline="\r\n")
    serial, parallel = import_both(path, tmp_path)
    assert parallel.parts == 3
    assert [c.type for c in parallel.columns] == ["TEXT", "TEXT", "REAL", "DATE"]
    assert parallel.rows_written == 3000


def test_cut_points_are_record_boundaries_with_quoted_line_breaks(tmp_path):
    lines = [HEADER]
    for i in range(2000):
        lines.append(f'{i:05d};"Commune\n{i}\nsur trois lignes";{i},5;01/02/2024')
    path = write(tmp_path, lines)
    table = read_delimited(path, ReadOptions())
    parts = split.plan_parts(table.layout, 3, path.stat().st_size)
    assert len(parts) == 3
    data = path.read_bytes()
    for part in parts[1:]:
        assert data[part.start:part.start + 5].decode().isdigit(), "each part starts on a record"
        assert data[:part.start].count(b"\n") + 1 == part.first_line
    serial, parallel = import_both(path, tmp_path)
    assert parallel.parts == 3


def test_stray_quotes_that_fool_the_cut_fall_back_to_one_process(tmp_path):
    # One quote inside an unquoted field (12" screens) makes the quote count odd; then a quoted
    # field that spans most of the file: the cut lands inside it with an even count.
    lines = [HEADER, '00001;Ecran 12" pouces;10,5;01/01/2024']
    lines.append('00002;"' + "\n".join(f"ligne {i} d'un long commentaire" for i in range(3000)) + '";1,5;02/01/2024')
    lines += budget_lines(50, start=3)
    path = write(tmp_path, lines)
    table = read_delimited(path, ReadOptions())
    assert len(split.plan_parts(table.layout, 2, path.stat().st_size)) == 2, "the quote count is fooled"
    serial, parallel = import_both(path, tmp_path, jobs=2)
    assert parallel.parts == 1, "the wrong cut must be noticed and the file read by one process"
    assert serial.rows_written == 52


def test_a_type_that_changes_in_the_last_part_converts_everything_again(tmp_path, cuts):
    rows = budget_lines(3000)
    rows += [f"{i:05d};Commune;voir note {i};01/01/2024" for i in range(3000, 3100)]  # amounts become text
    path = write(tmp_path, [HEADER] + rows)
    serial, parallel = import_both(path, tmp_path)
    assert parallel.parts == 3
    assert parallel.columns[2].type == "TEXT"


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_misfits_in_a_later_part_are_logged_with_their_own_line(tmp_path, newline):
    rows = budget_lines(3000)
    # A quoted cell with line breaks (a lone CR among them) in the first part: later parts must
    # still number their lines the way one reader would.
    rows[10] = '00010;"Commune\rsur\nplusieurs\r\nlignes";1,5;01/01/2024'
    rows[2500] = "02500;Commune;non communiqué;01/01/2024"
    path = write(tmp_path, [HEADER] + rows, newline=newline)
    serial, parallel = import_both(path, tmp_path)
    assert parallel.parts == 3
    connection = sqlite3.connect(tmp_path / "jobs3.db")
    assert connection.execute("SELECT source_line, raw_value FROM _anomalies WHERE column_name = 'montant'"
                              ).fetchall() == [(2502 + 3, "non communiqué")]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_quick_cuts_number_the_lines_of_later_parts(tmp_path, monkeypatch, newline):
    monkeypatch.setattr(split, "QUICK_CUT_AFTER", 0)
    rows = budget_lines(3000)
    rows[900] = ""                                   # blank lines move every later line number
    rows[950] = ""
    rows[1500] = "01500;Commune;non communiqué;01/01/2024"
    rows[2500] = "02500;Commune;à préciser;01/01/2024"
    rows += ["", "Source : ministère des Finances, 2024"]
    path = write(tmp_path, [HEADER] + rows, newline=newline)
    layout = read_delimited(path, ReadOptions()).layout
    assert not layout.multiline_records
    parts = split.plan_parts(layout, 3, path.stat().st_size)
    data = path.read_bytes()
    assert len(parts) == 3 and [p.first_line for p in parts] == [1, None, None]
    assert all(data[p.start - 1:p.start] == b"\n" for p in parts[1:]), "each part starts on a line"
    serial, parallel = import_both(path, tmp_path)
    assert parallel.parts == 3 and parallel.footer_lines == 1
    connection = sqlite3.connect(tmp_path / "jobs3.db")
    # Line numbers read off the file: header on line 1, row i on line i + 2.
    assert connection.execute("SELECT source_line, raw_value FROM _anomalies WHERE column_name = 'montant' "
                              "ORDER BY source_line").fetchall() == [(1502, "non communiqué"), (2502, "à préciser")]
    assert connection.execute("SELECT source_line FROM _anomalies WHERE reason = 'footer'").fetchall() == [(3003,)]


def test_a_quoted_line_break_at_a_quick_cut_is_noticed(tmp_path, monkeypatch):
    # The sample (first 2000 lines) has no record over several lines; a later one spans the middle
    # of the file, where the quick cut lands: the loader must notice and read in one process.
    monkeypatch.setattr(split, "QUICK_CUT_AFTER", 0)
    rows = budget_lines(2500)
    rows.append('02500;"' + "\n".join(f"ligne {i} d'un long commentaire" for i in range(4000)) + '";1,5;02/01/2024')
    rows += budget_lines(100, start=2501)
    path = write(tmp_path, [HEADER] + rows)
    layout = read_delimited(path, ReadOptions()).layout
    assert not layout.multiline_records
    size = path.stat().st_size
    (cut,) = [p.start for p in split.plan_parts(layout, 2, size)[1:]]
    assert path.read_bytes()[:cut].count(b'"') % 2 == 1, "the cut is inside the quoted cell"
    serial, parallel = import_both(path, tmp_path, jobs=2)
    assert parallel.parts == 1 and serial.rows_written == 2601


def test_footnotes_blank_lines_repeated_header_short_rows_and_bom(tmp_path, cuts):
    rows = budget_lines(3000)
    rows[1200] = ""
    rows[2100] = HEADER                         # a second export pasted below the first
    rows[2600] = "02600;Commune courte"          # short row: padded with NULL
    rows += ["", "Source : ministère des Finances, 2024", "(1) montants en FCFA"]
    path = write(tmp_path, [HEADER] + rows, encoding="utf-8-sig")
    serial, parallel = import_both(path, tmp_path)
    assert parallel.parts == 3
    assert parallel.footer_lines == 2 and parallel.repeated_headers == 1 and parallel.padded_rows == 1


def test_extra_fields_in_a_later_part(tmp_path, cuts):
    rows = budget_lines(3000)
    rows[2800] += ";valeur en trop;et une autre"
    rows[2900] = rows[2900].rsplit(";", 1)[0]          # and a short row: both named by their line
    path = write(tmp_path, [HEADER] + rows)
    serial, parallel = import_both(path, tmp_path)
    assert parallel.extra_columns == 2
    assert parallel.extra_lines == serial.extra_lines == [2802] and parallel.short_lines == serial.short_lines == [2902]


def test_append_in_parts(tmp_path, cuts):
    first = write(tmp_path, [HEADER] + budget_lines(2000), name="janvier.csv")
    second = write(tmp_path, [HEADER] + budget_lines(2000, start=2000), name="fevrier.csv")
    for jobs in (1, 3):
        database = tmp_path / f"append{jobs}.db"
        import_file(first, database, ImportOptions(table="depenses", jobs=jobs, index=False))
        (result,) = import_file(second, database, ImportOptions(table="depenses", append=True, jobs=jobs,
                                                                index=False))
        assert result.appended and result.parts == jobs
    assert contents(tmp_path / "append3.db") == contents(tmp_path / "append1.db")


def test_progress_covers_the_whole_file(tmp_path):
    path = write(tmp_path, [HEADER] + budget_lines(20000))
    seen = []
    (result,) = import_file(path, tmp_path / "p.db", ImportOptions(jobs=2, index=False, progress=seen.append))
    assert result.parts == 2
    assert seen and max(seen) <= path.stat().st_size
    assert max(seen) > path.stat().st_size * 0.9, "the workers' progress is counted too"


def test_interrupted_import_in_parts_leaves_nothing_behind(tmp_path, monkeypatch):
    import multiprocessing
    import tempfile

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    database = tmp_path / "kept.db"
    first = write(tmp_path, [HEADER] + budget_lines(100), name="first.csv")
    import_file(first, database, ImportOptions(index=False))
    before = contents(database)
    path = write(tmp_path, [HEADER] + budget_lines(30000))

    def interrupt(position):
        if position > path.stat().st_size // 4:
            raise KeyboardInterrupt   # what Ctrl-C raises in the main process

    with pytest.raises(KeyboardInterrupt):
        import_file(path, database, ImportOptions(jobs=2, index=False, progress=interrupt))
    assert contents(database) == before
    assert multiprocessing.active_children() == [], "worker processes are stopped"
    assert list(scratch.iterdir()) == [], "scratch databases are removed"


def test_when_no_process_can_start_one_process_reads_the_file(tmp_path, monkeypatch):
    import multiprocessing.context

    def refuse(_process):
        raise OSError(11, "Resource temporarily unavailable")   # what fork/spawn says at the process limit

    monkeypatch.setattr(multiprocessing.context.SpawnProcess, "start", refuse)
    path = write(tmp_path, [HEADER] + budget_lines(3000))
    serial, parallel = import_both(path, tmp_path)
    assert parallel.parts == 1 and parallel.rows_written == 3000


def test_files_that_cannot_be_cut_are_read_by_one_process(tmp_path):
    utf16 = write(tmp_path, [HEADER] + budget_lines(2000), encoding="utf-16", name="utf16.csv")
    old_mac = write(tmp_path, [HEADER] + budget_lines(2000), name="mac.csv", newline="\r")
    for path in (utf16, old_mac):
        serial, parallel = import_both(path, tmp_path)
        assert parallel.parts == 1


def test_the_parts_go_to_workers_started_ahead(tmp_path, monkeypatch):
    from datactiviste.ingest import parallel

    taken = []
    original = parallel.Standby.take

    def take(self):
        ready = original(self)
        taken.append(ready is not None)
        return ready

    monkeypatch.setattr(parallel.Standby, "take", take)
    path = write(tmp_path, [HEADER] + budget_lines(3000))
    serial, parallel_result = import_both(path, tmp_path, jobs=3)
    assert parallel_result.parts == 3 and taken == [True, True]


def test_workers_started_ahead_exit_when_no_part_comes(tmp_path):
    import multiprocessing

    from datactiviste.ingest import parallel

    standby = parallel.Standby(2)
    processes = [ready[0] for ready in standby._ready]
    assert len(processes) == 2
    standby.close()
    assert all(not process.is_alive() and process.exitcode == 0 for process in processes)
    # A file that cannot be cut (UTF-16), imported with --jobs 2: the worker ahead is let go.
    utf16 = write(tmp_path, [HEADER] + budget_lines(2000), encoding="utf-16", name="utf16.csv")
    (result,) = import_file(utf16, tmp_path / "u.db", ImportOptions(jobs=2, index=False))
    assert result.parts == 1 and result.rows_written == 2000
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("codec, expected", [("utf-8", True), ("utf-8-sig", True), ("cp1252", True),
                                             ("latin-1", True), ("cp850", True), ("mac_roman", True),
                                             ("utf-16-le", False), ("cp500", False), ("shift_jis", False),
                                             ("no-such-codec", False)])
def test_only_encodings_that_keep_ascii_bytes_can_be_cut(codec, expected):
    # cp500 is EBCDIC: its '"' and line feed are other bytes; shift_jis has two-byte characters.
    assert split._bytes_are_ascii_syntax(codec) is expected


def test_automatic_parts_only_for_big_files():
    assert ahead.automatic_parts(1024 * 1024) == 1
    assert 1 <= ahead.automatic_parts(200 * 1024 * 1024) <= ahead.MAX_PARTS


def test_cli_jobs_option(run_cli, tmp_path):
    path = write(tmp_path, [HEADER] + budget_lines(3000))
    result = run_cli("import", path, "--db", "cli.db", "--jobs", "2", "--report", "json", "--no-index")
    assert result.exit_code == 0, result.output
    (report,) = json.loads(result.output[result.output.index("["):])
    assert report["parts"] == 2 and report["rows_written"] == 3000
    text = run_cli("import", path, "--db", "cli.db", "--jobs", "2", "--no-index")
    assert "Lu par 2 processus en parallèle" in text.output and "--jobs 1" in text.output


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=tables(), quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
def test_random_tables_in_parts(tmp_path_factory, table, quoting):
    kinds, rows = table
    tmp_path = tmp_path_factory.mktemp("roundtrip")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=quoting, lineterminator="\r\n")
    writer.writerow([f"colonne {i}" for i in range(len(kinds))])
    writer.writerows(render(kinds, rows * 20, "fr"))   # enough lines for cuts
    path = tmp_path / "random.csv"
    path.write_bytes(buffer.getvalue().encode("cp1252"))
    import_both(path, tmp_path, jobs=2)


def test_workers_are_started_ahead_only_for_delimited_files(tmp_path):
    import xlsxwriter

    book = xlsxwriter.Workbook(str(tmp_path / "budget.xlsx"))
    book.add_worksheet("Données").write_row(0, 0, ["Région", "Montant"])
    book.close()
    assert ahead.workers_ahead(tmp_path / "budget.xlsx", 2, None) is None
    (tmp_path / "liste.json").write_text(' \n[{"a": 1}]', encoding="utf-8")
    assert ahead.workers_ahead(tmp_path / "liste.json", 2, None) is None
    assert ahead.workers_ahead(tmp_path / "absent.csv", 2, None) is None
    csv_path = write(tmp_path, [HEADER] + budget_lines(100))
    assert ahead.workers_ahead(csv_path, 1, None) is None
    assert ahead.workers_ahead(csv_path, None, None) is None          # small: one process
    standby = ahead.workers_ahead(csv_path, 2, None)
    try:
        assert standby is not None and len(standby._ready) == 1 and standby.shared is not None
    finally:
        standby.close()
    standby = ahead.workers_ahead(csv_path, 2, "cp1252")               # encoding given: nothing to scan
    try:
        assert standby is not None and standby.shared is None
    finally:
        standby.close()


def test_a_total_at_the_end_of_the_last_part_is_quoted_as_the_file_writes_it(tmp_path, monkeypatch):
    # The last part's worker keeps its last records: the main process quotes the total from them
    # (a table too big to be read again, as REREAD_ROWS = 0 makes this one).
    from datactiviste.ingest import totalrows

    monkeypatch.setattr(split, "QUICK_CUT_AFTER", 0)
    monkeypatch.setattr(totalrows, "REREAD_ROWS", 0)
    rows = [f"{i:05d};Commune {i % 37};{1000 + i}" for i in range(3000)]
    rows.append("TOTAL;;7 498 500")          # 3000 x 1000 + (0 + 1 + ... + 2999)
    path = write(tmp_path, ["Code;Commune;Montant"] + rows)
    serial, parallel = import_both(path, tmp_path)
    assert parallel.parts == 3 and parallel.totals == 1
    for database in ("jobs1.db", "jobs3.db"):
        assert sqlite3.connect(tmp_path / database).execute(
            "SELECT source_line, raw_value FROM _anomalies WHERE reason = 'total'").fetchall() == [(3002, "TOTAL;;7 498 500")]


def test_a_record_cut_by_an_unquoted_line_break_in_a_later_part(tmp_path, cuts):
    rows = [f"{i:05d};Commune {i % 37};Projet {i % 11};{(i * 7919) % 100000};{1 + i % 28:02d}/{1 + i % 12:02d}/2024"
            for i in range(3000)]
    rows[2500:2501] = ["02500;Commune 21;Réhabilitation", "des latrines;1234;05/03/2024"]
    path = write(tmp_path, ["Code;Commune;Projet;Montant;Date"] + rows)
    serial, parallel = import_both(path, tmp_path)
    assert parallel.parts == 3 and serial.rejoined_lines == [2502] and serial.rows_written == 3000
