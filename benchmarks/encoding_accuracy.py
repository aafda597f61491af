#!/usr/bin/env python3
"""How often the importer finds the code page of a file that is not UTF-8, on three sets.

1. Western negatives: every UTF-8 file of the real corpus (tests/realcorpus) that has accents,
   re-encoded in cp1252, Latin-1, cp850 and mac_roman, whole and cut to a header plus one or two
   accented lines. The answer is right when it decodes the bytes to the same text.
2. The golden tables of tests/encoding_samples.py in each code page of their family, whole and
   cut to 2, 3 and 5 lines.
3. Optionally (--chardet DIR), chardet's test files (github:chardet/chardet, folder tests/, one
   folder per encoding): whole and as 1, 3 and 10 lines holding non-ASCII bytes.

`--detector charset_normalizer` measures that library instead (if installed), for comparison.
usage: python benchmarks/encoding_accuracy.py [--corpus DIR] [--chardet DIR] [--detector NAME]
The last run is quoted in benchmarks/encoding_detect.md.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from datactiviste.ingest.encoding import detect_encoding  # noqa: E402
from tests import encoding_samples  # noqa: E402

CHARDET_FOLDERS = {"IBM866": "cp866", "KOI8-R": "koi8-r", "iso-8859-1": "latin-1", "iso-8859-2": "iso8859-2",
                   "iso-8859-5": "iso8859-5", "iso-8859-6": "iso8859-6", "iso-8859-7": "iso8859-7",
                   "iso-8859-9": "iso8859-9", "windows-1250": "cp1250", "windows-1251": "cp1251",
                   "windows-1252": "cp1252", "windows-1254": "cp1254", "windows-1255": "cp1255",
                   "windows-1256": "cp1256", "MacRoman": "mac_roman"}
TABLES = [("GREEK", "cp1253 iso8859-7"), ("RUSSIAN", "cp1251 koi8-r iso8859-5 cp866"),
          ("UKRAINIAN", "cp1251 koi8-u"),
          ("ARABIC", "cp1256 iso8859-6"), ("ARABIC_FRENCH", "cp1256"), ("HEBREW", "cp1255"),
          ("POLISH", "cp1250 iso8859-2"), ("CZECH", "cp1250 iso8859-2"), ("TURKISH", "cp1254 iso8859-9"),
          ("FRENCH", "cp1252 mac_roman"), ("FRENCH_CAPITALS", "cp1252 latin-1 cp850 mac_roman"),
          ("FRENCH_DOS", "cp850"), ("FRENCH_LATIN9", "iso8859-15"), ("GERMAN", "latin-1 cp850 mac_roman"),
          ("SPANISH_PORTUGUESE", "latin-1 cp850 mac_roman"), ("WOLOF", "latin-1 cp850"),
          ("EUROPE", "cp1252 latin-1 cp850 mac_roman")]


class Detector:
    def __init__(self, name: str) -> None:
        self.name = name
        self.scratch = Path(tempfile.mkdtemp()) / "sample.csv"

    def codec(self, data: bytes) -> str:
        if self.name == "charset_normalizer":
            import charset_normalizer

            best = charset_normalizer.from_bytes(data).best()
            return best.encoding if best else "latin-1"
        self.scratch.write_bytes(data)
        guess = detect_encoding(self.scratch)
        return guess.mixed_legacy or guess.name


def right(detector: Detector, data: bytes, codec: str) -> bool | None:
    """None when the sample says nothing (pure ASCII or valid UTF-8)."""
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode(detector.codec(data)) == data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return False


def western(detector: Detector, corpus: Path, tally: Counter) -> None:
    for path in sorted(corpus.glob("*.[ct]sv")):
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            continue
        lines = text.splitlines(keepends=True)
        accented = [line for line in lines if not line.isascii()]
        cuts = {"whole": text, "header+1": "".join(lines[:1] + accented[:1]),
                "header+2": "".join(lines[:1] + accented[:2])}
        for codec in ("cp1252", "latin-1", "cp850", "mac_roman"):
            for cut, sample in cuts.items():
                try:
                    verdict = right(detector, sample.encode(codec), codec)
                except UnicodeEncodeError:
                    continue
                if verdict is not None:
                    tally[("western", codec, cut, verdict)] += 1


def tables(detector: Detector, tally: Counter) -> None:
    for name, codecs in TABLES:
        lines = getattr(encoding_samples, name).splitlines(keepends=True)
        for codec in codecs.split():
            for size in (2, 3, 5, len(lines)):
                verdict = right(detector, "".join(lines[:size]).encode(codec), codec)
                if verdict is not None:
                    tally[("tables", name.lower(), codec, verdict)] += 1


def chardet(detector: Detector, folder: Path, tally: Counter) -> None:
    pick = random.Random(1)
    for sub in sorted(os.listdir(folder)):
        codec = next((c for prefix, c in CHARDET_FOLDERS.items()
                      if sub == prefix or sub.startswith(prefix + "-")), None)
        if codec is None:
            continue
        for path in sorted((folder / sub).iterdir()):
            data = path.read_bytes()
            try:
                data.decode(codec)
            except UnicodeDecodeError:
                continue                  # a file its folder names wrongly
            lines = [line for line in data.split(b"\n") if any(b >= 0x80 for b in line)]
            samples = {"whole": data}
            for count in (1, 3, 10):
                for k in range(3):
                    start = pick.randrange(max(1, len(lines) - count))
                    samples[f"{count} lines #{k}"] = b"\n".join(lines[start:start + count])
            for kind, sample in samples.items():
                verdict = right(detector, sample, codec)
                if verdict is not None:
                    tally[("chardet", codec, kind.split(" #")[0], verdict)] += 1


def report(tally: Counter, which: str) -> None:
    keys = sorted({k[:3] for k in tally if k[0] == which})
    if not keys:
        return
    total = [0, 0]
    print(f"\n| {which} | | right |\n|---|---|---|")
    for key in keys:
        good, bad = tally[key + (True,)], tally[key + (False,)]
        total[0] += good
        total[1] += good + bad
        print(f"| {key[1]} | {key[2]} | {good}/{good + bad} |")
    print(f"| **all** | | **{total[0]}/{total[1]}** |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path(os.environ.get("DATACTIVISTE_REALCORPUS",
                                                                         ROOT.parent / "realcorpus" / "files")))
    parser.add_argument("--chardet", type=Path, help="chardet's tests/ folder")
    parser.add_argument("--detector", default="datactiviste", choices=["datactiviste", "charset_normalizer"])
    args = parser.parse_args()
    detector, tally = Detector(args.detector), Counter()
    print(f"detector: {args.detector}")
    if args.corpus.is_dir():
        western(detector, args.corpus, tally)
    tables(detector, tally)
    if args.chardet:
        chardet(detector, args.chardet, tally)
    for which in ("western", "tables", "chardet"):
        report(tally, which)


if __name__ == "__main__":
    main()
