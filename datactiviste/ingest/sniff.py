"""What a file really is, from its first bytes and, for containers, their directory.

Extensions lie: a web page saved as `.csv`, a Word file renamed `.xls`, a photo of a table. Each
kind that is not a table gets its own message saying what the file is and what to do, so that
nothing is imported as garbage. Only the head of the file (and the directory of a zip or an
OLE2 container) is read: this runs before every import.
"""

from __future__ import annotations

import codecs
import re
import struct
import zipfile
from collections import Counter
from pathlib import Path

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import N_, _

HEAD_BYTES = 64 * 1024

# (signature at offset 0, kind): checked in order, the first that matches wins.
_SIGNATURES = [
    (b"%PDF", "pdf"),
    (b"SQLite format 3\x00", "sqlite"),
    (b"\x89PNG\r\n\x1a\n", "image:PNG"), (b"\xff\xd8\xff", "image:JPEG"), (b"GIF87a", "image:GIF"),
    (b"GIF89a", "image:GIF"), (b"II*\x00", "image:TIFF"), (b"MM\x00*", "image:TIFF"),
    (b"\x00\x00\x01\x00", "image:ICO"), (b"8BPS", "image:PSD"),
    (b"\x7fELF", "executable"), (b"\xcf\xfa\xed\xfe", "executable"), (b"\xce\xfa\xed\xfe", "executable"),
    (b"\xfe\xed\xfa\xcf", "executable"), (b"\xfe\xed\xfa\xce", "executable"),
    (b"OggS", "media:Ogg"), (b"fLaC", "media:FLAC"), (b"\x1aE\xdf\xa3", "media:Matroska/WebM"),
    (b"FLV\x01", "media:FLV"), (b"#!AMR", "media:AMR"), (b"\x00\x00\x01\xba", "media:MPEG"),
    (b"\x00\x00\x01\xb3", "media:MPEG"), (b"0&\xb2u\x8ef\xcf\x11", "media:WMA/WMV"),
    (b"\x1f\x8b", "archive:gzip"), (b"\xfd7zXZ\x00", "archive:xz"),
    (b"(\xb5/\xfd", "archive:zstd"), (b"Rar!\x1a\x07", "archive:RAR"), (b"7z\xbc\xaf'\x1c", "archive:7z"),
    (b"MSCF", "archive:CAB"), (b"LZIP", "archive:lzip"),
    (b"ARROW1\x00", "data:Arrow/Feather"), (b"$FL2@(#)", "data:SPSS (.sav)"), (b"$FL3@(#)", "data:SPSS (.sav)"),
    (b"<stata_dta>", "data:Stata (.dta)"), (b"\x89HDF\r\n\x1a\n", "data:HDF5"),
    (b"CDF\x01", "data:NetCDF"), (b"CDF\x02", "data:NetCDF"), (b"\x00\x00\x27\x0a", "geo:shapefile (.shp)"),
    (b"{\\rtf", "word:RTF"),
]
_SAS = b"\x00" * 12 + b"\xc2\xea\x81\x60\xb3\x14\x11\xcf\xbd\x92\x08\x00\x09\xc7\x31\x8c\x18\x1f\x10\x11"


def identify(head: bytes) -> str | None:
    """The kind of a file that is certainly not a table nor a workbook, from its head; else None."""
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    if head[:4] == b"RIFF" and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return {b"WEBP": "image:WebP", b"WAVE": "media:WAV", b"AVI ": "media:AVI"}[head[8:12]]
    if head[4:8] == b"ftyp":   # ISO media: MP4, MOV, M4A, 3GP, and HEIC/AVIF pictures
        brand = head[8:12]
        return "image:HEIC/AVIF" if brand in (b"heic", b"heix", b"mif1", b"avif", b"msf1") else "media:MP4/MOV"
    if head[:3] == b"BZh" and head[4:10] == b"1AY&SY":
        return "archive:bzip2"
    if head[:4] == b"PAR1" and len(head) > 4 and head[4] < 0x20:
        return "data:Parquet"
    if head[:3] == b"ID3" and head[3:4] in (b"\x02", b"\x03", b"\x04"):
        return "media:MP3"
    if head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2") and len(head) > 4 and head[2] & 0xF0 != 0xF0:
        return "media:MP3"
    if head[:2] == b"BM" and len(head) >= 14 and head[6:10] == b"\x00\x00\x00\x00" and \
            struct.unpack("<I", head[2:6])[0] > 26:
        return "image:BMP"
    if head[:2] == b"MZ" and _is_windows_program(head):
        return "executable"
    if head.startswith(_SAS):
        return "data:SAS (.sas7bdat)"
    if len(head) > 262 and head[257:262] == b"ustar":
        return "archive:tar"
    if head[:1024].find(b"%PDF-") > 0:      # a PDF with a few bytes of junk before its header
        return "pdf"
    if b"SPSS PORT FILE" in head[:200] or b"SPSSPORT" in head[:600]:
        return "data:SPSS portable (.por)"
    if head.startswith(b"HEADER RECORD*******LIBRARY HEADER RECORD!!!!!!!"):
        return "data:SAS transport (.xpt)"
    if _office_owner_file(head):
        return "lockfile"
    return _text_kind(head) or _markup_kind(head)


