"""Turn an open-data file into a typed SQLite table: detect, convert, load, explain.

Public API: `import_file` (writes a table) and `inspect_file` (reads only), imported lazily so
that `datactiviste --help` does not pay for them.
"""

__all__ = ["ImportOptions", "ImportResult", "import_file", "inspect_file"]


def __getattr__(name):
    if name in ("ImportOptions", "ImportResult", "import_file"):
        from datactiviste.ingest import importer

        return getattr(importer, name)
    if name == "inspect_file":
        from datactiviste.ingest.inspect import inspect_file

        return inspect_file
    raise AttributeError(name)
