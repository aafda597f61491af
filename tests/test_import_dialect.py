"""Delimiters nobody expects, on strong evidence only: `:` `^` `~` make a table when the first
record is a header of words as wide as the records; a column of times or URLs stays one column."""

from __future__ import annotations

import sqlite3

import pytest

from datactiviste.ingest.delimiters import detect_delimiter
from datactiviste.ingest.importer import ImportOptions, import_file


def lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


@pytest.mark.parametrize("delimiter", [":", "^", "~"])
def test_rare_delimiters_make_a_table_under_a_header_of_words(delimiter):
    rows = ["ville", "région", "pays", "population"], ["Thiès", "Thiès", "Sénégal", "317763"], \
        ["Kaolack", "Kaolack", "Sénégal", "233708"], ["Ziguinchor", "Ziguinchor", "Sénégal", "205294"]
    assert detect_delimiter(lines("".join(delimiter.join(r) + "\n" for r in rows))) == delimiter


@pytest.mark.parametrize("text", [
    "heure\n10:30\n11:45\n12:00\n",                        # times under a one-word header
    "10:30\n11:45\n12:00\n13:10\n",                        # times alone
    "lien\nhttp://a.sn/b\nhttps://c.sn/d\nhttp://e.sn/f\n",  # URLs
    "début:fin\n10:30:11:45\n12:00:13:10\n",               # a header of words, but the rows are times
])
def test_colons_of_times_and_urls_are_not_delimiters(text):
    assert detect_delimiter(lines(text)) is None


def test_usual_delimiters_win_over_rare_ones():
    text = "ville;heure\nThiès;10:30\nKaolack;11:45\nMbour;12:00\n"
    assert detect_delimiter(lines(text)) == ";"


def test_a_delimiter_found_only_in_the_first_line_is_not_the_file_s(tmp_path):
    # A header aligned with spaces whose labels hold commas (`SIGMA(1,1)`): under "," the rows are
    # one cell each, and were all set aside as notes under an empty table. One column keeps them.
    text = ("ITERATION    THETA1    SIGMA(1,1)    SIGMA(2,1)\n" "  -25000  -2.5E+00  6.2E-01  5.3E-01\n"
            "  -24999  -2.4E+00  6.1E-01  2.8E-01\n" "  -24998  -2.3E+00  5.4E-01  1.4E-01\n")
    assert detect_delimiter(lines(text)) is None
    assert detect_delimiter(lines("ville, pays\nDakar\nThiès\nLouga\n")) is None
    assert detect_delimiter(lines("Titre, 2024\nville;pays\nDakar;Sénégal\nLomé;Togo\n")) == ";"
    path = tmp_path / "theta.txt"
    path.write_text(text, encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(search=False))
    assert result.rows_written == 3 and result.footer_lines == 0


def test_backslash_escapes_are_read_when_they_make_the_table_regular(tmp_path):
    from datactiviste.ingest.importer import ImportOptions, import_file

    path = tmp_path / "films.csv"
    path.write_text('titre,année,note\nDr. Seltsam\\, oder wie ich lernte,1964,8.6\nMetropolis,1927,8.4\n'
                    '"Venture \\"Extended\\"",1999,7.1\nLa Noire de…,1966,7.3\n', encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(index=False))
    assert [c.label for c in result.columns] == ["titre", "année", "note"] and result.rows_written == 4
    import sqlite3
    titles = [r[0] for r in sqlite3.connect(tmp_path / "t.db").execute("SELECT titre FROM films ORDER BY rowid")]
    assert titles == ["Dr. Seltsam, oder wie ich lernte", "Metropolis", 'Venture "Extended"', "La Noire de…"]


def test_backslashes_of_paths_are_kept(tmp_path):
    from datactiviste.ingest.importer import ImportOptions, import_file

    path = tmp_path / "fichiers.csv"
    path.write_text("nom;chemin\nbudget;C:\\Donnees\\budget.xlsx\nrapport;D:\\Partage\\rapport.pdf\n"
                    "carte;C:\\Cartes\\regions.geojson\n", encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(index=False))
    import sqlite3
    paths = [r[0] for r in sqlite3.connect(tmp_path / "t.db").execute("SELECT chemin FROM fichiers ORDER BY rowid")]
    assert paths == ["C:\\Donnees\\budget.xlsx", "D:\\Partage\\rapport.pdf", "C:\\Cartes\\regions.geojson"]


