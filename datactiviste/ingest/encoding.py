"""Which text encoding a file uses, judged on the whole file, and decoding it line by line.

Order of evidence: a byte-order mark; UTF-16 without BOM (zero bytes every other byte);
strict UTF-8; otherwise a legacy single-byte code page chosen by how its words read
(codepages.py: cp1252 when bytes 0x80-0x9F are typographic punctuation, ISO-8859-1 when there
are none, cp850 for old DOS exports, and the Greek, Cyrillic, Arabic, Hebrew, Central European
and Turkish code pages when their letters make words and Latin-1's do not). A UTF-8 file whose
text shows `Ã©`-style mojibake (ÐœÐ¾ÑÐºÐ²Ð°, Ø§Ù„Ø¬Ø²Ø§Ø¦Ø± in other scripts) was encoded twice and
is repaired. A file that is mostly UTF-8 with some legacy lines is decoded line by line and those
lines are reported.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from datactiviste.i18n import _
from datactiviste.ingest import bytescan, codepages

# (bom, codec that strips it, name shown to users); UTF-32 LE before UTF-16 LE (same first bytes).
BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16-be"),
]

# Runs of letters that hold a byte 0x80-0xFF: the sample each code page is judged on (the
# look-behind starts a match only at the beginning of a word, so ASCII words cost one step).
_WORDS = re.compile(rb"(?<![A-Za-z\x80-\xff])[A-Za-z]*+[\x80-\xff][A-Za-z\x80-\xff]*+")
WORD_SLICE = 1 << 17        # bytes of each block searched for words (about 5 ms each)
MAX_SLICES = 16             # at most 2 MiB searched (over the first 16 MiB), then only bytes are counted
MAX_WORDS = 20_000          # or fewer, once this many word occurrences are sampled
MAX_DISTINCT = 1_000        # distinct words judged, holding at most
MAX_DISTINCT_BYTES = 12_000  # this many bytes (about 100 ms for all code pages at the most)
MAX_WORD = 48               # longer runs of letters are no words (a line of bytes with no space)

# What cp1252 makes of a UTF-8 continuation byte 0x80-0xBF (its five undefined bytes come out
# as the control characters of the same number).
_CONTINUATION = "[" + re.escape("".join(chr(b) if b in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([b]).decode("cp1252")
                                        for b in range(0x80, 0xC0))) + "]"
# Runs of character pairs that UTF-8 text shows when it was decoded as cp1252 and re-encoded: a
# lead byte read as Â Ã Å Æ (Latin letters) then a continuation byte, â€ for punctuation, and
# for Cyrillic (Ð Ñ), Greek (Î Ï), Hebrew (×) and Arabic (Ø Ù Ú Û) at least two pairs in a row,
# as a word has them (Ø§Ù„Ø¬Ø²Ø§Ø¦Ø± is الجزائر) and real text never does. Once a file shows
# such runs, every pair is repaired (the one-letter words в и с too).
# (The look-ahead lets the engine skip to a possible lead: 14 ms per MiB of clean text, not 55.)
MOJIBAKE = re.compile(f"(?=[ÂÃÅÆâÐÑÎÏ×ØÙÚÛ])(?:[ÂÃÅÆ]{_CONTINUATION}|â€{_CONTINUATION}"
                      f"|(?:[ÐÑÎÏ×ØÙÚÛ]{_CONTINUATION}){{2,}})+")
_REPAIRABLE = re.compile(f"(?=[ÂÃÅÆâÐÑÎÏ×ØÙÚÛ])(?:[ÂÃÅÆÐÑÎÏ×ØÙÚÛ]{_CONTINUATION}|â€{_CONTINUATION})+")
MOJIBAKE_BLOCKS = 16   # the letters of other scripts (Ñ of ESPAÑA, Ø) are looked at in the first 16 MiB


def _may_be_mojibake(text: str, blocks_read: int) -> bool:
    """Whether a block is worth the search: Latin mojibake anywhere, the others' near the start
    (a file encoded twice is so from its first lines; real Ñ and Ø abound in Spanish and Danish)."""
    if "Ã" in text or "â€" in text:
        return True
    return blocks_read <= MOJIBAKE_BLOCKS and any(sign in text for sign in "ÐÑØÙÎÏ×")


@dataclass
class EncodingGuess:
    name: str                 # a Python codec name
    bom: bool = False
    reason: str = ""          # short English tag, translated by the report
    repaired_mojibake: bool = False
    mixed_legacy: str | None = None     # codec used for lines that are not valid UTF-8
    legacy_lines: list[int] = field(default_factory=list)
    overridden: bool = False
    nul_bytes: int = 0
    shown: str | None = None  # name shown to users when it differs from the codec name

    @property
    def label(self) -> str:
        """The name shown to users (what they would pass to --encoding)."""
        base = self.shown or {"latin-1": "iso-8859-1"}.get(self.name, self.name)
        base = re.sub(r"^iso8859-(\d+)$", r"iso-8859-\1", base)   # Python's iso8859-7 is ISO-8859-7
        return base + (" (BOM)" if self.bom else "")

    @property
    def legacy_label(self) -> str | None:
        """The name shown for the code page of a mostly-UTF-8 file's other lines."""
        return EncodingGuess(name=self.mixed_legacy).label if self.mixed_legacy else None