def _office_owner_file(head: bytes) -> bool:
    """The `~$name.xlsx` file Excel, Word or LibreOffice's MS filters leave beside a document while it
    is open (copied along onto USB sticks): 162 or 165 bytes, the user's name as a length byte, the
    name in ASCII padded with spaces to 54 bytes, the length again on two bytes, then the name in UTF-16."""
    if not 57 < len(head) <= 512:
        return False
    length = head[0]
    if not 0 < length <= 53 or head[55:57] != bytes((length, 0)):
        return False
    name = head[1:1 + length]
    return all(32 <= byte < 127 or byte >= 160 for byte in name) and head[1 + length:55].strip(b" ") == b"" \
        and head[57:57 + 2 * length] == name.decode("latin-1").encode("utf-16-le")


_TEXT_STARTS = [(b"BEGIN:VCALENDAR", "textfile:iCalendar (.ics)"), (b"BEGIN:VCARD", "textfile:vCard (.vcf)"),
                (b"PROJCS[", "geo:projection (.prj)"), (b"GEOGCS[", "geo:projection (.prj)"),
                (b"PROJCRS[", "geo:projection (.prj)"), (b"GEOGCRS[", "geo:projection (.prj)"),
                (b"GEODCRS[", "geo:projection (.prj)")]


def _text_kind(head: bytes) -> str | None:
    """Text formats that are not tables, by their first word: calendars, contact cards, projections,
    or a shapefile's code page file."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if _code_page_name(text):
        return "geo:" + N_("code page of a shapefile (.cpg)")
    return next((kind for start, kind in _TEXT_STARTS if text[:len(start)].upper() == start), None)


def _code_page_name(text: bytes) -> bool:
    """A whole file that only names an encoding (`UTF-8`, `1252`, `ANSI 1252`): the .cpg beside a
    shapefile's .dbf. No table is one word long; a header-only CSV has a label, not a codec."""
    words = text.strip().split()
    if len(text) > 40 or not 1 <= len(words) <= 2 or b"\n" in text.strip():
        return False
    name = words[-1].decode("ascii", "replace")
    if len(words) == 2 and words[0].upper() not in (b"ANSI", b"OEM", b"CP", b"ISO"):
        return False
    try:
        codecs.lookup(("cp" + name) if name.isdigit() else name)
    except LookupError:
        return False
    return True


_MARKDOWN = re.compile(r"\s*(?:[-*+] |\d+[.)] |#{1,6} |> |```|\*\*|\|)")


def prose(records: list[list[str]]) -> bool:
    """Sentences and paragraphs (a README, a licence, a log), not a table: under a title line, or
    paragraphs of sentences throughout (see _titled_prose and _untitled_prose)."""
    lines = [r for r in records if any(c.strip() for c in r)]
    if len(lines) < 4:
        return False
    return _titled_prose(records, lines) or _untitled_prose(records, lines)


