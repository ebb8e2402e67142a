"""Property-based tests of the extractor (hypothesis): whatever the page, it raises nothing but
ExtractionError, and what it returns is valid Unicode drawn only from the page's own text.

Examples are few and derandomized: the same pages on every run, in seconds, on CI as here.
"""

from __future__ import annotations

import html
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleanwire.errors import ExtractionError
from cleanwire.extraction import Extraction, extract_article
from cleanwire.items import article_item

URL = "https://news.example.test/2026/12/02/story.html"
FEW = settings(max_examples=40, deadline=None, derandomize=True, database=None,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# Words in several scripts, with characters that HTML escapes; no mojibake patterns (ftfy would
# rightly change those) and nothing that is not NFC.
WORDS = st.sampled_from([
    "council", "budget", "schools", "vote", "Tuesday", "city", "report", "said", "a", "the", "&", "<b>",
    "café", "Zürich", "déjà", "coûte", "Straße", "東京都", "予算", "北京市", "Москва", "бюджет", "“quoted”",
    "5%", "1,200", "—", "it's",
])
BLOCK_TAGS = ["p", "div", "article", "section", "h1", "h2", "li", "blockquote", "td"]
INLINE_TAGS = ["a", "span", "em", "strong", "b", "i"]
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffd]")


def _escape(words: list[str]) -> str:
    return html.escape(" ".join(words), quote=False)


@st.composite
def inline(draw: st.DrawFn) -> str:
    words = _escape(draw(st.lists(WORDS, min_size=1, max_size=12)))
    tag = draw(st.sampled_from([None, *INLINE_TAGS]))
    return words if tag is None else f"<{tag}>{words}</{tag}>"


def block(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(lambda tag, parts: f"<{tag}>{' '.join(parts)}</{tag}>",
                     st.sampled_from(BLOCK_TAGS), st.lists(children, min_size=1, max_size=6))


TREES = st.recursive(inline(), block, max_leaves=60)
SCRIPTS = st.sampled_from(["", "<script>var secretScriptWord = 1;</script>", "<style>.zzstyle{color:red}</style>"])


@st.composite
def pages(draw: st.DrawFn) -> tuple[str, str]:
    """(page, its text): a random tree in a random frame, and the text of its text nodes."""
    body = "".join(draw(st.lists(TREES, min_size=1, max_size=8)))
    title = _escape(draw(st.lists(WORDS, min_size=1, max_size=6)))
    frame = draw(st.sampled_from([
        "<!DOCTYPE html><html><head>{meta}<title>{title}</title>{script}</head><body>{body}</body></html>",
        "<html><body>{script}<main>{body}</main></body></html>",
        "{body}",  # a fragment: no html, head or body element
    ]))
    page = frame.format(meta="{meta}", title=title, script=draw(SCRIPTS), body=body)
    return page, html.unescape(re.sub(r"<script>.*?</script>|<style>.*?</style>|<[^>]+>", " ", page))


def _drawn_from(text: str, page_text: str) -> bool:
    """Every word of ``text`` occurs in the page's text (spaces aside: inline tags join words)."""
    haystack = re.sub(r"\s+", "", page_text)
    return all(word in haystack for word in text.split())


def _valid(extraction: Extraction) -> None:
    extraction.text.encode("utf-8")  # no lone surrogates
    record = article_item(extraction, URL, "2026-12-02T10:00:00+00:00", "url")
    for field in ("text", "title", "description", "site_name"):
        assert not _UNPRINTABLE.search(record[field] or ""), (field, record[field])


@FEW
@given(st.one_of(st.binary(max_size=4000), st.binary(max_size=4000).map(lambda b: b"<html><body>" + b)))
def test_random_bytes_raise_nothing_but_extraction_error(body: bytes) -> None:
    try:
        extraction = extract_article(body, URL)
    except ExtractionError:
        return
    _valid(extraction)


@FEW
@given(pages())
def test_random_trees_give_only_the_page_s_own_text(page: tuple[str, str]) -> None:
    source, page_text = page
    try:
        extraction = extract_article(source.replace("{meta}", '<meta charset="utf-8">').encode("utf-8"), URL)
    except ExtractionError:  # the documented refusal: a bare fragment of text is no HTML tree
        assert "<html" not in source
        return
    _valid(extraction)
    assert _drawn_from(extraction.text, page_text), extraction.text
    assert "secretScriptWord" not in extraction.text and "zzstyle" not in extraction.text


ENCODINGS = ["utf-8", "utf-16", "cp1252", "iso-8859-1", "shift_jis", "gb18030", "euc-kr", "koi8-r", "cp1251"]


@FEW
@given(pages(), st.sampled_from(ENCODINGS), st.booleans())
def test_random_encodings_decode_to_valid_text(page: tuple[str, str], encoding: str, declared: bool) -> None:
    """Declared, the page's text comes out as written; undeclared, the guess may be wrong, but
    what comes out is still valid Unicode without control characters or replacement marks."""
    source, page_text = page
    meta = f'<meta charset="{encoding}">' if declared and encoding != "utf-16" else ""
    try:
        body = source.replace("{meta}", meta).encode(encoding)
    except UnicodeEncodeError:  # words this encoding has no bytes for: as a legacy page would, drop them
        body = source.replace("{meta}", meta).encode(encoding, errors="ignore")
        page_text = page_text.encode(encoding, errors="ignore").decode(encoding)
    try:
        extraction = extract_article(body, URL)
    except ExtractionError:
        return
    _valid(extraction)
    if meta and "<html" in source:
        assert _drawn_from(extraction.text, page_text), (encoding, extraction.text)
