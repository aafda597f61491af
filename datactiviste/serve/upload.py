"""Add a file from the browser: the home page's form, the same import engine, its report shown.

For the person at the keyboard only: the form exists in local mode (the server listens on
127.0.0.1) and the upload view refuses classroom mode (whose guard refuses every POST anyway).
The file goes through `datactiviste.ingest.importer.import_file` like `datactiviste import`, into
the served database, whose metadata (provenance panel) is then rebuilt.
"""

from __future__ import annotations

import re
import tempfile
from email import policy
from email.parser import BytesParser
from pathlib import Path

from markupsafe import Markup, escape

from datactiviste.errors import DatactivisteError

UPLOAD_PATH = "/-/datactiviste/upload"
MAX_UPLOAD_BYTES = 300 * 1024 * 1024
ACCEPTED = ".csv,.tsv,.txt,.xlsx,.xlsm,.xls,.ods,.json,.geojson"


def same_origin(headers: dict) -> bool:
    """True when the POST comes from a page of this server (Origin, else Referer, matches Host).

    Datasette's CSRF middleware (asgi-csrf 0.11) cannot parse multipart bodies with the
    python-multipart now installed, so the upload route is exempted from it (`skip_csrf`) and
    checked here instead: browsers always send Origin on a cross-site POST.
    """
    from urllib.parse import urlparse

    host = headers.get("host", "")
    for header in ("origin", "referer"):
        value = headers.get(header)
        if value:
            return urlparse(value).netloc == host
    return False


def upload_form(datasette) -> Markup:
    """The "add a file" form for the home page (empty in classroom mode)."""
    options = datasette.datactiviste_options
    if options.classroom:
        return Markup("")
    _ = options.translator.gettext
    names = [name for name, db in datasette.databases.items() if db.is_mutable and db.path]
    if not names:
        return Markup("")
    choice = "".join(f'<option value="{escape(n)}">{escape(n)}</option>' for n in names)
    select = (f'<label>{escape(_("Into the database:"))} <select name="database">{choice}</select></label> '
              if len(names) > 1 else f'<input type="hidden" name="database" value="{escape(names[0])}">')
    return Markup(
        f'<form class="dt-upload" action="{escape(datasette.urls.path(UPLOAD_PATH))}" method="post" '
        f'enctype="multipart/form-data">'
        f'<h2>{escape(_("Add a file"))}</h2>'
        f'<p>{escape(_("A CSV or spreadsheet file becomes a new table, with the same checks as datactiviste import."))}</p>'
        f'<p><input type="file" name="file" accept="{ACCEPTED}" required> {select}'
        f'<input type="submit" value="{escape(_("Import"))}"></p></form>')


def parse_multipart(content_type: str, body: bytes) -> dict:
    """{field: str} plus {"file": (filename, bytes)} from a multipart/form-data body."""
    message = BytesParser(policy=policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body)
    fields: dict = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        filename = part.get_filename()
        payload = part.get_payload(decode=True) or b""
        if filename is not None:
            fields[name] = (filename, payload)
        else:
            fields[name] = payload.decode("utf-8", "replace")
    return fields


MAX_FILE_NAME_CHARACTERS = 200  # file systems allow 255 bytes; accents take two
WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def safe_file_name(name: str, translator=None) -> str:
    """The base name only (a browser may send C:\\fakepath\\x.csv), without characters filesystems refuse.

    Names that cannot be a file (`.`, `..`, too long, `CON` on Windows) are a DatactivisteError
    (the page answers 400 and says how to fix it), never a traceback.
    """
    _ = translator.gettext if translator is not None else (lambda text: text)
    base = re.split(r"[\\/]", name or "")[-1].strip()
    base = re.sub(r'[<>:"|?*\x00-\x1f]', "_", base)
    if not base:
        return "fichier.csv"
    if not base.strip(". ") or base.split(".")[0].lower() in WINDOWS_RESERVED:
        raise DatactivisteError(_("This file name cannot be used: «{name}».").format(name=base[:80]),
                                hint=_("Rename the file (for example donnees.csv) and send it again."))
    if len(base) > MAX_FILE_NAME_CHARACTERS:
        raise DatactivisteError(
            _("This file name is too long ({count} characters, {limit} at most).").format(
                count=len(base), limit=MAX_FILE_NAME_CHARACTERS),
            hint=_("Rename the file with a shorter name and send it again."))
    return base


def import_upload(datasette, fields: dict):
    """Import the uploaded file into the chosen served database; returns the import results."""
    from datactiviste.ingest.importer import import_file
    from datactiviste.serve.metadata import database_metadata

    options = datasette.datactiviste_options
    _ = options.translator.gettext
    upload = fields.get("file")
    if not isinstance(upload, tuple) or not upload[1]:
        raise DatactivisteError(_("No file was sent: choose a file, then click Import."))
    name = fields.get("database")
    database = datasette.databases.get(name) if isinstance(name, str) else None
    if database is None or not database.is_mutable or not database.path:
        raise DatactivisteError(_("Files can only be added to a database served from this computer."))
    filename, content = upload
    with tempfile.TemporaryDirectory(prefix="datactiviste-upload-") as folder:
        path = Path(folder) / safe_file_name(filename, options.translator)
        try:
            path.write_bytes(content)
        except OSError as error:
            raise DatactivisteError(_("This file name cannot be used: «{name}».").format(name=path.name[:80]),
                                    hint=error.strerror or "") from None
        results = import_file(path, database.path)
    metadata = datasette._metadata_local.setdefault("databases", {})
    metadata[name] = database_metadata(Path(database.path), name, options.translator)
    return results


def result_page_source(results, error, datasette, database_name) -> tuple[str, dict]:
    """(Jinja source extending Datasette's base.html, context) for the upload result page."""
    from datactiviste.i18n import set_language
    from datactiviste.ingest.report import render_import

    translator = datasette.datactiviste_options.translator
    _ = translator.gettext
    reports = []
    if results:
        set_language(translator.language)  # the import report speaks the page's language
        for result in results:
            reports.append({"table": result.table, "report": render_import(result),
                            "url": datasette.urls.table(database_name, result.table)})
    context = {"dt_title": _("Import report"), "dt_reports": reports,
               "dt_error": error.message if error else None, "dt_hint": error.hint if error else None,
               "dt_open": _("Open the table"), "dt_back": _("Back to the home page"),
               "dt_home": datasette.urls.instance()}
    source = (
        '{% extends "base.html" %}{% block title %}{{ dt_title }}{% endblock %}'
        '{% block content %}<h1>{{ dt_title }}</h1>'
        '{% if dt_error %}<p class="message-error">{{ dt_error }}</p>'
        '{% if dt_hint %}<p>{{ dt_hint }}</p>{% endif %}{% endif %}'
        '{% for r in dt_reports %}<h2><a href="{{ r.url }}">{{ r.table }}</a></h2>'
        '<pre class="dt-report">{{ r.report }}</pre>'
        '<p><a href="{{ r.url }}">{{ dt_open }}</a></p>{% endfor %}'
        '<p><a href="{{ dt_home }}">{{ dt_back }}</a></p>{% endblock %}')
    return source, context
