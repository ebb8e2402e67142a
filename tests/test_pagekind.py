"""Site crawls take articles and nothing else: the page-kind classifier alone, and in real crawls."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from lxml.html import HtmlElement, document_fromstring

from cleanwire.extraction.pagekind import ARTICLE_MIN_SCORE, SIGNALS, classify, features
from demo.articles import Article, load_articles
from demo.nonarticles import load_pages
from demo.server import DemoServer
from demo.templates import herald

from .conftest import DEMO_SITE, read_jsonl, run_crawl

NONARTICLES = load_pages()
ARTICLES = load_articles()
HERALD = [a for a in ARTICLES if a.template == "herald"]
BRIEF = replace(HERALD[0], slug="brief-harbour-bridge-reopens", items=(
    "The harbour bridge reopened to traffic on Tuesday morning after three weeks of repairs to its lifting gear.",
    "The council said buses would return to their usual routes from Wednesday.",
))
# Everything a page can say about itself: JSON-LD, OpenGraph, article and author meta, microdata, <time>.
METADATA_RE = re.compile(r'<script type="application/ld\+json">.*?</script>|<meta (?:property|name)="(?:og|article):'
                         r'[^>]*>|<meta name="author"[^>]*>|<time[^>]*>.*?</time>|\s(?:itemscope|itemtype="[^"]*"|'
                         r'itemprop="[^"]*"|rel="author")', re.DOTALL)


def tree(html: str) -> HtmlElement:
    return document_fromstring(html)


def without_metadata(html: str) -> str:
    stripped = METADATA_RE.sub("", html)
    assert "og:type" not in stripped and "ld+json" not in stripped and "published_time" not in stripped
    return stripped


def demo_file(path: str) -> str:
    return (DEMO_SITE / (path[1:] + ("index.html" if path.endswith("/") else ""))).read_text(encoding="utf-8")


@pytest.mark.parametrize("page", NONARTICLES, ids=[p["kind"] for p in NONARTICLES])
def test_no_demo_nonarticle_page_is_an_article(page: dict) -> None:
    kind = classify(tree(demo_file(page["path"])), "http://127.0.0.1:8000" + page["path"])
    assert not kind.is_article, kind.signals
    assert kind.score < ARTICLE_MIN_SCORE


@pytest.mark.parametrize("page", NONARTICLES, ids=[p["kind"] for p in NONARTICLES])
def test_nonarticle_pages_are_told_by_what_they_show_not_only_by_their_url(page: dict) -> None:
    """Served at an address that says nothing (one word, no section), they are still no articles."""
    kind = classify(tree(demo_file(page["path"])), "http://127.0.0.1:8000/page/view")
    assert not kind.is_article, kind.signals


@pytest.mark.parametrize("article", ARTICLES, ids=[a.path for a in ARTICLES])
def test_every_demo_article_is_an_article(article: Article) -> None:
    kind = classify(tree(demo_file(article.path)), "http://127.0.0.1:8000" + article.path)
    assert kind.is_article, kind.signals


def test_a_short_news_brief_is_an_article() -> None:
    page = herald.render(BRIEF, HERALD).html
    kind = classify(tree(page), "http://127.0.0.1:8000" + BRIEF.path)
    assert kind.is_article, kind.signals
    assert kind.deciding in {s.name for s in SIGNALS if s.weight > 0}


@pytest.mark.parametrize("article", HERALD[:4], ids=[a.slug for a in HERALD[:4]])
def test_an_article_without_any_metadata_is_an_article(article: Article) -> None:
    kind = classify(tree(without_metadata(demo_file(article.path))), "http://127.0.0.1:8000" + article.path)
    found = features(tree(without_metadata(demo_file(article.path))), "http://127.0.0.1:8000" + article.path)
    assert found["og_none"] == 1 and found["ld_news"] == 0 and found["author_stated"] == 0
    assert kind.is_article, kind.signals


def test_a_stated_product_weighs_more_than_og_type_product() -> None:
    """A JSON-LD type is specific: it counts more than the og:type that says the same."""
    weights = {s.name: s.weight for s in SIGNALS}
    assert weights["ld_news"] > 0 > weights["ld_product"]
    assert abs(weights["ld_product"]) > abs(weights["og_product"])


def test_site_crawl_takes_articles_and_nothing_else(copy_server: DemoServer, site_copy: Path, tmp_path: Path) -> None:
    """A real site crawl of the demo site, with a news brief and an article stripped of all metadata
    added: no product, forum, service, docs or listing page is emitted; the brief and the bare
    article are; the stats and the explain log say why."""
    bare = HERALD[1]
    (site_copy / bare.path[1:]).write_text(without_metadata(demo_file(bare.path)), encoding="utf-8")
    (site_copy / BRIEF.path[1:]).write_text(herald.render(BRIEF, HERALD).html, encoding="utf-8")
    home = site_copy / "index.html"
    home.write_text(home.read_text(encoding="utf-8").replace(
        "</body>", f'<p><a href="{BRIEF.path}">{BRIEF.title}</a></p></body>'), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = run_crawl("-a", f"site={copy_server.base_url}/", "-O", str(out), "-s", "CLEANWIRE_EXPLAIN=1",
                       workdir=tmp_path)
    urls = {item["url"].removeprefix(copy_server.base_url).split("?")[0] for item in read_jsonl(out)}
    assert urls == {a.path for a in ARTICLES} | {BRIEF.path}
    assert not urls & {p["path"] for p in NONARTICLES}
    assert result.stat("cleanwire/pages/article") == len(ARTICLES) + 1
    assert result.stat("cleanwire/pages/index") >= len(NONARTICLES) + 5
    deciding = [key for key in result.stats if key.startswith("cleanwire/pages/index/")]
    assert {"cleanwire/pages/index/og_product", "cleanwire/pages/index/url_docs"} <= set(deciding)
    for page in NONARTICLES:
        assert re.search(rf"index page {re.escape(copy_server.base_url + page['path'])}: score -?\d", result.stderr)
    assert f"article page {copy_server.base_url}{bare.path}" in result.stderr


def test_max_pages_counts_pages_not_links(demo_server: DemoServer, tmp_path: Path) -> None:
    """The demo site's pages link to one another some 700 times; a budget above its page count
    reaches every article, and is not reported as reached."""
    out = tmp_path / "out.jsonl"
    result = run_crawl("-a", f"site={demo_server.base_url}/", "-a", "max_pages=100", "-O", str(out), workdir=tmp_path)
    assert len(read_jsonl(out)) == len(ARTICLES)
    assert result.stat("cleanwire/site/max_pages_reached") == 0
