"""Orchestration: metadata, layout tables, DOM cleaning, trafilatura, recovery of what it dropped,
block filtering, in that order."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, fields, replace

from lxml.html import HtmlElement
from trafilatura import bare_extraction
from trafilatura.settings import Document

from cleanwire.errors import ExtractionError

from . import tuning
from .accounting import PageAccount
from .blocks import Block, BlockFilter, blocks_from_body
from .chunks import with_sibling_chunks
from .decoding import page_text
from .domclean import DomCleaner, Removal, text_of
from .fingerprint import Fingerprint, fingerprint
from .formats import render_bodies
from .gaps import with_gap_structure
from .language import detect_language
from .layout import unwrap_layout_tables
from .metadata import Metadata, article_object, read_metadata
from .parsing import load_html
from .rules import JunkKind
from .siterules import extract_with_rules
from .text import letters, readable, unescaped, word_count

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExtractionOptions:
    """Everything besides the page that decides the result."""

    favor_precision: bool = False
    """trafilatura's precision mode. Off by default: over all dev sets together its balanced mode
    wins under our rules (wcxb_dev F1 0.945 against 0.939, scrapinghub 0.978 against 0.980, junk 1.000 both): on
    unseen pages precision mode cuts real paragraphs, and empties 1.5% of them."""
    include_tables: bool = True
    clean_junk: bool = True
    """False gives trafilatura's text with our metadata: the baseline, for comparisons."""
    boilerplate: frozenset[str] = frozenset()
    """Folded lines known to recur on this host's pages (template learning); removed if found."""
    fingerprint: bool = False
    """Also fingerprint the text, to find syndicated copies (done here, so in the workers)."""
    body_formats: frozenset[str] = frozenset()
    """Bodies to render besides text: "markdown", "html" (``formats.py``)."""
    site_rules: tuple[str, ...] = ()
    """Folders of site-config files (``CLEANWIRE_SITE_RULES``, ``siterules.py``), the user's first."""
    explain: bool = False
    """Also name, in ``removed``, the stage that dropped each visible line no rule took (``accounting.py``)."""


@dataclass
class Extraction(Metadata):
    """The article found in a page: the page's metadata, its text, and what was removed and why."""

    text: str = ""
    removed: list[Removal] = field(default_factory=list)
    fingerprint: Fingerprint | None = None
    """With ``ExtractionOptions.fingerprint``: the text's, None for a text too short to tell."""
    detected_language: str | None = None
    """The text's language as py3langid finds it; ``language`` is the declared one when there is one."""
    word_count: int = 0
    """Words of text (``text.word_count``: a CJK script has no spaces, two characters count as a word)."""
    bodies: dict[str, str] = field(default_factory=dict)
    """The article in the formats asked for besides text ("markdown", "html"), from the same blocks."""
    site_rules: str | None = None
    """The site-config file that matched the page (``siterules.py``), None where none did."""
    site_rules_fell_back: bool = False
    """That file's rules found much less than the generic path, whose text was kept."""
    refused: str | None = None
    """Why the page holds no article although text was found in it: "only_links" (its text is
    the words of its links, run together: an index or a link farm, whatever its size)."""


DEFAULT_OPTIONS = ExtractionOptions()
# A line of script, not of text, opening or closing a block ("if (...) {", "});", "}").
_SCRIPT_BLOCK_RE = re.compile(r"[{}]\)*;?$")


