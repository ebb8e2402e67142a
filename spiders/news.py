"""The ``news`` spider: fetches article pages from URLs, feeds, sitemaps and whole sites.

    scrapy crawl news -a url=URL[,URL...]        one-off: these pages are articles
    scrapy crawl news -a urls_file=FILE          one-off: one URL a line
    scrapy crawl news -a feed=URL                RSS / Atom entries
    scrapy crawl news -a sitemap=URL             sitemap, sitemap index, news sitemap, or a
                                                 site root (its robots.txt Sitemap: lines)
    scrapy crawl news -a site=URL [-a depth=3 -a max_pages=500]
    scrapy crawl news -a jobs=jobs.toml -a job=NAME
    extra: -a state=PATH (only what is new), -a output=DIR (a timestamped JSONL file per run)
    scrapy crawl news -s CLEANWIRE_REDIS_URL=redis://HOST/ -a output=DIR
                                                 a worker of a distributed crawl: seeds, queue,
                                                 dupefilter and state in Redis (spiders/frontier.py)

The spider only fetches: each HTML page it wants is yielded as a FetchedPage and the item
pipeline extracts, de-duplicates, validates and writes it. Every page it cannot use is
skipped with one log line and a ``cleanwire/skipped/<reason>`` stat.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import Crawler
from scrapy.exceptions import (
    DownloadCancelledError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import IGNORED_EXTENSIONS, LinkExtractor
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from cleanwire.config import check_settings
from cleanwire.extensions.runstate import TRANSIENT_FAILURES_STAT, RunState
from cleanwire.items import FetchedPage, utc_now

from .frontier import RedisSeeds, use_redis
from .listings import BadListing, Entry, feed_entries, page_link, read_sitemap, robots_sitemaps
from .middlewares import ROLE_META, RedirectLoop, TruncatedBody, Unchanged
from .pages import is_article_page, skip_reason
from .sources import SOURCE_KINDS, CrawlPlan, build_plan, is_web_url

logger = logging.getLogger(__name__)

SOURCE_META = "cleanwire_source"
DEPTH_META = "cleanwire_depth"
PUBLISHED_META = "cleanwire_published"


class _WithoutTraceback(logging.Filter):
    """Scrapy logs a robots.txt it cannot fetch (a host that does not resolve) with a traceback;
    the page's own failure is logged by the spider as one line, so one line is enough here too."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info, record.exc_text = None, None
        return True


def _robots_errors_in_one_line() -> None:
    robots = logging.getLogger("scrapy.downloadermiddlewares.robotstxt")
    if not any(isinstance(f, _WithoutTraceback) for f in robots.filters):
        robots.addFilter(_WithoutTraceback())


