"""The trainer's class report: many learners' progress files merged into one offline page.

Who finished which module, and where people got stuck: for each exercise, how many learners
tried it without finishing, how many wrong attempts, hints and solutions shown. The page is
ordered by learner name and by step, so the same files give the same bytes.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from datactiviste.i18n import _, get_language
from datactiviste.lessons.handouts import CSS
from datactiviste.lessons.loader import load_modules
from datactiviste.lessons.progress import events_of, read_export
from datactiviste.offline import write_offline_html
from datactiviste.safety import escape_html


def merge_exports(files) -> dict[str, list]:
    """{learner name: events}, several files of one learner merged without double counting."""
    learners: dict[str, dict] = defaultdict(dict)
    for path in files:
        exported = read_export(Path(path))
        for event in events_of(exported):
            learners[exported["learner"]][event.key()] = event
    return {name: sorted(events.values(), key=lambda e: e.key()) for name, events in sorted(learners.items())}


def stuck_points(learners: dict[str, list]) -> list[dict]:
    """One row per exercise someone attempted: tried, finished, wrong attempts, hints, solutions."""
    stats: dict[tuple[int, str], dict] = {}
    for name, events in learners.items():
        for event in events:
            if event.kind == "start":
                continue
            row = stats.setdefault((event.module, event.step), {"tried": set(), "done": set(), "wrong": 0,
                                                                 "hints": 0, "solutions": 0})
            if event.kind == "attempt":
                row["tried"].add(name)
                row["wrong"] += 0 if event.correct else 1
            elif event.kind == "done":
                row["done"].add(name)
            elif event.kind == "hint":
                row["hints"] += 1
            elif event.kind == "solution":
                row["solutions"] += 1
    rows = []
    for (module, step), row in stats.items():
        stuck = sorted(row["tried"] - row["done"])
        rows.append({"module": module, "step": step, "tried": len(row["tried"] | row["done"]),
                     "done": len(row["done"]), "stuck": stuck, "wrong": row["wrong"], "hints": row["hints"],
                     "solutions": row["solutions"]})
    return sorted(rows, key=lambda r: (-len(r["stuck"]), -r["wrong"], r["module"], r["step"]))


def step_title(modules, number: int, step_id: str) -> str:
    """'3. Les grosses dépenses de santé' rather than a slug; the slug if the step is unknown."""
    for module in modules:
        if module.number == number:
            for position, step in enumerate(module.steps, start=1):
                if step.id == step_id:
                    return f"{position}. {step.title or step_id}"
    return step_id


def class_report_html(learners: dict[str, list]) -> str:
    modules = load_modules()
    head = "".join(f'<th title="{escape_html(m.title)}">{escape_html(m.number)}</th>' for m in modules)
    rows = []
    for name, events in learners.items():
        done = {(e.module, e.step) for e in events if e.kind == "done"}
        cells = []
        for module in modules:
            total = len(module.exercises)
            count = sum(1 for s in module.exercises if (module.number, s.id) in done)
            mark = "✓" if total and count == total else f"{count}/{total}"
            cells.append(f"<td>{escape_html(mark)}</td>")
        rows.append(f"<tr><th>{escape_html(name)}</th>{''.join(cells)}</tr>")
    stuck_rows = []
    for row in stuck_points(learners):
        if not (row["stuck"] or row["wrong"] or row["hints"] or row["solutions"]):
            continue
        cells = [row["module"], step_title(modules, row["module"], row["step"]),
                 f"{row['done']}/{row['tried']}", ", ".join(row["stuck"]),
                 row["wrong"], row["hints"], row["solutions"]]
        stuck_rows.append("<tr>" + "".join(f"<td>{escape_html(cell)}</td>" for cell in cells) + "</tr>")
    body = (f"<h1>{_('Class report')}</h1>"
            f"<p>{escape_html(_('{count} learners.').format(count=len(learners)))}</p>"
            f"<h2>{_('Who finished what')}</h2>"
            f"<table><tr><th>{_('Learner')}</th>{head}</tr>{''.join(rows)}</table>"
            f"<h2>{_('Where people got stuck')}</h2>"
            + (f"<table><tr><th>{_('Module')}</th><th>{_('Step')}</th><th>{_('Finished / tried')}</th>"
               f"<th>{_('Still stuck')}</th><th>{_('Wrong answers')}</th><th>{_('Hints')}</th>"
               f"<th>{_('Solutions shown')}</th></tr>{''.join(stuck_rows)}</table>"
               if stuck_rows else f"<p>{_('Nobody got stuck.')}</p>"))
    return (f'<!DOCTYPE html>\n<html lang="{get_language()}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{_('Class report')}</title>\n<style>{CSS.strip()}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def write_class_report(files, output: Path) -> tuple[Path, int]:
    learners = merge_exports(files)
    path = write_offline_html(output, class_report_html(learners), _("class report"))
    return path, len(learners)
