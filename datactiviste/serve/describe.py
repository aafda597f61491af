"""Sentences Datasette builds in Python, rebuilt in the page's language.

Datasette composes "where commune = "Thiès" sorted by montant descending" and its error
messages in English inside its views; the templates receive finished strings. Parsing them
back would be guesswork, so the table description is rebuilt from the same context the view
had (filters, search, sort), and error messages are matched against Datasette's known
message shapes. Anything unknown is shown as Datasette wrote it (never hidden).
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from datactiviste.i18n import N_

# Filters.human_description_en shapes, by lookup key ({c} column, {v} value).
FILTER_SENTENCES = {
    "exact": N_('{c} = "{v}"'), "not": N_('{c} != "{v}"'),
    "contains": N_('{c} contains "{v}"'), "endswith": N_('{c} ends with "{v}"'),
    "startswith": N_('{c} starts with "{v}"'), "gt": N_("{c} > {v}"), "gte": N_("{c} ≥ {v}"),
    "lt": N_("{c} < {v}"), "lte": N_("{c} ≤ {v}"), "like": N_('{c} like "{v}"'),
    "notlike": N_('{c} not like "{v}"'), "glob": N_('{c} glob "{v}"'), "in": N_("{c} in {v}"),
    "notin": N_("{c} not in {v}"), "arraycontains": N_('{c} contains "{v}"'),
    "arraynotcontains": N_('{c} does not contain "{v}"'), "date": N_('"{c}" is on date {v}'),
    "isnull": N_("{c} is null"), "notnull": N_("{c} is not null"), "isblank": N_("{c} is blank"),
    "notblank": N_("{c} is not blank"),
}
_NUMERIC_EQUALITY = {"exact": "{c} = {v}", "not": "{c} != {v}"}

# (Datasette's English message as a regex, our message id with the same named groups).
ERROR_MESSAGES = [
    (r"Database not found", N_("Database not found")),
    (r"Table not found", N_("Table not found")),
    (r"Record not found", N_("Record not found")),
    (r"404", N_("Page not found")),
    (r"Not found", N_("Page not found")),
    (r"Invalid SQL", N_("Invalid SQL")),
    (r"SQL Interrupted", N_("SQL query interrupted")),
    (r"Method not allowed", N_("Method not allowed")),
    (r"Permission denied", N_("Permission denied")),
    (r"Forbidden", N_("Forbidden")),
    (r"Database is immutable", N_("The database is read-only")),
    (r"Database download is forbidden", N_("Downloading the database is not allowed here")),
    (r"Cannot sort table by (?P<column>.+)", N_("Cannot sort the table by {column}")),
    (r"_size must be <= (?P<limit>\d+)", N_("_size must be at most {limit}")),
    (r"_size must be a positive integer", N_("_size must be a positive integer")),
    (r"Cannot use _sort and _sort_desc at the same time",
     N_("Cannot use _sort and _sort_desc at the same time")),
    (r"no such table: (?P<name>.+)", N_("SQL error: no table named {name}")),
    (r"no such column: (?P<name>.+)", N_("SQL error: no column named {name}")),
    (r"near \"(?P<token>.+)\": syntax error", N_('SQL error: syntax error near "{token}"')),
    (r"Statement must be a SELECT", N_("Only SELECT queries are allowed")),
    (r"attempt to write a readonly database", N_("The database is read-only")),
    (r"interrupted", N_("SQL query interrupted")),
]
_TIME_LIMIT = "SQL query took too long"
_TEXTAREA = re.compile(r"<textarea[^>]*>(.*?)</textarea>", re.S)


def describe_table(translator, filters, search=None, sort=None, sort_desc=None,
                   fallback: str = "") -> str:
    """`where X = "a" and Y > 3 sorted by Z descending`, in the translator's language."""
    from datasette.filters import Filters

    gettext = translator.gettext
    bits = []
    if search:
        bits.append(gettext('search matches "{search}"').format(search=search))
    for column, lookup, value in filters.selections() if filters is not None else []:
        template = FILTER_SENTENCES.get(lookup)
        if template is None:
            return fallback  # a lookup we do not know: keep Datasette's English sentence
        if lookup in _NUMERIC_EQUALITY and str(value).isdigit():
            template = _NUMERIC_EQUALITY[lookup]
        if lookup in ("in", "notin"):
            import json

            value = json.dumps(Filters._filters_by_key[lookup].split_value(value), ensure_ascii=False)
        bits.append(gettext(template).format(c=column, v=value))
    text = ""
    if bits:
        joined = ", ".join(bits[:-1])
        joined = (joined + gettext(" and ") if joined else "") + bits[-1]
        text = gettext("where {conditions}").format(conditions=joined)
    if sort or sort_desc:
        sort_text = (gettext("sorted by {column} descending") if sort_desc
                     else gettext("sorted by {column}")).format(column=sort or sort_desc)
        text = " ".join(t for t in (text, sort_text) if t)
    return text


def translate_error(translator, error):
    """One of Datasette's error messages in the translator's language (unknown ones unchanged)."""
    if error is None:
        return error
    text = str(error)
    if _TIME_LIMIT in text:
        sql = _TEXTAREA.search(text)
        message = escape(translator.gettext(
            "The SQL query took too long and was stopped. Simplify it or add a LIMIT."))
        return Markup(f"<p>{message}</p>") + (
            Markup('<pre class="wrapped-sql">') + Markup(sql.group(1)) + Markup("</pre>") if sql else "")
    for pattern, message in ERROR_MESSAGES:
        match = re.fullmatch(pattern, text.strip(), re.S)
        if match:
            return translator.gettext(message).format(**match.groupdict())
    return error

