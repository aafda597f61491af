"""Offline geocoding: accuracy on real spellings, and `datactiviste geocode` writing into a table.

The spellings are the ones found in francophone West African data: capitals, no accents,
upper case, `St` for Saint, apostrophes, nicknames, and typos. Budget (issue 4): >= 95% of
well-spelled and >= 80% of misspelled names found, and never a place in the wrong country.
"""

from __future__ import annotations

import sqlite3

from datactiviste.maps.gazetteer import Gazetteer
from datactiviste.maps.names import compact, fold, sound
from tests.test_maps_fixtures import make_db

# (as typed, expected GeoNames name, country)
WELL_SPELLED = [
    ("THIES", "Thiès", "SN"), ("Thiès", "Thiès", "SN"), ("St Louis", "Saint-Louis", "SN"),
    ("St-Louis", "Saint-Louis", "SN"), ("Saint Louis", "Saint-Louis", "SN"), ("DAKAR", "Dakar", "SN"),
    ("Ziguinchor", "Ziguinchor", "SN"), ("Kaolack", "Kaolack", "SN"), ("Tambacounda", "Tambacounda", "SN"),
    ("Kedougou", "Kédougou", "SN"), ("Sedhiou", "Sédhiou", "SN"), ("Mbacke", "Mbaké", "SN"),
    ("Richard Toll", "Richard-Toll", "SN"), ("Touba", "Touba", "SN"), ("Rufisque", "Rufisque", "SN"),
    ("Mbour", "Mbour", "SN"), ("Louga", "Louga", "SN"), ("Diourbel", "Diourbel", "SN"),
    ("Kolda", "Kolda", "SN"), ("Fatick", "Fatick", "SN"), ("Matam", "Matam", "SN"),
    ("Tivaouane", "Tivaouane", "SN"), ("Podor", "Podor", "SN"),
    ("N'Zérékoré", "Nzérékoré", "GN"), ("Nzerekore", "Nzérékoré", "GN"), ("Conakry", "Conakry", "GN"),
    ("Kankan", "Kankan", "GN"), ("Labé", "Labé", "GN"), ("Kindia", "Kindia", "GN"),
    ("Ouagadougou", "Ouagadougou", "BF"), ("Ouaga", "Ouagadougou", "BF"),
    ("Bobo-Dioulasso", "Bobo-Dioulasso", "BF"), ("Bobo Dioulasso", "Bobo-Dioulasso", "BF"),
    ("Koudougou", "Koudougou", "BF"), ("Bamako", "Bamako", "ML"), ("Ségou", "Ségou", "ML"),
    ("SEGOU", "Ségou", "ML"), ("Mopti", "Mopti", "ML"), ("Sikasso", "Sikasso", "ML"),
    ("Tombouctou", "Timbuktu", "ML"), ("Gao", "Gao", "ML"), ("Kayes", "Kayes", "ML"),
    ("Niamey", "Niamey", "NE"), ("Zinder", "Zinder", "NE"), ("Maradi", "Maradi", "NE"),
    ("Agadez", "Agadez", "NE"), ("Abidjan", "Abidjan", "CI"), ("Bouaké", "Bouaké", "CI"),
    ("BOUAKE", "Bouaké", "CI"), ("Yamoussoukro", "Yamoussoukro", "CI"), ("San Pedro", "San-Pédro", "CI"),
    ("Korhogo", "Korhogo", "CI"), ("Daloa", "Daloa", "CI"), ("Lomé", "Lomé", "TG"), ("Lome", "Lomé", "TG"),
    ("Kara", "Kara", "TG"), ("Cotonou", "Cotonou", "BJ"), ("Porto Novo", "Porto-Novo", "BJ"),
    ("Parakou", "Parakou", "BJ"), ("Abomey-Calavi", "Abomey-Calavi", "BJ"), ("Nouakchott", "Nouakchott", "MR"),
    ("Yaoundé", "Yaoundé", "CM"), ("Douala", "Douala", "CM"), ("Kinshasa", "Kinshasa", "CD"),
    ("Lubumbashi", "Lubumbashi", "CD"), ("Brazzaville", "Brazzaville", "CG"), ("Libreville", "Libreville", "GA"),
    ("N'Djamena", "N'Djamena", "TD"), ("Ndjamena", "N'Djamena", "TD"),
]
MISSPELLED = [
    ("Tiès", "Thiès", "SN"), ("Thiess", "Thiès", "SN"), ("Zigenchor", "Ziguinchor", "SN"),
    ("Zinguinchor", "Ziguinchor", "SN"), ("Tambakounda", "Tambacounda", "SN"), ("Kaolak", "Kaolack", "SN"),
    ("Dakkar", "Dakar", "SN"), ("Rufisk", "Rufisque", "SN"), ("Diourbell", "Diourbel", "SN"),
    ("Ouagadougu", "Ouagadougou", "BF"), ("Wagadugu", "Ouagadougou", "BF"), ("Bobo Dioulaso", "Bobo-Dioulasso", "BF"),
    ("Bamaco", "Bamako", "ML"), ("Sikaso", "Sikasso", "ML"), ("Abidjian", "Abidjan", "CI"),
    ("Yamousoukro", "Yamoussoukro", "CI"), ("Bouake", "Bouaké", "CI"), ("Kinshassa", "Kinshasa", "CD"),
    ("Niamé", "Niamey", "NE"), ("Cotonu", "Cotonou", "BJ"), ("Nzerekoré", "Nzérékoré", "GN"),
    ("Konakry", "Conakry", "GN"), ("Nouakchot", "Nouakchott", "MR"), ("Yaounde", "Yaoundé", "CM"),
]


