"""The rest of an article body split into sibling chunks: what trafilatura leaves behind.

Many CMSs print a story as several containers of one kind, with ads, embeds or promos
between them (``div.body__container`` × 4). trafilatura takes the first container that
looks like a body and stops there, so three quarters of such a story are lost. The page
says which containers are chunks of one body: they share their tag, class and parent's
kind with the chunk trafilatura took. Their prose paragraphs are put back in page order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from lxml.html import HtmlElement

from . import tuning
from .blocks import Block
from .domclean import text_of
from .pageorder import merged_in_page_order
from .text import is_prose, letters

_BODY_TAGS = frozenset({"p", "blockquote", "h2", "h3", "h4"})
_CHUNK_TAGS = frozenset({"div", "section", "article"})
# Nested in one of these, a paragraph is part of a bigger one, or a teaser card's text.
_NOT_IN_BODY = _BODY_TAGS | {"a"}

Family = tuple[str, str, str, str, HtmlElement | None]


def with_sibling_chunks(tree: HtmlElement, blocks: list[Block]) -> list[Block]:
    """``blocks`` with the prose of the body's sibling chunks inserted where the page has it;
    ``blocks`` itself when the page has no such chunks."""
    if not any(block.prose for block in blocks):
        return blocks
    extracted = letters(" ".join(block.text for block in blocks))
    paragraphs = list(_paragraphs(tree))
    chunks: dict[HtmlElement, list[tuple[int, str, bool]]] = defaultdict(list)
    for position, (element, text) in enumerate(paragraphs):
        chunk = _chunk_of(element)
        if chunk is not None:
            chunks[chunk].append((position, text, letters(text) in extracted))
    chunk_taken = {chunk: _taken(found) for chunk, found in chunks.items()}
    families = {chunk: _family(chunk) for chunk in chunks}
    used = {families[chunk] for chunk in chunks if chunk_taken[chunk]}
    missed = [
        (position, text)
        for chunk, found in chunks.items()
        if families[chunk] in used and not chunk_taken[chunk]
        and sum(is_prose(text) for _, text, _ in found) >= tuning.CHUNK_MIN_PROSE_PARAGRAPHS
        for position, text, taken in found if not taken
    ]
    if not missed:
        return blocks
    return _merged(blocks, paragraphs, missed)


def _paragraphs(tree: HtmlElement) -> Iterator[tuple[HtmlElement, str]]:
    """Paragraph-level elements with their text, in page order (no nested repeats)."""
    for element in tree.iter(*_BODY_TAGS):  # tags filtered in C, not element by element in Python
        if next(element.iterancestors(*_NOT_IN_BODY), None) is not None \
                or next(element.iter("style", "script"), None) is not None:
            continue
        text = text_of(element)
        if text:
            yield element, text


def _chunk_of(element: HtmlElement) -> HtmlElement | None:
    """The nearest enclosing container that names itself by a class."""
    for ancestor in element.iterancestors(*_CHUNK_TAGS):
        if ancestor.get("class"):
            return ancestor
    return None


def _family(chunk: HtmlElement) -> Family:
    """What chunks of one body share: tag and class, their parent's tag and class, and one
    grandparent (they sit side by side, or each in a wrapper of its own under one parent)."""
    parent = chunk.getparent()
    if parent is None:
        return chunk.tag, " ".join(chunk.get("class", "").split()), "", "", None
    return (chunk.tag, " ".join(chunk.get("class", "").split()),
            parent.tag, " ".join(parent.get("class", "").split()), parent.getparent())


def _taken(found: list[tuple[int, str, bool]]) -> bool:
    """trafilatura took this chunk: most of its prose is in the extraction."""
    prose = [taken for _, text, taken in found if is_prose(text)]
    return bool(prose) and sum(prose) * 2 >= len(prose)


def _merged(blocks: list[Block], paragraphs: list[tuple[HtmlElement, str]], missed: list[tuple[int, str]]) -> list[Block]:
    position_of: dict[str, int] = {}
    for position, (_, text) in enumerate(paragraphs):
        position_of.setdefault(letters(text), position)
    inserts = [(position, _block(paragraphs[position][0], text)) for position, text in missed]
    return merged_in_page_order(blocks, position_of, inserts)


def _block(element: HtmlElement, text: str) -> Block:
    """The paragraph as trafilatura would have given it: a heading with its level, a quote, a paragraph."""
    if element.tag in ("h2", "h3", "h4"):
        return Block("head", text, level=int(element.tag[1]))
    return Block("quote" if element.tag == "blockquote" else "p", text)
