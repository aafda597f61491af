"""Memory of a process tree, for the benchmarks (Linux /proc; None elsewhere).

A server with worker processes (classroom_load.py) or an import that splits a big file
(import_speed.py) is measured whole: the process and all its descendants.
"""

from __future__ import annotations

from pathlib import Path


def tree_rss_mib(pid: int) -> float | None:
    """Resident memory of a process and all its descendants, in MiB (None if /proc is missing)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        pending.extend(children.get(current, []))
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            continue
    return total or None
