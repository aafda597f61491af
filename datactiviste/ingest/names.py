"""SQL-friendly table and column names, deterministic, with the original kept as a label."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Words SQLite (and SQL teaching) treat specially; a column named like this gets a suffix.
RESERVED = {
    "abort", "action", "add", "after", "all", "alter", "analyze", "and", "as", "asc", "attach",
    "autoincrement", "before", "begin", "between", "by", "cascade", "case", "cast", "check",
    "collate", "column", "commit", "conflict", "constraint", "create", "cross", "current",
    "current_date", "current_time", "current_timestamp", "database", "default", "deferrable",
    "deferred", "delete", "desc", "detach", "distinct", "drop", "each", "else", "end", "escape",
    "except", "exclusive", "exists", "explain", "fail", "for", "foreign", "from", "full", "glob",
    "group", "having", "if", "ignore", "immediate", "in", "index", "indexed", "initially", "inner",
    "insert", "instead", "intersect", "into", "is", "isnull", "join", "key", "left", "like",
    "limit", "match", "natural", "no", "not", "notnull", "null", "of", "offset", "on", "or",
    "order", "outer", "plan", "pragma", "primary", "query", "raise", "recursive", "references",
    "regexp", "reindex", "release", "rename", "replace", "restrict", "right", "rollback", "row",
    "rowid", "oid", "_rowid_", "savepoint", "select", "set", "table", "temp", "temporary", "then",
    "to", "transaction", "trigger", "union", "unique", "update", "using", "vacuum", "values",
    "view", "virtual", "when", "where", "with", "without",
}


def fold(text: str) -> str:
    """Lower case without accents: 'Année Région' -> 'annee region'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


# Column names whose numbers are identifiers, codes or years, not quantities: shown with their
# raw digits ('2024', '75001'), never grouped, by the Datasette pages (serve/cells.py) and map
# popups (maps/points.py). Words that count wherever they appear ('id', 'region_id', 'idRegion',
# 'code_commune', 'Numéro de dossier', 'N° SIRET'), with the glued identifiers of geodata files
# (GeoNames 'geonameid', ArcGIS 'OBJECTID', GDAL 'ogc_fid'):
IDENTIFIER_WORDS = frozenset({
    "id", "identifiant", "rowid", "pk", "uuid", "numero", "num", "no", "nr", "matricule", "siret",
    "siren", "ninea", "insee", "postal", "zip", "zipcode", "tel", "telephone", "phone", "mobile",
    "fid", "gid", "objectid", "geonameid", "osmid"})
# Short or common words that count only as the first word: 'an', 'annee_budget', 'exercice',
# 'cp_commune'; but 'montant_par_an', 'montant_annee_precedente' and 'montant_cp' (crédits de
# paiement) are amounts. A year never needs this rule for its 4 digits anyway.
FIRST_WORDS = frozenset({"annee", "year", "an", "exercice", "cp"})
_NUMBER_SIGN = re.compile(r"(?<![^\W\d_])n\s*[°º]", re.IGNORECASE)  # 'n°', 'Nº' (not 'Un°')
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_WORDS = re.compile(r"[^\W_]+")


@lru_cache(maxsize=4096)
def looks_like_identifier(column: str) -> bool:
    """Whether a column's name says its numbers are identifiers, codes or years, not quantities.

    Words are split on anything but letters and digits and between camelCase parts, then
    compared folded: 'id', '*_id', 'code*', 'identifiant', 'numero'/'num'/'no'/'n°',
    'annee'/'year'/'an'/'exercice' and 'cp' (first word only), 'code_postal'/'postal'/'zip',
    'tel'/'telephone'/'phone', 'siret'/'siren'/'ninea', 'matricule', 'rowid', 'geonameid'...
    A wrong guess costs little: the number shows ungrouped.
    """
    words = _name_words(_NUMBER_SIGN.sub(" numero ", column))
    if not words:
        return False
    if words[0] in FIRST_WORDS:
        return True
    return any(word in IDENTIFIER_WORDS or word.startswith("code") for word in words)


_NUMBERED_PLACES = frozenset({"departement", "departements", "dept", "dpt", "dep"})


def _name_words(column: str) -> list[str]:
    """A column name's words, folded: `EcritureDate` -> ['ecriture', 'date'], `Département` -> ['departement']."""
    return _WORDS.findall(fold(_CAMEL.sub(" ", column)))


