"""Nothing silently lost: every non-blank record is a row or a named, counted set-aside line.

The golden files (tests/fixtures/import/*.expected.json) say which lines are set aside; here:
the accounting rule on every fixture and corpus file, the options that keep notes and totals,
the report and `inspect` naming each line, and the same decisions when a big file is split.
"""

import sqlite3

import pytest

from datactiviste.ingest.inspect import inspect_file
from datactiviste.ingest.importer import ImportOptions, import_file
from datactiviste.ingest.report import render_import, render_inspection
from tests.conftest import FIXTURES
from tests.test_import_parallel import HEADER, budget_lines, import_both, write

TRAPS = FIXTURES / "import"
DELIMITED = sorted(p for p in TRAPS.iterdir() if p.suffix in (".csv", ".psv", ".tsv"))


def _nonblank_records(path, result):
    """Non-blank records of the file from the first line on (what the file holds, read independently)."""
    import csv

    text = path.read_bytes().decode(result.encoding.split(" ")[0].replace("iso-8859-1", "latin-1"), "replace")
    rows = csv.reader(text.splitlines(keepends=True) if "\r" not in text or "\n" in text else text.split("\r"),
                      delimiter=result.delimiter)
    return sum(1 for row in rows if "".join(row).strip(" \t\xa0\u202f\x00"))


@pytest.mark.parametrize("path", DELIMITED, ids=[p.name for p in DELIMITED])
def test_rows_read_is_rows_written_plus_set_aside(tmp_path, path):
    database = tmp_path / "t.db"
    (result,) = import_file(path, database, ImportOptions(index=False, search=False))
    assert result.rows_read == result.rows_written + result.set_aside_count
    connection = sqlite3.connect(database)
    stored_read, stored_written = connection.execute(
        "SELECT rows_read, rows_written FROM _sources WHERE table_name = ?", (result.table,)).fetchone()
    (in_table,) = connection.execute(f'SELECT count(*) FROM "{result.table}"').fetchone()
    (set_aside,) = connection.execute(
        "SELECT count(*) FROM _anomalies WHERE table_name = ? AND column_name IS NULL", (result.table,)).fetchone()
    assert (stored_read, stored_written) == (result.rows_read, in_table)
    assert set_aside == result.set_aside_count
    if result.encoding and "mixed" not in (result.encoding_reason or "") and not result.repaired_mojibake:
        # The header is one record too: every non-blank record of the file is accounted for.
        header_rows = 0 if not result.header_line else 2 if result.header_reason == "stacked-merged" else 1
        assert result.rows_read + header_rows == _nonblank_records(path, result)


@pytest.mark.corpus
def test_rows_read_is_rows_written_plus_set_aside_on_the_shared_corpus(corpus, tmp_path):
    for path in sorted(p for p in corpus.iterdir() if p.suffix in (".csv", ".tsv", ".txt")):
        for result in import_file(path, tmp_path / (path.stem + ".db"), ImportOptions(index=False, search=False)):
            assert result.rows_read == result.rows_written + result.set_aside_count, path.name


def test_keep_totals_and_keep_notes_keep_the_lines_as_rows(tmp_path):
    (kept,) = import_file(TRAPS / "total_rows.csv", tmp_path / "a.db", ImportOptions(keep_totals=True, search=False))
    assert kept.rows_written == 7 and kept.totals == 0
    assert [entry["line"] for entry in kept.kept_totals] == [4, 7, 8]
    assert "--keep-totals" in render_import(kept)
    (notes,) = import_file(TRAPS / "preamble_and_footer.csv", tmp_path / "b.db", ImportOptions(keep_notes=True, search=False))
    assert notes.rows_written == 4 and notes.footer_lines == 0
    values = [r[0] for r in sqlite3.connect(tmp_path / "b.db").execute("SELECT commune FROM preamble_and_footer")]
    assert values[-2:] == ["Source : ministère (fictif)", "Note : montants en FCFA"]


