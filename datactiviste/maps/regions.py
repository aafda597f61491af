"""Region or country names/codes in the data -> bundled (or user-supplied) outlines.

Accepts ISO 3166-2 codes ("SN-TH"), the code's second part when the country is known ("TH"),
official, French and alternate names in any case or accent ("THIES", "Région de Thiès"), and a
fuzzy last step for typos. The country is given (--country) or inferred from the best-matching
country, so "Centre" is not matched in Burkina Faso for Cameroonian data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _
from datactiviste.maps.names import compact, fold, strip_admin_words

FUZZY_THRESHOLD = 88.0
# Everyday names that ISO and pycountry do not list.
COUNTRY_ALIASES = {
    "CD": ["RDC", "RD Congo", "DRC", "DR Congo", "Congo-Kinshasa", "Zaïre", "Congo RDC"],
    "CG": ["Congo-Brazzaville", "Congo Brazza"], "BF": ["Burkina"], "CF": ["Centrafrique", "RCA"],
    "CI": ["Ivory Coast", "Cote dIvoire"], "SZ": ["Swaziland"], "CV": ["Cap-Vert"],
    "TZ": ["Tanzanie"], "GM": ["Gambie"], "GW": ["Guinée Bissau"], "GQ": ["Guinée équatoriale"],
}


@dataclass
class Boundaries:
    """Features to match against, with their lookup keys."""
    features: list[dict]
    level: str                                   # region / country / custom
    keys: dict[str, list[int]] = field(default_factory=dict)

    def add_key(self, key: str, index: int) -> None:
        if key and index not in self.keys.setdefault(key, []):
            self.keys[key].append(index)


@dataclass
class RegionMatch:
    matched: dict[str, int]                      # data value -> feature index
    unmatched: list[str]
    boundaries: Boundaries
    methods: dict[str, str] = field(default_factory=dict)


def _index(features: list[dict], level: str, name_fields=("name", "name_fr", "name_en")) -> Boundaries:
    boundaries = Boundaries(features, level)
    for i, feature in enumerate(features):
        p = feature.get("properties") or {}
        names = [p.get(f) for f in name_fields] + list(p.get("alt") or [])
        for value in names:
            if value:
                folded = fold(value)
                for key in (folded, strip_admin_words(folded), compact(value)):
                    boundaries.add_key(key, i)
        code = str(p.get("code") or "")
        if code:
            boundaries.add_key(fold(code), i)
            boundaries.add_key(compact(code), i)
            if level == "region" and "-" in code:
                boundaries.add_key("#" + fold(code.split("-", 1)[1]), i)  # "TH" when country known
        if level == "country":
            for value in [p.get("iso3")] + COUNTRY_ALIASES.get(code, []):
                if value:
                    boundaries.add_key(fold(value), i)
                    boundaries.add_key(compact(value), i)
    return boundaries


def bundled_regions(countries: set[str] | None = None) -> Boundaries:
    from datactiviste.maps.geodata import regions_geojson

    features = [f for f in regions_geojson()["features"]
                if not countries or f["properties"]["country"] in countries]
    return _index(features, "region")


def bundled_countries() -> Boundaries:
    from datactiviste.maps.geodata import countries_geojson

    return _index(countries_geojson()["features"], "country")


def user_boundaries(path: str | Path, name_property: str | None = None) -> Boundaries:
    """A GeoJSON file of the user's own boundaries; every string property becomes a lookup key."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
        features = [f for f in data["features"] if f.get("geometry")]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise DatactivisteError(_("Cannot read the boundaries file {path}: {error}")
                                .format(path=path, error=error),
                                hint=_("Give a GeoJSON FeatureCollection of polygons.")) from None
    boundaries = Boundaries(features, "custom")
    for i, feature in enumerate(features):
        properties = feature.get("properties") or {}
        values = [properties.get(name_property)] if name_property else list(properties.values())
        for value in values:
            if isinstance(value, (str, int)) and str(value).strip():
                folded = fold(value)
                for key in (folded, strip_admin_words(folded), compact(value)):
                    boundaries.add_key(key, i)
    return boundaries


def _lookup(boundaries: Boundaries, value, country_known: bool) -> tuple[int | None, str]:
    folded = fold(value)
    if not folded:
        return None, "none"
    candidates = [folded, strip_admin_words(folded), folded.replace(" ", "")]
    if country_known:
        candidates.append("#" + folded)
    for key in candidates:
        found = boundaries.keys.get(key)
        if found and len(found) == 1:
            return found[0], "exact"
    return None, "none"


def _fuzzy(boundaries: Boundaries, value) -> int | None:
    from rapidfuzz import fuzz, process

    keys = [k for k in boundaries.keys if not k.startswith("#") and len(boundaries.keys[k]) == 1]
    found = process.extractOne(strip_admin_words(fold(value)), keys, scorer=fuzz.ratio,
                               score_cutoff=FUZZY_THRESHOLD)
    return boundaries.keys[found[0]][0] if found else None


def match_values(values, boundaries: Boundaries, country_known: bool = False) -> RegionMatch:
    matched, unmatched, methods = {}, [], {}
    for value in dict.fromkeys(v for v in values if v not in (None, "")):
        index, method = _lookup(boundaries, value, country_known)
        if index is None:
            index, method = _fuzzy(boundaries, value), "fuzzy"
        if index is None:
            unmatched.append(str(value))
        else:
            matched[value] = index
            methods[value] = method
    return RegionMatch(matched, unmatched, boundaries, methods)


def best_match(values, countries: set[str] | None = None, boundaries_path=None) -> RegionMatch:
    """Try the user's file, or countries and the regions of the best country; keep the best."""
    values = [v for v in values if v not in (None, "")]
    if boundaries_path:
        return match_values(values, user_boundaries(boundaries_path))
    if countries:
        return match_values(values, bundled_regions(countries), country_known=len(countries) == 1)
    as_countries = match_values(values, bundled_countries())
    everywhere = match_values(values, bundled_regions())
    by_country: dict[str, int] = {}
    for index in everywhere.matched.values():
        code = everywhere.boundaries.features[index]["properties"]["country"]
        by_country[code] = by_country.get(code, 0) + 1
    if by_country:
        best = max(sorted(by_country), key=lambda c: by_country[c])
        as_regions = match_values(values, bundled_regions({best}), country_known=True)
    else:
        as_regions = everywhere
    if len(as_countries.matched) > len(as_regions.matched):
        return as_countries
    return as_regions