def _titled_prose(records: list[list[str]], lines: list[list[str]]) -> bool:
    """The first line is a title (one cell of several words, or a Markdown `#` heading) and the
    other lines (`#` lines aside: a CSV's comments, a Markdown file's headings) are Markdown items,
    or sentences in paragraphs (blank lines between them), or have no common width and are mostly
    single cells or sentences. A list of names or of comments under a title, and a table whose
    exporter drops trailing empty fields, keep their short cells, their width or their lines
    without gaps."""
    first = [c.strip() for c in lines[0] if c.strip()]
    if not (len(first) == 1 and (len(first[0].split()) >= 4 or first[0].startswith("#"))):
        return False
    body = [_trimmed(r) for r in lines[1:] if not r[0].lstrip().startswith("#")]
    if len(body) < 3 or _table_run(records[records.index(lines[0]) + 1:]) >= 3:
        return False        # a header and rows: three lines in a row of the same width, two or more
    width, count = Counter(len(r) for r in body).most_common(1)[0]
    sentences = sum(1 for r in body if any(len(c.split()) >= 6 for c in r)) / len(body)
    singles = sum(1 for r in body if sum(1 for c in r if c.strip()) <= 1) / len(body)
    markdown = sum(1 for r in body if _MARKDOWN.match(r[0])) / len(body)
    paragraphs = len(records) - len(lines) >= 0.2 * len(lines)      # blank lines between them
    if markdown >= 0.3 or (paragraphs and sentences >= 0.5):
        return True
    if width == 1 and count >= 0.6 * len(body):
        return paragraphs and sentences >= 0.4
    return count < 0.6 * len(body) and (singles >= 0.5 or sentences >= 0.5)


def _untitled_prose(records: list[list[str]], lines: list[list[str]]) -> bool:
    """Paragraphs of sentences without a title line (a licence opening on `Copyright (c) 2009,
    Foo Ltd.`, a readme on `File Name: Site_1`), whose commas make cells of no common width:
    eight lines or more, blank lines between paragraphs, half the lines holding a sentence of six
    words or more, no run of lines of one width as long as a fifth of them (or three), and lines mostly of
    one cell or of no common width (a table with a column of sentences has one width of two cells
    or more, in runs, and rarely blank lines)."""
    if len(lines) < 8 or len(records) - len(lines) < 0.15 * len(lines):
        return False
    sentences = sum(1 for r in lines if any(len(c.split()) >= 6 for c in r))
    width, count = Counter(len(_trimmed(r)) for r in lines).most_common(1)[0]
    return sentences >= 0.5 * len(lines) and _table_run(records) < max(3, 0.2 * len(lines)) and \
        (width == 1 or count < 0.8 * len(lines))


def _table_run(records: list[list[str]]) -> int:
    """The longest run of consecutive lines (`#` lines skipped, blank lines ending it) that have the
    same width, two cells or more."""
    longest = run = previous = 0
    for record in records:
        if record and record[0].lstrip().startswith("#"):
            continue
        width = len(_trimmed(record)) if any(c.strip() for c in record) else 0
        run = run + 1 if width >= 2 and width == previous else (1 if width >= 2 else 0)
        previous = width
        longest = max(longest, run)
    return longest


def _trimmed(record: list[str]) -> list[str]:
    end = len(record)
    while end > 1 and not record[end - 1].strip():
        end -= 1
    return record[:end]


def _is_windows_program(head: bytes) -> bool:
    if b"This program cannot be run in DOS mode" in head[:512]:
        return True
    if len(head) >= 64:
        offset = struct.unpack("<I", head[60:64])[0]
        return head[offset:offset + 4] == b"PE\x00\x00"
    return False


_HTML_START = re.compile(rb"<(!doctype\s+html|html|head|body|meta|title|table|div|script|style|link|form|iframe|p|h[1-6])[\s>/]")


