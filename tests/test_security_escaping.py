"""The one escaping rule set (datactiviste.safety): HTML text, links, spreadsheet formulas."""

import pytest

from datactiviste.safety import escape_html, link_html, neutralise_formula, safe_href


@pytest.mark.parametrize("value", [
    "=1+1", "@SUM(A1)", "-2+3", "+A1", "=cmd|' /C calc'!A0", '=HYPERLINK("http://x","clic")',
    "  =1+1", "\t=1", "\r=1", "\n=1", " \n @SUM(A1)", "\uff1dcmd", "\uff0b1+1", "\uff0d1", "\uff20A1",
    "\u00a0=1", "\u3000=1", "\tplain", "\rplain",
])
def test_formulas_are_neutralised(value):
    assert neutralise_formula(value) == "'" + value


@pytest.mark.parametrize("value", [
    "-12", "-12,5", "-3.5", "+33", "-1e5", "1e-3", "-1 234,5", "  -12,5", "-", "", "Thiès", "a=b",
    "mail@example.org", "N° 12 - rue",
])
def test_numbers_and_text_are_kept(value):
    assert neutralise_formula(value) == value


def test_non_text_values_are_kept():
    assert neutralise_formula(-5) == -5 and neutralise_formula(None) is None
    assert neutralise_formula(b"=x") == b"=x" and neutralise_formula(-2.5) == -2.5


def test_escape_html_escapes_every_special_character():
    assert escape_html('<img src=x onerror="alert(1)">\'&') == (
        "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#x27;&amp;")
    assert escape_html(None) == "" and escape_html(12) == "12"


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JavaScript:alert(1)", "java\tscript:alert(1)", " \x01javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>", "vbscript:x", "//evil.example/", "ftp://x.org/",
    "http:/x", "http://[", "", None, 12,
])
def test_only_http_links_survive(url):
    assert safe_href(url) is None
    assert "<a" not in link_html(url, "source")


def test_http_links_are_kept_and_escaped():
    assert safe_href("https://data.gouv.sn/x?a=1&b=2") == "https://data.gouv.sn/x?a=1&b=2"
    assert link_html('https://x.org/?q="><script>', "<b>") == (
        '<a href="https://x.org/?q=&quot;&gt;&lt;script&gt;" rel="noopener noreferrer">&lt;b&gt;</a>')


def test_chart_csv_download_neutralises_formulas_in_labels(tmp_path):
    import sqlite3
    from urllib.parse import unquote

    from datactiviste.charts import ChartSpec, make_chart

    db = tmp_path / "f.db"
    connection = sqlite3.connect(db)
    connection.execute("CREATE TABLE t (poste TEXT, montant REAL)")
    connection.executemany("INSERT INTO t VALUES (?, ?)", [("=cmd|' /C calc'!A0", 10), ("@SUM(A1)", 5),
                                                            ("  =HYPERLINK(\"x\")", 3), ("Santé", 7)])
    connection.commit()
    connection.close()
    result = make_chart(ChartSpec(type="bar", db=str(db), table="t", x="poste", y="montant"), tmp_path / "c")
    html = result.files["html"].read_text("utf-8")
    csv_text = unquote(html.split('href="data:text/csv;charset=utf-8,', 1)[1].split('"', 1)[0])
    lines = csv_text.lstrip("\ufeff").splitlines()
    assert any(line.startswith("'=cmd") or line.startswith("\"'=cmd") for line in lines)
    assert any(line.startswith("'@SUM") for line in lines)
    assert not any(line.lstrip(' "').startswith(("=", "@")) for line in lines)
    assert any(line.startswith("Santé;7") for line in lines)
