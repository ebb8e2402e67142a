"""The pure extractor on small pages: the seed's junk, look-alikes that must stay, metadata."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from lxml.html import tostring
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler
from trafilatura.utils import load_html as trafilatura_load_html

from cleanwire.errors import ExtractionError
from cleanwire.extraction import ExtractionOptions, extract_article
from cleanwire.extraction.blocks import Block
from cleanwire.extraction.gaps import with_gap_structure
from cleanwire.extraction.layout import unwrap_layout_tables
from cleanwire.extraction.parsing import load_html
from cleanwire.extraction.rules import ATTRIBUTE_RULES, RULE_KINDS, phrase_rule_for
from cleanwire.items import FetchedPage
from cleanwire.pipelines.extract import ExtractionPipeline

FIXTURES = Path(__file__).parent / "fixtures" / "pages"
SEED_JUNK = [
    "World",
    "Russia says nuclear powers are ‘on the brink of a direct armed conflict’ – latest updates",
    "More on North Korea",
    "Please use Chrome browser for a more accessible video player",
    "Is Russia running out of weapons?",
    "Products You May Like",
    "Articles You May Like",
    "Church information for Jan. 11",
    "Tom Holland’s Dad Shared Sweet Details",
]


def page(body: str, lang: str = "en", head: str = "") -> bytes:
    return f'<html lang="{lang}"><head><title>T</title>{head}</head><body><article>{body}</article></body></html>'.encode()


PROSE = [
    "The city council voted on Tuesday to expand the tram network by twelve kilometres, a plan that has been debated for nearly a decade.",
    "Supporters say the new lines will cut car traffic in the northern districts, where commuters now spend almost an hour a day in queues.",
    "Opponents argued that the cost, estimated at four hundred million euros, would force cuts to other services over the next five years.",
    "Construction is due to begin next spring, and the first trams are expected to run on the extended lines before the end of 2028.",
]


def test_seed_article_comes_out_without_its_junk() -> None:
    article = extract_article((FIXTURES / "aggregator-seed.html").read_bytes(), "https://digest.example.test/x")
    lines = article.text.split("\n\n")
    for junk in SEED_JUNK:
        assert not any(line.startswith(junk) or line == junk for line in lines), junk
    assert lines[0].startswith("The White House has accused North Korea")
    assert "White House downplays significance" in lines  # subheadings stay, as their own paragraphs
    assert "North Korea accuses US of ‘tarnishing’ its reputation" in lines
    assert lines[-1].startswith("It went on to warn the US")
    assert len(lines) == 12  # the ten paragraphs and two subheadings of the article


def test_seed_metadata_comes_from_the_page_statements() -> None:
    article = extract_article((FIXTURES / "aggregator-seed.html").read_bytes(), "https://digest.example.test/x")
    assert article.title == "North Korea ‘covertly supplying’ ammunition to Russia to sustain war effort – White House"
    assert article.authors == ["Hannah Ellis"]
    assert article.published == "2022-11-02T21:14:00+00:00"
    assert article.language == "en"
    assert article.canonical_url == "https://digest.example.test/world/north-korea-ammunition-russia"
    assert article.site_name == "Daily Digest"


def test_every_removal_is_explained_with_a_known_rule() -> None:
    article = extract_article((FIXTURES / "aggregator-seed.html").read_bytes(), "https://digest.example.test/x")
    assert article.removed
    for removal in article.removed:
        assert removal.rule in RULE_KINDS
        assert removal.kind == RULE_KINDS[removal.rule].value
        assert removal.text


@pytest.mark.parametrize("widget", [
    # plain paragraphs inside the container
    "<p>You may also like</p><p><a href='/1'>Ten gadgets for your kitchen</a></p><p><a href='/2'>Why cats sleep so much</a></p>",
    # a separate widget, no telling class
    "<div><h4>Recommended for you</h4><a href='/1'>Ten gadgets for your kitchen</a> <a href='/2'>Why cats sleep so much</a></div>",
    # a list of links
    "<h3>Related stories</h3><ul><li><a href='/1'>Ten gadgets for your kitchen</a></li><li><a href='/2'>Why cats sleep so much</a></li></ul>",
])
def test_recommendation_widget_goes_in_every_shape(widget: str) -> None:
    html = page("<h1>Trams</h1>" + "".join(f"<p>{p}</p>" for p in PROSE[:2]) + widget
                + "".join(f"<p>{p}</p>" for p in PROSE[2:]))
    text = extract_article(html, "https://news.example.test/a").text
    for paragraph in PROSE:
        assert paragraph in text
    assert "kitchen" not in text and "cats" not in text
    assert "like" not in text.lower().split() and "Recommended" not in text and "Related" not in text


def test_look_alikes_inside_the_story_are_kept() -> None:
    one_liner = "It did not."
    quoted = "The campaign slogan read “Trams for everyone, now”, and it was printed on every poster."
    story_list = ("<p>The report lists three sources of funding:</p><ul>"
                  "<li><a href='/eu'>the European cohesion fund</a>, which pays for about half of the works,</li>"
                  "<li><a href='/state'>the regional budget</a>, which covers the rolling stock,</li>"
                  "<li><a href='/city'>a municipal bond</a> that voters approved in 2024.</li></ul>")
    html = page("".join(f"<p>{p}</p>" for p in PROSE[:2]) + f"<p>{one_liner}</p><p>{quoted}</p>" + story_list
                + "".join(f"<p>{p}</p>" for p in PROSE[2:]))
    text = extract_article(html, "https://news.example.test/a").text
    assert one_liner in text
    assert quoted in text
    assert "the European cohesion fund, which pays for about half of the works," in text
    assert "a municipal bond that voters approved in 2024." in text


def test_clean_junk_off_gives_trafilatura_text() -> None:
    raw = extract_article((FIXTURES / "aggregator-seed.html").read_bytes(), "https://x.test/",
                          ExtractionOptions(clean_junk=False))
    assert "Please use Chrome browser for a more accessible video player" in raw.text
    assert raw.removed == []


def test_known_boilerplate_lines_are_removed() -> None:
    html = page("".join(f"<p>{p}</p>" for p in PROSE) + "<p>Reporting was contributed by the city desk team.</p>")
    plain = extract_article(html, "https://news.example.test/a").text
    learned = extract_article(html, "https://news.example.test/a",
                              ExtractionOptions(boilerplate=frozenset({"reporting was contributed by the city desk team"}))).text
    assert "Reporting was contributed by the city desk team." in plain
    assert "Reporting was contributed by the city desk team." not in learned


def test_bytes_that_are_not_html_raise_the_documented_error() -> None:
    with pytest.raises(ExtractionError):
        extract_article(b"", "https://news.example.test/a")


def test_phrase_rules_match_whole_lines_only() -> None:
    def rule_name(line: str, words: int) -> str | None:
        rule = phrase_rule_for(line, words)
        return rule.name if rule is not None else None

    assert rule_name("Products You May Like", 4) == "phrase-you-may-like"
    assert rule_name("Вам может понравиться", 3) == "phrase-you-may-like"
    assert rule_name("More on North Korea", 4) == "phrase-more-on"
    assert phrase_rule_for("Products you may like best are the cheap ones, she said.", 11) is None
    assert phrase_rule_for("Morena Baccarin attended the premiere.", 5) is None  # "more" is not "more on"


@pytest.mark.parametrize(("line", "rule"), [
    ("Advertisement", "phrase-ad-label"),
    ("Anzeige", "phrase-ad-label"),
    ("Book a demo", "phrase-call-to-action"),
    ("Written by Jane Doe", "phrase-byline-credit"),
    ("Next article: Go wins an award", "phrase-post-navigation"),
    ("Was this article helpful?", "phrase-feedback-prompt"),
    ("Advertisement: A new book on cities", "phrase-ad-prefix"),
    ("Help me spread the word about this podcast!", "keyword-share-prompt"),
    ("Purchases made through our links may earn us a commission!", "keyword-affiliate-disclaimer"),
    ("Read our full Pixel 9 review", "phrase-read-more"),
    ("Table of Contents", "phrase-table-of-contents"),
])
def test_furniture_lines_are_named(line: str, rule: str) -> None:
    from cleanwire.extraction.text import word_count

    found = phrase_rule_for(line, word_count(line))
    assert found is not None and found.name == rule


@pytest.mark.parametrize("line", [
    "Advertising agencies face a hard year",  # news about advertising, not an ad label
    "Get started",  # a how-to's subheading
    "Contact us",  # a press release's closing section
    "Written by hand, the letters were kept in a drawer for decades.",
    "Registered voters turned out in record numbers",
    "Page 3 of the report lists the closures",
])
def test_furniture_look_alikes_are_not_named(line: str) -> None:
    from cleanwire.extraction.text import word_count

    assert phrase_rule_for(line, word_count(line)) is None


def test_pagination_lines_are_furniture() -> None:
    from cleanwire.extraction.rules import is_pagination

    assert is_pagination("Page 1 of 8") and is_pagination("Seite 2 von 3")
    assert not is_pagination("Page 1 of 8 lists the closures")


def test_attribute_rules_match_words_of_class_names() -> None:
    rule = {r.name: r for r in ATTRIBUTE_RULES}
    assert rule["attr-recommendation"].matches("related-stories__list")
    assert rule["attr-recommendation"].matches("relatedArticles")
    assert rule["attr-share"].matches("articleShare")
    assert not rule["attr-ad"].matches("shadow header")
    assert not rule["attr-ad"].matches("download-bar")
    assert rule["attr-cta"].matches("post-cta-wrapper")
    assert rule["attr-cta"].matches("contentAdvertiserDisclosure")
    assert not rule["attr-cta"].matches("octagon-card")  # "cta" only as a word of the name
    assert rule["attr-page-furniture"].matches("Article prevnext")
    assert rule["attr-page-furniture"].matches("site-copyright")


def test_a_call_to_action_box_in_the_story_goes_and_the_story_stays() -> None:
    cta = '<div class="post-cta"><h4>Want to win more jobs with less effort?</h4><a href="/demo">Book now</a></div>'
    body = "".join(f"<p>{text}</p>" for text in PROSE[:2]) + cta + "".join(f"<p>{text}</p>" for text in PROSE[2:])
    article = extract_article(page(body), "https://news.example.test/trams", ExtractionOptions())
    assert article.text.split("\n\n") == PROSE
    assert any(r.rule == "attr-cta" for r in article.removed)


def _chunked_page() -> bytes:
    """A story printed as three chunks of one kind with ads between them, and a teaser box
    elsewhere whose paragraphs share the chunks' class."""
    chunk = '<div class="grid"><div class="article-body">{}</div></div>'
    ad = '<div class="grid"><aside class="slot">Sponsored: the best mattress of the year, now on sale.</aside></div>'
    paragraphs = [f"<p>{text}</p>" for text in PROSE]
    teaser = ("<p>Another story entirely about a football club changing its coach after the cup defeat last weekend.</p>"
              "<p>And one more about a bakery that sells bread at night to shift workers across the whole city.</p>")
    return (
        '<html lang="en"><head><title>Trams</title></head><body><main><h1>Trams</h1><div class="chunks">'
        + chunk.format("".join(paragraphs[:2])) + ad + chunk.format(paragraphs[2]) + ad + chunk.format(paragraphs[3])
        + f'</div></main><footer><div class="more"><div class="article-body">{teaser}</div></div></footer></body></html>'
    ).encode()


