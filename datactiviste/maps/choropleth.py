"""Choropleth maps: a value per region (admin-1) or country, in classed colours.

Rows are matched to outlines by `regions.best_match`; several rows for one region are added up
(no --value: rows are counted). Classes are quantiles with rounded bounds; the legend is written
in the user's locale ("1 234,5"); regions of the data that match nothing are listed, and regions
with no data are drawn in grey.
"""

from __future__ import annotations

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _, ngettext
from datactiviste.maps import colours as scale
from datactiviste.maps.data import Rows, number
from datactiviste.maps.frame import Legend, credits_text
from datactiviste.maps.points import MapOptions, MapResult, source_line
from datactiviste.maps.static import Scene


def _bbox(features):
    from datactiviste.maps.geodata import feature_bbox

    boxes = [feature_bbox(f) for f in features]
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def choropleth_map(rows: Rows, options: MapOptions) -> MapResult:
    from datactiviste.i18n.formats import format_number
    from datactiviste.maps.geodata import OUTDATED_REGIONS, countries_near
    from datactiviste.maps.layers import AreaLayer
    from datactiviste.maps.regions import best_match
    from datactiviste.maps.render import add_basemap, finish, new_map

    region_index = rows.index(options.region)
    region_label = rows.label(rows.columns[region_index])
    value_index = rows.index(options.value) if options.value else None
    value_label = rows.label(rows.columns[value_index]) if value_index is not None else _("Rows")
    match = best_match([r[region_index] for r in rows.rows], options.countries, options.boundaries)
    features = match.boundaries.features
    if not match.matched:
        raise DatactivisteError(
            _("No value of {column} matches a region or country.").format(column=region_label),
            hint=_("Use ISO 3166-2 codes (SN-TH) or names (Thiès), give the country with "
                   "--country, or your own outlines with --boundaries FILE.geojson."))

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

    messages = []
    if match.unmatched:
        messages.append(ngettext("{count} region not found: {names}",
                                 "{count} regions not found: {names}", len(match.unmatched))
                        .format(count=len(match.unmatched), names=", ".join(match.unmatched[:30])))
    if value_index is not None and any(c > 1 for c in counts.values()):
        messages.append(_("Several rows per region: their values were added up."))
    if not_numbers:
        messages.append(ngettext("{count} value is not a number (ignored).",
                                 "{count} values are not numbers (ignored).", not_numbers)
                        .format(count=not_numbers))
    if not totals:
        raise DatactivisteError(_("No numeric value in {column}.").format(column=value_label))

    breaks = scale.quantile_breaks(list(totals.values()), options.classes)
    palette = scale.sequential(len(breaks) + 1)
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

    area_features = []
    for i in drawn:
        properties = features[i].get("properties") or {}
        name = (properties.get("name_fr") if _language() == "fr" else None) or properties.get("name") \
            or next((str(v) for v in properties.values() if isinstance(v, str)), "")
        value = totals.get(i)
        shown = format_number(value) if value is not None else _("no data")
        area_features.append({"type": "Feature", "geometry": features[i]["geometry"], "properties": {
            "c": scale.class_of(value, breaks) if value is not None else None,
            "t": f"{name} : {shown}" if _language() == "fr" else f"{name}: {shown}",
            "v": [name, shown]}})

    legend = Legend(value_label, _class_items(sorted(totals.values()), breaks, palette, format_number))
    if len(drawn) > len(totals):
        legend.items.append(("swatch", "#d9d9d9", _("no data")))
    bbox = _bbox([features[i] for i in drawn])
    fmap = new_map((bbox[1], bbox[0], bbox[3], bbox[2]), [legend])
    countries = countries_near(bbox, margin=1.0)
    basemap_messages, tiles_credit = add_basemap(fmap, countries, tiles=options.tiles,
                                                 bounds=(bbox[1], bbox[0], bbox[3], bbox[2]))
    messages += basemap_messages
    AreaLayer({"type": "FeatureCollection", "features": area_features},
              [region_label, value_label], palette).add_to(fmap)
    credits = credits_text(source_line(rows, options.source), tiles=tiles_credit)
    if level == "custom":
        credits = credits.replace(_("Basemap: Natural Earth"), _("Boundaries: your file"))
    html = finish(fmap, options.title, [legend], credits)
    scene = Scene((bbox[1], bbox[0], bbox[3], bbox[2]), countries,
                  areas=[(f["geometry"], palette[f["properties"]["c"]] if f["properties"]["c"] is not None
                          else None) for f in area_features],
                  title=options.title, legends=[legend], credits=credits)
    export = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": features[i]["geometry"],
         "properties": {**{k: v for k, v in (features[i].get("properties") or {}).items()
                           if not isinstance(v, (list, dict))},
                        "value": totals.get(i)}} for i in drawn]}
    return MapResult(html, "choropleth", len(area_features), export, messages, match.unmatched, scene)


def _language() -> str:
    from datactiviste.i18n import get_language

    return get_language()


def _class_items(values, breaks, palette, format_number):
    bounds = [values[0]] + breaks + [values[-1]]
    items = []
    for k in range(len(breaks) + 1):
        low, high = bounds[k], bounds[k + 1]
        label = format_number(low) if low == high else f"{format_number(low)} – {format_number(high)}"
        items.append(("swatch", palette[k], label))
    return items
