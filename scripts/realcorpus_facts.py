"""Print the facts of one raw file read with settings YOU give, to write a real-corpus case by hand.

The expected facts of tests/realcorpus must come from the file, never from the importer: this reads
the bytes with the standard library (csv with an explicit delimiter and encoding) or, for workbooks,
the cell grid as stored (python-calamine, no header or type decision), and prints what a person
checks: encoding evidence, records with their first physical line, widths, blank records, the header
you named, the first and last records. `--draft` prints a JSON skeleton to edit, not to trust.

    python scripts/realcorpus_facts.py FILE --delimiter ';' --encoding cp1252 --header-line 3 \
        [--set-aside 120:total] [--sheet NAME] [--draft]
"""

from __future__ import annotations

import argparse
import collections
import csv
import io
import json
import sys
from pathlib import Path

csv.field_size_limit(1 << 30)


def encoding_evidence(data: bytes) -> dict:
    """What the bytes themselves say: BOM, pure ASCII, valid UTF-8, C1 bytes (cp1252 punctuation)."""
    facts = {"bytes": len(data), "bom": None, "ascii": all(b < 0x80 for b in data)}
    for name, mark in (("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")):
        if data.startswith(mark):
            facts["bom"] = name
            break
    try:
        data.decode("utf-8")
        facts["valid_utf8"] = True
    except UnicodeDecodeError as error:
        facts["valid_utf8"] = False
        facts["first_non_utf8_byte"] = error.start
    facts["c1_bytes"] = sum(1 for b in data if 0x80 <= b <= 0x9F)
    facts["nul_bytes"] = data.count(0)
    facts["line_endings"] = {"crlf": data.count(b"\r\n"), "lf": data.count(b"\n") - data.count(b"\r\n"),
                             "cr": data.count(b"\r") - data.count(b"\r\n")}
    return facts


def delimited_records(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """(first physical line, fields) for every record, as csv.reader splits them."""
    records = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', strict=False)
    line = 1
    for fields in reader:
        start = line
        line = reader.line_num + 1
        records.append((start, fields))
    return records


def workbook_grids(path: Path) -> dict[str, list[tuple[int, list[str]]]]:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    grids = {}
    for name in workbook.sheet_names:
        rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        grids[name] = [(number, [_cell(c) for c in row]) for number, row in enumerate(rows, 1)]
    return grids


def _cell(value) -> str:
    """A cell as a spreadsheet shows it: whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def blank(fields: list[str]) -> bool:
    return not any(f.strip() for f in fields)


def summarise(records, header_line: int | None, set_aside: dict[int, str], out) -> dict:
    nonblank = [(n, f) for n, f in records if not blank(f)]
    header = next((f for n, f in records if n == header_line), None) if header_line else None
    data = [(n, f) for n, f in nonblank if (header_line is None or n > header_line) and n not in set_aside]
    above = [(n, f) for n, f in nonblank if header_line and n < header_line]
    widths = collections.Counter(len(f) for _n, f in data)
    print(f"records: {len(records)}  non-blank: {len(nonblank)}  above header: {len(above)}  "
          f"data (after header, minus set-aside): {len(data)}", file=out)
    print(f"data widths: {dict(widths)}", file=out)
    for n, f in above:
        print(f"  above L{n}: {f[:6]}", file=out)
    if header is not None:
        print(f"header L{header_line} ({len(header)} fields): {header}", file=out)
    for n, f in data[:2]:
        print(f"  first L{n}: {f[:12]}", file=out)
    for n, f in data[-3:]:
        print(f"  last  L{n}: {f[:12]}", file=out)
    for n, reason in sorted(set_aside.items()):
        row = next((f for m, f in records if m == n), None)
        print(f"  set aside L{n} ({reason}): {row[:8] if row else 'NO SUCH RECORD START'}", file=out)
    draft = {"header_line": header_line, "data_rows": len(data),
             "columns": len(header) if header is not None else (max(widths) if widths else 0)}
    if header is not None:
        draft.update(first_label=header[0], last_label=header[-1])
    if data:
        draft["first_cell"] = data[0][1][0] if data[0][1] else ""
    draft["set_aside"] = [[n, r] for n, r in sorted(set_aside.items())]
    return draft


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--delimiter", default=",")
    parser.add_argument("--encoding", default="utf-8")
    parser.add_argument("--header-line", type=int, default=1, help="0: no header")
    parser.add_argument("--set-aside", action="append", default=[], help="LINE:REASON (preamble, footnote, total)")
    parser.add_argument("--sheet", action="append", default=[])
    parser.add_argument("--draft", action="store_true")
    args = parser.parse_args(argv)
    set_aside = {int(s.split(":")[0]): s.split(":")[1] for s in args.set_aside}
    data = args.file.read_bytes()
    header_line = args.header_line or None
    out = sys.stdout
    if data[:2] == b"PK" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        drafts = []
        for name, grid in workbook_grids(args.file).items():
            if args.sheet and name not in args.sheet:
                print(f"== sheet {name!r}: {sum(1 for _n, f in grid if not blank(f))} non-blank rows", file=out)
                continue
            print(f"== sheet {name!r}", file=out)
            draft = summarise(grid, header_line, set_aside, out)
            drafts.append({"sheet": name, **draft})
    else:
        print(f"bytes: {json.dumps(encoding_evidence(data))}", file=out)
        text = data.decode(args.encoding)
        if text.startswith("\ufeff"):
            text = text[1:]
        draft = summarise(delimited_records(text, args.delimiter), header_line, set_aside, out)
        drafts = [{"delimiter": args.delimiter, "encoding": args.encoding, **draft}]
    if args.draft:
        print(json.dumps(drafts, ensure_ascii=False, indent=1), file=out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
