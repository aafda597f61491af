"""What a phone user meets on a page, measured in the real browser: width, text size, taps, depth.

`measure(page, first_selector)` runs one script in the page and returns a dict:
- `scroll_width` / `viewport_width`: the document's width against the window (sideways scroll);
- `smallest_text`: (px, text, tag) of the smallest visible text (computed font-size of text
  nodes and of form controls, whose labels and values are not text nodes);
- `first_top`: the top of the first element matching `first_selector`, in page pixels;
- `small_targets`: visible links, buttons, fields and summaries less than `TAP_PX` tall or wide,
  except links inside running text (words around them in their paragraph: a footnote,
  "Powered by Datasette"), which WCAG 2.5.8 exempts too;
- `wide_elements`: elements that stick out of the viewport while not inside a box that scrolls.

Used by tests/test_serve_mobile.py and benchmarks/page_weight.py.
"""

from __future__ import annotations

TAP_PX = 40
MIN_TEXT_PX = 12

_SCRIPT = r"""
([firstSelector, tapPx]) => {
  const view = document.documentElement.clientWidth;
  const visible = (el) => {
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === "none" || s.visibility === "hidden" || s.opacity === "0") return false;
    }
    return true;
  };
  let smallest = null;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const parent = node.parentElement;
    if (!text || !parent || ["SCRIPT", "STYLE", "TITLE", "NOSCRIPT"].includes(parent.tagName)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = Array.from(range.getClientRects()).filter(r => r.width > 0 && r.height > 0);
    if (!rects.length || !visible(parent)) continue;
    const size = parseFloat(getComputedStyle(parent).fontSize);
    if (!smallest || size < smallest[0]) smallest = [size, text.slice(0, 60), parent.tagName];
  }
  // Text drawn by form controls (button labels, field values) is not in text nodes.
  for (const el of document.querySelectorAll("input:not([type=hidden]), select, button, textarea")) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || !visible(el)) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (!smallest || size < smallest[0]) smallest = [size, (el.value || el.textContent || "").slice(0, 60), el.tagName];
  }
  const inScroller = (el) => {
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (["auto", "scroll", "hidden", "clip"].includes(s.overflowX)) return e;
    }
    return null;
  };
  // A link is in running text when its paragraph has words of its own, not only other links.
  const inProse = (el) => {
    if (el.tagName !== "A" || el.closest(".table-wrapper, .facet-info, .crumbs")) return false;
    const block = el.closest("p, li, dd, pre, footer");
    if (!block) return false;
    const copy = block.cloneNode(true);
    copy.querySelectorAll("a, button, input, select").forEach(e => e.remove());
    return /[A-Za-zÀ-ÿ]{2,}/.test(copy.textContent);
  };
  const small = [];
  const controls = document.querySelectorAll("a[href], button, input:not([type=hidden]), select, " +
    "textarea, summary, label:has(input[type=checkbox]), svg.dropdown-menu-icon");
  for (const el of controls) {
    if (!visible(el)) continue;
    if (el.matches("input[type=checkbox], input[type=radio]") && el.closest("label")) continue;
    if (el.closest(".leaflet-container") && !el.matches(".leaflet-control-zoom a")) continue;
    if (el.closest(".CodeMirror")) continue;  // its hidden input; the editor box is the target
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (inProse(el)) continue;
    if (r.height < tapPx - 0.5 || r.width < tapPx - 0.5) {
      small.push([el.tagName.toLowerCase(), (el.textContent || el.value || el.name || "").trim().slice(0, 40),
                  Math.round(r.width), Math.round(r.height)]);
    }
  }
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.right > view + 1 && r.width > 0 && !inScroller(el) && visible(el)) {
      wide.push([el.tagName.toLowerCase() + (el.className && typeof el.className === "string"
                 ? "." + el.className.split(" ")[0] : ""), Math.round(r.right)]);
      if (wide.length > 10) break;
    }
  }
  const first = firstSelector ? document.querySelector(firstSelector) : null;
  return {
    scroll_width: document.documentElement.scrollWidth,
    viewport_width: view,
    viewport_height: window.innerHeight,
    smallest_text: smallest,
    first_top: first ? first.getBoundingClientRect().top + window.scrollY : null,
    small_targets: small,
    wide_elements: wide,
  };
}
"""


def measure(page, first_selector: str | None = None) -> dict:
    """The phone-usability facts of the page now shown (see the module docstring)."""
    return page.evaluate(_SCRIPT, [first_selector, TAP_PX])


# The served page types on the demo database (`serve.demo.build_demo_database`: the bundled
# sample data imported with the real importer). name: (path after the database URL prefix,
# selector of the first thing the trainee came for). "{db}" is the database's name.
DEMO_PAGES = {
    "home": ("/", ".content h2 > a"),  # the first database
    "database": ("/{db}", ".db-table"),
    "table": ("/{db}/structures_sante", "table.rows-and-columns tbody tr"),
    "table_facets": ("/{db}/budget_communes_2024?_facet=region&_facet=chapitre",
                     "table.rows-and-columns tbody tr"),
    "row": ("/{db}/structures_sante/1", "table.rows-and-columns tbody tr"),
    "query": ("/{db}?sql=select+region%2C+count%28%2A%29+as+structures%2C+sum%28lits%29+as+lits"
              "+from+structures_sante+group+by+region+order+by+lits+desc",
              "table.rows-and-columns tbody tr"),
    "error": ("/{db}/absente", ".content h1"),
    "search": ("/-/datactiviste/search?q=dakar", "table.rows-and-columns tbody tr"),
}
# The upload report is reached by a form, in local mode only (see `open_upload_report`).
UPLOAD_FIRST = "pre.dt-report"


def open_upload_report(page, home_url: str, csv_file) -> None:
    """From the home page, send `csv_file` through the "add a file" form; wait for the report."""
    page.goto(home_url)
    page.set_input_files("form.dt-upload input[type=file]", str(csv_file))
    page.click("form.dt-upload input[type=submit]")
    page.wait_for_selector(UPLOAD_FIRST)
