"""The record beyond title and text: Markdown and HTML bodies, and the detected language."""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path
from typing import Any

import pytest
from lxml.html import fragments_fromstring

from cleanwire.extraction import ExtractionOptions, extract_article
from demo.server import DemoServer

from .conftest import ROOT, CrawlResult, read_jsonl, run_crawl
from .test_junk_fixtures import KNOWN_LEAKS

DEMO_TRUTH = read_jsonl(ROOT / "demo" / "truth.jsonl")
JUNK_SET = ROOT / "tests" / "fixtures" / "junk"
JUNK_TRUTH = read_jsonl(JUNK_SET / "truth.jsonl")
BOTH = ExtractionOptions(body_formats=frozenset({"markdown", "html"}))
HTML_TAGS = {"h2", "h3", "h4", "h5", "h6", "p", "blockquote", "ul", "ol", "li", "table", "tr", "td", "pre", "code"}
RECORD_FIELDS = ("description", "modified", "image", "section", "tags", "paywalled")
_MARKDOWN_MARKER_RE = re.compile(r"^(?:#{1,6} |> |- |\d+\. )", re.MULTILINE)
_WORD_RE = re.compile(r"\w+")


def words(text: str) -> list[str]:
    return _WORD_RE.findall(text)


def markdown_words(markdown: str) -> list[str]:
    """The words of a Markdown body: its block markers are markup (an ordered list's "1."), not words."""
    return words(_MARKDOWN_MARKER_RE.sub("", markdown))


def html_words(html: str) -> list[str]:
    return words(" ".join(" ".join(el.itertext()) for el in fragments_fromstring(html)))


def html_tags(html: str) -> tuple[set[str], set[str]]:
    """Every tag and every attribute name in an HTML fragment."""
    elements = [el for top in fragments_fromstring(html) for el in top.iter()]
    return {str(el.tag) for el in elements}, {name for el in elements for name in el.attrib}


def assert_same_article(item: dict[str, Any]) -> None:
    assert markdown_words(item["markdown"]) == words(item["text"])
    assert html_words(item["html"]) == words(item["text"])
    tags, attributes = html_tags(item["html"])
    assert tags <= HTML_TAGS and not attributes


