"""`dossier check`: the fact-check before publication.

Re-runs every query of dossier.md and lists what needs a human look:
(i) figures whose result changed since the last build (and a text edited since then),
(ii) numbers typed by hand in the prose that no query produces, with their sentence,
(iii) chart and map titles (and the dossier's title) that their data contradict, by the
shared headline check (`graphics.headline`),
(iv) queries that return nothing or NULL.
Bad directives raise like `build` does (exit 2); findings are returned (exit 1 in the CLI).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from datactiviste.dossier.build import evaluate_dossier
from datactiviste.dossier.folder import FACTS_FILE, HTML_FILE, Dossier, read_dossier
from datactiviste.dossier.method import figure_labels
from datactiviste.dossier.prose import unverified_numbers
from datactiviste.facts import Evaluation
from datactiviste.facts.model import Fact
from datactiviste.graphics.headline import check_headline
from datactiviste.i18n import _

KINDS = ("changed", "typed", "title", "empty", "build")
ORDERED_KINDS = ("date", "year", "number")


@dataclass
class Finding:
    kind: str           # one of KINDS
    line: int | None
    message: str
    sentence: str = ""


@dataclass
class CheckReport:
    dossier: Dossier
    facts: int
    findings: list[Finding] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.findings


def _last_build(dossier: Dossier) -> dict | None:
    path = dossier.output(FACTS_FILE)
    if not path.is_file() or not dossier.output(HTML_FILE).is_file():
        return None
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    return record if isinstance(record, dict) and isinstance(record.get("facts"), list) else None


def changed_since_build(dossier: Dossier, evaluation: Evaluation) -> list[Finding]:
    record = _last_build(dossier)
    if record is None:
        return [Finding("build", None, _("The dossier has not been built yet (or dossier.html "
                                         "is missing): run datactiviste dossier build."))]
    findings = []
    if record.get("text_sha256") != dossier.text_sha256():
        findings.append(Finding("build", None, _("dossier.md was edited after the last build: "
                                                 "build again before publishing.")))
    before = {(f.get("directive"), f.get("line")): f for f in record["facts"]
              if isinstance(f, dict)}
    for fact in evaluation.facts:
        old = before.get((fact.directive, fact.line))
        if old is None:
            continue
        if fact.kind == "number" and old.get("display") != fact.display:
            findings.append(Finding("changed", fact.line, _(
                "This number changed since the last build: {old} then, {new} now.").format(
                old=old.get("display"), new=fact.display)))
        elif fact.kind in ("table", "chart", "map") and old.get("rows") != len(fact.rows):
            findings.append(Finding("changed", fact.line, _(
                "This figure's data changed since the last build: {old} rows then, {new} "
                "now.").format(old=old.get("rows"), new=len(fact.rows))))
    return findings


def _headline_problems(text: str, fact: Fact, lang: str) -> list[str]:
    if not text or not fact.labels:
        return []
    # the claim words are read in the dossier's language (and English); the warning is
    # written in the reader's, like the rest of the report
    return check_headline(text, list(zip(fact.labels, fact.values)), None,
                          ordered=fact.x_kind in ORDERED_KINDS)


def contradicted_titles(dossier: Dossier, evaluation: Evaluation) -> list[Finding]:
    findings = []
    labels = figure_labels(evaluation.facts)
    figures = [(label, f) for label, f in zip(labels, evaluation.facts)
               if f.kind in ("chart", "map")]
    for label, fact in figures:
        for problem in _headline_problems(fact.title, fact, dossier.lang):
            findings.append(Finding("title", fact.line, _(
                "{figure}: the title “{title}” contradicts its data. {problem}").format(
                figure=label, title=fact.title, problem=problem)))
    for heading in (dossier.title, dossier.subtitle):
        for label, fact in figures:
            for problem in _headline_problems(heading, fact, dossier.lang):
                findings.append(Finding("title", _front_line(dossier, heading), _(
                    "The dossier's title “{title}” contradicts {figure}. {problem}").format(
                    title=heading, figure=label, problem=problem)))
    return findings


def _front_line(dossier: Dossier, value: str) -> int | None:
    return next((i for i, line in enumerate(dossier.text.splitlines(), 1) if value in line), None)


def typed_by_hand(dossier: Dossier, evaluation: Evaluation) -> list[Finding]:
    findings = []
    front = "\n".join(h for h in (dossier.title, dossier.subtitle) if h)
    for typed in unverified_numbers(front, [], evaluation.facts, dossier.lang):
        findings.append(Finding("typed", _front_line(dossier, typed.text),
                                _("“{number}” in the title is typed by hand: no query gives it.")
                                .format(number=typed.text), typed.sentence))
    for typed in unverified_numbers(dossier.body, evaluation.directives, evaluation.facts,
                                    dossier.lang):
        findings.append(Finding("typed", typed.line, _(
            "“{number}” is typed by hand: no query of the dossier gives it. Compute it with a "
            "“number” directive, or check it.").format(number=typed.text), typed.sentence))
    return findings


def empty_answers(evaluation: Evaluation) -> list[Finding]:
    findings = []
    for label, fact in zip(figure_labels(evaluation.facts), evaluation.facts):
        if fact.empty:
            message = (_("This query returns no value (NULL or no row).") if fact.kind == "number"
                       else _("{figure}: the query returns no row.").format(figure=label))
            findings.append(Finding("empty", fact.line, message))
    return findings


def check_dossier(folder) -> CheckReport:
    """Re-run everything and list what a human must look at before publication."""
    dossier = read_dossier(folder)
    evaluation, _checksum = evaluate_dossier(dossier)
    findings = (changed_since_build(dossier, evaluation) + typed_by_hand(dossier, evaluation)
                + contradicted_titles(dossier, evaluation) + empty_answers(evaluation))
    findings.sort(key=lambda f: (f.line or 0, KINDS.index(f.kind)))
    return CheckReport(dossier, len(evaluation.facts), findings)
