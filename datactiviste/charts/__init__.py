"""Publication charts, offline: a spec in, PNG (2×), SVG, HTML and JSON out.

    from datactiviste.charts import ChartSpec, make_chart
    make_chart(ChartSpec(type="bar", table="budget", x="region", y="montant",
                         db="projet.db", title="Dakar reçoit la moitié du budget"), "budget")

Modules, one job each: spec (the saved description), data (database -> checked numbers),
labels (fr/en number and date text), palette (colour-blind check), alt_text (generated
description), frame (title/source/byline, on `graphics.frame`), canvas (the figure in CSS
pixels and its frame), axes (ticks and limits), kinds/ (one drawer per chart kind), render
(figure of a spec), export (SVG/PNG), html (offline page, data table, CSV, embed snippet),
build (the whole pipeline). What maps share with charts lives in `datactiviste.graphics`.
"""

from datactiviste.charts.build import ChartResult, make_chart
from datactiviste.charts.spec import AGGREGATIONS, CHART_TYPES, ChartSpec

__all__ = ["AGGREGATIONS", "CHART_TYPES", "ChartResult", "ChartSpec", "make_chart"]