def _eurostat_lines(rows: int) -> list[str]:
    lines = ["unit,airpol,geo\\time\t2013 \t2012 \t2011 "]
    flags = ["", " n", " e", " p", " bep", ""]
    for i in range(rows):
        first = ": z" if i % 7 == 0 else f"{i % 900} "
        lines.append(f"T,NH3,C{i}\t{first}\t{i % 50}{flags[i % 6]}\t-{i % 3} ")
    return lines


def test_eurostat_flags_are_taken_off_and_the_years_are_numbers(tmp_path):
    from datactiviste.ingest.report import render_import
    from tests.test_import_parallel import import_both, write

    serial, parallel = import_both(write(tmp_path, _eurostat_lines(3000), name="env_air_emis.tsv"), tmp_path)
    for result in (serial, parallel):
        assert [c.type for c in result.columns] == ["TEXT", "INTEGER", "INTEGER", "INTEGER"]
        assert result.value_flags and "Eurostat" in render_import(result)
    connection = sqlite3.connect(tmp_path / "jobs1.db")
    assert connection.execute("SELECT c_2013, c_2012, c_2011 FROM env_air_emis LIMIT 2").fetchall() == [
        (None, 0, 0), (1, 1, -1)]
    assert connection.execute("SELECT c_2012 FROM env_air_emis WHERE rowid = 5").fetchone() == (4,)   # '4 bep'


def test_a_value_with_words_after_it_is_no_flag_outside_eurostat_files(tmp_path):
    path = tmp_path / "adresses.tsv"
    path.write_text("geo\tnumero\nDakar\t12 b\nThiès\t3\n", encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(index=False))
    assert not result.value_flags
    assert sqlite3.connect(tmp_path / "t.db").execute("SELECT numero FROM adresses").fetchall() == [("12 b",), ("3",)]


def test_spaces_aligning_columns_after_closing_quotes_are_layout(tmp_path):
    from tests.test_import_parallel import import_both, write

    lines = ['"Code"  ,"Pays"              ,"Valeur"']
    lines += [f'"{i}"{" " * (6 - len(str(i)))},"Pays {i}"{" " * 10},"{i * 3}"' for i in range(2000)]
    serial, parallel = import_both(write(tmp_path, lines, name="groupes.csv"), tmp_path)
    assert [c.label for c in serial.columns] == ["Code", "Pays", "Valeur"]
    assert [c.type for c in serial.columns] == ["INTEGER", "TEXT", "INTEGER"]
    connection = sqlite3.connect(tmp_path / "jobs3.db")
    assert connection.execute("SELECT pays FROM groupes WHERE code = 1999").fetchone() == ("Pays 1999",)
    from datactiviste.ingest.report import render_import
    assert serial.padded_quotes and "Espaces d'alignement" in render_import(serial)


