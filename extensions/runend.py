"""The moment a run is over for good: after the feed files are stored, or at spider close."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler


def connect_run_end(crawler: Crawler, handler: Callable[[], Any]) -> None:
    """Call ``handler`` once the run's output is final.

    With feeds configured that is ``feed_exporter_closed`` (sent after every feed file is
    stored); without, there is nothing to wait for and ``spider_closed`` is the end.
    """
    if crawler.settings.getdict("FEEDS"):
        crawler.signals.connect(handler, signal=signals.feed_exporter_closed, weak=False)
    else:
        crawler.signals.connect(lambda spider, reason: handler(), signal=signals.spider_closed, weak=False)
