"""How a delimited file splits into records: its delimiter, its escape character, or why it has
none (fixed-width text).

Decided on the sample's records as the CSV reader sees them (quoted cells keep their line breaks,
blank lines and other delimiters), not on physical lines: the delimiter is the candidate under
which the records are most consistent (detect_delimiter).
"""

from __future__ import annotations

import csv
import re
from collections import Counter

from datactiviste.ingest.cells import cell_kind
from datactiviste.ingest.spaces import SPACE, space_reader

DELIMITERS = [";", ",", "\t", "|"]
# Rarer delimiters, tried only when none of the usual ones makes a table: `city:region:country`
# exports, `^` and `~` from old mainframe and statistics systems. A colon is also the separator of
# times and URLs, so these must make a header of words as wide as nearly every record.
RARE_DELIMITERS = [":", "^", "~"]


def records_reader(lines, delimiter: str, skip_space: bool = False, escapechar: str | None = None):
    """The csv reader every stage reads a delimited file with; a space delimiter means columns
    separated by runs of spaces (spaces.py)."""
    if delimiter == SPACE:
        return space_reader(lines, strict=False)
    return csv.reader(lines, delimiter=delimiter, quotechar='"', doublequote=True,
                      skipinitialspace=skip_space, strict=False, escapechar=escapechar)


def parse_sample(lines: list[str], delimiter: str, skip_space: bool = False,
                 escapechar: str | None = None) -> list[list[str]]:
    return list(records_reader(lines, delimiter, skip_space, escapechar))


def spaced_delimiter(lines: list[str], delimiter: str) -> bool:
    """The file writes `, "6,000"`: a space after nearly every delimiter, and a quoted cell after
    one. Then the space is layout, and the quote opens a cell (csv's skipinitialspace)."""
    count = sum(line.count(delimiter) for line in lines)
    if not count or delimiter == " ":
        return False
    spaced = sum(line.count(delimiter + " ") for line in lines)
    return spaced >= 0.5 * count and any(delimiter + ' "' in line for line in lines)


def _records_with_spans(lines: list[str], delimiter: str,
                        escapechar: str | None = None) -> list[tuple[list[str], int]]:
    """Each record with the number of physical lines it spans (a quoted cell may hold many)."""
    reader = records_reader(lines, delimiter, spaced_delimiter(lines, delimiter), escapechar)
    out, previous = [], 0
    for record in reader:
        out.append((record, reader.line_num - previous))
        previous = reader.line_num
    return out


def detect_delimiter(sample_lines: list[str], complete: bool = True) -> str | None:
    """The delimiter under which the sample's parsed records are most consistent.

    Decided on records as the CSV reader sees them (quoted cells keep their line breaks, blank
    lines and other delimiters), not on physical lines. Each candidate gets a score after
    CleverCSV's "data consistency" (van den Burg et al., 2019): a pattern score that rewards the
    lines covered by records of the same width, `sum(lines_k * (L_k - 1) / L_k) / K` over the K
    distinct widths (lines, not records: under a wrong delimiter one quoted cell of 500 lines
    becomes 500 short records), times the share of fields left without a stray quote — a quote
    inside a field means this delimiter cut through a quoted cell. `complete=False`: the sample
    may stop inside the last record, which is then not counted.
    """
    if not any(line.strip() for line in sample_lines):
        return None
    best: tuple | None = None
    for delimiter in DELIMITERS:
        if not any(delimiter in line for line in sample_lines):
            continue
        if delimiter == "," and _commas_are_decimals(sample_lines):
            continue
        scored = _consistency(sample_lines, delimiter, complete)
        if scored is None:
            continue
        score, modal, records = scored
        if len(records) > 2 and all(len(record) < 2 for record, _span in records[1:]):
            continue     # only the first line splits (`SIGMA(1,1)` in a header aligned with spaces): not the delimiter
        # Consistent records first, then wider tables; list order breaks exact ties (; before ,).
        key = (round(score, 6), modal, -DELIMITERS.index(delimiter))
        if best is None or key > best[0]:
            best = (key, delimiter, records)
    if best and best[0][0] > 0 and not _only_in_a_note(best[2]):
        return best[1]
    return _rare_delimiter(sample_lines, complete)


def _split_counts(records: list[tuple[list[str], int]]) -> tuple[int, int]:
    """(records split into two cells or more, non-blank records) of (record, span) pairs."""
    filled = [record for record, _span in records if any(cell.strip() for cell in record)]
    return sum(1 for record in filled if len(record) > 1), len(filled)


def _only_in_a_note(records: list[tuple[list[str], int]]) -> bool:
    """The delimiter splits one or two records of a sample of many (`Notes: 1950 DJF = Dec 1949 -
    Feb 1950 ;  ***** = missing` above NASA's space-aligned columns): punctuation in a sentence."""
    split, filled = _split_counts(records)
    return split < 3 and split < 0.1 * filled


