"""Explain mode's account of the page: every visible line the text lacks is named with the stage
that dropped it (``extraction/accounting.py``)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from scrapy import Spider
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from cleanwire.extraction import ExtractionOptions, extract_article
from cleanwire.extraction.accounting import STAGES, WordIndex, visible_lines, words
from cleanwire.extraction.parsing import load_html
from cleanwire.extraction.text import letters
from cleanwire.items import FetchedPage
from cleanwire.pipelines.extract import ExtractionPipeline

EXPLAIN = ExtractionOptions(explain=True)
URL = "https://news.example.test/2026/trams"
STORY = [
    "The city council voted on Tuesday to extend the tram line to the northern suburbs, a plan first proposed a decade ago.",
    "Construction will begin next spring and is expected to take three years, according to the transport department.",
    "Residents of the northern suburbs have long complained about slow buses and crowded roads during the morning rush.",
    "The new line will add seven stops and connect two hospitals, a university campus and the central station.",
]
LEDE = "Our lede sits in a box of its own above the story, where an old template put it long before anyone noticed."
FIXTURES = [*sorted((Path(__file__).parent / "fixtures" / "pages").glob("*.html")),
            *sorted((Path(__file__).parent / "fixtures" / "junk" / "pages").glob("*.html"))[:12]]


def story_page(before: str = "", after: str = "", head: str = "") -> bytes:
    return (f"<html><head><title>Trams reach the north</title>{head}</head><body>"
            "<nav><a href='/'>Home</a> | <a href='/news'>News</a></nav><h1>Trams reach the north</h1>"
            f"{before}<div class='story'>{''.join(f'<p>{p}</p>' for p in STORY)}</div>{after}"
            "<footer>Printed by the Tram Gazette</footer></body></html>").encode()


def named(article_removed: list, text: str) -> tuple[str, str]:
    [removal] = [r for r in article_removed if r.text == text]
    return removal.stage, removal.rule


def test_a_paragraph_outside_trafilaturas_container_is_named() -> None:
    article = extract_article(story_page(before=f"<div class='lead'><p>{LEDE}</p></div>"), URL, EXPLAIN)
    assert LEDE not in article.text
    assert named(article.removed, LEDE) == ("trafilatura", "outside-container")
    assert named(article.removed, "Home | News") == ("trafilatura", "outside-container")
    assert named(article.removed, "Trams reach the north") == ("metadata", "title")


def test_words_dropped_inside_a_kept_paragraph_are_named_alone() -> None:
    """Only the words the text lacks are named, as the page wrote them, not the whole paragraph."""
    page = story_page().replace(b"council voted", b"council <button>Listen now</button> voted")
    article = extract_article(page, URL, EXPLAIN)
    assert STORY[0] in article.text
    assert named(article.removed, "Listen now") == ("trafilatura", "pruned-in-container")


def test_hidden_text_is_named_as_hidden() -> None:
    """A collapsed answer or a tab is on the page until a reader opens it: trafilatura drops it, and says so."""
    page = story_page(after="<div class='faq'><p style='display: none'>The trams run every six minutes at peak hours.</p>"
                      "<p hidden>Tickets cost the same as the bus.</p></div>")
    article = extract_article(page, URL, EXPLAIN)
    assert named(article.removed, "The trams run every six minutes at peak hours.") == ("trafilatura", "hidden")
    assert named(article.removed, "Tickets cost the same as the bus.") == ("trafilatura", "hidden")


def test_a_rule_removal_is_not_named_twice() -> None:
    widget = "<div class='related'><h3>Related stories</h3><a href='/1'>Ten gadgets for your kitchen</a></div>"
    article = extract_article(story_page(after=widget), URL, EXPLAIN)
    taken = [r for r in article.removed if "Ten gadgets" in r.text]
    assert [r.stage for r in taken] == ["rules"]


def test_a_body_replaced_by_the_declared_one_is_named_as_recovery() -> None:
    declared = " ".join(f"Paragraph {i} of the declared story tells the council's plan in words of its own, line after line."
                        for i in range(12))
    teaser = ("A short teaser stands where the story should be, written to make readers click through to the rest of it. "
              "It says little, and says it in three sentences that nobody would call an article, however long they run. "
              "The council, the trams and the northern suburbs are all named, and nothing more is said about any of them.")
    page = (f"<html><head><title>Trams</title><script type='application/ld+json'>"
            f"{json.dumps({'@type': 'NewsArticle', 'headline': 'Trams', 'articleBody': declared})}</script></head>"
            f"<body><article><p>{teaser}</p></article></body></html>").encode()
    article = extract_article(page, URL, EXPLAIN)
    assert article.text.startswith("Paragraph 0")
    assert named(article.removed, teaser) == ("recovery", "declared-body")


def test_without_explain_only_the_rules_are_recorded() -> None:
    article = extract_article(story_page(before=f"<div class='lead'><p>{LEDE}</p></div>"), URL)
    assert all(r.stage == "rules" for r in article.removed)
    assert not any(LEDE in r.text for r in article.removed)


def test_visible_lines_leave_out_what_no_reader_can_see() -> None:
    tree = load_html("<html><head><title>T</title></head><body><div>Menu<p>One <b>bold</b> line<br>and the next</p>"
                     "<script>var x = 1;</script><style>p {}</style><textarea>typed</textarea>"
                     "<span hidden>folded <b>away</b></span>tail</div></body></html>")
    assert tree is not None
    assert [(line.text, line.hidden) for line in visible_lines(tree)] == [
        ("Menu", False), ("One bold line", False), ("and the next", False), ("folded away", True), ("tail", False)]


def test_word_index_holds_words_in_their_context() -> None:
    index = WordIndex(["the tram line runs north", "Share"])
    assert index.held(words("a tram line runs north today")) == [False, True, True, True, True, False]
    assert index.held(words("Share")) == [True]
    assert index.held(words("please share this story now")) == [False] * 5
    assert WordIndex(["Share"], anywhere=True).held(words("please share this story now")) == [False, True, False, False, False]


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_nothing_visible_vanishes_without_a_trace(fixture: Path) -> None:
    """Every word of every visible line is in the text or in a named removal (a removed element's
    text may run two of its lines together: "Jan. 11" and "2,300" read "Jan. 112,300")."""
    html = fixture.read_bytes()
    article = extract_article(html, "https://news.example.test/a", EXPLAIN)
    assert {r.stage for r in article.removed} <= set(STAGES)
    kept, taken = set(words(article.text)), " ".join(letters(r.text) for r in article.removed)
    tree = load_html(html.decode("utf-8"))
    assert tree is not None
    for line in visible_lines(tree):
        assert all(word in kept or word in taken for word in words(line.text)), line.text


def test_a_page_refused_as_too_short_logs_where_its_words_went() -> None:
    """The length floor leaves no item to read ``removed`` in: in explain mode its log line tells
    the words each stage took."""
    crawler = get_crawler(Spider, {"CLEANWIRE_EXPLAIN": True, "CLEANWIRE_EXTRACT_WORKERS": 0})
    pipeline = ExtractionPipeline.from_crawler(crawler)
    menu = "".join(f"<li><a href='/s/{i}'>Section number {i}</a></li>" for i in range(40))
    page = FetchedPage(URL, f"<html><body><ul>{menu}</ul><p>Short.</p></body></html>".encode(), "2026-01-01T00:00:00Z", "url")
    with pytest.raises(DropItem, match=r"no_article_text .*the page's words went to: rules \d+"):
        asyncio.run(pipeline.process_item(page))
    assert crawler.stats is not None
    assert crawler.stats.get_value("cleanwire/skipped/no_article_text") == 1
    assert not [name for name in crawler.stats.get_stats() if name.startswith("cleanwire/junk/")]


def test_a_byline_is_named_as_the_records_authors() -> None:
    article = extract_article(story_page(before="<div class='meta'><span>By Ann Lee</span> | <span>Tram desk</span></div>",
                                         head="<meta name='author' content='Ann Lee'>"), URL, EXPLAIN)
    assert article.authors == ["Ann Lee"]
    assert named(article.removed, "By Ann Lee | Tram desk") == ("metadata", "byline")
