"""The workshop on the home page: each lesson module with the command that starts it.

The lessons live in `datactiviste.lessons` (read from the bundled curricula); the home page only
lists them so a trainee who opened the browser sees where the exercises are. In classroom mode
with the live room on, it also says how to join it, with this server's address as the trainee
typed it and the room code left to the board (the home page is seen by the whole network).
"""

from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup, escape


@lru_cache(maxsize=4)
def lessons_panel(language: str) -> Markup:
    """A <details> list of modules (number, title, summary, `datactiviste lesson start N`)."""
    from datactiviste.lessons.loader import load_modules
    from datactiviste.serve.translate import Translator

    _ = Translator(language).gettext
    try:
        modules = load_modules(language)
    except Exception:  # noqa: BLE001 - a broken curriculum must not take the data pages down
        return Markup("")
    if not modules:
        return Markup("")
    items = "".join(
        f"<li><strong>{escape(_('Module {number}').format(number=m.number))} — {escape(m.title)}</strong>"
        f"<br>{escape(m.summary)} <code>datactiviste lesson start {m.number}</code></li>"
        for m in modules)
    return Markup(f'<details class="dt-lessons"><summary>{escape(_("The workshop lessons"))}</summary>'
                  f"<p>{escape(_('Each module is done in the terminal; the answers are checked against your database.'))}</p>"
                  f'<ul class="bullets">{items}</ul></details>')


def join_hint(options, request) -> Markup:
    """« Send your results to the trainer: datactiviste lesson join http://ADDRESS:PORT CODE »."""
    if options is None or getattr(options, "atelier", None) is None or request is None:
        return Markup("")
    from datactiviste.serve.atelier_page import join_command

    _ = options.translator.gettext
    host = request.headers.get("host", "")  # checked by SiteGuard: one of this server's addresses
    return Markup(
        f'<p class="dt-atelier-hint">{escape(_("To send your results to the trainer, type once in the terminal:"))}'
        f" <code>{escape(join_command(host, _('CODE')))}</code> "
        f"{escape(_('(CODE is written on the board).'))}</p>")
