#!/usr/bin/env python3
"""What judging the code page costs: `detect_encoding` against reading the same bytes.

The detector reads the whole file once (UTF-8 check and byte counts, C speed) and, when the file
is not UTF-8, searches at most 16 slices of 128 KiB for words and lets every code page read up to
1,000 distinct ones (12,000 bytes). Three files of N rows: French cp1252 (accents on every row), Russian cp1251,
and French cp1252 with one accent per 2,000 rows (every slice searched); plus the worst case of
the scoring alone (1,000 distinct accented words).

usage: python benchmarks/encoding_detect.py [--rows 300000]
Results are printed as a Markdown table; the last run is quoted in benchmarks/encoding_detect.md.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from datactiviste.ingest import codepages  # noqa: E402
from datactiviste.ingest.encoding import WordSample, detect_encoding  # noqa: E402

FRENCH = ["Thiès", "Kédougou", "Sédhiou", "Dakar", "Saint-Louis", "Éducation", "Santé", "Marchés"]
RUSSIAN = ["Москва", "Новосибирск", "Екатеринбург", "Казань", "Самара", "Челябинск", "Омск"]


def write(path: Path, rows: int, names: list[str], codec: str, every: int = 1) -> Path:
    rng = random.Random(7)
    with open(path, "wb") as handle:
        handle.write("id;commune;montant;date\n".encode(codec))
        for i in range(rows):
            name = rng.choice(names) if i % every == 0 else "Dakar"
            handle.write(f"{i};{name};{rng.randint(0, 10**6)},{rng.randint(0, 99):02d};01/02/2024\n".encode(codec))
    return path


def best_of(function, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


def read_all(path: Path) -> None:
    with open(path, "rb") as handle:
        while handle.read(1 << 20):
            pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300_000)
    rows = parser.parse_args().rows
    folder = Path(tempfile.mkdtemp())
    files = [("French cp1252", write(folder / "fr.csv", rows, FRENCH, "cp1252")),
             ("Russian cp1251", write(folder / "ru.csv", rows, RUSSIAN, "cp1251")),
             ("French cp1252, sparse accents", write(folder / "sparse.csv", rows, FRENCH, "cp1252", every=2000))]
    print(f"| file ({rows:,} rows) | size | read | detect_encoding | chosen |")
    print("|---|---|---|---|---|")
    for name, path in files:
        guess = detect_encoding(path)
        print(f"| {name} | {path.stat().st_size / 2**20:.1f} MiB | {best_of(lambda: read_all(path)) * 1000:.0f} ms "
              f"| {best_of(lambda: detect_encoding(path)) * 1000:.0f} ms | {guess.label} |")
    rng = random.Random(3)
    letters = "abcdefghijklmnopqrstuvwxyzéèàçêôâîû"
    text = ";".join("".join(rng.choice(letters) for _ in range(rng.randint(4, 14))) for _ in range(5000))
    sample = WordSample()
    sample.add(text.encode("cp1252"))
    words = sample.words
    present = bytes(sorted({b for b in text.encode("cp1252") if b >= 0x80}))
    print(f"\nScoring alone, {len(words)} distinct accented words, {len(codepages.CODE_PAGES)} code pages: "
          f"{best_of(lambda: codepages.choose(present, words)) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
