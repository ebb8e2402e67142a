"""The one owner of the run's state: opens the store, stages every write, commits at the end.

Other components receive the ``RunState`` once, from ``from_crawler`` (``RunState.of``), read
through ``reader`` and report what happened through the methods below; none of them writes
to the store. What is staged, and when:

- an article's text hash, and the validators of its page, once the feed exporter has the item
  (``item_scraped``), or once the page is known to hold an article already emitted;
- a feed's or a sitemap's validators once it has been read (never a sitemap index: its
  children can change while it does not), and committed only by a run that finished (every
  entry it listed was fetched or known to be unchanged; not one interrupted or stopped by a
  limit) without a transient failure, so that an article lost to a timeout or never reached
  is looked for again next run;
- template-learning counts when the extraction pipeline closes.

Everything staged is committed at the end of the run, and on the way at checkpoints
(``CLEANWIRE_CHECKPOINT_ITEMS`` articles or ``CLEANWIRE_CHECKPOINT_SECONDS`` seconds since
the last one): the output written so far becomes its own file, committed with what was staged
for it, so a run killed late loses one checkpoint's work, not the run's.

A page dropped after download (no article text, invalid item) keeps no validators, so the
next run fetches and extracts it again. Articles are committed only with the output that holds
them: never when an output feed could not be stored, and a crawl without an output is refused.
"""

from __future__ import annotations

import hashlib
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from weakref import WeakKeyDictionary

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.http import Response

from cleanwire.errors import StateError
from cleanwire.state import Claim, PageRecord, SharedStateStore, StateReader, StateStore, open_store

if TYPE_CHECKING:
    from cleanwire.extraction.fingerprint import Fingerprint

from .runend import CLOSE_REASON_STAT, connect_run_end, finished
from .summary import FAILED_STAT

logger = logging.getLogger(__name__)

TRANSIENT_FAILURES_STAT = "cleanwire/transient_failures"
"""Fetches that may succeed next time (timeouts, 5xx); the spider counts them."""

_RUNS: WeakKeyDictionary[Crawler, RunState] = WeakKeyDictionary()


class Checkpointed(Protocol):
    """An output file that can be cut at a checkpoint (``AtomicFileFeedStorage``)."""

    def checkpoint(self, items: int) -> bool:
        """Finish the file written so far as its own, committed with the state, and go on in a
        new one; False when the store refused (everything is then left to the run's end)."""
        ...


class AlreadyEmitted(DropItem):
    """The page's article was emitted before, unchanged: its page may be asked conditionally."""


