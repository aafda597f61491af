"""Does the title say what the data says? A check run by `chart`, `map` and `dossier check`.

A headline is the one line every reader reads; "La liste Baobab arrive en tête" over a chart
where Baobab is third is a correction waiting to happen. `check_headline` reads a title (or
subtitle, or any sentence) for three kinds of claim, in French or English, accents and case
folded:

- a **rank**: a named category "arrive en tête", "domine", "le plus", "premier", "record",
  "largest", "leads", "highest"… must be the largest; "le moins", "la plus faible", "dernier",
  "least", "lowest", "fewest"… the smallest;
- a **comparison**: "A devance B", "A dépasse B", "A plus que B", "A ahead of B", "A beats B"
  must have A above B ("A derrière B", "A behind B", "less than" the reverse);
- a **trend** (ordered series only: dates, years): "hausse", "augmente", "progresse", "rising",
  "grows"… must go up from the first to the last value (or between the two periods the title
  names), "baisse", "recul", "chute", "falls", "declines"… down.

Negated claims ("n'arrive pas en tête", "not the largest", "ne domine plus") are not checked,
time words are not ranks ("premier trimestre", "l'an dernier", "last year", "first round").
Each mismatch gives one warning in the reader's language with the real ranking or the real
change, so the journalist sees at once what to write instead. No claim, no warning: the check
never guesses at sentences it does not understand.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from datactiviste.i18n import _, get_language, set_language
from datactiviste.i18n.formats import format_number
from datactiviste.ingest.names import fold as _lower_without_accents

RANKING_SHOWN = 3  # values listed in a warning (plus the named one if it is further down)

# Folded text: lower case, no accents, every non-alphanumeric run one space (so "n'arrive"
# is "n arrive", "en-tête" is "en tete"). Patterns are written for that text.
_BOTTOM = (
    r"(?:le|la|les|l) moins", r"(?:le|la|les|l) plus (?:faible|faibles|bas|basse|basses|petit|"
    r"petite|petits|petites|mauvais|mauvaise)", r"(?:dernier|derniere|derniers|dernieres)",
    r"en queue", r"lanterne rouge", r"(?:au|en) bas du classement", r"minimum", r"ferme la marche",
    r"least", r"lowest", r"fewest", r"smallest", r"weakest", r"worst", r"last", r"bottom",
    r"trails?", r"trailing",
)
_TOP = (
    r"(?:arrive|arrivent|arrivee|arrives|est|sont|reste|restent|passe|passent)? ?en tete",
    r"(?:le|la|les|l) plus", r"plus (?:grand|grande|grands|grandes|eleve|elevee|eleves|elevees)",
    r"domin\w*", r"(?:premier|premiere|premiers|premieres)", r"record\w*", r"majoritaire\w*",
    r"(?:le|la) leader", r"(?:le|la|les) (?:meilleur|meilleure|meilleurs|meilleures)",
    r"numero (?:un|1)", r"n 1", r"maximum", r"remport\w*", r"(?:en|a la) premiere place",
    r"largest", r"biggest", r"highest", r"greatest", r"(?:the )?most", r"best", r"leads?",
    r"leading", r"tops?", r"first", r"number one", r"dominat\w*", r"ahead of (?:all|the rest)",
)
_ABOVE = (r"devance\w*", r"depass\w*", r"plus(?: \w+){0,2} que", r"(?:est )?devant", r"bat\b",
          r"battent", r"surpass\w*", r"ahead of", r"beats?", r"outpac\w*", r"outnumber\w*",
          r"(?:more|higher|larger|bigger|greater)(?: \w+){0,2} than", r"above")
_BELOW = (r"derriere", r"moins(?: \w+){0,2} que", r"behind",
          r"(?:less|fewer|lower|smaller)(?: \w+){0,2} than", r"below")
_RISE = (r"hausse\w*", r"augment\w*", r"progress\w*", r"croissan\w*", r"croit", r"croissent",
         r"grimp\w*", r"(?:monte|montent|montee|montees)", r"bondi\w*", r"envol\w*",
         r"redress\w*", r"rebond\w*", r"rises?", r"rising", r"increas\w*", r"grow\w*",
         r"grew", r"climb\w*", r"soar\w*", r"surg\w*", r"jump\w*", r"(?:goes|going|went) up",
         r"upward", r"on the rise")
_FALL = (r"baiss\w*", r"diminu\w*", r"recul\w*", r"chut\w*", r"degringol\w*", r"plong\w*",
         r"effondr\w*", r"declin\w*", r"decroi\w*", r"repli\w*", r"fall(?:s|ing)?", r"fell",
         r"drop\w*", r"decreas\w*", r"shrink\w*", r"shrank", r"plung\w*", r"slump\w*",
         r"tumbl\w*", r"slid(?:e|es|ing)?", r"(?:goes|going|went) down", r"downward")
# Words that make the next rank word a date or a round, not a rank.
_TIME_AFTER = (r"(?:trimestre|semestre|tour|mois|annee|annees|an|ans|jour|jours|semaine|"
               r"semaines|decennie|recensement|ministre|quarter|half|round|year|years|month|"
               r"months|week|weeks|day|days|decade|census|time|minister)")
_TIME_BEFORE = r"(?:an|annee|mois|trimestre|semestre|semaine|recensement|tour|fois)"
_NEGATIONS = frozenset({"pas", "jamais", "n", "ne", "ni", "not", "never", "no", "nor", "isn",
                        "aren", "wasn", "weren", "doesn", "don", "didn", "longer"})
_STOPWORDS = frozenset({"la", "le", "les", "l", "de", "des", "du", "d", "et", "en", "the", "of",
                        "and", "liste", "parti", "region", "list", "party", "a", "au", "aux"})


@dataclass(frozen=True)
class _Claim:
    kind: str      # 'top', 'bottom', 'above', 'below', 'rise', 'fall'
    start: int     # character span in the folded text
    end: int
    words: str     # the folded words matched


def check_headline(text: str, values: Sequence[tuple[str, float]], lang: str | None = None, *,
                   ordered: bool = False,
                   format_value: Callable[[float], str] | None = None) -> list[str]:
    """Warnings (in `lang`, default the current language) where `text` contradicts `values`.

    `values` are (label, value) pairs: categories of a bar chart or regions of a map, or, with
    `ordered=True`, the points of a time series in order (then trends are checked too).
    `format_value` writes a value the way the chart does ('41 %', '1 234 FCFA'); by default a
    plain number. An empty list means nothing to correct (or nothing the check understands).
    """
    points = [(str(label), float(value)) for label, value in values
              if label is not None and value is not None and value == value]
    if not text or not points:
        return []
    previous = get_language()
    if lang and lang != previous:
        set_language(lang)
    try:
        fmt = format_value or (lambda v: format_number(v))
        return _warnings(fold_text(text), points, ordered, fmt)
    finally:
        if lang and lang != previous:
            set_language(previous)


def fold_text(text: str) -> str:
    """'La liste Baobab arrive en tête !' -> 'la liste baobab arrive en tete'."""
    folded = _lower_without_accents(str(text)).replace("œ", "oe").replace("æ", "ae")
    folded = folded.replace("n°", "n ").replace("nº", "n ")
    return " ".join(re.sub(r"[^0-9a-z%]+", " ", folded).split())


def _warnings(folded: str, points: list[tuple[str, float]], ordered: bool, fmt) -> list[str]:
    claims = find_claims(folded)
    named = find_named(folded, [label for label, _value in points])
    warnings: list[str] = []
    for claim in claims:
        if claim.kind in ("top", "bottom"):
            warnings += _check_rank(claim, named, points, ordered, fmt)
        elif claim.kind in ("above", "below"):
            warnings += _check_comparison(claim, named, points, fmt)
        elif ordered:
            warnings += _check_trend(claim, named, points, fmt)
    return list(dict.fromkeys(warnings))


def find_claims(folded: str) -> list[_Claim]:
    """Every non-negated claim in folded text, in reading order; bottom words win over top
    words on the same span ('la plus faible' is a bottom claim, not 'la plus')."""
    taken: list[tuple[int, int]] = []
    claims: list[_Claim] = []
    for kind, patterns in (("bottom", _BOTTOM), ("below", _BELOW), ("top", _TOP),
                           ("above", _ABOVE), ("rise", _RISE), ("fall", _FALL)):
        for match in re.finditer(r"\b(?:" + "|".join(patterns) + r")\b", folded):
            span = match.span()
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue
            if kind in ("top", "bottom") and _is_time_word(folded, span):
                continue
            taken.append(span)
            if not _negated(folded, span):
                claims.append(_Claim(kind, *span, match.group()))
    return sorted(claims, key=lambda c: c.start)


def _is_time_word(folded: str, span: tuple[int, int]) -> bool:
    after = folded[span[1]:span[1] + 20]
    before = folded[max(0, span[0] - 12):span[0]]
    word = folded[span[0]:span[1]]
    if re.match(r" " + _TIME_AFTER + r"\b", after):
        return True
    if re.match(r"(?:dernier|derniere|last|first|premier|premiere)s?$", word) and \
            re.search(r"\b" + _TIME_BEFORE + r" $", before):
        return True  # 'l'an dernier', 'le mois dernier'
    return bool(re.match(r"(?:the )?most$", word) and re.match(r" of\b", after))


def _negated(folded: str, span: tuple[int, int]) -> bool:
    """'n'arrive pas en tête', 'ne domine plus', 'is not the largest', 'no longer leads'."""
    return any(word in _NEGATIONS for word in folded[:span[0]].split()[-3:])


