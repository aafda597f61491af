"""The whole-file byte scan behind the encoding decision, block by block, in one process or shared.

Each 1 MiB block is judged on its own (valid UTF-8 or not, NUL bytes, and for a block that is not
UTF-8 its bytes 0x80-0xFF), so blocks can be scanned in any order and the tallies added up: the
result does not depend on who scanned what. A big file's scan is shared with the worker processes
started ahead for its parts (parallel.Standby): the main process takes blocks from the front, the
workers from the back, until they meet, instead of one core reading 100 MB while the other waits.

A block starts at a multiple of CHUNK, moved past the UTF-8 continuation bytes found there (at
most three), so that no character is cut in two between blocks.
"""

from __future__ import annotations

import contextlib
import contextvars
from dataclasses import dataclass, field
from pathlib import Path

CHUNK = 1 << 20
_ASCII = bytes(range(0x80))
_CONTINUATION_MAX = 3


@dataclass
class Tally:
    """What the blocks scanned say, added up (see `add`)."""

    blocks: list[int] = field(default_factory=list)      # indices of the blocks scanned
    nul_bytes: int = 0
    high_total: int = 0          # bytes 0x80-0xFF of the weighed blocks (see _weighed) that are not UTF-8
    utf8_bytes: int = 0          # of those, the bytes that UTF-8 reads (mostly UTF-8 with some legacy lines)
    weighed: list[int] = field(default_factory=list)     # blocks not UTF-8 whose UTF-8 share was measured
    present: set[int] = field(default_factory=set)       # which bytes 0x80-0xFF occur there
    invalid: list[int] = field(default_factory=list)     # blocks that are not UTF-8
    mojibake: bool = False       # a UTF-8 block shows text that was encoded twice
    legacy_mojibake: bool = False  # a block that is not UTF-8 holds UTF-8 lines (Ã¨ once read as cp1252)

    def add(self, other: Tally) -> None:
        self.blocks += other.blocks
        self.nul_bytes += other.nul_bytes
        self.high_total += other.high_total
        self.utf8_bytes += other.utf8_bytes
        self.weighed += other.weighed
        self.present |= other.present
        self.invalid += other.invalid
        self.mojibake = self.mojibake or other.mojibake
        self.legacy_mojibake = self.legacy_mojibake or other.legacy_mojibake


