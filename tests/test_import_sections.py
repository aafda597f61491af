"""Section titles in the label column: a row of one label (`Ambos sexos`, `Hombres`, `CHILDREN`)
over the block of rows it names, in a table whose other rows fill their number columns. Set aside
(reason "section", kept in _anomalies; `--keep-notes` keeps them as rows) only on the table's
evidence: the pattern recurs, each title has a full row under it, and the other rows fill the
columns the titles leave empty. A row whose values are simply missing (`Mayotte;;;`) stays a row.

CSV written inline, workbooks built with openpyxl at test time, imported through the real readers.
"""

import sqlite3

import openpyxl

from datactiviste.ingest.importer import ImportOptions, import_file
from datactiviste.ingest.rows import label_sections
from datactiviste.ingest.report import render_import

COUNTRIES = ["Bulgaria", "Francia", "Italia", "Polonia", "Portugal", "Rumanía"]


def _imported(tmp_path, name: str, text: str, **options):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(search=False, **options))
    return result


def _set_aside(result) -> list[tuple[int, str]]:
    return [(e["line"], e["reason"]) for e in result.set_aside]


def _accounted(result, database) -> None:
    """Every record read is a row or a set-aside line, in the table as in `_sources`."""
    assert result.rows_read == result.rows_written + result.set_aside_count
    connection = sqlite3.connect(database)
    (in_table,) = connection.execute(f'SELECT count(*) FROM "{result.table}"').fetchone()
    assert in_table == result.rows_written


def _ine(blocks: dict[str, int], per_block: int = len(COUNTRIES)) -> tuple[str, list[int]]:
    """An INE-like sheet as CSV: each sex alone on its row over its countries; the title lines."""
    lines, titles = [";2019;2018;2017"], []
    for title, base in blocks.items():
        lines.append(f"{title};;;")
        titles.append(len(lines))
        lines += [f"{COUNTRIES[i % len(COUNTRIES)]} {i};{base + i};{base + 2 * i};{base + 3 * i}" for i in range(per_block)]
    return "\n".join(lines) + "\n", titles


def test_section_titles_in_the_label_column_are_set_aside(tmp_path):
    text, titles = _ine({"Ambos sexos": 900, "Hombres": 400, "Mujeres": 500})
    result = _imported(tmp_path, "ine.csv", text)
    assert _set_aside(result) == [(line, "section") for line in titles]
    assert result.rows_written == 18 and result.section_rows == 3
    # The titles set aside name each row's section in a column of their own: the three blocks'
    # rows of one country stay told apart.
    assert [c.type for c in result.columns] == ["TEXT", "INTEGER", "INTEGER", "INTEGER", "TEXT"]
    assert result.columns[-1].name == "section" and result.columns[-1].kind == "section"
    connection = sqlite3.connect(tmp_path / "t.db")
    first = connection.execute(f'SELECT * FROM "{result.table}" LIMIT 1').fetchone()
    assert first == ("Bulgaria 0", 900, 900, 900, "Ambos sexos")
    assert connection.execute(f'SELECT section, count(*) FROM "{result.table}" GROUP BY section ORDER BY min(rowid)'
                              ).fetchall() == [("Ambos sexos", 6), ("Hombres", 6), ("Mujeres", 6)]
    _accounted(result, tmp_path / "t.db")


def test_keep_notes_keeps_the_section_titles_as_rows(tmp_path):
    text, _titles = _ine({"Ambos sexos": 900, "Hombres": 400, "Mujeres": 500})
    result = _imported(tmp_path, "ine.csv", text, keep_notes=True)
    assert result.rows_written == 21 and result.set_aside == []


def test_a_title_over_the_first_rows_of_a_table_longer_than_the_rows_held_back(tmp_path):
    # The loader holds the last 200 rows back for the footer and takes the first ones alone: the
    # first title is decided with the rows under the next ones, as when the whole table is read at once.
    text, titles = _ine({"Ambos sexos": 900, "Hombres": 400, "Mujeres": 500}, per_block=120)
    result = _imported(tmp_path, "ine.csv", text)
    assert _set_aside(result) == [(line, "section") for line in titles] and result.rows_written == 360
    _accounted(result, tmp_path / "t.db")


