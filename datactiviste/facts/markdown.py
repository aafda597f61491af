"""Markdown to HTML for texts with directives (markdown-it-py, CommonMark + tables).

Raw HTML is off (a dossier received from elsewhere cannot carry a script), links keep only
http(s) targets and in-page anchors (`safety.safe_href`), and an image is embedded from a file
next to the text as a data: URI, or shown as its alt text: nothing is ever loaded from outside.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

from datactiviste.facts.evaluate import Evaluation
from datactiviste.facts.syntax import code_ranges
from datactiviste.i18n.formats import keep_with_punctuation
from datactiviste.safety import escape_html, safe_href

IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".gif": "image/gif", ".svg": "image/svg+xml", ".webp": "image/webp"}
MAX_IMAGE_BYTES = 2_000_000
_TABLE_RULE = re.compile(r"^[\s|:-]+$")


def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}) \
        .enable("table").enable("strikethrough")


def _local_image(src: str, base_dir: Path) -> str | None:
    if "://" in src or src.startswith(("//", "data:")):
        return None
    path = (base_dir / src).resolve()
    try:
        path.relative_to(base_dir.resolve())
    except ValueError:
        return None
    kind = IMAGE_TYPES.get(path.suffix.lower())
    if not kind or not path.is_file() or path.stat().st_size > MAX_IMAGE_BYTES:
        return None
    return f"data:{kind};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def render_markdown(text: str, base_dir: str | Path = ".") -> str:
    """HTML of `text` (no raw HTML, safe links, local images inlined)."""
    parser = _parser()
    base = Path(base_dir)

    def link_open(renderer, tokens, index, options, env):
        token = tokens[index]
        href = str(token.attrGet("href") or "")
        safe = href if href.startswith("#") else safe_href(href)
        token.attrs = {"href": safe} if safe else {}
        if safe and not href.startswith("#"):
            token.attrs["rel"] = "noopener noreferrer"
        return renderer.renderToken(tokens, index, options, env)

    def image(_renderer, tokens, index, options, env):
        token = tokens[index]
        alt = "".join(child.content for child in token.children or [])
        data = _local_image(str(token.attrGet("src") or ""), base)
        if data is None:
            return f'<span class="missing-image">[{escape_html(alt)}]</span>'
        return f'<img src="{escape_html(data)}" alt="{escape_html(alt)}">'

    parser.add_render_rule("link_open", link_open)
    parser.add_render_rule("image", image)
    return parser.render(text)


def french_spacing(text: str) -> str:
    """No line break before « : ; ! ? % » in French prose (code and table rules untouched)."""
    out, position = [], 0
    for start, end in code_ranges(text) + [(len(text), len(text))]:
        prose = text[position:start]
        out.append("".join(line if _TABLE_RULE.match(line) else keep_with_punctuation(line)
                           for line in prose.splitlines(keepends=True)))
        out.append(text[start:end])
        position = end
    return "".join(out)


def evaluation_html(evaluation: Evaluation, base_dir: str | Path = ".", lang: str = "en") -> str:
    """The evaluated text as HTML, each figure in place."""
    text = evaluation.tokenised()
    if lang == "fr":
        text = french_spacing(text)
    return evaluation.fill(render_markdown(text, base_dir))
