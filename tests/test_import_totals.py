"""Totals and subtotals set aside only when their numbers add up (ingest/totals.py, ingest/sums.py).

Rows labelled like a total (`TOTAL`, `Sous-total`, `Insgesamt`, `(Total)`) and rows named like any
other (`Deutschland` under the Länder, `France métropolitaine` under the departments) whose numbers
are the sums of the rows they close; and the guards that keep data rows: a supplier called TOTAL,
zeros, an indicator named on every row, a label recurring on rows that do not add up, shares and
ratios beside the sums. The accounting rule and the notes under the table: test_import_setaside.py.
"""

import sqlite3

import pytest

from datactiviste.ingest.importer import ImportOptions, import_file
from datactiviste.ingest.report import render_import
from tests.test_import_setaside import _imported


def test_a_supplier_called_total_is_data_even_when_its_amount_repeats_one_row(tmp_path):
    result = _imported(tmp_path, "marches.csv", "Fournisseur;Objet;Montant\nSHELL SENEGAL;Carburant;1 500 000\n"
                    "TOTAL SENEGAL;Carburant;1 500 000\nSonatel;Téléphone;200 000\n")
    assert result.rows_written == 3 and result.totals == 0
    assert [e["line"] for e in result.suspect_totals] == [3]
    # Said as it is: it repeats the one row above it (not "does not add up").
    report = render_import(result)
    assert "ne correspond pas" not in report and "does not add up" not in report
    assert "ligne 3 ressemble à un total et répète la seule ligne" in report or "Line 3 looks like a total and repeats" in report


def test_a_subtotal_of_rounded_values_and_a_ratio_column_is_still_a_total(tmp_path):
    # Users in millions rounded to 0.1 (0.0 + 1.4 + 0.8 + 0.1 = 2.3, published 2.4); the unit
    # cost is a ratio, never a sum. Spending and users add up: the Total row is set aside.
    result = _imported(tmp_path, "couts.csv", "Pays,Niveau,Dépense,Usagers,Coût unitaire\n"
                    "Sénégal,Préscolaire,1.4,0.0,34.9\nSénégal,Primaire,189.8,1.4,133.2\n"
                    "Sénégal,Secondaire,141.2,0.8,168.0\nSénégal,Supérieur,103.8,0.1,1956.3\n"
                    "Sénégal,Total,436.2,2.4,184.9\n")
    assert result.rows_written == 4 and [e["line"] for e in result.set_aside] == [6]


def test_a_total_of_the_rows_under_an_unlabelled_subtotal(tmp_path):
    # A pivot table pasted as values: January is the month's subtotal (no total label), then its
    # rows, then "Total Result", which is the sum of the three rows right above it. January, the
    # first row, is the sum of the rows under it: a total written first, set aside too (kept,
    # the table's SUM() would count every return twice).
    result = _imported(tmp_path, "retours.csv", "Mois;Faryab;Herat;Kabul;Total\nJanvier;6;17;11;34\nIran;0;5;1;6\n"
                    "Pakistan;6;12;8;26\nAutre;0;0;2;2\nTotal Result;6;17;11;34\n")
    assert result.rows_written == 3 and sorted(e["line"] for e in result.set_aside) == [2, 6]
    assert {e["reason"] for e in result.set_aside} == {"total"}


def test_rows_right_above_must_add_up_in_every_column(tmp_path):
    # Under an unlabelled subtotal, the last rows add up in one column only: not a total.
    result = _imported(tmp_path, "retours.csv", "Mois;Faryab;Herat;Kabul;Total\nJanvier;6;17;11;34\nIran;0;5;1;6\n"
                    "Pakistan;6;12;8;26\nAutre;0;0;2;2\nTotal Result;6;99;98;97\n")
    assert result.rows_written == 5 and result.totals == 0
    assert [e["line"] for e in result.suspect_totals] == [6]


@pytest.mark.parametrize("label", ["Tous", "Toutes les régions", "Totaal", "Insgesamt"])
def test_more_total_labels_set_aside_when_they_add_up(tmp_path, label):
    rows = ["Site;Ménages touchés;Ménages"] + [f"Site {i};{10 + i};{20 + 2 * i}" for i in range(6)]
    rows.append(f"{label};{sum(10 + i for i in range(6))};{sum(20 + 2 * i for i in range(6))}")
    result = _imported(tmp_path, "sites.csv", "\n".join(rows) + "\n")
    assert result.rows_written == 6 and [(e["line"], e["reason"]) for e in result.set_aside] == [(8, "total")]


def test_an_indicator_named_on_every_row_is_not_a_suspect_total(tmp_path):
    # World Bank and FAO exports name the indicator on each row: "Population, total" (suffix),
    # "Total population" (prefix). The same label on many rows that do not add up is a column value.
    lines = ["Country Name,Country Code,Indicator Name,2021,2022"]
    for country, code, a, b in (("Senegal", "SEN", 17196308, 17651103), ("Mali", "MLI", 21904983, 22593590),
                                ("Niger", "NER", 25252722, 26207977), ("Benin", "BEN", 12996895, 13352864)):
        lines.append(f"{country},{code},\"Population, total\",{a},{b}")
        lines.append(f"{country},{code},Total population aged 65+,{a // 30},{b // 30}")
        lines.append(f"{country},{code},\"Population, female\",{a // 2},{b // 2}")
    result = _imported(tmp_path, "wdi.csv", "\n".join(lines) + "\n")
    assert result.rows_written == 12 and result.totals == 0
    assert result.suspect_totals == []


