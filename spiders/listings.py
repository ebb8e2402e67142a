"""Reading listings: RSS/Atom feeds (feedparser) and sitemaps (Scrapy's sitemap parser)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
from lxml import etree
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from cleanwire.errors import CleanwireError

GOOGLE_NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


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
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=timezone.utc).isoformat()


@dataclass(frozen=True)
class SitemapContent:
    children: list[str]
    """Sitemaps listed by a sitemap index."""
    pages: list[Entry]
    """Pages listed by a urlset, with Google News publication dates where given."""


def read_sitemap(body: bytes) -> SitemapContent:
    """A sitemap index or urlset, plain or gzipped; BadListing if it is neither."""
    if body[:2] == b"\x1f\x8b":
        try:
            body = gunzip(body)
        except OSError as error:
            raise BadListing(f"broken gzip: {error}") from error
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


def _news_dates(body: bytes) -> dict[str, str]:
    """Google News ``news:publication_date`` by page URL (Scrapy's parser flattens it away)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    root = etree.fromstring(body, parser=parser)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "n": GOOGLE_NEWS_NS}
    dates = {}
    for url in ([] if root is None else root.iterfind("s:url", ns)):
        loc, date = url.findtext("s:loc", None, ns), url.findtext("n:news/n:publication_date", None, ns)
        if loc and date:
            dates[loc.strip()] = date.strip()
    return dates


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
