"""A small Markdown subset to HTML, for lesson texts in handouts and reports.

Lesson texts use paragraphs, `- ` lists, numbered lists, fenced code blocks, `inline code`,
**bold**, *italics* and [links](url). Pulling in a full Markdown library for that would add a
dependency to the frozen binary; this escapes everything first, so a lesson cannot inject HTML.
"""

from __future__ import annotations

import html
import re

_INLINE = [
    (re.compile(r"`([^`]+)`"), r"<code>\1</code>"),
    (re.compile(r"\*\*([^*]+)\*\*"), r"<strong>\1</strong>"),
    (re.compile(r"(?<![*\w])\*([^*\s][^*]*)\*(?!\w)"), r"<em>\1</em>"),
    (re.compile(r"\[([^\]]+)\]\(((?:https?://|#)[^)\s]*)\)"), r'<a href="\2">\1</a>'),
]


def inline(text: str) -> str:
    """Escape, then apply inline markup (code spans are protected from the other rules)."""
    escaped = html.escape(text, quote=True)
    parts = re.split(r"(`[^`]+`)", escaped)
    out = []
    for part in parts:
        if part.startswith("`") and part.endswith("`") and len(part) > 1:
            out.append(f"<code>{part[1:-1]}</code>")
            continue
        for pattern, replacement in _INLINE[1:]:
            part = pattern.sub(replacement, part)
        out.append(part)
    return "".join(out)


def to_html(text: str) -> str:
    """Block-level rendering: paragraphs, lists, fenced code."""
    blocks: list[str] = []
    lines = (text or "").strip("\n").splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.strip().startswith("```"):
            code = []
            index += 1
            while index < len(lines) and not lines[index].strip().startswith("```"):
                code.append(lines[index])
                index += 1
            blocks.append("<pre><code>" + html.escape("\n".join(code)) + "</code></pre>")
            index += 1
            continue
        list_match = re.match(r"^\s*(- |\* |\d+\. )", line)
        if list_match:
            ordered = list_match.group(1)[0].isdigit()
            items = []
            while index < len(lines) and re.match(r"^\s*(- |\* |\d+\. )", lines[index]):
                item = re.sub(r"^\s*(- |\* |\d+\. )", "", lines[index])
                index += 1
                while index < len(lines) and lines[index].startswith("  ") and lines[index].strip() \
                        and not re.match(r"^\s*(- |\* |\d+\. )", lines[index]):
                    item += " " + lines[index].strip()
                    index += 1
                items.append(f"<li>{inline(item)}</li>")
            tag = "ol" if ordered else "ul"
            blocks.append(f"<{tag}>" + "".join(items) + f"</{tag}>")
            continue
        if not line.strip():
            index += 1
            continue
        paragraph = []
        while index < len(lines) and lines[index].strip() and not lines[index].strip().startswith("```") \
                and not re.match(r"^\s*(- |\* |\d+\. )", lines[index]):
            paragraph.append(lines[index].strip())
            index += 1
        blocks.append("<p>" + inline(" ".join(paragraph)) + "</p>")
    return "\n".join(blocks)


def to_terminal(text: str, style=None) -> str:
    """The same subset for a terminal: no raw `**` or backticks. Code blocks are indented, bold
    goes through `style(text, bold=True)` (click.style on a console; plain in a pipe), links
    read 'text (url)'."""
    def bold(match):
        return style(match.group(1), bold=True) if style else match.group(1)

    def prose(chunk: str) -> str:
        parts = re.split(r"(`[^`]+`)", chunk)
        for index, part in enumerate(parts):
            if part.startswith("`") and part.endswith("`") and len(part) > 1:
                parts[index] = part[1:-1]
                continue
            part = re.sub(r"\*\*([^*]+)\*\*", bold, part)
            part = _INLINE[2][0].sub(r"\1", part)
            parts[index] = re.sub(r"\[([^\]]+)\]\(([^)\s]*)\)", r"\1 (\2)", part)
        return "".join(parts)

    out, chunk, in_code = [], [], False
    for line in (text or "").splitlines():
        if line.strip().startswith("```"):
            if not in_code:
                out.append(prose("\n".join(chunk)))
                chunk = []
            in_code = not in_code
            continue
        if in_code:
            out.append("    " + line)
        else:
            chunk.append(line)
    if chunk:
        out.append(prose("\n".join(chunk)))
    return "\n".join(out)