def test_body_split_into_sibling_chunks_comes_out_whole_and_in_order() -> None:
    text = extract_article(_chunked_page(), "https://news.example.test/trams").text
    assert text.split("\n\n") == PROSE  # the later chunks, in page order; not the ads, not the teasers


def test_baseline_keeps_what_trafilatura_took() -> None:
    """Without our rules the text is trafilatura's: the first chunk only (why chunks exist)."""
    text = extract_article(_chunked_page(), "https://news.example.test/trams",
                           ExtractionOptions(clean_junk=False)).text
    assert PROSE[0] in text and PROSE[3] not in text


def test_structure_between_two_body_paragraphs_is_put_back() -> None:
    """What trafilatura dropped between two paragraphs it took, in their container: a list, a
    subheading and a table (in its scroll box) come back in page order; a related-links list, a
    gallery, a form, a heading boxed alone and whatever lies outside the body's extent do not."""
    items = ["Line 4: from the harbour to the university campus.", "Line 7: from the central station to the new hospital."]
    dropped = (
        '<ul class="related"><li><a href="/a">Council approves the budget for next year</a></li>'
        '<li><a href="/b">Bus drivers strike over pay</a></li></ul>'
        '<ul class="gallery"><li><img src="depot.jpg"> The tram depot at night, seen from the bridge.</li></ul>'
        '<form><h3>Get our newsletter</h3><input name="email"></form>'
        '<div class="box"><h3>Elsewhere on the site</h3></div>'  # a heading left of a widget the DOM rules took
    )
    html = (
        '<html><body><div class="story"><h2>Outside the extent</h2>'
        f'<p>{PROSE[0]}</p><h5>The new lines</h5><ul>{"".join(f"<li>{item}</li>" for item in items)}</ul>'
        f'<p>{PROSE[1]}</p>{dropped}<div class="scroll"><table><tr><th>Line</th><th>Opens</th></tr><tr><td>4</td><td>2028</td></tr></table></div>'
        f'<p>{PROSE[2]}</p><ul><li>After the last paragraph: outside the extent too.</li></ul></div></body></html>'
    )
    tree = load_html(html.encode())
    assert tree is not None
    taken = [Block("p", text) for text in PROSE[:3]]
    recovered = [block.text for block in with_gap_structure(tree, taken)]
    assert recovered == [PROSE[0], "The new lines", *items, PROSE[1], "Line | Opens", "4 | 2028", PROSE[2]]


