"""`datactiviste dossier new|build|check|pack`: thin commands over datactiviste.dossier."""

from __future__ import annotations

import click

from datactiviste.cli.base import group, option
from datactiviste.cli.console import info, success, warning
from datactiviste.i18n import LANGUAGES, N_, _, get_language, ngettext


@group("dossier", epilog="Examples:\n"
                         "  datactiviste dossier new mon-dossier --db datactiviste.db\n"
                         "  datactiviste dossier build mon-dossier\n"
                         "  datactiviste dossier check mon-dossier\n"
                         "  datactiviste dossier pack mon-dossier -o mon-dossier.zip")
def dossier_group():
    """The advocacy dossier: one offline file where every number is computed from the data."""


@dossier_group.command("new", epilog="Examples:\n"
                                     "  datactiviste dossier new mon-dossier\n"
                                     "  datactiviste dossier new report --db data/project.db --lang en")
@click.argument("folder", type=click.Path(file_okay=False))
@option("--db", default="datactiviste.db", show_default=True, type=click.Path(dir_okay=False),
        help="Project database the dossier reads (recorded relative to the folder).")
@option("--lang", "lang", type=click.Choice(LANGUAGES), default=None,
        help="Language of the template and of the dossier (default: the language of messages).")
def new_command(folder, db, lang):
    """Create a dossier folder: dossier.md (text with directives) and a short guide."""
    from pathlib import Path

    from datactiviste.dossier import new_dossier

    written = new_dossier(folder, db, lang or get_language())
    for path in written:
        info(_("Written: {path}").format(path=path))
    if not Path(db).is_file():
        warning(_("The database {db} does not exist yet: import your data into it before "
                  "building.").format(db=db))
    success(_("Dossier created. Edit {path}, then: datactiviste dossier build {folder}").format(
        path=written[0], folder=folder))


@dossier_group.command("build", epilog="Examples:\n"
                                       "  datactiviste dossier build mon-dossier\n"
                                       "  datactiviste dossier build mon-dossier --no-pdf")
@click.argument("folder", type=click.Path(file_okay=False))
@option("--pdf/--no-pdf", default=None,
        help="Also print dossier.pdf (default: when Chromium, Chrome or Edge is installed).")
def build_command(folder, pdf):
    """Compute every figure and write one self-contained dossier.html (and a PDF)."""
    from datactiviste.dossier import build_dossier
    from datactiviste.i18n.formats import format_number

    result = build_dossier(folder, pdf=pdf)
    for message in result.warnings:
        warning(message)
    info(_("{count} figures computed from {db}.").format(count=len(result.evaluation.facts),
                                                         db=result.dossier.database))
    info(_("Written: {path} ({size} KB)").format(path=result.html,
                                                size=format_number(result.size / 1024, 0)))
    if result.pdf:
        info(_("Written: {path}").format(path=result.pdf))
    success(_("Dossier built in {seconds} s. Before publishing: datactiviste dossier check {folder}")
            .format(seconds=format_number(result.seconds, 1), folder=folder))


KIND_TITLES = {"build": N_("Build"), "changed": N_("Changed since the last build"),
               "typed": N_("Typed by hand: check them"),
               "title": N_("Titles contradicted by their data"),
               "empty": N_("Queries that return nothing")}


@dossier_group.command("check", epilog="Examples:\n  datactiviste dossier check mon-dossier")
@click.argument("folder", type=click.Path(file_okay=False))
def check_command(folder):
    """Re-run every query and list what needs a human look before publication (exit 1)."""
    from datactiviste.dossier import check_dossier

    report = check_dossier(folder)
    if report.clean:
        success(_("Checked: {count} figures re-computed, nothing to correct.").format(
            count=report.facts))
        return
    click.secho(ngettext("{count} point needs a human look before publication:",
                         "{count} points need a human look before publication:", len(report.findings)).format(
        count=len(report.findings)), fg="yellow")
    for kind in ("build", "changed", "typed", "title", "empty"):
        findings = [f for f in report.findings if f.kind == kind]
        if not findings:
            continue
        click.echo("")
        click.secho(_(KIND_TITLES[kind]), bold=True)
        for finding in findings:
            where = _("line {line}").format(line=finding.line) + " — " if finding.line else ""
            click.echo(f"  {where}{finding.message}")
            if finding.sentence:
                click.echo(f"      « {finding.sentence} »" if get_language() == "fr"
                           else f"      “{finding.sentence}”")
    click.get_current_context().exit(1)


@dossier_group.command("pack", epilog="Examples:\n"
                                      "  datactiviste dossier pack mon-dossier -o mon-dossier.zip\n"
                                      "  datactiviste dossier pack mon-dossier -o petit.zip --only-queried")
@click.argument("folder", type=click.Path(file_okay=False))
@option("-o", "--output", required=True, type=click.Path(dir_okay=False),
        help="The .zip file to write (outside the dossier folder).")
@option("--only-queried", is_flag=True,
        help="Pack only the tables the figures read, not the whole database.")
def pack_command(folder, output, only_queried):
    """Zip the dossier, its database, queries and sources for another newsroom to rebuild it."""
    from datactiviste.dossier import pack_dossier

    path, missing = pack_dossier(folder, output, only_queried=only_queried)
    if missing:
        warning(_("Source files not included (not found, or changed since the import): "
                  "{names}.").format(names=", ".join(missing)))
    success(_("Written: {path}").format(path=path))
