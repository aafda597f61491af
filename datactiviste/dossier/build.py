"""`dossier build`: evaluate every directive, write dossier.html (and a PDF), record the facts.

Everything is computed before anything is written: a bad directive stops the build with its
line and leaves the previous dossier.html as it was. Files are written beside their target and
renamed into place. `dossier-faits.json` keeps what each directive gave (value, display, SQL,
line) with the checksums of the text and the database, which is what `dossier check` compares.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from datactiviste import __version__
from datactiviste.dossier.appendix import appendix_html
from datactiviste.dossier.folder import (FACTS_FILE, HTML_FILE, PDF_FILE, Dossier, open_database,
                                         read_dossier, write_atomically)
from datactiviste.dossier.method import method_html
from datactiviste.dossier.page import Reproducibility, document_html, footer_html
from datactiviste.errors import DatactivisteError
from datactiviste.facts import Evaluation, evaluate
from datactiviste.files import sha256_file
from datactiviste.facts.markdown import evaluation_html
from datactiviste.i18n import _
from datactiviste.i18n.formats import format_date, format_number
from datactiviste.offline import assert_offline


HEAVY_BYTES = 1_500_000   # the budget of a dossier with 3 charts, 1 map and 2 tables


@dataclass
class BuildResult:
    dossier: Dossier
    evaluation: Evaluation
    html: Path
    pdf: Path | None
    facts_file: Path
    size: int
    seconds: float
    warnings: list[str] = field(default_factory=list)


def build_time(now: dt.datetime | None = None) -> dt.datetime:
    """Now in UTC, or SOURCE_DATE_EPOCH (the reproducible-builds convention) when it is set."""
    if now is not None:
        return now
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def evaluate_dossier(dossier: Dossier) -> tuple[Evaluation, str]:
    """(evaluation, database sha256): every query run, read-only."""
    connection = open_database(dossier)
    try:
        evaluation = evaluate(dossier.body, connection, dossier.lang, base_dir=dossier.folder,
                              path=str(dossier.path))
    finally:
        connection.close()
    return evaluation, sha256_file(dossier.database)


def _title(dossier: Dossier, evaluation: Evaluation) -> str:
    if dossier.title:
        return dossier.title
    for line in evaluation.plain().splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return ""


def facts_record(dossier: Dossier, evaluation: Evaluation, database_sha256: str,
                 built_at: dt.datetime) -> dict:
    return {"format": "datactiviste-dossier-facts", "version": 1,
            "built_at": built_at.isoformat(), "text_sha256": dossier.text_sha256(),
            "database": dossier.database.name, "database_sha256": database_sha256,
            "facts": [f.to_dict() for f in evaluation.facts]}


def render_html(dossier: Dossier, evaluation: Evaluation, database_sha256: str,
                built_at: dt.datetime) -> str:
    from datactiviste.charts.build import language

    connection = open_database(dossier)
    try:
        with language(dossier.lang):
            body = evaluation_html(evaluation, dossier.folder, dossier.lang)
            method = method_html(connection, evaluation.facts, dossier.lang)
            appendix = appendix_html(evaluation.facts, dossier.lang)
            when = format_date(built_at, "day", lang=dossier.lang) + built_at.strftime(" %H:%M UTC")
            footer = footer_html(Reproducibility(dossier.database.name, database_sha256,
                                                 __version__, when, dossier.text_sha256()))
            html = document_html(lang=dossier.lang, title=_title(dossier, evaluation),
                                 subtitle=dossier.subtitle, authors=dossier.authors, body=body,
                                 method=method, appendix=appendix, footer=footer)
    finally:
        connection.close()
    assert_offline(html, "dossier")
    return html


def build_dossier(folder: str | Path, *, pdf: bool | None = None,
                  now: dt.datetime | None = None) -> BuildResult:
    """Build DIR/dossier.html; `pdf=None` prints a PDF when a headless browser is found."""
    from datactiviste.dossier.pdf import find_browser, print_pdf

    started = time.perf_counter()
    dossier = read_dossier(folder)
    evaluation, database_sha256 = evaluate_dossier(dossier)
    built_at = build_time(now)
    html = render_html(dossier, evaluation, database_sha256, built_at)
    record = facts_record(dossier, evaluation, database_sha256, built_at)
    html_path = write_atomically(dossier.output(HTML_FILE), html.encode("utf-8"))
    facts_path = write_atomically(dossier.output(FACTS_FILE), (json.dumps(
        record, ensure_ascii=False, indent=1, default=str) + "\n").encode("utf-8"))
    warnings = [_("line {line}: {warning}").format(line=f.line, warning=w)
                for f in evaluation.facts for w in f.warnings]
    if len(html.encode("utf-8")) > HEAVY_BYTES:
        warnings.append(_("dossier.html weighs {size} MB: heavy to send by e-mail or WhatsApp. "
                          "Fewer points on maps or aggregated data make it lighter.").format(
            size=format_number(len(html.encode("utf-8")) / 1e6, 1, lang=dossier.lang)))
    pdf_path = None
    browser = find_browser() if pdf is not False else None
    if pdf and browser is None:
        warnings.append(_("No Chromium, Chrome or Edge found: no PDF. Open dossier.html and "
                          "print it to PDF (A4)."))
    if browser:
        try:
            pdf_path = print_pdf(html_path, dossier.output(PDF_FILE), browser)
        except DatactivisteError as error:   # the HTML is built; say why there is no PDF
            warnings.append(f"{error.message} {error.hint or ''}".strip())
    if pdf_path is None and dossier.output(PDF_FILE).exists():
        dossier.output(PDF_FILE).unlink()  # a PDF of an earlier build would contradict the HTML
        warnings.append(_("The old dossier.pdf was removed: it showed an earlier build."))
    return BuildResult(dossier, evaluation, html_path, pdf_path, facts_path,
                       html_path.stat().st_size, time.perf_counter() - started, warnings)