def test_a_table_taken_cell_by_cell_is_not_put_back_as_rows() -> None:
    """trafilatura sometimes gives a table one line a cell: the table was taken, and its rows
    must not come a second time."""
    cells = ["Amount", "Term", "Rate", "5,000 €", "36 months", "2.0 %"]
    table = "<table><tr><td>Amount</td><td>Term</td><td>Rate</td></tr><tr><td>5,000 €</td><td>36 months</td><td>2.0 %</td></tr></table>"
    tree = load_html(f'<html><body><div class="story"><p>{PROSE[0]}</p>{table}<p>{PROSE[1]}</p></div></body></html>'.encode())
    assert tree is not None
    taken = [Block("p", PROSE[0]), *(Block("div", cell) for cell in cells), Block("p", PROSE[1])]
    assert [block.text for block in with_gap_structure(tree, taken)] == [PROSE[0], *cells, PROSE[1]]


def test_structure_is_not_recovered_without_body_paragraphs_around_it() -> None:
    tree = load_html(f"<html><body><div><ul><li>One item</li></ul><p>{PROSE[0]}</p></div></body></html>".encode())
    assert tree is not None
    assert [block.text for block in with_gap_structure(tree, [Block("p", PROSE[0])])] == [PROSE[0]]


def test_blocks_nested_in_a_list_item_stay_words_apart() -> None:
    """A how-to's steps as list items, each a subheading, a paragraph and a nested list with no
    whitespace between them in the markup: a word boundary between each, never "StepOne"."""
    steps = "".join(
        f"<li><h3>Step {n}</h3><p>{PROSE[n]}</p><ul><li>Note {n}</li></ul></li>" for n in (1, 2)
    )
    html = page(f"<p>{PROSE[0]}</p><ol>{steps}</ol><p>{PROSE[3]}</p>")
    lines = extract_article(html, "https://news.example.test/trams").text.split("\n\n")
    assert f"Step 1 {PROSE[1]} Note 1" in lines and f"Step 2 {PROSE[2]} Note 2" in lines