def mojibake_in(text: str, blocks_read: int) -> bool:
    """True when a UTF-8 block's text shows UTF-8 that was encoded twice (see MOJIBAKE)."""
    return _may_be_mojibake(text, blocks_read) and MOJIBAKE.search(text) is not None


def legacy_mojibake_in(block: bytes) -> bool:
    """True when a block that is not UTF-8 holds UTF-8 text all the same (a file edited on two
    machines: most lines cp1252, some UTF-8): read as cp1252 those lines show `Ã¨`-style pairs.
    Only a block with the lead bytes of such pairs is decoded and searched."""
    if b"\xc3" not in block and b"\xc2" not in block and b"\xe2\x80" not in block:
        return False
    return MOJIBAKE.search(block.decode("cp1252", "replace")) is not None


def detect_encoding(path: Path) -> EncodingGuess:
    """Read the file once (streaming, C-speed per block) and decide its encoding.

    A big file's blocks are shared with the worker processes waiting for its parts, when the
    import set that up (bytescan.helped_by): the decision is the same whoever scanned a block."""
    with open(path, "rb") as handle:
        start = handle.read(4)
        for bom, codec, shown in BOMS:
            if start.startswith(bom):
                return EncodingGuess(name=codec, bom=True, reason="bom", shown=shown)
        handle.seek(0)
        sample = handle.read(4096)
        if len(sample) >= 4:
            even_zeros = sample[0::2].count(0)
            odd_zeros = sample[1::2].count(0)
            half = len(sample) / 2
            if odd_zeros > 0.3 * half and even_zeros < 0.05 * half:
                return EncodingGuess(name="utf-16-le", reason="utf16-pattern")
            if even_zeros > 0.3 * half and odd_zeros < 0.05 * half:
                return EncodingGuess(name="utf-16-be", reason="utf16-pattern")
        words = WordSample()
        helper = bytescan.helper_for(path)
        tally = _scan(handle, path, helper, words)
    if not tally.invalid:
        guess = EncodingGuess(name="utf-8", reason="utf8-double-encoded" if tally.mojibake else "utf8-valid",
                              repaired_mojibake=tally.mojibake)
    else:
        guess = _guess_legacy(tally.present, tally.high_total, tally.utf8_bytes, words.words)
        if tally.legacy_mojibake and guess.name in ("cp1252", "latin-1") and not guess.mixed_legacy:
            # Mostly cp1252 with some UTF-8 lines: those come out as Ã¨ and are repaired line by line.
            guess.repaired_mojibake, guess.reason = True, "legacy-with-utf8-lines"
    guess.nul_bytes = tally.nul_bytes
    return guess


_CHECKS = (mojibake_in, legacy_mojibake_in)


def _scan(handle, path: Path, helper, words: WordSample) -> bytescan.Tally:
    """Every block of the file, in a tally. With a `helper` (a shared scan), this process takes
    blocks from the front while the workers take them from the back; the words of the workers'
    blocks are sampled afterwards, in file order, while more are wanted, and a block a worker took
    but did not report (it failed) is scanned here. Alone, this process takes them all."""
    tally = bytescan.Tally()
    if helper is None:
        chunk, count = bytescan.CHUNK, bytescan.block_count(path.stat().st_size)
        blocks = iter(range(count))
        take = lambda: next(blocks, None)  # noqa: E731 - the same loop as the shared scan's
    else:
        chunk, count, take = helper.shared.chunk, helper.shared.blocks, helper.shared.take_front
    while (index := take()) is not None:
        bytescan.scan_block(handle, index, tally, words, _CHECKS, chunk)
    if helper is not None:
        for other in helper.tallies(helper.shared.taken_by_workers()):
            if other is not None:
                tally.add(other)
        for index in sorted(set(range(count)) - set(tally.blocks)):
            bytescan.scan_block(handle, index, tally, None, _CHECKS, chunk)
        for index in sorted(tally.invalid):
            if not words.wanted():
                break
            if index not in words.blocks:
                words.add(bytescan.read_block(handle, index, chunk), index)
    bytescan.weigh_rest(handle, tally, chunk)
    return tally