def _score(cases, use_country: bool):
    gazetteer = Gazetteer.bundled()
    found, wrong_country, misses = 0, [], []
    for typed, expected, country in cases:
        match = gazetteer.lookup(typed, {country} if use_country else None)
        if match.place is None:
            misses.append(typed)
            continue
        if match.place.country != country:
            wrong_country.append((typed, match.place.name, match.place.country))
        elif match.place.name == expected:
            found += 1
        else:
            misses.append(f"{typed} -> {match.place.name}")
    return found / len(cases), wrong_country, misses


def test_folding_rules():
    assert fold("THIÈS") == fold("Thies") == "thies"
    assert fold("St-Louis") == fold("St Louis") == fold("Saint Louis") == "saint louis"
    assert compact("N'Zérékoré") == compact("Nzérékoré") == "nzerekore"
    assert sound("Tambakounda") == sound("Tambacounda")


def test_accuracy_with_the_country_given():
    recall, wrong, misses = _score(WELL_SPELLED, use_country=True)
    assert wrong == []
    assert recall >= 0.95, misses
    recall, wrong, misses = _score(MISSPELLED, use_country=True)
    assert wrong == []
    assert recall >= 0.80, misses


def test_accuracy_without_a_country():
    """No --country: the most populous namesake wins; still never the wrong country here."""
    recall, wrong, misses = _score(WELL_SPELLED, use_country=False)
    assert wrong == [] and recall >= 0.95, (wrong, misses)
    recall, wrong, misses = _score(MISSPELLED, use_country=False)
    assert wrong == [] and recall >= 0.80, (wrong, misses)


def test_match_kinds_and_unknown_names():
    gazetteer = Gazetteer.bundled()
    assert gazetteer.lookup("Thiès").method == "exact"
    assert gazetteer.lookup("Ndar").method == "alternate"           # Saint-Louis in Wolof
    assert gazetteer.lookup("Ndar").place.name == "Saint-Louis"
    assert gazetteer.lookup("Zigenchor", {"SN"}).method == "fuzzy"
    assert gazetteer.lookup("Qwxzrtp").method == "none"
    assert gazetteer.lookup("").method == "none" and gazetteer.lookup(None).place is None


def test_the_data_country_is_inferred_for_approximate_matches():
    """Senegalese data: a commune missing from GeoNames is not fuzzy-matched abroad."""
    from datactiviste.maps.gazetteer import geocode

    assert Gazetteer.bundled().lookup("Sandiara").place.country != "SN"   # what fuzzy alone does
    matches = geocode(["Thiès", "Dakar", "Mbour", "Kaolack", "Sandiara", "Zigenchor", "Abidjan"])
    assert matches["Sandiara"].place is None
    assert matches["Zigenchor"].place.name == "Ziguinchor"
    assert matches["Abidjan"].place.country == "CI"        # an exact name elsewhere still counts


