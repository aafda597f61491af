"""`datactiviste chart`: parse options, call datactiviste.charts, print files and warnings."""

from __future__ import annotations

from pathlib import Path

import click

from datactiviste.cli.base import command, frame_options, option, rows_options
from datactiviste.cli.console import info, success, warning
from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _, get_language
from datactiviste.i18n.formats import format_size

CHART_TYPES = ("bar", "column", "grouped", "stacked", "line", "area", "donut", "pie", "scatter",
               "table")


@command("chart", epilog=(
    "Examples:\n"
    "  datactiviste chart --table budget --type bar --x region --y montant "
    "--title \"Dakar gets half of the budget\" --byline \"A. Diallo\" -o budget\n"
    "  datactiviste chart --table prix --type line --x mois --y prix --color produit -o prix\n"
    "  datactiviste chart --sql \"SELECT secteur, SUM(montant) AS total FROM budget GROUP BY secteur\" "
    "--type donut --x secteur --y total -o secteurs\n"
    "  datactiviste chart --spec budget.json --title \"A better title\""))
@rows_options
@option("--type", "type_", type=click.Choice(CHART_TYPES),
        help="Chart type: bar (horizontal, sorted), column, grouped, stacked, line, area, donut, "
             "pie, scatter or table.")
@option("--x", help="Column for categories, dates or the horizontal axis.")
@option("--y", help="Column holding the values.")
@option("--color", help="Column that splits the data into coloured series (grouped, stacked, "
                        "several lines).")
@option("--agg", type=click.Choice(("sum", "count", "mean", "median")),
        help="How to combine rows that share the same x (default: sum, with a warning).")
@frame_options
@option("--source", help="Source line (default: the file's own source line, else its name, with its licence).")
@option("--source-url", help="Link to the source (default: the URL recorded at import).")
@option("--logo", type=click.Path(exists=True, dir_okay=False),
        help="A small PNG or JPEG logo drawn at the bottom right (embedded in every output).")
@option("--unit", help="Unit of the values, repeated on labels (default: the unit recorded at "
                       "import; \"%\" formats percentages).")
@option("--palette", help="Colours to use instead of the colour-blind-safe default, e.g. "
                          "\"#0072b2,#e69f00\".")
@option("--width", type=click.IntRange(320, 2000), help="Width in pixels (default 640; the PNG "
                                                        "is twice as wide).")
@option("--spec", "spec_path", type=click.Path(dir_okay=False),
        help="Re-render a chart from its NAME.json; other options given here override it.")
@option("-o", "--output", help="Name of the files to write (NAME.png, .svg, .html, .json).")
@click.pass_context
def chart_command(ctx, spec_path, output, type_, **options):
    """Draw a publication chart (PNG, SVG, offline HTML) from the project database."""
    from datactiviste.charts import ChartSpec, make_chart

    options["type"] = type_
    given = {name: value for name, value in options.items()
             if ctx.get_parameter_source("type_" if name == "type" else name)
             is not click.core.ParameterSource.DEFAULT and value is not None}
    if given.get("palette"):
        given["palette"] = [c for c in given["palette"].split(",") if c.strip()]
    if spec_path:
        spec = ChartSpec.load(spec_path)
        for name, value in given.items():
            setattr(spec, name, value)
        if "table" in given:
            spec.sql = None
        if "sql" in given:
            spec.table = None
        if "db" not in given:
            spec.db = _beside(spec.db, Path(spec_path))
        output = output or str(Path(spec_path).with_suffix(""))
    else:
        if not type_:
            raise DatactivisteError(_("Missing --type (or --spec NAME.json)."),
                                    hint=_("Choose one of: {types}.").format(
                                        types=", ".join(CHART_TYPES)))
        if not output:
            raise DatactivisteError(_("Missing -o NAME: the name of the files to write."),
                                    hint=_("Example: -o budget writes budget.png, budget.svg, "
                                           "budget.html and budget.json."))
        given.setdefault("db", options["db"])
        spec = ChartSpec(lang=get_language(), **given)
    result = make_chart(spec, output)
    for message in result.warnings:
        warning(message)
    if result.frame.alt_generated:
        info(_("Alt text generated from the data (check it, or give your own with --alt):"))
        info("  " + result.frame.alt)
    for kind, path in result.files.items():
        info(_("  {path} ({size})").format(path=path, size=format_size(result.sizes[kind])))
    info(_("To embed it in a web page, upload {name}.html next to the page and paste:").format(
        name=result.files["html"].with_suffix("").name))
    click.echo(result.embed)
    success(_("Chart written."))


def _beside(db: str, spec_path: Path) -> str:
    """A relative --db in a spec means: next to the spec, when not found from here."""
    if Path(db).is_absolute() or Path(db).exists():
        return db
    candidate = spec_path.parent / db
    return str(candidate) if candidate.exists() else db
