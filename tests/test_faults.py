"""The fault matrix of issue 9: every hostile case in real crawls against a hostile server.

``tests/faultserver.py`` serves each case from 127.0.0.1. The HTTP and HTML cases go through one
crawl, the feed and sitemap cases through another; each case is then checked on its own: the
reason in its one log line (``skipped URL: reason (detail)``) and the ``cleanwire/skipped/<reason>``
stat, or, for pages that are articles, the text that comes out. State faults run one crawl each.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from cleanwire.state import SqliteStateStore
from demo.server import DemoServer

from .conftest import ROOT, STRICT_PYTHON, CrawlResult, read_jsonl, run_crawl
from .faultserver import GB, LEGACY, SJIS

SECRET = "TOPSECRET-5d1c0b7e-local-file-contents"
FAST = ("-s", "RETRY_TIMES=0", "-s", "DOWNLOAD_TIMEOUT=4", "-s", "AUTOTHROTTLE_ENABLED=0")
"""No retries where the case allows; a timeout short enough for /slow, long enough for 20 MB on a busy machine."""
INLINE = ("-s", "CLEANWIRE_EXTRACT_WORKERS=0")  # a few good pages: no worker processes to start
_SKIP_LINE = re.compile(r"skipped (\(an entry without a link\)|\S+): (\w+) \(")
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


@dataclass
class FaultSite:
    base: str

    def requested(self) -> list[str]:
        with urllib.request.urlopen(f"{self.base}/_requests", timeout=10) as answer:
            return list(json.load(answer))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FaultSite]:
    root = tmp_path_factory.mktemp("faultserver")
    (root / "secret.txt").write_text(SECRET)
    port_file = root / "port"
    server = subprocess.Popen([sys.executable, str(Path(__file__).with_name("faultserver.py")), str(port_file),
                               str(root / "secret.txt")])
    try:
        deadline = time.monotonic() + 60
        while not (port_file.exists() and port_file.read_text().strip()):
            assert server.poll() is None and time.monotonic() < deadline, "the fault server did not start"
            time.sleep(0.05)
        yield FaultSite(f"http://127.0.0.1:{port_file.read_text().strip()}")
    finally:
        server.terminate()
        server.wait(10)


@dataclass
class Crawl:
    result: CrawlResult
    reasons: dict[str, str]
    """The reason of each ``skipped URL: reason`` line, by URL."""
    items: dict[str, dict[str, Any]]
    """The items written, by URL."""


def crawl(*args: str, workdir: Path) -> Crawl:
    result = run_crawl(*args, "-O", str(workdir / "out.jsonl"), *FAST, workdir=workdir)
    reasons = {m.group(1): m.group(2) for m in _SKIP_LINE.finditer(result.stderr)}
    return Crawl(result, reasons, {item["url"]: item for item in result.items})


# --- HTTP and HTML: one crawl of every page case ----------------------------------------------

SKIPPED_PAGES = {  # case: (path, reason)
    "HTTP 404": ("/status/404", "http_404"),
    "HTTP 410": ("/status/410", "http_410"),
    "HTTP 500": ("/status/500", "http_500"),
    "HTTP 503 with Retry-After": ("/status/503", "http_503"),
    "connection reset": ("/reset", "fetch_failed"),
    "read timeout": ("/slow", "timeout"),
    "redirect loop": ("/loop/a", "redirect_loop"),
    "redirect to ftp:": ("/to-ftp", "bad_redirect"),
    "redirect to file:": ("/to-file", "bad_redirect"),
    "PDF as text/html": ("/lie/pdf", "binary_body"),
    "PNG as text/html": ("/lie/png", "binary_body"),
    "zip as text/html": ("/lie/zip", "binary_body"),
    "random bytes as text/html": ("/lie/random", "binary_body"),
    "empty body": ("/empty", "empty_page"),
    "truncated body": ("/truncated", "truncated"),
    "truncated gzip stream": ("/truncated-gzip", "truncated"),
    "decompression bomb (page)": ("/bomb", "too_large"),
    "50 MB page": ("/huge", "too_large"),
    "one 20 MB text node": ("/text-node", "no_article_text"),
    "no body element": ("/no-body", "no_article_text"),
    "only scripts": ("/only-scripts", "no_article_text"),
    "nesting 100,000 deep": ("/deep", "no_article_text"),
    "a page of links only": ("/all-links", "no_article_text"),
    "meta-refresh loop": ("/refresh/a", "redirect_loop"),
}
ARTICLE_PAGES = {  # case: (path, a paragraph's text the item must hold)
    "invalid bytes, NUL, control characters": ("/control", "Report prose: the city"),
    "cp1252 labelled utf-8": ("/cp1252-as-utf8", LEGACY[0].strip()),
    "Shift_JIS, undeclared": ("/shift-jis", SJIS[0]),
    "GB18030, undeclared": ("/gb18030", GB[0]),
    "UTF-8 BOM, header says iso-8859-1": ("/bom", LEGACY[0].strip()),
    "2 MB attribute value": ("/huge-attribute", "Report prose: the city"),
    "a good page beside them": ("/ok/good-1.html", "Report good-1: the city"),
}


@pytest.fixture(scope="module")
def pages(site: FaultSite, tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    paths = [path for path, _ in (*SKIPPED_PAGES.values(), *ARTICLE_PAGES.values())]
    return crawl("-a", "url=" + ",".join(site.base + path for path in paths),
                 workdir=tmp_path_factory.mktemp("pages"))


@pytest.mark.parametrize("case", SKIPPED_PAGES)
def test_a_bad_page_is_skipped_with_its_reason(pages: Crawl, site: FaultSite, case: str) -> None:
    path, reason = SKIPPED_PAGES[case]
    assert pages.reasons.get(site.base + path) == reason
    assert site.base + path not in pages.items


def test_each_reason_is_counted_once_per_page_and_summed_up(pages: Crawl) -> None:
    expected = Counter(reason for _, reason in SKIPPED_PAGES.values())
    counted = {reason: pages.result.stat(f"cleanwire/skipped/{reason}") for reason in expected}
    assert counted == dict(expected)
    summary = pages.result.stdout
    assert f"pages skipped:     {sum(expected.values())} (" in summary
    assert all(f"{reason}: {count}" in summary for reason, count in expected.items())
    assert pages.result.stat("item_scraped_count") == len(ARTICLE_PAGES)


@pytest.mark.parametrize("case", ARTICLE_PAGES)
def test_a_hostile_page_that_is_an_article_comes_out_right(pages: Crawl, site: FaultSite, case: str) -> None:
    path, paragraph = ARTICLE_PAGES[case]
    item = pages.items[site.base + path]
    assert paragraph in item["text"]


def test_no_item_carries_control_characters_or_replacement_marks(pages: Crawl) -> None:
    def strings(value: Any) -> Iterator[str]:
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for inner in value.values():
                yield from strings(inner)
        elif isinstance(value, list):
            for inner in value:
                yield from strings(inner)

    for item in pages.items.values():
        for text in strings(item):
            assert not _UNPRINTABLE.search(text), (item["url"], text[:200])


# --- feeds and sitemaps: one crawl of every listing case --------------------------------------

FEEDS = ["/feed/links.xml", "/feed/malformed.xml", "/feed/laughs.xml", "/feed/xxe.xml", "/feed/bomb.xml"]
SITEMAPS = ["/sitemap/xxe.xml", "/sitemap/laughs.xml", "/sitemap/bomb.xml.gz", "/sitemap/big.xml",
            "/sitemap/malformed.xml", "/sitemap/loop-a.xml", "/sitemap/news.xml", "/sitemap/unresolvable.xml"]
SKIPPED_LISTINGS = {  # case: (URL or link as logged, reason)
    "malformed XML feed": ("/feed/malformed.xml", "bad_feed"),
    "decompression bomb (gzipped feed)": ("/feed/bomb.xml", "too_large"),
    "decompression bomb (gzipped sitemap)": ("/sitemap/bomb.xml.gz", "bad_sitemap"),
    "malformed XML sitemap": ("/sitemap/malformed.xml", "bad_sitemap"),
    "external entities in a sitemap": ("/sitemap/xxe.xml", "bad_sitemap"),
    "entity-expansion bomb in a sitemap": ("/sitemap/laughs.xml", "bad_sitemap"),
    "sitemap index that loops": ("/sitemap/loop-a.xml", "sitemap_loop"),
    "javascript: link": ("javascript:alert(1)", "bad_link"),
    "mailto: link": ("mailto:desk@news.example", "bad_link"),
    "invalid link (http://[::1)": ("(an entry without a link)", "bad_link"),  # feedparser empties it
    "8 KB URL": ("/long/", "bad_link"),
    "a host that does not resolve": ("http://unresolvable.invalid/story.html", "fetch_failed"),
}
LISTED_ARTICLES = {  # case: (page, published as the item states it)
    "feed entry dated in the future": ("/ok/feed-1.html", None),
    "relative link, unparseable date": ("/ok/feed-2.html", None),
    "feed entry with a good date": ("/ok/feed-3.html", "2025-12-02T10:00:00+00:00"),
    "entry beside an external entity": ("/ok/feed-4.html", None),
    "entry of a feed with an entity bomb": ("/ok/feed-5.html", None),
    "news sitemap date in the future": ("/ok/news-1.html", None),
    "news sitemap date that is none": ("/ok/news-2.html", None),
    "news sitemap with a good date": ("/ok/news-3.html", "2025-12-02T10:00:00+00:00"),
    "page of a looping sitemap index": ("/ok/loop-1.html", None),
    **{f"sitemap of 50,000 URLs: page {n}": (f"/ok/big-{n}.html", None) for n in range(10)},
}


@pytest.fixture(scope="module")
def listings(site: FaultSite, tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return crawl("-a", "feed=" + ",".join(site.base + path for path in FEEDS),
                 "-a", "sitemap=" + ",".join(site.base + path for path in SITEMAPS),
                 workdir=tmp_path_factory.mktemp("listings"))


@pytest.mark.parametrize("case", SKIPPED_LISTINGS)
def test_a_bad_listing_or_link_is_skipped_with_its_reason(listings: Crawl, site: FaultSite, case: str) -> None:
    where, reason = SKIPPED_LISTINGS[case]
    logged = {url: why for url, why in listings.reasons.items()
              if url == where or url.startswith(site.base + where)}
    assert list(logged.values()) == [reason], listings.reasons
    assert listings.result.stat(f"cleanwire/skipped/{reason}") == sum(
        1 for _, why in SKIPPED_LISTINGS.values() if why == reason)


@pytest.mark.parametrize("case", LISTED_ARTICLES)
def test_the_good_entries_beside_them_are_written(listings: Crawl, site: FaultSite, case: str) -> None:
    path, published = LISTED_ARTICLES[case]
    item = listings.items[site.base + path]
    assert item["published"] == published


def test_no_external_entity_is_ever_resolved(listings: Crawl, site: FaultSite) -> None:
    assert SECRET not in listings.result.stdout + listings.result.stderr
    assert all(SECRET not in path for path in site.requested())
    assert all(SECRET not in str(item) for item in listings.items.values())


def test_a_50000_url_sitemap_is_read_once_and_in_bounded_time(listings: Crawl, site: FaultSite) -> None:
    assert site.requested().count("/sitemap/big.xml") == 1
    assert sum(1 for path in site.requested() if path.startswith("/ok/big-")) == 10  # 5,000 links each


# --- state faults: locked, corrupt, read-only, full -------------------------------------------

def scheduled(site: FaultSite, workdir: Path, state: Path, *pages: str, check: bool = True,
              wrapper: tuple[str, ...] = ()) -> CrawlResult:
    return run_crawl("-a", "url=" + ",".join(f"{site.base}/ok/{page}.html" for page in pages),
                     "-a", f"state={state}", "-a", f"output={workdir / 'out'}", *FAST, *INLINE,
                     workdir=workdir, check=check, wrapper=wrapper)


def committed_articles(state: Path) -> set[str]:
    with sqlite3.connect(state) as db:
        return {url for (url,) in db.execute("SELECT canonical_url FROM articles")}


def test_a_store_locked_by_another_process_is_exit_3(site: FaultSite, tmp_path: Path) -> None:
    holder = SqliteStateStore(tmp_path / "state" / "s.sqlite")
    try:
        refused = scheduled(site, tmp_path, tmp_path / "state" / "s.sqlite", "lock-1", check=False)
    finally:
        holder.close()
    assert refused.returncode == 3 and "is in use by pid" in refused.stderr
    assert "Traceback" not in refused.stderr and refused.outputs == []


def test_a_corrupt_store_is_exit_2_and_touches_nothing(site: FaultSite, tmp_path: Path) -> None:
    state = tmp_path / "state" / "s.sqlite"
    state.parent.mkdir()
    state.write_bytes(b"not a database " * 500)
    refused = scheduled(site, tmp_path, state, "corrupt-1", check=False)
    assert refused.returncode == 2 and "cannot open state store" in refused.stderr
    assert "Traceback" not in refused.stderr and refused.outputs == []
    assert state.read_bytes() == b"not a database " * 500


def _namespaces() -> bool:
    """Unprivileged user and mount namespaces (``unshare -rm``), to make a disk read-only or full."""
    if not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode == 0


needs_namespaces = pytest.mark.skipif(not _namespaces(), reason="needs unshare -rm (user and mount namespaces)")


@needs_namespaces
def test_a_store_on_a_read_only_disk_is_exit_2_and_the_next_run_recovers(site: FaultSite, tmp_path: Path) -> None:
    state = tmp_path / "state" / "s.sqlite"
    first = scheduled(site, tmp_path, state, "ro-1")
    read_only = ("unshare", "-rm", "sh", "-c",
                 f'mount --bind "{state.parent}" "{state.parent}" && '
                 f'mount -o remount,bind,ro "{state.parent}" && exec "$@"', "sh")
    refused = scheduled(site, tmp_path, state, "ro-1", "ro-2", check=False, wrapper=read_only)
    assert refused.returncode == 2, refused.stderr[-2000:]
    assert "cannot open state store" in refused.stderr and "Traceback" not in refused.stderr
    assert refused.outputs == [] and committed_articles(state) == {f"{site.base}/ok/ro-1.html"}
    again = scheduled(site, tmp_path, state, "ro-1", "ro-2")
    assert [i["url"] for i in first.items + again.items] == [f"{site.base}/ok/ro-1.html", f"{site.base}/ok/ro-2.html"]


@needs_namespaces
def test_a_store_on_a_full_disk_fails_the_commit_and_keeps_what_was_committed(site: FaultSite,
                                                                              tmp_path: Path) -> None:
    state = tmp_path / "state" / "s.sqlite"
    scheduled(site, tmp_path, state, "full-1")
    disk = tmp_path / "disk"
    disk.mkdir()
    room = sum(f.stat().st_size for f in state.parent.iterdir()) // 1024 + 4 + 32 + 12  # lock, -shm, a WAL frame
    full = ("unshare", "-rm", "sh", "-c",
            f'mount -t tmpfs -o size={room}k tmpfs "{disk}" && cp -a "{state.parent}"/. "{disk}"/ && "$@"; '
            f'rc=$?; rm -f "{state.parent}"/*; cp -a "{disk}"/. "{state.parent}"/; exit $rc', "sh")
    pages = [f"full-{n}" for n in range(1, 7)]
    failed = run_crawl("-a", "url=" + ",".join(f"{site.base}/ok/{p}.html" for p in pages),
                       "-a", f"state={disk / state.name}", "-a", f"output={tmp_path / 'out'}", *FAST, *INLINE,
                       workdir=tmp_path, check=False, wrapper=full)
    assert failed.returncode == 1, failed.stderr[-2000:]
    assert "cannot commit" in failed.stderr and "Traceback" not in failed.stderr
    assert committed_articles(state) == {f"{site.base}/ok/full-1.html"}  # the earlier commit stands
    assert len(failed.items) == 5  # the output is kept: nothing is lost
    again = scheduled(site, tmp_path, state, *pages)
    assert again.returncode == 0 and len(again.items) == 5  # not committed, so emitted again
    assert committed_articles(state) == {f"{site.base}/ok/{p}.html" for p in pages}


# --- a long run killed late: checkpoints ------------------------------------------------------

def writing_after_checkpoints(log: Path, checkpoints: int) -> bool:
    """The crawl has cut ``checkpoints`` checkpoints and is writing the next part."""
    text = log.read_text()
    return text.count("checkpoint: ") >= checkpoints and "Scraped from" in text.rpartition("checkpoint: ")[2]


def test_sigkill_while_writing_loses_at_most_one_checkpoint_and_doubles_nothing(demo_server: DemoServer,
                                                                               tmp_path: Path) -> None:
    """Killed after its third checkpoint, mid-write; the restart finishes the job: every line whole,
    every article once, and the killed run's checkpoints kept."""
    out, state = tmp_path / "out", tmp_path / "state.sqlite"
    args = ["-a", f"site={demo_server.base_url}/", "-a", f"state={state}", "-a", f"output={out}",
            "-s", "CLEANWIRE_CHECKPOINT_ITEMS=5"]
    command = [sys.executable, "-m", "scrapy", "crawl", "news", *args, "-s", "LOG_LEVEL=DEBUG",
               "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0.05"]
    log = tmp_path / "killed.log"
    with log.open("w") as stderr:
        victim = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=stderr)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and victim.poll() is None and not writing_after_checkpoints(log, 3):
            time.sleep(0.01)
        assert victim.poll() is None, "the crawl ended before it could be killed"
        victim.send_signal(signal.SIGKILL)
        victim.wait(10)
    kept = sorted(out.glob("*.jsonl"))
    assert len(kept) >= 3 and all(re.search(r"\.000\d\.jsonl$", path.name) for path in kept)
    saved = [item["canonical_url"] for path in kept for item in read_jsonl(path)]
    assert len(saved) == 5 * len(kept) and committed_articles(state) == set(saved)

    rerun = run_crawl(*args, workdir=tmp_path)
    assert rerun.returncode == 0 and not list(out.glob("*.part"))
    emitted = [item["canonical_url"] for path in sorted(out.glob("*.jsonl")) for item in read_jsonl(path)]
    truth = read_jsonl(ROOT / "demo" / "truth.jsonl")
    assert sorted(emitted) == sorted(t["canonical"].replace("__BASE__", demo_server.base_url) for t in truth)
    assert len(rerun.items) == len(truth) - len(saved)  # only what the killed run had not committed


