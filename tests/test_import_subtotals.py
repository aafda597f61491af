"""Totals over a hierarchy: subtotals written over their parts (INDEC, CONAPO, a Tunisian sector
over its branches) or closing their blocks (Kansas counties under their precincts), the total that
sums the top level, and the subtotals kept as rows named in the report (sums.py, totals.py)."""

from __future__ import annotations

from datactiviste.ingest.report import render_import
from tests.test_import_setaside import _imported



def test_a_total_over_rows_some_of_which_are_split_into_parts(tmp_path):
    """INDEC's census: `Total` first, then the provinces, Buenos Aires followed by its two parts
    (`24 Partidos`, `Resto`): the total sums the provinces, not the provinces and the parts. The
    subtotal and its parts stay rows (the levels are the data's); the total is set aside."""
    provinces = [("Capital", 3120612, 1420000), ("Buenos Aires", 17569053, 8300000),
                 ("24 Partidos del Gran Buenos Aires", 10865182, 5100000),
                 ("Resto de Buenos Aires", 6703871, 3200000), ("Catamarca", 429556, 210000),
                 ("Chaco", 1142963, 560000), ("Chubut", 603120, 300000), ("Córdoba", 3978984, 1900000)]
    tops = [p for p in provinces if "Partidos" not in p[0] and "Resto" not in p[0]]
    total = ("Total", sum(p[1] for p in tops), sum(p[2] for p in tops))
    lines = ["Jurisdicción;Población;Viviendas"] + [f"{n};{a};{b}" for n, a, b in [total] + provinces]
    result = _imported(tmp_path, "censo.csv", "\n".join(lines) + "\n")
    assert [(e["line"], e["reason"]) for e in result.set_aside] == [(2, "total")]
    assert result.rows_written == len(provinces) and result.suspect_totals == []


def test_a_total_over_sectors_each_written_over_its_branches(tmp_path):
    """A Tunisian employment table: `Total` over sectors, each sector over its branches (one with
    none): the total is the sum of the sectors. Three sectors, so no coincidence."""
    sectors = [("Agriculture et pêche", [("Agriculture", 410.2), ("Pêche", 60.1)]), ("Mines et énergie", []),
               ("Industries manufacturières", [("Textile", 160.5), ("Agroalimentaire", 80.3), ("Mécanique", 120.4)]),
               ("Services", [("Commerce", 420.0), ("Transport", 150.2)])]
    rows = []
    for sector, branches in sectors:
        rows.append((sector, round(sum(v for _, v in branches), 1) if branches else 35.6))
        rows += branches
    total = round(sum(v for name, v in rows if name in dict(sectors)), 1)
    lines = ["Secteur;Emplois (milliers)"] + [f"{n};{str(v).replace('.', ',')}" for n, v in [("Total", total)] + rows]
    result = _imported(tmp_path, "emploi.csv", "\n".join(lines) + "\n")
    assert [(e["line"], e["reason"]) for e in result.set_aside] == [(2, "total")]
    assert result.rows_written == len(rows)


def test_a_first_row_named_like_the_others_over_states_written_over_their_municipalities(tmp_path):
    """CONAPO: `República Mexicana` first, then each state (no code) over its municipalities: the
    first row is the sum of the states, the national total written first; the states stay rows."""
    states = {"Aguascalientes": [(1001, 788602, 13917), (1002, 41433, 883), (1003, 46898, 893)],
              "Baja California": [(2001, 466242, 7930), (2002, 943326, 15737), (2003, 101079, 1905), (2004, 1559683, 28020)],
              "Campeche": [(4001, 51457, 1021), (4002, 259005, 4620)]}
    rows = []
    for state, towns in states.items():
        rows.append(("", state, sum(t[1] for t in towns), sum(t[2] for t in towns)))
        rows += [(code, f"Municipio {code}", a, b) for code, a, b in towns]
    national = ("", "República Mexicana", sum(r[2] for r in rows if not r[0]), sum(r[3] for r in rows if not r[0]))
    lines = ["Clave;Entidad;Población;Menores de 1"] + [";".join(map(str, r)) for r in [national] + rows]
    result = _imported(tmp_path, "conapo.csv", "\n".join(lines) + "\n")
    assert [(e["line"], e["reason"]) for e in result.set_aside] == [(2, "total")]
    assert result.rows_written == len(rows)
    # The states stay rows, and the report says that a SUM() counts them twice.
    assert result.subtotal_lines == [3, 7, 12]
    assert "lignes 3, 7, 12" in render_import(result)


def test_district_codes_over_a_row_without_them_are_no_subtotal(tmp_path):
    """Kansas precincts: district numbers (33 | 112 | 7 | 20) on each row; a precinct without votes,
    then one with votes, then a row with neither (a split precinct): the first is not the sum of
    the two under it. No subtotal reported."""
    rows = []
    for n in range(30):
        if n % 5 == 0:
            rows += [f"33;112;7;20;Barton County;Precinct {n};;", f"33;112;7;20;Barton County;Precinct {n}b;{n + 5};{2 * n + 1}",
                     f";;;;Barton County;Precinct {n} exclave;;"]
        else:
            rows.append(f"33;112;7;20;Barton County;Precinct {n};{n + 5};{2 * n + 1}")
    lines = ["Senate;Rep;SBOE;Judicial;County;Precinct;Votes A;Votes B"] + rows
    result = _imported(tmp_path, "ks.csv", "\n".join(lines) + "\n")
    assert result.subtotal_lines == [] and result.rows_written == len(rows)


