"""Which text encoding a file uses, judged on the whole file, and decoding it line by line.

Order of evidence: a byte-order mark; UTF-16 without BOM (zero bytes every other byte);
strict UTF-8; otherwise a legacy single-byte code page chosen by how plausible its letters
are (cp1252 when bytes 0x80-0x9F are typographic punctuation, ISO-8859-1 when there are none,
cp850 for old DOS exports). A UTF-8 file whose text shows `Ã©`-style mojibake was encoded
twice and is repaired. A file that is mostly UTF-8 with some cp1252 lines is decoded line by
line and the legacy lines are reported.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

from datactiviste.i18n import _

CHUNK = 1 << 20

# (bom, codec that strips it, name shown to users); UTF-32 LE before UTF-16 LE (same first bytes).
BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16-be"),
]

# Letters a francophone (or other Latin-script) file plausibly contains.
_LATIN_LETTERS = set("àâäáãåçéèêëíìîïñóòôöõúùûüýÿœæÀÂÄÁÃÅÇÉÈÊËÍÌÎÏÑÓÒÔÖÕÚÙÛÜÝŸŒÆßøØ")
_PUNCTUATION_1252 = set("€‚„…†‡ˆ‰‹‘’“”•–—˜™›«»°²³µ·º¹½¼¾×÷©®§¶¡¿¢£¥¤¦¨¯´¸ª¬\xa0")

# Runs of character pairs that UTF-8 text shows when it was decoded as cp1252 and re-encoded.
MOJIBAKE = re.compile("(?:[ÂÃÅÆÐÑ][\u0080-\u00bf\u2018-\u203a\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u20ac\u2122]|â€[\u0080-\u00bf\u2018-\u203a\u2122\u0153\u0161\u017e\u02dc\u20ac])+")


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
        return base + (" (BOM)" if self.bom else "")


_ASCII = bytes(range(0x80))
_BOX_DRAWING = set("│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀░▒▓■")


_COMMON_LETTERS = set("éèêàâçôîûùëïüöäñáíóúãõßœæ\xa0")  # NBSP: the French thousands separator


def _char_weight(char: str) -> int:
    """How plausible a character is in open-data text: frequent lower-case accents count most."""
    if char in _COMMON_LETTERS:
        return 3
    if char in _LATIN_LETTERS:
        return 1
    if char in _PUNCTUATION_1252:
        return 1
    if "\x80" <= char <= "\x9f" or char == "\ufffd":
        return -5
    if char in _BOX_DRAWING:
        return -3
    return 0


def _score(byte_counts: dict[int, int], codec: str) -> int | None:
    """Plausibility of decoding these high bytes with `codec` (None if it cannot)."""
    total = 0
    for byte, count in byte_counts.items():
        try:
            char = bytes([byte]).decode(codec)
        except UnicodeDecodeError:
            return None
        total += _char_weight(char) * count
    return total


def detect_encoding(path: Path) -> EncodingGuess:
    """Read the file once (streaming, C-speed per block) and decide its encoding."""
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
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        mojibake = nul_bytes = high_total = utf8_bytes = 0
        byte_counts: dict[int, int] = {}
        valid_utf8 = True
        while True:
            block = handle.read(CHUNK)
            nul_bytes += block.count(0)
            if valid_utf8:
                try:
                    text = decoder.decode(block, final=not block)
                    if "Ã" in text or "â€" in text:
                        mojibake += len(MOJIBAKE.findall(text))
                    continue_next = True
                except UnicodeDecodeError:
                    valid_utf8 = False
                    continue_next = False
                if continue_next and block:
                    continue
            if not block:
                break
            high = block.translate(None, _ASCII)
            high_total += len(high)
            # Each byte UTF-8 cannot place becomes one U+FFFD: the rest of the high bytes are UTF-8.
            utf8_bytes += len(high) - block.decode("utf-8", "replace").count("\ufffd")
            for byte in set(high):
                byte_counts[byte] = byte_counts.get(byte, 0) + high.count(byte)
    if valid_utf8:
        guess = EncodingGuess(name="utf-8", reason="utf8-double-encoded" if mojibake else "utf8-valid",
                              repaired_mojibake=bool(mojibake))
    else:
        guess = _guess_legacy(byte_counts, high_total, utf8_bytes)
    guess.nul_bytes = nul_bytes
    return guess


def _guess_legacy(byte_counts: dict[int, int], high_total: int, utf8_bytes: int) -> EncodingGuess:
    candidates = ["cp1252", "latin-1", "cp850", "mac_roman"]
    if not any(0x80 <= b <= 0x9F for b in byte_counts):
        candidates = ["latin-1", "cp850", "mac_roman"]  # identical to cp1252 here; say ISO-8859-1
    scored = []
    for position, name in enumerate(candidates):
        score = _score(byte_counts, name)
        if score is not None:
            # Windows-1252/ISO-8859-1 are by far the most common legacy encodings of open data:
            # another code page must read clearly better to be chosen.
            if name in ("cp850", "mac_roman"):
                score = score / 1.5 if score > 0 else score * 1.5
            scored.append((score, -position, name))
    best = max(scored)[2] if scored else "latin-1"
    if high_total and utf8_bytes >= 0.5 * high_total:
        # Mostly well-formed UTF-8 with some lines that are not: decode line by line.
        return EncodingGuess(name="utf-8", reason="mixed", mixed_legacy=best)
    return EncodingGuess(name=best, reason="cp1252-bytes" if best == "cp1252" else "legacy-letters")


def _repair_mojibake(line: str) -> str:
    def fix(match: re.Match) -> str:
        text = match.group(0)
        try:
            return text.encode("cp1252").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return text
    return MOJIBAKE.sub(fix, line)




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