def split_share(sample_lines: list[str], delimiter: str) -> float:
    """The share of the sample's non-blank records that `delimiter` splits into two cells or more:
    small when it only occurs in a preamble's sentences (`publication, coauthorship…`)."""
    split, filled = _split_counts(_records_with_spans(sample_lines, delimiter))
    return split / filled if filled else 0.0


def _consistency(sample_lines: list[str], delimiter: str, complete: bool, escapechar: str | None = None):
    """(score, modal width, records) of the sample read with `delimiter` (see detect_delimiter),
    or None when it makes no record of two fields."""
    records = _records_with_spans(sample_lines, delimiter, escapechar)
    if not complete and len(records) > 1:
        records.pop()
    records = [(r, span) for r, span in records if any(c.strip() for c in r)]
    widths: Counter = Counter()
    lines: Counter = Counter()
    for record, span in records:
        widths[len(record)] += 1
        lines[len(record)] += span
    if not widths or max(widths) < 2:
        return None
    pattern = sum(n * (width - 1) / width for width, n in lines.items()) / len(lines)
    fields = sum(width * n for width, n in widths.items())
    stray = sum(1 for record, _span in records for cell in record if '"' in cell)
    return pattern * (1 - stray / fields), widths.most_common(1)[0][0], records


def detect_escape(sample_lines: list[str], delimiter: str, complete: bool = True) -> str | None:
    """A backslash when the file escapes with it (`Dr. Seltsam\\, oder…`, `"Venture \\"Extended\\""`,
    as MySQL and PHP exports write them), else None.

    Read with a backslash escape, such a file's records are more often of the table's width. Only
    then: an escape also drops the backslash of a `C:\\Dossier` path, which a file that does not
    escape keeps."""
    if delimiter == SPACE or not any("\\" + delimiter in line or '\\"' in line for line in sample_lines):
        return None
    plain = _consistency(sample_lines, delimiter, complete)
    escaped = _consistency(sample_lines, delimiter, complete, escapechar="\\")
    if escaped is None:
        return None
    def regular(scored) -> int:
        _score, modal, records = scored
        return sum(1 for record, _span in records if len(record) == modal)
    if plain is None or (escaped[0] > plain[0] and regular(escaped) > regular(plain)):
        return "\\"
    return None


def fixed_width(sample_lines: list[str]) -> bool:
    """True when the lines are columns aligned with spaces (a fixed-width export: `John Smith
    WA        418-Y11-4111`), not one column of text: three or more columns of text separated by
    gaps of two or more spaces that stand at the same place on (nearly) every line."""
    lines = [line.rstrip("\r\n") for line in sample_lines if line.strip()][:500]
    if len(lines) < 3 or sum(1 for line in lines if "  " in line.strip()) < 0.8 * len(lines):
        return False
    width = min(max(len(line) for line in lines), 400)
    reach = [sum(1 for line in lines if len(line) > p) for p in range(width)]
    space = [sum(1 for line in lines if len(line) > p and line[p] == " ") for p in range(width)]
    gap = [reach[p] >= 0.8 * len(lines) and space[p] >= 0.95 * reach[p] for p in range(width)]
    # Segments between gaps of two or more positions; a column is a segment that holds text.
    segments, current, p = [], [], 0
    while p < width:
        if gap[p] and p + 1 < width and gap[p + 1]:
            if current:
                segments.append(current)
                current = []
            while p < width and gap[p]:
                p += 1
            continue
        current.append(p)
        p += 1
    if current:
        segments.append(current)
    columns = sum(1 for segment in segments if any(reach[q] - space[q] >= 0.5 * len(lines) for q in segment))
    return columns >= 3


def _rare_delimiter(sample_lines: list[str], complete: bool) -> str | None:
    """A RARE_DELIMITERS delimiter, on strong evidence only: its first record is a header of
    words (no number, no time, no URL, no empty label) as wide as at least 90 % of the records."""
    for delimiter in RARE_DELIMITERS:
        if not any(delimiter in line for line in sample_lines):
            continue
        scored = _consistency(sample_lines, delimiter, complete)
        if scored is None:
            continue
        _score, modal, records = scored
        if _only_in_a_note(records):
            continue      # `German text with apostrophs: über` in a one-column file
        header = records[0][0]
        words = all(cell.strip() and cell_kind(cell) == "text" and "/" not in cell for cell in header)
        same_width = sum(1 for record, _span in records if len(record) == modal)
        if len(header) == modal and words and len(records) >= 3 and same_width >= 0.9 * len(records):
            return delimiter
    return None


_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")


def _commas_are_decimals(lines: list[str]) -> bool:
    """A one-column file of French numbers: every comma sits between digits, none in the header."""
    lines = [line for line in lines if line.strip()]
    header = lines[0]
    if "," in header:
        return False
    commas = sum(line.count(",") for line in lines)
    between_digits = sum(len(_DECIMAL_COMMA.findall(line)) for line in lines)
    return commas > 0 and commas == between_digits
