"""Scheduled crawls against the demo site: feeds, sitemaps, sites, only what is new, crash safety."""

from __future__ import annotations

import gzip
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleanwire.errors import RunLocked
from cleanwire.state import SqliteStateStore
from demo.server import DemoServer

from .conftest import ROOT, CrawlResult, read_jsonl, run_crawl

TRUTH = read_jsonl(ROOT / "demo" / "truth.jsonl")


def scheduled(server: DemoServer, workdir: Path, *sources: str, check: bool = True) -> CrawlResult:
    args = [arg for source in sources for arg in ("-a", source.replace("BASE", server.base_url))]
    return run_crawl(*args, "-a", f"state={workdir / 'state.sqlite'}", "-a", f"output={workdir / 'out'}",
                     workdir=workdir, check=check)


def canonicals(server: DemoServer) -> list[str]:
    return sorted(t["canonical"].replace("__BASE__", server.base_url) for t in TRUTH)


def test_feed_then_nothing_new(copy_server: DemoServer, tmp_path: Path) -> None:
    first = scheduled(copy_server, tmp_path, "feed=BASE/feed.xml")
    assert sorted(i["canonical_url"] for i in first.items) == canonicals(copy_server)
    assert {i["source"] for i in first.items} == {"feed"}
    assert all(i["update"] is False and i["previous_sha256"] is None for i in first.items)

    requests_before = copy_server.stats()["requests"]
    second = scheduled(copy_server, tmp_path, "feed=BASE/feed.xml")
    assert second.outputs == []  # nothing new: no file at all
    assert second.stat("item_scraped_count") == 0
    assert second.stat("cleanwire/unchanged/not_modified") == 1  # the feed answered 304
    assert second.stat("cleanwire/pages/fetched") == 0  # and no article was fetched again
    assert copy_server.stats()["requests"] - requests_before == 2  # robots.txt and the feed
    assert "no new articles" in second.stdout


def test_atom_feed(copy_server: DemoServer, tmp_path: Path) -> None:
    result = scheduled(copy_server, tmp_path, "feed=BASE/atom.xml")
    assert sorted(i["canonical_url"] for i in result.items) == canonicals(copy_server)


def test_sitemap_index_with_gzipped_child_and_news_sitemap(copy_server: DemoServer, tmp_path: Path) -> None:
    result = scheduled(copy_server, tmp_path, "sitemap=BASE/sitemap.xml")
    assert sorted(i["canonical_url"] for i in result.items) == canonicals(copy_server)
    assert result.stat("cleanwire/listings/sitemap") == 3  # the index, the .xml.gz and the news sitemap
    assert all(i["published"] for i in result.items)


def test_sitemap_from_site_root_reads_robots_txt(copy_server: DemoServer, tmp_path: Path) -> None:
    result = scheduled(copy_server, tmp_path, "sitemap=BASE/")
    assert sorted(i["canonical_url"] for i in result.items) == canonicals(copy_server)


def test_site_crawl_then_nothing_new(copy_server: DemoServer, tmp_path: Path) -> None:
    first = scheduled(copy_server, tmp_path, "site=BASE/")
    assert sorted(i["canonical_url"] for i in first.items) == canonicals(copy_server)
    second = scheduled(copy_server, tmp_path, "site=BASE/")
    assert second.outputs == []
    assert second.stat("cleanwire/unchanged/not_modified") >= len(TRUTH)


def test_several_sources_in_one_run_emit_each_article_once(copy_server: DemoServer, tmp_path: Path) -> None:
    result = scheduled(copy_server, tmp_path, "feed=BASE/feed.xml", "sitemap=BASE/sitemap.xml", "site=BASE/")
    assert sorted(i["canonical_url"] for i in result.items) == canonicals(copy_server)


