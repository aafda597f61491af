"""Delimiters nobody expects, on strong evidence only: `:` `^` `~` make a table when the first
record is a header of words as wide as the records; a column of times or URLs stays one column."""

from __future__ import annotations

import pytest

from datactiviste.ingest.delimiters import detect_delimiter


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


def test_backslash_escapes_are_read_when_they_make_the_table_regular(tmp_path):
    from datactiviste.ingest.load import ImportOptions, import_file

    path = tmp_path / "films.csv"
    path.write_text('titre,année,note\nDr. Seltsam\\, oder wie ich lernte,1964,8.6\nMetropolis,1927,8.4\n'
                    '"Venture \\"Extended\\"",1999,7.1\nLa Noire de…,1966,7.3\n', encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(index=False))
    assert [c.label for c in result.columns] == ["titre", "année", "note"] and result.rows_written == 4
    import sqlite3
    titles = [r[0] for r in sqlite3.connect(tmp_path / "t.db").execute("SELECT titre FROM films ORDER BY rowid")]
    assert titles == ["Dr. Seltsam, oder wie ich lernte", "Metropolis", 'Venture "Extended"', "La Noire de…"]


def test_backslashes_of_paths_are_kept(tmp_path):
    from datactiviste.ingest.load import ImportOptions, import_file

    path = tmp_path / "fichiers.csv"
    path.write_text("nom;chemin\nbudget;C:\\Donnees\\budget.xlsx\nrapport;D:\\Partage\\rapport.pdf\n"
                    "carte;C:\\Cartes\\regions.geojson\n", encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(index=False))
    import sqlite3
    paths = [r[0] for r in sqlite3.connect(tmp_path / "t.db").execute("SELECT chemin FROM fichiers ORDER BY rowid")]
    assert paths == ["C:\\Donnees\\budget.xlsx", "D:\\Partage\\rapport.pdf", "C:\\Cartes\\regions.geojson"]
