"""Interrupted runs lose nothing: real crawls of the demo site stopped by SIGINT or SIGTERM, once
(a graceful stop) or twice (a forced one), then run again until nothing is new."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from demo.server import DemoServer

from .conftest import ROOT, STRICT_PYTHON, CrawlResult, read_jsonl, run_crawl

TRUTH = read_jsonl(ROOT / "demo" / "truth.jsonl")
EXIT_INTERRUPTED = 4
SOURCES = {"sitemap": "sitemap=BASE/sitemap.xml", "feed": "feed=BASE/feed.xml", "site": "site=BASE/"}
# Slowly, few requests handed to the downloader at a time: the run is still far from done when it
# is interrupted, and a graceful stop lasts while those requests are fetched and extracted.
SLOW = ["-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0.3", "-s", "CONCURRENT_REQUESTS=4"]
FAST = ["-s", "AUTOTHROTTLE_ENABLED=0"]  # the runs after it: a local server needs no politeness


def job(server: DemoServer, workdir: Path, source: str) -> list[str]:
    return ["-a", SOURCES[source].replace("BASE", server.base_url), "-a", f"state={workdir / 'state.sqlite'}",
            "-a", f"output={workdir / 'out'}"]


def canonicals(server: DemoServer) -> list[str]:
    return sorted(t["canonical"].replace("__BASE__", server.base_url) for t in TRUTH)


def emitted(workdir: Path) -> list[str]:
    """Every canonical URL in every published output file, repeats included."""
    return sorted(item["canonical_url"] for path in (workdir / "out").glob("*.jsonl") for item in read_jsonl(path))


def interrupted_crawl(args: list[str], workdir: Path, signum: signal.Signals, times: int,
                      after_pages: int = 6) -> CrawlResult:
    """The crawl, sent ``signum`` once it has fetched ``after_pages`` pages (robots.txt and
    listings included); with ``times=2``, again as soon as it says it is shutting down."""
    log, out = workdir / "interrupted.log", workdir / "interrupted.out"
    stats_file = workdir / "interrupted.stats.json"
    command = [*STRICT_PYTHON, "scrapy", "crawl", "news", *args, *SLOW, "-s", "LOG_LEVEL=DEBUG",
               "-s", f"CLEANWIRE_STATS_FILE={stats_file}"]
    with log.open("w") as stderr, out.open("w") as stdout:
        crawl = subprocess.Popen(command, cwd=ROOT, stdout=stdout, stderr=stderr)
        try:
            wait_for(crawl, log, lambda text: text.count("Crawled (200)") >= after_pages, "the first pages")
            crawl.send_signal(signum)
            if times == 2:
                wait_for(crawl, log, lambda text: "shutting down gracefully" in text, "the graceful stop")
                crawl.send_signal(signum)
            code = crawl.wait(120)
        finally:
            if crawl.poll() is None:
                crawl.kill()
    stats = json.loads(stats_file.read_text()) if stats_file.exists() else {}
    return CrawlResult(code, out.read_text(), log.read_text(), stats, sorted((workdir / "out").glob("*.jsonl")))


def wait_for(crawl: subprocess.Popen[bytes], log: Path, event: Callable[[str], bool], what: str) -> None:
    """Polls the crawl's log until ``event`` holds for it."""
    deadline = time.monotonic() + 90
    while not event(log.read_text()):
        assert crawl.poll() is None, f"the crawl ended before {what}:\n{log.read_text()[-3000:]}"
        assert time.monotonic() < deadline, f"no {what} in 90 s"
        time.sleep(0.01)


@pytest.mark.parametrize("times", [1, 2], ids=["once", "twice"])
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("source", list(SOURCES))
def test_an_interrupted_run_then_two_more_emit_every_article_once(copy_server: DemoServer, tmp_path: Path,
                                                                  source: str, signum: signal.Signals,
                                                                  times: int) -> None:
    args = job(copy_server, tmp_path, source)
    stopped = interrupted_crawl(args, tmp_path, signum, times)
    assert stopped.returncode == EXIT_INTERRUPTED, stopped.stderr[-3000:]
    assert "Traceback" not in stopped.stderr
    assert f"cleanwire: run interrupted by {signum.name}" in stopped.stderr
    kept = emitted(tmp_path)
    assert len(kept) < len(TRUTH), "the run was stopped before the end of its work"
    if times == 1:  # a graceful stop: what it wrote is published, named, committed; nothing half-written
        assert stopped.stats["cleanwire/run/interrupted"] == signum.name
        assert f"INTERRUPTED:       by {signum.name}" in stopped.stdout
        assert bool(stopped.outputs) == bool(kept)
        assert all(f"output:            {path}" in stopped.stdout for path in stopped.outputs)
        assert not list((tmp_path / "out").glob("*.part"))
        assert len(kept) == stopped.stats.get("item_scraped_count", 0)
    else:
        assert "forcing unclean shutdown" in stopped.stderr
        assert "then forced to stop by a second" in stopped.stderr

    rerun = run_crawl(*args, *FAST, workdir=tmp_path)
    assert rerun.returncode == 0 and "INTERRUPTED" not in rerun.stdout
    assert emitted(tmp_path) == canonicals(copy_server), "every article once, none missing"
    assert len(rerun.items) == len(TRUTH) - len(kept)
    assert not list((tmp_path / "out").glob("*.part"))

    again = run_crawl(*args, *FAST, workdir=tmp_path)
    assert again.items == [] and "no new articles" in again.stdout
    assert emitted(tmp_path) == canonicals(copy_server)


def test_a_crawl_without_an_output_is_refused_in_one_line(demo_server: DemoServer, tmp_path: Path) -> None:
    """Written nowhere, an article would be counted as written, and with a state store marked
    emitted: a later run with an output would never write it."""
    page = f"url={demo_server.base_url}{TRUTH[0]['path']}"
    refused = run_crawl("-a", page, "-a", f"state={tmp_path / 'state.sqlite'}", workdir=tmp_path, check=False)
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines()[-1] == (
        "cleanwire: no output: give -a output=DIR (or output in the jobs file), -O FILE or -o FILE")
    assert "Traceback" not in refused.stderr and refused.stats == {}
    written = run_crawl("-a", page, "-a", f"state={tmp_path / 'state.sqlite'}", "-a", f"output={tmp_path / 'out'}",
                        workdir=tmp_path)
    assert len(written.items) == 1, "the refused run marked nothing emitted"