def test_titles_stay_set_aside_when_a_second_pass_converts_the_rows_again(tmp_path):
    # A decimal in the last block turns the INTEGER column REAL: everything is converted again,
    # and the titles are set aside in that pass too (the rows are the same in both).
    text, titles = _ine({"Ambos sexos": 900, "Hombres": 400, "Mujeres": 500}, per_block=120)
    lines = text.splitlines()
    lines[-1] = "Rumanía 119;1.5;2;3"
    text = "\n".join(lines) + "\n"
    result = _imported(tmp_path, "ine.csv", text)
    assert result.columns[1].type == "REAL"
    assert _set_aside(result) == [(line, "section") for line in titles] and result.rows_written == 360
    _accounted(result, tmp_path / "t.db")


def test_a_row_whose_numbers_are_missing_stays_a_row(tmp_path):
    # `Mayotte;;;` at the end of the départements: nothing under it, a row.
    lines = ["Département;Population;Naissances;Décès"] + [f"D{i};{1000 + i};{10 + i};{5 + i}" for i in range(10)]
    result = _imported(tmp_path, "dep.csv", "\n".join(lines + ["Guyane;;;", "Mayotte;;;"]) + "\n")
    assert result.rows_written == 12 and result.set_aside == []
    # One such row between full rows: the pattern does not recur, a row too.
    lines.insert(5, "Mayotte;;;")
    result = _imported(tmp_path, "dep2.csv", "\n".join(lines) + "\n")
    assert result.rows_written == 11 and result.set_aside == []


def test_lone_cells_in_a_table_of_words_are_rows(tmp_path):
    # No number or date column: nothing shows the rows are meant to be full; names with their
    # town and trade missing are people.
    lines = ["Nom;Ville;Métier"]
    for i in range(4):
        lines += [f"Personne {i}a;;", f"Personne {i}b;Dakar;Maçon", f"Personne {i}c;Thiès;Tailleur"]
    result = _imported(tmp_path, "noms.csv", "\n".join(lines) + "\n")
    assert result.rows_written == 12 and result.set_aside == []


def test_lone_cells_on_too_many_rows_are_rows(tmp_path):
    # Every other row fills only its label: a sparse table, not titles over blocks.
    lines = ["Site;Mesure;Valeur;Écart"]
    for i in range(6):
        lines += [f"Site {i};;;", f"Site {i}b;pH;{7 + i / 10};0,1"]
    result = _imported(tmp_path, "sites.csv", "\n".join(lines) + "\n")
    assert result.rows_written == 12 and result.set_aside == []


def test_a_lone_number_in_the_label_column_is_no_title():
    records = [["Region", "2019", "2020"], ["2021", "", ""]] + [[f"R{i}", str(i), str(i + 1)] for i in range(6)]
    records += [["2022", "", ""], ["R9", "9", "10"]]
    assert label_sections(records, 3) == set()


