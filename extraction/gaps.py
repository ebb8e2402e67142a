"""Structure trafilatura dropped from inside the body: a list, a table, a subheading or a quote
that sits between two paragraphs it took, under the same parent element (or in a wrapper of
its own there).

trafilatura judges a list or a table on its own and often drops it from the middle of a story
(a list under a rich-text ``<span>``, the table of a pricing guide, the subheadings of a how-to),
though the page puts it inside the body. What lies between two paragraphs of the body, in the
same container, is the body, unless it is link-dominated, a form, or a media gallery (whose
items' text is captions). A line a junk phrase names ("See also") stays out whatever its
neighbours: trafilatura dropped it, and the DOM rules may have taken the widget it headed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from itertools import islice

from lxml.html import HtmlElement

from . import tuning
from .blocks import Block
from .domclean import link_density, text_of
from .pageorder import merged_in_page_order
from .rules import phrase_rule_for
from .text import letters

# What a body is made of, besides the paragraphs (which only mark the body's extent here:
# a dropped paragraph is more often a caption or a promo than a dropped list is).
_UNIT_TAGS = ("p", "ul", "ol", "table", "h2", "h3", "h4", "h5", "h6", "blockquote")
_RECOVERED_TAGS = frozenset(_UNIT_TAGS) - {"p"}
# The paragraphs, subheadings, quotes and lists trafilatura took mark the body's extent (a
# table's cells are not read unless it is a candidate: tables are long, and rarely mark it).
_EXTENT_TAGS = frozenset(_UNIT_TAGS) - {"table"}
# In a wrapper of its own, only a list, a table or a quote (an embedded post): a heading alone in a box headed a widget
# the DOM rules took ("See also" over its removed links).
_WRAPPED_TAGS = frozenset({"ul", "ol", "table", "blockquote"})
# A unit holding one of these is a form, a widget or a gallery, not the story's structure.
_NOT_STRUCTURE = ("form", "button", "input", "select", "script", "style", "img", "picture", "figure", "video", "iframe")


class _Extracted:
    """What trafilatura took: a line is in it as a line of its own, or, when long, inside one
    (trafilatura joins and splits paragraphs its own way). A short line is not taken because
    its words occur in a paragraph ("The new lines" in "... say the new lines will ...")."""

    def __init__(self, blocks: list[Block]) -> None:
        keys = [letters(block.text) for block in blocks]
        self.lines = set(keys)
        self.text = "".join(keys)

    def has(self, key: str) -> bool:
        """Whether the line whose ``letters`` are ``key`` was taken."""
        return key in self.lines or (len(key) >= tuning.GAP_SUBSTRING_MIN_LETTERS and key in self.text)


def with_gap_structure(tree: HtmlElement, blocks: list[Block]) -> list[Block]:
    """``blocks`` with the structure found between two of their paragraphs put back in page order."""
    if not any(block.prose for block in blocks):
        return blocks
    extracted = _Extracted(blocks)
    units = _units(tree)
    keys = {position: [letters(line) for line in _lines(element)]
            for position, element in enumerate(units) if element.tag in _EXTENT_TAGS}
    extent = _extent(units, {position for position, found in keys.items() if _taken(found, extracted)})
    missed = [
        (position, block)
        for position in _gaps(units, extent)
        if not _taken_cell_by_cell(units[position], extracted)
        for block in _structure(units[position])
        if (key := letters(block.text)) and not extracted.has(key)
        and phrase_rule_for(block.text, block.words, heading=block.tag == "head") is None
    ]
    if not missed:
        return blocks
    position_of: dict[str, int] = {}
    for position, found in keys.items():
        for key in found:
            position_of.setdefault(key, position)
    return merged_in_page_order(blocks, position_of, missed)


def _units(tree: HtmlElement) -> list[HtmlElement]:
    """The page's paragraph-level elements in page order, outermost only, outside links and list items."""
    return [element for element in tree.iter(*_UNIT_TAGS)
            if next(element.iterancestors(*_UNIT_TAGS, "a", "li"), None) is None]


def _extent(units: list[HtmlElement], taken: set[int]) -> dict[HtmlElement, tuple[int, int]]:
    """Each parent of two units or more that trafilatura took, with the first and the last."""
    siblings: dict[HtmlElement, list[int]] = defaultdict(list)
    for position in sorted(taken):
        parent = units[position].getparent()
        if parent is not None:
            siblings[parent].append(position)
    return {parent: (positions[0], positions[-1]) for parent, positions in siblings.items() if len(positions) >= 2}


def _gaps(units: list[HtmlElement], extent: dict[HtmlElement, tuple[int, int]]) -> Iterator[int]:
    """Positions of the structure units that lie between two taken units of one parent: their
    own parent, or for a list, a table or a quote, a wrapper up (a table in its scroll box)."""
    for position, element in enumerate(units):
        parent = element.getparent()
        if element.tag not in _RECOVERED_TAGS or parent is None:
            continue
        container = parent if parent in extent else None
        if container is None and element.tag in _WRAPPED_TAGS:
            wrappers = islice(parent.iterancestors(), tuning.GAP_MAX_WRAPPERS)
            container = next((ancestor for ancestor in wrappers if ancestor in extent), None)
        if container is not None and extent[container][0] < position < extent[container][1]:
            yield position


def _taken(keys: list[str], extracted: _Extracted) -> bool:
    """trafilatura took most of the unit's lines (given by their ``letters``)."""
    found = [extracted.has(key) for key in keys]
    return bool(found) and sum(found) * 2 >= len(found)


def _taken_cell_by_cell(element: HtmlElement, extracted: _Extracted) -> bool:
    """A table trafilatura took as one line a cell: its rows are no line of the text, its cells are."""
    return element.tag == "table" and _taken([letters(text_of(cell)) for cell in element.iter("td", "th")], extracted)


def _structure(element: HtmlElement) -> list[Block]:
    """The unit's lines, or none when it is a form, a gallery or a list of links rather than the story's structure."""
    if next(element.iter(*_NOT_STRUCTURE), None) is not None:
        return []
    return _blocks(element) if link_density(element) <= tuning.GAP_MAX_LINK_DENSITY else []


def _blocks(element: HtmlElement) -> list[Block]:
    """The element's lines as trafilatura would give them: a list's items, a table's rows, a heading with its level."""
    tag = element.tag
    if tag in ("ul", "ol"):
        return [Block("item", item, ordered=tag == "ol") for item in _lines(element)]
    if tag == "table":
        rows = (" | ".join(filter(None, (text_of(cell) for cell in row.iterchildren("td", "th")))) for row in element.iter("tr"))
        return [Block("row", row) for row in rows if row]
    text = text_of(element)
    if not text:
        return []
    if tag in ("h2", "h3", "h4", "h5", "h6"):
        return [Block("head", text, level=int(tag[1]))]
    return [Block("quote" if tag == "blockquote" else "p", text)]


def _lines(element: HtmlElement) -> list[str]:
    """A list's items, or the element's one line (none if empty)."""
    if element.tag in ("ul", "ol"):
        return [item for item in map(text_of, element.iterchildren("li")) if item]
    line = text_of(element)
    return [line] if line else []
