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
        elif kind == "quote":
            parts.append("\n>\n".join("> " + _md(b.text) for b in run))
        elif kind == "code":
            parts.append("```\n" + "\n".join(b.text.replace("```", "` ` `") for b in run) + "\n```")
        elif kind == "head":
            parts.append("#" * max(run[0].level, 2) + " " + _md(run[0].text))
        else:
            parts.append(_md(run[0].text))
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
        elif kind == "quote":
            parts.append("<blockquote>" + "".join(f"<p>{escape(b.text)}</p>" for b in run) + "</blockquote>")
        elif kind == "code":
            parts.append("<pre><code>" + "\n".join(escape(b.text) for b in run) + "</code></pre>")
        elif kind == "head":
            level = min(max(run[0].level, 2), 6)
            parts.append(f"<h{level}>{escape(run[0].text)}</h{level}>")
        else:
            parts.append(f"<p>{escape(run[0].text)}</p>")
    return "\n".join(parts)


_GROUPED = frozenset({"item", "row", "quote", "code"})
"""Blocks rendered together when they come from one element; the others one by one."""


def _runs(blocks: list[Block]) -> Iterator[tuple[str, list[Block]]]:
    """Blocks in runs: the items of one list, the rows of one table, the lines of one quote or
    code block; any other block alone."""
    for (tag, _), run in groupby(blocks, key=lambda b: (b.tag, b.group)):
        if tag in _GROUPED:
            yield tag, list(run)
        else:
            for block in run:
                yield tag, [block]


def _md(text: str) -> str:
    text = _MD_BLOCK_START_RE.sub(r"\\\1", _MD_INLINE_RE.sub(r"\\\1", text))
    return _MD_NUMBERED_RE.sub(r"\1\\\2", text)
