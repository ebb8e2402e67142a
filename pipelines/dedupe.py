"""Only what is new: drops articles already emitted, in this run or (with state) an earlier one."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler

from cleanwire.extensions.runstate import AlreadyEmitted, RunState

logger = logging.getLogger(__name__)


class DedupePipeline:
    """Keys articles by canonical URL.

    Within a run, a second page with the same canonical URL and text (a tracking-query
    variant, a feed and a sitemap listing the same story) is dropped. With a state store, an
    article whose text hash equals the committed one is dropped as unchanged, and one whose
    text changed is emitted with ``update: true`` and the previous hash. ``RunState`` stages
    an article once the feed exporter has it, never before.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        state = RunState.of(crawler)
        self.reader = state.reader if state is not None else None
        self.emitted: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, dict) or "canonical_url" not in item:
            return item
        key, digest = item["canonical_url"], item["text_sha256"]
        if self.emitted.get(key) == digest:
            self._drop("duplicate", f"{item['url']} repeats {key} of this run")
        known = self.reader.article(key) if self.reader is not None else None
        if known is not None:
            if known.text_sha256 == digest:
                self._drop("unchanged", f"{key} unchanged since {known.last_seen}")
            item["update"], item["previous_sha256"] = True, known.text_sha256
            self.stats.inc_value("cleanwire/articles/updated")
        self.emitted[key] = digest
        return item

    def _drop(self, reason: str, detail: str) -> None:
        self.stats.inc_value(f"cleanwire/dropped/{reason}")
        raise AlreadyEmitted(detail, log_level="DEBUG")
