"""Printable handouts: one offline HTML page per module, for learners and for facilitators.

The learner page has the objectives, the steps and the hints (folded, so a printed copy keeps
them at the end of each exercise); the facilitator page adds timing, notes and every solution.
Pages carry their CSS inline, load nothing, weigh a few KB, and are written through
`write_offline_html` so that stays true.
"""

from __future__ import annotations

import html
from pathlib import Path

from datactiviste.i18n import N_, _, get_language, ngettext, set_language
from datactiviste.lessons.loader import load_modules
from datactiviste.lessons.markup import inline, to_html
from datactiviste.lessons.model import Module, Step
from datactiviste.facts.values import cell_text
from datactiviste.i18n.formats import format_number
from datactiviste.lessons.checkers import expected_value, run_query
from datactiviste.lessons.practice import practice_databases
from datactiviste.lessons.session import practice_db_name, solution_text
from datactiviste.lessons.stated import render, rendered_step
from datactiviste.offline import write_offline_html

CSS = """
body{font:15px/1.5 Georgia,'Times New Roman',serif;max-width:46em;margin:1.5em auto;padding:0 1em;color:#111}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;border-bottom:1px solid #999;margin-top:1.6em}
h3{font-size:1.05em;margin-bottom:.3em}.meta{color:#444}.step{page-break-inside:avoid;margin:1em 0}
.kind{font:12px sans-serif;text-transform:uppercase;letter-spacing:.05em;color:#555}
.notes{background:#f4f1e8;border-left:4px solid #b58900;padding:.3em 1em}
.solution{background:#eef6ee;border-left:4px solid #2a7a2a;padding:.3em 1em}
pre{background:#f5f5f5;padding:.6em;overflow-x:auto;white-space:pre-wrap}code{font-size:.92em}
nav a{margin-right:1em}table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.2em .5em;text-align:left}
.print-only{display:none}
@media print{nav,.noprint,details{display:none}.print-only{display:block}body{margin:0}}
"""

KIND_LABELS = {
    "explanation": N_("Explanation"), "number": N_("Question (number)"), "text": N_("Question (text)"),
    "choice": N_("Multiple choice"), "sql": N_("SQL exercise"), "do_it": N_("Do it"),
}