def test_a_source_url_that_no_request_accepts_is_exit_2(site: FaultSite, tmp_path: Path) -> None:
    """``feed=http://host:port:x`` passed the http(s) check, then raised in the spider with a traceback."""
    result = run_crawl("-a", f"feed={site.base}:http://x/feed.xml", workdir=tmp_path, check=False)
    assert result.returncode == 2 and "not an http(s) URL" in result.stderr
    assert "Traceback" not in result.stderr


# --- nobody gets in, nothing leaks out ----------------------------------------------------------

def _listening_sockets() -> set[str]:
    """Inodes of the TCP sockets in LISTEN state (0A) on this machine."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A":
                inodes.add(fields[9])
    return inodes


def _sockets_of_tree(pid: int) -> set[str]:
    """Socket inodes open in a process and its descendants (extraction workers)."""
    inodes: set[str] = set()
    try:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            target = os.readlink(fd)
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except (FileNotFoundError, ProcessLookupError):  # it ended meanwhile
        return inodes
    return inodes.union(*(_sockets_of_tree(int(child)) for child in children))


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads sockets from /proc (Linux)")
def test_a_crawl_listens_on_no_port_and_writes_nothing_outside_its_output(site: FaultSite, tmp_path: Path) -> None:
    home, out = tmp_path / "home", tmp_path / "out"
    home.mkdir()
    command = [*STRICT_PYTHON, "scrapy", "crawl", "news", *FAST,
               "-a", f"url={site.base}/slow,{site.base}/ok/quiet-1.html", "-a", f"state={tmp_path / 'state' / 's.sqlite'}",
               "-a", f"output={out}"]
    log = tmp_path / "crawl.log"
    with log.open("w") as stderr:
        crawler = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=stderr,
                                   env={**os.environ, "HOME": str(home)})
        listening: set[str] = set()
        while crawler.poll() is None:
            listening |= _sockets_of_tree(crawler.pid) & _listening_sockets()
            time.sleep(0.05)
    assert crawler.returncode == 0, log.read_text()[-3000:]
    assert not listening, "the crawl opened a listening socket"
    assert "Spider opened" in log.read_text() and "listening" not in log.read_text().lower()
    assert list(home.rglob("*")) == []  # no token, job or cache file under the user's home
    assert {path.name for path in out.iterdir()} == {f"{path.name}" for path in out.glob("news-*.jsonl")}