def test_a_repeated_subtotal_label_that_adds_up_is_still_set_aside(tmp_path):
    text = ("Région;Département;Montant\nDakar;Pikine;10\nDakar;Rufisque;20\nDakar;Total;30\n"
            "Thiès;Mbour;5\nThiès;Tivaouane;7\nThiès;Total;12\nLouga;Linguère;1\nLouga;Kébémer;2\nLouga;Total;3\n")
    result = _imported(tmp_path, "sous_totaux.csv", text)
    assert result.rows_written == 6 and result.totals == 3
    assert [e["line"] for e in result.set_aside] == [4, 7, 10]


def test_a_lone_total_that_does_not_add_up_is_still_flagged(tmp_path):
    result = _imported(tmp_path, "faux.csv", "Région;Montant\nDakar;10\nThiès;20\nLouga;5\nTotal;99\n")
    assert result.rows_written == 4 and [e["line"] for e in result.suspect_totals] == [5]


def test_one_sum_of_two_rows_beside_a_column_that_is_no_sum_is_data(tmp_path):
    # A World Bank extract: 'IDA total' population is IDA blend + IDA only, its GDP per head is
    # no sum. One matching column over two rows is a coincidence of aggregates, not a subtotal.
    text = ("Country,GDP per capita,Population\nSenegal,1680.3,17763163\nMali,897.4,23293698\n"
            "IDA blend,1687.3,633230238\nIDA only,1424.8,1273152781\nIDA total,1511.0,1906383019\n")
    result = _imported(tmp_path, "wb.csv", text)
    assert result.rows_written == 5 and result.totals == 0
    assert [e["line"] for e in result.suspect_totals] == [6]


def test_two_sums_of_two_rows_beside_ratio_columns_are_a_subtotal(tmp_path):
    text = ("Country,Category,Spending,Users,Unit cost\nMali,Basic,183,2.7,67.4\nMali,Higher,73,0.5,140.7\n"
            "Mali,Total,256,3.2,79.2\nNiger,Basic,50,1.1,45.5\n")
    result = _imported(tmp_path, "cost.csv", text)
    assert result.rows_written == 3 and [(e["line"], e["reason"]) for e in result.set_aside] == [(4, "total")]


def test_a_row_labelled_total_whose_numbers_are_zeros_is_data(tmp_path):
    # Aid transactions: `TOTAL FREIGHT FOR BULGUR` is a freight line; its flags are 0 like the rows'.
    lines = ["id;description;montant;genre;climat"] + [f"{i};Aide alimentaire lot {i};{1000 + i};0;0" for i in range(6)]
    lines += ["7;TOTAL FREIGHT FOR BULGUR;0;0;0", "8;Transport régional;2500;0;0"]
    result = _imported(tmp_path, "aide.csv", "\n".join(lines) + "\n")
    assert result.rows_written == 8 and result.totals == 0


def test_a_sentence_that_begins_with_overall_is_no_total_label(tmp_path):
    lines = ["id;objectif;femmes;hommes"] + [f"{i};Former les agents de santé du district {i};{i};{i + 1}" for i in range(1, 5)]
    lines += ["5;Overall objective to support districts to improve the health of mothers and children;10;14"]
    result = _imported(tmp_path, "projets.csv", "\n".join(lines) + "\n")
    assert result.rows_written == 5 and result.totals == 0


def test_a_total_of_the_rows_at_its_own_level_in_a_two_level_table(tmp_path):
    # France Travail: `Grand domaine` rows, their `dont | Domaine` detail rows, shares and changes
    # beside the counts; TOTAL sums the level-one rows only.
    rows = [("Agriculture", "", 300, 0.3, -0.1), ("dont", "Engins", 100, 0.1, 0.5), ("", "Élevage", 200, 0.2, 0.1),
            ("Transport", "", 500, 0.5, 0.2), ("dont", "Logistique", 400, 0.4, -0.2), ("", "Aérien", 100, 0.1, 0.3),
            ("Santé", "", 200, 0.2, 0.0), ("Commerce", "", 0, 0.0, 0.0), ("Industrie", "", 0, 0.0, 0.0)]
    text = "Grand domaine;Domaine;Offres;Part;Évolution\n" + "".join(
        f"{a};{b};{n};{str(p).replace('.', ',')};{str(e).replace('.', ',')}\n" for a, b, n, p, e in rows)
    result = _imported(tmp_path, "offres.csv", text + "TOTAL;;1000;1,0;-0,05\n")
    assert result.rows_written == 9 and [(e["line"], e["reason"]) for e in result.set_aside] == [(11, "total")]


