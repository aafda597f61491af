"""How a delimited file is written, in the terms other tools ask for: encoding, delimiter, lines
before the header, decimal comma, the strptime format of its dates.

csvkit reads `03/02/2018` as March 2 and `1 234,5` as text unless told `-e cp1252 -d ';'
--locale fr_FR --date-format %d/%m/%Y`; `datactiviste csvkit` tells it what our importer's
detection finds (encoding.detect_encoding, delimiters.detect_delimiter and the header search through
`readers.read_tables`, then `types.Profiler`/`decide` on the first rows). Only a sample is
profiled (`SAMPLE_ROWS`): this runs before every csvkit command, so it must stay quick on a
100 MB file.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from datactiviste.ingest.readers import ReadOptions, read_tables
from datactiviste.ingest.types import Profiler, decide, file_convention

SAMPLE_ROWS = 5000
_DATE = re.compile(r"^(\d{1,4})([/.-])(\d{1,2})\2(\d{2,4})(?:[ T](\d{1,2}):(\d{2})(:\d{2})?)?$")


@dataclass
class Dialect:
    encoding: str | None = None
    delimiter: str | None = None
    skip_lines: int = 0                  # lines before the header (titles, comments)
    decimal: str | None = None           # "," when the number columns use a decimal comma
    date_format: str | None = None       # strptime format of the date columns (the most common)
    datetime_format: str | None = None
    date_columns: list[str] = field(default_factory=list)
    other_date_formats: list[str] = field(default_factory=list)   # columns written another way
    null_markers: list[str] = field(default_factory=list)   # nd, -, … standing for "missing" in number columns
    codes: list[str] = field(default_factory=list)          # columns of codes with leading zeros (01001)


def detect_dialect(path: str | Path) -> Dialect | None:
    """The dialect of a delimited text file (None for a workbook or JSON: nothing to tell)."""
    fmt, tables = read_tables(Path(path), ReadOptions())
    if fmt != "csv" or not tables:
        return None
    table = tables[0]
    width = max(1, len(table.headers))
    records = []
    for _starts, batch in table.batches():
        records += batch
        if len(records) >= SAMPLE_ROWS:
            break
    records = [(list(r) + [""] * width)[:width] for r in records[:SAMPLE_ROWS]]
    profiler = Profiler(width)
    if records:
        profiler.add_chunk(list(zip(*records)))
    profiles = profiler.columns
    convention = file_convention(profiles, table.delimiter)
    decisions = [decide(profile, convention) for profile in profiles]
    dialect = Dialect(encoding=table.encoding.name if table.encoding else None, delimiter=table.delimiter,
                      skip_lines=max(0, (table.header_line or 1) - 1) if not table.no_header else 0)
    if any(d.sql_type in ("INTEGER", "REAL") and d.decimal == "," for d in decisions):
        dialect.decimal = ","
    _date_formats(dialect, table.headers, decisions, records)
    for position, (profile, decision) in enumerate(zip(profiles, decisions)):
        if decision.kind == "code":
            dialect.codes.append(table.headers[position] if position < len(table.headers) else str(position + 1))
        if decision.sql_type != "TEXT":
            dialect.null_markers += [m for m in profile.markers if m not in dialect.null_markers]
    return dialect


def _date_formats(dialect: Dialect, headers, decisions, records) -> None:
    """The strptime formats of the date and datetime columns: the most common one of each kind."""
    found: dict[str, Counter] = {"DATE": Counter(), "DATETIME": Counter()}
    by_column = {}
    for position, decision in enumerate(decisions):
        if decision.sql_type not in found:
            continue
        values = [row[position].strip() for row in records if row[position].strip()]
        formats = Counter(f for f in (strptime_format(v, decision.date_order) for v in values[:200]) if f)
        if formats:
            best = formats.most_common(1)[0][0]
            found[decision.sql_type][best] += 1
            by_column[headers[position] if position < len(headers) else str(position + 1)] = (decision.sql_type, best)
    for kind, attribute in (("DATE", "date_format"), ("DATETIME", "datetime_format")):
        if found[kind]:
            setattr(dialect, attribute, found[kind].most_common(1)[0][0])
    chosen = {"DATE": dialect.date_format, "DATETIME": dialect.datetime_format}
    for column, (kind, best) in by_column.items():
        dialect.date_columns.append(column)
        if best != chosen[kind]:
            dialect.other_date_formats.append(column)


def strptime_format(value: str, order: str | None) -> str | None:
    """'03/02/2018' (dmy) -> '%d/%m/%Y'; '2018-02-03 10:30' -> '%Y-%m-%d %H:%M'; None if not numeric."""
    match = _DATE.match(value)
    if not match:
        return None
    first, separator, _middle, last, hour, _minute, seconds = match.groups()
    if len(first) == 4:
        parts = ["%Y", "%m", "%d"]
    else:
        year = "%Y" if len(last) == 4 else "%y"
        parts = ["%m", "%d", year] if order == "mdy" else ["%d", "%m", year]
    text = separator.join(parts)
    if hour is not None:
        text += (" " if " " in value else "T") + "%H:%M" + (":%S" if seconds else "")
    try:
        datetime.datetime.strptime(value, text)
    except ValueError:
        return None
    return text