def test_a_page_laid_out_in_a_table_gives_its_story_line_by_line() -> None:
    """An old template: a navigation column and the story's column in one table, paragraphs
    broken with <br>. The story comes out paragraph by paragraph, without the navigation."""
    story = "<br><br>".join(PROSE[:2]) + '<br><br><i>Related: <a href="/fares">Bus fares to rise</a></i><br><br>' + \
        "<br><br>".join(PROSE[2:])
    html = (
        '<html><head><title>Tram plan approved</title></head><body><table width="760"><tr>'
        '<td width="150"><font size="1"><a href="/">Home</a><br><a href="/news">News</a><br><a href="/sport">Sport</a></font></td>'
        f'<td><font face="Arial" size="2">{story}</font></td></tr></table></body></html>'
    )
    assert extract_article(html.encode(), "https://news.example.test/1999/03/trams.html").text.split("\n\n") == PROSE


def test_a_data_table_is_not_taken_for_layout() -> None:
    """Header cells state data, however long a cell's note; a short table is data too."""
    note = " ".join(PROSE)
    tree = load_html(
        f"<html><body><table><tr><th>Line</th><th>Note</th></tr><tr><td>4</td><td>{note}</td></tr></table>"
        f"<table><tr><td>4</td><td>2028</td></tr></table><table><tr><td>{note}</td></tr></table></body></html>".encode()
    )
    assert tree is not None
    unwrap_layout_tables(tree)
    assert [el.tag for el in tree.body] == ["table", "table", "div"]


