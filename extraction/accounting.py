"""Explain mode's account of a page's text: every visible line the article text does not hold is
named with the stage that dropped it, so that nothing leaves without a trace.

Our rules record what they cut as they cut it (stage ``rules``). The rest is lost around
trafilatura: outside the container it chose or pruned inside it (``trafilatura``), replaced by a
recovery, its recall mode or the page's declared body (``recovery``), or moved to the record's
fields, the headline to ``title`` (``metadata``). The page's lines are read before anything
cleans the tree; once the text is known, each line's words that are in neither the text nor a
rule's removal are named by the first of those stages that explains them. Explain mode only: the
normal path never pays for it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from lxml.etree import iterwalk
from lxml.html import HtmlElement

from .blocks import Block
from .domclean import Removal
from .metadata import Metadata
from .text import letters, readable

STAGES = ("rules", "metadata", "recovery", "trafilatura")
"""Where an extraction drops text, in the order a missing line is explained; the pipeline adds
its page-level refusals (``length-floor``: the whole text was too short to be an article)."""

# Lines of text are separated by these elements (and by <br>); other elements run inline.
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hgroup", "hr", "legend", "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
# Text a reader never sees: code, form values, embedded documents.
_UNSEEN_TAGS = frozenset({"script", "style", "noscript", "template", "head", "select", "textarea", "svg", "math",
                          "iframe", "object", "canvas"})
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden")
_WORD_RE = re.compile(r"\w+")
_SHINGLE = 4
# trafilatura's container: the deepest element holding this share of the words it kept.
_CONTAINER_SHARE = 0.9
# A line this short naming an author ("By Ann Lee | March 3") is the record's byline.
_BYLINE_MAX_WORDS = 12


def words(text: str) -> list[str]:
    """Casefolded words, as the benchmarks' scorer splits a text."""
    return _WORD_RE.findall(text.casefold())


class WordIndex:
    """Which words of a line some texts hold, in their context: a word is held when one of the
    four-word runs around it is in a text (a shorter line must be in a text whole). With
    ``anywhere``, a text shorter than four words also holds its words wherever the line has them:
    a cut "Neil Gaiman" names those words in a truth's sentence."""

    def __init__(self, texts: Iterable[str], anywhere: bool = False) -> None:
        self.runs: set[tuple[str, ...]] = set()
        self.short: set[tuple[str, ...]] = set()
        for text in texts:
            found = words(text)
            if anywhere and len(found) < _SHINGLE:
                self.short.add(tuple(found))
            for n in range(1, _SHINGLE + 1):
                self.runs.update(tuple(found[i:i + n]) for i in range(len(found) - n + 1))

    def held(self, line: Sequence[str]) -> list[bool]:
        if len(line) < _SHINGLE:
            return [tuple(line) in self.runs] * len(line)
        held = [False] * len(line)
        for n in range(1, _SHINGLE + 1):
            runs = self.runs if n == _SHINGLE else self.short
            if runs:
                for i in range(len(line) - n + 1):
                    if tuple(line[i:i + n]) in runs:
                        held[i:i + n] = [True] * n
        return held


class _Text:
    """The extraction's text, and which words of a line it holds: in their four-word context, and
    where a line is held in part, as aligned with the text there (the words around a gap whose
    four-word runs span the gap are still held)."""

    def __init__(self, text: str) -> None:
        self.words = words(text)
        self.index = WordIndex([text])
        self.at: dict[tuple[str, ...], int] = {}
        for i in range(len(self.words) - _SHINGLE + 1):
            self.at.setdefault(tuple(self.words[i:i + _SHINGLE]), i)

    def held(self, line: list[str]) -> list[bool]:
        held = self.index.held(line)
        if all(held) or not any(held) or len(line) < _SHINGLE:
            return held
        anchor = next(self.at[run] - i for i in range(len(line) - _SHINGLE + 1)
                      if (run := tuple(line[i:i + _SHINGLE])) in self.at)
        low = max(0, anchor - _SHINGLE)
        near = self.words[low:anchor + len(line) + _SHINGLE]
        for block in SequenceMatcher(None, line, near, autojunk=False).get_matching_blocks():
            if block.size >= 2:
                held[block.a:block.a + block.size] = [True] * block.size
        return held


@dataclass(frozen=True)
class Line:
    """A run of the page's text between two block boundaries, and the block element it belongs to."""

    element: HtmlElement
    text: str
    hidden: bool = False
    """In an element hidden until a reader opens it (``hidden``, ``display: none``): a collapsed
    answer, a tab; some truths keep them."""


def visible_lines(tree: HtmlElement) -> list[Line]:
    """The page's text a reader sees or can open, line by line, in page order (script, styles and
    form fields left out)."""
    body = tree.find("body")
    lines: list[Line] = []
    owners: list[HtmlElement] = []
    parts: list[str] = []
    unseen = concealed = 0

    def flush() -> None:
        text = " ".join("".join(parts).split())
        parts.clear()
        if text and owners:
            lines.append(Line(owners[-1], readable(text), concealed > 0))

    for event, el in iterwalk(body if body is not None else tree, events=("start", "end")):
        if event == "start":
            if unseen or not isinstance(el.tag, str) or el.tag in _UNSEEN_TAGS:
                unseen += 1
                continue
            if el.tag in _BLOCK_TAGS or _hidden(el):
                flush()
                owners.append(el)
                concealed += _hidden(el)
            parts.append(el.text or "")
            continue
        if unseen:
            unseen -= 1
            if unseen:
                continue
        elif el.tag in _BLOCK_TAGS or _hidden(el):
            flush()
            owners.pop()
            concealed -= _hidden(el)
        parts.append(el.tail or "")
    flush()
    return lines


