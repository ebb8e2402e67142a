"""What travels through the item pipeline: a fetched page in, an article record of the current schema version out."""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the state store uses utc_now without loading the extractor
    from cleanwire.extraction import Extraction
    from cleanwire.extraction.fingerprint import Fingerprint

SCHEMA_VERSION = 2  # its schema: pipelines/schema/article-v2.schema.json, never edited once published

# What no text field may carry: C0 controls but tab and newline, DEL, C1 controls, and the
# replacement character that stands for bytes that were not text in the page's encoding.
_UNPRINTABLE_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffd\ufffe\uffff]")


def utc_now() -> str:
    """A timestamp as items and the state store write it: UTC, ISO 8601, whole seconds."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


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


def printable(text: str) -> str:
    """Text without control characters or U+FFFD: a page's undecodable bytes never reach the output."""
    return _UNPRINTABLE_RE.sub("", text)


def _printable_or_none(text: str | None) -> str | None:
    return (printable(text).strip() or None) if text is not None else None


class Article(dict[str, Any]):
    """An article record. ``fingerprint`` rides along for the syndication pipeline: an
    attribute, not a key, so it is never written."""

    fingerprint: Fingerprint | None = None


def article_item(extraction: Extraction, url: str, fetched_at: str, source: str,
                 published_hint: str | None = None, explain: bool = False) -> Article:
    """The record of an article, schema version ``SCHEMA_VERSION``."""
    text = printable(extraction.text)
    article = Article({
        "schema_version": SCHEMA_VERSION,
        "url": url,
        "canonical_url": extraction.canonical_url or url,
        "title": _printable_or_none(extraction.title),
        "text": text,
        "authors": [name for name in map(_printable_or_none, extraction.authors) if name],
        "published": extraction.published or published_hint,
        "language": extraction.language,
        "site_name": _printable_or_none(extraction.site_name),
        "fetched_at": fetched_at,
        "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "source": source,
        "update": False,
        "previous_sha256": None,
        "duplicate_of": None,
        "duplicate_similarity": None,
        "description": _printable_or_none(extraction.description),
        "modified": extraction.modified,
        "image": extraction.image and {"url": extraction.image.url,
                                       "caption": _printable_or_none(extraction.image.caption)},
        "section": _printable_or_none(extraction.section),
        "tags": [tag for tag in map(_printable_or_none, extraction.tags) if tag],
        "paywalled": extraction.paywalled,
        "word_count": extraction.word_count,
    })
    article.update((name, printable(body)) for name, body in extraction.bodies.items())
    article.fingerprint = extraction.fingerprint
    if explain:
        article["removed"] = [asdict(removal) for removal in extraction.removed]
        article["sources"] = dict(extraction.sources)
    return article