def _ttc_sheet(path):
    """A TTC-like sheet: the dimension (`WHO`) in a mostly empty first column beside the first
    title, indented fare media under each title, a sub-total closing each block."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "ACTUALS"
    sheet.append([None, "FARE MEDIA", "2017", "2016", "2015"])
    blocks = {"ADULT": [(76106, 102073, 110945), (67829, 27397, 13323), (36045, 41536, 48873)],
              "SENIOR/STUDENT": [(27324, 27621, 25092), (1011, 959, 672), (12532, 10440, 12170)],
              "BUS": [(261113, 252899, 238943)],
              "CHILDREN": [(24856, 21875, 10939), (163, 36, 10), (0, 0, 526)]}
    for position, (title, rows) in enumerate(blocks.items()):
        sheet.append(["WHO" if position == 0 else None, title, None, None, None])
        for number, row in enumerate(rows):
            sheet.append([None, f"     MEDIUM {title[:3]} {number}", *row])
        sheet.append([None, "  SUB-TOTAL", *(sum(column) for column in zip(*rows))])
    book.save(path)
    return path


def test_titles_beside_a_dimension_name_in_a_workbook_and_a_one_row_block_s_subtotal(tmp_path):
    path = _ttc_sheet(tmp_path / "ttc.xlsx")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(search=False))
    # Titles on lines 2 (`WHO | ADULT`), 7, 12, 15; sub-totals on 6, 11, 14 (one row: BUS), 19.
    assert _set_aside(result) == [(2, "section"), (6, "total"), (7, "section"), (11, "total"), (12, "section"),
                                  (14, "total"), (15, "section"), (19, "total")]
    assert result.rows_written == 10
    _accounted(result, tmp_path / "t.db")


def test_a_one_row_block_under_a_label_no_other_row_proves_a_subtotal_is_data(tmp_path):
    # `Sous-total` once, equal to the one row above it: one row proves nothing.
    lines = ["Poste;2019;2020"] + [f"Poste {i};{100 + i};{200 + i}" for i in range(6)] + ["Sous-total;105;205"]
    result = _imported(tmp_path, "postes.csv", "\n".join(lines) + "\n")
    assert result.rows_written == 7 and result.totals == 0


def _abs_sheet(path):
    """An ABS-like sheet: title lines, a stacked header with a units row, then a title over each
    state's divisions; the first title sits right under the units row."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Table 2"
    sheet.append(["Australian Bureau of Statistics"])
    sheet.append([None, "Response clear", None, None, None])
    sheet.append([None, "Yes", None, "No", None])
    sheet.append([None, "no.", "%", "no.", "%"])
    states = {"New South Wales Divisions": ["Banks", "Barton", "Bennelong", "Berowra"],
              "Victoria Divisions": ["Aston", "Ballarat", "Batman"],
              "Tasmania Divisions": ["Bass", "Braddon", "Denison"]}
    for title, divisions in states.items():
        sheet.append([title, None, None, None, None])
        for number, division in enumerate(divisions):
            yes = 40000 + 1000 * number
            sheet.append([division, yes, 55.5 + number, 30000, 44.5 - number])
        sheet.append([None, None, None, None, None])
    book.save(path)
    return path


def test_the_first_title_under_a_stacked_header_is_a_title_not_a_header_row(tmp_path):
    path = _abs_sheet(tmp_path / "abs.xlsx")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(search=False))
    assert result.header_line in (2, 3, 4) and result.rows_written == 10
    assert [line for line, reason in _set_aside(result) if reason == "section"] == [5, 11, 16]
    first = sqlite3.connect(tmp_path / "t.db").execute(f'SELECT * FROM "{result.table}" LIMIT 1').fetchone()
    assert first[0] == "Banks"


def test_a_site_alone_on_its_row_above_its_own_rows_is_a_row(tmp_path):
    # Long layout with gaps: `Ambatomanga;;;` repeats the site its rows name, and other rows
    # miss their numbers too (`Batteries;;`): rows of a table with gaps, not titles.
    lines = ["Site;Type;Effectif;%"]
    for site in ("Ambatomanga", "Ambodivoara", "Mangabe"):
        lines += [f"{site};;;", f"{site};Piles;11;16,2", f"{site};Batteries;;", f"{site};Solaire;33;48,5",
                  f"{site};Pétrole;35;51,5"]
    result = _imported(tmp_path, "sites.csv", "\n".join(lines) + "\n")
    assert result.rows_written == 15 and result.set_aside == []
    # Each guard on its own: titles of words over the same rows with gaps; the same sites
    # alone on their rows over rows without gaps.
    records = [line.split(";") for line in lines]
    worded = [["Région " + cells[0].upper(), "", "", ""] if not cells[1] else cells for cells in records]
    assert label_sections(worded, 4) == set()
    full = [cells for cells in records if cells[1] != "Batteries"]
    assert label_sections(full, 4) == set()
    assert label_sections([["Région " + c[0].upper(), "", "", ""] if not c[1] else c for c in full], 4) == {1, 5, 9}


