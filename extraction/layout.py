"""Layout tables: the grid of a page's template, not data.

Before CSS layouts, pages were laid out in tables (a navigation column, the story's column, a
column of links), and some templates still are. trafilatura takes such a table for data: the
whole page comes out as one row of cells joined by " | ", the navigation in it, the story's
paragraphs and headings run together. A table whose own cell holds a story's prose, and that
states no data structure of its own (header cells, a caption), is turned into the divisions it
stands for before anything reads the tree: the story's lines come out as lines, and the side
columns are judged like any sidebar.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from . import tuning
from .text import has_two_sentences, word_count

_DATA_MARKS = ("th", "thead", "caption")
_GRID_TAGS = ("thead", "tbody", "tfoot", "tr", "td", "th")
_GRID_ATTRIBUTES = ("width", "height", "valign", "align", "colspan", "rowspan", "cellpadding", "cellspacing", "border")


def unwrap_layout_tables(tree: HtmlElement) -> None:
    """The innermost layout tables become <div>s, in place; data tables stay. A layout table
    around another is the page's outer grid (navigation column, story column, link column):
    left a table, trafilatura judges its columns apart and keeps the story's opening, where
    turned into divisions the navigation joins the story's container (on all dev sets together:
    dragnet_dev F1 0.899 -> 0.902, first paragraph 0.932 -> 0.935, the others unchanged)."""
    layouts = [table for table in tree.iter("table") if _is_layout(table)]
    outer = {ancestor for table in layouts for ancestor in table.iterancestors("table")}
    for table in layouts:
        if table not in outer:
            for el in [table, *_own(table, _GRID_TAGS)]:
                el.tag = "div"
                for name in _GRID_ATTRIBUTES:
                    el.attrib.pop(name, None)


def _is_layout(table: HtmlElement) -> bool:
    return not _own(table, _DATA_MARKS) and any(_holds_prose(cell) for cell in _own(table, ("td",)))


def _holds_prose(cell: HtmlElement) -> bool:
    text = " ".join(cell.itertext())  # "decade.<br><br>Supporters": two sentences, whatever the markup's spacing
    return word_count(text) >= tuning.LAYOUT_CELL_MIN_WORDS and has_two_sentences(text)


def _own(table: HtmlElement, tags: tuple[str, ...]) -> list[HtmlElement]:
    """Descendants of these tags that belong to this table, not to a table nested in it."""
    return [el for el in table.iter(*tags) if next(el.iterancestors("table"), None) is table]
