"""Files without a header: the first record is a row, kept as a row, when it cannot be labels.

Labels name columns in words; a first record of numbers or dates is data (unless it is years over
other numbers), and so is a first record whose values come back in their own columns below.
"""

from __future__ import annotations

import csv
import io

from datactiviste.ingest.header import find_header
from datactiviste.ingest.importer import import_file


def records(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_values_that_recur_in_their_columns_are_a_row_not_labels():
    text = ('"ABW","Latin America & Caribbean","High income","Aruba"\n'
            '"AFG","South Asia","Low income","Afghanistan"\n'
            '"ARG","Latin America & Caribbean","Upper middle income","Argentina"\n'
            '"AND","Europe & Central Asia","High income","Andorra"\n')
    assert find_header(records(text)).reason == "no-header-detected"


def test_a_header_repeated_below_is_still_the_header():
    text = "Région,Chapitre\nDakar,Santé\nThiès,Eau\nRégion,Chapitre\nKaolack,Santé\n"
    guess = find_header(records(text))
    assert guess.index == 0 and guess.reason != "no-header-detected"


def test_a_first_row_of_numbers_or_dates_is_data():
    assert find_header(records("1,2,3\n4,5,6\n")).reason == "no-header-detected"
    assert find_header(records("2000-01-01,2000-01-02,2000-01-03\n")).reason == "no-header-detected"


def test_years_over_other_numbers_are_labels():
    guess = find_header(records("2019,2020,2021\n1250,1300,1412\n980,1010,1100\n"))
    assert guess.index == 0 and guess.reason != "no-header-detected"


def test_words_are_labels():
    guess = find_header(records("Région,Population\nDakar,3732284\nThiès,2000000\nKaolack,1000000\n"))
    assert guess.index == 0 and guess.reason == "first-row"


def test_a_header_much_wider_than_its_rows_is_still_the_header(tmp_path):
    """An exporter that drops trailing empty fields writes 12 labels and rows of 4 to 6 fields:
    the labels are the header, the short rows are padded, nothing goes to the preamble."""
    labels = ["Identifiant", "Nom", "Commune", "Téléphone"] + [f"Option {n}" for n in range(8)]
    rows = [f"{n};Lieu {n};Ville {n % 7};01 23 45 67 {n:02d}" + ";oui" * (n % 3) for n in range(40)]
    path = tmp_path / "large.csv"
    path.write_text(";".join(labels) + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db")
    assert result.header_line == 1 and result.rows_written == 40
    assert [c.name for c in result.columns][:2] == ["identifiant", "nom"] and len(result.columns) == 12


def test_key_value_lines_above_a_short_wide_table_are_preamble(tmp_path):
    """Three `key<TAB>value` lines outnumber the two rows of 19 fields: the table is 19 wide."""
    labels = ["Transaction Date", "Settlement Date", "Identifier", "SKU", "Title"] + [f"Field {n}" for n in range(13)]
    lines = ["Vendor Name\tTest", "Start Date\t06/02/2024", "End Date\t06/29/2024", "\t".join(labels)]
    lines += ["\t".join(["06/19/2024", "06/22/2024", "1435055555", "monthly", "Abonnement"] + [str(n) for n in range(13)]) + "\t"
              for _ in range(2)]
    path = tmp_path / "rapport.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db")
    assert result.header_line == 4 and result.rows_written == 2
    assert [e["line"] for e in result.set_aside] == [1, 2, 3]


def test_one_column_of_numbers_has_no_header_and_loses_no_row(tmp_path):
    # A one-column file whose values repeat the first one: no header, so no "repeated header" either.
    assert find_header(records("1\n1\n1\n2\n")).reason == "no-header-detected"
    assert find_header(records("Population\n1\n2\n")).reason == "first-row"
    path = tmp_path / "uns.csv"
    path.write_text("1\n" * 50, encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db")
    assert result.rows_written == 50 and result.rows_read == 50 and result.set_aside_count == 0


def test_a_record_equal_to_a_header_of_years_is_a_row(tmp_path):
    path = tmp_path / "annees.csv"
    path.write_text("2019;2020\n1250;1300\n2019;2020\n980;1010\n", encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db")
    assert result.header_line == 1 and result.rows_written == 3 and result.set_aside_count == 0


def _series_lines(first_rows: list[str]) -> str:
    header = ";Heures travaillées, Dakar;Heures travaillées, Thiès"
    data = [f"01/{m:02d}/2020;{1000 + m},5;{800 + m},25" for m in range(1, 13)]
    return "\n".join([header] + first_rows + data) + "\n"


def test_rows_describing_the_columns_under_the_header_are_part_of_it(tmp_path):
    # A statistics office's time series: Unit, Frequency, Series ID rows between labels and data.
    meta = ["Unité;milliers;milliers", "Fréquence;Mois;Mois", "Début;01/01/2020;01/01/2020",
            "Observations;12;12", "Identifiant;A8442L;A8443K"]
    path = tmp_path / "series.csv"
    path.write_text(_series_lines(meta), encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db")
    assert result.rows_written == 12 and result.header_line == 1
    assert [c.type for c in result.columns] == ["DATE", "REAL", "REAL"]
    assert [(e["line"], e["reason"]) for e in result.set_aside] == [(i, "header-metadata") for i in range(2, 7)]
    assert (result.skipped_lines, result.header_rows) == (0, 5)
    from datactiviste.ingest.report import render_import
    assert "5 lignes sous les libellés font partie de l'en-tête" in render_import(result)
    assert "avant l'en-tête" not in render_import(result)


def test_labelled_rows_over_rows_labelled_too_are_data(tmp_path):
    text = "Région;2019;2020\nDakar;12;13\nThiès;5;6\nLouga;1;2\nFatick;3;4\nKolda;7;8\nMatam;9;9\n"
    path = tmp_path / "regions.csv"
    path.write_text(text, encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db")
    assert result.rows_written == 6 and result.set_aside == []


def test_a_key_value_line_as_wide_as_the_table_is_preamble(tmp_path):
    # `Data most recently refreshed on: | | | Dec-27 2020 | …` above the labels: two cells of eleven.
    labels = ["Prénom", "Nom", "Statut", "Matière", "Embauche", "Part", "Temps plein", "Note", "Certif 1", "Certif 2",
              "Actif"]
    rows = [";".join(["Awa", "Diop", "Enseignante", "Maths", "01/09/2008", "0,75", "Oui", "", "A", "B", "OUI"])] * 6
    text = "Mise à jour le :;;;27/12/2020;;;;;;;\n" + ";".join(labels) + "\n" + "\n".join(rows) + "\n"
    path = tmp_path / "equipe.csv"
    path.write_text(text, encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db")
    assert result.header_line == 2 and result.rows_written == 6
    assert [c.label for c in result.columns][:2] == ["Prénom", "Nom"]
    assert [(e["line"], e["reason"]) for e in result.set_aside] == [(1, "preamble")]


def test_a_group_row_over_labels_is_still_merged(tmp_path):
    text = ("Région;Population;;Superficie\n;2019;2020;km2\nDakar;3732284;3835019;547\n"
            "Thiès;2000000;2100000;6670\nLouga;900000;950000;24847\n")
    path = tmp_path / "groupes.csv"
    path.write_text(text, encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db")
    assert result.rows_written == 3 and [c.label for c in result.columns][1] == "Population — 2019"


def test_a_row_of_units_under_the_labels_is_part_of_the_header(tmp_path):
    path = tmp_path / "regions.csv"
    path.write_text("Région;Population;Superficie;Budget\n;(habitants);(km²);[FCFA]\n"
                    "Dakar;3732284;547;12 000\nThiès;2000000;6670;5 000\nLouga;900000;24847;1 000\n", encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db")
    assert result.rows_written == 3 and [c.type for c in result.columns] == ["TEXT", "INTEGER", "INTEGER", "INTEGER"]
    assert [c.label for c in result.columns][1:3] == ["Population — (habitants)", "Superficie — (km²)"]


def test_numbers_in_parentheses_under_the_labels_are_data(tmp_path):
    path = tmp_path / "soldes.csv"
    path.write_text("Compte;Solde;Variation\nA;(12);(3)\nB;45;7\nC;(8);2\n", encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db")
    assert result.rows_written == 3 and result.header_line == 1


def test_a_sparse_row_of_explanations_above_the_labels_is_preamble(tmp_path):
    # Le Monde's deputies file: the first record explains a few columns in quoted cells over
    # several lines, most cells empty; the labels follow.
    labels = ["departement", "circo", "id_an", "nom", "prenom", "sexe", "age", "groupe", "mandat"]
    notes = ['""', '"circonscription\nnumérotée"', '""', '""', '""', '""', '""',
             '"réétiquetage effectué par Le Monde\nà partir des données de l\'Assemblée"', '"Y : la personne a un mandat"']
    rows = [f"Ain,{i},{700 + i},Nom{i},Prénom{i},F,{40 + i},LREM,Y" for i in range(1, 7)]
    path = tmp_path / "deputes.csv"
    path.write_text(",".join(notes) + "\n" + ",".join(labels) + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db")
    assert result.header_line == 4 and result.rows_written == 6 and result.columns[6].type == "INTEGER"
    assert [(e["line"], e["reason"]) for e in result.set_aside] == [(1, "preamble")]


def test_a_first_row_with_a_typo_under_the_labels_is_data(tmp_path):
    # `500ZER` for 500000 in the first row: the row is still a row, not a second header line.
    rows = "".join(f"Batha,{2010 + i},Total,{515000 + i * 15000}\n" for i in range(8))
    path = tmp_path / "recensement.csv"
    path.write_text("Region,Year,Age_Group,Population_Total\nBatha,2009,Total,500ZER\n" + rows, encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db")
    assert result.header_line == 1 and result.rows_written == 9
    assert [c.label for c in result.columns] == ["Region", "Year", "Age_Group", "Population_Total"]


def test_labels_over_a_title_row_over_the_data_still_find_the_header(tmp_path):
    path = tmp_path / "budget.csv"
    path.write_text("Tableau 1,,,\nRégion,Année,Type,Montant\nDakar,2019,Total,500\nThiès,2019,Total,300\n"
                    "Louga,2019,Total,100\nKolda,2019,Total,50\n", encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db")
    assert result.header_line == 2 and result.rows_written == 4


def test_a_row_of_variable_names_under_readable_labels_is_part_of_the_header(tmp_path):
    path = tmp_path / "mfl.csv"
    path.write_text("Country,Official MFL online,Data machine readable,Last updated\n"
                    "country,mfl_online,machine_readable,updated\n"
                    "Algeria,no,no,2019\nBenin,yes,no,2020\nSenegal,yes,yes,2021\n", encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db")
    assert result.rows_written == 3 and [(e["line"], e["reason"]) for e in result.set_aside] == [(2, "header-names")]


def test_rows_of_lowercase_codes_under_labels_are_data(tmp_path):
    path = tmp_path / "codes.csv"
    path.write_text("Code pays,Code région,Code zone\nsn_dk,sn_th,zone_a\nsn_lg,sn_kl,zone_b\nml_bk,ml_sg,zone_c\n",
                    encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db")
    assert result.rows_written == 3 and result.set_aside == []


def test_a_batch_file_with_header_and_trailer_records_and_no_labels(tmp_path):
    # H (3 fields), D detail records (10 fields, no labels), T trailer with the record count.
    details = [f"D,BCS{i},{250000 + i},{250000 + i},2.08,,{886605169 + i},{780 + i},A,4/23/2019 7:11:{i:02d} AM"
               for i in range(8)]
    path = tmp_path / "locate.csv"
    path.write_text("H,Locate Reply,GORLTR\n" + "\n".join(details) + "\nT,Locate Reply,8\n", encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db")
    assert result.header_line is None and result.rows_written == 8
    assert [(e["line"], e["reason"]) for e in result.set_aside] == [(1, "preamble"), (10, "footer")]


def test_a_title_above_headerless_rows_is_preamble_not_a_row(tmp_path):
    # Guinea's baccalauréat results: a title line padded with commas, then the rows, no header.
    text = ("RESULTATS DU BACCALAUREAT UNIQUE SESSION 2025 ,,,,,,,\n"
            "SE,1,,MOUNTAGA DJELY DIALLO,EP BELLE VUE MARCHE,7961,SAINTE MARIE,TBIEN\n"
            "SE,2,,AISSATOU BAH,GS LA SOURCE,8012,DIXINN,BIEN\n"
            "SE,3,X,MAMADOU SOW,LYCEE DONKA,8113,DIXINN,ABIEN\n"
            "SE,4,,FATOUMATA CAMARA,GS EL HADJ,8270,RATOMA,PASSABLE\n")
    guess = find_header(records(text))
    assert guess.reason == "no-header-detected" and guess.index == 1
    path = tmp_path / "SE.csv"
    path.write_text(text, encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db")
    assert result.rows_written == 4 and result.rows_read == 5 and [e["line"] for e in result.set_aside] == [1]