def test_a_label_repeated_on_rows_that_mostly_do_not_add_up_is_never_a_total(tmp_path):
    # WHO GHO: 'Population (in thousands) total' on many rows, one of which happens to match a sum.
    lines = ["Code;Indicateur;Année;Valeur"] + [f"WHS9_86;Population (in thousands) total;{2000 + i};{100 + i}"
                                               for i in range(6)]
    lines.insert(3, "WHS9_86;Population (in thousands) total;1999;201")   # = 100 + 101, above it
    result = _imported(tmp_path, "gho.csv", "\n".join(lines) + "\n")
    assert result.rows_written == 7 and result.totals == 0 and result.suspect_totals == []


LANDER = [("Bayern", 645568, 115974), ("Berlin", 171686, 49825), ("Hessen", 280220, 50551),
          ("Sachsen", 322754, 47967)]


def test_a_last_row_named_like_a_row_that_sums_every_column_is_a_total_and_its_split_too(tmp_path):
    """`Deutschland` under the Länder carries no total word, but each of its numbers is the sum of
    the rows above (and above their largest): a total; the two rows after it split it into groups
    whose numbers add up to it. All three set aside, named; the Länder stay."""
    west, east = ("Früheres Bundesgebiet", 645568 + 280220, 115974 + 50551), \
        ("Neue Länder einschließlich Berlin", 171686 + 322754, 49825 + 47967)
    country = ("Deutschland", sum(r[1] for r in LANDER), sum(r[2] for r in LANDER))
    path = tmp_path / "kita.csv"
    path.write_text("Bundesland;insgesamt;unter 3\n" + "".join(f"{a};{b};{c}\n" for a, b, c in [*LANDER, country, west, east]),
                    encoding="utf-8")
    result, lines, kept = _totals_and_kept(path, tmp_path)
    assert result.rows_written == 4 and result.rows_read == 7
    assert lines == [(6, "total"), (7, "total"), (8, "total")]
    assert kept.rows_written == 7


def _totals_and_kept(path, tmp_path):
    """Import `path`: its result, the (line, reason) of the lines set aside, and the result with --keep-totals."""
    database = tmp_path / "t.db"
    (result,) = import_file(path, database, ImportOptions(index=False))
    lines = sqlite3.connect(database).execute(
        "SELECT source_line, reason FROM _anomalies WHERE column_name IS NULL ORDER BY source_line").fetchall()
    (kept,) = import_file(path, tmp_path / "k.db", ImportOptions(index=False, keep_totals=True))
    return result, lines, kept


@pytest.mark.parametrize("rows", [
    # small codes whose last equals the sum above (0 + 1 + 2 = 3, a flag 1 + 0 + 0 = 1): a level, not a total
    [("Etat", 0, 1), ("District", 1, 0), ("Sous-district", 2, 0), ("Commune", 3, 1)],
    # one column adds up by chance, the other does not
    [("Dakar", 10, 5), ("Thiès", 20, 7), ("Kaolack", 30, 9), ("Fatick", 60, 4)],
], ids=["levels", "one-column"])
def test_an_unlabelled_last_row_is_data_unless_every_number_is_a_sum(tmp_path, rows):
    path = tmp_path / "t.csv"
    path.write_text("nom;a;b\n" + "".join(f"{a};{b};{c}\n" for a, b, c in rows), encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(index=False))
    assert result.rows_written == 4 and result.set_aside_count == 0


DEPARTMENTS = [("01", "Ain", 165000, 320000), ("02", "Aisne", 120000, 410000), ("03", "Allier", 70000, 260000),
               ("04", "Alpes-de-Haute-Provence", 30000, 130000)]
OVERSEAS = [("971", "Guadeloupe", 89427, 375693), ("972", "Martinique", 74732, 354824), ("973", "Guyane", 121182, 294146)]


def _sum(rows, label):
    return (label, "", sum(r[2] for r in rows), sum(r[3] for r in rows))


def test_subtotals_of_blocks_named_like_rows_and_their_grand_total_are_set_aside(tmp_path):
    """INSEE's layout: `France métropolitaine` closes the departments, `DOM` the overseas ones, then
    `France métropolitaine et DOM` sums the two; none says "total". Each number of each is the sum
    of its block (or of the subtotals): all three set aside, the departments stay."""
    metro, dom = _sum(DEPARTMENTS, "France métropolitaine"), _sum(OVERSEAS, "DOM")
    france = ("France métropolitaine et DOM", "", metro[2] + dom[2], metro[3] + dom[3])
    rows = [*DEPARTMENTS, metro, *OVERSEAS, dom, france]
    path = tmp_path / "pop.csv"
    path.write_text("code;département;0 à 19 ans;total\n" + "".join(";".join(map(str, r)) + "\n" for r in rows),
                    encoding="utf-8")
    result, lines, kept = _totals_and_kept(path, tmp_path)
    assert result.rows_written == 7 and result.rows_read == 10
    assert lines == [(6, "total"), (10, "total"), (11, "total")]
    assert kept.rows_written == 10


