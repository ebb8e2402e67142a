"""Syndicated copies: says which articles are the same story as one emitted before.

Agency copy on many sites, aggregator reposts, AMP and print versions: URL de-duplication
cannot see them, their text can. Each article's fingerprint (``extraction.fingerprint``,
computed with the extraction, in the workers) is looked up among the articles of this run and,
with a state store, of every earlier run; a match sets ``duplicate_of`` to the earliest
original's canonical URL and ``duplicate_similarity``. Originals are indexed once written.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured

from cleanwire.extensions.runstate import RunState
from cleanwire.extraction.fingerprint import Fingerprint, NearDuplicateIndex, earliest_copy
from cleanwire.items import Article


class SyndicationPipeline:
    """Flags near-duplicates of earlier articles. Settings: ``CLEANWIRE_SYNDICATION_ENABLED``
    (default on), ``CLEANWIRE_SYNDICATION_DROP`` (drop copies instead of flagging them; default
    off), ``CLEANWIRE_SYNDICATION_MAX_AGE_DAYS`` (the index forgets originals first seen
    longer ago; 0 keeps them; default 90). Stat: ``cleanwire/duplicates`` per copy found."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.stats = crawler.stats
        self.drop = settings.getbool("CLEANWIRE_SYNDICATION_DROP", False)
        self.state = RunState.of(crawler)
        self.index = NearDuplicateIndex()
        max_age = settings.getfloat("CLEANWIRE_SYNDICATION_MAX_AGE_DAYS", 90)
        if self.state is not None and max_age > 0:
            cutoff = datetime.now(timezone.utc) - timedelta(days=max_age)
            self.state.expire_fingerprints(cutoff.replace(microsecond=0).isoformat())
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SyndicationPipeline:
        if not crawler.settings.getbool("CLEANWIRE_SYNDICATION_ENABLED", True):
            raise NotConfigured
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article) or item.fingerprint is None:
            return item
        fp, key = item.fingerprint, item["canonical_url"]
        candidates = [(url, Fingerprint(signature, shingles)) for url, signature, shingles
                      in (self.state.reader.fingerprint_candidates(fp.bands) if self.state is not None else ())]
        candidates += self.index.candidates(fp)  # this run's come after every committed one
        match = earliest_copy(fp, [(url, other) for url, other in candidates if url != key])
        if match is None:
            self.index.add(key, fp)
            return item
        item["duplicate_of"], item["duplicate_similarity"] = match
        self.stats.inc_value("cleanwire/duplicates")
        if self.drop:
            raise DropItem(f"{item['url']} is a copy of {match[0]} (similarity {match[1]})", log_level="INFO")
        return item

    def item_scraped(self, item: Any) -> None:
        if isinstance(item, Article) and item.fingerprint is not None and item["duplicate_of"] is None \
                and self.state is not None:
            self.state.fingerprint_emitted(item["canonical_url"], item.fingerprint, item["fetched_at"])