def test_article_after_an_early_closing_html_tag_is_found() -> None:
    """A template whose header partial ends the document: browsers show what follows, libxml2
    would drop it."""
    html = ('<html><head><title>Trams</title></head><body><header><nav><a href="/">Home</a></nav></header>'
            '</body></html>\n<div class="post"><h1>Trams</h1>' + "".join(f"<p>{text}</p>" for text in PROSE) + "</div>")
    assert extract_article(html.encode(), "https://news.example.test/trams").text.split("\n\n") == PROSE


def test_mojibake_the_page_prints_is_undone() -> None:
    """UTF-8 text once read as cp1252 and stored so: valid bytes, broken text."""
    stored = "The mayor said the city doesn’t plan a referendum on the tram extension this year.".encode().decode("cp1252")
    body = "".join(f"<p>{p}</p>" for p in [*PROSE[:2], stored])
    text = extract_article(page(body, head='<meta charset="utf-8">'), "https://news.example.test/trams").text
    assert "doesn’t plan a referendum" in text
    assert "â€" not in text and "Ã" not in text


def test_clean_text_passes_the_mojibake_repair_unchanged() -> None:
    body = "<p>São Paulo’s mayor — “a city of 12 million” — spoke in Portuguese: «Não há pressa», he said to the crowd of thousands.</p>"
    text = extract_article(page(body * 3, lang="pt"), "https://news.example.test/sp").text
    assert text.split("\n\n")[0] == "São Paulo’s mayor — “a city of 12 million” — spoke in Portuguese: «Não há pressa», he said to the crowd of thousands."


def test_links_of_a_sentence_after_an_inline_image_are_not_its_caption() -> None:
    """An image floated inside a paragraph, the sentence running on with its links: the links
    are words of the sentence. A credit under a figure still goes."""
    sentence = ('<p><a href="/vote"><img src="/map.png" alt=""></a>At the <a href="https://award.example.test">Content Award</a>, '
                'run by the <a href="https://agency.example.test">city technology agency</a> for the local media scene, '
                "the public votes for the first time on projects built on open data.</p>")
    credit = '<div class="media"><img src="/tram.jpg"><span>The depot at night</span> | <span>City Archive</span></div>'
    found = extract_article(page(sentence + credit + "".join(f"<p>{p}</p>" for p in PROSE)), "https://news.example.test/vote")
    assert found.text.split("\n\n")[0] == ("At the Content Award, run by the city technology agency for the local media "
                                            "scene, the public votes for the first time on projects built on open data.")
    assert [(r.rule, r.text) for r in found.removed if r.rule == "image-caption"] == [
        ("image-caption", "The depot at night"), ("image-caption", "City Archive")]