def test_report_names_each_set_aside_line_with_the_option_that_keeps_it(tmp_path):
    (result,) = import_file(TRAPS / "total_rows.csv", tmp_path / "t.db", ImportOptions(search=False))
    text = render_import(result)
    for line, start in ((4, "Total Dakar"), (7, "Sous-total Thiès"), (8, "TOTAL SÉNÉGAL")):
        assert f"ligne {line} : « {start}" in text
    assert text.count("--keep-totals") == 3


def test_inspect_flags_a_total_that_does_not_add_up_and_names_set_aside_totals(tmp_path):
    (suspect,) = inspect_file(TRAPS / "suspect_total.csv")
    text = render_inspection(suspect)
    assert "ressemble à un total mais ne correspond pas" in text and "Total divers" in text
    (totals,) = inspect_file(TRAPS / "total_rows.csv")
    assert "TOTAL SÉNÉGAL" in render_inspection(totals)


def test_header_only_file_is_an_empty_table_with_its_columns(tmp_path):
    (result,) = import_file(TRAPS / "header_only.csv", tmp_path / "t.db", ImportOptions(search=False))
    assert result.rows_written == 0 and [c.name for c in result.columns] == ["a", "b", "c"]
    columns = [r[1] for r in sqlite3.connect(tmp_path / "t.db").execute("PRAGMA table_info(header_only)")]
    assert columns == ["a", "b", "c"]
    assert "Table vide" in render_import(result)


def test_big_file_in_parts_sets_aside_the_same_total_and_notes(tmp_path):
    rows = budget_lines(30000)
    total = sum((i * 7919) % 100000 + (i % 100) / 100 for i in range(30000))
    lines = [HEADER] + rows + [f"TOTAL;;{total:.2f}".replace(".", ","), "", "Source : trésor public (fictif)"]
    serial, parallel = import_both(write(tmp_path, lines), tmp_path, jobs=3)
    assert parallel.parts == 3
    assert parallel.rows_written == 30000 and parallel.totals == 1 and parallel.footer_lines == 1
    assert [e["reason"] for e in parallel.set_aside] == ["total", "footer"]