def _markup_kind(head: bytes) -> str | None:
    """html, svg, kml, a 2003 XML spreadsheet or other XML: text that starts with a tag."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", "ignore").encode("ascii", "ignore")
    else:
        text = head
    text = text.lstrip(b"\xef\xbb\xbf \t\r\n\x00").lower()
    if not text.startswith(b"<"):
        return None
    if b"urn:schemas-microsoft-com:office:spreadsheet" in text:
        return "xml-spreadsheet"
    # Comments and the XML declaration may come first: look at the first element.
    body = re.sub(rb"<\?.*?\?>|<!--.*?-->", b"", text[:HEAD_BYTES], flags=re.S).lstrip()
    if body.startswith(b"<svg") or b"<svg" in body[:2048] and not body.startswith(b"<html"):
        return "image:SVG"
    if _HTML_START.match(body) or b"<html" in body[:4096]:
        return "html"
    if body.startswith((b"<kml", b"<gpx")):
        return "geo:" + body[1:4].decode("ascii").upper()
    if re.match(rb"<[a-z_][\w:.-]*[\s>/]", body) and b">" in body:
        return "xml"
    return None


# --- containers: zip (xlsx, docx, ods…) and OLE2 (xls, doc, ppt) ---------------------------------

def zip_kind(names: list[str], mimetype: str) -> str:
    """xlsx, ods, or the kind of a zip that holds no workbook."""
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return "xlsx"
    if "[Content_Types].xml" in names and any(n.rsplit("/", 1)[-1] in ("workbook.xml", "workbook.bin") for n in names):
        return "xlsx"     # an Office Open XML workbook laid out by another tool (workbook.xml at the root)
    if mimetype:
        if "opendocument.spreadsheet" in mimetype:
            return "ods"
        if "opendocument.text" in mimetype:
            return "word:OpenDocument"
        if "opendocument.presentation" in mimetype:
            return "powerpoint:OpenDocument"
        if "epub" in mimetype:
            return "word:EPUB"
    elif "content.xml" in names:
        return "ods"
    if any(n.startswith("word/") for n in names):
        return "word:Word"
    if any(n.startswith("ppt/") for n in names):
        return "powerpoint:PowerPoint"
    if "AndroidManifest.xml" in names or "META-INF/MANIFEST.MF" in names and any(n.endswith(".class") for n in names):
        return "executable"
    if any(n.lower().endswith(".kml") for n in names) and len(names) <= 3:
        return "geo:KMZ"
    return "zip"


def ole_streams(path: Path) -> set[str] | None:
    """Names in the directory of an OLE2 compound file (xls, doc, ppt, msg), None if unreadable.

    Follows the directory's sector chain through the FAT (at most 256 sectors read): a few
    kilobytes whatever the file size.
    """
    try:
        with open(path, "rb") as handle:
            header = handle.read(512)
            shift = struct.unpack("<H", header[30:32])[0]
            if shift not in (9, 12):
                return None
            size = 1 << shift
            fat_sectors = struct.unpack("<109i", header[76:512])
            sector = struct.unpack("<i", header[48:52])[0]
            fat_cache: dict[int, tuple[int, ...]] = {}

            def read_sector(number: int) -> bytes:
                handle.seek((number + 1) * size)
                return handle.read(size)

            def next_sector(number: int) -> int:
                per = size // 4
                index = number // per
                if index >= len(fat_sectors) or fat_sectors[index] < 0:
                    return -2
                if index not in fat_cache:
                    fat_cache[index] = struct.unpack(f"<{per}i", read_sector(fat_sectors[index]))
                return fat_cache[index][number % per]

            names: set[str] = set()
            for _step in range(256):
                if sector < 0:
                    break
                data = read_sector(sector)
                for offset in range(0, len(data) - 127, 128):
                    length = struct.unpack("<H", data[offset + 64:offset + 66])[0]
                    if 2 <= length <= 64 and data[offset + 66] in (1, 2):
                        names.add(data[offset:offset + length - 2].decode("utf-16-le", "replace"))
                sector = next_sector(sector)
            return names
    except (OSError, struct.error, IndexError):
        return None


# An OLE2 file whose directory cannot be read (damaged, cut short) is what its name says when the
# name says a document; otherwise the workbook reader tries it as xls.
_OLE_SUFFIXES = {".doc": "word:Word", ".dot": "word:Word", ".ppt": "powerpoint:PowerPoint",
                 ".pps": "powerpoint:PowerPoint"}


def ole_kind(names: set[str] | None, suffix: str = "") -> str:
    """xls, or what else an OLE2 file is (unknown directory: its `suffix` tells a Word or
    PowerPoint document, else the workbook reader tries)."""
    if not names:
        return _OLE_SUFFIXES.get(suffix.lower(), "xls")
    if names & {"Workbook", "Book", "WORKBOOK", "BOOK"}:
        return "xls"
    if "EncryptedPackage" in names:
        return "encrypted"
    if "WordDocument" in names:
        return "word:Word"
    if "PowerPoint Document" in names:
        return "powerpoint:PowerPoint"
    return "office"


# --- what to tell the user --------------------------------------------------------------------

_EXPORT = N_("Export the table as CSV or Excel from its source.")
_COPY = N_("Copy the table into a spreadsheet (LibreOffice Calc or Excel) and save it as .xlsx or .csv, "
           "or ask the source for the data file.")
_OTHER_FILE = N_("Import a CSV, Excel (xlsx, xls), ODS, JSON or GeoJSON file.")

# family: (what the file is, what to do); {kind} is the detail after the colon, {path} the file,
# {evidence} why bytes without a signature are not text (encoding.binary_evidence).
_MESSAGES = {
    "html": (N_("This is a web page (HTML), not a table."),
             N_("Save the table itself, or export it as CSV: look for a Download or Export button on the site; "
                "or open the page in LibreOffice Calc and save it as .xlsx.")),
    "xml-spreadsheet": (N_("This is an Excel 2003 XML spreadsheet, a format datactiviste does not read."),
                        N_("Open it in Excel or LibreOffice Calc and save it as .xlsx, then import that file.")),
    "xml": (N_("This is an XML file, not a table."), N_("Or open it in LibreOffice Calc and save it as .xlsx or .csv.")),
    "pdf": (N_("This is a PDF document, not a table."),
            N_("Export the table as CSV or Excel from its source, or extract it with a tool such as Tabula.")),
    "image": (N_("This is an image ({kind}), not a table."),
              N_("A picture of a table cannot be imported: find the data file (CSV, Excel) it was made from, "
                 "or type the values into a spreadsheet.")),
    "word": (N_("This is a text document ({kind}), not a table."), _COPY),
    "powerpoint": (N_("This is a presentation ({kind}), not a table."), _COPY),
    "encrypted": (N_("This Office file is protected by a password."),
                  N_("Open it in Excel or LibreOffice with its password, save a copy without password, and import "
                     "that copy.")),
    "office": (N_("This is an Office document that holds no spreadsheet."), _EXPORT),
    "executable": (N_("This is a program (an executable file), not a table."),
                   N_("Do not run it. Import a CSV, Excel (xlsx, xls), ODS, JSON or GeoJSON file.")),
    "media": (N_("This is an audio or video file ({kind}), not a table."), _OTHER_FILE),
    "lockfile": (N_("This is the small file Excel leaves beside a workbook while it is open (its name begins "
                    "with ~$), not the workbook itself."),
                 N_("Import the workbook of the same name without ~$ at the start; this file can be deleted "
                    "once the workbook is closed.")),
    "sqlite": (N_("This is already a SQLite database, not a table to import."),
               N_("Explore it directly with: datactiviste serve {path}")),
    "archive": (N_("This is a compressed archive ({kind}), not a table."),
                N_("Extract it first (right click, Extract), then import the CSV or Excel file inside.")),
    "data": (N_("This is a {kind} data file, a format datactiviste does not read."),
             N_("Export it as CSV from the program that made it (SPSS, Stata, R, Python…), then import the CSV.")),
    "geo": (N_("This is a map file ({kind}), not a table."),
            N_("Convert it to GeoJSON (with QGIS or mapshaper.org), then import the GeoJSON file.")),
    "textfile": (N_("This is a {kind} file, not a table."), _OTHER_FILE),
    "prose": (N_("This file is text (sentences, paragraphs), not a table."),
              N_("If a table is written in it, copy the table into a spreadsheet (LibreOffice Calc, Excel), "
                 "save it as CSV, and import that file.")),
    "binary": (N_("This file is not text: {evidence}."),
               N_("If it should be a table, it may be damaged, compressed or encrypted: download it again, "
                  "or open it in the program that made it and export it as CSV.")),
}


def refuse(kind: str, path: Path, evidence: str | None = None) -> DatactivisteError:
    """The error for a file of `kind` (see identify): what it is, and what to do instead."""
    family, _sep, detail = kind.partition(":")
    message, hint = _MESSAGES.get(family, _MESSAGES["binary"])
    values = {"kind": _(detail) if detail else kind, "evidence": evidence or kind, "path": path}
    hint_text = _(hint).format(**values)
    if family == "xml":
        hint_text = _(_EXPORT) + " " + hint_text
    return DatactivisteError(_(message).format(**values), path=str(path), hint=hint_text)


def workbook_directory(path: Path) -> tuple[list[zipfile.ZipInfo], str]:
    """The members of a zip file and its ODF mimetype ("" when absent), or a DatactivisteError."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            mimetype = ""
            if any(m.filename == "mimetype" for m in members):
                with archive.open("mimetype") as handle:
                    mimetype = handle.read(200).decode("ascii", "replace")
            return members, mimetype
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
        raise DatactivisteError(_("This file looks like a damaged zip or Excel file."), path=str(path),
                                hint=_("Download or export it again.")) from None