def test_county_subtotals_under_precincts_that_carry_the_county_name(tmp_path):
    """Kansas: district numbers first, then the county on every precinct row; each county closes
    with a row of the county name alone and its sums; `Totals` closes the state. The county name on
    the precinct rows is no proof that the subtotal's label names a kind of row: its other label
    cells are empty."""
    lines = ["Senate;Rep;County;Precinct;Covault;Docking;Jones"]
    counties = {"Allen County": (15, 9, 5), "Anderson County": (12, 5, 4), "Atchison County": (1, 63, 6)}
    grand = [0, 0, 0]
    for county, (senate, rep, precincts) in counties.items():
        sums = [0, 0, 0]
        for p in range(precincts):
            votes = [8 + 3 * p, 5 + 2 * p, 58 + 7 * p]
            sums = [a + b for a, b in zip(sums, votes)]
            lines.append(f"{senate};{rep};{county};Precinct {p + 1};" + ";".join(map(str, votes)))
        lines.append(f";;{county};;" + ";".join(map(str, sums)))
        grand = [a + b for a, b in zip(grand, sums)]
    lines.append(";;;Totals;" + ";".join(map(str, grand)))
    result = _imported(tmp_path, "ks.csv", "\n".join(lines) + "\n")
    assert result.rows_written == sum(c[2] for c in counties.values()) and result.suspect_totals == []
    assert [e["reason"] for e in result.set_aside].count("total") == len(counties) + 1


def _communes(count: int) -> list[tuple[int, str, int]]:
    return [(25000 + 7 * n, f"Commune {n}", 300 + (n * 97) % 2400) for n in range(count)]


def test_a_region_over_its_communes_with_one_count_is_its_total(tmp_path):
    """Wallonia's pupils: no header, `3000,Wallonie,257514` first, the exact sum of the communes
    under it; one count only, beside the codes (each row's own), so the sum of many is the proof."""
    communes = _communes(40)
    region = (3000, "Wallonie", sum(c[2] for c in communes))
    text = "".join(f"{code},{name},{count}\n" for code, name, count in [region] + communes)
    result = _imported(tmp_path, "primaire.csv", text)
    assert [(e["line"], e["reason"]) for e in result.set_aside] == [(1, "total")]
    assert result.rows_written == 40


def test_one_count_equal_to_the_sum_of_a_few_rows_or_beside_repeated_numbers_stays_a_row(tmp_path):
    few = _communes(12)
    lines = [(3000, "Wallonie", sum(c[2] for c in few))] + few
    result = _imported(tmp_path, "few.csv", "".join(f"{a},{b},{c}\n" for a, b, c in lines))
    assert result.set_aside == [] and result.rows_written == 13
    # The other number is no code (years repeat): the first row may be a row like the others.
    many = [(2020 + n % 3, name, count) for n, (_code, name, count) in enumerate(_communes(40))]
    lines = [(2021, "Wallonie", sum(c[2] for c in many))] + many
    result = _imported(tmp_path, "years.csv", "".join(f"{a},{b},{c}\n" for a, b, c in lines))
    assert result.set_aside == [] and result.rows_written == 41


def _counties(count: int) -> list[str]:
    """Kenya's census table: each county's households (the sum of its sub-counties') beside the
    shares of households owning a radio, a TV (no sums)."""
    lines = []
    for c in range(count):
        parts = [(f"Sub-county {c}-{p}", 20000 + 3917 * ((c * 7 + p * 3) % 11), 40 + (c + p) % 20 + 0.5, 10.2 + p)
                 for p in range(2 + c % 4)]
        lines.append(f"COUNTY {c},\"{sum(p[1] for p in parts):,}\",45.3,12.1")
        lines += [f"{name},\"{households:,}\",{radio},{tv}" for name, households, radio, tv in parts]
    return lines


def test_counties_over_their_sub_counties_with_one_count_beside_shares_are_subtotals(tmp_path):
    lines = _counties(8)
    result = _imported(tmp_path, "assets.csv", "county/sub-county,households,radio,tv\n" + "\n".join(lines) + "\n")
    counties = [number for number, line in enumerate(lines, start=2) if line.startswith("COUNTY")]
    assert result.subtotal_lines == counties and result.rows_written == len(lines)


def test_a_few_rows_equal_to_the_count_of_the_rows_under_them_are_no_proof(tmp_path):
    lines = _counties(3)
    result = _imported(tmp_path, "assets.csv", "county/sub-county,households,radio,tv\n" + "\n".join(lines) + "\n")
    assert result.subtotal_lines == []


def test_round_amounts_that_happen_to_add_up_are_no_subtotals(tmp_path):
    """Funding rounds: 25 000 000 over 15 000 000 and 10 000 000 is chance among round amounts."""
    amounts = [25_000_000, 15_000_000, 10_000_000, 6_000_000, 5_000_000, 1_000_000] * 12
    lines = [f"Company {n},{amount}" for n, amount in enumerate(amounts)]
    result = _imported(tmp_path, "rounds.csv", "company,raisedAmt\n" + "\n".join(lines) + "\n")
    assert result.subtotal_lines == []
