"""`datactiviste map` and `datactiviste geocode`: options in, library calls, messages out."""

from __future__ import annotations

from pathlib import Path

import click

from datactiviste.cli.base import command, frame_options, option, rows_options
from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _
from datactiviste.i18n.formats import format_size


def _countries(value: str | None) -> set[str] | None:
    if not value:
        return None
    return {c.strip().upper() for c in value.replace(";", ",").split(",") if c.strip()}


def _columns(value: str | None) -> list[str] | None:
    return [c.strip() for c in value.split(",") if c.strip()] if value else None


def _gazetteer_options(function):
    """--country, --place-country, --place-region: how `map --place` and `geocode` settle namesakes."""
    for decorator in (
            option("--place-region", help="Column giving each place's region (code or name): settles namesakes."),
            option("--place-country", help="Column giving each place's country (code or name): settles namesakes."),
            option("--country", help="ISO codes of the data's countries, one or more, e.g. SN or SN,GM: settles ambiguous names.")):
        function = decorator(function)
    return function


@command("map", epilog="Examples:\n"
                       "  datactiviste map --table ecoles -o ecoles.html\n"
                       "  datactiviste map --table ecoles --size eleves --color statut -o ecoles.html\n"
                       "  datactiviste map --table marches --place commune --country SN -o marches.html\n"
                       "  datactiviste map --table population --region region --value habitants -o regions.html --png regions.png\n"
                       "  datactiviste map --table examens --region region --value taux_reussite --unit % --labels --title \"Dakar en tête\" -o reussite.html\n"
                       "  datactiviste map --sql \"SELECT * FROM ecoles WHERE region = 'Thiès'\" -o thies.html --geojson thies.geojson")
@rows_options
@option("--output", "-o", type=click.Path(dir_okay=False),
        help="HTML file to write (one self-contained file that works offline).")
@frame_options
@option("--lat", help="Latitude column (found automatically when named lat, latitude, y...).")
@option("--lon", help="Longitude column (found automatically when named lon, lng, longitude, x...).")
@option("--place", help="Column of place names (towns, villages) to locate with the offline gazetteer.")
@_gazetteer_options
@option("--region", help="Column of regions (ISO 3166-2 codes or names) or countries: draws a choropleth.")
@option("--value", help="Numeric column coloured in the choropleth (default: number of rows).")
@option("--classes", type=click.IntRange(2, 7), default=5, show_default=True,
        help="Number of colour classes in the choropleth.")
@option("--symbol", type=click.Choice(["circle", "colour"]),
        help="Draw proportional circles or colour classes (default: chosen from the data: circles for counts, colours for rates).")
@option("--labels", is_flag=True, help="Write the region names on the map.")
@option("--unit", help="Unit of --value or --size shown in the legend (%, ‰, FCFA…), when the header does not say it.")
@option("--boundaries", type=click.Path(exists=True, dir_okay=False),
        help="Your own GeoJSON outlines for the choropleth (instead of the bundled regions).")
@option("--tiles", type=click.Path(exists=True, dir_okay=False),
        help="A raster .mbtiles tile pack (from your trainer) embedded under the data.")
@option("--size", help="Numeric column giving the size of each circle.")
@option("--color", help="Column whose categories colour the circles.")
@option("--popup", help="Comma-separated columns shown when a point is clicked (default: all).")
@option("--tooltip", help="Column shown when the mouse is over a point.")
@option("--cluster/--no-cluster", default=None,
        help="Group nearby points (default: automatic above 1,000 points).")
@option("--source", help="Source line printed on the map (default: the file's own source line, else its name).")
@option("--geojson", type=click.Path(dir_okay=False),
        help="Also write the mapped features as GeoJSON (for uMap or QGIS).")
@option("--png", type=click.Path(dir_okay=False), help="Also write a static picture of the map (PNG).")
@option("--svg", type=click.Path(dir_okay=False), help="Also write a static vector map (SVG) for print.")
def map_command(db, table, sql, output, title, subtitle, notes, byline, credit, alt, lat, lon, place,
                country, place_country, place_region, region, value, classes, symbol, labels, unit,
                boundaries, tiles, size, color, popup, tooltip, cluster, source, geojson, png, svg):
    """Draw a map as one HTML file that works offline: points, place names or regions."""
    from datactiviste.maps.build import write_map
    from datactiviste.maps.points import MapOptions

    options = MapOptions(title=title, lat=lat, lon=lon, place=place, countries=_countries(country),
                         place_country=place_country, place_region=place_region,
                         size=size, color=color, popup=_columns(popup), tooltip=tooltip,
                         cluster=cluster, source=source, region=region, value=value,
                         classes=classes, boundaries=boundaries, tiles=tiles, subtitle=subtitle,
                         notes=notes, byline=byline, credit=credit, alt=alt, symbol=symbol,
                         labels=labels, unit=unit)
    if not (output or geojson or png or svg):
        raise DatactivisteError(_("Say where to write the map: -o MAP.html (or --png, --svg, --geojson)."))
    result = write_map(db, output, options, table=table, sql=sql, geojson=geojson, png=png, svg=svg)
    if result.choice:
        click.echo(result.choice)
    for message in result.messages:
        click.secho(message, fg="yellow", err=True)
    if output:
        click.echo(_("Map written: {path} ({count} features, {size})").format(
            path=output, count=result.drawn, size=format_size(len(result.html.encode("utf-8")))))
    for path in (geojson, png, svg):
        if path:
            click.echo(_("Written: {path} ({size})").format(
                path=path, size=format_size(Path(path).stat().st_size)))


@command("geocode", epilog="Examples:\n"
                           "  datactiviste geocode --table marches --place commune\n"
                           "  datactiviste geocode --db enquete.db --table villages --place village --country SN\n"
                           "  datactiviste geocode --table prix --place ville --place-country pays")
@option("--db", default="datactiviste.db", show_default=True, type=click.Path(dir_okay=False),
        help="Project database to update.")
@option("--table", "-t", required=True, help="Table whose place names are located.")
@option("--place", required=True, help="Column of place names (towns, villages).")
@_gazetteer_options
def geocode_command(db, table, place, country, place_country, place_region):
    """Locate place names offline and write latitude, longitude and geocode_match into the table."""
    from datactiviste.maps.geocode_table import geocode_table

    report = geocode_table(db, table, place, _countries(country), place_country, place_region)
    click.echo(_("{found} of {total} names located ({rows} rows updated): {exact} exact, "
                 "{alternate} alternate names, {fuzzy} approximate.").format(**report.counts()))
    if report.unmatched:
        click.secho(_("Not found: {names}").format(names=", ".join(report.unmatched[:30])),
                    fg="yellow", err=True)
    if report.ambiguous:
        click.secho(_("Ambiguous (check them; add --country): {names}")
                    .format(names=", ".join(report.ambiguous[:30])), fg="yellow", err=True)
    if report.fuzzy:
        click.echo(_("Approximate matches to check: {pairs}").format(
            pairs=", ".join(f"{q} → {n}" for q, n in report.fuzzy[:30])))