def extract_article(body: bytes, url: str, options: ExtractionOptions = DEFAULT_OPTIONS) -> Extraction:
    """The article of one page. Raises ExtractionError when the bytes are not an HTML tree."""
    if options.site_rules:
        return extract_with_rules(body, url, options, extract_article)
    tree = load_html(page_text(body))
    if tree is None:
        raise ExtractionError(f"no HTML tree in {len(body)} bytes")
    account = PageAccount(tree) if options.explain else None
    meta = read_metadata(tree, url)
    declared = _declared_body(tree) if b"articleBody" in body else []
    removed: list[Removal] = []
    paragraph_chars = 0
    if options.clean_junk:
        unwrap_layout_tables(tree)
        cleaner = DomCleaner(tree, meta.description, (url, meta.canonical_url))
        removed += cleaner.clean()
        paragraph_chars = cleaner.paragraph_chars
    blocks = _trafilatura_blocks(tree, url, options)
    found = sum(len(block.text) for block in blocks)
    if options.clean_junk and (found < tuning.MIN_ARTICLE_CHARS or found * tuning.RECALL_FALLBACK_RATIO < paragraph_chars):
        # balanced mode found (nearly) nothing, or a fraction of the page's paragraphs: its recall
        # mode often finds the story it pruned
        recalled = _trafilatura_blocks(tree, url, options, favor_recall=True)
        if sum(len(block.text) for block in recalled) > found:
            if account is not None:
                account.replace("recall-mode", blocks)
            blocks = recalled
    if _lost_the_body(blocks, declared):
        if account is not None:
            account.replace("declared-body", blocks)
        blocks = declared
    if options.clean_junk:
        blocks = with_gap_structure(tree, with_sibling_chunks(tree, blocks))
    # after chunks and gaps, which match these blocks against the tree's own text; a clean block
    # is kept as it is (readable returns the very string)
    blocks = [b if (shown := readable(b.text)) is b.text else replace(b, text=shown) for b in blocks]
    if options.clean_junk:
        block_filter = BlockFilter(meta.title, options.boilerplate)
        blocks = block_filter.filter(blocks)
        removed += block_filter.removed
    refused = None
    if _only_links(tree, blocks):
        refused = "only_links"
        removed += [Removal("only-links", JunkKind.PAGE_FURNITURE.value, block.text) for block in blocks]
        blocks = []
    text = "\n\n".join(block.text for block in blocks)
    if account is not None:
        removed += account.missing(text, removed, meta)
    detected = detect_language(text)
    if detected and not meta.language:
        meta.language = detected
        meta.sources["language"] = "detected"
    return Extraction(
        **{f.name: getattr(meta, f.name) for f in fields(Metadata)},
        text=text,
        removed=removed,
        fingerprint=fingerprint(text) if options.fingerprint else None,
        detected_language=detected,
        word_count=word_count(text),
        bodies=render_bodies(blocks, options.body_formats),
        refused=refused,
    )


def _trafilatura_blocks(tree: HtmlElement, url: str, options: ExtractionOptions, favor_recall: bool = False) -> list[Block]:
    """trafilatura's main text of the (already cleaned) tree, as blocks."""
    document = bare_extraction(
        tree, url=url, include_comments=False, include_tables=options.include_tables,
        favor_precision=options.favor_precision and not favor_recall, favor_recall=favor_recall, with_metadata=False,
    )
    return blocks_from_body(document.body) if isinstance(document, Document) and document.body is not None else []


def _declared_body(tree: HtmlElement) -> list[Block]:
    """The article's text as its JSON-LD states it (``articleBody``), one block a line, without
    the script some CMSs leave in it; none where it is missing or is markup rather than text."""
    text = article_object(tree).get("articleBody")
    if not isinstance(text, str) or "</" in (text := unescaped(text)):
        return []
    lines = (" ".join(raw.split()) for raw in text.split("\n"))
    return [Block("p", line) for line in _without_script([line for line in lines if line])]


def _without_script(lines: list[str]) -> list[str]:
    """The lines outside any script block: from a line that opens one ("if (...) {") to the line
    that closes it, all go."""
    kept, depth = [], 0
    for line in lines:
        if depth or _SCRIPT_BLOCK_RE.search(line):
            depth = max(0, depth + line.count("{") - line.count("}"))
        else:
            kept.append(line)
    return kept


def _lost_the_body(blocks: list[Block], declared: list[Block]) -> bool:
    """trafilatura kept much less than the page says its article is: it chose the wrong part."""
    declared_words = sum(b.words for b in declared)
    return declared_words >= tuning.DECLARED_BODY_MIN_WORDS and \
        declared_words >= tuning.DECLARED_BODY_MIN_RATIO * sum(b.words for b in blocks)


def _only_links(tree: HtmlElement, blocks: list[Block]) -> bool:
    """The text is (nearly) all runs of the page's link texts: a page of links, not an article,
    however long. A story's prose is not linked; a teaser or a menu is."""
    total = sum(len(block.text) for block in blocks)
    if not total:
        return False
    linked = "".join(letters(text_of(a)) for a in tree.iter("a"))
    if not linked:
        return False
    in_links = sum(len(block.text) for block in blocks if (key := letters(block.text)) and key in linked)
    return in_links >= tuning.LINK_PAGE_MIN_SHARE * total
