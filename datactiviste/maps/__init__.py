"""Offline maps: bundled geodata, gazetteer geocoding, folium builders, self-contained HTML.

Modules: `geodata` (bundled outlines, a stable API also used by the Datasette server),
`names` (name folding), `gazetteer` (place names -> coordinates), `regions` (region names or
codes -> outlines), `points` / `choropleth` (map builders), `render` (folium -> one HTML file).
"""