def find_named(folded: str, labels: Sequence[str]) -> list[tuple[int, str]]:
    """(position, label) of each label the text names, in reading order.

    A label is named by its whole folded text, or by a word of it that no other label has
    ('Liste Baobab' is named by 'Baobab'; 'Liste' names nothing), also in the plural
    ('les écoles privées' names 'privée'). Longer labels first, so 'Saint-Louis' is not also
    read as 'Louis'.
    """
    folded_labels = {label: fold_text(label) for label in labels}
    word_owners: dict[str, set[str]] = {}
    for label, folded_label in folded_labels.items():
        for word in folded_label.split():
            word_owners.setdefault(word, set()).add(label)
    found: dict[str, int] = {}
    taken: list[tuple[int, int]] = []
    candidates = []
    for label, folded_label in folded_labels.items():
        if folded_label:
            candidates.append((folded_label, label))
        for word in folded_label.split():
            if len(word) >= 3 and word not in _STOPWORDS and len(word_owners[word]) == 1 \
                    and word != folded_label and not word.isdigit():
                candidates.append((word, label))
    for needle, label in sorted(candidates, key=lambda c: -len(c[0])):
        plural = r"(?:s|es|x)?" if needle[-1:].isalpha() else ""   # 'privées' names 'privée'
        for match in re.finditer(r"(?<![0-9a-z])" + re.escape(needle) + plural + r"(?![0-9a-z])",
                                 folded):
            span = match.span()
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue
            taken.append(span)
            found[label] = min(found.get(label, span[0]), span[0])
    return sorted(((pos, label) for label, pos in found.items()))


