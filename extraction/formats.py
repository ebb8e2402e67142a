"""The article body as Markdown and as HTML, rendered from the blocks that make ``text``.

Both are built from the very blocks the block rules kept, never from the page's markup, so
they hold the article that ``text`` holds, word for word, and the HTML can only carry the
handful of tags written here: no script, style, event handler, iframe or tracking pixel.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from html import escape
from itertools import groupby

from .blocks import Block

BODY_FORMATS = ("text", "markdown", "html")
"""What ``CLEANWIRE_BODY_FORMATS`` may name; text is always written."""

# Markdown characters that would turn a word into markup: escaped with a backslash, which
# leaves the words alone. Underscores are not escaped: inside a word they are no emphasis.
_MD_INLINE_RE = re.compile(r"([\\`*\[\]<>])")
# A line starting like a block marker: # heading, > quote, - + list; "1." or "1)" list.
_MD_BLOCK_START_RE = re.compile(r"^([#>]|[-+](?=\s))")
_MD_NUMBERED_RE = re.compile(r"^(\d+)([.)])(?=\s)")


def body_formats(names: Iterable[str]) -> frozenset[str]:
    """The bodies to render besides text, from format names ("text", "markdown", "html")."""
    formats = frozenset(name.strip().lower() for name in names if name.strip())
    unknown = formats.difference(BODY_FORMATS)
    if unknown:
        raise ValueError(f"unknown body format {', '.join(sorted(unknown))} (known: {', '.join(BODY_FORMATS)})")
    return formats - {"text"}


def render_bodies(blocks: list[Block], formats: frozenset[str]) -> dict[str, str]:
    """The bodies asked for besides text, by format name."""
    renderers: dict[str, Callable[[list[Block]], str]] = {"markdown": to_markdown, "html": to_html}
    return {name: render(blocks) for name, render in renderers.items() if name in formats}


def to_markdown(blocks: list[Block]) -> str:
    """Subheadings as # headings, lists as lists, block quotes as quotes, tables as tables."""
    parts: list[str] = []
    for kind, run in _runs(blocks):
        if kind == "item":
            parts.append("\n".join(("1. " if b.ordered else "- ") + _md(b.text) for b in run))
        elif kind == "row":
            rows = [f"| {_md(b.text)} |" for b in run]
            rows.insert(1, "|" + "---|" * (run[0].text.count(" | ") + 1))
            parts.append("\n".join(rows))
        else:
            parts.extend(_md_block(b) for b in run)
    return "\n\n".join(parts)


def to_html(blocks: list[Block]) -> str:
    """The body as an HTML fragment of h2-h6, p, blockquote, ul/ol, table and pre elements."""
    parts: list[str] = []
    for kind, run in _runs(blocks):
        if kind == "item":
            tag = "ol" if run[0].ordered else "ul"
            parts.append(f"<{tag}>" + "".join(f"<li>{escape(b.text)}</li>" for b in run) + f"</{tag}>")
        elif kind == "row":
            rows = ("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in b.text.split(" | ")) + "</tr>" for b in run)
            parts.append("<table>" + "".join(rows) + "</table>")
        else:
            parts.extend(_html_block(b) for b in run)
    return "\n".join(parts)


def _runs(blocks: list[Block]) -> Iterator[tuple[str, list[Block]]]:
    """Blocks in runs: the items of one list, the rows of one table, else one block at a time."""
    for (tag, group), run in groupby(blocks, key=lambda b: (b.tag, b.group)):
        if tag in ("item", "row") and group:
            yield tag, list(run)
        else:
            for block in run:
                yield tag, [block]


def _md(text: str) -> str:
    text = _MD_BLOCK_START_RE.sub(r"\\\1", _MD_INLINE_RE.sub(r"\\\1", text))
    return _MD_NUMBERED_RE.sub(r"\1\\\2", text)


def _md_block(block: Block) -> str:
    if block.tag == "head":
        return "#" * max(block.level, 2) + " " + _md(block.text)
    if block.tag == "quote":
        return "> " + _md(block.text)
    if block.tag == "code":
        return "```\n" + block.text.replace("```", "` ` `") + "\n```"
    return _md(block.text)


def _html_block(block: Block) -> str:
    if block.tag == "head":
        level = min(max(block.level, 2), 6)
        return f"<h{level}>{escape(block.text)}</h{level}>"
    if block.tag == "quote":
        return f"<blockquote><p>{escape(block.text)}</p></blockquote>"
    if block.tag == "code":
        return f"<pre><code>{escape(block.text)}</code></pre>"
    return f"<p>{escape(block.text)}</p>"