@pytest.mark.parametrize("rows", [
    # one column of the row is no sum of its block: data
    [*DEPARTMENTS, ("05", "Hautes-Alpes", sum(r[2] for r in DEPARTMENTS), 99), *OVERSEAS],
    # a sum of two rows only is no block total
    [DEPARTMENTS[0], DEPARTMENTS[1], ("05", "Hautes-Alpes", 285000, 730000), *OVERSEAS],
    # a row equal to the sum of its block in one column, the other column empty: too little
    [*DEPARTMENTS, ("05", "Hautes-Alpes", sum(r[2] for r in DEPARTMENTS), ""), *OVERSEAS],
], ids=["one-column", "two-rows", "one-value"])
def test_a_row_inside_the_table_is_data_unless_every_number_sums_its_block(tmp_path, rows):
    path = tmp_path / "t.csv"
    path.write_text("code;nom;a;b\n" + "".join(";".join(map(str, r)) + "\n" for r in rows), encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(index=False))
    assert result.rows_written == len(rows) and result.set_aside_count == 0


def test_aggregate_rows_of_a_dataset_stay_when_some_of_them_do_not_add_up(tmp_path):
    """A tidy dataset writes an aggregate row per block (`Permanent | Permanent`), and OPM's
    suppressed counts make some of them differ from their block's sum: setting aside those that add
    up and keeping the others would leave the table half aggregated. All stay rows."""
    lines = []
    for quarter, suppressed in (("1998-09", ""), ("1999-09", "14")):
        block = [("Permanent", f"Service {k}", 1000 * k, 2100 * k, suppressed if k == 1 else "") for k in (1, 2, 3)]
        extra = 23 if suppressed else ""
        lines += [*block, ("Permanent", "Permanent", 6000, 12600, extra)]
    path = tmp_path / "toa.csv"
    path.write_text("toa,toa_sub,female,all,unspecified\n" + "".join(",".join(map(str, r)) + "\n" for r in lines),
                    encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(index=False))
    assert result.rows_written == 8 and result.set_aside_count == 0


STATES = [("New South Wales", 2374362, 57.8, 1736838), ("Victoria", 2145629, 64.9, 1161098),
          ("Queensland", 1487060, 60.7, 961015), ("Tasmania", 191948, 63.6, 109655)]


@pytest.mark.parametrize("share, total", [(61.0, True), (80.0, False)], ids=["within", "outside"])
def test_a_last_row_whose_counts_sum_and_whose_share_lies_among_the_rows_is_a_total(tmp_path, share, total):
    """ABS: `Australia` under the states, its counts their sums, its share (61.0 %) no sum but
    between the states' (57.8-64.9 %), as a total's share is; a share outside them is no total's."""
    australia = ("Australia", sum(r[1] for r in STATES), share, sum(r[3] for r in STATES))
    path = tmp_path / "t.csv"
    path.write_text("state;yes;yes %;no\n" + "".join(";".join(map(str, r)) + "\n" for r in [*STATES, australia]),
                    encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(index=False))
    assert result.set_aside_count == (1 if total else 0) and result.rows_written == (4 if total else 5)


def test_a_misfit_kept_as_text_in_a_number_column_does_not_break_the_last_rows_check(tmp_path):
    """One `secret` among 150 numbers is kept as text in an INTEGER column; the sums and the largest
    value of the rows above a last row are taken over the numbers only (before: TypeError, int
    against str, when the sums matched)."""
    rows = [(f"Commune {i}", 10 + i, "secret" if i == 3 else 5 + i) for i in range(150)]
    country = ("Sénégal", sum(r[1] for r in rows), sum(r[2] for r in rows if r[2] != "secret"))
    path = tmp_path / "t.csv"
    path.write_text("région;a;b\n" + "".join(f"{a};{b};{c}\n" for a, b, c in [*rows, country]), encoding="utf-8")
    database = tmp_path / "t.db"
    (result,) = import_file(path, database, ImportOptions(index=False))
    assert [c.type for c in result.columns] == ["TEXT", "INTEGER", "INTEGER"]
    assert result.rows_written == 150 and result.rows_read == 151
    assert sqlite3.connect(database).execute(
        "SELECT source_line, reason FROM _anomalies WHERE column_name IS NULL").fetchall() == [(152, "total")]


def test_a_set_aside_total_is_quoted_as_the_file_writes_it(tmp_path):
    # The report and _anomalies quote the line (`2 497 500`), not the numbers stored from it: at
    # the end of the table (kept from the stream) and for subtotals higher up (the table read again).
    rows = ["Région;Département;Dépenses"]
    for region, count in (("Dakar", 150), ("Thiès", 120)):
        values = [1_000 * (i + 1) + 7 for i in range(count)]
        rows += [f"{region};{region} {i};{value:,}".replace(",", "\u202f") for i, value in enumerate(values)]
        rows.append(f"Total {region};;{sum(values):,}".replace(",", "\u202f"))
    rows.append("TOTAL GÉNÉRAL;;18\u202f586\u202f890")      # 11 326 050 + 7 260 840
    result = _imported(tmp_path, "depenses.csv", "\n".join(rows) + "\n")
    assert result.rows_written == 270 and result.totals == 3
    expected = {152: "Total Dakar;;11\u202f326\u202f050", 273: "Total Thiès;;7\u202f260\u202f840",
                274: "TOTAL GÉNÉRAL;;18\u202f586\u202f890"}
    assert {e["line"]: e["text"] for e in result.set_aside} == {line: text.replace("\u202f", " ")
                                                                for line, text in expected.items()}   # on one line
    stored = sqlite3.connect(tmp_path / "t.db").execute(
        "SELECT source_line, raw_value FROM _anomalies WHERE reason = 'total' ORDER BY source_line").fetchall()
    assert dict(stored) == expected


