"""Point maps: from latitude/longitude columns or from place names looked up offline.

Above CLUSTER_THRESHOLD points the circles are clustered (5,000 overlapping dots say nothing);
every map carries one compact data layer (see `layers.PointLayer`), a vector basemap of the
countries around the points and their regions, a title, legends and credits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _, ngettext
from datactiviste.ingest.names import looks_like_identifier
from datactiviste.maps import colours as scale
from datactiviste.maps.data import Rows, coordinate_columns, number, read_points
from datactiviste.maps.frame import Legend, credits_text
from datactiviste.i18n.formats import format_number
from datactiviste.maps.publication import describe_points, headline_warnings, map_frame
from datactiviste.maps.static import Scene

CLUSTER_THRESHOLD = 1000
MAX_POPUP_COLUMNS = 10


@dataclass
class MapOptions:
    title: str | None = None
    lat: str | None = None
    lon: str | None = None
    place: str | None = None
    countries: set[str] | None = None
    place_country: str | None = None     # column: each place's country (settles namesakes)
    place_region: str | None = None      # column: each place's region
    size: str | None = None
    color: str | None = None
    popup: list[str] | None = None
    tooltip: str | None = None
    cluster: bool | None = None          # None: automatic above CLUSTER_THRESHOLD points
    source: str | None = None
    region: str | None = None            # choropleth
    value: str | None = None
    classes: int = 5
    boundaries: str | None = None
    tiles: str | None = None             # a raster .mbtiles pack to embed under the data
    subtitle: str | None = None          # the publication frame (graphics.frame.Frame)
    notes: str | None = None
    byline: str | None = None
    credit: str | None = None
    alt: str | None = None               # None: generated from the data, and marked so
    symbol: str | None = None            # 'circle' or 'colour'; None: chosen from the data
    labels: bool = False                 # write region names on the map
    unit: str | None = None              # unit of --value / --size ('%', 'FCFA')


@dataclass
class MapResult:
    html: str
    kind: str                            # points / clustered / choropleth
    drawn: int
    geojson: dict
    messages: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    scene: object = None                 # maps.static.Scene, for --png / --svg
    choice: str = ""                     # one line: which symbol and why


def display(value, label: str = "") -> str | None:
    """A cell as shown in a popup: quantities in the user's locale, text and codes as they are."""
    from datactiviste.i18n.formats import format_number

    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        if isinstance(value, int) and label and looks_like_identifier(label):
            return str(value)
        return format_number(value)
    return str(value)


def popup_columns(rows: Rows, options: MapOptions, hidden: set[str]) -> list[str]:
    if options.popup:
        return [rows.columns[rows.index(c)] for c in options.popup]
    return [c for c in rows.columns if c not in hidden][:MAX_POPUP_COLUMNS]


def _geocoded(rows: Rows, options: MapOptions, messages: list[str]):
    """(coordinates, rows, unmatched names) for --place."""
    from datactiviste.maps.gazetteer import geocode_keys

    index = rows.index(options.place)
    hints = [rows.index(c) if c else None for c in (options.place_country, options.place_region)]

    def key(row):
        return (row[index],) + tuple(row[h] if h is not None else None for h in hints)

    matches = geocode_keys([key(r) for r in rows.rows], options.countries)
    coordinates, kept, unmatched = [], [], []
    for row in rows.rows:
        match = matches.get(key(row))
        if match is None or match.place is None:
            if row[index] not in (None, "") and str(row[index]) not in unmatched:
                unmatched.append(str(row[index]))
            continue
        coordinates.append((match.place.latitude, match.place.longitude))
        kept.append(row)
    if unmatched:
        messages.append(ngettext("{count} place name not found: {names}",
                                 "{count} place names not found: {names}", len(unmatched))
                        .format(count=len(unmatched), names=", ".join(unmatched[:20])))
    ambiguous = sorted({str(m.query) for m in matches.values() if m.ambiguous})
    if ambiguous:
        messages.append(_("Ambiguous names (the most populous place was used; add --country): {names}")
                        .format(names=", ".join(ambiguous[:20])))
    if not coordinates:
        raise DatactivisteError(
            _("None of the names in {column} was found in the gazetteer.").format(column=options.place),
            hint=_("Check the spelling, or give the country with --country (e.g. --country SN)."))
    return coordinates, kept, unmatched