def _hidden(el: HtmlElement) -> bool:
    return el.get("hidden") is not None or bool(_HIDDEN_STYLE_RE.search(el.get("style") or ""))


class PageAccount:
    """The page's lines as they were before cleaning, and the blocks each recovery replaced."""

    def __init__(self, tree: HtmlElement) -> None:
        self.lines = visible_lines(tree)
        self.replaced: list[tuple[str, WordIndex]] = []

    def replace(self, rule: str, blocks: list[Block]) -> None:
        """A recovery (``rule``) put other blocks in the place of these."""
        self.replaced.append((rule, WordIndex(block.text for block in blocks)))

    def missing(self, text: str, removed: list[Removal], meta: Metadata) -> list[Removal]:
        """A removal for each piece of a line that is neither in the text nor in one of ``removed``."""
        kept = _Text(text)
        cut = WordIndex(removal.text for removal in removed)
        glued = " ".join(letters(removal.text) for removal in removed)
        lines = [(line, found, kept.held(found)) for line in self.lines for found in [words(line.text)]]
        container = _container([(line, sum(in_text)) for line, _, in_text in lines])
        fields = _fields(meta)
        authors = [name for name in (tuple(words(author)) for author in meta.authors) if name]
        result = []
        for line, found, in_text in lines:
            for start, end in _runs([not k for k in in_text]):
                piece = found[start:end]
                in_removal = cut.held(piece)
                for first, last in _runs([not c for c in in_removal]):
                    rest = piece[first:last]
                    # text_of joins a removed element's lines without a space ("RelatedStorm"): its words still
                    if any(in_removal) and len(rest) < _SHINGLE and "".join(rest) in glued:
                        continue
                    rule, stage = self._why(rest, line, container, fields, authors)
                    result.append(Removal(rule, "", _span(line.text, start + first, start + last, rest), stage))
        return result

    def _why(self, piece: list[str], line: Line, container: HtmlElement | None,
             fields: list[tuple[str, WordIndex]], authors: list[tuple[str, ...]]) -> tuple[str, str]:
        for name, index in fields:
            if all(index.held(piece)):
                return name, "metadata"
        if len(piece) <= _BYLINE_MAX_WORDS and any(_holds(piece, name) for name in authors):
            return "byline", "metadata"
        for rule, index in self.replaced:
            if sum(index.held(piece)) * 2 > len(piece):
                return rule, "recovery"
        if line.hidden:
            return "hidden", "trafilatura"
        if container is None:
            return "nothing-found", "trafilatura"
        inside = line.element is container or container in line.element.iterancestors()
        return ("pruned-in-container" if inside else "outside-container"), "trafilatura"


def _fields(meta: Metadata) -> list[tuple[str, WordIndex]]:
    """The record's fields a line of the page can have become."""
    found = [("title", meta.title), ("description", meta.description),
             ("image-caption", meta.image.caption if meta.image else None)]
    return [(name, WordIndex([value])) for name, value in found if value]


def _holds(piece: list[str], name: tuple[str, ...]) -> bool:
    return any(tuple(piece[i:i + len(name)]) == name for i in range(len(piece) - len(name) + 1))


def _container(kept: list[tuple[Line, int]]) -> HtmlElement | None:
    """The element trafilatura took the text from: the deepest holding nearly all the kept words."""
    total = sum(n for _, n in kept)
    if not total:
        return None
    under: Counter[HtmlElement] = Counter()
    depth: dict[HtmlElement, int] = {}
    for line, n in kept:
        if n:
            chain = [line.element, *line.element.iterancestors()]
            for level, el in enumerate(reversed(chain)):
                under[el] += n
                depth[el] = level
    holding = [el for el, n in under.items() if n >= _CONTAINER_SHARE * total]
    # none where kept lines lie in subtrees a rule took out (the declared body brought them back)
    return max(holding, key=depth.__getitem__) if holding else max(under, key=under.__getitem__)


def _runs(flags: list[bool]) -> Iterable[tuple[int, int]]:
    """(start, end) of each run of True."""
    start = None
    for i, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            yield start, i
            start = None


def _span(text: str, start: int, end: int, piece: list[str]) -> str:
    """The text from its ``start``-th word to the end of its ``end - 1``-th, as the page wrote it
    (the words themselves where casefolding split one)."""
    found = list(_WORD_RE.finditer(text))
    if start == 0 and end == len(found):
        return text
    if end > len(found):
        return " ".join(piece)
    return text[found[start].start():found[end - 1].end()]


def words_by_stage(removed: Iterable[Removal]) -> str:
    """The words each stage took, as a refused page's log line tells them: "trafilatura 812, rules 40"."""
    by_stage: Counter[str] = Counter()
    for removal in removed:
        by_stage[removal.stage] += len(words(removal.text))
    return ", ".join(f"{stage} {n}" for stage, n in by_stage.most_common())
