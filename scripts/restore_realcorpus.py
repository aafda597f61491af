"""Restore the raw files of the real corpus (tests/realcorpus) from repository snapshots.

Why this exists: the real corpus's raw files are other people's data under various licences;
those a licence lets us pass on are committed in tests/realcorpus/files, the others are not (see
tests/realcorpus/README.md). MANIFEST.tsv names, for each
file, its repository, path and commit, how it was cut and its sha256; this script rebuilds the
files from git snapshots of those repositories (one git dir per repository, laid out as
MIRROR/owner+name/repo[/.git], as the search tool's `fetch` brings them) and checks every sha256.

Per row: take the blob at the manifest's commit (else any commit that touched the path),
decompress .gz/.bz2 when the cut column says so, and when the row was cut, look for the
line-boundary prefix whose sha256 matches (one pass, hashing incrementally). Rows it cannot
rebuild are listed with the reason; the rows the manifest says were rebuilt from the search
index's text (their commit is not in the snapshot) are left to be done by hand.

    python scripts/restore_realcorpus.py --mirror /work/.mirror --out /work/realcorpus/files
"""

import argparse
import bz2
import csv
import gzip
import hashlib
import re
import subprocess
import sys
from pathlib import Path

MANIFEST = Path(__file__).resolve().parent.parent / "tests" / "realcorpus" / "MANIFEST.tsv"


def git_dir(mirror, repository):
    root = Path(mirror) / repository.replace("/", "+") / "repo"
    for cand in (root / ".git", root):
        if (cand / "HEAD").exists():
            return cand
    return None


def git(gdir, *args):
    res = subprocess.run(["git", f"--git-dir={gdir}", *args], capture_output=True)
    return res.stdout if res.returncode == 0 else None


def candidates(gdir, commit, path):
    """The blob at the manifest's commit first, then at every commit that touched the path."""
    seen = set()
    for c in [commit] + (git(gdir, "log", "--all", "--format=%H", "--", path) or b"").decode().split():
        blob = git(gdir, "rev-parse", "--verify", "-q", f"{c}:{path}")
        if blob and blob not in seen:
            seen.add(blob)
            yield c, git(gdir, "cat-file", "blob", blob.decode().strip())


def decoded(data, path):
    if path.endswith(".gz"):
        return gzip.decompress(data)
    if path.endswith(".bz2"):
        return bz2.decompress(data)
    return data


def matching_prefix(data, sha):
    """The prefix of data ending on a line boundary (LF or CR) whose sha256 is sha, else None."""
    h = hashlib.sha256()
    pos = 0
    for m in re.finditer(rb"\r\n|\n|\r", data):
        h.update(data[pos:m.end()])
        pos = m.end()
        if h.copy().hexdigest() == sha:
            return data[:pos]
    h.update(data[pos:])
    return data if h.hexdigest() == sha else None


def restore(row, mirror, out):
    """Write the row's file; return None when done, else why not."""
    target = out / row["file"]
    if target.exists() and hashlib.sha256(target.read_bytes()).hexdigest() == row["sha256"]:
        return None
    gdir = git_dir(mirror, row["repository"])
    if gdir is None:
        return "no snapshot of the repository"
    cut = row["cut"] != "no" and not row["cut"].startswith("no ")
    tried = []
    for commit, data in candidates(gdir, row["commit"], row["path"]):
        if data is None:
            continue
        if data.startswith(b"version https://git-lfs"):
            tried.append(f"{commit[:8]}: Git LFS pointer")
            continue
        try:
            data = decoded(data, row["path"]) if "decompressed" in row["cut"] else data
        except (OSError, EOFError) as exc:
            tried.append(f"{commit[:8]}: cannot decompress ({exc})")
            continue
        if cut:
            data = matching_prefix(data, row["sha256"])
        if data is not None and hashlib.sha256(data).hexdigest() == row["sha256"]:
            target.write_bytes(data)
            return None
        tried.append(f"{commit[:8]}: sha256 differs")
    if not tried:
        return "path absent from the snapshot" + (" (index text: rebuild by hand)" if "index" in row["notes"] else "")
    return "; ".join(tried[:3]) + (f" (+{len(tried) - 3})" if len(tried) > 3 else "")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mirror", default="/work/.mirror")
    ap.add_argument("--out", default="/work/realcorpus/files")
    ap.add_argument("--manifest", default=str(MANIFEST))
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    rows = list(csv.DictReader(open(args.manifest, encoding="utf-8", newline=""), delimiter="\t"))
    missing = {}
    for row in rows:
        why = restore(row, args.mirror, out)
        if why:
            missing[row["file"]] = f"{row['repository']}:{row['path']}@{row['commit'][:8]}: {why}"
    print(f"restored {len(rows) - len(missing)} / {len(rows)} into {out}")
    for name, why in missing.items():
        print(f"missing {name}: {why}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