def test_text_and_title_come_without_invisible_marks_and_composed() -> None:
    """Hyphenation plugins put a soft hyphen in every long word (raw or as ``&shy;``), some CMSs
    store "ü" as "u" and a combining diaeresis: a reader of the text must get the words whole,
    and the same word as the same characters."""
    hyphenated = "Die Stadt\u00adverwaltung plant eine Er&shy;wei&shy;te&shy;rung des Straßen\u200bbahn\u00adnetzes fu\u0308r 2028."
    body = "".join(f"<p>{p}</p>" for p in [hyphenated, *PROSE[:2]])
    title = "<meta property='og:title' content='Straßen\u00adbahn fu\u0308r alle'>"
    found = extract_article(page(body, lang="de", head=title), "https://news.example.test/tram")
    assert found.text.split("\n\n")[0] == "Die Stadtverwaltung plant eine Erweiterung des Straßenbahnnetzes für 2028."
    assert found.title == "Straßenbahn für alle"


def test_declared_body_comes_out_as_text_without_entities_or_script() -> None:
    """A CMS's JSON-LD ``articleBody`` escaped as HTML, with the ad script of the page pasted in;
    trafilatura finds only its first two paragraphs, so the declared body is the article."""
    paragraphs = [p.replace("a plan", "a pl&atilde;o").replace("’", "&rsquo;") for p in PROSE] * 3
    paragraphs[1] += " The plan is online at https://city.example.test/plan?id=3&section=2&copy=1 for all."
    script = ["if (document.cookie.indexOf('X') == -1) {", "googletag.cmd.push(function() { googletag.display('ad-1'); });",
              "googletag.display('ad-2');", "}"]
    declared = "\n".join([*paragraphs[:4], *script, *paragraphs[4:]])
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Trams", "articleBody": declared})
    html = (f'<html><head><title>Trams</title><script type="application/ld+json">{ld}</script></head>'
            f"<body><article><p>{PROSE[0]}</p><p>{PROSE[1]}</p></article></body></html>")
    text = extract_article(html.encode(), "https://news.example.test/trams").text
    assert "a plão that has been debated" in text and "?id=3&section=2&copy=1 for all" in text
    assert "&rsquo;" not in text and "googletag" not in text and "{" not in text and "}" not in text
    assert len(text.split("\n\n")) == len(paragraphs)


@pytest.mark.parametrize("body", [
    *(path.read_bytes() for path in sorted((FIXTURES.parent / "junk" / "pages").glob("*.html"))[::9]),
    "<html><head><meta charset='iso-8859-1'></head><body><p>Caf\xe9 cr\xe8me</p></body></html>".encode("latin-1"),
    b'<?xml version="1.0" encoding="utf-8"?><html><body><form><input value="x"><p>A form.</p></form></body></html>',
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"just some text, no markup", b"",
])
def test_own_parser_gives_trafilaturas_tree(body: bytes) -> None:
    """The extractor parses with element classes looked up in C (``parsing.py``): the tree, or its
    absence, is the one ``trafilatura.utils.load_html`` gives."""
    ours, theirs = load_html(body), trafilatura_load_html(body)
    assert (ours is None) == (theirs is None)
    if ours is not None and theirs is not None:
        assert tostring(ours) == tostring(theirs)