def _imported(tmp_path, name: str, text: str, **options):
    """The result of importing `text`, written as the file `name` (no search index: faster)."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(search=False, **options))
    return result


def test_prose_above_the_header_and_a_note_over_two_cells_are_set_aside(tmp_path):
    # Prose broken over cells above the header (not a group row: its one-column labels sit over
    # labelled columns), and a note broken over two middle cells under the table.
    path = tmp_path / "deces.csv"
    rows = ["Beaucoup de gens;;;;;", ";ne peuvent pas s'empêcher;;;;d'écrire",
            "ou;de fusionner;;;;des cellules", "Nom;Profession;Âge;Enfants;Naissance;Décès"]
    rows += [f"Personne {i};musicien;{50 + i};oui;0{1 + i % 9}/01/1950;0{1 + i % 9}/02/2016" for i in range(8)]
    rows += [";;en bas;de page,;;"]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(search=False))
    assert result.header_line == 4 and [c.label for c in result.columns][:3] == ["Nom", "Profession", "Âge"]
    assert result.rows_written == 8 and result.columns[2].type == "INTEGER"
    assert [(e["line"], e["reason"]) for e in result.set_aside] == [(1, "preamble"), (2, "preamble"),
                                                                   (3, "preamble"), (13, "footer")]


def test_comment_lines_among_the_rows_of_a_file_commented_with_hashes(tmp_path):
    text = ("# Extrait d'un exemple\n#\nAnnée,Marque,Prix\n1997,Ford,3000.00\n"
            "# Un commentaire, au milieu des lignes\n1999,Chevy,4900.00\n2001,Jeep,4799.00\n")
    result = _imported(tmp_path, "voitures.csv", text)
    assert result.rows_written == 3 and result.columns[0].type == "INTEGER"
    assert [(e["line"], e["reason"]) for e in result.set_aside] == [(1, "preamble"), (2, "preamble"), (5, "comment")]
    kept = _imported(tmp_path, "voitures_gardees.csv", text, keep_notes=True)
    assert kept.rows_written == 4


def test_a_comment_holding_commas_above_a_hash_header_is_not_a_row_of_groups(tmp_path):
    # Line 2 is a comment whose commas split it into two cells; line 3 `#id,nom,valeur` is the header.
    result = _imported(tmp_path, "export.csv", "# Fichier généré le 2024-01-01\n# Colonnes : id, nom\n"
                       "#id,nom,valeur\n1,a,10\n2,b,20\n")
    assert [c.name for c in result.columns] == ["id", "nom", "valeur"]
    assert result.header_line == 3 and result.rows_written == 2
    assert [(e["line"], e["reason"]) for e in result.set_aside] == [(1, "preamble"), (2, "preamble")]


def test_a_hash_in_the_rows_of_a_file_without_comments_is_data(tmp_path):
    result = _imported(tmp_path, "tags.csv", "Mot-clé,Messages\n#Dakar,120\n#Thiès,80\n#Kaolack,45\n")
    assert result.rows_written == 3 and result.set_aside == []


def test_hash_lines_under_the_rows_are_notes_however_wide(tmp_path):
    # `# R. C. Reid, J. M. Prausnitz, …` has as many commas as a row; it is a note all the same,
    # in a file whose rows never begin with `#`.
    text = ("gaz,Tc,Pc,w\nAr,150.86,48.98,-0.002\nKr,209.4,55.02,0.005\nXe,289.74,58.4,0.008\nN2,126.2,33.98,0.038\n"
            "# Valeurs tirées d'une liste plus complète dans\n# R. C. Reid, J. M. Prausnitz, et B. E. Poling, 2001,\n"
            "# The Properties of Gases and Liquids, 5e éd.\n")
    result = _imported(tmp_path, "gaz.csv", text)
    assert result.rows_written == 4 and result.columns[1].type == "REAL"
    assert [(e["line"], e["reason"]) for e in result.set_aside] == [(6, "footer"), (7, "footer"), (8, "footer")]
    # Rows that begin with `#` themselves: a last one is a row like the others.
    tags = _imported(tmp_path, "tags_fin.csv", "Mot-clé,Messages,Vues\n#Dakar,120,4\n#Thiès,80,5\n#Kaolack,45,6\n")
    assert tags.rows_written == 3 and tags.set_aside == []


def test_a_sentence_over_two_cells_of_a_narrow_table_is_a_note(tmp_path):
    rows = ["Zone,Sexe,Nombre"] + [f"{1000 + i},{'F' if i % 2 else 'M'},{i * 7}" for i in range(12)]
    rows += ["", '"INFO","Les cellules de ce tableau ont été légèrement modifiées pour protéger la confidentialité."']
    result = _imported(tmp_path, "recensement.csv", "\n".join(rows) + "\n")
    assert result.rows_written == 12 and result.columns[2].type == "INTEGER"
    assert [(e["line"], e["reason"]) for e in result.set_aside] == [(15, "footer")]
    # Two short values in the same table are a row.
    short = _imported(tmp_path, "court.csv", "\n".join(rows[:-2] + ["2000,M,"]) + "\n")
    assert short.rows_written == 13


def test_lone_values_between_full_rows_and_a_note_are_notes(tmp_path):
    # Every row fills its six cells; `Certains` and `aiment aussi écrire` sit right under them,
    # above a note that fits no column: the three lines are the notes (readxl's deaths sheet).
    rows = ["Nom;Métier;Âge;Enfants;Naissance;Décès"]
    rows += [f"Personne {i};musicien;{50 + i};oui;0{1 + i % 9}/01/1950;0{1 + i % 9}/02/2016" for i in range(8)]
    rows += ["Certains;;;;;", ";aiment aussi écrire;;;;", ";;en bas;de page,;;"]
    result = _imported(tmp_path, "deces_notes.csv", "\n".join(rows) + "\n")
    assert result.rows_written == 8 and result.columns[2].type == "INTEGER"
    assert [(e["line"], e["reason"]) for e in result.set_aside] == [(10, "footer"), (11, "footer"), (12, "footer")]
    # Without the sure note under them, lone values that fit are the last rows.
    kept = _imported(tmp_path, "deces_fin.csv", "\n".join(rows[:-1]) + "\n")
    assert kept.rows_written == 10
    # In a table with rows that sparse, they are rows too.
    sparse = rows[:4] + ["Personne 9;;;;;"] + rows[4:]
    assert _imported(tmp_path, "epars.csv", "\n".join(sparse) + "\n").rows_written == 11


def test_dates_alone_under_the_rows_are_months_to_come_even_above_a_note(tmp_path):
    # The Swiss price index lists the months of the year to come, their values not in yet, then a
    # blank line and its source: a date alone in the column of dates is a row, not a note.
    rows = ["Date;Indice A;Indice B;Variation"] + [f"2025-{m:02d}-01;{100 + m},5;{90 + m},25;0,{m}" for m in range(1, 13)]
    rows += [f"2026-{m:02d}-01;;;" for m in range(1, 7)] + [";;;", "Quelle: LIK / Source: IPC;;;https://www.bfs.admin.ch"]
    result = _imported(tmp_path, "indice.csv", "\n".join(rows) + "\n")
    assert result.rows_written == 18 and [(e["line"], e["reason"]) for e in result.set_aside] == [(21, "footer")]


def _codebook(tail: str) -> str:
    lines = ["Nom\tDescriptif\tAnnées"]
    for n in range(12):
        lines += [f"Q{n}\tQuestion {n} posée aux habitants\t2019", "\t1- Oui tout à fait\t", "\t2- Non pas vraiment\t"]
    return "\n".join(lines) + "\n" + tail


def test_answers_like_the_rows_above_are_data_at_the_end_too(tmp_path):
    # A codebook: each variable's row is followed by its answers, one cell each; the last
    # answers are rows like the 24 above them, not a footnote.
    result = _imported(tmp_path, "dico.tsv", _codebook("ZPD\tHabite en zone peu dense\t2019\n"
                                                       "\t1- Habite en zone peu dense\t\n\t2- N'habite pas en zone peu dense\t\n"))
    assert result.rows_written == 39 and result.footer_lines == 0


def test_a_source_line_under_such_rows_is_still_a_note(tmp_path):
    result = _imported(tmp_path, "dico.tsv", _codebook("\nSource : enquête ménages 2019, AUAT\t\t\n"))
    assert result.rows_written == 36 and result.footer_lines == 1


def test_an_unlabelled_sum_under_the_table_is_a_total_kept_by_keep_notes(tmp_path):
    # GLA payment reports end with the Amount column's sum alone on its line, then a note.
    text = ("Vendor,Expense,Amount\nACME LTD,Services,\"1,500.00\"\nBETA PLC,Travel,250.5\nGAMMA,Rent,\"(48.50)\"\n"
            ",,\n,,\"1,702.00\"\n,,\n\"Please note: amounts exclude VAT.\",,\n")
    result = _imported(tmp_path, "payments.csv", text)
    assert result.rows_written == 3 and result.totals == 1 and result.footer_lines == 1
    assert [(e["line"], e["reason"]) for e in result.set_aside] == [(6, "total"), (8, "footer")]
    assert "--keep-notes" in render_import(result).split("1,702.00")[1].splitlines()[0]
    (tmp_path / "kept").mkdir()
    kept = _imported(tmp_path / "kept", "payments.csv", text, keep_notes=True)
    assert kept.rows_written == 5 and kept.totals == 0


def test_a_lone_number_that_is_no_sum_stays_a_note(tmp_path):
    text = "Vendor,Amount\nACME,10\nBETA,20\nGAMMA,5\n\n,999\n"
    result = _imported(tmp_path, "payments.csv", text)
    assert result.totals == 0 and [e["reason"] for e in result.set_aside] == ["footer"]


def test_tables_stacked_one_under_another_lose_their_block_headers_and_totals(tmp_path):
    # A Stata/SPSS export: each block repeats the question, names its domain, ends with its Total.
    blocks = []
    for domain in ("Nutrition", "Pauvreté", "Genre"):
        blocks += [f"I.2 La région de l'entretien\t{domain}", "Agadez\t8.5", "Diffa\t41.5", "Dosso\t50.1",
                   "Total\t100.0", ""]
    result = _imported(tmp_path, "regions.tsv", "\n".join(blocks) + "\n")
    assert result.rows_written == 9 and result.columns[1].type == "REAL"
    assert [e["reason"] for e in result.set_aside].count("repeated-header") == 2 and result.totals == 3


def test_the_title_of_each_block_above_its_repeated_header_is_set_aside(tmp_path):
    # A central bank's export: one block per country, each titled by a lone cell over the header.
    lines = ["INFL_A - TAUX D'INFLATION EN MOYENNE ANNUELLE", ""]
    for country, prefix in (("COTE D'IVOIRE", "CI"), ("BENIN", "BJ"), ("NIGER", "NE")):
        lines += [f"{country};", "CODE;LIBELLE;2021;2022;2023", f"{prefix}01;Alimentation;4,1;7,2;3,0",
                  f"{prefix}02;Logement;-;2,5;1,9", f"{prefix}03;Ensemble (IPC);4,2;5,3;3,5", ""]
    result = _imported(tmp_path, "inflation.csv", "\n".join(lines) + "\n")
    assert result.header_line == 4 and result.rows_written == 9
    reasons = [(e["line"], e["reason"]) for e in result.set_aside]
    assert (9, "section") in reasons and (15, "section") in reasons
    assert [r for _l, r in reasons].count("repeated-header") == 2 and result.columns[3].type == "REAL"


def test_a_row_repeating_the_first_label_beside_numbers_is_data(tmp_path):
    result = _imported(tmp_path, "r.csv", "Région;Montant\nDakar;12\nRégion;13\nThiès;5\n")
    assert result.rows_written == 3 and result.set_aside == []


def test_a_headerless_log_whose_first_record_fills_one_cell_loses_no_row(tmp_path):
    # RStudio's saved chunk outputs: an output code and a text, no header; the first record is
    # `"0",""`. Its rows starting with the same code are rows, not repeats of a header.
    lines = ['"0",""', '"0","df <- read.csv(""budget.csv"")"', '"2","Warning: NAs introduced by coercion"',
             '"0","summary(df)"', '"1","   Min. 1st Qu."', '"0",""', '"0","plot(df$montant)"']
    result = _imported(tmp_path, "00000f.csv", "\n".join(lines) + "\n")
    assert result.header_line is None and result.rows_written == 7 and result.set_aside == []
    rows = sqlite3.connect(tmp_path / "t.db").execute(f'SELECT * FROM "{result.table}" ORDER BY rowid').fetchall()
    assert rows[0] == (0, None) and rows[1] == (0, 'df <- read.csv("budget.csv")') and rows[-1] == (0, "plot(df$montant)")


def test_r_write_csv_of_one_column_keeps_its_header_of_one_label(tmp_path):
    # write.csv(x) in R: an empty label over the row numbers, then the vector's name.
    result = _imported(tmp_path, "data.csv", '"","x"\n"1","ACCTS"\n"2","ACF"\n"3","ACTED"\n"4","ActionAid"\n')
    assert result.header_line == 1 and result.rows_written == 4 and result.set_aside == []
    assert [c.label for c in result.columns] == ["", "x"] and result.columns[0].type == "INTEGER"


def test_a_sheet_of_lines_under_a_title_is_rows_not_notes(tmp_path):
    # A questionnaire laid out as lines: a title over a column of questions and answer choices.
    lines = ["Actifs durables;Code", "Cette section concerne l'ensemble du ménage, le répondant principal répond.;",
             ";BD1.", ";Possédez-vous aujourd'hui dans le ménage un des équipements suivants ?",
             ";Si oui, combien en avez-vous en état de marche ?", "Note : une seule réponse par ligne du tableau.;",
             ";Passez à la section suivante si le ménage n'a aucun équipement."]
    result = _imported(tmp_path, "actifs.csv", "\n".join(lines) + "\n")
    assert result.rows_written == 6 and result.footer_lines == 0


def test_a_header_with_a_source_line_and_no_rows_keeps_it_as_a_note(tmp_path):
    result = _imported(tmp_path, "vide.csv", "commune;montant;année\nSource : ministère des Finances, 2024\n")
    assert result.rows_written == 0 and result.footer_lines == 1


def test_an_insee_series_export_keeps_its_idbank_and_period_rows_in_the_header(tmp_path):
    lines = ['"Libellé";"Nombre de naissances vivantes - France métropolitaine";"Codes"', '"idBank";"000436391";""',
             '"Période";"";""'] + [f'"2018-{m:02d}";"{59000 + m * 100}";"P"' for m in range(12, 0, -1)]
    result = _imported(tmp_path, "naissances.csv", "\n".join(lines) + "\n")
    assert result.header_line == 1 and result.rows_written == 12
    assert [(e["line"], e["reason"]) for e in result.set_aside] == [(2, "header-metadata"), (3, "header-metadata")]
    assert result.columns[0].type == "DATE" and result.columns[1].type == "INTEGER"


def test_a_header_whose_first_label_is_a_number_is_not_repeated_by_rows_that_start_with_it(tmp_path):
    # `2024;Thiès;` (amount missing) has words where the header has words and the header's first
    # label: still a row, as a header of words would not begin with a value of the column.
    result = _imported(tmp_path, "r.csv", "2024;Commune;Montant\n2024;Dakar;1 200\n2024;Thiès;\n2023;Kaolack;500\n")
    assert result.header_line == 1 and result.rows_written == 3 and result.set_aside == []


def test_a_section_title_among_dated_rows_is_set_aside_and_named(tmp_path):
    # ICI fund flows: `Monthly Net New Cash Flow` over month ends, `Estimated Weekly…` over weeks.
    lines = ["Date;Equity;Bond;Hybrid", "Monthly Net New Cash Flow;;;"]
    lines += [f"{28:02d}/{m:02d}/2014;{1000 + m};{-50 * m};{m}" for m in range(1, 13)]
    lines += ["Estimated Weekly Net New Cash Flow;;;"] + [f"{d:02d}/02/2015;{d};{d * 2};{d * 3}" for d in (4, 11, 18)]
    result = _imported(tmp_path, "flows.csv", "\n".join(lines) + "\n")
    assert result.rows_written == 15 and [c.type for c in result.columns] == ["DATE", "INTEGER", "INTEGER", "INTEGER", "TEXT"]
    assert [(e["line"], e["reason"]) for e in result.set_aside] == [(2, "section"), (15, "section")]
    assert result.section_rows == 2 and "2 titres de section mis de côté" in render_import(result)
    assert "--keep-notes" in render_import(result) and "le titre de la section où se trouve chaque ligne" in render_import(result)
    sections = sqlite3.connect(tmp_path / "t.db").execute('SELECT section FROM flows ORDER BY rowid').fetchall()
    assert sections == [("Monthly Net New Cash Flow",)] * 12 + [("Estimated Weekly Net New Cash Flow",)] * 3
    (tmp_path / "k").mkdir()
    kept = _imported(tmp_path / "k", "flows.csv", "\n".join(lines) + "\n", keep_notes=True)
    assert kept.rows_written == 17 and len(kept.columns) == 4       # the titles are rows: no section column


def test_a_lone_name_in_a_column_of_names_is_a_row(tmp_path):
    result = _imported(tmp_path, "r.csv", "Nom;Ville;Âge\nAwa Diop;Dakar;31\nMoussa Sow;;\nFatou Ba;Thiès;25\n"
                                          "Ali Ndiaye;Louga;40\nBinta Fall;Kolda;22\nIbou Sarr;Matam;37\n")
    assert result.rows_written == 6 and result.set_aside == []


def _undata_export(path, notes_extra=""):
    rows = ['"Country or Area Code","Country or Area","Year","Value","Value Footnotes","Unit"']
    rows += [f'"{code}","{name}","{year}","{value}","{note}","1000 tonnes"' for code, name, year, value, note in [
        (8, "Albania", 2003, 1057, ""), (12, "Algeria", 2015, 5182.16, "1"), (24, "Angola", 2012, 3120.5, "2"),
        (204, "Benin", 2010, 610.3, ""), (854, "Burkina Faso", 2011, 520.8, "2")]]
    rows += ["", '"fnSeqID","Footnote"', '"1","Data refer to the amount of municipal waste generated."',
             '"2","Data published on the website, section " Territorio ", subsection " Medio Ambiente ")."' + notes_extra,
             '"3","Estimate."']
    path.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
    return path


def test_a_table_of_footnotes_under_a_blank_line_is_set_aside_whole(tmp_path):
    """UNdata's exports end with a second, two-column table: `fnSeqID | Footnote` over the notes the
    `Value Footnotes` column refers to. A stray quote in one note splits it in three fields: still
    one of the notes, not a row of the table (before: every note imported as a row)."""
    database = tmp_path / "t.db"
    (result,) = import_file(_undata_export(tmp_path / "waste.csv"), database, ImportOptions(index=False))
    assert result.rows_written == 5
    assert result.rows_read == result.rows_written + result.set_aside_count
    lines = sqlite3.connect(database).execute(
        "SELECT source_line, reason FROM _anomalies WHERE column_name IS NULL ORDER BY source_line").fetchall()
    assert [line for line, _reason in lines] == [8, 9, 10, 11]
    assert {reason for _line, reason in lines} == {"footer"}


def test_a_narrow_block_as_wide_as_its_data_rows_is_not_a_notes_table(tmp_path):
    """Rows under a blank line that fill as many columns as the table are rows, whatever precedes them."""
    path = tmp_path / "deux.csv"
    path.write_text("code;nom;année;valeur;note\n1;Dakar;2020;10;a\n2;Thiès;2020;20;b\n3;Kaolack;2020;30;c\n\n"
                    "4;Fatick;2020;40;d\n5;Louga;2020;50;e\n", encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(index=False))
    assert result.rows_written == 5 and result.set_aside_count == 0


def test_last_rows_of_a_date_and_missing_value_marks_are_rows_not_notes(tmp_path):
    """Months announced with no figures yet (`2022-07-01 | - | -`, the other cells empty) fill few
    cells, but each where the rows have a date or a number (`-` is a missing value): rows."""
    rows = [f"2022-0{m}-01;{10 + m};{200 + m};{3 + m};{40 + m};{5 + m}" for m in range(1, 7)]
    rows += [f"2022-{m:02d}-01;-;;;;" for m in range(7, 13)]
    path = tmp_path / "rtt.csv"
    path.write_text("mois;médiane;nombre;a;b;c\n" + "\n".join(rows) + "\n", encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(index=False))
    assert result.rows_written == 12 and result.set_aside_count == 0


@pytest.mark.parametrize("note", ["Source: DGCL, traitement Open Data Sénégal, 2021",
                                  "Note : chiffres provisoires, sous réserve, 2024"])
def test_a_note_split_by_its_own_commas_into_every_column_is_still_a_note(tmp_path, note):
    # The note under the table is unquoted: its commas make it as wide as the rows. Its words
    # sit in the columns of numbers, where no row has words: a note, and the columns stay numbers.
    result = _imported(tmp_path, "budgets.csv", "commune,budget,annee\nPikine,1000,2020\nRufisque,2000,2020\n"
                       f"Bargny,1500,2020\n{note}\n")
    assert result.rows_written == 3 and [(e["line"], e["reason"]) for e in result.set_aside] == [(5, "footer")]
    assert [c.type for c in result.columns] == ["TEXT", "INTEGER", "INTEGER"]


def test_a_last_row_as_wide_as_the_table_opened_like_a_note_but_fitting_is_data(tmp_path):
    # "Source" and "Note" are values here: every value fits its column.
    result = _imported(tmp_path, "points.csv", "type;nom;debit;date\nPuits;Kaffrine;12;2021-03-01\n"
                       "Forage;Kolda;7;2021-04-01\nSource : Kédougou;Bandafassi;3;2021-05-01\n")
    assert result.rows_written == 3 and result.set_aside == []


def _work_plan(path):
    """A quarterly work plan as Niger's INS keeps them (Evaluation_PAP): an activity opens a block of
    tasks, each task a sparse row of a wide table (19 columns) repeating its structure, division and
    service; the last tasks fill no more than a third of the columns, their descriptions run to
    six words and more, and one column of dates holds a period written in words."""
    header = ["Action", "Programme", "Activité", "Tâche", "Structure", "Division", "Service", "Agent",
              "Associés", "Avril", "Mai", "Juin", "Etat", "Source", "Date", "Raison", "Prévision", "Prioritaire", "Obs"]
    rows = []
    for n in range(1, 13):
        rows.append(["A1", "P1", f"Activité {n} : Assurer la formation des cadres", f"Elaborer les TDRs numéro {n}",
                     "DRH", "DGCFC", "SFC", "Mme Mamoudou", "M. Zakou", "x", "x", "x", "1", "TDRs",
                     f"2022-05-{n:02d}", "", "1", "1", ""])
    rows.append(["", "", "Activité 13 : Elaborer les actes administratifs", "Elaborer les décisions",
                 "DRH", "DGCFC", "SFC", "Mme Ousmane", "M. Zakou", "", "", "", "1", "décisions",
                 "du 1 avril au 30 juin 2022", "", "1", "1", ""])
    tasks = ["Elaborer les notes de service du trimestre", "Etablir les ordres de mission des agents",
             "Etablir les attestations d'enquêtes des agents", "Etablir les attestations de stage des étudiants"]
    for task in tasks:
        rows.append(["", "", "", task, "DRH", "DGCFC", "SFC", "", "", "", "", "", "1", "", "", "", "1", "", ""])
    path.write_text("\n".join(";".join(r) for r in [header] + rows) + "\n", encoding="utf-8")
    return path


def test_last_sparse_rows_repeating_the_values_of_the_rows_above_are_rows(tmp_path):
    """Each of the last four tasks fills 6 cells of 19 and opens with a description of six words:
    note-shaped, and before, with the period in words in the column of dates, the four were set
    aside as notes under the table. A note never repeats, column by column, the values of the rows
    above it (`DRH | DGCFC | SFC`): such a record is a row, whatever its shape."""
    result = _imported(tmp_path, "plan.csv", _work_plan(tmp_path / "src.csv").read_text(encoding="utf-8"))
    assert result.set_aside == [] and result.rows_written == 17


def test_a_long_notes_block_opened_by_a_heading_is_set_aside_numbered_notes_included(tmp_path):
    """A census profile: the rows' first two columns are words, then `Symbols:`, `Notes:` and
    hundreds of numbered notes (`1 | 2021 and 2016 population`, `2 | Total private dwellings`,
    each with its sentence under it): far more lines than the rows held back for the footer once
    were, and a numbered note naming a total is no total row."""
    lines = ["Topic;Characteristic;Total;Men;Women"]
    for number in range(60):
        lines.append(f"Population;  Age group {number};{1000 + 7 * number};{500 + 3 * number};{500 + 4 * number}")
    lines += ["", "Symbols:", "...;not applicable", "", "Notes:"]
    for number in range(1, 130):
        title = "Total private dwellings" if number == 2 else f"Characteristic {number} and its definition"
        lines += [f"{number};{title}", f";This characteristic is defined in the dictionary, section {number}.", ""]
    path = tmp_path / "profile.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (result,) = import_file(path, tmp_path / "p.db", ImportOptions(search=False))
    assert result.rows_written == 60 and result.totals == 0
    assert result.footer_lines == 3 + 2 * 129