@lru_cache(maxsize=4096)
def names_codes(column: str) -> bool:
    """Whether a column's name says it holds codes, letters possibly among the digits: an
    identifier (looks_like_identifier) or a French département number (01-95, 2A, 2B, 971).
    Narrower than a place name in general: Senegal's départements are names, not numbers, and
    this only matters for a column whose values are mostly numbers. Cached: the loader decides
    the types again on every batch."""
    words = _name_words(column)
    return looks_like_identifier(column) or any(word in _NUMBERED_PLACES for word in words)


@lru_cache(maxsize=4096)
def names_code_list(column: str) -> bool:
    """The name says codes in words (`Code Officiel Région`, `codes_insee`): a value `24,27` there
    lists two codes (an EPCI across two regions), it is no decimal. Not `id` or `numéro`, whose
    numbers a file may well write with decimals."""
    return any(word in ("code", "codes") for word in _name_words(column))


# Words that name a column of codes or years for certain, never a count: what a total row does not
# sum. Narrower than IDENTIFIER_WORDS: 'no', 'num' and 'numero' head counts too ('No. of schools'),
# and 'cp' heads the crédits de paiement of a French budget.
_NO_QUANTITY_WORDS = frozenset({"id", "identifiant", "uuid", "rowid", "pk", "siret", "siren", "ninea", "insee",
                                "matricule", "postal", "zip", "fid", "gid", "objectid", "geonameid", "osmid"})
_NO_QUANTITY_FIRST = frozenset({"annee", "year", "an", "exercice"})


@lru_cache(maxsize=4096)
def names_no_quantity(column: str) -> bool:
    """Whether a column's name says its numbers are codes, identifiers or years, which no total
    row adds up (`Subcode`, `Sous-code`, `code_region`, `id`, `Année`): the totals rule leaves them out,
    so that subcodes 1, 2 and 3 under a `Total Flows % GNI` label are no sum."""
    words = _name_words(column)
    if not words:
        return False
    return words[0] in _NO_QUANTITY_FIRST or any(
        word in _NO_QUANTITY_WORDS or word.startswith("code") or word.endswith(("code", "codes")) for word in words)


_DATE_WORD_STARTS = ("date", "datum", "fecha")
_NOT_DATES = frozenset({"candidate", "candidates", "mandate", "mandates", "consolidate", "accommodate"})


@lru_cache(maxsize=4096)
def names_dates(column: str) -> bool:
    """Whether a column's name says it holds dates (EcritureDate, date_deces, datenaiss, Datum,
    fecha_alta, dt): what lets 8-digit numbers that are all valid days (20140701) be read as
    YYYYMMDD dates; elsewhere such numbers may be identifiers and stay numbers."""
    words = _name_words(column)
    return any(word == "dt" or word.startswith(_DATE_WORD_STARTS)
               or (word.endswith("date") and word not in _NOT_DATES) for word in words)


def slugify(text: str, max_length: int = 60) -> str:
    """'Montant (FCFA)' -> 'montant_fcfa'; '' -> ''."""
    folded = fold(text).replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    slug = re.sub(r"[^a-z0-9]+", "_", folded).strip("_")
    return slug[:max_length].rstrip("_")


def column_names(headers: list[str], keep_names: bool = False) -> list[str]:
    """One unique, non-empty name per header; empty ones become column_N (1-based position)."""
    names: list[str] = []
    used: set[str] = set()
    for position, header in enumerate(headers, start=1):
        header = (header or "").strip().replace("\ufeff", "")
        if keep_names:
            name = re.sub(r"\s+", " ", header)
        else:
            name = slugify(header)
            if name and name[0].isdigit():
                name = "c_" + name
            if name in RESERVED:
                name += "_"
        if not name:
            name = f"column_{position}"
        base, counter = name, 2
        while name.lower() in used:
            name = f"{base}_{counter}"
            counter += 1
        used.add(name.lower())
        names.append(name)
    return names


def table_name(stem: str, sheet: str | None = None) -> str:
    """Table name from a file name (and sheet): 'Budget 2024.csv' -> 'budget_2024'."""
    name = slugify(stem) or "table"
    if sheet:
        name = f"{name}_{slugify(sheet) or 'sheet'}"
    if name[0].isdigit():
        name = "t_" + name
    if name.lower() in RESERVED:
        name += "_"
    return name


def quote(identifier: str) -> str:
    """Quote an identifier for SQLite, whatever it contains."""
    return '"' + identifier.replace('"', '""') + '"'