def test_lone_labels_that_are_values_of_their_column_are_rows():
    # The lone cell repeats a label of the rows, or is written like them with other digits (a
    # sensor log's timestamps with no reading; `Zone 9` among `Zone 1`…): rows missing their values.
    zones = [["Zone", "Mesure", "Valeur"]] + [[f"Zone {i}", str(i), str(2 * i)] for i in range(1, 8)]
    assert label_sections(zones[:3] + [["Zone 9", "", ""]] + zones[3:6] + [["Zone 10", "", ""]] + zones[6:], 3) == set()
    names = [["Nom", "a", "b"]] + [[f"Poste {i}", str(i), str(2 * i)] for i in range(1, 8)]
    assert label_sections(names[:3] + [["Poste 2", "", ""]] + names[3:6] + [["Poste 5", "", ""]] + names[6:], 3) == set()
    # The same rows with titles of words: titles.
    titles = names[:3] + [["Recettes", "", ""]] + names[3:6] + [["Dépenses", "", ""]] + names[6:]
    assert label_sections(titles, 3) == {3, 7}


def test_rows_whose_cells_hold_no_break_spaces_are_rows(tmp_path):
    # GBE export: a heading row over its sub-specialties, its cells filled with no-break spaces;
    # the file writes it as wide as the others, a row.
    lines = [";1985;1993;2000"]
    for heading in ("Chirurgie ...", "Innere Medizin ...", "Radiologie ..."):
        lines += [f"   {heading};\xa0\xa0;\xa0\xa0;\xa0\xa0"] + [f"      {heading[:4]} {i};{i};{i + 1};{i + 2}" for i in range(3)]
    result = _imported(tmp_path, "gbe.csv", "\n".join(lines) + "\n")
    assert result.rows_written == 12 and not [e for e in result.set_aside if e["reason"] == "section"]


def test_a_big_file_in_parts_sets_aside_the_same_titles(tmp_path):
    from tests.test_import_parallel import HEADER, budget_lines, import_both, write

    # Titles are found on each batch of 5000 records as read, two at least in one batch: blocks
    # of 1000 rows here (a published table with sections is small; a title over a block of more
    # than a batch is kept as a row, by every process alike).
    lines = [HEADER]
    for region in range(30):
        lines += [f";Région {region // 10}{'ABCDEFGHIJ'[region % 10]};;"] + budget_lines(1000, start=1000 * region)
    serial, parallel = import_both(write(tmp_path, lines), tmp_path, jobs=3)
    assert parallel.parts == 3 and parallel.rows_written == 30000 and parallel.section_rows == 30
    assert [e["line"] for e in parallel.set_aside] == [2 + 1001 * region for region in range(30)]
    # `néant` in the amounts of the last part: the parts decided otherwise, a second pass converts
    # the whole file again with the titles the parts found; the same rows as one process writes.
    lines[-3] = lines[-3].rsplit(";", 2)[0] + ";néant;01/01/2024"
    (tmp_path / "again").mkdir()
    serial, parallel = import_both(write(tmp_path / "again", lines), tmp_path / "again", jobs=3)
    assert parallel.rows_written == 30000 and parallel.section_rows == 30


def test_section_titles_are_not_looked_for_in_a_file_past_the_size_of_a_published_table(tmp_path, monkeypatch):
    # Past rows.SECTION_FILE_BYTES a file is a dataset: no search (it costs ~3 ms a batch), lone rows stay rows.
    from datactiviste.ingest import rows

    text, _titles = _ine({"Ambos sexos": 900, "Hombres": 400, "Mujeres": 500})
    monkeypatch.setattr(rows, "SECTION_FILE_BYTES", len(text.encode()) - 1)
    result = _imported(tmp_path, "ine.csv", text)
    assert result.section_rows == 0 and result.rows_written == 21