def edit_article(site: Path, truth: dict, touch_feed: bool) -> str:
    """The publisher corrects a paragraph; with ``touch_feed`` its feed says it changed."""
    page = site / truth["path"].lstrip("/")
    corrected = truth["body"][1] + " (Updated.)"
    page.write_text(page.read_text(encoding="utf-8").replace(truth["body"][1], corrected), encoding="utf-8")
    if touch_feed:
        feed = site / "feed.xml"
        feed.write_text(re.sub("<lastBuildDate>.*?</lastBuildDate>",
                               "<lastBuildDate>Sat, 16 Nov 2024 09:00:00 +0000</lastBuildDate>",
                               feed.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    return corrected


@pytest.mark.parametrize("source", ["feed=BASE/feed.xml", "site=BASE/"])
def test_changed_article_comes_out_again_as_an_update(copy_server: DemoServer, site_copy: Path,
                                                      tmp_path: Path, source: str) -> None:
    first = scheduled(copy_server, tmp_path, source)
    corrected = edit_article(site_copy, TRUTH[0], touch_feed=source.startswith("feed"))
    second = scheduled(copy_server, tmp_path, source)
    assert len(second.items) == 1
    [item] = second.items
    before = next(i for i in first.items if i["canonical_url"] == item["canonical_url"])
    assert item["update"] is True
    assert item["previous_sha256"] == before["text_sha256"] != item["text_sha256"]
    assert corrected in item["text"].split("\n\n")
    assert second.stat("cleanwire/unchanged/not_modified") == len(TRUTH) - 1  # the others: 304s


def test_a_page_dropped_after_download_is_extracted_again_next_run(copy_server: DemoServer, site_copy: Path,
                                                                    tmp_path: Path) -> None:
    """Validators are kept only for pages whose article was written: a page that gave no
    article must not answer 304 forever, or a fixed extractor would never see it again."""
    short = site_copy / "herald" / "world" / "short-note.html"
    short.write_text("<html><head><title>Note</title></head><body><p>Too short to be news.</p></body></html>")
    article = TRUTH[0]["path"]
    sources = f"url=BASE/herald/world/short-note.html,BASE{article}"
    first = scheduled(copy_server, tmp_path, sources)
    assert first.stat("cleanwire/skipped/no_article_text") == 1 and len(first.items) == 1
    second = scheduled(copy_server, tmp_path, sources)
    assert second.stat("cleanwire/unchanged/not_modified") == 1  # the article that was written
    assert second.stat("cleanwire/skipped/no_article_text") == 1  # the note: fetched and extracted again
    assert second.items == []


def test_a_corrupt_state_store_is_one_line_and_exit_2(copy_server: DemoServer, tmp_path: Path) -> None:
    (tmp_path / "state.sqlite").write_bytes(b"not a database " * 500)
    result = scheduled(copy_server, tmp_path, "feed=BASE/feed.xml", check=False)
    assert result.returncode == 2
    assert "cannot open state store" in result.stderr and "Traceback" not in result.stderr
    assert result.outputs == []


def add_article(site: Path, server_path: str, title: str) -> None:
    """Publish a new article: a copy of the first one with a new address, title and body."""
    truth = TRUTH[0]
    html = (site / truth["path"].lstrip("/")).read_text(encoding="utf-8")
    html = html.replace(truth["path"], server_path).replace(truth["title"], title)
    for n, paragraph in enumerate(truth["body"]):
        html = html.replace(paragraph, f"Fresh report, paragraph {n}: {paragraph}")
    (site / server_path.lstrip("/")).write_text(html, encoding="utf-8")
    feed = site / "feed.xml"
    item = f"<item><title>{title}</title><link>__BASE__{server_path}</link></item>\n"
    feed.write_text(feed.read_text(encoding="utf-8").replace("<item>", item + "<item>", 1), encoding="utf-8")


def test_new_article_appears_after_the_feed_gains_it(copy_server: DemoServer, site_copy: Path,
                                                     tmp_path: Path) -> None:
    scheduled(copy_server, tmp_path, "feed=BASE/feed.xml")
    new_path = "/herald/world/fresh-report.html"
    add_article(site_copy, new_path, "A fresh report from the newsroom")
    second = scheduled(copy_server, tmp_path, "feed=BASE/feed.xml")
    assert [i["canonical_url"] for i in second.items] == [f"{copy_server.base_url}{new_path}"]
    assert second.items[0]["update"] is False
    assert second.stat("cleanwire/unchanged/not_modified") == len(TRUTH)  # old articles: 304s


@pytest.mark.parametrize("kill_after_items", [0, 5, 20])
def test_sigkill_then_rerun_emits_every_article_exactly_once(copy_server: DemoServer, tmp_path: Path,
                                                             kill_after_items: int) -> None:
    out = tmp_path / "out"
    command = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"site={copy_server.base_url}/",
               "-a", f"state={tmp_path / 'state.sqlite'}", "-a", f"output={out}", "-s", "LOG_LEVEL=DEBUG",
               "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0.05"]
    log = tmp_path / "killed.log"

    def time_to_kill() -> bool:
        text = log.read_text()
        return "Spider opened" in text if kill_after_items == 0 else text.count("Scraped from") >= kill_after_items

    with log.open("w") as stderr:
        victim = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=stderr)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and victim.poll() is None and not time_to_kill():
            time.sleep(0.02)
        assert victim.poll() is None, "the crawl ended before it could be killed"
        victim.send_signal(signal.SIGKILL)
        victim.wait(10)
    rerun = scheduled(copy_server, tmp_path, "site=BASE/")
    emitted = [i["canonical_url"] for path in out.glob("*.jsonl") for i in read_jsonl(path)]
    assert sorted(emitted) == canonicals(copy_server)
    assert not list(out.glob("*.part"))
    assert rerun.returncode == 0


