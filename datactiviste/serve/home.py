"""The workshop on the home page: each lesson module with the command that starts it.

The lessons live in `datactiviste.lessons` (read from the bundled curricula); the home page only
lists them so a trainee who opened the browser sees where the exercises are.
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
