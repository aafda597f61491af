"""A cell typed with a line break and written without quotes cuts its record in two
(ingest/cutrecords.py): joined again on evidence, named in the report; short rows that are rows
stay rows."""

from __future__ import annotations

import sqlite3

from datactiviste.ingest import delimited
from datactiviste.ingest.importer import ImportOptions, import_file
from datactiviste.ingest.report import render_import

HEADER = "id;nom;description;montant;date"


def rows(count: int, start: int = 1) -> list[str]:
    return [f"{i};Ecole {i};Forage {i % 7};{100 * i};2024-{1 + i % 12:02d}-{1 + i % 28:02d}" for i in range(start, start + count)]


def load(tmp_path, lines, name="cut.csv"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (result,) = import_file(path, tmp_path / "cut.db", ImportOptions(index=False))
    connection = sqlite3.connect(tmp_path / "cut.db")
    table = path.stem
    return result, connection, table


def test_a_record_cut_in_a_middle_cell_is_one_row_again(tmp_path):
    lines = [HEADER] + rows(3) + ["4;Ecole B;Réhabilitation", "des latrines;800;2024-02-03"] + rows(3, start=5)
    result, connection, table = load(tmp_path, lines)
    assert result.rows_written == 7 and result.rows_read == 7 and result.padded_rows == 0
    assert result.rejoined_rows == 1 and result.rejoined_lines == [5]
    assert [c.type for c in result.columns] == ["INTEGER", "TEXT", "TEXT", "INTEGER", "DATE"]
    assert connection.execute(f"SELECT * FROM {table} WHERE id = 4").fetchone() == (
        4, "Ecole B", "Réhabilitation\ndes latrines", 800, "2024-02-03")
    assert connection.execute("SELECT rows_read, rows_written FROM _sources").fetchone() == (7, 7)
    report = render_import(result)
    assert "1 ligne coupée par un retour à la ligne hors guillemets, recollée (ligne 5)" in report or \
        "1 row cut by a line break outside quotes, joined again (line 5)" in report


def test_a_cell_cut_twice_with_a_blank_line_inside(tmp_path):
    lines = [HEADER] + rows(4) + ["5;Ecole E;Travaux :", "", "toiture", "clôture;900;2024-05-06"] + rows(2, start=6)
    result, connection, table = load(tmp_path, lines)
    assert result.rows_written == 7 and result.rejoined_lines == [6]
    assert connection.execute(f"SELECT description, montant FROM {table} WHERE id = 5").fetchone() == (
        "Travaux :\n\ntoiture\nclôture", 900)
    # The next row keeps its own line: the joined record spans four lines.
    assert connection.execute("SELECT count(*) FROM _anomalies").fetchone() == (0,)


def test_short_rows_that_are_rows_stay_rows(tmp_path):
    """Trailing empty fields left out: each short record starts with an id, as a row does."""
    lines = [HEADER] + rows(4) + ["5;Ecole E", "6;Ecole F;Forage"] + rows(3, start=7)
    result, connection, table = load(tmp_path, lines)
    assert result.rejoined_rows == 0 and result.padded_rows == 2 and result.rows_written == 9
    assert connection.execute(f"SELECT id, nom, description FROM {table} WHERE id IN (5, 6)").fetchall() == [
        (5, "Ecole E", None), (6, "Ecole F", "Forage")]


def test_a_number_is_never_joined_to_the_cell_above(tmp_path):
    """The cut would fall in a number column: only text holds a line break, the rows stay rows."""
    lines = ["id;montant;nom;commune;date"] + [f"{i};{i * 10};Ecole {i};Dakar;2024-01-0{1 + i % 8}" for i in range(1, 6)]
    lines += ["6;60", "7;Ecole 7;Thiès;2024-01-02"]
    result, connection, table = load(tmp_path, lines)
    assert result.rejoined_rows == 0 and result.padded_rows == 2


def test_a_record_cut_across_two_batches(tmp_path, monkeypatch):
    monkeypatch.setattr(delimited, "BATCH", 5)
    lines = [HEADER] + rows(4) + ["5;Ecole E;Réhabilitation", "des latrines;800;2024-02-03"] + rows(8, start=6)
    result, connection, table = load(tmp_path, lines)
    assert result.rejoined_lines == [6] and result.rows_written == 13
    assert connection.execute(f"SELECT montant FROM {table} WHERE id = 5").fetchone() == (800,)


def test_with_keep_notes_and_a_footnote_below(tmp_path):
    lines = [HEADER] + rows(5) + ["6;Ecole F;Réhabilitation", "des latrines;800;2024-02-03", "",
                                  "Source : ministère de l'Éducation"]
    result, connection, table = load(tmp_path, lines)
    assert result.rejoined_lines == [7] and result.rows_written == 6 and result.footer_lines == 1


LAST_TEXT = "id;nom;montant;commentaire"


def commented(count: int, start: int = 1) -> list[str]:
    return [f"{i};Ecole {i};{100 * i};Travaux {i % 3} terminés" for i in range(start, start + count)]


def test_a_cut_in_the_last_text_column_leaves_lines_of_one_cell(tmp_path):
    lines = [LAST_TEXT] + commented(3) + ["4;Ecole D;400;Réhabilitation", "des latrines", "et du forage"] + commented(3, 5)
    result, connection, table = load(tmp_path, lines)
    assert result.rejoined_lines == [5] and result.rows_written == 7 and result.padded_rows == 0
    assert [c.type for c in result.columns][:3] == ["INTEGER", "TEXT", "INTEGER"]
    assert connection.execute(f"SELECT commentaire FROM {table} WHERE id = 4").fetchone() == (
        "Réhabilitation\ndes latrines\net du forage",)


def test_one_cell_lines_that_do_not_go_on_stay_apart(tmp_path):
    """A section title (capital first), a note under the last row, a line after a blank line:
    not the cell above going on."""
    lines = [LAST_TEXT] + commented(3) + ["Région de Thiès"] + commented(3, 4) + ["source : ministère", "",
                                                                                  "des notes"]
    result, connection, table = load(tmp_path, lines)
    assert result.rejoined_rows == 0
    assert connection.execute(f"SELECT count(*) FROM {table} WHERE commentaire LIKE '%\n%'").fetchone() == (0,)


def test_a_last_cut_across_two_batches(tmp_path, monkeypatch):
    monkeypatch.setattr(delimited, "BATCH", 5)
    lines = [LAST_TEXT] + commented(4) + ["5;Ecole E;500;Réhabilitation", "des latrines"] + commented(8, 6)
    result, connection, table = load(tmp_path, lines)
    assert result.rejoined_lines == [6] and result.rows_written == 13
