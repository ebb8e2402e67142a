"""Opens the job's state store for one run: lock, recovery of a killed run, final commit."""

from __future__ import annotations

import logging
from pathlib import Path

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from pipelines.state import StateStore

from .runend import connect_run_end

logger = logging.getLogger(__name__)

TRANSIENT_FAILURES_STAT = "cleanwire/transient_failures"
"""Fetches that may succeed next time (timeouts, 5xx); the spider counts them."""


class RunState:
    """Holds the state store of a run. Enabled by ``CLEANWIRE_STATE_PATH``.

    Opening the store takes the job's lock (a second run of the same job fails with
    ``RunLocked``) and finishes or discards the output of a run that was killed.
    """

    def __init__(self, crawler: Crawler, path: Path) -> None:
        self.crawler = crawler
        self.store = StateStore(path)
        self.store.recover()
        if not crawler.settings.getdict("FEEDS"):
            logger.warning("a state store without a feed: articles are marked seen but written nowhere")
        connect_run_end(crawler, self.finish)
        logger.info("state store: %s", path)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunState:
        path = crawler.settings.get("CLEANWIRE_STATE_PATH")
        if not path:
            raise NotConfigured
        return cls(crawler, Path(path))

    def commit(self, output: Path | None = None) -> None:
        """Commit what the run staged; feed and sitemap validators only if no fetch failed,
        so that an article lost to a transient error is looked for again next run."""
        assert self.crawler.stats is not None
        failures = self.crawler.stats.get_value(TRANSIENT_FAILURES_STAT, 0)
        if failures:
            logger.info("%d transient failures: listings will be read again next run", failures)
        self.store.commit(output, include_listings=not failures)

    def finish(self) -> None:
        self.commit()
        self.store.close()


def run_state(crawler: Crawler) -> RunState | None:
    """The run's RunState extension, or None when the run keeps no state."""
    return next((ext for ext in crawler.extensions.middlewares if isinstance(ext, RunState)), None)
