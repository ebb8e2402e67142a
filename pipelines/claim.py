"""Distributed crawls: a worker claims each article in the shared store before writing it."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured

from cleanwire.errors import StateError
from cleanwire.extensions.runstate import TRANSIENT_FAILURES_STAT, AlreadyEmitted, RunState


class ClaimPipeline:
    """The last step before the feed exporter, on a shared state store (``CLEANWIRE_REDIS_URL``).

    Two workers can hold the same article (two URLs of one canonical URL, a feed and a site
    crawl); the claim is atomic in the store, so one of them writes it. The claim also sees
    what other workers committed since ``DedupePipeline`` looked: an article committed
    meanwhile with this text is dropped as unchanged, and ``update`` / ``previous_sha256``
    follow the committed text. Stats: ``cleanwire/dropped/claimed_elsewhere``,
    ``cleanwire/dropped/claim_failed`` (the store could not be asked: the next round retries).
    """

    def __init__(self, crawler: Crawler, state: RunState) -> None:
        self.stats = crawler.stats
        self.state = state

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClaimPipeline:
        state = RunState.of(crawler)
        if state is None or state.shared is None:
            raise NotConfigured
        return cls(crawler, state)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, dict) or "canonical_url" not in item:
            return item
        key, digest = item["canonical_url"], item["text_sha256"]
        try:
            claim = self.state.claim(key, digest)
        except StateError as error:
            self.stats.inc_value("cleanwire/dropped/claim_failed")
            self.stats.inc_value(TRANSIENT_FAILURES_STAT)
            raise DropItem(f"cannot claim {key}: {error}", log_level="WARNING") from None
        if claim.verdict == "unchanged":
            self.stats.inc_value("cleanwire/dropped/unchanged")
            raise AlreadyEmitted(f"{key} committed by another worker", log_level="DEBUG")
        if claim.verdict == "taken":
            self.stats.inc_value("cleanwire/dropped/claimed_elsewhere")
            raise DropItem(f"{key} is being written by worker {claim.previous}", log_level="DEBUG")
        was_update = item.get("update") is True
        item["update"], item["previous_sha256"] = claim.previous is not None, claim.previous
        if item["update"] and not was_update:
            self.stats.inc_value("cleanwire/articles/updated")
        return item
