"""The encoding scan shared with the workers started ahead decides exactly as one process does.

Blocks are 4 KiB here (bytescan.CHUNK, passed on to the workers), so that small files have many;
each file is scanned by one process, then shared with one or two workers that took blocks from
the back first (or raced the main process for them): the guess must be the same every time.
"""

from __future__ import annotations

import time

import pytest

from datactiviste.ingest import bytescan, encoding, parallel

CHUNK = 4096


def _lines(text: str, count: int) -> str:
    return "".join(f"{index};{text} {index}\n" for index in range(count))


def _files(tmp_path):
    ascii_head = _lines("plain ascii words", 3000)
    files = {
        "cp1252": ("Région;Thiès;Kédougou – « dépenses »\n" * 2000).encode("cp1252"),
        "utf8": ("Région;Thiès;Kédougou – « dépenses »\n" * 2000).encode("utf-8"),
        # mojibake only near the end: found whoever scans the last blocks
        "mojibake": (ascii_head + "Ã©lÃ¨ve;rÃ©gion\n" * 50).encode("utf-8"),
        # mostly UTF-8, a few legacy lines in the last blocks
        "mixed": ("Région;Thiès\n" * 5000).encode("utf-8") + ("Kédougou;Sédhiou\n" * 20).encode("cp1252"),
        # mostly UTF-8, legacy lines only in block 9, which the sampled share does not weigh
        "mixed_late": ("Région;Thiès\n" * 2700).encode("utf-8") + "Kédougou;Sédhiou\n".encode("cp1252")
        + ("Région;Thiès\n" * 2700).encode("utf-8"),
        # Cyrillic only after many ASCII blocks: its words come from the blocks the workers took
        "cyrillic": ascii_head.encode("ascii") + ("Москва;Новосибирск;область\n" * 400).encode("cp1251"),
        # a two-byte character astride every block boundary
        "straddle": (("x" * (CHUNK - 1) + "é") * 60).encode("utf-8"),
    }
    paths = {}
    for name, data in files.items():
        paths[name] = tmp_path / f"{name}.csv"
        paths[name].write_bytes(data)
    return paths


def _shared_guess(path, workers: int, head_start: str):
    standby = parallel.Standby(workers, path)
    try:
        claims = standby.shared.claims
        deadline = time.monotonic() + 60
        # "all": the workers take every block before this process starts; "some": at least one
        while time.monotonic() < deadline:
            taken = sum(claims[2:])
            if (head_start == "all" and claims[1] < claims[0]) or (head_start == "some" and taken):
                break
            time.sleep(0.005)
        with bytescan.helped_by(standby):
            guess = encoding.detect_encoding(path)
        return guess, standby.shared.taken_by_workers()
    finally:
        standby.close()


@pytest.mark.parametrize("workers, head_start", [(1, "all"), (1, "some"), (2, "some")])
def test_a_shared_scan_decides_as_one_process_does(tmp_path, monkeypatch, workers, head_start):
    monkeypatch.setattr(bytescan, "CHUNK", CHUNK)
    for name, path in _files(tmp_path).items():
        alone = encoding.detect_encoding(path)
        shared, taken = _shared_guess(path, workers, head_start)
        assert shared == alone, name
        assert sum(taken) > 0, name
        if head_start == "all":
            assert sum(taken) == bytescan.block_count(path.stat().st_size, CHUNK)


def test_the_files_say_what_they_are(tmp_path, monkeypatch):
    """The expectations above mean something: each file gets the answer its bytes call for."""
    monkeypatch.setattr(bytescan, "CHUNK", CHUNK)
    guesses = {name: encoding.detect_encoding(path) for name, path in _files(tmp_path).items()}
    assert guesses["cp1252"].name == "cp1252"
    assert guesses["utf8"].name == "utf-8" and not guesses["utf8"].repaired_mojibake
    assert guesses["mojibake"].repaired_mojibake
    assert guesses["mixed"].reason == "mixed" and guesses["mixed"].mixed_legacy == "latin-1"
    assert guesses["mixed_late"].reason == "mixed"
    assert guesses["cyrillic"].name == "cp1251"
    assert guesses["straddle"].name == "utf-8"


def test_blocks_a_worker_did_not_report_are_scanned_here(tmp_path, monkeypatch):
    monkeypatch.setattr(bytescan, "CHUNK", CHUNK)
    monkeypatch.setattr(parallel.Standby, "tallies", lambda self, taken: [None for count in taken if count])
    for name, path in _files(tmp_path).items():
        shared, taken = _shared_guess(path, 1, "all")
        assert sum(taken) > 0 and shared == encoding.detect_encoding(path), name


def test_every_byte_is_in_exactly_one_block_and_no_character_is_cut(tmp_path):
    text = (("é" * 700 + "€\n") * 30).encode("utf-8")
    for data in (text, text + bytes(range(256)) * 40):
        path = tmp_path / "bytes.bin"
        path.write_bytes(data)
        for chunk in (1000, 1001, 4096):
            with open(path, "rb") as handle:
                blocks = [bytescan.read_block(handle, i, chunk) for i in range(bytescan.block_count(len(data), chunk))]
            assert b"".join(blocks) == data
            if data == text:
                assert all(block.decode("utf-8") for block in blocks)