def test_a_row_named_like_the_others_is_a_total_only_when_it_adds_up_exactly(tmp_path):
    # Found by the round-trip property test: 1 518 beside 21 + 1 500 (0.2 % off, the rounding a
    # row labelled TOTAL may have) and 2 | 2 over 1 | 1 and 1 | 1 (a column and its copy: one
    # coincidence, not two sums) are rows; the same rows under a TOTAL label stay totals.
    near = "Bureau,Inscrits,Votants\nAa,0,0\nBb,21,20\nCc,1 500,1 480\nDd,1 518,1 497\nEe,3,2\n"
    result = _imported(tmp_path, "near.csv", near)
    assert result.rows_written == 5 and result.totals == 0
    copies = "Bureau,Inscrits,Copie\nAa,0,0\nBb,1,1\nCc,1,1\nDd,2,2\n" + "Ee,0,0\n" * 6
    result = _imported(tmp_path, "copies.csv", copies)
    assert result.rows_written == 10 and result.totals == 0
    # One block that its next row sums (10 | 11 over 1 | 1 and 9 | 10): chance as often as a subtotal.
    once = "Bureau,Inscrits,Votants\nAa,0,0\nBb,1,1\nCc,9,10\nDd,10,11\n" + "Ee,0,0\n" * 6
    result = _imported(tmp_path, "once.csv", once)
    assert result.rows_written == 10 and result.totals == 0
    labelled = near.replace("Dd,", "TOTAL,").replace("Ee,3,2\n", "")
    result = _imported(tmp_path, "labelled.csv", labelled)
    assert result.rows_written == 3 and [e["line"] for e in result.set_aside] == [5]


def test_codes_and_years_that_happen_to_add_up_do_not_make_a_total(tmp_path):
    # The OECD's list of types of finance (DAC and CRS code lists, `Type of finance` sheet): under
    # `NON FLOW ITEMS` the subcodes 1, 2, 3, 4, and subcode 3 is `Total Flows % GNI`. 3 = 1 + 2 in
    # the subcode column and in its French copy: the row was set aside as a total. Codes, years and
    # identifiers are no quantities: a label like a total proves nothing with them alone.
    codes = ("Code;Heading;Subcode;Name;Code FR;Sous-code;Nom\n0;NON FLOW ITEMS;;Non resource flow items;0;;Autres\n"
             ";;1;GNI: Gross National Income;;1;RNB\n;;2;ODA % GNI;;2;APD en % du RNB\n"
             ";;3;Total Flows % GNI;;3;Apports totaux en % du RNB\n;;4;Population;;4;Population\n"
             "100;GRANTS;;;100;;DONS\n;Standard grant;110;Grants are transfers;;110;Dons ordinaires\n")
    result = _imported(tmp_path, "types.csv", codes)
    assert result.rows_written == 7 and result.totals == 0
    # A count beside the code still makes a total of a row that adds up.
    counted = "Code;Région;Population\n1;Dakar;100\n2;Thiès;50\n3;Total;150\n"
    result = _imported(tmp_path, "pop.csv", counted)
    assert result.rows_written == 2 and [e["line"] for e in result.set_aside] == [4]


def test_an_all_label_is_a_total_label(tmp_path):
    # `All ages`, `All Traffic`, `All items`: the English statistics offices' totals; a total of
    # values rounded to thousands is a few units off the sum, which only a total's label allows.
    result = _imported(tmp_path, "ages.csv", "Age,Persons,Households\n0-14,12345,4012\n15-64,40321,13555\n"
                       "65+,9876,3301\nAll ages,62544,20870\n")
    assert result.rows_written == 3 and [e["line"] for e in result.set_aside] == [5]


def test_measures_named_total_are_no_suspect_totals(tmp_path):
    # A World Bank extract of one country: one row per indicator, several named `…, total`.
    indicators = ["Population, total", "Labor force, total", "GDP (current US$)", "Population ages 15-64, total",
                  "Urban population", "Unemployment, total (% of total labor force)", "Exports of goods, total",
                  "Imports of goods, total"]
    text = "Indicator Name,2021,2022\n" + "".join(f'"{name}",{1000 + 37 * i},{1100 + 41 * i}\n'
                                                   for i, name in enumerate(indicators))
    result = _imported(tmp_path, "API_SEN.csv", text)
    assert result.rows_written == len(indicators) and result.suspect_totals == [] and result.totals == 0