def test_a_title_that_ends_a_batch_is_set_aside_with_its_block_in_the_next(tmp_path):
    from datactiviste.ingest.readers import BATCH
    from tests.test_import_parallel import HEADER, budget_lines, import_both, write

    # Records are read BATCH at a time; titles every 1000 records, the sixth the last record of the
    # first batch, its rows in the second: a title like the others, in one process and in parts.
    lines, sizes = [HEADER], [998] + [999] * 9
    for region, size in enumerate(sizes):
        lines += [f";Région {'ABCDEFGHIJ'[region]};;"] + budget_lines(size, start=1000 * region)
    title_records = [sum(sizes[:region]) + region for region in range(10)]
    assert BATCH - 1 in title_records
    serial, parallel = import_both(write(tmp_path, lines), tmp_path, jobs=2)
    assert serial.rows_written == sum(sizes) and serial.section_rows == 10
    assert [e["line"] for e in serial.set_aside] == [2 + record for record in title_records]


def test_rows_that_start_with_the_header_s_first_label_are_rows_unless_a_block_opens_there(tmp_path):
    # Every row starts like the header (an anonymised file made every letter `A`; here a survey's
    # first column repeats its question). Only a row right under a blank line (or a block's
    # one-cell title) is the header of a stacked block.
    kinds = ["Pompe manuelle", "Forage équipé", "Puits busé", "Borne fontaine"]
    states = ["en panne", "fonctionne", "à réparer"]
    rows = ["Ouvrage,Type d'ouvrage,État"] + [f"Ouvrage,{kinds[i % 4]},{states[i % 3]}" for i in range(40)]
    path = tmp_path / "anonyme.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    (result,) = import_file(path, tmp_path / "a.db", ImportOptions(search=False))
    assert result.rows_written == 40 and result.set_aside == []
    stacked = ["Région\tPauvreté", "Agadez\t11.8", "Diffa\t10.4", "Total\t100.0", "",
               "Région\tGenre", "Agadez\t9.6", "Diffa\t90.4", "Total\t100.0"]
    path = tmp_path / "blocs.tsv"
    path.write_text("\n".join(stacked) + "\n", encoding="utf-8")
    (result,) = import_file(path, tmp_path / "b.db", ImportOptions(search=False))
    assert [(e["line"], e["reason"]) for e in result.set_aside if e["reason"] == "repeated-header"] == [(6, "repeated-header")]


def test_a_run_of_rows_filling_only_the_labels_is_rows_not_titles(tmp_path):
    # A work plan (Niger INS): the first five tasks fill only `Activité` and `Tâche`, then the
    # tasks with their service and months. Five title-shaped rows in a row are tasks missing their
    # values, not titles each over a block.
    rows = ["Activité;Tâche;Structure;Service;Juillet;Taux"]
    rows += ["Activité 1 : Collecte;Collecte des prix;;;;", ";Transmission des questionnaires;;;;",
             "Activité 2 : Collecte;Collecte des loyers;;;;", ";Transmission des fiches;;;;",
             "Activité 3 : Indice;Collecte des prix de gros;;;;"]
    rows += [f";Tâche {i};DCMIS;Service des statistiques;x;{i % 2}" for i in range(12)]
    path = tmp_path / "plan.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    (result,) = import_file(path, tmp_path / "p.db", ImportOptions(search=False))
    assert result.rows_written == 17 and result.section_rows == 0


