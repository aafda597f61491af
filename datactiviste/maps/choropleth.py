"""Region maps: a value per region (admin-1) or country, drawn with the symbol the data asks for.

Rows are matched to outlines by `regions.best_match`; several rows for one region are added up
(no --value: rows are counted). `graphics.symbology` then chooses: counts and amounts become
circles whose area grows with the value, at a point inside each region; rates, shares and
averages become colour classes (darker = more, diverging around zero for signed values) with
round, non-overlapping limits, the unit and the number of regions per class. The choice is
explained in one line (`MapResult.choice`) and `--symbol` overrides it. Regions of the data
that match nothing are listed; regions with no data are drawn in grey.
"""

from __future__ import annotations

from datactiviste.errors import DatactivisteError
from datactiviste.graphics import palettes
from datactiviste.graphics.legend import circle_items, class_items
from datactiviste.graphics.scales import MAX_RADIUS, circle_radius
from datactiviste.graphics.symbology import choose_symbology
from datactiviste.graphics.units import detect_unit, titled, unit_formatter
from datactiviste.i18n import _, get_language, ngettext
from datactiviste.maps.data import Rows, number
from datactiviste.maps.frame import Legend, credits_text
from datactiviste.maps.label_points import label_point
from datactiviste.maps.points import MapOptions, MapResult
from datactiviste.maps.publication import describe_regions, headline_warnings, map_frame
from datactiviste.maps.static import Scene

PLAIN_AREA = "#f2efe9"   # regions under circles: land, not data


def _bbox(features):
    from datactiviste.maps.geodata import feature_bbox

    boxes = [feature_bbox(f) for f in features]
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def _totals(rows: Rows, match, region_index: int, value_index: int | None, messages: list):
    totals: dict[int, float] = {}
    counts: dict[int, int] = {}
    not_numbers = 0
    for row in rows.rows:
        index = match.matched.get(row[region_index])
        if index is None:
            continue
        value = 1.0 if value_index is None else number(row[value_index])
        if value is None:
            not_numbers += 1
            continue
        totals[index] = totals.get(index, 0.0) + value
        counts[index] = counts.get(index, 0) + 1
    if value_index is not None and any(c > 1 for c in counts.values()):
        messages.append(_("Several rows per region: their values were added up."))
    if not_numbers:
        messages.append(ngettext("{count} value is not a number (ignored).",
                                 "{count} values are not numbers (ignored).", not_numbers)
                        .format(count=not_numbers))
    return totals


def _area(feature: dict) -> float:
    from datactiviste.maps.geodata import feature_bbox

    west, south, east, north = feature_bbox(feature)
    return (east - west) * (north - south)


def _imported_unit(rows: Rows, column: str) -> str | None:
    for described in (rows.source or {}).get("columns") or []:
        if described.get("name") == column:
            return described.get("unit")
    return None


def _feature_name(feature: dict) -> str:
    properties = feature.get("properties") or {}
    return (properties.get("name_fr") if get_language() == "fr" else None) or \
        properties.get("name") or next((str(v) for v in properties.values()
                                        if isinstance(v, str)), "")


