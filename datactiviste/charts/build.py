"""Make a chart: spec -> data -> checks -> figure -> NAME.png, NAME.svg, NAME.html, NAME.json.

Each file records the data it was drawn from (`datactiviste.built_from`), invisibly.

This is the library entry point the `chart` command calls (and tests, and anyone scripting).
The chart is drawn in the spec's language (`spec.lang`): re-rendering a French chart from
its JSON gives the same French chart, byte for byte.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from datactiviste.built_from import into_html, into_png, into_svg, record
from datactiviste.charts.alt_text import describe
from datactiviste.charts.data import ChartData, load_data, open_database
from datactiviste.charts.frame import Frame, build_frame
from datactiviste.charts.embed import embed_snippet
from datactiviste.charts.headline import headline_warnings
from datactiviste.charts.html import chart_html
from datactiviste.charts.labels import Labeller
from datactiviste.charts.palette import colour_blind_conflicts, conflict_message, series_colours
from datactiviste.charts.spec import ChartSpec
from datactiviste.i18n import _, get_language, set_language
from datactiviste.offline import write_offline_html

OUTPUT_SUFFIXES = (".png", ".svg", ".html", ".json")
NARROW_WIDTH = 320   # px: the phone rendering, drawn at the narrowest width it is shown at


@dataclass
class ChartResult:
    files: dict[str, Path]
    warnings: list[str]
    frame: Frame
    data: ChartData
    embed: str
    sizes: dict[str, int] = field(default_factory=dict)


@contextmanager
def language(lang: str):
    """Draw in `lang`, then give the CLI its own language back."""
    previous = get_language()
    set_language(lang)
    try:
        yield
    finally:
        set_language(previous)


def output_base(output: str | Path) -> Path:
    """'out/budget', 'out/budget.png' -> Path('out/budget') (the four files share it)."""
    path = Path(output)
    if path.suffix.lower() in OUTPUT_SUFFIXES:
        path = path.with_suffix("")
    return path


def colour_warnings(spec: ChartSpec, data: ChartData) -> list[str]:
    if spec.type in ("donut", "pie"):
        names = [str(x) for x in data.categories]
    elif len(data.series) > 1:
        names = [str(s.name) for s in data.series]
    else:
        return []
    colours = series_colours(len(names), spec.palette)
    return [conflict_message(c) for c in colour_blind_conflicts(colours, names)]


def make_chart(spec: ChartSpec, output: str | Path) -> ChartResult:
    """Render `spec` to OUTPUT.png/.svg/.html/.json and return what was written and warned."""
    from datactiviste.charts.export import prefix_ids
    from datactiviste.charts.render import figure_to_png, figure_to_svg, render_figure

    spec.validate()
    base = output_base(output)
    base.parent.mkdir(parents=True, exist_ok=True)
    with language(spec.lang):
        connection = open_database(spec.db)
        try:
            data = load_data(spec, connection)
        finally:
            connection.close()
        labeller = Labeller(data, spec.lang)
        frame = build_frame(spec, data, describe(spec.type, data, labeller))
        warnings = data.warnings + colour_warnings(spec, data)
        warnings += headline_warnings([spec.title, spec.subtitle], spec.type, data, labeller)
        if not spec.title:
            warnings.append(_("No --title: the chart is titled «{title}». A title that states "
                              "the finding (\"Dakar gets half of the budget\") is read "
                              "first.").format(title=frame.title))
        figure = render_figure(spec, data, frame, labeller)
        svg = figure_to_svg(figure, frame.title, frame.alt)
        png = figure_to_png(figure)
        height = int(round(figure.get_figheight() * 100))
        narrow_svg = None
        if spec.width > NARROW_WIDTH * 1.25:
            narrow = render_figure(replace(spec, width=NARROW_WIDTH), data, frame, labeller)
            narrow_svg = prefix_ids(figure_to_svg(narrow, frame.title, frame.alt), "n-")
        html = chart_html(svg, frame, data, labeller, base.name, spec.width, spec.lang,
                          narrow_svg=narrow_svg, narrow_width=NARROW_WIDTH)
        embed = embed_snippet(base.name, frame.title, height + 140)
    files = {"png": base.with_suffix(".png"), "svg": base.with_suffix(".svg"),
             "html": base.with_suffix(".html"), "json": base.with_suffix(".json")}
    source = record(spec.db, table=spec.table, sql=spec.sql,
                    columns=[c for c in (spec.x, spec.color, spec.y) if c] if spec.table else None)
    files["png"].write_bytes(into_png(png, source))
    files["svg"].write_text('<?xml version="1.0" encoding="utf-8"?>\n' + into_svg(svg, source),
                            encoding="utf-8")
    write_offline_html(files["html"], into_html(html, source), what="chart")
    files["json"].write_text(spec.to_json(built_from=source), encoding="utf-8")
    sizes = {kind: path.stat().st_size for kind, path in files.items()}
    return ChartResult(files=files, warnings=warnings, frame=frame, data=data, embed=embed,
                       sizes=sizes)