def test_blocks_stacked_with_their_headers_keep_their_titles_in_a_section_column(tmp_path):
    # The interior ministry's results: three blocks (whole country, mainland, overseas), each
    # under its title and its own copy of the header; the first title sits above the header.
    block = "{title};;\n.;Nombre;%ins\nInscrits;{a};\nVotants;{b};{c}\nExprimés;{d};{e}\n\n"
    text = "Résultats - Tour 2;;\n\n" + "".join(block.format(title=t, a=a, b=b, c=c, d=d, e=e) for t, a, b, c, d, e in [
        ("France entière", 46837183, 35136413, "75,02", 31080889, "66,36"),
        ("Métropole", 44430513, 33883345, "76,26", 29956922, "67,42"),
        ("Outre-mer", 1873087, 1003896, "53,6", 884888, "47,24")])
    result = _imported(tmp_path, "tour2.csv", text)
    assert result.rows_written == 9 and result.columns[-1].name == "section"
    rows = sqlite3.connect(tmp_path / "t.db").execute(f'SELECT column_1, nombre, section FROM "{result.table}" '
                                                      'ORDER BY rowid').fetchall()
    assert rows[0] == ("Inscrits", 46837183, "France entière") and rows[3] == ("Inscrits", 44430513, "Métropole")
    assert [section for _label, _count, section in rows] == ["France entière"] * 3 + ["Métropole"] * 3 + ["Outre-mer"] * 3
    _accounted(result, tmp_path / "t.db")


def test_the_section_column_is_the_same_when_the_file_is_read_in_parts(tmp_path):
    from tests.test_import_parallel import import_both

    # (Each part sees several titles: a part of a small file read with --jobs that holds a single
    # title cannot tell it from a row missing its values. Parts are for files over 16 MiB, where
    # titles are not looked for: rows.SECTION_FILE_BYTES.)
    text, titles = _ine({f"Bloc {n}": 100 * n for n in range(1, 13)}, per_block=250)
    path = tmp_path / "ine.csv"
    path.write_text(text, encoding="utf-8")
    serial, parallel = import_both(path, tmp_path)
    assert parallel.parts > 1 and serial.rows_written == 3000
    counts = sqlite3.connect(tmp_path / "jobs3.db").execute(
        f'SELECT section, count(*) FROM "{parallel.table}" GROUP BY section ORDER BY min(rowid)').fetchall()
    assert counts == [(f"Bloc {n}", 250) for n in range(1, 13)]


def test_comment_lines_among_the_rows_make_no_section_column(tmp_path):
    # smarter_csv's fixture: two `# …` lines among the rows; they are set aside, and name no block.
    text = ("name,city,a,b,c,d\n# comment two,,,,,\nDan,Paris,1,2,3,4\nLucy,Lyon,1,2,3,4\n"
            "# another comment,,,,,\nJo,Nice,1,2,3,4\nAl,Metz,1,2,3,4\nBo,Pau,1,2,3,4\nCy,Albi,1,2,3,4\n")
    result = _imported(tmp_path, "comments.csv", text)
    assert result.rows_written == 6 and all(c.kind != "section" for c in result.columns)
    assert [(e["line"], e["reason"]) for e in result.set_aside] == [(2, "comment"), (5, "comment")]


def test_a_line_of_signs_between_two_pasted_exports_labels_no_section(tmp_path):
    """`=======` alone on its row, then the header again: a separator, not a section's title."""
    rows = [f"2025-{m:02d},{m}/1/2025,{118 + m * 0.3:.2f}" for m in range(1, 13)]
    text = "\n".join(["Periode,Date,IPC"] + rows + ["=======,,", "Periode,Date,IPC"] + rows) + "\n"
    result = _imported(tmp_path, "ipc.csv", text)
    assert result.rows_written == 24 and not any(c.kind == "section" for c in result.columns)
    assert (14, "section") in _set_aside(result) and (15, "repeated-header") in _set_aside(result)