def test_a_total_smaller_than_a_row_it_would_sum_is_not_suspect(tmp_path):
    result = _imported(tmp_path, "budget.csv", "Poste;Montant\nSalaires;5 000\nLoyers;1 200\n"
                       "Total des frais bancaires;40\nÉlectricité;300\n")
    assert result.rows_written == 4 and result.suspect_totals == []
    result = _imported(tmp_path, "budget.csv", "Poste;Montant\nSalaires;5 000\nLoyers;1 200\nTotal;6 000\n")
    assert [e["line"] for e in result.suspect_totals] == [4]      # it poses as the sum, and is 200 off


def test_a_subtotal_of_a_group_of_one_row_in_a_table_of_subtotals(tmp_path):
    # tidysheet's example: `Total group B` repeats its group's one row, under `Total group A`, which adds up.
    result = _imported(tmp_path, "groupes.csv", "Ensemble;A;B\nset 1;10;1\nset 2;20;0\nset 3;30;0\n"
                       "Total group A;60;1\nset 1;40;2\nTotal group B;40;2\n")
    assert result.rows_written == 4 and sorted(e["line"] for e in result.set_aside) == [5, 7]
    assert result.suspect_totals == []


def test_a_total_that_holds_more_than_the_rows_above_is_kept(tmp_path):
    # Destatis' culture spending: `Insgesamt` under the Länder includes the federal government's
    # spending; two columns happen to be the Länder's sums, the others are more. Setting the row
    # aside would hide the only federal figures.
    rows = [("Baden-Württemberg", 300.5, 120.0, 40.0, 20.0, 10.0, 490.5), ("Bayern", 410.0, 150.0, 55.0, 30.0, 12.0, 657.0),
            ("Berlin", 280.0, 90.0, 35.0, 25.0, 8.0, 438.0), ("Hamburg", 150.0, 60.0, 20.0, 15.0, 6.0, 251.0),
            ("Sachsen", 260.0, 100.0, 30.0, 18.0, 9.0, 417.0)]
    text = "Land;Theater;Bibliotheken;Museen;Kunsthochschulen;Verwaltung;Insgesamt\n" + "".join(
        ";".join([name] + [str(v).replace(".", ",") for v in values]) + "\n" for name, *values in rows)
    text += "Insgesamt;1500,0;700,0;260,0;108,0;45,0;2613,0\n"       # Kunsthochschulen and Verwaltung are the sums
    result = _imported(tmp_path, "kultur.csv", text)
    assert result.rows_written == 6 and result.totals == 0


def test_a_state_total_named_like_a_row_beside_as_many_share_columns(tmp_path):
    # Baden-Württemberg's 2025 results by constituency: each count beside its share (`_rel`), a
    # party standing in a few constituencies only; the last row, `BW`, sums the 38 constituencies.
    import random

    generator = random.Random(7)
    header = ["Wahlkreisnummer", "Wahlkreisname", "Wahlberechtigte"]
    parties = ["CDU", "GRUENE", "SPD", "AfD", "FDP", "Volt"]
    header += [f"{p}_Stimmen" for p in parties] + [f"{p}_Stimmen_rel" for p in parties]
    rows = []
    for number in range(258, 296):
        voters = generator.randint(150_000, 220_000)
        counts = [generator.randint(5_000, 60_000) for _ in parties[:-1]] + [
            generator.randint(300, 900) if number % 7 == 0 else None]
        rows.append([str(number), f"Wahlkreis {number}", voters] + counts +
                    [None if c is None else round(c / voters, 4) for c in counts])
    total = ["BW", "Baden-Württemberg", sum(r[2] for r in rows)] + [
        sum(r[3 + i] or 0 for r in rows) for i in range(len(parties))]
    total += [round(c / total[2], 4) for c in total[3:3 + len(parties)]]
    text = ",".join(header) + "\n" + "".join(",".join("" if v is None else str(v) for v in r) + "\n" for r in rows + [total])
    result = _imported(tmp_path, "btw25.csv", text)
    assert result.rows_written == 38 and [e["line"] for e in result.set_aside] == [40]


def test_a_total_right_under_the_header_is_a_total_not_a_row_describing_the_columns(tmp_path):
    # SRF's pharma payments: `not specified,"Total",…` first, then the companies by id. It was
    # set aside as metadata under the labels, which --keep-totals could not bring back.
    companies = [(41, "Novartis", 26601677, 16233767), (47, "Roche", 11657607, 6998109), (12, "Pfizer", 5000000, 2000000),
                 (13, "Bayer", 3000000, 1000000), (14, "Sanofi", 2500000, 900000), (15, "Merck", 1200000, 400000)]
    total = ("not specified", "Total", sum(c[2] for c in companies), sum(c[3] for c in companies))
    text = "company_ID,company,total_amount_CHF,research_and_development\n" + "".join(
        ",".join(map(str, row)) + "\n" for row in [total] + companies)
    result = _imported(tmp_path, "pharma.csv", text)
    assert result.rows_written == 6 and [(e["line"], e["reason"]) for e in result.set_aside] == [(2, "total")]
    (tmp_path / "k").mkdir()
    assert _imported(tmp_path / "k", "pharma.csv", text, keep_totals=True).rows_written == 7


