"""Embedding a chart in a CMS page: an <iframe> whose height follows the chart's page.

A fixed-height iframe cuts the source line off on a phone (the chart grows taller when the
narrow rendering is shown) or leaves a gap on a desktop. The chart page tells its height to
the page around it with `postMessage` (a few lines of inline script, nothing loaded); the
snippet listens, checks that the message comes from its own iframe, and sets the height.
Without script the iframe keeps its starting height, so nothing breaks.
"""

from __future__ import annotations

import json

from datactiviste.safety import escape_html

MAX_HEIGHT = 20000  # px: a height message above this is ignored (never trust a message blindly)


def _js_string(text: str) -> str:
    """A JS string literal safe inside <script> and inside an HTML attribute."""
    return (json.dumps(text, ensure_ascii=True).replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("&", "\\u0026"))


def height_script(name: str) -> str:
    """Goes in the chart page: posts {datactiviste: name, height: px} on load and on resize."""
    return ("<script>(function(){var n=" + _js_string(name) + ",last=0;function send(){"
            "var h=Math.ceil(document.documentElement.getBoundingClientRect().height);"
            "if(h!==last&&window.parent!==window){last=h;"
            "window.parent.postMessage({datactiviste:n,height:h},'*');}}"
            "addEventListener('load',send);addEventListener('resize',send);"
            "if(window.ResizeObserver)new ResizeObserver(send).observe(document.body);"
            "document.addEventListener('toggle',send,true);})();</script>")


def embed_snippet(name: str, title: str, height: int) -> str:
    """The <iframe> (plus its listener) a CMS editor pastes next to where NAME.html is uploaded."""
    frame_id = "datactiviste-" + "".join(c if c.isalnum() else "-" for c in name)
    listener = ("<script>(function(){var f=document.getElementById(" + _js_string(frame_id) +
                ");addEventListener('message',function(e){var d=e.data;"
                "if(!f||e.source!==f.contentWindow||!d||d.datactiviste!==" + _js_string(name) +
                ")return;var h=parseInt(d.height,10);"
                f"if(h>0&&h<{MAX_HEIGHT})f.style.height=h+'px';}});}})();</script>")
    return (f'<iframe id="{escape_html(frame_id)}" src="{escape_html(name)}.html" '
            f'title="{escape_html(title)}" width="100%" height="{int(height)}" '
            'style="border:0;width:100%;max-width:100%" loading="lazy"></iframe>' + listener)
