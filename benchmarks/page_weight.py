#!/usr/bin/env python3
"""Weight and phone layout of every served page, as a trainee's phone on the hotspot meets it.

Builds the demo database (the bundled sample data through the real importer), serves it on
127.0.0.1 in local and classroom modes, in French and English, and opens each page type in
Debian's Chromium emulating a 390 x 844 phone (touch, mobile viewport; a width of 800 or more is a desktop) with an empty cache.
For each page: the bytes received over the connection (Chromium's encodedDataLength: headers
plus bodies as sent, gzipped when the server compresses them, every request the page makes,
map data included), the bodies' bytes once decoded ('plain KB': what crossed the hotspot before
the server gzipped text answers, compress.py), the number of requests, the
page's scroll width against the viewport, the smallest visible text, where the first data row
starts (in screens) and how many tap targets are under 40 px. Nothing goes to the network:
any request outside 127.0.0.1 is aborted and counted.

usage: .venv/bin/python benchmarks/page_weight.py [--width 390 --height 844] [--shots DIR]
                                                  [--modes local,classroom] [--langs fr,en]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def visit(browser, url: str, width: int, height: int, first: str, shot: Path | None, action=None):
    """(bytes, decoded bytes, requests, external, layout) of one page opened in a fresh phone context."""
    from tests.browser import offline_route
    from tests.page_layout import measure

    phone = width < 800
    context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=phone,
                                  has_touch=phone, device_scale_factor=1)
    external: list[str] = []
    context.route("**/*", offline_route(external, []))
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    received = {"bytes": 0, "requests": 0, "decoded": 0}

    def finished(event):
        received["bytes"] += event.get("encodedDataLength", 0)
        received["requests"] += 1

    def data(event):
        received["decoded"] += event.get("dataLength", 0)

    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.dataReceived", data)
    if action:
        action(page)
    else:
        page.goto(url)
    page.wait_for_load_state("networkidle")
    layout = measure(page, first)
    if shot:
        page.screenshot(path=str(shot), full_page=True)
    context.close()
    return received["bytes"], received["decoded"], received["requests"], external, layout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=390)
    parser.add_argument("--height", type=int, default=844)
    parser.add_argument("--shots", type=Path, help="save a full-page PNG of each page here")
    parser.add_argument("--modes", default="local,classroom")
    parser.add_argument("--langs", default="fr,en")
    parser.add_argument("--details", action="store_true",
                        help="also list the smallest text and each small tap target")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from datactiviste.serve.demo import build_demo_database
    from datactiviste.serve.launch import prepare
    from tests.browser import CHROMIUM_ARGS, chromium_path
    from tests.page_layout import DEMO_PAGES, UPLOAD_FIRST, open_upload_report

    if args.shots:
        args.shots.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        database = build_demo_database(Path(folder) / "demo.db")
        upload = Path(folder) / "écoles.csv"
        upload.write_bytes("commune;élèves\nThiès;1 234\nKaolack;567\n".encode("cp1252"))
        print(f"{'mode':9} {'lang':4} {'page':13} {'KB':>7} {'plain KB':>8} {'req':>4} {'scrollW':>7} "
              f"{'min px':>6} {'1st row':>7} {'<40px':>5}  external")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True,
                                                 args=CHROMIUM_ARGS)
            for mode in args.modes.split(","):
                for lang in args.langs.split(","):
                    prepared = prepare([database], language=lang, port=0, host="127.0.0.1",
                                       classroom=mode == "classroom")
                    prepared.server.start_in_thread()
                    base = prepared.server.url.rstrip("/")
                    pages = {name: (base + path.format(db="demo"), first, None)
                             for name, (path, first) in DEMO_PAGES.items()}
                    if mode == "local":
                        pages["upload"] = (base + "/", UPLOAD_FIRST,
                                           lambda page: open_upload_report(page, base + "/", upload))
                    try:
                        for name, (url, first, action) in pages.items():
                            shot = args.shots / f"{mode}-{lang}-{name}-{args.width}.png" if args.shots else None
                            size, decoded, requests, external, layout = visit(
                                browser, url, args.width, args.height, first, shot, action)
                            top = layout["first_top"]
                            screens = f"{top / args.height:.2f}" if top is not None else "-"
                            print(f"{mode:9} {lang:4} {name:13} {size / 1024:7.1f} {decoded / 1024:8.1f} {requests:4d} "
                                  f"{layout['scroll_width']:7d} {layout['smallest_text'][0]:6.1f} "
                                  f"{screens:>7} {len(layout['small_targets']):5d}  {len(external)}")
                            if args.details:
                                print(f"    smallest text: {layout['smallest_text']}")
                                for target in layout["small_targets"] + layout["wide_elements"]:
                                    print(f"    {target}")
                    finally:
                        prepared.server.stop()
            browser.close()


if __name__ == "__main__":
    main()
