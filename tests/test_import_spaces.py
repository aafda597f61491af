"""Tables whose columns are separated by spaces (ingest/spaces.py): read when the evidence is
strong (a header of labels over the columns, or every row as wide with a column of numbers), left
as one column or refused as fixed-width text when the spaces could be inside the cells."""

from __future__ import annotations

import sqlite3

import pytest

from datactiviste.ingest.importer import ImportOptions, import_file
from tests.test_import_parallel import import_both, write


def rows(database, table):
    connection = sqlite3.connect(database)
    try:
        columns = [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]
        return columns, connection.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall()
    finally:
        connection.close()


def imported(tmp_path, name, text, **options):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(index=False, **options))
    return result, rows(tmp_path / "t.db", result.table)


def test_single_spaces_between_labelled_columns(tmp_path):
    result, (columns, values) = imported(tmp_path, "releves.txt",
                                         "id region valeur date\n1 Dakar 12,5 02/01/2024\n2 Thiès 13 03/01/2024\n"
                                         "3 Kaolack 7,25 04/01/2024\n")
    assert result.delimiter == " "
    assert columns == ["id", "region", "valeur", "date"]
    assert [c.type for c in result.columns] == ["INTEGER", "TEXT", "REAL", "DATE"]
    assert values == [(1, "Dakar", 12.5, "2024-01-02"), (2, "Thiès", 13.0, "2024-01-03"),
                      (3, "Kaolack", 7.25, "2024-01-04")]


def test_columns_aligned_with_runs_of_spaces_are_one_separator_each(tmp_path):
    # Miller's pprint: cells padded to the column's width, one space or more between them.
    text = ("a   b   i  x                   y\n"
            "pan pan 1  0.3467901443380824  0.7268028627434533\n"
            "eks pan 2  0.7586799647899636  0.5221511083334797\n"
            "wye wye 3  0.20460330576630303 0.33831852551664776\n")
    result, (columns, values) = imported(tmp_path, "abixy.txt", text)
    assert columns == ["a", "b", "i", "x", "y"]
    assert values[2] == ("wye", "wye", 3, 0.20460330576630303, 0.33831852551664776)
    assert result.rows_written == 3


def test_r_write_table_quoted_cells_and_unlabelled_row_names(tmp_path):
    text = ('"mpg" "cyl" "disp"\n"Mazda RX4" 21 6 160\n"Mazda RX4 Wag" 21 6 160\n'
            '"Datsun 710" 22.8 4 108\n"Hornet 4 Drive" 21.4 6 258\n')
    result, (columns, values) = imported(tmp_path, "mtcars.txt", text)
    assert columns == ["column_1", "mpg", "cyl", "disp"]     # the labels stay over their own columns
    assert values[0] == ("Mazda RX4", 21.0, 6, 160) and values[3] == ("Hornet 4 Drive", 21.4, 6, 258)


def test_comment_block_above_headerless_columns_is_set_aside_and_counted(tmp_path):
    # NOAA GML's monthly files: # comments, the last two placing labels by hand over the columns.
    text = ("# USE OF NOAA GML DATA\n#\n# Contact: someone, somewhere\n"
            "#            decimal       monthly    de-season  #days\n"
            "#             date         average     alized          of days\n"
            " 1958    3   1958.2027      315.70      314.43     -1\n"
            " 1958    4   1958.2877      317.45      315.16     -1\n"
            " 1974    5   1974.3750      333.18      330.21     13\n")
    result, (columns, values) = imported(tmp_path, "co2_mm_mlo.txt", text)
    assert result.delimiter == " " and len(columns) == 6
    assert values == [(1958, 3, 1958.2027, 315.7, 314.43, -1), (1958, 4, 1958.2877, 317.45, 315.16, -1),
                      (1974, 5, 1974.375, 333.18, 330.21, 13)]
    database = sqlite3.connect(tmp_path / "t.db")
    (read, written), = database.execute("SELECT rows_read, rows_written FROM _sources").fetchall()
    anomalies = database.execute("SELECT source_line FROM _anomalies ORDER BY source_line").fetchall()
    assert written == 3 and read == 3 + 5 and [line for (line,) in anomalies] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("text", [
    "nom\nAmadou Diallo\nFatou Ndiaye\nMoussa Sow\n",                 # words, no column of numbers
    "montant\n1 234\n12 500\n345 678\n",                               # French thousands: one column
    "1 234\n12 500\n345 678\n2 000\n",
    "ville nombre\nDakar 12\nSaint Louis 4\nThiès 7\n",                # a name with a space: a row wider
])
def test_spaces_that_may_be_inside_cells_are_not_split(tmp_path, text):
    result, (columns, values) = imported(tmp_path, "une_colonne.txt", text)
    assert result.delimiter != " " and len(columns) == 1
    assert sum(1 for (value,) in values if value is not None) + (result.header_line is not None) == text.count("\n")


