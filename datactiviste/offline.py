"""The offline invariant: HTML we write loads nothing from the network.

Every HTML file datactiviste produces (maps, charts, handouts, reports) goes through
`write_offline_html`, which refuses to write a page that would load a script, stylesheet,
font, image or tile from outside. Links a reader may click are fine; loads are not.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from datactiviste.errors import DatactivisteError

_EXTERNAL = re.compile(r"^\s*(https?:)?//", re.I)
_LOAD_ATTRIBUTES = {"script": ["src"], "img": ["src", "srcset"], "iframe": ["src"],
                    "source": ["src", "srcset"], "video": ["src", "poster"], "audio": ["src"],
                    "embed": ["src"], "object": ["data"], "input": ["src"], "track": ["src"],
                    "image": ["href", "xlink:href"], "use": ["href", "xlink:href"]}
_LOADING_LINK_RELS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest",
                      "apple-touch-icon", "preconnect", "dns-prefetch"}
_CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])((?:https?:)?//[^'")\s]+)""", re.I)
_SCRIPT_URL = re.compile(
    r"""['"`]((?:https?:)?//[^'"`\s]+?(?:\{z\}|\.js\b|\.css\b|\.png\b|\.jpe?g\b|\.woff2?\b|\.pbf\b|\.json\b)[^'"`\s]*)['"`]""",
    re.I)


class _LoadFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.loads: list[tuple[str, str]] = []
        self._inside: str | None = None

    def handle_starttag(self, tag, attrs):
        values = {k.lower(): (v or "") for k, v in attrs}
        for attribute in _LOAD_ATTRIBUTES.get(tag, []):
            for url in re.split(r",\s*", values.get(attribute, "")):
                url = url.strip().split(" ")[0]
                if url and _EXTERNAL.match(url):
                    self.loads.append((tag, url))
        if tag == "link" and _EXTERNAL.match(values.get("href", "")):
            if set(values.get("rel", "").lower().split()) & _LOADING_LINK_RELS:
                self.loads.append(("link", values["href"]))
        if "style" in values:
            self.loads += [("style", url) for url in _CSS_URL.findall(values["style"])]
        self._inside = tag if tag in ("style", "script") else None

    def handle_endtag(self, tag):
        self._inside = None

    def handle_data(self, data):
        if self._inside == "style":
            self.loads += [("css", url) for url in _CSS_URL.findall(data)]
        elif self._inside == "script":
            self.loads += [("script", url) for url in _SCRIPT_URL.findall(data)]
            self.loads += [("script-css", url) for url in _CSS_URL.findall(data)]


def external_loads(html: str) -> list[tuple[str, str]]:
    """(kind, url) for every resource this page would fetch from the network."""
    finder = _LoadFinder()
    finder.feed(html)
    finder.close()
    return finder.loads


def assert_offline(html: str, what: str = "page") -> None:
    from datactiviste.i18n import _, ngettext

    loads = external_loads(html)
    if loads:
        raise DatactivisteError(
            ngettext("This {what} would load {count} file from the internet: {urls}",
                     "This {what} would load {count} files from the internet: {urls}", len(loads)).format(
                what=what, count=len(loads), urls=", ".join(url for _kind, url in loads[:5])),
            hint=_("This is a bug in datactiviste: every page must work offline. Please report it."))


def write_offline_html(path: str | Path, html: str, what: str = "page") -> Path:
    """Write `html` to `path` only if it loads nothing from the network (UTF-8, no BOM)."""
    assert_offline(html, what)
    path = Path(path)
    path.write_text(html, encoding="utf-8")
    return path


# --- Inlining third-party assets -------------------------------------------------------------
# Files that folium (and our other HTML) reference on CDNs, read from the installed PyPI `xstatic-*`
# packages, whose files are byte-identical to those CDN files. Keyed by the URL's file name. Our
# maps replace folium's default scripts with Leaflet alone (maps/render.py), so no jQuery is needed.
XSTATIC_FILES = {
    "leaflet.js": ("xstatic.pkg.leaflet", "leaflet.js"),
    "leaflet.css": ("xstatic.pkg.leaflet", "leaflet.css"),
    "leaflet.markercluster.js": ("xstatic.pkg.leaflet_markercluster", "leaflet.markercluster.js"),
    "MarkerCluster.css": ("xstatic.pkg.leaflet_markercluster", "MarkerCluster.css"),
    "MarkerCluster.Default.css": ("xstatic.pkg.leaflet_markercluster", "MarkerCluster.Default.css"),
}
_SCRIPT_TAG = re.compile(r"""<script\s+src\s*=\s*["']([^"']+)["']\s*>\s*</script>""", re.I)
_LINK_TAG = re.compile(r"""<link\s+[^>]*?href\s*=\s*["']([^"']+)["'][^>]*>""", re.I)
_CSS_RELATIVE_URL = re.compile(r"""url\(\s*['"]?(?!data:|https?:|//|#)([^'")]+?)['"]?\s*\)""", re.I)
_MIME = {".png": "image/png", ".svg": "image/svg+xml", ".gif": "image/gif", ".jpg": "image/jpeg",
         ".woff2": "font/woff2", ".woff": "font/woff"}


def asset_path(url_or_name: str) -> Path | None:
    """The installed file for a CDN URL (or file name) we know, else None."""
    name = url_or_name.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
    if name not in XSTATIC_FILES:
        return None
    import importlib

    module_name, file_name = XSTATIC_FILES[name]
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    path = Path(module.BASE_DIR) / file_name
    return path if path.is_file() else None


def _css_with_inlined_urls(css: str, folder: Path) -> str:
    """url(images/x.png) -> url(data:...) so a stylesheet's images travel with it."""
    import base64

    def replace(match):
        target = (folder / match.group(1)).resolve()
        if not target.is_file() or target.suffix.lower() not in _MIME:
            return match.group(0)
        data = base64.b64encode(target.read_bytes()).decode("ascii")
        return f'url("data:{_MIME[target.suffix.lower()]};base64,{data}")'

    return _CSS_RELATIVE_URL.sub(replace, css)


def inline_assets(html: str, what: str = "page") -> str:
    """Replace every `<script src>`/stylesheet `<link>` to a known CDN file by its inlined content.

    The one shared inliner: it raises (through `assert_offline`) if any external load remains,
    e.g. a CDN file we have no installed copy of.
    """
    def script(match):
        path = asset_path(match.group(1))
        if path is None:
            return match.group(0)
        code = path.read_text(encoding="utf-8").replace("</script", "<\\/script")
        return f"<script>/* {path.name} (inlined) */\n{code}\n</script>"

    def link(match):
        tag = match.group(0)
        if "stylesheet" not in tag.lower():
            return tag
        path = asset_path(match.group(1))
        if path is None:
            return tag
        css = _css_with_inlined_urls(path.read_text(encoding="utf-8"), path.parent)
        css = css.replace("</style", "<\\/style")
        return f"<style>/* {path.name} (inlined) */\n{css}\n</style>"

    html = _LINK_TAG.sub(link, _SCRIPT_TAG.sub(script, html))
    assert_offline(html, what)
    return html
