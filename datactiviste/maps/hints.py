"""Per-row hints for geocoding: a country cell and a region cell turned into ISO codes.

"SN", "SEN", "Sénégal" or "senegal" -> "SN"; "SN-TH", "TH" (country known), "Thiès" or
"Région de Thiès" -> "SN-TH". Unknown or empty cells give None (no hint, not an error).
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=4096)
def resolve_country(value) -> str | None:
    from datactiviste.maps.regions import bundled_countries, match_values

    if value in (None, ""):
        return None
    match = match_values([value], _countries())
    if value not in match.matched or match.methods.get(value) != "exact":
        return None
    return match.boundaries.features[match.matched[value]]["properties"]["code"]


@lru_cache(maxsize=4096)
def resolve_region(value, country: str | None) -> str | None:
    from datactiviste.maps.regions import bundled_regions, match_values

    if value in (None, "") or not country:
        return None
    boundaries = _regions(country)
    match = match_values([value], boundaries, country_known=True)
    if value not in match.matched:
        return None
    return boundaries.features[match.matched[value]]["properties"]["code"] or None


@lru_cache(maxsize=1)
def _countries():
    from datactiviste.maps.regions import bundled_countries

    return bundled_countries()


@lru_cache(maxsize=64)
def _regions(country: str):
    from datactiviste.maps.regions import bundled_regions

    return bundled_regions({country})