@pytest.mark.parametrize("links", [
    "".join(f"<a>link {n}</a>" for n in range(5000)),  # bare anchors run together: one 48,000-character line
    "<p>" + " ".join(f'<a href="/p/{n}.html">entry {n}</a>' for n in range(3000)) + "</p>",
    "<ul>" + "".join(f'<li><a href="/p/{n}.html">An invented headline, number {n}</a></li>' for n in range(200)) + "</ul>",
    "<div>" + "<br>".join(f'<a href="/a/{n}">The archive of an invented weekly, issue {n}</a>' for n in range(100)) + "</div>",
])
def test_a_page_that_is_only_links_is_refused_whatever_its_size(links: str) -> None:
    article = extract_article(f"<html><head><title>Index</title></head><body>{links}</body></html>".encode(),
                              "https://example.com/index")
    assert article.refused == "only_links"
    assert article.text == "" and article.word_count == 0
    assert "only-links" in {removal.rule for removal in article.removed}


def test_a_story_whose_sentences_carry_links_is_not_refused() -> None:
    linked = [f'<p><a href="/topic/{n}">{p.split(",")[0]}</a>,{",".join(p.split(",")[1:])}</p>' if "," in p
              else f"<p>{p}</p>" for n, p in enumerate(PROSE)]
    article = extract_article(page("<h1>Tram network grows</h1>" + "".join(linked)), "https://example.com/story")
    assert article.refused is None
    assert PROSE[-1] in article.text


def test_the_pipeline_skips_a_page_of_links_with_its_reason_and_stat() -> None:
    crawler = get_crawler(settings_dict={"CLEANWIRE_EXTRACT_WORKERS": 0})
    pipeline = ExtractionPipeline.from_crawler(crawler)
    links = "".join(f"<a>link {n}</a>" for n in range(5000)).encode()
    fetched = FetchedPage("https://example.com/links", b"<html><body>" + links + b"</body></html>",
                          "2026-01-01T00:00:00Z", "url")
    with pytest.raises(DropItem, match="only_links"):
        asyncio.run(pipeline.process_item(fetched))
    assert crawler.stats is not None
    assert crawler.stats.get_value("cleanwire/skipped/only_links") == 1
    assert crawler.stats.get_value("cleanwire/skipped/no_article_text") is None


def test_a_first_paragraph_that_starts_like_a_byline_is_kept() -> None:
    lede = "Published reports say the harbour authority is weighing a second ferry terminal on the northern quay next year."
    article = extract_article(page(f"<h1>Harbour plans</h1><p>By Ann Example, 3 May 2024</p><p>{lede}</p>"
                                   + "".join(f"<p>{p}</p>" for p in PROSE)), "https://example.com/harbour")
    assert article.text.startswith(lede)
    assert "Ann Example" not in article.text


@pytest.mark.parametrize("named", [True, False])
def test_a_short_post_that_names_its_author_is_not_refused_for_its_length(named: bool) -> None:
    crawler = get_crawler(settings_dict={"CLEANWIRE_EXTRACT_WORKERS": 0})
    pipeline = ExtractionPipeline.from_crawler(crawler)
    head = "<meta name='author' content='Ann Example'>" if named else ""
    byline = "<p class='byline'>By Ann Example</p>" if named else ""
    body = (f"<html><head><title>Ferry timetable</title>{head}</head><body><article><h1>Ferry timetable</h1>"
            f"{byline}<p>The winter ferry timetable starts on Monday.</p></article></body></html>")
    fetched = FetchedPage("https://example.com/ferry", body.encode(), "2026-01-01T00:00:00Z", "url")
    assert crawler.stats is not None
    if named:
        item = asyncio.run(pipeline.process_item(fetched))
        assert item["text"] == "The winter ferry timetable starts on Monday." and item["authors"] == ["Ann Example"]
        assert crawler.stats.get_value("cleanwire/skipped/no_article_text") is None
    else:
        with pytest.raises(DropItem, match="no_article_text"):
            asyncio.run(pipeline.process_item(fetched))
        assert crawler.stats.get_value("cleanwire/skipped/no_article_text") == 1