class RunState:
    """Holds the state store of a run. Enabled by ``CLEANWIRE_STATE_PATH``; the backend is
    ``CLEANWIRE_STATE_BACKEND`` (default ``cleanwire.state.sqlite.SqliteStateStore``).

    Opening the store takes the job's lock (a second run of the same job fails with
    ``RunLocked``) and finishes or discards the output of a run that was killed. A store that
    fails at commit is one error line and a failed run (exit code 1): the output file is
    kept, and its articles are emitted again next run rather than lost.
    Checkpoints (a commit and a finished output file on the way) come every
    ``CLEANWIRE_CHECKPOINT_ITEMS`` articles (0, the default: not by count) or at the first
    article ``CLEANWIRE_CHECKPOINT_SECONDS`` (600; 0: not by time) after the last one, when the
    run writes one output feed. Listings are still committed only at the end: a transient
    failure later in the run must have them read again.
    Stats: ``cleanwire/state/commit_failed``, ``cleanwire/checkpoints``.
    """

    def __init__(self, crawler: Crawler, store: StateStore) -> None:
        assert crawler.stats is not None
        self.stats = crawler.stats
        settings = crawler.settings
        self.checkpoint_items = settings.getint("CLEANWIRE_CHECKPOINT_ITEMS", 0)
        self.checkpoint_seconds = settings.getfloat("CLEANWIRE_CHECKPOINT_SECONDS", 600.0)
        self._outputs: list[Checkpointed] = []
        self._staged_items = 0
        self._last_checkpoint = time.monotonic()
        self._store = store
        self.reader: StateReader = store
        self.shared = store if isinstance(store, SharedStateStore) else None
        """A store shared with concurrent workers (Redis): articles are claimed before they are
        written, and output whose commit is refused is discarded, not published."""
        self._listings: dict[str, PageRecord] = {}
        self._closed = False
        store.recover()
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.item_dropped, signal=signals.item_dropped)
        connect_run_end(crawler, self.finish)
        _RUNS[crawler] = self

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunState:
        store = open_store(crawler.settings)
        if store is None:
            raise NotConfigured
        if not crawler.settings.get("CLEANWIRE_REDIS_URL"):
            logger.info("state store: %s", crawler.settings.get("CLEANWIRE_STATE_PATH"))
        return cls(crawler, store)

    @staticmethod
    def of(crawler: Crawler) -> RunState | None:
        """The run's state, or None when the run keeps none. Call it once, in ``from_crawler``
        (extensions are built before middlewares and pipelines; the spider, built first,
        asks when it starts)."""
        return _RUNS.get(crawler)

    # --- what components report ------------------------------------------------------------

    def item_scraped(self, item: Any, response: Response | None) -> None:
        """Stage the article (the feed exporter, an extension built before this one, has
        written its line already), and cut a checkpoint when one is due."""
        if isinstance(item, dict) and "canonical_url" in item:
            self._store.stage_article(item["canonical_url"], item["text_sha256"], item["fetched_at"])
            if response is not None:
                self._store.stage_page(page_record(response))
            self._staged_items += 1
            if self._checkpoint_due():
                self.checkpoint()

    def _checkpoint_due(self) -> bool:
        if self.checkpoint_items and self._staged_items >= self.checkpoint_items:
            return True
        return bool(self.checkpoint_seconds) and time.monotonic() - self._last_checkpoint >= self.checkpoint_seconds

    def checkpoint(self) -> None:
        """Commit what is staged with the output written so far, as its own finished file."""
        items, self._staged_items, self._last_checkpoint = self._staged_items, 0, time.monotonic()
        if len(self._outputs) != 1 or self.stats.get_value("cleanwire/state/commit_failed"):
            return  # several feeds (rare) or a store that already refused: committed at the end
        if self._outputs[0].checkpoint(items):
            self.stats.inc_value("cleanwire/checkpoints")

    def item_dropped(self, item: Any, response: Response | None, exception: BaseException) -> None:
        if isinstance(exception, AlreadyEmitted) and response is not None:
            self._store.stage_page(page_record(response))

    def listing_read(self, response: Response) -> None:
        """A feed or a sitemap of pages was read: later runs may ask for it conditionally."""
        record = page_record(response)
        self._listings[record.url] = record

    def claim(self, canonical_url: str, text_sha256: str) -> Claim:
        """Shared stores only: take the article for this worker before its line is written."""
        assert self.shared is not None
        return self.shared.claim(canonical_url, text_sha256)

    def template_counts(self, counts: dict[str, dict[str, int]]) -> None:
        self._store.stage_recurring_lines(counts)

    def fingerprint_emitted(self, canonical_url: str, fp: Fingerprint, seen_at: str) -> None:
        """An original article (no copy) was written: later runs find its copies."""
        self._store.stage_fingerprint(canonical_url, fp.bands, fp.signature, fp.shingles, seen_at)

    def expire_fingerprints(self, before: str) -> None:
        self._store.stage_fingerprint_expiry(before)

    def output_opened(self, temp_path: Path, final_path: Path, output: Checkpointed | None = None) -> None:
        """An output file is being written (``output``: it can be cut at checkpoints)."""
        self._store.output_opened(temp_path, final_path)
        if output is not None and output not in self._outputs:
            self._outputs.append(output)

    def output_closed(self, output: Checkpointed) -> None:
        if output in self._outputs:
            self._outputs.remove(output)

    def output_renamed(self, temp_path: Path) -> None:
        self._store.renamed(temp_path)

    # --- the end of the run ----------------------------------------------------------------

    def commit(self, output: Path | None = None, checkpoint: bool = False) -> bool:
        """Commit what the run staged (with ``output``, marking that file committed); at a
        ``checkpoint``, not yet the listings read. False, logged and counted, when the store refuses."""
        if not checkpoint:
            self._stage_listings()
        try:
            self._store.commit(output)
        except StateError as error:
            if self.shared is not None:
                logger.error("%s; the output is discarded and its articles are emitted by another worker "
                             "or the next round", error)
            else:
                logger.error("%s; the output is kept and its articles will be emitted again next run", error)
            self.stats.inc_value("cleanwire/state/commit_failed")
            self.stats.set_value(FAILED_STAT, "the state store could not be written")
            return False
        return True

    def _stage_listings(self) -> None:
        """Listings read are committed by a run that reached the end of its work without a
        transient failure; any other run has them read again, with every entry they list."""
        if not self._listings:
            return
        failures = self.stats.get_value(TRANSIENT_FAILURES_STAT, 0)
        if not finished(self.stats):
            logger.info("the run ended before its work was done (%s): listings will be read again next run",
                        self.stats.get_value(CLOSE_REASON_STAT, "unknown"))
        elif failures:
            logger.info("%d transient failures: listings will be read again next run", failures)
        else:
            for record in self._listings.values():
                self._store.stage_page(record)
        self._listings.clear()

    def finish(self) -> None:
        """The run's last commit: what no output file committed yet, unless an output feed could
        not be stored (its articles were written nowhere: they are emitted again next run)."""
        if self._closed:
            return
        self._closed = True
        lost = sum(value for key, value in self.stats.get_stats().items() if key.startswith("feedexport/failed_count/"))
        if lost:
            logger.error("%d output feeds could not be stored: nothing more is committed, their articles are "
                         "emitted again next run", lost)
            self.stats.set_value(FAILED_STAT, "an output could not be stored")
        elif not self.stats.get_value("cleanwire/state/commit_failed"):
            self.commit()
        self._store.close()


def page_record(response: Response) -> PageRecord:
    """What the state store keeps of a fetched page: its validators and body hash, under the
    URL it was requested by (the one the next run asks for)."""
    return PageRecord(response.request.url if response.request else response.url,
                      _header(response, b"ETag"), _header(response, b"Last-Modified"),
                      hashlib.sha256(response.body).hexdigest())


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
