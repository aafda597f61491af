"""Delimiters nobody expects, on strong evidence only: `:` `^` `~` make a table when the first
record is a header of words as wide as the records; a column of times or URLs stays one column."""

from __future__ import annotations

import pytest

from datactiviste.ingest.header import detect_delimiter


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
