"""Charts and maps for a directive, drawn by the `chart` and `map` engines (never re-implemented).

A chart comes from a saved spec (`{{ graphique: voix.json }}`, written by `datactiviste chart`)
or from inline options (`{{ graphique: SELECT … | type=bar | x=liste | y=voix }}`); a map from
inline options (`{{ carte: SELECT … | region=region | valeur=participation }}`). Each is
rendered to SVG in a scratch folder and put inline, its element ids prefixed so two figures in
one page never share a clip path. The figure's data (what was drawn) is kept for the appendix
and for the title check.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _
from datactiviste.safety import escape_html

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>\s*")
_ID = re.compile(r'\bid="([^"]+)"')


def namespaced_svg(svg: str, prefix: str) -> str:
    """Prefix every id and reference to it, so several SVGs live in one HTML page."""
    svg = _XML_DECLARATION.sub("", svg)
    ids = set(_ID.findall(svg))
    if not ids:
        return svg

    def rename(match):
        name = match.group(2)
        return f"{match.group(1)}{prefix}-{name}" if name in ids else match.group(0)

    svg = re.sub(r'(\bid=")([^"]+)', rename, svg)
    svg = re.sub(r"(url\(#)([^)]+)", rename, svg)
    svg = re.sub(r'((?:xlink:)?href="#)([^"]+)', rename, svg)

    def references(match):
        names = " ".join(f"{prefix}-{n}" if n in ids else n for n in match.group(2).split())
        return f'{match.group(1)}{names}"'

    return re.sub(r'(\baria-(?:labelledby|describedby)=")([^"]*)"', references, svg)


def _located(error: DatactivisteError, where: dict) -> DatactivisteError:
    """An engine's error, placed at the directive's line."""
    error.path, error.line = where["path"], where["line"]
    error.column = None
    return error


def chart_spec(body: str, options: dict, database: Path, lang: str, base_dir: Path, where: dict,
               columns: list[str]):
    """The ChartSpec of a directive: a saved spec with overrides, or inline options."""
    from datactiviste.charts.spec import ChartSpec

    if body.lower().endswith(".json"):
        path = (base_dir / body).resolve()
        if not path.is_file():
            raise DatactivisteError(_("Chart spec not found: {path}").format(path=body), **where,
                                    hint=_("Save one with `datactiviste chart … -o NAME` (it "
                                           "writes NAME.json) next to dossier.md."))
        try:
            spec = ChartSpec.load(path)
        except DatactivisteError as error:
            raise _located(error, where) from None
    else:
        spec = ChartSpec(type=options.get("type") or "bar", sql=body,
                         x=options.get("x") or (columns[0] if columns else None),
                         y=options.get("y") or (columns[1] if len(columns) > 1 else None))
    for name in ("type", "x", "y", "color", "agg", "title", "subtitle", "source", "unit",
                 "byline", "notes", "alt"):
        if options.get(name):
            setattr(spec, name, options[name])
    spec.db, spec.lang = str(database), lang
    return spec


def chart_fact(fact, spec, where: dict, number: int):
    """Draw the chart of `spec`; fill the fact's title, html, drawn data and headline values."""
    from datactiviste.charts.build import make_chart

    with tempfile.TemporaryDirectory(prefix="dossier-chart-") as scratch:
        try:
            result = make_chart(spec, Path(scratch) / f"figure-{number}")
        except DatactivisteError as error:
            raise _located(error, where) from None
        svg = result.files["svg"].read_text(encoding="utf-8")
    data = result.data
    fact.title = result.frame.title
    fact.display = fact.title
    fact.warnings += [w for w in result.warnings if "--title" not in w]
    fact.columns = [data.x_label] + ([data.color_label] if data.color_label else []) + [data.y_label]
    fact.rows = [(x.isoformat()[:10] if hasattr(x, "isoformat") else x,) +
                 ((group,) if data.color_label else ()) + (y,) for x, group, y in data.rows()]
    fact.x_kind = data.x_kind
    if len(data.series) == 1:
        fact.labels = [str(x)[:10] if hasattr(x, "isoformat") else str(x)
                       for x, _y in data.series[0].points]
        fact.values = [float(y) for _x, y in data.series[0].points]
    fact.html = figure_html(namespaced_svg(svg, f"f{number}"), result.frame.alt, number, "chart")


def map_fact(fact, body: str, options: dict, database: Path, where: dict, number: int):
    """Draw the map (static SVG: it prints, and needs no script); fill the fact.

    The fact's columns and rows (the query's answer) are kept as the map's data."""
    from datactiviste.maps.build import write_map
    from datactiviste.maps.points import MapOptions

    settings = {k: v for k, v in options.items() if k != "countries" and k != "classes"}
    if options.get("classes"):
        if not str(options["classes"]).isdigit():
            raise DatactivisteError(_("classes must be a whole number (e.g. classes=5)."), **where)
        settings["classes"] = int(options["classes"])
    if options.get("countries"):
        settings["countries"] = {c.strip().upper() for c in options["countries"].split(",")}
    map_options = MapOptions(**settings)
    with tempfile.TemporaryDirectory(prefix="dossier-map-") as scratch:
        svg_path = Path(scratch) / f"figure-{number}.svg"
        try:
            result = write_map(database, None, map_options, sql=body, svg=svg_path)
        except DatactivisteError as error:
            raise _located(error, where) from None
        svg = svg_path.read_text(encoding="utf-8")
    fact.title = options.get("title") or _("Map")
    fact.display = fact.title
    fact.warnings += result.messages
    columns, rows = fact.columns, fact.rows
    label_column = options.get("region") or options.get("place")
    value_column = options.get("value") or options.get("size")
    if label_column and value_column:
        lowered = [c.lower() for c in columns]
        if label_column.lower() in lowered and value_column.lower() in lowered:
            i, j = lowered.index(label_column.lower()), lowered.index(value_column.lower())
            pairs = [(str(r[i]), r[j]) for r in rows if isinstance(r[j], (int, float))]
            fact.labels = [p[0] for p in pairs]
            fact.values = [float(p[1]) for p in pairs]
    fact.html = figure_html(namespaced_svg(svg, f"f{number}"), "", number, "map")


def empty_figure_html(title: str, number: int, kind: str) -> str:
    """In place of a figure whose query returns nothing: said, never an empty frame."""
    heading = f"<p><strong>{escape_html(title)}</strong></p>" if title else ""
    message = escape_html(_("(no data: the query returns no row)"))
    return (f'<figure class="figure {kind} empty" id="figure-{number}">{heading}'
            f'<p class="missing">{message}</p></figure>')


def figure_html(svg: str, caption: str, number: int, kind: str) -> str:
    link = escape_html(_("Data behind this figure (appendix)"))
    text = f"<p>{escape_html(caption)}</p>" if caption else ""
    return (f'<figure class="figure {kind}" id="figure-{number}">\n{svg}\n<figcaption>{text}'
            f'<p class="data-link"><a href="#data-{number}">{link}</a></p></figcaption>\n</figure>')
