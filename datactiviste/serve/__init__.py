"""Serve project databases with Datasette: offline, in French or English, alone or for a classroom.

`app.build_datasette` assembles a Datasette instance (metadata from provenance, our plugin,
classroom settings); `server.serve` runs it in-process with uvicorn; `translate` turns
Datasette's own English templates into gettext calls as they load; `export` writes CSV, XLSX
and GeoJSON files for people who continue in a spreadsheet.
"""
