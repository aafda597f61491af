"""Quoted cells with unescaped quotes inside: `"Lahr Schlüssel "Vis-à-Vis Bus" more text"`.

RFC 4180 doubles a quote inside a quoted cell (`""`); files written by hand or by naive scripts
do not. The csv module then ends the cell at the first inner quote, drops that quote and glues
the rest on: `Lahr Schlüssel Vis-à-Vis Bus" more text"`. Read leniently, a quote ends a quoted
cell only where the delimiter or the end of the line follows it, which is what the writer meant.
Used only when the sample shows such a cell and none of its records spans several lines.
"""

from __future__ import annotations

import csv
import re


def _field_pattern(delimiter: str) -> re.Pattern:
    d = re.escape(delimiter)
    # Inside a quoted cell any quote is content unless the delimiter or the end of the line
    # follows it; `""` then reads as one quote (`"a""b"` is a"b, `"Vis Bus"",` ends after Bus").
    return re.compile(rf'[ ]*"((?:[^"]|"(?![ ]*(?:{d}|\Z)))*)"[ ]*(?={d}|\Z)|([^{d}]*)')


def split_line(line: str, delimiter: str, pattern: re.Pattern | None = None) -> list[str]:
    """The cells of one physical line (without its line break), quotes ending cells only before
    the delimiter or the end of the line; doubled quotes are one quote."""
    pattern = pattern or _field_pattern(delimiter)
    if not line:
        return []
    fields, position = [], 0
    while True:
        match = pattern.match(line, position)
        quoted = match.group(1)
        fields.append(quoted.replace('""', '"') if quoted is not None else match.group(2))
        position = match.end()
        if position >= len(line):
            return fields
        position += 1                      # the delimiter
        if position == len(line):
            fields.append("")
            return fields


def has_stray_quotes(lines: list[str], delimiter: str) -> bool:
    """Some line of the sample has a quoted cell that the csv module reads with a quote left in
    it where the lenient reading differs: an inner quote that was never doubled."""
    pattern = _field_pattern(delimiter)
    for line in lines:
        if '"' not in line:
            continue
        text = line.rstrip("\r\n")
        strict = next(csv.reader([text], delimiter=delimiter, strict=False), [])
        lenient = split_line(text, delimiter, pattern)
        if len(strict) == len(lenient) and strict != lenient and any('"' in cell for cell in strict):
            return True
    return False


class LenientReader:
    """A csv.reader look-alike (iteration, line_num) reading each line with split_line."""

    def __init__(self, stream, delimiter: str):
        # Any iterable of lines: a text stream, or the line-by-line decoder of a file with NUL bytes,
        # mojibake or lines in two encodings (delimited._open_text), which has no readline.
        self.lines, self.delimiter, self.line_num = iter(stream), delimiter, 0
        self.pattern = _field_pattern(delimiter)

    def __iter__(self):
        return self

    def __next__(self) -> list[str]:
        line = next(self.lines, "")
        if not line:
            raise StopIteration
        self.line_num += 1
        return split_line(line.rstrip("\r\n"), self.delimiter, self.pattern)
