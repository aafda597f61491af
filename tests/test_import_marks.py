"""A column of numbers stays a number column whatever marks its publisher puts in a few cells
(shapes.MARKER_PATTERN, types.decide): the statistics offices' missing-value codes become empty
and are reported, numbers with a flag are kept as written and logged, the rest is typed."""

from __future__ import annotations

import sqlite3

import pytest

from datactiviste.ingest.importer import ImportOptions, import_file


def _import(tmp_path, text: str, **options):
    path = tmp_path / "tableau.csv"
    path.write_text(text, encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(search=False, index=False, **options))
    connection = sqlite3.connect(tmp_path / "t.db")
    values = connection.execute(f'SELECT * FROM "{result.table}" ORDER BY rowid').fetchall()
    anomalies = connection.execute("SELECT source_line, raw_value FROM _anomalies ORDER BY source_line").fetchall()
    connection.close()
    return result, values, anomalies


def _rows(count: int) -> str:
    return "".join(f"Zone {i};{100 + i * 7},5\n" for i in range(count))


@pytest.mark.parametrize("mark", ["[n]", "[b]", "[Note 2]", "(O)", "(s)", "N/A - résultat non disponible",
                                  "nd : secret statistique"])
def test_a_missing_value_code_in_a_column_of_numbers_is_empty_and_reported(tmp_path, mark):
    # One mark among 30 numbers: over the 1 % of misfits a typed column tolerates if it counted as text.
    result, values, anomalies = _import(tmp_path, "Zone;Valeur\n" + _rows(15) + f"Zone X;{mark}\n" + _rows(15))
    column = result.columns[1]
    assert column.type == "REAL"
    assert values[15] == ("Zone X", None) and values[0] == ("Zone 0", 100.5)
    assert column.markers == {mark: 1} and column.anomalies == 0


def test_numbers_with_a_flag_keep_the_column_numeric_and_are_kept_as_written(tmp_path):
    # INSEE's regional GDP: the last years of one region estimated, `3103(e)`, explained in a note.
    text = "Région;2021;2022\n" + "".join(f"Région {i};{2000 + i};{2100 + i}\n" for i in range(20)) + \
        "Mayotte;3103(e);3347 (e)\n"
    result, values, anomalies = _import(tmp_path, text)
    assert [c.type for c in result.columns] == ["TEXT", "INTEGER", "INTEGER"]
    assert values[-1] == ("Mayotte", "3103(e)", "3347 (e)") and values[0] == ("Région 0", 2000, 2100)
    assert ("3103(e)" in {raw for _line, raw in anomalies}) and {line for line, _raw in anomalies} == {22}


def test_a_flag_letter_glued_to_numbers_keeps_the_header_and_the_column_numeric(tmp_path):
    # NIHE / UK tables: `82.44R` revised, `73.73P` provisional, blank rows under the labels; before,
    # the flagged rows read as labels and the header was taken on the first region.
    text = ("Average weekly rents\n\nRegion;2012-13;2013-14;2014-15\n;;;\n;;;\nEngland;78.55;82.44R;85.89\n"
            "Wales;69.63;72.59;75.83\nScotland;59.02;59.73R;64.01R\nNorthern Ireland;58.76;60.88;63.46\n"
            "United Kingdom;74.55;77.84;81.31P\n")
    result, values, anomalies = _import(tmp_path, text)
    assert result.header_line == 3 and [c.label for c in result.columns] == ["Region", "2012-13", "2013-14", "2014-15"]
    assert [c.type for c in result.columns] == ["TEXT", "REAL", "REAL", "REAL"]
    assert values[0] == ("England", 78.55, "82.44R", 85.89) and values[3] == ("Northern Ireland", 58.76, 60.88, 63.46)
    assert {raw for _line, raw in anomalies} == {"Average weekly rents", "82.44R", "59.73R", "64.01R", "81.31P"}