def _ranking(points, fmt, reverse: bool, named: str | None = None) -> tuple[list, str]:
    ranked = sorted(points, key=lambda p: p[1], reverse=reverse)
    shown = ranked[:RANKING_SHOWN]
    if named and named not in [label for label, _v in shown]:
        shown += [p for p in ranked if p[0] == named][:1]
    text = ", ".join(f"{i}. {label} ({fmt(value)})" for i, (label, value) in
                     ((ranked.index(p) + 1, p) for p in shown))
    return ranked, text


def _check_rank(claim, named, points, ordered, fmt) -> list[str]:
    subject = _subject(claim, named)
    values = [v for _label, v in points]
    if subject is None:
        if ordered and claim.words.startswith("record") and points[-1][1] < max(values):
            subject = points[-1][0]   # 'record' over a series, no date named: the latest one
        else:
            return []
    value = dict(points)[subject]
    top = claim.kind == "top"
    if value == (max(values) if top else min(values)):
        return []
    ranked, ranking = _ranking(points, fmt, reverse=top, named=subject)
    rank = next(i for i, (label, v) in enumerate(ranked, 1) if v == value)
    message = (_("The title says “{name}” is first, but it ranks {rank} of {count}: {ranking}.")
               if top else
               _("The title says “{name}” is last, but it ranks {rank} of {count} from the "
                 "bottom: {ranking}."))
    return [message.format(name=subject, rank=rank, count=len(points), ranking=ranking)]


def _subject(claim, named) -> str | None:
    """The category a rank claim is about: the nearest one named before it, else after it."""
    before = [label for pos, label in named if pos < claim.start]
    after = [label for pos, label in named if pos >= claim.end]
    return before[-1] if before else (after[0] if after else None)


def _check_comparison(claim, named, points, fmt) -> list[str]:
    before = [label for pos, label in named if pos < claim.start]
    after = [label for pos, label in named if pos >= claim.end]
    if not before or not after:
        return []
    first, second = before[-1], after[0]
    values = dict(points)
    above = claim.kind == "above"
    if first == second or (values[first] > values[second] if above
                           else values[first] < values[second]):
        return []
    message = (_("The title says “{a}” is above “{b}”, but {a} is {a_value} and {b} is "
                 "{b_value}.") if above else
               _("The title says “{a}” is below “{b}”, but {a} is {a_value} and {b} is "
                 "{b_value}."))
    return [message.format(a=first, b=second, a_value=fmt(values[first]),
                           b_value=fmt(values[second]))]


def _check_trend(claim, named, points, fmt) -> list[str]:
    labels = [label for label, _v in points]
    periods = sorted({labels.index(label) for _pos, label in named})
    start, end = (points[periods[0]], points[periods[-1]]) if len(periods) >= 2 else \
        (points[0], points[-1])
    if start == end:
        return []
    change = end[1] - start[1]
    rising = claim.kind == "rise"
    if (change > 0) if rising else (change < 0):
        return []
    if change == 0:
        real = _("it stays at {value} from {start} to {end}").format(
            value=fmt(start[1]), start=start[0], end=end[0])
    else:
        real = (_("it falls from {a} ({start}) to {b} ({end})") if change < 0 else
                _("it rises from {a} ({start}) to {b} ({end})")).format(
            a=fmt(start[1]), start=start[0], b=fmt(end[1]), end=end[0])
    message = (_("The title says the series rises, but {real}.") if rising else
               _("The title says the series falls, but {real}."))
    return [message.format(real=real)]