def choropleth_map(rows: Rows, options: MapOptions) -> MapResult:
    from datactiviste.maps.geodata import OUTDATED_REGIONS, countries_near
    from datactiviste.maps.layers import AreaLayer, PlaceLabels, PointLayer
    from datactiviste.maps.regions import best_match
    from datactiviste.maps.render import add_basemap, finish, new_map

    region_index = rows.index(options.region)
    region_label = rows.label(rows.columns[region_index])
    value_index = rows.index(options.value) if options.value else None
    value_column = rows.columns[value_index] if value_index is not None else None
    value_label = rows.label(value_column) if value_column else _("Rows")
    match = best_match([r[region_index] for r in rows.rows], options.countries, options.boundaries)
    features = match.boundaries.features
    if not match.matched:
        raise DatactivisteError(
            _("No value of {column} matches a region or country.").format(column=region_label),
            hint=_("Use ISO 3166-2 codes (SN-TH) or names (Thiès), give the country with "
                   "--country, or your own outlines with --boundaries FILE.geojson."))
    messages = []
    if match.unmatched:
        messages.append(ngettext("{count} region not found: {names}",
                                 "{count} regions not found: {names}", len(match.unmatched))
                        .format(count=len(match.unmatched), names=", ".join(match.unmatched[:30])))
    totals = _totals(rows, match, region_index, value_index, messages)
    if not totals:
        raise DatactivisteError(_("No numeric value in {column}.").format(column=value_label))

    unit = options.unit or (detect_unit(value_label, _imported_unit(rows, value_column))
                            if value_column else None)
    fmt = unit_formatter(unit)
    symbology = choose_symbology(list(totals.values()), value_label, unit, options.symbol,
                                 options.classes, counted=value_index is None)
    if symbology.measure == "rate" and not unit:
        messages.append(_("The legend of {column} has no unit: give it with --unit (%, ‰, "
                          "FCFA…).").format(column=value_label))

    level = match.boundaries.level
    if level == "region":
        countries = sorted({features[i]["properties"]["country"] for i in totals})
        drawn = [i for i, f in enumerate(features) if f["properties"]["country"] in countries]
        outdated = [c for c in countries if c in OUTDATED_REGIONS]
        if outdated:
            messages.append(_("The bundled regions of {countries} predate recent reforms: "
                              "use --boundaries FILE.geojson for current ones.")
                            .format(countries=", ".join(outdated)))
    else:
        drawn = sorted(totals)

    names = {i: _feature_name(features[i]) for i in drawn}
    points = {i: label_point(features[i]["geometry"]) for i in drawn}
    circles = symbology.kind == "circle"
    area_features, scene_areas, circle_rows, labels, drawn_with_labels = [], [], [], [], []
    colours = [PLAIN_AREA] if circles else symbology.colours
    for i in drawn:
        value = totals.get(i)
        shown = fmt(value) if value is not None else _("no data")
        if value is None:
            colour_class = None
        else:
            colour_class = 0 if circles else symbology.classes.index(value)
        scene_areas.append((features[i]["geometry"],
                            colours[colour_class] if colour_class is not None else None))
        area_features.append({"type": "Feature", "geometry": features[i]["geometry"], "properties": {
            "c": colour_class, "t": _("{name}: {text}").format(name=names[i], text=shown),
            "v": [names[i], shown]}})
        point = points[i]
        radius = circle_radius(value, symbology.maximum) if circles and value else 0.0
        if radius and point:
            circle_rows.append([round(point[1], 5), round(point[0], 5), radius, 0,
                                _("{name}: {text}").format(name=names[i], text=shown),
                                names[i], shown])
        if options.labels and point:   # under its circle, not over it
            labels.append((point[1], point[0], names[i], radius + 8 if radius else 0))
            drawn_with_labels.append(i)
    circle_rows.sort(key=lambda r: -r[2])   # small circles drawn last, on top of big ones
    order = {i: position for position, i in enumerate(sorted(
        drawn, key=lambda i: -(totals.get(i) or 0) if circles else -_area(features[i])))}
    labels = [label for _i, label in sorted(zip(drawn_with_labels, labels),
                                            key=lambda pair: order[pair[0]])]

    legend_title = titled(value_label, unit)
    if circles:
        legend = Legend(legend_title, circle_items(symbology, fmt, MAX_RADIUS))
    else:
        legend = Legend(legend_title, class_items(symbology, fmt),
                        note=_("(n): number of regions in each class"))
    if len(drawn) > len(totals):
        legend.items.append(("swatch", palettes.NO_DATA, _("no data")))

    values = [(names[i], totals[i]) for i in drawn if i in totals]
    frame = map_frame(options, rows.source,
                      describe_regions(value_label, values, len(drawn) - len(totals), fmt,
                                       symbology.kind))
    messages += headline_warnings(frame, values, fmt)

    bbox = _bbox([features[i] for i in drawn])
    bounds = (bbox[1], bbox[0], bbox[3], bbox[2])
    fmap = new_map(bounds, [legend])
    countries = countries_near(bbox, margin=1.0)
    basemap_messages, tiles_credit = add_basemap(fmap, countries, tiles=options.tiles,
                                                 bounds=bounds)
    messages += basemap_messages
    AreaLayer({"type": "FeatureCollection", "features": area_features},
              [region_label, value_label], colours).add_to(fmap)
    if circle_rows:
        PointLayer(circle_rows, [region_label, value_label], [palettes.CIRCLE], False,
                   scaled=True).add_to(fmap)
    if labels:
        PlaceLabels(labels).add_to(fmap)
    credits = credits_text(tiles=tiles_credit)
    if level == "custom":
        credits = credits.replace(_("Basemap: Natural Earth"), _("Boundaries: your file"))
    html = finish(fmap, frame, [legend], credits)
    scene = Scene(bounds, countries, areas=scene_areas,
                  points=[(r[0], r[1], r[2], palettes.CIRCLE) for r in circle_rows],
                  labels=labels, title=frame.title, legends=[legend], credits=credits,
                  frame=frame)
    export = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": features[i]["geometry"],
         "properties": {**{k: v for k, v in (features[i].get("properties") or {}).items()
                           if not isinstance(v, (list, dict))},
                        "value": totals.get(i)}} for i in drawn]}
    return MapResult(html, "choropleth", len(area_features), export, messages, match.unmatched,
                     scene, choice=symbology.reason)