def test_a_few_spaces_after_a_quote_are_kept_as_written(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text('nom,avis\n"Awa"  ,bien\nMoussa,"oui"\nFatou,non\nAli,"peut-être"\nBinta,oui\n', encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(index=False))
    assert sqlite3.connect(tmp_path / "t.db").execute("SELECT nom FROM notes LIMIT 1").fetchone() == ("Awa  ",)


def test_inner_quotes_never_doubled_are_kept_where_the_writer_put_them(tmp_path):
    # GTFS stops written by a naive script: "Lahr Schlüssel "Vis-à-Vis Bus" more text".
    from tests.test_import_parallel import import_both, write

    # Seen in the sample (its first 2000 lines), they are read so in the whole file, parts included.
    lines = ['stop_id,stop_name,stop_lat']
    lines += [f'"de:{i}","Arrêt {i}","48.{i:04d}"' for i in range(500)]
    lines += ['"de:x","Lahr Schlüssel "Vis-à-Vis Bus" more text","48.34"', '"de:y","Lahr "Vis Bus"","48.35"',
              '"de:z","École ""Les Palmiers""","48.36"']
    lines += [f'"de:{i}","Arrêt {i}","48.{i:04d}"' for i in range(500, 3000)] + ['"de:w","Gare "Nord"","48.37"']
    serial, parallel = import_both(write(tmp_path, lines, name="stops.csv"), tmp_path)
    assert serial.rows_written == 3004 and [c.type for c in serial.columns] == ["TEXT", "TEXT", "REAL"]
    names = sqlite3.connect(tmp_path / "jobs3.db").execute(
        "SELECT stop_name FROM stops WHERE stop_id IN ('de:x', 'de:y', 'de:z', 'de:w')").fetchall()
    assert names == [('Lahr Schlüssel "Vis-à-Vis Bus" more text',), ('Lahr "Vis Bus"',), ('École "Les Palmiers"',),
                     ('Gare "Nord"',)]


def test_a_file_with_doubled_quotes_only_is_read_by_the_csv_rules(tmp_path):
    path = tmp_path / "citations.csv"
    path.write_text('auteur,texte\nAwa,"Il a dit ""oui"", puis il est parti"\nAli,"simple"\n', encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(index=False))
    assert sqlite3.connect(tmp_path / "t.db").execute("SELECT texte FROM citations").fetchall() == [
        ('Il a dit "oui", puis il est parti',), ("simple",)]


def test_excel_text_formulas_are_read_as_their_text(tmp_path):
    # ="01001": exporters write it so that Excel keeps the code's leading zero.
    from datactiviste.ingest.report import render_import

    path = tmp_path / "communes.csv"
    path.write_text('code;nom;montant\n="01001";Ain;12\n"=""02002""";Aisne;13\n="2A004";Ajaccio;5\n', encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(index=False))
    rows = sqlite3.connect(tmp_path / "t.db").execute("SELECT code, montant FROM communes").fetchall()
    assert rows == [("01001", 12), ("02002", 13), ("2A004", 5)] and result.columns[0].kind == "code"
    assert result.excel_text and "01001" in render_import(result)


def test_an_equals_sign_in_text_is_kept(tmp_path):
    path = tmp_path / "formules.csv"
    path.write_text('nom;formule\nA;=SUM(B2:B9)\nB;x="y"\n', encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(index=False))
    assert not result.excel_text
    assert sqlite3.connect(tmp_path / "t.db").execute("SELECT formule FROM formules").fetchall() == [
        ("=SUM(B2:B9)",), ('x="y"',)]


def test_stray_quotes_and_excel_text_formulas_in_one_file(tmp_path):
    # The lenient reading of the sample keeps the other cell fixes (they are applied after it).
    from datactiviste.ingest.delimited import read_delimited
    from datactiviste.ingest.readers import ReadOptions

    path = tmp_path / "ecoles.csv"
    path.write_text('code,nom,eleves\n="01001","École "Les Palmiers" de Dakar",120\n="02002","Lycée Blaise Diagne",300\n',
                    encoding="utf-8")
    table = read_delimited(path, ReadOptions())
    assert table.layout.stray_quotes and table.layout.excel_text
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(index=False))
    assert sqlite3.connect(tmp_path / "t.db").execute("SELECT code, nom FROM ecoles").fetchall() == [
        ("01001", 'École "Les Palmiers" de Dakar'), ("02002", "Lycée Blaise Diagne")]
    from datactiviste.ingest.report import render_import
    assert result.stray_quotes and "Guillemets non doublés" in render_import(result)


def test_stray_quotes_in_a_file_read_line_by_line(tmp_path):
    # NUL bytes (like mojibake or lines in two encodings) make the reader decode line by line, with no
    # readline: the lenient reading of stray quotes iterates those lines (it stopped with an
    # AttributeError, "Erreur inattendue": a crash hunt's find on a Reddit comments dump).
    path = tmp_path / "ecoles.csv"
    path.write_bytes(b'code,nom,eleves\n1,"Ecole "Les Palmiers" de Dakar",120\n2,Lycee \x00,300\n3,Cours,40\n')
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(index=False))
    assert result.stray_quotes and result.rows_written == 3
    rows = sqlite3.connect(tmp_path / "t.db").execute("SELECT nom, eleves FROM ecoles ORDER BY rowid").fetchall()
    assert rows[0] == ('Ecole "Les Palmiers" de Dakar', 120) and rows[2] == ("Cours", 40)


def test_rows_one_field_wider_than_the_header_give_a_typed_unnamed_column(tmp_path):
    """NOAA's older exports name 7 columns over rows of 8: the eighth is a column like the others
    (typed, named column_8), not an extra field kept as text."""
    path = tmp_path / "co2.csv"
    path.write_text("year,month,average,ndays\n" + "".join(f"19{58 + i},3,{315 + i}.70,-0.{i + 1}9\n"
                                                            .replace(",-0.", f",{i},-0.") for i in range(8)),
                    encoding="utf-8")
    database = tmp_path / "t.db"
    (result,) = import_file(path, database, ImportOptions(index=False))
    assert [c.type for c in result.columns] == ["INTEGER", "INTEGER", "REAL", "INTEGER", "REAL"]
    assert result.columns[-1].name == "column_5"
    import sqlite3

    assert sqlite3.connect(database).execute(f'SELECT "column_5" FROM "{result.table}" LIMIT 1').fetchone() == (-0.19,)