def test_codes_of_a_number_and_a_letter_stay_text(tmp_path):
    # A flag is a mark on a few numbers: a column where most values end with a letter is codes.
    text = "Classe;Effectif\n" + "".join(f"{n}{letter};{20 + n}\n" for n in range(1, 7) for letter in "ab")
    result, values, _anomalies = _import(tmp_path, text)
    assert [c.type for c in result.columns] == ["TEXT", "INTEGER"] and values[0] == ("1a", 21)


def test_flagged_values_do_not_make_a_column_of_flags_numeric(tmp_path):
    # Most values flagged: the flags are the column's content, not a few marks on numbers.
    text = "Code;Statut\n" + "".join(f"C{i};{i}*\n" for i in range(10)) + "C10;3\n"
    result, _values, _anomalies = _import(tmp_path, text)
    assert result.columns[1].type == "TEXT"


def test_the_marks_are_left_as_text_when_the_user_names_the_marks(tmp_path):
    result, values, _anomalies = _import(tmp_path, "Zone;Valeur\n" + _rows(30) + "Zone X;[n]\n", null_markers=["nd"])
    assert result.columns[1].type == "TEXT" and values[-1] == ("Zone X", "[n]")


def test_a_code_column_listing_codes_with_commas_is_text_not_decimals(tmp_path):
    # OpenDataFrance's EPCI list: an EPCI across two regions lists both codes, `24,27`.
    text = "Nom;Code Officiel Région\n" + "".join(f"CC {i};{(11, 24, 27, 84)[i % 4]}\n" for i in range(30)) + \
        "CC Les Bertranges;24,27\nCA du Grand Annecy;84,93\n"
    result, values, _anomalies = _import(tmp_path, text)
    assert result.columns[1].type == "TEXT" and values[-2:] == [("CC Les Bertranges", "24,27"), ("CA du Grand Annecy", "84,93")]
    assert values[0] == ("CC 0", "11")


def test_one_value_with_a_percent_sign_makes_no_column_of_percentages(tmp_path):
    # Kairouan's school projects: amounts in French format, one of them typed `12000000%`.
    text = "Projet;Montant\n" + "".join(f"École {i};{100 + i} 000,00\n" for i in range(40)) + "Lycée;12000000%\n"
    result, values, anomalies = _import(tmp_path, text)
    column = result.columns[1]
    assert column.type == "REAL" and column.unit is None
    assert values[0] == ("École 0", 100000.0) and values[-1] == ("Lycée", "12000000%")
    assert [raw for _line, raw in anomalies] == ["12000000%"]


def test_a_column_of_percentages_keeps_its_unit(tmp_path):
    result, values, anomalies = _import(tmp_path, "Zone;Taux\n" + "".join(f"Z{i};{i},5 %\n" for i in range(20)) + "Z;7\n")
    assert result.columns[1].type == "REAL" and result.columns[1].unit == "%" and values[1] == ("Z1", 1.5)


def test_thousands_written_with_a_comma_and_with_a_dot_are_kept_as_written(tmp_path):
    # smarter_csv's fixture: the same quantity as 3000, "3,000" and "3.000". Read with a decimal
    # point, "3.000" became 3.0, silently a thousand times off.
    text = "Part;Quantity\n" + "A;3000\n" * 5 + 'B;"3,000"\nC;"3.000"\nD;"3,000"\nE;"3.000"\n'
    path = tmp_path / "parts.csv"
    path.write_text(text.replace(";", ","), encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(search=False, index=False))
    assert result.columns[1].type == "TEXT" and result.columns[1].reason == "ambiguous-separators"
    stored = [v for (v,) in sqlite3.connect(tmp_path / "t.db").execute("SELECT quantity FROM parts ORDER BY rowid")]
    assert stored[5:] == ["3,000", "3.000", "3,000", "3.000"]
    (chosen,) = import_file(path, tmp_path / "u.db", ImportOptions(search=False, index=False, decimal=","))
    assert chosen.columns[1].type == "REAL"      # the user says which: --decimal ,


