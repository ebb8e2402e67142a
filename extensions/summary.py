"""The end-of-run summary, and the verdict the ``crawl`` command turns into an exit code."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler

from .runend import INTERRUPTED_STAT, connect_run_end, interrupted

logger = logging.getLogger(__name__)

FAILED_STAT = "cleanwire/run/failed"


class RunSummary:
    """Prints pages fetched, articles written, pages skipped and why, and the output files.

    A run in which no page at all could be fetched (every source unreachable or broken)
    is marked failed (stat ``cleanwire/run/failed``), whatever Scrapy thinks of it; not a worker
    of a distributed crawl that found no work in the shared queue, nor a run interrupted first.
    An interrupted run (``RunEnding``) says so, and names the files it kept.
    ``CLEANWIRE_SUMMARY_ENABLED`` (default on) controls the printing, not the verdict;
    ``CLEANWIRE_STATS_FILE`` names a JSON file that receives all the run's stats, for
    monitoring (and tests).
    """

    def __init__(self, crawler: Crawler, printing: bool, stats_file: str | None) -> None:
        self.crawler = crawler
        self.printing = printing
        self.stats_file = Path(stats_file) if stats_file else None
        self.outputs: list[tuple[str, int]] = []
        crawler.signals.connect(self.feed_slot_closed, signal=signals.feed_slot_closed)
        connect_run_end(crawler, self.run_ended)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunSummary:
        settings = crawler.settings
        return cls(crawler, settings.getbool("CLEANWIRE_SUMMARY_ENABLED", True), settings.get("CLEANWIRE_STATS_FILE"))

    def feed_slot_closed(self, slot: Any) -> None:
        segments = getattr(slot.storage, "segments", [])  # files finished at checkpoints
        self.outputs.extend(segments)
        if getattr(slot.storage, "discarded", False):  # a refused commit on a shared store
            return
        last = slot.itemcount - sum(count for _, count in segments)
        if last or not segments:
            self.outputs.append((getattr(slot.storage, "final_path", slot.uri), last))

    def run_ended(self) -> None:
        stats = self.crawler.stats
        assert stats is not None
        values = stats.get_stats()
        fetched = values.get("cleanwire/pages/fetched", 0) + values.get("cleanwire/listings/feed", 0) \
            + values.get("cleanwire/listings/sitemap", 0)
        unchanged = sum(v for k, v in values.items() if k.startswith("cleanwire/unchanged/"))
        # a worker of a distributed crawl that found the shared queue empty has not failed
        idle_worker = bool(self.crawler.settings.get("CLEANWIRE_REDIS_URL")) and not values.get("scheduler/dequeued/redis")
        stopped = interrupted(stats)
        if not fetched and not unchanged and not idle_worker and not stopped:
            stats.set_value(FAILED_STAT, "nothing could be fetched")
            values = stats.get_stats()
        if stopped:
            kept = ", ".join(f"{path} ({count} articles)" for path, count in self.outputs) or "no output file"
            logger.warning("interrupted (%s): kept %s; the next run fetches what this one did not reach", stopped, kept)
        if self.stats_file is not None:
            self.stats_file.parent.mkdir(parents=True, exist_ok=True)
            self.stats_file.write_text(json.dumps(values, default=str, indent=1), encoding="utf-8")
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
            quiet = values.get(FAILED_STAT) or values.get(INTERRUPTED_STAT)
            lines.append("  output:            none" + ("" if quiet else " (no new articles)"))
        if values.get(FAILED_STAT):
            lines.append(f"  RUN FAILED:        {values[FAILED_STAT]}")
        if interrupted_by := values.get(INTERRUPTED_STAT):
            lines.append(f"  INTERRUPTED:       by {interrupted_by}: the output above holds every article it wrote; "
                         "the next run fetches what this one did not reach")
        return "\n".join(lines)
