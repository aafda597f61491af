"""A map's publication frame and its generated description, as charts have them.

The frame (`graphics.frame.Frame`) takes the journalist's title, subtitle, notes, source,
byline and credit; the source defaults to the imported file's own source line, then its
name. The alt text, when none is given, is written from the data — what is mapped, how many
places, the highest and lowest — and says it was generated, so an editor knows to check it.
"""

from __future__ import annotations

from collections.abc import Callable

from datactiviste.graphics.frame import GENERATED_NOTE, Frame, default_source
from datactiviste.graphics.headline import check_headline
from datactiviste.i18n import N_, _, ngettext

MAP_BYLINE = N_("Map: {byline}")


def map_frame(options, provenance: dict | None, generated_alt: str) -> Frame:
    """The frame of a map from its options (`points.MapOptions`) and the data's provenance."""
    source, url = default_source(provenance)
    return Frame(title=(options.title or "").strip(), subtitle=(options.subtitle or "").strip(),
                 notes=(options.notes or "").strip(),
                 source=(options.source if options.source is not None else source).strip(),
                 source_url=url, byline=(options.byline or "").strip(),
                 credit=(options.credit or "").strip(),
                 alt=(options.alt or generated_alt).strip(), alt_generated=not options.alt,
                 byline_label=MAP_BYLINE)


def describe_regions(value_label: str, values: list[tuple[str, float]], missing: int,
                     fmt: Callable[[float], str], symbol: str) -> str:
    """'Map of Taux de réussite by region (14 regions, colour classes). Highest: …'."""
    how = _("proportional circles") if symbol == "circle" else _("colour classes")
    parts = [ngettext("Map of {what} by region ({count} region, {how}).",
                      "Map of {what} by region ({count} regions, {how}).", len(values))
             .format(what=value_label, count=len(values), how=how)]
    if len(values) > 1:
        high = max(values, key=lambda v: v[1])
        low = min(values, key=lambda v: v[1])
        parts.append(_("Highest: {high} ({high_value}); lowest: {low} ({low_value}).").format(
            high=high[0], high_value=fmt(high[1]), low=low[0], low_value=fmt(low[1])))
    if missing:
        parts.append(ngettext("{count} region without data.", "{count} regions without data.",
                              missing).format(count=missing))
    parts.append(_(GENERATED_NOTE))
    return " ".join(parts)


def describe_points(count: int, what: str, legends) -> str:
    """'Map of 100 points (Écoles). Size: Élèves; colour: Statut.' + the generated note."""
    parts = [ngettext("Map of {count} point ({what}).", "Map of {count} points ({what}).", count)
             .format(count=count, what=what)]
    shown = [legend.title for legend in legends if legend.items]
    if shown:
        parts.append(_("Legend: {titles}.").format(titles=", ".join(shown)))
    parts.append(_(GENERATED_NOTE))
    return " ".join(parts)


def headline_warnings(frame: Frame, values: list[tuple[str, float]],
                      fmt: Callable[[float], str]) -> list[str]:
    """The headline check on the map's title and subtitle (rank and comparison claims)."""
    warnings = []
    for text in (frame.title, frame.subtitle):
        warnings += check_headline(text, values, format_value=fmt)
    return list(dict.fromkeys(warnings))