def block_count(size: int, chunk: int = 0) -> int:
    return -(-size // (chunk or CHUNK))


def read_block(handle, index: int, chunk: int = 0) -> bytes:
    """Block `index` of an open binary file (see the module's docstring for its bounds); copied
    only when a character straddles one of its ends."""
    chunk = chunk or CHUNK
    handle.seek(index * chunk)
    data = handle.read(chunk)
    if index:
        start = 0
        while start < _CONTINUATION_MAX and start < len(data) and 0x80 <= data[start] <= 0xBF:
            start += 1
        if start:
            data = data[start:]
    tail = handle.read(_CONTINUATION_MAX)
    end = 0
    while end < len(tail) and 0x80 <= tail[end] <= 0xBF:
        end += 1
    return data + tail[:end] if end else data


def scan_block(handle, index: int, tally: Tally, words=None, checks=None, chunk: int = 0) -> None:
    """Add block `index` to `tally`; `words` (encoding.WordSample) samples a non-UTF-8 block's words.

    `checks`: (mojibake_in(text, blocks_read), legacy_mojibake_in(block)), encoding.py's searches
    for UTF-8 encoded twice, in a UTF-8 block and among the lines of a legacy one."""
    block = read_block(handle, index, chunk)
    tally.blocks.append(index)
    tally.nul_bytes += block.count(0)
    try:
        text = block.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if not tally.mojibake and checks is not None:
            tally.mojibake = checks[0](text, index + 1)
        return
    tally.invalid.append(index)
    high = block.translate(None, _ASCII)
    if _weighed(index):
        _weigh(tally, index, block, high)
    new = high.translate(None, bytes(tally.present)) if tally.present else high   # bytes not seen yet (C)
    if new:
        tally.present.update(new)
    # The lead bytes of UTF-8 read as cp1252 (Ã, Â, â€) are among the high bytes: look there first
    # (\xe2\x80 adjacent in the block are adjacent there too; searching the block for the pair,
    # where â is a common letter, takes 1 ms a MiB, searching the high bytes 40 µs).
    if not tally.legacy_mojibake and checks is not None and (b"\xc3" in high or b"\xc2" in high or b"\xe2\x80" in high):
        tally.legacy_mojibake = checks[1](block)
    if words is not None and words.wanted():
        words.add(block, index)


def _weighed(index: int) -> bool:
    """The share of UTF-8 among high bytes (mostly UTF-8 with some legacy lines?) is measured on
    the first 8 blocks and one in four after them: decoding to count is the dearest step of the
    scan (3 of its 5 ms per MiB), and a share is well estimated on a quarter of a big file."""
    return index < 8 or index % 4 == 0


def _weigh(tally: Tally, index: int, block: bytes, high: bytes) -> None:
    tally.weighed.append(index)
    tally.high_total += len(high)
    # Each byte UTF-8 cannot place becomes one U+FFFD: the rest of the high bytes are UTF-8.
    tally.utf8_bytes += len(high) - block.decode("utf-8", "replace").count("\ufffd")


def weigh_rest(handle, tally: Tally, chunk: int = 0) -> None:
    """When fewer than 8 blocks that are not UTF-8 were weighed (a UTF-8 file with a few legacy
    lines here and there), weigh every such block: the share must not rest on a sample of none."""
    if len(tally.weighed) >= 8:
        return
    for index in sorted(set(tally.invalid) - set(tally.weighed)):
        block = read_block(handle, index, chunk)
        _weigh(tally, index, block, block.translate(None, _ASCII))


# --- the scan shared with worker processes -------------------------------------------------------

class SharedScan:
    """Blocks of one file handed out to several processes: the main one takes them from the front,
    the workers from the back. `claims` is a multiprocessing Array: [next front, next back,
    blocks taken by worker 1, worker 2, …], read and written under its lock."""

    def __init__(self, path: Path, size: int, workers: int, context):
        self.path = str(path)
        self.chunk = CHUNK          # passed on: a worker process has the module's own value
        self.blocks = block_count(size, self.chunk)
        self.claims = context.Array("q", [0, self.blocks - 1] + [0] * workers, lock=True)

    def take_front(self) -> int | None:
        with self.claims.get_lock():
            front, back = self.claims[0], self.claims[1]
            if front > back:
                return None
            self.claims[0] = front + 1
            return front

    def taken_by_workers(self) -> list[int]:
        """Blocks each worker took; final once take_front has returned None."""
        with self.claims.get_lock():
            return list(self.claims[2:])


def scan_from_back(path: str, claims, worker: int, chunk: int) -> Tally:
    """In a worker process: take blocks from the back of the file until the front is reached."""
    from datactiviste.ingest.encoding import legacy_mojibake_in, mojibake_in

    tally = Tally()
    with open(path, "rb") as handle:
        while True:
            with claims.get_lock():
                front, back = claims[0], claims[1]
                if back < front:
                    break
                claims[1] = back - 1
                claims[2 + worker] += 1
            scan_block(handle, back, tally, checks=(mojibake_in, legacy_mojibake_in), chunk=chunk)
    return tally


# The helper of the import under way: set by load.import_file around reading the file, read by
# encoding.detect_encoding (a context variable: a server importing two uploads at once keeps them apart).
_HELPERS: contextvars.ContextVar = contextvars.ContextVar("bytescan_helpers", default=None)


@contextlib.contextmanager
def helped_by(helper):
    """While the block: detect_encoding shares the scan of helper.path with `helper`
    (an object with path, shared: SharedScan and tallies(taken) -> list[Tally | None])."""
    token = _HELPERS.set(helper)
    try:
        yield
    finally:
        _HELPERS.reset(token)


def helper_for(path: Path):
    helper = _HELPERS.get()
    return helper if helper is not None and helper.shared.path == str(path) else None
