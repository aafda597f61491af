"""The trainer's printable pages: a two-day timetable and certificates of participation.

The timetable is built from the modules' own durations (teaching + exercises), with a morning
and an afternoon break and lunch, so changing a module's minutes changes the day. Certificates
come from the learners' progress files (the same ones as the class report): name, modules
completed, dates, trainer, organisation. Pages are offline HTML, one A4 page per certificate.
"""

from __future__ import annotations

from pathlib import Path

from datactiviste.i18n import _, get_language, ngettext
from datactiviste.i18n.formats import format_date
from datactiviste.lessons.handouts import CSS
from datactiviste.lessons.loader import load_modules
from datactiviste.lessons.model import Module
from datactiviste.offline import write_offline_html
from datactiviste.safety import escape_html

DAY_START = 9 * 60          # 09:00
MORNING_BREAK = (10 * 60 + 30, 15)
LUNCH = (12 * 60 + 30, 60)
AFTERNOON_BREAK = (15 * 60 + 30, 15)
DAY_END = 17 * 60 + 30      # a module never starts after 17:30
PRINT_CSS = ".certificate{page-break-after:always;border:6px double #333;padding:2.5em 2em;margin:1em 0;" \
            "text-align:center}.certificate h1{font-size:2em}.certificate .name{font-size:1.6em;margin:.6em 0}" \
            ".sign{display:flex;justify-content:space-between;margin-top:3em;text-align:left}" \
            "@media print{.certificate{margin:0;min-height:25cm}}"


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def split_days(modules: list[Module]) -> list[list[Module]]:
    """Modules in order, cut into as few days as fit, the days as even as the modules allow."""
    room = DAY_END - DAY_START - MORNING_BREAK[1] - LUNCH[1] - AFTERNOON_BREAK[1]
    total = sum(m.minutes for m in modules)
    count = max(1, -(-total // room))
    days, elapsed = [[]], 0
    for module in modules:
        target = total * len(days) / count
        if days[-1] and len(days) < count and abs(elapsed + module.minutes - target) > abs(elapsed - target):
            days.append([])
        days[-1].append(module)
        elapsed += module.minutes
    return days


def _lay_out(modules: list[Module]) -> list[tuple[int, int, str]]:
    """One day: modules from 09:00, each pause taken at its time (a module goes on after it)."""
    pending = [(MORNING_BREAK, _("Break")), (LUNCH, _("Lunch")), (AFTERNOON_BREAK, _("Break"))]
    slots, clock = [], DAY_START
    for module in modules:
        remaining, label = module.minutes, f"{module.number}. {module.title}"
        while remaining > 0:
            (at, length), name = pending[0] if pending else ((24 * 60, 0), "")
            if clock >= at:
                slots.append((clock, clock + length, name))
                clock += length
                pending.pop(0)
                continue
            piece = min(remaining, at - clock)
            slots.append((clock, clock + piece, label))
            clock, remaining = clock + piece, remaining - piece
    return slots


def timetable(modules: list[Module]) -> list[list[tuple[int, int, str]]]:
    """[[(start, end, label)]] per day, built from the modules' durations with the breaks."""
    return [_lay_out(day) for day in split_days(modules)]


def timetable_html(modules: list[Module], language: str) -> str:
    days = timetable(modules)
    body = [f"<h1>{escape_html(_('Workshop timetable'))}</h1>",
            "<p>" + escape_html(ngettext("{count} day, built from the modules' durations.",
                                         "{count} days, built from the modules' durations.",
                                         len(days)).format(count=len(days))) + "</p>"]
    for number, day in enumerate(days, start=1):
        rows = "".join(f"<tr><td>{_clock(a)}–{_clock(b)}</td><td>{escape_html(label)}</td></tr>"
                       for a, b, label in day)
        body.append(f"<h2>{escape_html(_('Day {number}').format(number=number))}</h2>"
                    f"<table><tr><th>{escape_html(_('Time'))}</th><th>{escape_html(_('Session'))}</th></tr>"
                    f"{rows}</table>")
    return _page(_("Workshop timetable"), "\n".join(body), language)


def certificates_html(learners: dict[str, list], trainer: str, organisation: str, language: str) -> str:
    """One certificate per learner who finished at least one module."""
    modules = load_modules(language)
    pages = []
    for name, events in learners.items():
        done = {(e.module, e.step) for e in events if e.kind == "done"}
        finished = [m for m in modules if m.exercises and all((m.number, s.id) in done for s in m.exercises)]
        if not finished:
            continue
        dates = sorted(e.at[:10] for e in events)
        first, last = format_date(dates[0], "day", lang=language), format_date(dates[-1], "day", lang=language)
        when = first if first == last else _("from {first} to {last}").format(first=first, last=last)
        items = "".join(f"<li>{escape_html(f'{m.number}. {m.title}')}</li>" for m in finished)
        pages.append(
            f'<section class="certificate"><h1>{escape_html(_("Certificate of participation"))}</h1>'
            f"<p>{escape_html(_('This certifies that'))}</p><p class=\"name\"><strong>{escape_html(name)}</strong></p>"
            f"<p>{escape_html(_('took part in the datactiviste open-data workshop ({when}) and completed:').format(when=when))}</p>"
            f'<ul style="display:inline-block;text-align:left">{items}</ul>'
            f'<div class="sign"><div>{escape_html(_("Trainer"))}<br><strong>{escape_html(trainer)}</strong></div>'
            f'<div>{escape_html(_("Organisation"))}<br><strong>{escape_html(organisation)}</strong></div></div></section>')
    if not pages:
        pages.append(f"<p>{escape_html(_('Nobody has finished a module yet.'))}</p>")
    return _page(_("Certificates of participation"), "\n".join(pages), language)


def _page(title: str, body: str, language: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape_html(title)}</title>\n<style>{CSS.strip()}{PRINT_CSS}</style>\n</head>\n"
            f"<body>\n{body}\n</body>\n</html>\n")


def write_timetable(output: Path, language: str | None = None) -> Path:
    language = language or get_language()
    return write_offline_html(Path(output), timetable_html(load_modules(language), language), _("timetable"))


def write_certificates(files, output: Path, trainer: str, organisation: str,
                       language: str | None = None) -> tuple[Path, int]:
    from datactiviste.lessons.report import merge_exports

    language = language or get_language()
    learners = merge_exports(files)
    html = certificates_html(learners, trainer, organisation, language)
    return write_offline_html(Path(output), html, _("certificates")), html.count('class="certificate"')

