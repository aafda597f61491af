"""`datactiviste csvkit` and `datactiviste sqlite-utils` cases, each with the right answer.

Every case runs a tool on the cp1252 `;` French file of tests/french_csv.py with no encoding,
delimiter, locale or date option, and checks its output against answers computed from the same
rows. One list for two runners: the installed package (tests/test_classic_tools.py) and the
frozen program (tests/test_dist_smoke.py). `run(*args)` returns an object with `.returncode`,
`.out` and `.err`, run in `folder`, where `prepare(folder)` wrote the input files.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

from tests.french_csv import REGIONS, amount, mean_amount, names_by_date, rows, write_french_csv, write_regions_csv

CSVKIT = ("in2csv", "csvcut", "csvgrep", "csvstat", "csvsort", "csvjoin", "csvstack", "csvlook",
          "csvformat", "csvclean", "csvjson")
SQLITE_UTILS = ("insert", "tables", "query", "convert", "transform", "extract", "enable-fts", "search")


def prepare(folder: Path) -> None:
    write_french_csv(folder / "paiements.csv")
    write_french_csv(folder / "paiements_2.csv")
    write_french_csv(folder / "sans_titre.csv", title=False)
    write_regions_csv(folder / "regions.csv")


def _table(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def _ok(result):
    assert result.returncode == 0, f"exit {result.returncode}\n{result.out}\n{result.err}"
    assert "Traceback" not in result.err
    return result


def _detected(result):
    """The one stderr line that says what our detection told the tool."""
    lines = [line for line in result.err.splitlines() if "détecté" in line]
    assert len(lines) == 1 and "-e cp1252" in lines[0] and "-d ';'" in lines[0], result.err
    return lines[0]


def check_in2csv(run):
    result = _ok(run("csvkit", "in2csv", "paiements.csv"))
    table = _table(result.out)
    assert [row["Date de paiement"] for row in table] == [
        "-".join(reversed(r[3].split("/"))) for r in rows()]            # 03/02/2018 is 3 February
    assert [Decimal(row["Montant (FCFA)"]) if row["Montant (FCFA)"] else None for row in table] == [
        amount(r[4]) for r in rows()]                                   # 1 234,50 and nd understood


def check_csvcut(run):
    result = _ok(run("csvkit", "csvcut", "-c", "2,3", "paiements.csv"))
    table = _table(result.out)
    assert list(table[0]) == ["Bénéficiaire", "Commune"]                # accents decoded, title skipped
    assert [row["Bénéficiaire"] for row in table] == [r[1] for r in rows()]


def check_csvgrep(run):
    result = _ok(run("csvkit", "csvgrep", "-c", "Commune", "-m", "Thiès", "paiements.csv"))
    assert [row["Code commune"] for row in _table(result.out)] == [r[0] for r in rows() if r[2] == "Thiès"]


def check_csvstat(run):
    result = _ok(run("csvkit", "csvstat", "-c", "Montant (FCFA)", "--mean", "paiements.csv"))
    assert Decimal(result.out.strip()) == round(mean_amount(), 3)       # comma decimals, nd left out
    assert "-L fr_FR" in _detected(result) and "--null-value nd" in _detected(result)


def check_csvsort(run):
    result = _ok(run("csvkit", "csvsort", "-c", "Date de paiement", "paiements.csv"))
    assert [row["Bénéficiaire"] for row in _table(result.out)] == names_by_date()   # dd/mm/yyyy
    assert "--date-format %d/%m/%Y" in _detected(result)


def check_csvjoin(run):
    result = _ok(run("csvkit", "csvjoin", "-c", "Code commune", "paiements.csv", "regions.csv"))
    table = _table(result.out)
    assert [row["Région"] for row in table] == [REGIONS[r[2]] for r in rows()]
    assert table[0]["Code commune"] == rows()[0][0]                     # 01001 keeps its zero


def check_csvstack(run):
    result = _ok(run("csvkit", "csvstack", "paiements.csv", "paiements_2.csv"))
    assert len(_table(result.out)) == 2 * len(rows())


def check_csvlook(run):
    result = _ok(run("csvkit", "csvlook", "paiements.csv"))
    lines = result.out.splitlines()
    assert lines[0].startswith("| Code commune | Bénéficiaire") and len(lines) == 2 + len(rows())
    assert "| 01001 " in lines[2] and "2018-01-01" in lines[2]


def check_csvformat(run):
    result = _ok(run("csvkit", "csvformat", "-D", "|", "paiements.csv"))
    assert result.out.splitlines()[0] == "Code commune|Bénéficiaire|Commune|Date de paiement|Montant (FCFA)|Payé"


def check_csvclean(run):
    result = _ok(run("csvkit", "csvclean", "-a", "paiements.csv"))
    assert len(_table(result.out)) == len(rows())                       # nothing to fix in this file


def check_csvjson(run):
    data = json.loads(_ok(run("csvkit", "csvjson", "paiements.csv")).out)
    values = [Decimal(str(row["Montant (FCFA)"])) for row in data if row["Montant (FCFA)"] is not None]
    assert round(sum(values) / len(values), 6) == round(mean_amount(), 6)
    assert data[0]["Code commune"] == "01001"


def check_sqlite_utils(run, folder: Path):
    """The sqlite-utils commands a tutorial uses, one after the other on one database."""
    result = _ok(run("sqlite-utils", "insert", "base.db", "paiements", "sans_titre.csv", "--csv"))
    assert "--encoding cp1252 --delimiter ';'" in result.err
    counts = {t["table"]: t["count"] for t in json.loads(_ok(run("sqlite-utils", "tables", "base.db", "--counts")).out)}
    assert counts == {"paiements": len(rows())}
    thies = json.loads(_ok(run("sqlite-utils", "query", "base.db",
                               "SELECT count(*) AS n FROM paiements WHERE Commune = 'Thiès'")).out)
    assert thies == [{"n": sum(r[2] == "Thiès" for r in rows())}]
    _ok(run("sqlite-utils", "convert", "base.db", "paiements", "Montant (FCFA)",
            "None if value == 'nd' else float(value.replace('\u00a0', '').replace(',', '.'))"))
    _ok(run("sqlite-utils", "transform", "base.db", "paiements", "--type", "Montant (FCFA)", "float",
            "--rename", "Bénéficiaire", "beneficiaire"))
    total = json.loads(_ok(run("sqlite-utils", "query", "base.db",
                               'SELECT round(avg("Montant (FCFA)"), 3) AS m FROM paiements')).out)
    assert Decimal(str(total[0]["m"])) == round(mean_amount(), 3)
    _ok(run("sqlite-utils", "extract", "base.db", "paiements", "Commune"))
    communes = json.loads(_ok(run("sqlite-utils", "query", "base.db", "SELECT count(*) AS n FROM Commune")).out)
    assert communes == [{"n": len({r[2] for r in rows()})}]
    _ok(run("sqlite-utils", "enable-fts", "base.db", "paiements", "beneficiaire", "--fts5",
            "--tokenize", "unicode61 remove_diacritics 2", "--create-triggers"))
    found = json.loads(_ok(run("sqlite-utils", "search", "base.db", "paiements", "senegal")).out)
    assert sorted(row["beneficiaire"] for row in found) == sorted(
        r[1] for r in rows() if r[1] in ("SENEGAL SERVICES", "Centre de santé Sénégal"))


CSVKIT_CHECKS = {name: globals()[f"check_{name}"] for name in CSVKIT}
