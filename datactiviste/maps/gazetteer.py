"""Place names -> coordinates with no network: the bundled GeoNames gazetteer (Africa).

Matching order, first hit wins: the official name (exact, after folding accents, case and
punctuation, St -> Saint), then an alternate name ("Ndar" for Saint-Louis), then the same with
spaces removed (N'Zérékoré / Nzérékoré), then the start of a big town's name ("Ouaga"), then
fuzzy (rapidfuzz, high threshold, on spellings and on rough sound keys). Ties: the requested
country first, then region, then population. A name that fits several places of similar size
is reported as ambiguous.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import lru_cache

from datactiviste.maps.geodata import PLACES_PATH
from datactiviste.maps.names import fold, sound, strip_admin_words

FUZZY_THRESHOLD = 85.0       # rapidfuzz ratio, 0-100; 85 lets one typo in 7 letters through
FUZZY_THRESHOLD_SHORT = 90.0  # names of 6 letters or fewer need a closer spelling
PREFIX_MIN_LENGTH = 4
PREFIX_MIN_POPULATION = 100_000
PREFIX_MIN_SHARE = 0.4       # "Ouaga" is 5 of Ouagadougou's 11 letters
AMBIGUITY_RATIO = 3.0        # a runner-up this close in population makes the name ambiguous


@dataclass(frozen=True)
class Place:
    geonameid: int
    name: str
    latitude: float
    longitude: float
    country: str
    region: str
    population: int


@dataclass(frozen=True)
class Match:
    query: str
    place: Place | None
    method: str                  # exact / alternate / fuzzy / none
    score: float = 100.0
    alternatives: tuple = ()     # other candidate places when ambiguous

    @property
    def ambiguous(self) -> bool:
        return bool(self.alternatives)


class Gazetteer:
    """An in-memory index of the bundled places (about 11,000, loaded in ~0.2 s)."""

    def __init__(self, places: list[Place], names: list[tuple[int, str, bool]]):
        self.places = places
        self.exact: dict[str, list[int]] = {}
        self.alternate: dict[str, list[int]] = {}
        self.compact: dict[str, list[int]] = {}
        self.sounds: dict[str, list[int]] = {}
        for index, name, official in names:
            folded = fold(name)
            if not folded:
                continue
            (self.exact if official else self.alternate).setdefault(folded, []).append(index)
            self.compact.setdefault(folded.replace(" ", ""), []).append(index)
            self.sounds.setdefault(sound(folded), []).append(index)
        self._fuzzy_keys: dict[str | None, list[str]] = {}

    @classmethod
    def bundled(cls) -> "Gazetteer":
        return _bundled()

    # --- lookups -----------------------------------------------------------------------------
    def _filter(self, indices, countries):
        unique = list(dict.fromkeys(indices))
        if countries:
            unique = [i for i in unique if self.places[i].country in countries]
        return unique

    def _choose(self, query, indices, method, score, region=None):
        places = [self.places[i] for i in indices]
        if region:
            in_region = [p for p in places if p.region == region]
            places = in_region or places
        places.sort(key=lambda p: (-p.population, p.geonameid))
        best = places[0]
        rivals = tuple(p for p in places[1:]
                       if p.population * AMBIGUITY_RATIO >= best.population
                       and (p.country != best.country or abs(p.latitude - best.latitude)
                            + abs(p.longitude - best.longitude) > 0.5))
        return Match(query, best, method, score, rivals)

    def _fuzzy_choices(self, countries) -> list[str]:
        key = ",".join(sorted(countries)) if countries else None
        if key not in self._fuzzy_keys:
            keys = set()
            for table in (self.exact, self.alternate):
                for folded, indices in table.items():
                    if not countries or any(self.places[i].country in countries for i in indices):
                        keys.add(folded)
            for key_sound, indices in self.sounds.items():
                if not countries or any(self.places[i].country in countries for i in indices):
                    keys.add("~" + key_sound)
            self._fuzzy_keys[key] = sorted(keys)
        return self._fuzzy_keys[key]

    def lookup(self, name, countries: set[str] | None = None, region: str | None = None,
               approximate: bool = True) -> Match:
        """The best place for `name` (countries: ISO alpha-2 codes to stay in).

        `approximate=False` stops after the exact and alternate-name steps."""
        query = "" if name is None else str(name).strip()
        folded = fold(query)
        if not folded:
            return Match(query, None, "none", 0.0)
        countries = {c.upper() for c in countries} if countries else None
        for key in dict.fromkeys([folded, strip_admin_words(folded)]):
            for table, method in ((self.exact, "exact"), (self.alternate, "alternate")):
                found = self._filter(table.get(key, []), countries)
                if found:
                    return self._choose(query, found, method, 100.0, region)
            found = self._filter(self.compact.get(key.replace(" ", ""), []), countries)
            if found:
                return self._choose(query, found, "alternate", 100.0, region)
        if not approximate:
            return Match(query, None, "none", 0.0)
        match = self._prefix(query, folded, countries) or self._fuzzy(query, folded, countries, region)
        return match or Match(query, None, "none", 0.0)

    def _fuzzy(self, query, folded, countries, region):
        from rapidfuzz import fuzz, process

        threshold = FUZZY_THRESHOLD_SHORT if len(folded) <= 6 else FUZZY_THRESHOLD
        choices = self._fuzzy_choices(countries)
        results = process.extract(folded, choices, scorer=fuzz.ratio, score_cutoff=threshold,
                                  limit=5)
        # Same sounds, different spelling ('Zigenchor'): compared on the sound keys ('~...').
        results += process.extract("~" + sound(folded), choices, scorer=fuzz.ratio,
                                   score_cutoff=threshold, limit=5)
        if not results:
            return None
        results.sort(key=lambda r: -r[1])
        top = results[0][1]
        indices = []
        for key, score, _position in results:
            if score >= top - 0.01:
                indices += (self.sounds.get(key[1:], []) if key.startswith("~")
                            else self.exact.get(key, []) + self.alternate.get(key, []))
        found = self._filter(indices, countries)
        return self._choose(query, found, "fuzzy", round(top, 1), region) if found else None

    def _prefix(self, query, folded, countries):
        if len(folded) < PREFIX_MIN_LENGTH:
            return None
        found = [i for key, indices in self.exact.items()
                 if key.startswith(folded) and len(folded) >= PREFIX_MIN_SHARE * len(key)
                 for i in indices if self.places[i].population >= PREFIX_MIN_POPULATION]
        found = self._filter(found, countries)
        if not found:
            return None
        return self._choose(query, found, "fuzzy", 80.0)


@lru_cache(maxsize=1)
def _bundled() -> Gazetteer:
    places: list[Place] = []
    names: list[tuple[int, str, bool]] = []
    with gzip.open(PLACES_PATH, "rt", encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            geonameid, name, lat, lon, country, region, population, alternates = \
                line.rstrip("\n").split("\t")
            index = len(places)
            places.append(Place(int(geonameid), name, float(lat), float(lon), country, region,
                                int(population)))
            names.append((index, name, True))
            names += [(index, alternate, False) for alternate in alternates.split("|") if alternate]
    return Gazetteer(places, names)


DOMINANT_SHARE = 0.6   # share of exact matches in one country that makes it "the data's country"


def infer_countries(gazetteer: Gazetteer, names) -> set[str] | None:
    """The country most names are exactly in, when one clearly dominates (else None)."""
    counts: dict[str, int] = {}
    for name in names:
        match = gazetteer.lookup(name, approximate=False)
        if match.place is not None:
            counts[match.place.country] = counts.get(match.place.country, 0) + 1
    total = sum(counts.values())
    if not total:
        return None
    best = max(sorted(counts), key=counts.get)
    return {best} if counts[best] >= DOMINANT_SHARE * total else None


def geocode(names, countries=None) -> dict[str, Match]:
    """{distinct name: Match} for an iterable of names (each distinct name looked up once).

    Without `countries`, the data's country is inferred from the names that match exactly;
    approximate matches then stay inside it (a Senegalese village unknown to GeoNames must not
    land in Côte d'Ivoire by a fuzzy match), while exact names elsewhere are still accepted.
    """
    keys = geocode_keys([(name, None, None) for name in names], countries)
    return {key[0]: match for key, match in keys.items()}


def geocode_keys(keys, countries=None) -> dict[tuple, Match]:
    """{(name, country cell, region cell): Match}: per-row hints settle namesakes.

    The country cell may be an ISO code or a name ("SN", "Sénégal"); the region cell an ISO
    3166-2 code or a region name ("SN-TH", "Thiès"). A row's own country wins over `countries`.
    """
    from datactiviste.maps.hints import resolve_country, resolve_region

    gazetteer = Gazetteer.bundled()
    distinct = list(dict.fromkeys(k for k in keys if k[0] not in (None, "")))
    fallback = countries or infer_countries(gazetteer, dict.fromkeys(k[0] for k in distinct))
    result = {}
    for key in distinct:
        name, country_cell, region_cell = key
        country = resolve_country(country_cell)
        scope = {country} if country else fallback
        region = resolve_region(region_cell, country or (next(iter(scope)) if scope and len(scope) == 1
                                                         else None))
        match = gazetteer.lookup(name, scope, region=region)
        if match.place is None and scope and not countries and not country:
            match = gazetteer.lookup(name, region=region, approximate=False)  # an exact name abroad
        result[key] = match
    return result
