"""What the built_from record (`datactiviste.built_from`) adds to the workshop's chart and map files,
and what writing and reading it costs.

The files are the real outputs of modules 6 and 7's solution commands (the `map` and `chart`
commands a trainee runs), made in a temporary folder.

usage: .venv/bin/python benchmarks/built_from_size.py

Results on the 2-core dev machine (2026-12-02, shared):
    prix_mil.png: 37026 bytes, record 211 bytes (0.57 %)
    prix_mil.svg: 11805 bytes, record 227 bytes (1.92 %)
    prix_mil.html: 42986 bytes, record 334 bytes (0.78 %)
    prix_mil.json: 981 bytes, record 276 bytes (28.13 %)
    carte_sante.html: 270160 bytes, record 202 bytes (0.07 %)
    carte_reussite.html: 229376 bytes, record 405 bytes (0.18 %)
    record(): 0.86 ms
    read_records(carte_sante.html): 1.07 ms
"""
import json
import re
import struct
import tempfile
import time
from pathlib import Path

from datactiviste.built_from import KEY, read_records, record
from datactiviste.lessons.loader import get_module
from datactiviste.lessons.verify import copy_module_files, run_solution


def _record_bytes(path: Path) -> int:
    if path.suffix == ".png":
        data = path.read_bytes()
        at = data.find(b"tEXt" + KEY.encode())
        return struct.unpack(">I", data[at - 4:at])[0] + 12
    if path.suffix == ".json":
        value = json.loads(path.read_text(encoding="utf-8"))["built_from"]
        return len(json.dumps({"built_from": value}, ensure_ascii=False, indent=2))
    text = path.read_text(encoding="utf-8")
    found = re.search(r'\n(<meta name="%s"[^>]*>| <metadata id="%s">[^<]*</metadata>)' % (KEY, KEY), text)
    return len(found.group(0).encode())


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="built-from-") as scratch:
        measure(Path(scratch))


def measure(folder: Path) -> None:
    for number in (6, 7):
        module = get_module(number, "fr")
        copy_module_files(module, folder)
        for step in module.steps:
            if step.kind == "do_it":
                failed = run_solution(step, folder)
                assert failed is None, failed
    for name in ("prix_mil.png", "prix_mil.svg", "prix_mil.html", "prix_mil.json", "carte_sante.html",
                 "carte_reussite.html"):
        path = folder / name
        size, extra = path.stat().st_size, _record_bytes(path)
        print(f"{name}: {size} bytes, record {extra} bytes ({100 * extra / size:.2f} %)")
    started = time.perf_counter()
    for _ in range(100):
        record(folder / "datactiviste.db",
               sql="SELECT date, ville, prix_fcfa FROM prix_marches_uemoa WHERE produit = 'Mil'")
    print(f"record(): {(time.perf_counter() - started) * 10:.2f} ms")
    started = time.perf_counter()
    for _ in range(100):
        read_records(folder / "carte_sante.html")
    print(f"read_records(carte_sante.html): {(time.perf_counter() - started) * 10:.2f} ms")


if __name__ == "__main__":
    main()
