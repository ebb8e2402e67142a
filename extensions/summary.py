"""The end-of-run summary, and the verdict the ``crawl`` command turns into an exit code."""

from __future__ import annotations

import sys
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from .runend import connect_run_end

FAILED_STAT = "cleanwire/run/failed"


class RunSummary:
    """Prints pages fetched, articles written, pages skipped and why, and the output files.

    A run in which no page at all could be fetched (every source unreachable or broken)
    is marked failed (stat ``cleanwire/run/failed``), whatever Scrapy thinks of it.
    ``CLEANWIRE_SUMMARY_ENABLED`` (default on) controls the printing, not the verdict.
    """

    def __init__(self, crawler: Crawler, printing: bool) -> None:
        self.crawler = crawler
        self.printing = printing
        self.outputs: list[tuple[str, int]] = []
        crawler.signals.connect(self.feed_slot_closed, signal=signals.feed_slot_closed)
        connect_run_end(crawler, self.run_ended)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunSummary:
        if not crawler.settings.getbool("CLEANWIRE_RUN_CHECKS_ENABLED", True):
            raise NotConfigured
        return cls(crawler, crawler.settings.getbool("CLEANWIRE_SUMMARY_ENABLED", True))

    def feed_slot_closed(self, slot: Any) -> None:
        self.outputs.append((getattr(slot.storage, "final_path", slot.uri), slot.itemcount))

    def run_ended(self) -> None:
        stats = self.crawler.stats
        assert stats is not None
        values = stats.get_stats()
        fetched = values.get("cleanwire/pages/fetched", 0) + values.get("cleanwire/listings/feed", 0) \
            + values.get("cleanwire/listings/sitemap", 0)
        unchanged = sum(v for k, v in values.items() if k.startswith("cleanwire/unchanged/"))
        if not fetched and not unchanged:
            stats.set_value(FAILED_STAT, "nothing could be fetched")
        if self.printing:
            sys.stdout.write(self.render(values, unchanged) + "\n")
            sys.stdout.flush()

    def render(self, values: dict[str, Any], unchanged: int) -> str:
        skipped = {k.rsplit("/", 1)[1]: v for k, v in values.items() if k.startswith("cleanwire/skipped/")}
        lines = [
            "cleanwire run summary",
            f"  pages fetched:     {values.get('cleanwire/pages/fetched', 0)}",
            f"  articles written:  {values.get('item_scraped_count', 0)}"
            f" ({values.get('cleanwire/articles/updated', 0)} updates)",
            f"  unchanged:         {unchanged + values.get('cleanwire/dropped/unchanged', 0)}",
            f"  pages skipped:     {sum(skipped.values())}"
            + (" (" + ", ".join(f"{k}: {v}" for k, v in sorted(skipped.items())) + ")" if skipped else ""),
        ]
        for path, count in self.outputs:
            lines.append(f"  output:            {path} ({count} articles)")
        if not self.outputs:
            lines.append("  output:            none (no new articles)" if values.get("cleanwire/run/failed") is None
                         else "  output:            none")
        if values.get(FAILED_STAT):
            lines.append(f"  RUN FAILED:        {values[FAILED_STAT]}")
        return "\n".join(lines)