def test_a_concurrent_run_of_the_same_job_is_refused(copy_server: DemoServer, tmp_path: Path) -> None:
    holder = SqliteStateStore(tmp_path / "state.sqlite")  # the lock a running crawl of this job holds
    try:
        started = time.monotonic()
        refused = scheduled(copy_server, tmp_path, "feed=BASE/feed.xml", check=False)
        assert refused.returncode == 3
        assert "is in use by pid" in refused.stderr
        assert time.monotonic() - started < 30
        assert refused.outputs == []
        with pytest.raises(RunLocked):
            SqliteStateStore(tmp_path / "state.sqlite")
    finally:
        holder.close()
    assert scheduled(copy_server, tmp_path, "feed=BASE/feed.xml").returncode == 0


def test_named_job_from_a_toml_file(copy_server: DemoServer, tmp_path: Path) -> None:
    jobs = tmp_path / "jobs.toml"
    jobs.write_text(f"""
[defaults]
state = "{tmp_path / 'state.sqlite'}"

[jobs.demo-news]
feed = ["{copy_server.base_url}/feed.xml"]
output = "{tmp_path / 'out'}"
""", encoding="utf-8")
    result = run_crawl("-a", f"jobs={jobs}", "-a", "job=demo-news", workdir=tmp_path)
    assert len(result.items) == len(TRUTH)
    assert result.outputs[0].name.startswith("demo-news-")
    missing = run_crawl("-a", f"jobs={jobs}", "-a", "job=nope", workdir=tmp_path, check=False)
    assert missing.returncode == 2 and "no job 'nope'" in missing.stderr


def test_bad_feed_and_sitemap_are_skipped(copy_server: DemoServer, site_copy: Path, tmp_path: Path) -> None:
    (site_copy / "broken-feed.xml").write_text("<html><body>not a feed</body></html>", encoding="utf-8")
    (site_copy / "broken-sitemap.xml").write_bytes(b"\x1f\x8b garbage that is not gzip")
    result = scheduled(copy_server, tmp_path, "feed=BASE/broken-feed.xml,BASE/feed.xml",
                       "sitemap=BASE/broken-sitemap.xml")
    assert result.stat("cleanwire/skipped/bad_feed") == 1
    assert result.stat("cleanwire/skipped/bad_sitemap") == 1
    assert len(result.items) == len(TRUTH)


def test_template_learning_carries_over_between_runs(copy_server: DemoServer, site_copy: Path,
                                                     tmp_path: Path) -> None:
    """A line no rule knows, on three articles of a host: learnt in run 1, cut from the start in run 2."""
    unknown = "The Zorblax weekly digest lands every Friday."
    herald = [t for t in TRUTH if t["template"] == "herald"][:3]
    for truth in herald:
        page = site_copy / truth["path"].lstrip("/")
        last = truth["body"][-1]
        page.write_text(page.read_text(encoding="utf-8").replace(f"<p>{last}</p>", f"<p>{last}</p><p>{unknown}</p>"),
                        encoding="utf-8")
    urls = ",".join(f"{copy_server.base_url}{t['path']}" for t in herald)
    first = scheduled(copy_server, tmp_path, f"url={urls}")
    assert all(unknown in item["text"] for item in first.items)  # seen on 0, 1, 2 earlier pages: kept
    for truth in herald:
        edit_article(site_copy, truth, touch_feed=False)
    second = scheduled(copy_server, tmp_path, f"url={urls}")
    assert len(second.items) == 3 and all(item["update"] for item in second.items)
    assert not any(unknown in item["text"] for item in second.items)
    assert second.stat("cleanwire/junk/recurring-block") == 3


def test_new_article_in_a_child_sitemap_is_found_though_the_index_did_not_change(
        copy_server: DemoServer, site_copy: Path, tmp_path: Path) -> None:
    scheduled(copy_server, tmp_path, "sitemap=BASE/")
    new_path = "/herald/world/fresh-report.html"
    add_article(site_copy, new_path, "A fresh report from the newsroom")
    child = site_copy / "sitemaps" / "articles.xml.gz"
    urlset = gzip.decompress(child.read_bytes()).decode("utf-8")
    child.write_bytes(gzip.compress(urlset.replace(
        "</urlset>", f"<url><loc>__BASE__{new_path}</loc></url></urlset>").encode("utf-8")))
    second = scheduled(copy_server, tmp_path, "sitemap=BASE/")
    assert [i["canonical_url"] for i in second.items] == [f"{copy_server.base_url}{new_path}"]
    assert second.stat("cleanwire/unchanged/not_modified") >= len(TRUTH) + 1  # old articles and the news sitemap
