"""Junk removal on trafilatura's extracted blocks: what is left once the markup is gone.

Some junk only shows in the sequence of lines: a one-word label before the first paragraph,
the title of a video right after a player notice, headlines listed under a "You may like"
line that trafilatura kept as plain paragraphs. These rules look at each block's words,
shape and neighbours.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from lxml.etree import _Element

from . import tuning
from .domclean import Removal
from .rules import RULE_KINDS, JunkKind, KeywordRule, is_byline, is_dateline, is_pagination, phrase_rule_for
from .text import fold, is_prose, is_sentence, word_count

_SHORTCODE_RE = re.compile(r"^\[(\w+)\b[^\]]*\].*\[/\1\]$")
# Template lines (share prompts, widget headings, notices) recur across a site's pages, and a list
# item is judged again as its neighbours' neighbour: decide each line once.
_phrase_rule_for = lru_cache(maxsize=4096)(phrase_rule_for)


@dataclass(frozen=True)
class Block:
    """One paragraph-level unit of extracted text; ``tag`` is trafilatura's (p, head, quote, item, row ...).
    The rest is the markup the Markdown and HTML bodies need (``formats.py``). Its measures are
    computed once: the block rules ask for them again and again."""

    tag: str
    text: str
    level: int = 0
    """A heading's level (h2 -> 2)."""
    group: int = 0
    """The body element the block comes from (its position, from 1): one list's items, one
    table's rows, one quote's or code block's lines go together."""
    ordered: bool = False
    """An item of a numbered list."""

    @cached_property
    def words(self) -> int:
        return word_count(self.text)

    @cached_property
    def prose(self) -> bool:
        """A paragraph of the story: long enough, ending as a sentence does."""
        return is_prose(self.text)

    @cached_property
    def headline_like(self) -> bool:
        """Short and without a sentence end: how listed headlines and titles look."""
        return self.words <= tuning.WIDGET_HEADLINE_MAX_WORDS and not is_sentence(self.text)


def blocks_from_body(body: _Element) -> list[Block]:
    """trafilatura's body tree as blocks; list items and table rows become blocks of their own
    so that a widget rendered as a list can be cut item by item. Loose text between elements
    (trafilatura leaves a paragraph after a heading as the heading's tail) is a block too."""
    for line_break in body.iter("lb"):  # keep lines apart: "FL<lb/>June" is two words
        line_break.text = "\n"
    for inner in body.iter(_INNER_BLOCK_TAGS):  # a heading and its paragraph in one item: "Needs Before", not "NeedsBefore"
        inner.text = " " + (inner.text or "")
        inner.tail = " " + (inner.tail or "")
    blocks: list[Block] = []
    _add_loose(blocks, body.text)
    for group, el in enumerate(body, start=1):
        if el.tag == "list":
            ordered = el.get("rend") == "ol"
            blocks.extend(Block("item", t, group=group, ordered=ordered) for t in (_text(i) for i in el.iter("item")) if t)
        elif el.tag == "table":
            rows = (" | ".join(filter(None, (_text(c) for c in row.iter("cell")))) for row in el.iter("row"))
            blocks.extend(Block("row", r, group=group) for r in rows if r)
        else:  # lines broken with <br> are paragraphs of their own
            level = _heading_level(el.get("rend")) if el.tag == "head" else 0
            blocks.extend(Block(str(el.tag), line, level=level, group=group) for line in _text(el).split("\n") if line)
        _add_loose(blocks, el.tail)
    return blocks


# Block elements trafilatura nests in a list item or a table cell (table parts it left as HTML too);
# their texts are words apart.
_INNER_BLOCK_TAGS = ("head", "p", "list", "item", "quote", "row", "cell", "tr", "th", "td")


def _heading_level(rend: str | None) -> int:
    """trafilatura keeps the original heading tag as ``rend`` (h2); a bare head is a subheading."""
    return int(rend[1]) if rend and len(rend) == 2 and rend[0] == "h" and rend[1] in "123456" else 2


def _add_loose(blocks: list[Block], text: str | None) -> None:
    text = " ".join((text or "").split())
    if text:
        blocks.append(Block("p", text))


def _text(el: _Element) -> str:
    """The element's text with its descendants' (itertext leaves out the element's own tail),
    whitespace collapsed within each of its lines."""
    lines = (" ".join(line.split()) for line in "".join(el.itertext()).split("\n"))
    return "\n".join(line for line in lines if line)


