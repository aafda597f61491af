"""The room at one moment, as data: what the dashboard shows, `etat.json` returns and the CSV holds.

One snapshot, computed from the journal by `atelier_status`, so the page, its JSON and the
export can never disagree. Times are ISO 8601 in UTC (the learners' clocks corrected); a
learner's step that is absent from `cells` is not started.
"""

from __future__ import annotations

import csv
import datetime
import io
import time

from datactiviste.serve.atelier_status import DONE, IN_PROGRESS, NOT_STARTED, STRUGGLING, room_state, step_rates, stuck_now

VERSION = 1


def iso(moment: float | None) -> str | None:
    if moment is None:
        return None
    return datetime.datetime.fromtimestamp(moment, datetime.timezone.utc).replace(microsecond=0).isoformat()


def local_time(text: str | None, seconds: bool = False) -> str:
    """An ISO time of the snapshot, on the server's clock and zone ('10:42', '2026-12-02 10:42:05')."""
    if not text:
        return ""
    moment = datetime.datetime.fromisoformat(text).astimezone()
    return moment.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%H:%M")


def snapshot(room, modules, translator, now: float | None = None) -> dict:
    """The room's state as plain JSON data (see the module docstring)."""
    now = time.time() if now is None else now
    infos, states, left_out = room_state(room.learners(), room.events(), modules, now)
    rates = step_rates(infos, states)
    titles = {(s.module, s.id): s.title for m in infos for s in m.steps}
    return {
        "v": VERSION, "now": iso(now), "steps_left_out": left_out,
        "modules": [{"number": m.number, "title": m.title,  # "" for a module this server does not have
                     "steps": [{"id": s.id, "position": s.position, "title": s.title, "exercise": s.exercise,
                                "planned_minutes": None if s.planned_seconds is None else round(s.planned_seconds / 60, 1),
                                "done": rates[(m.number, s.id)][0], "reached": rates[(m.number, s.id)][1]}
                               for s in m.steps]} for m in infos],
        "learners": [{"name": state.name, "heard": iso(state.heard),
                      "current": None if state.current is None else
                      {"module": state.current[0], "step": state.current[1]},
                      "cells": [{"module": key[0], "step": key[1], "status": cell.status,
                                 "attempts": cell.attempts, "wrong": cell.wrong, "hints": cell.hints,
                                 "solution": cell.solution, "slow": cell.slow,
                                 "first_seen": iso(cell.first_seen), "reached": iso(cell.reached),
                                 "done_at": iso(cell.done_at)}
                                for key, cell in sorted(state.cells.items()) if cell.status != NOT_STARTED]}
                     for state in states],
        "stuck": [{"name": state.name, "module": state.current[0], "step": state.current[1],
                   "title": titles.get(state.current, state.current[1]), "since": iso(cell.reached),
                   "minutes": int((now - cell.reached) // 60), "wrong": cell.wrong, "slow": cell.slow}
                  for state, cell in stuck_now(states)],
    }


def status_label(translator, status: str) -> str:
    _ = translator.gettext
    return {DONE: _("done"), STRUGGLING: _("struggling"), IN_PROGRESS: _("in progress"),
            NOT_STARTED: _("not started")}[status]


def csv_export(data: dict, translator) -> tuple[bytes, str]:
    """(UTF-8 CSV with BOM, file name): one row per learner and step of the room's modules
    (the protocol's columns, then hints and whether the solution was shown).

    `;` in French and `,` in English, as each language's Excel expects; text cells go through
    `safety.neutralise_formula` (a learner named `=HYPERLINK(…)` stays a name).
    """
    from datactiviste.safety import neutralise_formula

    _ = translator.gettext
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if translator.language == "fr" else ",", lineterminator="\r\n")
    writer.writerow([_("learner"), _("module"), _("step"), _("step title"), _("status"), _("attempts"),
                     _("wrong attempts"), _("first seen"), _("done at"), _("hints"), _("solution shown")])
    for learner in data["learners"]:
        cells = {(c["module"], c["step"]): c for c in learner["cells"]}
        for module in data["modules"]:
            for step in module["steps"]:
                cell = cells.get((module["number"], step["id"]), {})
                writer.writerow([neutralise_formula(learner["name"]), module["number"], step["position"],
                                 neutralise_formula(step["title"]),
                                 status_label(translator, cell.get("status", NOT_STARTED)),
                                 cell.get("attempts", 0), cell.get("wrong", 0),
                                 local_time(cell.get("first_seen"), seconds=True),
                                 local_time(cell.get("done_at"), seconds=True), cell.get("hints", 0),
                                 _("yes") if cell.get("solution") else _("no")])
    stamp = local_time(data["now"], seconds=True)[:16].replace(" ", "_").replace(":", "")
    return ("\ufeff" + out.getvalue()).encode("utf-8"), f"atelier-{stamp}.csv"