class NewsSpider(RedisSeeds, scrapy.Spider):
    name = "news"

    def __init__(self, *args: Any, plan: CrawlPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.state: RunState | None = None
        self.site_pages: set[str] = set()  # asked for by a site crawl: max_pages counts pages, not links
        self.sitemaps: set[str] = set()  # asked for: a sitemap index that lists one again loops
        # not pages: binary files (pdf, images, ...) and feeds or sitemaps linked from a page
        self.site_links = LinkExtractor(unique=True, deny_extensions=[*IGNORED_EXTENSIONS, "xml", "rss", "atom"])

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        """Checks the settings and resolves the arguments first (a jobs file may set the state path
        and the output): a typo or a bad value stops the run here, before any component reads it."""
        _robots_errors_in_one_line()
        check_settings(crawler.settings)
        redis_url = crawler.settings.get("CLEANWIRE_REDIS_URL")
        plan = build_plan(kwargs, seeded=bool(redis_url))
        if redis_url:
            use_redis(crawler.settings, redis_url, plan.name)
            if plan.state:
                logger.warning("state=%s is not used: with CLEANWIRE_REDIS_URL the state is in Redis", plan.state)
        elif plan.state:
            crawler.settings.set("CLEANWIRE_STATE_PATH", plan.state, priority="spider")
        if not redis_url and plan.lone_page:
            # AutoThrottle's start delay paces a crawl's first requests until it has measured a
            # latency; a lone page is two requests (robots.txt, the page) and would only wait
            # the delay out between them. A -s AUTOTHROTTLE_START_DELAY given still wins.
            crawler.settings.set("AUTOTHROTTLE_START_DELAY", 0, priority="spider")
        if plan.output:
            feeds = crawler.settings.getdict("FEEDS")
            stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")  # sortable, unique per run
            uri = str(Path(plan.output).resolve() / f"{plan.name}-{stamp}.jsonl")
            feeds[uri] = {"format": "jsonlines", "encoding": "utf-8", "store_empty": False}
            # never below FEEDS given on the command line (-o, Scrapyd's items_dir): add to them
            priority = max(crawler.settings.getpriority("FEEDS") or 0, SETTINGS_PRIORITIES["spider"])
            crawler.settings.set("FEEDS", feeds, priority=priority)
        spider: NewsSpider = super().from_crawler(crawler, *args, plan=plan, **kwargs)
        if redis_url:
            spider.setup_redis(crawler)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.state = RunState.of(self.crawler)  # built after the spider: ask once it runs
        for kind in SOURCE_KINDS:
            for url in self.plan.sources[kind]:
                yield self._source_request(kind, url)
        for request in self.seed_requests():  # a distributed crawl: seeds pushed into Redis
            yield request

    def _source_request(self, kind: str, url: str) -> scrapy.Request:
        """The first request of a source given as ``-a KIND=URL`` or pushed as a seed."""
        if kind == "url":
            return self._page_request(url, "url", role="article")
        if kind == "feed":
            return scrapy.Request(url, self.parse_feed, errback=self.skip_failure, meta={ROLE_META: "listing"})
        if kind == "sitemap":
            url = url.rstrip("/") + "/robots.txt" if urlsplit(url).path in ("", "/") else url
            if url.endswith("/robots.txt"):  # always read: its sitemaps may change while it does not
                return scrapy.Request(url, self.parse_robots, errback=self.skip_failure)
            return self._sitemap_request(url)
        return self._page_request(url, "site", role="page", depth=0)

    def make_request_from_data(self, data: bytes | str) -> list[scrapy.Request]:
        """A seed from Redis: ``{"kind": "feed", "url": "..."}`` (kind: url, feed, sitemap or
        site), or a bare URL, an article page. Seeds pass the shared dupefilter like every
        request: a new round (``scrapy seed``) empties it, so each round reads its feeds again."""
        try:
            seed = parse_seed(data)
        except ValueError as error:
            self.skip(repr(data)[:200], "bad_seed", str(error))
            return []
        return [self._source_request(*seed)]

    # --- listings ----------------------------------------------------------------------

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        try:
            entries = feed_entries(response.body, response.url)
        except BadListing as error:
            self.skip(response.url, "bad_feed", str(error))
            return
        self.crawler.stats.inc_value("cleanwire/listings/feed")
        if self.state is not None:
            self.state.listing_read(response)
        yield from self._entry_requests(entries, "feed", response.url)

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        sitemaps = robots_sitemaps(response.body, response.url)
        if not sitemaps:
            self.skip(response.url, "no_sitemap", "robots.txt names no Sitemap:")
        for url in sitemaps:
            yield self._sitemap_request(url)

    def _sitemap_request(self, url: str) -> scrapy.Request:
        self.sitemaps.add(url)
        return scrapy.Request(url, self.parse_sitemap, errback=self.skip_failure, meta={ROLE_META: "listing"})

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        try:  # a gzipped sitemap inflates no further than a download may be
            content = read_sitemap(response.body, self.settings.getint("DOWNLOAD_MAXSIZE"))
        except BadListing as error:
            self.skip(response.url, "bad_sitemap", str(error))
            return
        self.crawler.stats.inc_value("cleanwire/listings/sitemap")
        if not content.children and self.state is not None:
            # an index is read again every run: it need not change when its children do
            self.state.listing_read(response)
        for child in content.children:
            url = self._link(child, response.url)
            if url is None:
                continue
            if url in self.sitemaps:
                self.skip(url, "sitemap_loop", f"listed again by {response.url}")
                continue
            yield self._sitemap_request(url)
        yield from self._entry_requests(content.pages, "sitemap", response.url)

    def _entry_requests(self, entries: list[Entry], source: str, listing_url: str) -> Iterator[scrapy.Request]:
        """One request per entry; a link that is no page (``javascript:``, ``mailto:``, garbage)
        is skipped alone, never the entries after it."""
        for entry in entries:
            url = self._link(entry.url, listing_url)
            if url is not None:
                yield self._page_request(url, source, role="article", published=entry.published)

    def _link(self, href: str, listing_url: str) -> str | None:
        """The URL a listing's link points to, or None, counted as ``bad_link``: no http(s) page,
        or a URL longer than ``URLLENGTH_LIMIT`` (Scrapy would drop it without a stat)."""
        url = page_link(href, listing_url)
        limit = self.settings.getint("URLLENGTH_LIMIT")
        if url is not None and (not limit or len(url) <= limit):
            return url
        detail = f"in {listing_url}" if url is None else f"a URL of {len(url)} characters, in {listing_url}"
        self.skip(href[:200] or "(an entry without a link)", "bad_link", detail)
        return None

    # --- pages -------------------------------------------------------------------------

    def _page_request(self, url: str, source: str, role: str, depth: int | None = None,
                      published: str | None = None) -> scrapy.Request:
        meta = {SOURCE_META: source, ROLE_META: role, DEPTH_META: depth, PUBLISHED_META: published}
        return scrapy.Request(url, self.parse_page, errback=self.skip_failure, meta=meta)

    def parse_page(self, response: Response) -> Iterator[FetchedPage | scrapy.Request]:
        self.crawler.stats.inc_value("cleanwire/pages/fetched")
        reason = skip_reason(response)
        if reason is not None:
            self.skip(response.url, reason, (response.headers.get(b"Content-Type") or b"no Content-Type").decode())
            return
        source = response.meta[SOURCE_META]
        if source == "site":
            assert isinstance(response, TextResponse)
            yield from self._follow_links(response)
            if not is_article_page(response, self.crawler.stats, self.settings.getbool("CLEANWIRE_EXPLAIN")):
                return
        yield FetchedPage(url=response.url, body=response.body, fetched_at=utc_now(), source=source,
                          published_hint=response.meta.get(PUBLISHED_META))

    def _follow_links(self, response: TextResponse) -> Iterator[scrapy.Request]:
        depth = response.meta[DEPTH_META]
        if depth >= self.plan.depth:
            return
        host = urlsplit(response.url).netloc
        for link in self.site_links.extract_links(response):
            if urlsplit(link.url).netloc != host:
                continue
            if link.url in self.site_pages:
                continue
            if len(self.site_pages) >= self.plan.max_pages:
                self.crawler.stats.set_value("cleanwire/site/max_pages_reached", self.plan.max_pages)
                return
            self.site_pages.add(link.url)
            yield self._page_request(link.url, "site", role="page", depth=depth + 1)

    # --- failures ----------------------------------------------------------------------

    def skip_failure(self, failure: Failure) -> None:
        """Errback of every request: one log line and one stat per lost page, no traceback.

        Reasons: ``http_<status>``, ``bad_redirect`` (to a scheme that is no web page),
        ``redirect_loop``, ``too_large`` (past ``DOWNLOAD_MAXSIZE``, as sent or decompressed),
        ``truncated`` (the connection or the gzip stream ended early), ``timeout``, ``ignored``
        (robots.txt, other middlewares), ``fetch_failed`` (connection refused, reset, ...).
        """
        if failure.check(Unchanged):
            return
        request = failure.request  # type: ignore[attr-defined]
        url = request.meta.get("redirect_urls", [request.url])[0]  # the page asked for, if redirected
        error = failure.value
        if isinstance(error, HttpError):
            status = error.response.status
            location = error.response.headers.get(b"Location")
            if 300 <= status < 400 and location:  # a redirect Scrapy would not follow: no http(s) URL
                self.skip(url, "bad_redirect", f"to {location.decode('latin-1')[:200]}")
                return
            transient = status >= 500 or status in (408, 429)
            self.skip(url, f"http_{status}", "HTTP error", transient=transient)
        elif isinstance(error, RedirectLoop):
            self.skip(url, "redirect_loop", str(error)[:500])
        elif isinstance(error, DownloadCancelledError) or (
                isinstance(error, IgnoreRequest) and "DOWNLOAD_MAXSIZE" in str(error)):
            self.skip(url, "too_large", str(error))
        elif isinstance(error, (TruncatedBody, ResponseDataLossError)):
            self.skip(url, "truncated", str(error) or "the connection closed early", transient=True)
        elif isinstance(error, DownloadTimeoutError):
            self.skip(url, "timeout", str(error), transient=True)
        elif isinstance(error, IgnoreRequest):
            self.skip(url, "ignored", str(error) or "ignored by a middleware")
        else:
            self.skip(url, "fetch_failed", failure.getErrorMessage(), transient=True)

    def skip(self, url: str, reason: str, detail: str, transient: bool = False) -> None:
        stats = self.crawler.stats
        stats.inc_value(f"cleanwire/skipped/{reason}")
        if transient:
            stats.inc_value(TRANSIENT_FAILURES_STAT)
        logger.warning("skipped %s: %s (%s)", url, reason, detail)


def parse_seed(data: bytes | str) -> tuple[str, str]:
    """(kind, URL) of a seed as pushed into Redis; ValueError when it is neither a JSON seed
    nor a bare http(s) URL."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    text = text.strip()
    if text.startswith("{"):
        try:
            seed = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(f"not JSON: {error}") from None
        if not isinstance(seed, dict):
            raise ValueError("a JSON seed is an object")
        kind, url = seed.get("kind", "url"), seed.get("url")
    else:
        kind, url = "url", text
    if kind not in SOURCE_KINDS:
        raise ValueError(f"kind must be one of {', '.join(SOURCE_KINDS)}")
    if not isinstance(url, str) or not is_web_url(url):
        raise ValueError("no http(s) URL")
    return kind, url