def test_the_title_repeated_at_a_page_break_is_set_aside_with_the_header_under_it(tmp_path):
    """A printed sheet saved as a table: its title and header again where a page began."""
    rows = [f"Décret {n};01.0{1 + n % 9}.19{60 + n};{13 + n},{n % 10}00;{76 + n}" for n in range(12)]
    text = "\n".join(["EVOLUTION DU S.M.I.G. ET DU SMAG;;;", "", "Texte;Date d'effet;SMIG mensuel;Taux horaire"]
                     + rows[:6] + ["", "EVOLUTION DU S.M.I.G. ET DU SMAG;;;", "Texte;Date d'effet;SMIG mensuel;Taux horaire"]
                     + rows[6:]) + "\n"
    result = _imported(tmp_path, "smig.csv", text)
    assert result.rows_written == 12
    assert (11, "repeated-header") in _set_aside(result) and (12, "repeated-header") in _set_aside(result)
    assert not any(c.kind == "section" for c in result.columns)


def test_a_block_with_labels_of_its_own_is_named_in_a_warning(tmp_path):
    """Tables stacked one under another, the second with other labels under the same first one
    (`Technology | QLD | NSW` then `Technology | Available | Unavailable`): its rows land under
    the first table's columns, and the report says so with the line; a header repeated as it
    is needs no warning."""
    first = [f"Tech {n},{10 + n},{20 + n},{30 + n}" for n in range(6)]
    second = [f"Tech {n},{n}.5,{n + 2},{n * 3}" for n in range(6)]
    text = "\n".join(["Technology,QLD,NSW,VIC"] + first + ["", "Technology,QLD,NSW,VIC"] + first
                     + ["", "Technology,Available,Unavailable,Transition hours"] + second) + "\n"
    result = _imported(tmp_path, "tech.csv", text)
    assert result.other_headers == [17]
    assert "17" in render_import(result) and result.rows_written == 18


def test_the_same_rows_again_under_a_blank_line_are_named_in_a_warning(tmp_path):
    """Counts by diagnosis, their total, then under blank lines the same diagnoses in shares,
    without a header: a second table of the same rows, imported as more rows and named."""
    names = ["Visuel", "Auditif", "Intellectuel", "Santé mentale", "Physique"]
    counts = [879, 464, 18836, 37384, 23597]
    lines = ["Diagnostic;2023-01"] + [f"{n};{c}" for n, c in zip(names, counts)] + [f"TOTAL;{sum(counts)}", ";", ";"]
    lines += [f"{n};{100 * c / sum(counts):.2f}".replace(".", ",") + "%" for n, c in zip(names, counts)]
    result = _imported(tmp_path, "prb.csv", "\n".join(lines) + "\n")
    assert result.repeated_blocks == [10] and result.rows_written == 10
    assert "10" in render_import(result)


def test_blocks_told_apart_by_their_section_titles_need_no_warning(tmp_path):
    rows = [f"{name},{n * 10},{n * 3}" for n, name in enumerate(["Dakar", "Thiès", "Louga", "Matam"], 1)]
    text = "\n".join(["Région,Inscrits,Votants", "Premier tour,,"] + rows + ["", "Second tour,,"] + rows) + "\n"
    result = _imported(tmp_path, "tours.csv", text)
    assert result.repeated_blocks == [] and any(c.kind == "section" for c in result.columns)


def test_titles_over_rows_named_by_their_year_with_years_over_their_quarters(tmp_path):
    """ABS Table 5: `MALES`, `FEMALES` each over rows named `2014-15`, `2019`, then a year alone
    (`2019`) over its quarters. The years are the rows' labels, the year alone a sub-heading: the
    sex titles are sections (the year sub-headings stay rows, kept as written)."""
    lines = [";NSW;Victoria;Queensland"]
    titles = []
    for title, base in (("MALES", 3_700_000), ("FEMALES", 3_800_000)):
        lines.append(f"{title};;;")
        titles.append(len(lines))
        lines += [f"{year}-{year - 1999};{base + year};{base + 2 * year};{base + 3 * year}" for year in range(2014, 2018)]
        lines += [f"{year};{base + year};{base + 2 * year};{base + 3 * year}" for year in range(2018, 2021)]
        for year in (2019, 2020):
            lines.append(f"{year};;;")
            lines += [f"{month};{base + n};{base + 2 * n};{base + 3 * n}" for n, month in enumerate(["March", "June", "December"])]
    result = _imported(tmp_path, "abs.csv", "\n".join(lines) + "\n")
    assert [line for line, reason in _set_aside(result) if reason == "section"] == titles
    assert result.rows_written == len(lines) - 1 - len(titles)
    connection = sqlite3.connect(tmp_path / "t.db")
    assert connection.execute("SELECT count(*) FROM abs WHERE section = 'FEMALES'").fetchone() == (15,)