def test_a_column_of_nan_alone_is_an_empty_number_column(tmp_path):
    """pandas writes NaN for a missing float: a column of NaN alone (a country with no figure in
    any year) is a column of numbers none of which is known, as NaN beside numbers is."""
    path = tmp_path / "emissions.csv"
    path.write_text("year,Afghanistan,Albania,Aruba\n1959,NaN,1.5,NaN\n1960,NaN,2.5,#N/A\n1961,NaN,NaN,NaN\n",
                    encoding="utf-8")
    (result,) = import_file(path, tmp_path / "e.db", ImportOptions(search=False))
    assert [c.type for c in result.columns] == ["INTEGER", "REAL", "REAL", "REAL"]
    rows = sqlite3.connect(tmp_path / "e.db").execute("SELECT afghanistan, aruba FROM emissions").fetchall()
    assert rows == [(None, None)] * 3


def test_only_words_that_mark_a_missing_value_are_kept_as_written(tmp_path):
    """`x` ticked in a plan's months is no number's mark: kept as written."""
    path = tmp_path / "plan.csv"
    path.write_text("activité,janvier,février\nFormation,x,\nAtelier,,x\n", encoding="utf-8")
    (result,) = import_file(path, tmp_path / "p.db", ImportOptions(search=False))
    assert [c.type for c in result.columns] == ["TEXT", "TEXT", "TEXT"]
    assert sqlite3.connect(tmp_path / "p.db").execute(f"SELECT janvier FROM {result.table}").fetchall() == [("x",), (None,)]


def test_nr_not_reported_is_a_missing_value(tmp_path):
    path = tmp_path / "ecoles.csv"
    path.write_text("école;inscrits;réussite\nA;120;0,8\nB;NR;NR\nC;95;0,7\nD;101;0,75\n", encoding="utf-8")
    (result,) = import_file(path, tmp_path / "n.db", ImportOptions(search=False))
    assert [c.type for c in result.columns] == ["TEXT", "INTEGER", "REAL"]


def test_numbers_with_a_footnote_call_keep_their_column_a_number_column(tmp_path):
    """IBGE: `3.289.290(1)` beside plain counts: a number with its note's call, kept as written
    in an INTEGER column rather than turning the column to text."""
    counts = ["213.317.639", "1.815.278", "894.470", "4.269.995", "652.713", "8.777.124", "3.289.290(1)",
              "9.240.580(1)", "3.560.903", "9.674.793(2)", "4.039.277"]
    path = tmp_path / "estimativa.csv"
    path.write_text("Unidade;População\n" + "".join(f"UF {n};{c}\n" for n, c in enumerate(counts)), encoding="utf-8")
    (result,) = import_file(path, tmp_path / "b.db", ImportOptions(search=False))
    assert result.columns[1].type == "INTEGER"
    name = result.columns[1].name
    rows = sqlite3.connect(tmp_path / "b.db").execute(f'SELECT "{name}" FROM estimativa ORDER BY rowid').fetchall()
    assert rows[0] == (213317639,) and rows[6] == ("3.289.290(1)",)


def test_a_column_of_marks_that_only_say_no_value_is_empty(tmp_path):
    """An R export's `NA` all down a column, a dump's `NULL`: an empty column (the marks reported),
    not text holding the word NA. `x` may be a tick: kept (above)."""
    path = tmp_path / "ratios.csv"
    path.write_text("commune,ratio,note,fermé,coche\nA,0.5,NA,NULL,x\nB,0.6,NA,NULL,\nC,0.7,,NULL,x\n", encoding="utf-8")
    (result,) = import_file(path, tmp_path / "r.db", ImportOptions(search=False))
    assert [c.reason for c in result.columns[2:]] == ["only-missing-marks", "only-missing-marks", "only-markers"]
    assert result.columns[2].markers == {"NA": 2}
    rows = sqlite3.connect(tmp_path / "r.db").execute(f"SELECT note, ferme, coche FROM {result.table}").fetchall()
    assert rows == [(None, None, "x"), (None, None, None), (None, None, "x")]


