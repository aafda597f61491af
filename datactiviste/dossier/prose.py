"""Numbers typed by hand in the prose of a dossier, with the sentence they stand in.

A number retyped from a spreadsheet is how a wrong figure reaches a press conference, so
`dossier check` lists every number of the text that is not a directive and that no query of
the dossier produces (compared at the precision it is written: "53,5 %" matches 53.46).
Not listed: numbers inside directives and code, years (1900–2100), small counts up to 10
("les 4 listes"), list numbers at the start of a line, ordinals and codes glued to letters
("1er", "SN-DK", "B12"), and link targets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from datactiviste.facts.model import Fact
from datactiviste.facts.syntax import Directive, code_ranges, line_and_column

_NUMBER = re.compile(
    r"(?<![\w.,\-/])(?P<number>[-+−]?\d{1,3}(?:[ \u00a0\u202f.,]\d{3})+(?:[.,]\d+)?"
    r"|[-+−]?\d+(?:[.,]\d+)?)(?P<percent>\s?%)?(?![\w]|[.,]\d)")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_LIST_MARKER = re.compile(r"^\s*\d+[.)]\s", re.M)
SMALL_COUNT = 10


@dataclass
class TypedNumber:
    line: int
    text: str          # as typed: '62', '26 818', '53,5 %'
    value: float
    sentence: str


def parse_typed(text: str, lang: str) -> tuple[float, int] | None:
    """'26 818' -> (26818.0, 0); '53,5' -> (53.5, 1) in French; (value, decimals typed).

    With both ',' and '.', the last one is the decimal mark; with one kind only, it groups
    thousands when it is not the language's decimal mark or when it repeats ('1.234.567').
    """
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text).replace("−", "-")
    if "," in cleaned and "." in cleaned:
        decimal = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        cleaned = cleaned.replace("." if decimal == "," else ",", "")
    else:
        decimal = "," if lang == "fr" else "."
        mark = "," if "," in cleaned else "."
        if re.fullmatch(r"[-+]?\d{1,3}([.,]\d{3})+", cleaned) and (
                mark != decimal or cleaned.count(mark) > 1):
            cleaned = cleaned.replace(mark, "")
        decimal = mark
    whole, _, fraction = cleaned.partition(decimal)
    try:
        return float(f"{whole}.{fraction}" if fraction else whole), len(fraction)
    except ValueError:
        return None


def _sentence_span(masked: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of the sentence around a position, within its paragraph."""
    left = max(masked.rfind("\n\n", 0, start), max(masked.rfind(c, 0, start) for c in ".!?"))

    def next_stop(position: int) -> int:
        stops = [i for i in (masked.find(c, position) for c in (".", "!", "?", "\n\n")) if i >= 0]
        return min(stops) if stops else len(masked)

    right = next_stop(end)
    # "26.818" or "3.5": a point inside a number does not end a sentence
    while right < len(masked) - 1 and masked[right] == "." and masked[right + 1].isdigit():
        right = next_stop(right + 1)
    return left + 1, right + 1


def _shown(text: str, span: tuple[int, int], directives: list[Directive],
           displays: list[str]) -> str:
    """The sentence as the reader sees it: each directive replaced by its value."""
    out, position = [], span[0]
    for directive, display in zip(directives, displays):
        if span[0] <= directive.start < span[1]:
            out += [text[position:directive.start], display]
            position = directive.end
    out.append(text[position:span[1]])
    sentence = " ".join("".join(out).split()).lstrip("#>-* ")
    return sentence if len(sentence) <= 240 else sentence[:237] + "…"


def typed_numbers(text: str, directives: list[Directive], lang: str,
                  displays: list[str] | None = None) -> list[TypedNumber]:
    """Every number of the prose a reader would take as a figure, with its sentence."""
    displays = displays if displays is not None else ["…"] * len(directives)
    masked = list(text)
    for directive in directives:
        masked[directive.start:directive.end] = "\x00" * (directive.end - directive.start)
    masked = "".join(masked)
    skipped = code_ranges(text) + [(d.start, d.end) for d in directives]
    skipped += [(m.start(), m.end()) for m in _LINK_TARGET.finditer(text)]
    skipped += [(m.start(), m.end()) for m in _LIST_MARKER.finditer(text)]
    found = []
    for match in _NUMBER.finditer(text):
        if any(a <= match.start() < b for a, b in skipped):
            continue
        typed = match.group("number")
        parsed = parse_typed(typed, lang)
        if parsed is None:
            continue
        value, decimals = parsed
        percent = bool(match.group("percent"))
        if not percent and decimals == 0 and (abs(value) <= SMALL_COUNT or
                                              (re.fullmatch(r"\d{4}", typed) and
                                               1900 <= value <= 2100)):
            continue
        line, _column = line_and_column(text, match.start())
        span = _sentence_span(masked, match.start(), match.end())
        found.append(TypedNumber(line, match.group(0).strip(), value,
                                 _shown(text, span, directives, displays)))
    return found


def computed_values(facts: list[Fact]) -> list[float]:
    """Every number the dossier's queries produce: numbers, and the cells of tables and figures."""
    values = []
    for fact in facts:
        if isinstance(fact.value, (int, float)) and not isinstance(fact.value, bool):
            values.append(float(fact.value))
        for row in fact.rows:
            values += [float(v) for v in row if isinstance(v, (int, float))
                       and not isinstance(v, bool)]
        values += fact.values
    return values


def _matches(typed: TypedNumber, decimals: int, value: float) -> bool:
    candidates = (value, value * 100) if abs(value) <= 1 else (value,)
    return any(abs(round(c, decimals) - typed.value) < 10 ** -(decimals + 3) or
               abs(c - typed.value) < 1e-9 for c in candidates)


def unverified_numbers(text: str, directives: list[Directive], facts: list[Fact],
                       lang: str) -> list[TypedNumber]:
    """Typed numbers that no query of the dossier produces."""
    produced = computed_values(facts)
    missing = []
    for typed in typed_numbers(text, directives, lang, [f.display for f in facts]):
        decimals = parse_typed(typed.text.rstrip("% \u00a0"), lang)[1]
        if not any(_matches(typed, decimals, value) for value in produced):
            missing.append(typed)
    return missing
