"""Whole crawls of the demo site with real Scrapy runs: every article clean, right and valid."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from cleanwire.extraction import ExtractionOptions, extract_article
from cleanwire.extraction.rules import RULE_KINDS
from cleanwire.extraction.text import word_count
from cleanwire.items import SCHEMA_VERSION
from cleanwire.pipelines.validate import load_schema
from demo.server import DemoServer

from .conftest import ROOT, CrawlResult, read_jsonl, run_crawl

TRUTH = read_jsonl(ROOT / "demo" / "truth.jsonl")


def with_base(value: str, server: DemoServer) -> str:
    return value.replace("__BASE__", server.base_url)


@pytest.fixture(scope="module")
def site_crawl(demo_server: DemoServer, tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    workdir = tmp_path_factory.mktemp("site-crawl")
    return run_crawl("-a", f"site={demo_server.base_url}/", "-a", f"output={workdir}", workdir=workdir)


@pytest.fixture(scope="module")
def by_canonical(site_crawl: CrawlResult) -> dict[str, dict[str, Any]]:
    return {item["canonical_url"]: item for item in site_crawl.items}


def test_every_line_is_a_valid_item_of_the_current_schema(site_crawl: CrawlResult) -> None:
    validator = Draft202012Validator(load_schema())
    assert len(site_crawl.outputs) == 1
    for line in site_crawl.outputs[0].read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        assert not list(validator.iter_errors(item)), item["url"]
        assert item["schema_version"] == SCHEMA_VERSION


def test_every_article_once_and_no_index_page(site_crawl: CrawlResult, demo_server: DemoServer) -> None:
    canonicals = [item["canonical_url"] for item in site_crawl.items]
    assert sorted(canonicals) == sorted(with_base(t["canonical"], demo_server) for t in TRUTH)
    assert site_crawl.stat("cleanwire/pages/index") >= 5


@pytest.mark.parametrize("truth", TRUTH, ids=[t["path"] for t in TRUTH])
def test_article_body_is_all_there(truth: dict[str, Any], by_canonical: dict, demo_server: DemoServer) -> None:
    item = by_canonical[with_base(truth["canonical"], demo_server)]
    paragraphs = item["text"].split("\n\n")
    missing = [p for p in truth["body"] if p not in paragraphs]
    assert not missing, f"{len(missing)}/{len(truth['body'])} paragraphs lost: {missing[:2]}"


@pytest.mark.parametrize("truth", TRUTH, ids=[t["path"] for t in TRUTH])
def test_article_has_no_junk_line(truth: dict[str, Any], by_canonical: dict, demo_server: DemoServer) -> None:
    text = by_canonical[with_base(truth["canonical"], demo_server)]["text"]
    leaked = [junk for junk in truth["junk"] if junk in text]
    assert not leaked, leaked
    assert len(text.split("\n\n")) == len(truth["body"])


@pytest.mark.parametrize("truth", TRUTH, ids=[t["path"] for t in TRUTH])
def test_article_metadata_is_right(truth: dict[str, Any], by_canonical: dict, demo_server: DemoServer) -> None:
    item = by_canonical[with_base(truth["canonical"], demo_server)]
    assert item["title"] == truth["title"]
    assert item["authors"] == truth["authors"]
    assert item["published"] == truth["published"]
    assert item["language"] == truth["language"]
    assert item["site_name"] == truth["site_name"]
    assert item["source"] == "site"


RECORD_FIELDS = ("description", "modified", "image", "section", "tags", "paywalled")


@pytest.mark.parametrize("truth", TRUTH, ids=[t["path"] for t in TRUTH])
def test_article_record_fields_are_right(truth: dict[str, Any], by_canonical: dict, demo_server: DemoServer) -> None:
    item = by_canonical[with_base(truth["canonical"], demo_server)]
    want = json.loads(with_base(json.dumps({f: truth[f] for f in RECORD_FIELDS}), demo_server))
    assert {f: item[f] for f in RECORD_FIELDS} == want
    assert item["word_count"] == word_count("\n\n".join(truth["body"])) > 0
    assert "markdown" not in item and "html" not in item  # text only, by default


def test_the_truth_covers_every_record_field_in_several_templates_and_languages() -> None:
    for field in RECORD_FIELDS:
        stated = [t for t in TRUTH if t[field] not in (None, [])]
        assert len({t["template"] for t in stated}) >= (1 if field == "paywalled" else 3), field
        assert len({t["language"] for t in stated}) >= (1 if field == "paywalled" else 3), field
    assert {t["paywalled"] for t in TRUTH} == {True, False, None}


def test_every_declared_language_agrees_with_the_detected_one(site_crawl: CrawlResult) -> None:
    assert site_crawl.stat("cleanwire/language/contradicted") == 0
    assert "its text reads as" not in site_crawl.stderr


def test_a_paywalled_article_is_its_teaser_without_the_subscription_prompt(by_canonical: dict,
                                                                             demo_server: DemoServer) -> None:
    [truth] = [t for t in TRUTH if t["paywalled"]]
    item = by_canonical[with_base(truth["canonical"], demo_server)]
    assert item["text"] == "\n\n".join(truth["body"])
    assert any("Subscribe" in line for line in truth["junk"])
    assert item["paywalled"] is True


def test_bad_pages_are_skipped_with_reason_and_stat(site_crawl: CrawlResult) -> None:
    assert site_crawl.returncode == 0
    for reason in ("http_404", "empty_page"):  # links to .pdf and the like are not even fetched
        assert site_crawl.stat(f"cleanwire/skipped/{reason}") >= 1, reason
        assert f": {reason} (" in site_crawl.stderr
    assert "Traceback" not in site_crawl.stderr
    assert "pages skipped" in site_crawl.stdout and "http_404" in site_crawl.stdout


def test_one_off_urls(demo_server: DemoServer, tmp_path: Path) -> None:
    first, second = (with_base(t["url"], demo_server) for t in TRUTH[:2])
    out = tmp_path / "out.jsonl"
    result = run_crawl("-a", f"url={first},{second}", "-O", str(out), workdir=tmp_path)
    assert sorted(item["url"] for item in read_jsonl(out)) == sorted([first, second])
    assert {item["source"] for item in read_jsonl(out)} == {"url"}
    assert result.stat("item_scraped_count") == 2


@pytest.mark.parametrize(("arguments", "start_delay"), [
    ({"url": "http://a.test/story"}, 0.0),
    ({"url": "http://a.test/story,http://a.test/other"}, 0.5),
    ({"url": "http://a.test/story", "feed": "http://a.test/feed"}, 0.5),
])
def test_a_lone_page_waits_no_start_delay_but_a_crawl_does(arguments: dict[str, str], start_delay: float) -> None:
    from scrapy.crawler import Crawler

    from cleanwire.spiders.news import NewsSpider

    crawler = Crawler(NewsSpider, {"AUTOTHROTTLE_ENABLED": True, "AUTOTHROTTLE_START_DELAY": 0.5})  # settings not frozen yet
    NewsSpider.from_crawler(crawler, **arguments)
    assert crawler.settings.getfloat("AUTOTHROTTLE_START_DELAY") == start_delay


def test_one_off_urls_file_with_bad_pages(demo_server: DemoServer, tmp_path: Path) -> None:
    good = with_base(TRUTH[2]["url"], demo_server)
    urls = tmp_path / "urls.txt"
    urls.write_text(f"# morning list\n\n{good}\n  \n{demo_server.base_url}/no/such/page.html\n"
                    f"{demo_server.base_url}/files/report.pdf\n{demo_server.base_url}/empty.html\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = run_crawl("-a", f"urls_file={urls}", "-O", str(out), workdir=tmp_path)
    assert [item["url"] for item in read_jsonl(out)] == [good]
    for reason in ("http_404", "not_html", "empty_page"):
        assert result.stat(f"cleanwire/skipped/{reason}") == 1, reason


def test_unreachable_source_fails_the_run(tmp_path: Path) -> None:
    result = run_crawl("-a", "url=http://127.0.0.1:9/nothing-listens-here", "-O", str(tmp_path / "o.jsonl"),
                       "-s", "RETRY_TIMES=0", workdir=tmp_path, check=False)
    assert result.returncode == 1
    assert result.stat("cleanwire/skipped/fetch_failed") == 1
    assert "run failed" in result.stderr


def test_bad_arguments_are_one_clear_line(tmp_path: Path) -> None:
    result = run_crawl("-a", "feed=not-a-url", workdir=tmp_path, check=False)
    assert result.returncode == 2
    assert "not an http(s) URL: not-a-url" in result.stderr
    assert "Traceback" not in result.stderr


def test_explain_mode_records_every_removal_with_its_rule(demo_server: DemoServer, tmp_path: Path) -> None:
    aggregator = next(t for t in TRUTH if t["template"] == "aggregator")
    out = tmp_path / "explained.jsonl"
    result = run_crawl("-a", f"url={with_base(aggregator['url'], demo_server)}", "-O", str(out),
                       "-s", "CLEANWIRE_EXPLAIN=1", workdir=tmp_path)
    [item] = read_jsonl(out)
    raw = extract_article((ROOT / "demo" / "site" / aggregator["path"].lstrip("/")).read_bytes(), item["url"],
                          ExtractionOptions(clean_junk=False)).text
    leaked_by_trafilatura = [junk for junk in aggregator["junk"] if junk in raw]
    assert leaked_by_trafilatura
    for junk in leaked_by_trafilatura:  # what trafilatura would have kept, we removed: and say why
        assert any(junk in entry["text"] and entry["stage"] == "rules" for entry in item["removed"]), junk
    ruled = [entry for entry in item["removed"] if entry["stage"] == "rules"]
    assert {entry["rule"] for entry in ruled} <= set(RULE_KINDS)
    # the rest of the page is named too, with the stage that dropped it: the headline became the title
    assert {"rule": "title", "kind": "", "text": item["title"], "stage": "metadata"} in item["removed"]
    assert item["sources"] == {"description": "description", "image": "og:image", "section": "article:section"} | (  # where the record came from
        {"tags": "article:tag"} if aggregator["tags"] else {}) | (
        {"modified": "article:modified_time"} if aggregator["modified"] else {})
    for rule in {entry["rule"] for entry in ruled}:
        assert result.stat(f"cleanwire/junk/{rule}") >= 1
    assert not [name for name in result.stats if name.startswith("cleanwire/junk/") and name[15:] not in RULE_KINDS]


def test_hostile_pages_are_skipped_and_the_output_stays_valid(copy_server: DemoServer, site_copy: Path,
                                                              tmp_path: Path) -> None:
    (site_copy / "garbage.html").write_bytes(bytes(range(256)) * 40)
    (site_copy / "deep.html").write_bytes(b"<html><body>" + b"<div>" * 5000 + b"<p>x</p>" + b"</div>" * 5000)
    (site_copy / "scripts.html").write_bytes(b"<html><body><script>" + b"var a = 1;" * 1000 + b"</script></body></html>")
    good = with_base(TRUTH[0]["url"], copy_server)
    pages = [f"{copy_server.base_url}/{name}" for name in ("garbage.html", "deep.html", "scripts.html")]
    out = tmp_path / "out.jsonl"
    result = run_crawl("-a", "url=" + ",".join([*pages, good]), "-O", str(out), workdir=tmp_path)
    assert [item["url"] for item in read_jsonl(out)] == [good]
    assert result.stat("cleanwire/skipped/binary_body") == 1  # the garbage, whatever its Content-Type says
    skipped = sum(result.stat(f"cleanwire/skipped/{reason}") for reason in ("unparsable", "no_article_text"))
    assert skipped == 2
    assert result.stat("cleanwire/skipped/extraction_failed") == 0