def test_a_column_of_the_files_own_missing_marks_is_empty(tmp_path):
    """A table whose secret figures are `x`: a column of x alone is a column of secret figures,
    empty; in a file that uses no `x` for a number it is a tick, kept (above)."""
    path = tmp_path / "secret.csv"
    path.write_text("commune,emplois,établissements\nA,12,x\nB,x,x\nC,7,x\n", encoding="utf-8")
    (result,) = import_file(path, tmp_path / "s.db", ImportOptions(search=False))
    assert [c.type for c in result.columns] == ["TEXT", "INTEGER", "TEXT"]
    assert result.columns[2].reason == "only-missing-marks"
    rows = sqlite3.connect(tmp_path / "s.db").execute(f"SELECT emplois, etablissements FROM {result.table}").fetchall()
    assert rows == [(12, None), (None, None), (7, None)]


def test_a_hash_alone_is_a_missing_value_of_a_number_column(tmp_path):
    """Seychelles' school census: `#` where a count is suppressed; the column stays a number column."""
    path = tmp_path / "ecoles.csv"
    path.write_text("école,élèves,classes\n" + "".join(f"École {i},{100 + i},{4 + i % 3}\n" for i in range(8))
                    + "École X,#,#\n", encoding="utf-8")
    (result,) = import_file(path, tmp_path / "h.db", ImportOptions(search=False))
    assert [c.type for c in result.columns] == ["TEXT", "INTEGER", "INTEGER"]
    assert result.columns[1].markers == {"#": 1}


def test_a_code_written_in_groups_with_a_leading_zero_stays_a_code(tmp_path):
    # INEGI's state and municipality, ` 01 001 `: a grouped number never starts with 0.
    text = "Code,Municipio,Total\n" + "".join(f" 01 {n:03d} ,Municipio {n},{1000 + n}\n" for n in range(1, 12))
    result, values, _anomalies = _import(tmp_path, text)
    assert [c.type for c in result.columns] == ["TEXT", "TEXT", "INTEGER"]
    assert values[0][0].strip() == "01 001" and values[0][2] == 1001
    assert _import(tmp_path, "Région;Population\nDakar;3 732 284\nThiès;2 000 000\nLouga;1 012 345\n")[1][0] == \
        ("Dakar", 3732284)


@pytest.mark.parametrize("written, unit, number", [("£55,723.12", "£", 55723.12), ("$6,353,225", "$", 6353225),
                                                   ("R$ 1.213,03", "R$", 1213.03), ("S/ 400", "S/", 400),
                                                   ("-€12,5", "€", -12.5), ("USD 1,234,567", "USD", 1234567)])
def test_a_currency_written_before_the_amount_is_the_column_s_unit(tmp_path, written, unit, number):
    # UK spending over £25k, Geneva's rents in $, Brazilian payrolls in R$, Peruvian prices in S/:
    # before, every amount of the column was text.
    text = "Supplier;Amount\n" + "".join(f"Supplier {n};{written}\n" for n in range(12)) + "Other;" + written + "\n"
    result, values, anomalies = _import(tmp_path, text)
    column = result.columns[1]
    assert column.type in ("INTEGER", "REAL") and column.unit == unit, column
    assert values[0][1] == number and anomalies == []


def test_a_word_after_a_currency_sign_is_text(tmp_path):
    text = "Code;Libellé\n" + "".join(f"{n};$ variable {n}\n" for n in range(12))
    result, values, _anomalies = _import(tmp_path, text)
    assert result.columns[1].type == "TEXT" and values[0][1] == "$ variable 0"