def _page(title: str, body: str, language: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n<style>{CSS.strip()}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def module_file(module: Module, facilitator: bool) -> str:
    suffix = "-" + _("facilitator") if facilitator else ""
    return f"{module.number:02d}-{module.slug}{suffix}.html"


def computed_answer(module: Module, step: Step) -> str:
    """The value the checker expects, computed on the practice data: what a trainer reads out."""
    if step.kind == "choice":
        return f"{step.data['answer']}. {step.data['choices'][step.data['answer'] - 1]}"
    if step.kind in ("number", "text"):
        value = expected_value(module, step)
        if isinstance(value, list):
            return " / ".join(map(str, value))
        return format_number(value) if isinstance(value, (int, float)) else str(value)
    if step.kind == "sql":
        reference = practice_databases(module.practice_data)[0]
        columns, rows = run_query(reference, step.data["solution_sql"])
        shown = "; ".join(", ".join(cell_text(v, c, get_language()) for v, c in zip(row, columns))
                          for row in rows[:5])
        more = " …" if len(rows) > 5 else ""
        return ngettext("{count} row: {rows}", "{count} rows: {rows}", len(rows)).format(
            count=len(rows), rows=shown + more)
    return ""


def _step_html(module: Module, step: Step, position: int, facilitator: bool) -> str:
    step = rendered_step(module, step)
    parts = [f'<section class="step" id="{html.escape(step.id)}">',
             f'<div class="kind">{_("Step {position}").format(position=position)} · {_(KIND_LABELS[step.kind])}</div>']
    if step.title:
        parts.append(f"<h3>{inline(step.title)}</h3>")
    parts.append(to_html(step.text))
    if step.kind == "choice":
        parts.append("<ol>" + "".join(f"<li>{inline(c)}</li>" for c in step.data["choices"]) + "</ol>")
    if step.kind == "sql" and module.practice_data:
        parts.append(f'<p class="meta">{_("Practice database: {name}").format(name=html.escape(practice_db_name(module)))}</p>')
    if step.is_exercise:
        hints = "".join(f"<li>{inline(h)}</li>" for h in step.hints)
        parts.append(f"<details><summary>{_('Hints')}</summary><ol>{hints}</ol></details>")
    if facilitator and step.is_exercise:
        value = computed_answer(module, step)
        answer = ("<p>" + html.escape(_("Answer: {value}").format(value=value)) + "</p>") if value else ""
        if "answer_sql" in step.data:
            answer += "<p>" + _("Answer computed by:") + f"</p><pre><code>{html.escape(step.data['answer_sql'])}</code></pre>"
        solution = to_html(step.solution)
        code = solution_text(step)[len(step.solution.strip()):].strip()
        if code:
            solution += f"<pre><code>{html.escape(code)}</code></pre>"
        parts.append(f'<div class="solution"><strong>{_("Solution")}</strong>{answer}{solution}</div>')
    parts.append("</section>")
    return "\n".join(parts)


def module_html(module: Module, facilitator: bool, linked: bool = True) -> str:
    """A module's page; `linked` False: no link to the other version (it is not in the kit)."""
    version = _("Facilitator version") if facilitator else _("Learner version")
    other = module_file(module, not facilitator)
    link = (f'<a href="{other}">{_("Learner version") if facilitator else _("Facilitator version")}</a>'
            if linked else "")
    body = [f'<nav class="noprint"><a href="index.html">{_("All modules")}</a>{link}</nav>',
            f"<h1>{module.number}. {inline(module.title)}</h1>",
            f'<p class="meta">{version} · '
            + _("{teaching} min teaching, {exercises} min exercises").format(
                teaching=module.minutes_teaching, exercises=module.minutes_exercises)
            + (" · " + ngettext("Before: module {numbers}", "Before: modules {numbers}", len(module.prerequisites)).format(
                numbers=", ".join(map(str, module.prerequisites))) if module.prerequisites else "") + "</p>",
            to_html(render(module, module.summary)),
            f"<h2>{_('Objectives')}</h2><ul>" + "".join(f"<li>{inline(o)}</li>" for o in module.objectives) + "</ul>"]
    if facilitator:
        body.append(f'<h2>{_("Facilitator notes")}</h2><div class="notes">'
                    f'{to_html(render(module, module.facilitator_notes))}</div>')
    body.append(f"<h2>{_('Steps')}</h2>")
    body += [_step_html(module, step, i, facilitator) for i, step in enumerate(module.steps, start=1)]
    body.append(f"<h2>{_('Key points')}</h2><ul>" + "".join(f"<li>{inline(k)}</li>" for k in module.key_points) + "</ul>")
    if not facilitator:  # folded hints do not print: list them at the end of the paper copy
        appendix = "".join(f"<h3>{_('Step {position}').format(position=i)}</h3><ol>"
                           + "".join(f"<li>{inline(h)}</li>" for h in step.hints) + "</ol>"
                           for i, step in enumerate(module.steps, start=1) if step.is_exercise)
        body.append(f'<section class="print-only"><h2>{_("Hints")}</h2>{appendix}</section>')
    return _page(f"{module.number}. {module.title} — {version}", "\n".join(body), module.language)


def index_html(modules: list[Module], language: str, facilitator: bool = True) -> str:
    rows = []
    for module in modules:
        trainer = f' · <a href="{module_file(module, True)}">{_("facilitator")}</a>' if facilitator else ""
        rows.append(f"<tr><td>{module.number}</td><td>{inline(module.title)}</td>"
                    f"<td>{module.minutes_teaching}</td><td>{module.minutes_exercises}</td>"
                    f"<td>{len(module.exercises)}</td>"
                    f'<td><a href="{module_file(module, False)}">{_("learner")}</a>{trainer}</td></tr>')
    total = sum(m.minutes for m in modules)
    body = (f"<h1>{_('datactiviste workshop: handouts')}</h1>"
            f"<p>{_('{count} modules, {hours} h {minutes} min in all.').format(count=len(modules), hours=total // 60, minutes=total % 60)}</p>"
            f"<table><tr><th>#</th><th>{_('Module')}</th><th>{_('Teaching (min)')}</th>"
            f"<th>{_('Exercises (min)')}</th><th>{_('Checked exercises')}</th><th>{_('Pages')}</th></tr>"
            + "".join(rows) + "</table>")
    return _page(_("datactiviste workshop: handouts"), body, language)


def write_handouts(output: Path, languages, facilitator: bool = True) -> list[Path]:
    """Write DIR/<lang>/index.html and two pages per module (only the learner's page without
    `facilitator`: a learners' kit carries no solutions); returns the files written."""
    written = []
    previous = get_language()
    try:
        for language in languages:
            set_language(language)
            folder = Path(output) / language
            folder.mkdir(parents=True, exist_ok=True)
            modules = load_modules(language)
            for module in modules:
                for version in (False, True) if facilitator else (False,):
                    written.append(write_offline_html(folder / module_file(module, version),
                                                      module_html(module, version, facilitator), _("handout")))
            written.append(write_offline_html(folder / "index.html", index_html(modules, language, facilitator),
                                              _("handout")))
    finally:
        set_language(previous)
    return written