def point_map(rows: Rows, options: MapOptions) -> MapResult:
    from datactiviste.maps.geodata import country_at, countries_near, is_wide, regions_geojson
    from datactiviste.maps.render import add_basemap, finish, new_map
    from datactiviste.maps.layers import PointLayer

    messages: list[str] = []
    unmatched: list[str] = []
    hidden: set[str] = set()
    if options.place:
        coordinates, kept, unmatched = _geocoded(rows, options, messages)
        hidden.add(rows.columns[rows.index(options.place)])
    else:
        lat_column, lon_column = coordinate_columns(rows, options.lat, options.lon)
        hidden |= {lat_column, lon_column}
        points = read_points(rows, lat_column, lon_column, options.countries)
        coordinates, kept = points.coordinates, points.rows
        if points.swapped:
            messages.append(_("Latitude and longitude look swapped in {lat} / {lon}: they were read "
                              "the other way round.").format(lat=lat_column, lon=lon_column))
        if points.out_of_range:
            messages.append(ngettext(
                "{count} row has coordinates out of range (not drawn): row {rows}",
                "{count} rows have coordinates out of range (not drawn): rows {rows}",
                len(points.out_of_range)).format(count=len(points.out_of_range),
                                                 rows=", ".join(map(str, points.out_of_range[:20]))))
        if points.missing:
            messages.append(ngettext("{count} row without coordinates (not drawn).",
                                     "{count} rows without coordinates (not drawn).",
                                     points.missing).format(count=points.missing))

    legends: list[Legend] = []
    radii = [scale.DEFAULT_RADIUS] * len(kept)
    colour_index = [0] * len(kept)
    palette = [scale.DEFAULT_POINT_COLOUR]
    choice = ""
    if options.size:
        radii, colour_index, palette, choice = _sized(rows, options, kept, legends, messages)
    if options.color:
        colour_column = rows.index(options.color)
        categories = ["" if r[colour_column] is None else str(r[colour_column]) for r in kept]
        mapping = scale.category_colours(categories)
        palette = sorted(set(mapping.values()), key=lambda c: list(mapping.values()).index(c))
        colour_index = [palette.index(mapping[c]) for c in categories]
        legends.append(_category_legend(rows.label(rows.columns[colour_column]), mapping))

    shown = popup_columns(rows, options, hidden)
    shown_index = [rows.index(c) for c in shown]
    shown_labels = [rows.label(c) for c in shown]
    tooltip_index = rows.index(options.tooltip) if options.tooltip else (
        rows.index(options.place) if options.place else (shown_index[0] if shown_index else None))
    data = []
    for (lat, lon), row, r, c in zip(coordinates, kept, radii, colour_index):
        tooltip = (display(row[tooltip_index], rows.label(rows.columns[tooltip_index]))
                   if tooltip_index is not None else None)
        data.append([round(lat, 5), round(lon, 5), r, c, tooltip]
                    + [display(row[i], label) for i, label in zip(shown_index, shown_labels)])

    cluster = options.cluster if options.cluster is not None else len(data) > CLUSTER_THRESHOLD
    lats = [lat for lat, _lon in coordinates]
    lons = [lon for _lat, lon in coordinates]
    bounds = (min(lats), min(lons), max(lats), max(lons))
    fmap = new_map(bounds, legends)
    box = (bounds[1], bounds[0], bounds[3], bounds[2])
    present = [] if is_wide(box) else _countries_of(coordinates, country_at)
    regions = {"type": "FeatureCollection",
               "features": [f for code in present[:3] for f in regions_geojson(code)["features"]]}
    countries = countries_near(box)
    basemap_messages, tiles_credit = add_basemap(fmap, countries, regions, options.tiles, bounds)
    messages += basemap_messages
    PointLayer(data, [rows.label(c) for c in shown], palette, cluster,
               scaled=len(set(radii)) > 1).add_to(fmap)   # proportional circles: fit the width
    credits = credits_text(places=bool(options.place), tiles=tiles_credit)
    frame = map_frame(options, rows.source, describe_points(len(data), rows.name, legends))
    if options.color:   # 'Les écoles privées dominent': checked against the points per category
        counted: dict[str, float] = {}
        for category in categories:
            counted[category] = counted.get(category, 0) + 1
        messages += headline_warnings(frame, list(counted.items()), format_number)
    html = finish(fmap, frame, legends, credits)
    scene = Scene(bounds, countries, regions, points=[(r[0], r[1], r[2], palette[r[3]]) for r in data],
                  title=frame.title, legends=legends, credits=credits, frame=frame)
    return MapResult(html, "clustered" if cluster else "points", len(data),
                     points_geojson(rows, coordinates, kept), messages, unmatched, scene,
                     choice=choice)