class BlockFilter:
    """Decides, block by block, what of an extraction is article and what is junk."""

    def __init__(self, title: str | None, boilerplate: Iterable[str] = ()) -> None:
        self.title = fold(title) if title else ""
        self.boilerplate = frozenset(boilerplate)
        self.removed: list[Removal] = []

    def filter(self, blocks: list[Block]) -> list[Block]:
        verdicts: list[str | None] = [None] * len(blocks)
        self._mark_phrases(blocks, verdicts)
        self._mark_shortcodes(blocks, verdicts)
        self._mark_datelines(blocks, verdicts)
        self._mark_pagination(blocks, verdicts)
        self._mark_recurring(blocks, verdicts)
        self._mark_leading(blocks, verdicts)
        kept = []
        for block, rule in zip(blocks, verdicts, strict=True):
            if rule is None:
                kept.append(block)
            else:
                self.removed.append(Removal(rule, _kind(rule), block.text))
        return kept

    def _mark_phrases(self, blocks: list[Block], verdicts: list[str | None]) -> None:
        prose = [i for i, block in enumerate(blocks) if block.prose]
        for i, block in enumerate(blocks):
            if verdicts[i]:
                continue
            rule = _phrase_rule_for(block.text, block.words, heading=block.tag == "head")
            if rule is None or (isinstance(rule, KeywordRule) and (
                    (rule.heading and self._introduces_prose(blocks, i))
                    or (rule.edge and prose and prose[0] < i < prose[-1])
                    or (not rule.notice and self._among_plain_items(blocks, i)))):
                continue
            verdicts[i] = rule.name
            if getattr(rule, "heading", False):
                self._mark_listed_headlines(blocks, verdicts, i + 1)
            elif rule.kind is JunkKind.VIDEO:
                self._mark_video_title(blocks, verdicts, i)

    @staticmethod
    def _among_plain_items(blocks: list[Block], i: int) -> bool:
        """An item next to items no rule names is an entry of the story's list ("Basic
        subscription options"): a row of share buttons or prompts is all of a kind."""
        if blocks[i].tag not in ("item", "row"):
            return False
        neighbours = [blocks[j] for j in (i - 1, i + 1) if 0 <= j < len(blocks) and blocks[j].tag == blocks[i].tag]
        return any(_phrase_rule_for(n.text, n.words) is None for n in neighbours)

    @staticmethod
    def _introduces_prose(blocks: list[Block], i: int) -> bool:
        """A line followed by prose is the story's subheading ("Our recommendations"), whatever
        its words, and so is one that opens a list with a colon ("Top expert recommendations:"):
        a widget heading names the headlines listed under it, or ends the text."""
        return blocks[i].text.rstrip().endswith((":", "：")) or (i + 1 < len(blocks) and not blocks[i + 1].headline_like)

    @staticmethod
    def _mark_listed_headlines(blocks: list[Block], verdicts: list[str | None], start: int) -> None:
        """Headlines under a widget heading go with it, up to the next line of prose."""
        for j in range(start, len(blocks)):
            if verdicts[j]:
                continue
            if not blocks[j].headline_like or blocks[j].tag == "head":
                return
            verdicts[j] = "widget-headlines"

    @staticmethod
    def _mark_video_title(blocks: list[Block], verdicts: list[str | None], notice: int) -> None:
        for j in (notice + 1, notice - 1):
            if 0 <= j < len(blocks) and not verdicts[j]:
                block = blocks[j]
                if block.tag != "head" and block.words <= tuning.VIDEO_TITLE_MAX_WORDS \
                        and not is_sentence(block.text.rstrip("?!")):
                    verdicts[j] = "video-title"
                    return

    @staticmethod
    def _mark_shortcodes(blocks: list[Block], verdicts: list[str | None]) -> None:
        """CMS shortcodes that leaked as text: ``[button link="..."]Send us ...[/button]``."""
        for i, block in enumerate(blocks):
            if not verdicts[i] and _SHORTCODE_RE.match(block.text):
                verdicts[i] = "shortcode"

    @staticmethod
    def _mark_datelines(blocks: list[Block], verdicts: list[str | None]) -> None:
        for i, block in enumerate(blocks):
            if not verdicts[i] and block.words <= tuning.DATELINE_MAX_WORDS and is_dateline(block.text):
                verdicts[i] = "dateline"

    @staticmethod
    def _mark_pagination(blocks: list[Block], verdicts: list[str | None]) -> None:
        for i, block in enumerate(blocks):
            if not verdicts[i] and is_pagination(block.text):
                verdicts[i] = "pagination"

    def _mark_recurring(self, blocks: list[Block], verdicts: list[str | None]) -> None:
        if not self.boilerplate:
            return
        for i, block in enumerate(blocks):
            if not verdicts[i] and block.words <= tuning.RECURRING_MAX_WORDS and fold(block.text) in self.boilerplate:
                verdicts[i] = "recurring-block"

    def _mark_leading(self, blocks: list[Block], verdicts: list[str | None]) -> None:
        """Before the first line of prose: the title repeated, section labels, bylines and datelines.
        A line of prose is the story's, however it starts ("Published reports say ...")."""
        for i, block in enumerate(blocks):
            if verdicts[i]:
                continue
            if self.title and fold(block.text) == self.title:
                verdicts[i] = "repeated-title"
            elif block.words <= tuning.LABEL_MAX_WORDS and not is_sentence(block.text):
                verdicts[i] = "label-first-line"
            elif block.words <= tuning.BYLINE_MAX_WORDS and is_byline(block.text) and not block.prose:
                verdicts[i] = "byline"
            else:
                return


def _kind(rule: str) -> str:
    return RULE_KINDS[rule].value