def test_geocode_command_writes_columns(tmp_path, run_cli):
    db = make_db(tmp_path / "m.db", "marches", ["commune", "prix"],
                 [("THIES", 1), ("St Louis", 2), ("Zigenchor", 3), ("Qwxzrtp", 4), (None, 5), ("THIES", 6)])
    result = run_cli("geocode", "--db", db, "--table", "marches", "--place", "commune", "--country", "SN")
    assert result.exit_code == 0, result.output
    assert "3 noms localisés sur 4 (4 lignes mises à jour)" in result.output
    assert "Introuvables : Qwxzrtp" in result.output
    assert "Zigenchor → Ziguinchor" in result.output
    rows = sqlite3.connect(db).execute(
        "SELECT commune, round(latitude, 2), round(longitude, 2), geocode_match, geocode_name "
        "FROM marches ORDER BY rowid").fetchall()
    assert rows[0] == ("THIES", 14.79, -16.93, "exact", "Thiès")
    assert rows[1][3:] == ("exact", "Saint-Louis")
    assert rows[2][3:] == ("fuzzy", "Ziguinchor")
    assert rows[3] == ("Qwxzrtp", None, None, "none", None)
    assert rows[4][3] == "none"
    # Running it again is allowed (after fixing spellings) and gives the same result.
    again = run_cli("geocode", "--db", db, "--table", "marches", "--place", "commune", "--country", "SN")
    assert again.exit_code == 0
    assert sqlite3.connect(db).execute("SELECT count(*) FROM marches WHERE latitude IS NOT NULL").fetchone() == (4,)


def test_geocode_bad_input(tmp_path, run_cli):
    db = make_db(tmp_path / "m.db", "marches", ["commune"], [("Dakar",)])
    result = run_cli("geocode", "--db", db, "--table", "marches", "--place", "ville")
    assert result.exit_code == 2 and "Aucune colonne ville" in result.output
    result = run_cli("geocode", "--db", tmp_path / "absente.db", "--table", "t", "--place", "x")
    assert result.exit_code == 2 and "introuvable" in result.output


def test_row_hints_settle_namesakes(tmp_path, run_cli):
    """Two Ouellé in Côte d'Ivoire, two Middelburg in South Africa: the row's region decides."""
    from datactiviste.maps.gazetteer import geocode_keys

    matches = geocode_keys([("Ouellé", "CI", "CI-10"), ("Ouellé", "Côte d'Ivoire", "CI-07"),
                            ("Middelburg", "ZA", "Eastern Cape"), ("Middelburg", "ZA", None)])
    assert matches[("Ouellé", "CI", "CI-10")].place.region == "CI-10"
    assert matches[("Ouellé", "Côte d'Ivoire", "CI-07")].place.region == "CI-07"
    assert matches[("Middelburg", "ZA", "Eastern Cape")].place.region == "ZA-EC"
    assert matches[("Middelburg", "ZA", None)].place.region == "ZA-MP"        # the bigger one
    # Multi-country data: each row's country keeps fuzzy matches at home.
    db = make_db(tmp_path / "p.db", "prix", ["ville", "pays"],
                 [("Zigenchor", "Sénégal"), ("Bobo Dioulaso", "BF"), ("Bouake", "CI"), ("Kaolak", "SN")])
    result = run_cli("geocode", "--db", db, "--table", "prix", "--place", "ville", "--place-country", "pays")
    assert result.exit_code == 0, result.output
    rows = sqlite3.connect(db).execute("SELECT ville, geocode_name FROM prix ORDER BY rowid").fetchall()
    assert rows == [("Zigenchor", "Ziguinchor"), ("Bobo Dioulaso", "Bobo-Dioulasso"),
                    ("Bouake", "Bouaké"), ("Kaolak", "Kaolack")]
