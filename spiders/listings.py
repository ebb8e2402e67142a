"""Reading listings: RSS/Atom feeds (feedparser) and sitemaps (Scrapy's sitemap parser)."""

from __future__ import annotations

import calendar
import re
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
from lxml import etree
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from cleanwire.errors import CleanwireError

GOOGLE_NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
FUTURE_SLACK = timedelta(days=1)
"""A listing date further ahead than this (time zones, clocks) is not believed."""
_INFLATE_CHUNK = 1 << 20
_DECLARES_ENTITIES = re.compile(rb"<!ENTITY", re.IGNORECASE)
_PROLOG_BYTES = 64 * 1024


class BadListing(CleanwireError):
    """A feed or sitemap that cannot be read."""


@dataclass(frozen=True)
class Entry:
    """A page a listing points to, with the publication date it states, if any."""

    url: str
    published: str | None = None


def feed_entries(body: bytes, url: str) -> list[Entry]:
    """Entries of an RSS 0.9x/1.0/2.0 or Atom feed; BadListing if it is not one."""
    parsed = feedparser.parse(body, response_headers={"content-location": url})
    if not parsed.entries and (parsed.bozo or not parsed.version):
        raise BadListing(f"not a feed: {getattr(parsed, 'bozo_exception', 'no feed version detected')}")
    # an entry without a usable link stays in, as "": the spider counts it as a bad link
    return [Entry(entry.get("link") or _alternate_link(entry) or "", _feed_date(entry)) for entry in parsed.entries]


def _alternate_link(entry: Any) -> str | None:
    return next((link.get("href") for link in entry.get("links", []) if link.get("rel") == "alternate"), None)


def _feed_date(entry: Any) -> str | None:
    """The entry's date; None when it has none feedparser can read, or one in the future."""
    # dict.get: FeedParserDict maps a missing updated_parsed to published_parsed, with a
    # DeprecationWarning that would cost the whole feed where warnings are errors
    parsed = dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
    if not parsed:
        return None
    try:
        date = datetime.fromtimestamp(calendar.timegm(parsed), tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None
    return None if date > datetime.now(timezone.utc) + FUTURE_SLACK else date.isoformat()


@dataclass(frozen=True)
class SitemapContent:
    children: list[str]
    """Sitemaps listed by a sitemap index."""
    pages: list[Entry]
    """Pages listed by a urlset, with Google News publication dates where given."""


def read_sitemap(body: bytes, max_size: int) -> SitemapContent:
    """A sitemap index or urlset, plain or gzipped; BadListing if it is neither, or if it
    inflates past ``max_size`` bytes (a decompression bomb) or its gzip stream is cut short."""
    if body[:2] == b"\x1f\x8b":
        body = gunzip_bounded(body, max_size)
    if _DECLARES_ENTITIES.search(body[:_PROLOG_BYTES]):  # entity bombs, external entities: nothing a sitemap needs
        raise BadListing("declares XML entities (never expanded)")
    try:
        sitemap = Sitemap(body)
        kind = sitemap.type
        entries = list(sitemap) if kind in ("sitemapindex", "urlset") else []
    except (etree.XMLSyntaxError, StopIteration, ValueError) as error:
        raise BadListing(f"not XML: {error or 'empty document'}") from error
    if kind == "sitemapindex":
        return SitemapContent([e["loc"] for e in entries], [])
    if kind != "urlset":
        raise BadListing(f"not a sitemap: root element <{kind}>")
    dates = _news_dates(body) if GOOGLE_NEWS_NS.encode() in body else {}
    return SitemapContent([], [Entry(e["loc"], dates.get(e["loc"])) for e in entries])


def gunzip_bounded(body: bytes, max_size: int) -> bytes:
    """The gzip stream inflated, chunk by chunk, never past ``max_size`` bytes in memory."""
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
    parts, size, pending = [], 0, body
    try:
        while pending and not inflater.eof:
            part = inflater.decompress(pending, _INFLATE_CHUNK)
            size += len(part)
            if max_size and size > max_size:
                raise BadListing(f"larger than {max_size} bytes once decompressed")
            parts.append(part)
            pending = inflater.unconsumed_tail
    except zlib.error as error:
        raise BadListing(f"broken gzip: {error}") from error
    if not inflater.eof:
        raise BadListing("broken gzip: the stream is cut short")
    return b"".join(parts)


def _news_dates(body: bytes) -> dict[str, str]:
    """Google News ``news:publication_date`` by page URL (Scrapy's parser flattens it away)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    root = etree.fromstring(body, parser=parser)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "n": GOOGLE_NEWS_NS}
    dates = {}
    for url in ([] if root is None else root.iterfind("s:url", ns)):
        loc, date = url.findtext("s:loc", None, ns), url.findtext("n:news/n:publication_date", None, ns)
        if loc and date and _believable(date.strip()):
            dates[loc.strip()] = date.strip()
    return dates


def _believable(date: str) -> bool:
    """A W3C date or date-time that is not later than tomorrow: anything else is no hint."""
    try:
        stated = datetime.fromisoformat(date.replace("Z", "+00:00"))
    except ValueError:
        return False
    if stated.tzinfo is None:
        stated = stated.replace(tzinfo=timezone.utc)
    return stated <= datetime.now(timezone.utc) + FUTURE_SLACK


def page_link(href: str, base_url: str) -> str | None:
    """The absolute http(s) URL a listing's link points to, or None for ``javascript:``,
    ``mailto:``, a link with no host, or one that is not a URL at all."""
    if not href.strip():
        return None
    try:
        url = urljoin(base_url, href.strip())
        parts = urlsplit(url)
    except ValueError:  # e.g. an invalid IPv6 host
        return None
    return url if parts.scheme in ("http", "https") and parts.hostname else None


def robots_sitemaps(body: bytes, base_url: str) -> list[str]:
    return list(sitemap_urls_from_robots(body, base_url=base_url))