def test_a_total_under_one_row_with_an_empty_cell_is_checked_without_failing(tmp_path):
    """The one row above a suspect total has an empty cell: its sum is SQL's NULL, no number
    (a World Bank sheet with empty years failed there with a TypeError)."""
    text = ("Libellé;A;B\nx;10;20\ny;5;7\nTotal un;15;27\nz;3;\nTotal deux;4;9\n")
    result = _imported(tmp_path, "vides.csv", text)
    assert result.rows_written == 4 and result.totals == 1
    assert [s["line"] for s in result.suspect_totals] == [6]


def test_many_measures_named_like_totals_are_rows_even_where_a_few_add_up(tmp_path):
    """An indicator list: `Total reserves`, `Total debt service`… add up to nothing; the two
    `Total population …` rows that happen to equal the rows above them are measures all the same."""
    lines = ["Country Name;Indicator Name;2021;2022"]
    measures = [("Population, female", 100, 110), ("Population, male", 90, 95), ("Total population count", 190, 205),
                ("Rural people", 40, 41), ("Urban people", 150, 164), ("Total population living", 190, 205),
                ("Total reserves (current US$)", 7, 8), ("Total debt service (% of GNI)", 2, 3),
                ("Total fisheries production", 5, 6), ("Total tax rate", 9, 9), ("Total natural resources rents", 1, 2),
                ("Total greenhouse gas emissions", 30, 31)]
    lines += [f"Mali;{name};{a};{b}" for name, a, b in measures]
    result = _imported(tmp_path, "wdi_mali.csv", "\n".join(lines) + "\n")
    assert result.rows_written == 12 and result.totals == 0


def test_a_measure_written_name_comma_total_is_no_total(tmp_path):
    lines = ["Country Name;Indicator Name;2021", "Mali;Population ages 0-14, female;10", "Mali;Population ages 0-14, male;12",
             "Mali;Population ages 0-14, total;22", "Mali;Urban population;9", "Mali;Rural population;13"]
    result = _imported(tmp_path, "wdi_ages.csv", "\n".join(lines) + "\n")
    assert result.rows_written == 5 and result.totals == 0


def test_a_first_row_named_like_the_others_that_sums_every_row_under_it_is_a_total(tmp_path):
    """`Tunisia` written first, over its governorates (INS census tables): every count is the
    sum of all the rows under it."""
    governorates = [("Tunis", 291806, 291806, 0), ("Ariana", 164430, 143690, 20740), ("Ben Arous", 180360, 160090, 20270),
                    ("Manouba", 105300, 79820, 25480), ("Nabeul", 222500, 148230, 74270), ("Zaghouan", 50060, 21210, 28850)]
    total = tuple(sum(row[i] for row in governorates) for i in (1, 2, 3))
    lines = ["Gouvernorat;Ménages;Communal;Rural", "Tunisia;%d;%d;%d" % total]
    lines += [";".join(map(str, row)) for row in governorates]
    result = _imported(tmp_path, "menages.csv", "\n".join(lines) + "\n")
    assert result.rows_written == 6 and [(e["line"], e["reason"]) for e in result.set_aside] == [(2, "total")]


def test_a_first_row_that_is_not_the_sum_of_the_rows_under_it_stays(tmp_path):
    lines = ["Gouvernorat;Ménages;Communal", "Tunis;291806;291806", "Ariana;164430;143690", "Ben Arous;180360;160090",
             "Manouba;105300;79820"]
    result = _imported(tmp_path, "menages2.csv", "\n".join(lines) + "\n")
    assert result.rows_written == 4 and result.totals == 0


def test_a_total_of_one_level_of_a_long_table_with_a_column_of_levels(tmp_path):
    """A situation report: `Province` rows, each over its `Health zone` rows, and `Total` in the
    level column: the total sums the provinces (the rows above it add up to twice as much)."""
    provinces = {"Ituri": [(296, 48), (450, 120), (251, 58)], "North Kivu": [(28, 13), (66, 37)], "South Kivu": [(3, 1)]}
    lines = ["level,province,region,cases,deaths"]
    for province, zones in provinces.items():
        lines.append(f"Province,{province},{province},{sum(z[0] for z in zones)},{sum(z[1] for z in zones)}")
        lines += [f"Health zone,{province},Zone {province} {n},{cases},{deaths}" for n, (cases, deaths) in enumerate(zones)]
    cases = sum(z[0] for zones in provinces.values() for z in zones)
    deaths = sum(z[1] for zones in provinces.values() for z in zones)
    lines.append(f"Total,All provinces,TOTAL,{cases},{deaths}")
    result = _imported(tmp_path, "sitrep.csv", "\n".join(lines) + "\n")
    assert result.rows_written == 9 and [(e["line"], e["reason"]) for e in result.set_aside] == [(11, "total")]
    assert result.suspect_totals == []


