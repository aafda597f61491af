"""Find `{{ kind: body | option | key=value }}` directives in a text, with their line numbers.

Five kinds, each with a French and an English name: nombre/number, tableau/table,
graphique/chart, carte/map, source. The body is SQL (or a saved chart spec, or a table name);
options follow, separated by `|` (SQL's `||` concatenation is not a separator, nor a `|` inside
quotes). Directives inside Markdown code (``` fences or `backticks`) are examples, not directives,
so a guide can show the syntax. Problems raise DatactivisteError with the line and column.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _

KINDS = {"nombre": "number", "number": "number", "tableau": "table", "table": "table",
         "graphique": "chart", "chart": "chart", "carte": "map", "map": "map",
         "source": "source"}
# Option names: French and English spellings -> one canonical name per kind.
OPTIONS = {
    "number": {"unité": "unit", "unite": "unit", "unit": "unit", "décimales": "decimals",
               "decimales": "decimals", "decimals": "decimals"},
    "table": {"lignes": "rows", "rows": "rows", "titre": "title", "title": "title"},
    "chart": {"type": "type", "x": "x", "y": "y", "couleur": "color", "color": "color",
              "agg": "agg", "titre": "title", "title": "title", "sous-titre": "subtitle",
              "subtitle": "subtitle", "source": "source", "unité": "unit", "unite": "unit",
              "unit": "unit", "signature": "byline", "byline": "byline", "notes": "notes",
              "alt": "alt"},
    "map": {"lat": "lat", "lon": "lon", "lieu": "place", "place": "place", "taille": "size",
            "size": "size", "couleur": "color", "color": "color", "région": "region",
            "region": "region", "valeur": "value", "value": "value", "classes": "classes",
            "titre": "title", "title": "title", "source": "source", "pays": "countries",
            "country": "countries", "unité": "unit", "unite": "unit", "unit": "unit"},
    "source": {},
}
# The bare (key-less) option each kind accepts: "| FCFA" is the unit of a number.
BARE_OPTION = {"number": "unit"}
MAX_DIRECTIVE_CHARS = 20_000
MAX_DIRECTIVES = 500            # each one runs a query: a text with more is not a dossier

_OPEN = "{{"
_CLOSE = "}}"
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEAD = re.compile(r"\s*([^\W\d][\w-]*)\s*:", re.S)


@dataclass
class Directive:
    kind: str                      # canonical: number, table, chart, map, source
    name: str                      # as written: nombre, carte…
    body: str
    options: dict = field(default_factory=dict)
    line: int = 1
    column: int = 1
    start: int = 0                 # offsets of "{{" and after "}}" in the text
    end: int = 0

    @property
    def text(self) -> str:
        return f"{{{{ {self.name}: {self.body} }}}}"


def _error(message: str, path: str | None, line: int, column: int, hint: str | None = None):
    return DatactivisteError(message, path=path, line=line, column=column, hint=hint)


def code_ranges(text: str) -> list[tuple[int, int]]:
    """Offsets of fenced code blocks and inline `code` spans: what is shown, not evaluated."""
    ranges, offset, fence = [], 0, None
    for line in text.splitlines(keepends=True):
        match = _FENCE.match(line)
        if fence is None and match:
            fence = (match.group(1)[0], len(match.group(1)), offset)
        elif fence is not None and match and match.group(1)[0] == fence[0] \
                and len(match.group(1)) >= fence[1]:
            ranges.append((fence[2], offset + len(line)))
            fence = None
        offset += len(line)
    if fence is not None:
        ranges.append((fence[2], len(text)))
    for match in re.finditer(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)", text, re.S):
        if not any(a <= match.start() < b for a, b in ranges):
            ranges.append((match.start(), match.end()))
    return sorted(ranges)


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def split_options(text: str) -> list[str]:
    """'SELECT a || b | FCFA | x="a|b"' -> ['SELECT a || b', 'FCFA', 'x="a|b"']."""
    parts, current, quote, i = [], [], None, 0
    while i < len(text):
        char = text[i]
        if quote:
            current.append(char)
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
            current.append(char)
        elif char == "|" and text[i:i + 2] == "||":
            current.append("||")
            i += 1
        elif char == "|":
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    parts.append("".join(current))
    return [p.strip() for p in parts]


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _options(kind: str, parts: list[str], path, line, column) -> dict:
    known = OPTIONS[kind]
    options: dict = {}
    for part in parts:
        if not part:
            continue
        key, sep, value = part.partition("=")
        if not sep:
            if kind in BARE_OPTION and BARE_OPTION[kind] not in options:
                options[BARE_OPTION[kind]] = _unquote(part)
                continue
            raise _error(_("Option “{option}” needs a name and a value, like titre=\"…\".")
                         .format(option=part), path, line, column,
                         hint=_("Options here: {names}.").format(names=", ".join(sorted(known)) or "-"))
        name = key.strip().lower()
        if name not in known:
            close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
            hint = (_("Did you mean “{name}”?").format(name=close[0]) if close else
                    _("Options here: {names}.").format(names=", ".join(sorted(known)) or "-"))
            raise _error(_("Unknown option “{option}” for this directive.").format(option=name),
                         path, line, column, hint=hint)
        options[known[name]] = _unquote(value)
    return options


def parse(text: str, path: str | None = None) -> list[Directive]:
    """Every directive of `text`, in order. Raises on an unknown kind or a missing `}}`."""
    skipped = code_ranges(text)
    directives, position = [], 0
    while True:
        start = text.find(_OPEN, position)
        if start < 0:
            return directives
        inside = next((r for r in skipped if r[0] <= start < r[1]), None)
        if inside:
            position = inside[1]
            continue
        line, column = line_and_column(text, start)
        end = text.find(_CLOSE, start + 2)
        if end < 0 or end - start > MAX_DIRECTIVE_CHARS:
            raise _error(_("This directive is not closed: “}}” is missing."), path, line, column,
                         hint=_("Each directive ends with }}, e.g. {{ nombre: SELECT count(*) "
                                "FROM budget }}."))
        inner = text[start + 2:end]
        head = _HEAD.match(inner)
        name = head.group(1).lower() if head else inner.strip().split(" ")[0].lower()
        if not head or name not in KINDS:
            close = difflib.get_close_matches(name, list(KINDS), n=1, cutoff=0.6)
            hint = (_("Did you mean “{name}”?").format(name=close[0]) if close else
                    _("Directives: {names}.").format(names=", ".join(KINDS)))
            raise _error(_("Unknown directive “{name}”.").format(name=name[:40]), path, line,
                         column, hint=hint)
        kind = KINDS[name]
        parts = split_options(inner[head.end():])
        body = parts[0].strip()
        if not body:
            raise _error(_("The directive “{name}” is empty.").format(name=name), path, line,
                         column, hint=_("Example: {{ nombre: SELECT count(*) FROM budget }}."))
        options = _options(kind, parts[1:], path, line, column)
        if len(directives) == MAX_DIRECTIVES:
            raise _error(_("More than {count} directives: split the text, or compute several "
                           "figures in one table.").format(count=MAX_DIRECTIVES), path, line, column)
        directives.append(Directive(kind, name, body, options, line, column, start, end + 2))
        position = end + 2