def test_explicit_space_delimiter_also_counts_runs_as_one(run_cli, tmp_path):
    (tmp_path / "mesures.txt").write_text("001 307  0930 36.58   0\n002 307  0940 36.73   0\n003 307  0950 36.88   1\n", encoding="utf-8")
    output = run_cli("import", tmp_path / "mesures.txt", "--db", tmp_path / "v.db", "--delimiter", " ").output
    assert "Séparateur : espaces (plusieurs espaces de suite comptent pour un séparateur)" in output
    assert len(rows(tmp_path / "v.db", "mesures")[0]) == 5
    english = run_cli("--lang", "en", "import", tmp_path / "mesures.txt", "--db", tmp_path / "v.db",
                      "--delimiter", " ").output
    assert "Delimiter: spaces (a run of spaces is one separator)" in english


def test_headerless_columns_aligned_around_one_space_gaps_are_refused_with_the_way_out(run_cli, tmp_path):
    # Gaps of one space and of several, no header to say which: a cell may hold a space.
    (tmp_path / "mesures.txt").write_text("001 307  0930 36.58   0\n002 307  0940 36.73   0\n003 307  0950 36.88   1\n",
                                          encoding="utf-8")
    result = run_cli("import", tmp_path / "mesures.txt", "--db", tmp_path / "v.db")
    assert result.exit_code == 2 and "largeur fixe" in result.output and '--delimiter " "' in result.output


def test_space_separated_file_in_parts_is_the_same(tmp_path):
    lines = ["code commune montant"] + [f"{i:05d} Commune_{i % 37}   {(i * 7919) % 100000}.{i % 100:02d}"
                                        for i in range(3000)]
    serial, parallel = import_both(write(tmp_path, lines, name="big.txt"), tmp_path)
    assert parallel.parts > 1 and serial.rows_written == 3000
    assert [c.type for c in serial.columns] == ["TEXT", "TEXT", "REAL"]


def test_a_semicolon_in_one_note_line_is_no_delimiter(run_cli, tmp_path):
    # NASA's GISTEMP text: a note `… ; ***** = missing` above space-aligned columns. Split on
    # that one `;`, the note became the header and every row one cell of text.
    lines = ["        GLOBAL Land-Ocean Temperature Index in 0.01 degrees Celsius", "",
             "Notes: 1950 DJF = Dec 1949 - Feb 1950 ;  ***** = missing", "",
             "Year   Jan  Feb  Mar  Apr   J-D"]
    lines += [f"{1880 + i}   {-20 + i:4d} {-25 + i:4d} {-9 + i:4d} {-16 + i:4d}  {-17 + i:4d}" for i in range(30)]
    (tmp_path / "GLB.Ts+dSST.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("import", tmp_path / "GLB.Ts+dSST.txt", "--db", tmp_path / "g.db")
    assert "point-virgule" not in result.output
    spaced = run_cli("import", tmp_path / "GLB.Ts+dSST.txt", "--db", tmp_path / "g.db", "--delimiter", " ")
    assert spaced.exit_code == 0 and "En-tête : ligne 5" in spaced.output
    assert sqlite3.connect(tmp_path / "g.db").execute('SELECT year, jan, j_d FROM "glb_ts_dsst" LIMIT 1').fetchone() == (1880, -20, -17)


def test_a_colon_in_one_line_of_a_text_makes_no_delimiter(tmp_path):
    # frictionless' Mac Roman sample: one column of sentences, one of them with a colon.
    text = "Some text\n\nGerman text with apostrophs: über gründen wäre\n" + "".join(f"line {i} of the text\n" for i in range(40))
    result, (columns, values) = imported(tmp_path, "text.csv", text)
    assert len(columns) == 1 and result.rows_written == 41 and result.delimiter != ":"