def test_contest_titles_under_each_repeat_of_the_header_are_sections(tmp_path):
    """Town election results: `| Pct.1 | Pct.2 | Total` repeated over each contest, the contest's
    title alone on the row under it, its candidates, its Total. The first title is no label of the
    header's blank first column, and none of the titles is a row."""
    lines, titles = [], []
    for contest, candidates in (("PRESIDENT", ["CLINTON", "TRUMP", "Write-in"]), ("REP IN CONGRESS", ["LYNCH", "BURKE"]),
                                ("COUNCILLOR", ["JUBINVILLE", "WILLIAMS", "Blanks"]), ("QUESTION 1", ["YES", "NO"])):
        lines += [",Pct.1,Pct.2,Pct.3,Total", f"{contest},,,,"]
        titles.append(len(lines))
        votes = [[100 * n + 7 * p for p in range(3)] for n in range(1, len(candidates) + 1)]
        lines += [f"{name},{a},{b},{c},{a + b + c}" for name, (a, b, c) in zip(candidates, votes)]
        sums = [sum(column) for column in zip(*votes)]
        lines.append(f"Total,{sums[0]},{sums[1]},{sums[2]},{sum(sums)}")
    result = _imported(tmp_path, "votes.csv", "\n".join(lines) + "\n")
    assert result.columns[0].label == ""
    assert [line for line, reason in _set_aside(result) if reason == "section"] == titles
    assert result.rows_written == 10
    connection = sqlite3.connect(tmp_path / "t.db")
    assert connection.execute("SELECT section, count(*) FROM votes GROUP BY section ORDER BY min(rowid)").fetchall() == \
        [("PRESIDENT", 3), ("REP IN CONGRESS", 2), ("COUNCILLOR", 3), ("QUESTION 1", 2)]


def test_titles_over_a_column_of_years_beside_columns_of_names(tmp_path):
    """Statistik Austria: `Jahr | 1. Rang | 2. Rang | 3. Rang`, the girls' names then the boys'
    under a title each, the years naming the rows. Counting years as words there made every
    column one of words, and no title was found."""
    names = ["Anna", "Lena", "Sarah", "Hannah", "Julia", "Laura", "Lukas", "Tobias", "David", "Jakob"]
    lines, titles = ["Jahr,1. Rang,2. Rang,3. Rang"], []
    for title, offset in (("Häufigste Mädchennamen", 0), ("Häufigste Bubennamen", 6)):
        lines.append(f"{title},,,")
        titles.append(len(lines))
        lines += [f"{year},{names[(offset + year) % 10]},{names[(offset + year + 1) % 10]},{names[(offset + year + 2) % 10]}"
                  for year in range(2000, 2012)] + [f"2010-2020,{names[offset]},{names[offset + 1]},{names[offset + 2]}"]
    result = _imported(tmp_path, "vornamen.csv", "\n".join(lines) + "\n")
    assert [line for line, reason in _set_aside(result) if reason == "section"] == titles
    assert result.rows_written == 26


def test_a_table_of_one_or_two_rows_of_numbers_imports(tmp_path):
    """The subtotal walk needs three rows: fewer must not fail the import (a small sheet of a workbook)."""
    for count in (1, 2):
        result = _imported(tmp_path, f"small{count}.csv", "région,population\n" + "Dakar,3732284\n" * count)
        assert result.rows_written == count and result.subtotal_lines == []