@pytest.fixture(scope="module")
def formats_crawl(demo_server: DemoServer, tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    workdir = tmp_path_factory.mktemp("formats-crawl")
    urls = workdir / "urls.txt"
    urls.write_text("".join(t["url"].replace("__BASE__", demo_server.base_url) + "\n" for t in DEMO_TRUTH))
    return run_crawl("-a", f"urls_file={urls}", "-O", str(workdir / "out.jsonl"),
                     "-s", "CLEANWIRE_BODY_FORMATS=text,markdown,html", workdir=workdir)


def test_body_formats_setting_adds_both_bodies_word_identical_to_text(formats_crawl: CrawlResult) -> None:
    assert len(formats_crawl.items) == len(DEMO_TRUTH)
    assert formats_crawl.stat("cleanwire/skipped/invalid_item") == 0
    for item in formats_crawl.items:
        assert_same_article(item)


def test_markdown_marks_the_demo_subheadings(formats_crawl: CrawlResult, demo_server: DemoServer) -> None:
    by_canonical = {item["canonical_url"]: item for item in formats_crawl.items}
    checked = 0
    for truth in DEMO_TRUTH:
        item = by_canonical[truth["canonical"].replace("__BASE__", demo_server.base_url)]
        paragraphs = item["markdown"].split("\n\n")
        for item_text in (i for i in json.loads((ROOT / "demo" / "content" / truth["template"]
                                                / f"{Path(truth['path']).stem}.json").read_text())["body"]
                          if i.startswith("## ")):
            assert f"## {item_text[3:]}" in paragraphs
            assert f"<h2>{escape(item_text[3:])}</h2>" in item["html"]
            checked += 1
    assert checked


@pytest.mark.parametrize("truth", JUNK_TRUTH, ids=[t["id"] for t in JUNK_TRUTH])
def test_junk_fixture_bodies_hold_the_text_and_no_junk(truth: dict[str, Any]) -> None:
    extraction = extract_article((JUNK_SET / "pages" / f"{truth['id']}.html").read_bytes(), truth["url"], BOTH)
    assert_same_article({"text": extraction.text, **extraction.bodies})
    folded = {name: " ".join(body.split()) for name, body in extraction.bodies.items()}
    # junk leaks through no format (markup may split a line, words may not), the known leaks aside
    for line in set(truth["without"]) - set(KNOWN_LEAKS.get(truth["id"], [])):
        assert " ".join(words(line)) not in " ".join(markdown_words(extraction.bodies["markdown"])), line
        assert " ".join(line.split()) not in folded["html"], line


@pytest.mark.parametrize("truth", JUNK_TRUTH, ids=[t["id"] for t in JUNK_TRUTH])
def test_junk_fixture_record_fields_are_right(truth: dict[str, Any]) -> None:
    extraction = extract_article((JUNK_SET / "pages" / f"{truth['id']}.html").read_bytes(), truth["url"])
    image = extraction.image and {"url": extraction.image.url, "caption": extraction.image.caption}
    assert (extraction.description, extraction.modified, image, extraction.section, extraction.tags,
            extraction.paywalled) == tuple(truth[f] for f in RECORD_FIELDS)


def test_lists_quotes_headings_and_tables_keep_their_shape() -> None:
    page = (b"<html lang='en'><body><article><h1>Harbour plan</h1>"
            b"<p>The harbour board has approved a plan to rebuild the north quay over the next three years, "
            b"with work starting in the spring.</p><h3>What changes</h3>"
            b"<ul><li>A new ferry berth for the island service</li><li>Wider quays for the fish market</li></ul>"
            b"<ol><li>Dredging the basin first</li><li>Then rebuilding the sea wall</li></ol>"
            b"<blockquote><p>It is the biggest change to the harbour in a century, said the chair.</p></blockquote>"
            b"<table><tr><td>Phase</td><td>Cost</td></tr><tr><td>Quay</td><td>4m</td></tr></table>"
            b"<pre><code>quay = rebuild(2025)\nberth = open(2027)</code></pre>"
            b"<p>The board will publish the final designs in January, after a public consultation that ends "
            b"in December, and expects <script>track()</script>the first ships to use the new berth in 2027.</p>"
            b"</article></body></html>")
    extraction = extract_article(page, "https://harbour.example.test/plan", BOTH)
    markdown, html = extraction.bodies["markdown"], extraction.bodies["html"]
    assert "### What changes" in markdown and "<h3>What changes</h3>" in html
    assert "- A new ferry berth for the island service\n- Wider quays for the fish market" in markdown
    assert "1. Dredging the basin first\n1. Then rebuilding the sea wall" in markdown
    assert "<ol><li>Dredging the basin first</li><li>Then rebuilding the sea wall</li></ol>" in html
    assert "> It is the biggest change" in markdown and "<blockquote><p>It is the biggest" in html
    assert "```\nquay = rebuild(2025)\nberth = open(2027)\n```" in markdown
    assert "<pre><code>quay = rebuild(2025)\nberth = open(2027)</code></pre>" in html
    assert "| Phase | Cost |\n|---|---|\n| Quay | 4m |" in markdown
    assert "track" not in html and "script" not in html
    assert_same_article({"text": extraction.text, **extraction.bodies})


def test_markdown_escapes_what_would_turn_words_into_markup() -> None:
    page = (b"<html lang='en'><body><article><h1>Odd lines</h1>"
            b"<p># not a heading but a paragraph that starts with a hash sign, as some tweets quoted in stories do.</p>"
            b"<p>1. This line is a sentence that begins with a number and a full stop, not a numbered list.</p>"
            b"<p>Prices rose by *nearly* a third, the [report] says, and <b>nobody</b> saw it coming this year.</p>"
            b"</article></body></html>")
    markdown = extract_article(page, "https://odd.example.test/a", BOTH).bodies["markdown"]
    assert "\\# not a heading" in markdown
    assert "1\\. This line" in markdown
    assert "\\*nearly\\*" in markdown and "\\[report\\]" in markdown


def test_an_unknown_body_format_stops_the_run_with_one_line(tmp_path: Path) -> None:
    result = run_crawl("-a", "url=http://127.0.0.1:9/x", "-O", str(tmp_path / "o.jsonl"),
                       "-s", "CLEANWIRE_BODY_FORMATS=text,pdf", workdir=tmp_path, check=False)
    assert result.returncode == 2
    assert "CLEANWIRE_BODY_FORMATS=text,pdf: takes format names, comma-separated (text, markdown, html)" in result.stderr
    assert "Traceback" not in result.stderr


def test_language_is_detected_where_the_page_declares_none_and_a_contradiction_is_logged(
        copy_server: DemoServer, site_copy: Path, tmp_path: Path) -> None:
    german = next(t for t in DEMO_TRUTH if t["language"] == "de")
    japanese = next(t for t in DEMO_TRUTH if t["language"] == "ja")
    pages = {}
    for name, truth, lang in (("undeclared", german, ""), ("mislabelled", japanese, ' lang="en"')):
        html = (site_copy / truth["path"].lstrip("/")).read_text(encoding="utf-8")
        html = re.sub(r'"inLanguage": "\w+", ', "", re.sub(r'<html lang="\w+">', f"<html{lang}>", html))
        (site_copy / f"{name}.html").write_text(html.replace(truth["path"], f"/{name}.html"), encoding="utf-8")
        pages[name] = f"{copy_server.base_url}/{name}.html"
    out = tmp_path / "out.jsonl"
    result = run_crawl("-a", f"url={pages['undeclared']},{pages['mislabelled']}", "-O", str(out),
                       "-s", "CLEANWIRE_EXPLAIN=1", workdir=tmp_path)
    by_url = {item["url"]: item for item in read_jsonl(out)}
    assert by_url[pages["undeclared"]]["language"] == "de"
    assert by_url[pages["undeclared"]]["sources"]["language"] == "detected"
    assert by_url[pages["mislabelled"]]["language"] == "en"  # the declaration is kept ...
    assert f"declared language 'en' of {pages['mislabelled']} kept, but its text reads as 'ja'" in result.stderr
    assert result.stat("cleanwire/language/contradicted") == 1  # ... and reported