def test_a_total_over_values_hidden_by_secrecy_is_judged_on_the_columns_fully_known(tmp_path):
    """`nc` (statistical secrecy) hides some fees: the total holds them, the visible rows do not.
    The head counts, known on every row, add up: the row is a total."""
    lines = ["Département;Effectifs;Honoraires;Dépassements"]
    data = [("Ain", 52, 3100, 120), ("Aisne", 40, 2500, "nc"), ("Allier", 31, 1900, 80), ("Alpes", 12, "nc", "nc"),
            ("Ardèche", 25, 1500, 60)]
    lines += [";".join(map(str, row)) for row in data]
    lines.append("TOTAL FRANCE METROPOLITAINE;160;9900;330")
    result = _imported(tmp_path, "honoraires.csv", "\n".join(lines) + "\n")
    assert result.rows_written == 5 and [(e["line"], e["reason"]) for e in result.set_aside] == [(7, "total")]


def test_japanese_and_italian_total_labels(tmp_path):
    """計 (total) under the two rows of an age group, other rows after it; `Totale Isole` under its
    two regions: two rows are too few for a sum alone to say so, the label says these are totals."""
    parts = [("自動車乗車中", 2, 5), ("歩行中", 9, 13)]
    lines = ["年齢層;状態;2010;2011"] + [f"9歳以下;{n};{a};{b}" for n, a, b in parts]
    lines += [f";計;{sum(p[1] for p in parts)};{sum(p[2] for p in parts)}", "10-19歳;自動車乗車中;27;24",
              "10-19歳;歩行中;3;11"]
    result = _imported(tmp_path, "jp.csv", "\n".join(lines) + "\n")
    assert result.rows_written == 4 and [(e["line"], e["reason"]) for e in result.set_aside] == [(4, "total")]
    text = "Regione;Casi;Decessi\nSicilia;80;6\nSardegna;41;2\nTotale Isole;121;8\nLazio;120;8\nToscana;95;5\n"
    result = _imported(tmp_path, "it.csv", text)
    assert result.rows_written == 4 and [(e["line"], e["reason"]) for e in result.set_aside] == [(4, "total")]


def test_a_long_name_starting_with_all_is_no_total(tmp_path):
    """A lottery's beneficiaries: `ALL HALLOWS PRE-SCHOOL AND DAY CARE` is a name, no total to
    warn about; `All regions` under the rows is one."""
    path = tmp_path / "grants.csv"
    path.write_text("Beneficiary,Amount,Grants\nALPHA SCHOOL,100,2\nBETA CLINIC,200,3\n"
                    "ALL HALLOWS PRE-SCHOOL AND DAY CARE,50,1\nGAMMA,70,1\nDELTA,20,4\nAll regions,440,11\n", encoding="utf-8")
    (result,) = import_file(path, tmp_path / "g.db", ImportOptions(search=False))
    assert result.suspect_totals == []
    assert [(e["line"], e["reason"]) for e in result.set_aside] == [(7, "total")]
    assert result.rows_written == 5


def test_a_total_labelled_in_the_date_column_that_names_the_rows(tmp_path):
    """`Report date | Cases` then `Total | 2737990`: the label is a misfit of a DATE column, the
    row the sum of the days: set aside, and no `Total` left among the dates as not-a-date."""
    days = [(f"2021-{m:02d}-{d:02d}", 10 * d + m) for m in range(1, 5) for d in range(1, 29)]
    lines = ["Report date,Cases"] + [f"{day},{n}" for day, n in days] + [f"Total,{sum(n for _, n in days)}"]
    result = _imported(tmp_path, "cases.csv", "\n".join(lines) + "\n")
    assert [(e["line"], e["reason"]) for e in result.set_aside] == [(len(days) + 2, "total")]
    assert result.columns[0].type == "DATE" and result.columns[0].anomalies == 0


def test_a_country_first_whose_confidence_intervals_are_narrower_than_its_districts(tmp_path):
    """BFS: `Switzerland` over its districts, each count beside its confidence interval; the
    country's intervals are narrower than any district's. Three exact sums: the total, set aside."""
    districts = [(101, f"Bezirk {i}", 40000 + 977 * i, 3.1 + i / 10, 4600 + 31 * i, 9.9 - i / 10, 16800 + 57 * i, 4.9)
                 for i in range(12)]
    country = ("", "Switzerland", *(sum(d[k] for d in districts) if k in (2, 4, 6) else 0.08 for k in range(2, 8)))
    lines = ["DistrictId;Name;Total;CI total;Compulsory;CI compulsory;Secondary;CI secondary"]
    lines += [";".join(str(v).replace(".", ",") for v in row) for row in [country] + districts]
    result = _imported(tmp_path, "bfs.csv", "\n".join(lines) + "\n")
    assert [(e["line"], e["reason"]) for e in result.set_aside] == [(2, "total")]
    assert result.rows_written == len(districts)


def test_a_bare_total_under_the_one_row_it_sums(tmp_path):
    """A contest with one precinct: `Total:` repeats its numbers. The label says nothing but total:
    set aside. A supplier named TOTAL SÉNÉGAL equal to the row above stays (tested above)."""
    result = _imported(tmp_path, "contest.csv", "Precinct;Smith;Jones;Write-in\nOsawatomie 1;501;130;143\nTotal:;501;130;143\n")
    assert [(e["line"], e["reason"]) for e in result.set_aside] == [(3, "total")] and result.rows_written == 1
