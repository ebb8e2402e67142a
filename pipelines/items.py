"""What travels through the item pipeline: a fetched page in, an article out."""

from __future__ import annotations

from dataclasses import dataclass

SCHEMA_VERSION = 1


@dataclass
class FetchedPage:
    """An HTML page as the spider fetched it; the extraction pipeline turns it into an article."""

    url: str
    body: bytes
    fetched_at: str
    source: str
    """How the page was found: url, feed, sitemap or site."""
    published_hint: str | None = None
    """A publication date stated by the feed or news sitemap that listed the page."""

    def __repr__(self) -> str:  # Scrapy logs dropped items: never the whole page
        return f"<FetchedPage {self.url} ({len(self.body)} bytes)>"