class WordSample:
    """The words of the file that hold a byte 0x80-0xFF, counted within the bounds above."""

    def __init__(self) -> None:
        self.words: Counter = Counter()
        self.slices = self.distinct_bytes = 0
        self.blocks: set[int] = set()     # indices of the blocks sampled (a shared scan samples them afterwards)

    def wanted(self) -> bool:
        return self.slices < MAX_SLICES and self.words.total() < MAX_WORDS

    def add(self, block: bytes, index: int | None = None) -> None:
        self.slices += 1
        self.blocks.add(index)
        words = self.words
        for word in _WORDS.findall(block[:WORD_SLICE]):
            if len(word) > 1 and word[-1] == 0xA0 and word[:-1].isascii():
                # `Name\xa0,` `Montant\xa0:`: a no-break space after a word (French typography, a
                # copy from a web page) says nothing of the code page; read as a letter (cp850's á)
                # it would make every such word look accented.
                continue
            if word in words:
                words[word] += 1
            elif (len(word) <= MAX_WORD and len(words) < MAX_DISTINCT
                  and self.distinct_bytes < MAX_DISTINCT_BYTES):
                words[word] = 1
                self.distinct_bytes += len(word)


def _guess_legacy(present: set[int], high_total: int, utf8_bytes: int, words: Counter) -> EncodingGuess:
    page, _readings = codepages.choose(bytes(sorted(present)), words)
    if high_total and utf8_bytes >= 0.5 * high_total:
        # Mostly well-formed UTF-8 with some lines that are not: decode line by line.
        return EncodingGuess(name="utf-8", reason="mixed", mixed_legacy=page.codec)
    if page.codec == "cp1252":
        reason = "cp1252-bytes"
    elif page.family in ("western", "dos", "mac"):
        reason = "legacy-letters"
    else:
        reason = page.family + "-letters"
    return EncodingGuess(name=page.codec, reason=reason, shown=page.shown)


def _repair_mojibake(line: str) -> str:
    def fix(match: re.Match) -> str:
        text = match.group(0)
        try:
            return _cp1252_bytes(text).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return text
    return _REPAIRABLE.sub(fix, line)


def _cp1252_bytes(text: str) -> bytes:
    """The bytes cp1252 gave these characters; the five bytes it leaves undefined (0x81 0x8D
    0x8F 0x90 0x9D, in ف ρ Á…) came out as the control characters of the same number."""
    return b"".join(c.encode("latin-1") if "\x80" <= c <= "\x9f" else c.encode("cp1252") for c in text)




# C0 control characters that no text table holds (tab, line breaks, vertical tab, form feed, the DOS
# end-of-file mark SUB and NUL, which some exports leave behind and which are removed, are not counted).
_CONTROLS = bytes(b for b in range(32) if b not in (0, 9, 10, 11, 12, 13, 26))
_FIELD_SEPARATORS = b",;\t|\x1f\x1e"


def binary_evidence(head: bytes) -> str | None:
    """Why the first bytes of a file cannot be a text table, or None when they can.

    Independent signs must agree, so that a real legacy-encoded file is never refused: control
    characters (random or compressed bytes hold about 10 %, text about none), bytes no common
    encoding reads as text (UTF-8 errors, and the five bytes cp1252 leaves undefined), and no
    field separator repeating from line to line (not needed when control characters abound).
    Valid UTF-8 is text, whatever it holds. UTF-16 and UTF-32 (NUL every other byte) are not
    judged here.
    """
    if len(head) < 16 or head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF8)):
        return None
    half = len(head) / 2
    if head[0::2].count(0) > 0.3 * half or head[1::2].count(0) > 0.3 * half:
        if head.count(0) < 0.7 * len(head):
            return None        # UTF-16/32 text: the NUL pattern of wide characters
    size = len(head)
    controls = (size - len(head.translate(None, _CONTROLS))) / size
    nul = head.count(0) / size
    if controls + nul < 0.01:
        return None
    invalid_utf8 = head.decode("utf-8", "replace").count("\ufffd") / size
    undefined_1252 = sum(head.count(b) for b in (0x81, 0x8D, 0x8F, 0x90, 0x9D)) / size
    undecodable = invalid_utf8 > 0.05 and undefined_1252 > 0.002
    if nul > 0.1 or (undecodable and (controls > 0.05 or not _separators_repeat(head))):
        return _("{controls} of its first bytes are control characters and {undecodable} cannot be read "
                 "as text in any common encoding").format(controls=_percent(controls + nul),
                                                          undecodable=_percent(invalid_utf8))
    return None


def _separators_repeat(head: bytes) -> bool:
    """True when one field separator appears the same number of times on most lines (a table)."""
    lines = [line for line in head.replace(b"\r", b"\n").split(b"\n")[:-1][:50] if line.strip()]
    if len(lines) < 3:
        return False
    for separator in _FIELD_SEPARATORS:
        counts = [line.count(separator) for line in lines]
        modal = max(set(counts), key=counts.count)
        if modal > 0 and counts.count(modal) >= 0.6 * len(counts):
            return True
    return False


def _percent(ratio: float) -> str:
    from datactiviste.i18n.formats import format_number

    return format_number(ratio * 100, decimals=1 if ratio < 0.1 else 0) + " %"
