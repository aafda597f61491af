"""Served pages that work on a phone: our stylesheet, and the panels folded on small screens.

Datasette 0.65 lays its pages out for a laptop, and our panels come on top of it; a trainee
with only a phone met a page that scrolled sideways and data several screens down. Three
pieces, all here:

- `stylesheet()`: every rule we add to Datasette's app.css, from the one file
  datactiviste/assets/serve/serve.css (tables that scroll in their own box with the first
  column kept in view, 40 px tap targets, text of 12 px and more, wrapping panels);
- `LAYOUT_RULES`: template rewrites, applied by `translate.TranslatingLoader` after its own
  `RULES`, that put the column descriptions, the filter rows, each facet and the suggested
  facets in a `<details class="dt-fold">` (the provenance panel of `metadata.about_panel` is
  one too) and keep a phone keyboard from capitalising or "correcting" SQL; `squeeze` takes
  the per-cell whitespace out of the rows template (fewer bytes on the hotspot);
- `FOLD_SCRIPT`: the `.dt-fold` panels are folded in the HTML, so a phone never lays out what
  it hides; on a screen wider than `SMALL_SCREEN` and taller than `SHORT_SCREEN` this opens
  them (without JavaScript they stay folded, one tap away).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from datactiviste.i18n import N_

STYLESHEET_FILE = Path(__file__).resolve().parents[1] / "assets" / "serve" / "serve.css"
# Datasette's own small-screen breakpoint (app.css); serve.css uses the same numbers.
SMALL_SCREEN = "(max-width: 576px)"
SHORT_SCREEN = "(max-height: 500px)"  # a phone held sideways
FOLD_CLASS = "dt-fold"

COLUMN_HEADERS = N_("Original column headers")
FILTERS = N_("Filters and sort")

_NO_PHONE_MAGIC = ' autocapitalize="off" autocorrect="off" spellcheck="false"'
_FACET_OPEN = '{% if facet_info.results|selectattr("selected")|list %} open{% endif %}'

# (template, exact snippet of Datasette 0.65.5, replacement), like translate.RULES; each
# snippet must still be found in Datasette's templates (tests/test_serve_i18n.py checks it).
LAYOUT_RULES: list[tuple[str, str, str]] = [
    ("table.html",
     '{% if metadata.columns %}\n<dl class="column-descriptions">\n'
     "    {% for column_name, column_description in metadata.columns.items() %}\n"
     "        <dt>{{ column_name }}</dt><dd>{{ column_description }}</dd>\n"
     "    {% endfor %}\n</dl>\n{% endif %}",
     '{% if metadata.columns %}<details class="dt-fold dt-columns"><summary>{{ _('
     + json.dumps(COLUMN_HEADERS) + ') }} ({{ metadata.columns|length }})</summary>'
     '<dl class="column-descriptions">'
     "{% for column_name, column_description in metadata.columns.items() %}"
     "<dt>{{ column_name }}</dt><dd>{{ column_description }}</dd>"
     "{% endfor %}</dl></details>{% endif %}"),
    # the filter rows, sort and Apply (the search box stays out: a phone keyboard's Go sends it)
    ("table.html", "    {% for column, lookup, value in filters.selections() %}",
     '<details class="dt-fold dt-filters"{% if filters.selections()|list %} open{% endif %}>'
     "<summary>{{ _(" + json.dumps(FILTERS) + ") }}</summary>\n"
     "    {% for column, lookup, value in filters.selections() %}"),
    ("table.html", '<input type="submit" value="Apply">\n    </div>\n</form>',
     '<input type="submit" value="Apply">\n    </div></details>\n</form>'),
    ("_facet_results.html", '<p class="facet-info-name">',
     '<details class="dt-fold dt-facet"' + _FACET_OPEN + '><summary class="facet-info-name">'),
    ("_facet_results.html", '{% endif %}\n            </p>\n            <ul class="tight-bullets">',
     '{% endif %}</summary>\n            <ul class="tight-bullets">'),
    ("_facet_results.html", "</ul>\n        </div>\n    {% endfor %}",
     "</ul></details>\n        </div>\n    {% endfor %}"),
    ("_suggested_facets.html", '<p class="suggested-facets">\n    Suggested facets: ',
     '<details class="dt-fold dt-suggested"><summary>Suggested facets:</summary>'
     '<p class="suggested-facets">'),
    ("_suggested_facets.html", "{% endfor %}\n</p>", "{% endfor %}</p></details>"),
    ("database.html", '<textarea id="sql-editor" name="sql"',
     '<textarea id="sql-editor" name="sql"' + _NO_PHONE_MAGIC),
    ("query.html", '<textarea id="sql-editor" name="sql"',
     '<textarea id="sql-editor" name="sql"' + _NO_PHONE_MAGIC),
]

# Templates whose line breaks and indentation are repeated for every cell of every row: the
# table of a table, query-less page is 40 % whitespace (85 KB for 50 rows of 14 columns).
# None of their tags spans lines and no words meet across a line break, so both can go.
SQUEEZED_TEMPLATES = frozenset({"_table.html"})


def squeeze(name: str, source: str) -> str:
    """`source` without its line breaks and indentation when `name` is in SQUEEZED_TEMPLATES."""
    if name.rsplit(":", 1)[-1] not in SQUEEZED_TEMPLATES:
        return source
    return re.sub(r"\n[ \t]*", "", source)


FOLD_SCRIPT = (
    "(function () {"
    f" if (window.matchMedia && matchMedia({json.dumps(SMALL_SCREEN + ', ' + SHORT_SCREEN)}).matches)"
    " { return; }"
    f" document.querySelectorAll('details.{FOLD_CLASS}').forEach(function (d) {{ d.open = true; }});"
    "})();")


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """serve.css without its comments and indentation (a third lighter on the hotspot), read once."""
    text = re.sub(r"/\*.*?\*/", "", STYLESHEET_FILE.read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"\s*\n\s*", "\n", text).strip() + "\n"