def _countries_of(coordinates, country_at, sample: int = 300) -> list[str]:
    step = max(1, len(coordinates) // sample)
    counts: dict[str, int] = {}
    for lat, lon in coordinates[::step]:
        code = country_at(lon, lat)
        if code:
            counts[code] = counts.get(code, 0) + 1
    return sorted(counts, key=lambda c: (-counts[c], c))


def _sized(rows: Rows, options: MapOptions, kept, legends: list, messages: list):
    """--size: circles by area for counts, colour classes for rates (radii, classes, palette,
    the one-line reason); the legend is appended to `legends`."""
    from datactiviste.graphics.legend import circle_items, class_items
    from datactiviste.graphics.scales import MAX_RADIUS, circle_radius
    from datactiviste.graphics.symbology import choose_symbology
    from datactiviste.graphics.units import detect_unit, titled, unit_formatter

    size_index = rows.index(options.size)
    label = rows.label(rows.columns[size_index])
    sizes = [number(r[size_index]) for r in kept]
    present = [s for s in sizes if s is not None]
    radii = [scale.DEFAULT_RADIUS] * len(kept)
    if not present:
        return radii, [0] * len(kept), [scale.DEFAULT_POINT_COLOUR], ""
    unit = options.unit or detect_unit(label)
    fmt = unit_formatter(unit)
    symbology = choose_symbology(present, label, unit, options.symbol)
    if symbology.kind == "circle":
        legends.append(Legend(titled(label, unit), circle_items(symbology, fmt, MAX_RADIUS)))
        radii = [circle_radius(s, symbology.maximum) if s else scale.MIN_RADIUS for s in sizes]
        return radii, [0] * len(kept), [scale.DEFAULT_POINT_COLOUR], symbology.reason
    if symbology.measure == "rate" and not unit:
        messages.append(_("The legend of {column} has no unit: give it with --unit (%, ‰, "
                          "FCFA…).").format(column=label))
    legends.append(Legend(titled(label, unit), class_items(symbology, fmt),
                          note=_("(n): number of points in each class")))
    palette = list(symbology.colours) + ["#bdbdbd"]
    classes = [symbology.classes.index(s) if s is not None else len(palette) - 1 for s in sizes]
    return [scale.DEFAULT_RADIUS + 1] * len(kept), classes, palette, symbology.reason


def _category_legend(label: str, mapping: dict) -> Legend:
    items, other = [], False
    for value, colour in mapping.items():
        if colour == scale.OTHER_COLOUR:
            other = True
            continue
        items.append(("swatch", colour, value or _("(empty)")))
    if other:
        items.append(("swatch", scale.OTHER_COLOUR, _("Other")))
    return Legend(label, items)


def points_geojson(rows: Rows, coordinates, kept) -> dict:
    """The drawn points as GeoJSON (original values as properties), for uMap or QGIS."""
    features = []
    for (lat, lon), row in zip(coordinates, kept):
        properties = {rows.label(c): v for c, v in zip(rows.columns, row)}
        features.append({"type": "Feature", "properties": properties,
                         "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}})
    return {"type": "FeatureCollection", "features": features}
