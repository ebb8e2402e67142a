"""The end of a run: the moment it is over for good, and whether it got to the end of its work."""

from __future__ import annotations

import signal
from collections.abc import Callable
from functools import partial
from types import FrameType
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings
from scrapy.statscollectors import StatsCollector
from scrapy.utils.asyncio import call_later

from cleanwire.errors import JobConfigError

INTERRUPTED_STAT = "cleanwire/run/interrupted"
"""The signal that stopped the run (``SIGINT``, ``SIGTERM``), or ``shutdown`` when it was stopped
from code; absent when the run ended on its own."""
FORCED_STAT = "cleanwire/run/forced"
"""The second signal, which forced the stop: what the run had not committed is lost to it."""
CLOSE_REASON_STAT = "cleanwire/run/close_reason"
"""Why the spider closed (``finished``, ``shutdown``, ``closespider_*``, ...), known before the
output is stored (Scrapy's own ``finish_reason`` comes after)."""
WATCHED = (signal.SIGINT, signal.SIGTERM)


def require_output(settings: BaseSettings) -> None:
    """JobConfigError (exit code 2) unless the crawl writes its articles somewhere: ``-O``/``-o``
    or ``output=`` (both set ``FEEDS``). A run without one would count articles as written, and
    with a state store mark them emitted, while they went nowhere."""
    if not settings.getdict("FEEDS"):
        raise JobConfigError("no output: give -a output=DIR (or output in the jobs file), -O FILE or -o FILE")


def connect_run_end(crawler: Crawler, handler: Callable[[], Any]) -> None:
    """Call ``handler`` once the run's output is final: ``feed_exporter_closed``, sent after
    every feed file is stored (a crawl always has one: ``require_output``)."""
    crawler.signals.connect(handler, signal=signals.feed_exporter_closed, weak=False)


def finished(stats: StatsCollector) -> bool:
    """The spider closed because it had nothing left to do: every request it made was answered."""
    return bool(stats.get_value(CLOSE_REASON_STAT) == "finished")


def interrupted(stats: StatsCollector) -> str | None:
    """What stopped the run before its end (a signal's name, or ``shutdown``), or None."""
    value = stats.get_value(INTERRUPTED_STAT)
    return str(value) if value else None


def interruption_note(stats: StatsCollector) -> str | None:
    """One line on how an interrupted run ended, for the crawl command; None if it was not."""
    by = interrupted(stats)
    if by is None:
        return None
    if stats.get_value(FORCED_STAT):
        return (f"run interrupted by {by}, then forced to stop by a second {stats.get_value(FORCED_STAT)}: "
                "what it had not committed is done again by the next run")
    return f"run interrupted by {by}: the output it wrote is kept; the next run fetches what it did not reach"


class RunEnding:
    """Records how a run ends, before anything is committed: the first SIGINT or SIGTERM it
    receives (``cleanwire/run/interrupted``), a second (``cleanwire/run/forced``) and the
    spider's close reason (``cleanwire/run/close_reason``).

    Scrapy stops a run on the first signal (no new requests; those in flight are downloaded,
    parsed and extracted) and forces it on the second; the crawl command turns the record into
    the exit code of an interrupted run. Built before Scrapy's FeedExporter (order below 0), so
    its ``spider_closed`` handler runs before the feed files are stored and committed; built
    first, it also refuses a crawl that writes nowhere (``require_output``) for every component.
    """

    def __init__(self, crawler: Crawler) -> None:
        assert crawler.stats is not None
        self.stats = crawler.stats
        crawler.signals.connect(self.engine_started, signal=signals.engine_started)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunEnding:
        require_output(crawler.settings)  # built first: before any store is locked and recovered
        return cls(crawler)

    def engine_started(self) -> None:
        # Scrapy installs its shutdown handlers when the reactor starts: watch after it did
        call_later(0, self._watch_signals)

    def _watch_signals(self) -> None:
        """Put a recorder in front of the handler in place: Scrapy's, which stops the run, then
        the one it puts in place of both on the first signal, which forces the stop."""
        for signum in WATCHED:
            current = signal.getsignal(signum)
            ours = isinstance(current, partial) and current.func == self._received
            if callable(current) and not ours:
                signal.signal(signum, partial(self._received, current))

    def _received(self, handler: Callable[[int, FrameType | None], Any], signum: int,
                  frame: FrameType | None) -> None:
        """A signal handler: records (a dict write, no logging) and passes the signal on."""
        key = FORCED_STAT if self.stats.get_value(INTERRUPTED_STAT) else INTERRUPTED_STAT
        self.stats.set_value(key, signal.Signals(signum).name)
        handler(signum, frame)
        self._watch_signals()  # the handler Scrapy has just put in place

    def spider_closed(self, spider: Any, reason: str) -> None:
        self.stats.set_value(CLOSE_REASON_STAT, reason)
        if reason == "shutdown" and not self.stats.get_value(INTERRUPTED_STAT):
            self.stats.set_value(INTERRUPTED_STAT, "shutdown")  # stopped from code (CrawlerProcess.stop)
