"""The shared crawl frontier on scrapy-redis, and the shims it needs on the Scrapy we pin.

``CLEANWIRE_REDIS_URL`` turns it on (``use_redis``): scrapy-redis's scheduler keeps the
requests of every worker in one Redis sorted set and its dupefilter one set of request
fingerprints, and the spider reads its seeds from a Redis list. scrapy-redis 0.9.1 was last
tested against Scrapy 2.11; each gap with Scrapy 2.19 is bridged here, in the smallest way:

- ``DUPEFILTER_CLASS`` is set explicitly to scrapy-redis's filter: its scheduler reads that
  setting, and Scrapy's own default (``scrapy.dupefilters.RFPDupeFilter``) has no
  ``from_spider``, so the scheduler would call ``RFPDupeFilter.from_settings``, removed in
  Scrapy 2.14;
- ``SharedScheduler`` counts its stats without the ``spider`` argument (deprecated: a warning,
  an error in our tests), keeps the deprecated ``Spider.log()`` of its "Resuming crawl" line
  from warning, and turns a Redis that stays down into a clean stop with one line;
- ``RedisSeeds`` gives the mixin an async ``start()`` bridge (Scrapy 2.16+ never calls
  ``start_requests()``), starts its idle clock when the worker starts (the mixin's clock is a
  class attribute set at import), and stops on a Redis that stays down instead of raising
  from a signal handler.
"""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Iterable

import redis
from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import ScrapyDeprecationWarning
from scrapy.settings import BaseSettings
from scrapy.utils.defer import deferred_from_coro
from scrapy_redis.scheduler import Scheduler
from scrapy_redis.spiders import RedisMixin

from cleanwire.errors import JobConfigError
from cleanwire.extensions.summary import FAILED_STAT
from cleanwire.state.redis import retrying

logger = logging.getLogger(__name__)

REDIS_UNAVAILABLE = "redis_unavailable"
"""The close reason of a worker whose Redis stayed down past the client's retries."""


def key_prefix(job: str) -> str:
    """Where a job's keys live in Redis: ``cleanwire:<job>:seeds``, ``:requests``, ``:dupefilter``, ..."""
    return f"cleanwire:{job}"


def use_redis(settings: BaseSettings, url: str, job: str) -> None:
    """Point the scheduler, the dupefilter, the seeds and the state store of this crawl at Redis.

    Keys live under ``cleanwire:<job>`` (``:seeds``, ``:requests``, ``:dupefilter`` and the state's).
    ``CLEANWIRE_REDIS_DRAINED`` (``exit`` or ``wait``) says what a worker does once the shared
    queue has stayed empty for ``CLEANWIRE_REDIS_IDLE_SECONDS`` (default 10).
    """
    prefix = key_prefix(job)
    drained = settings.get("CLEANWIRE_REDIS_DRAINED", "exit")
    if drained not in ("exit", "wait"):
        raise JobConfigError(f"CLEANWIRE_REDIS_DRAINED must be exit or wait, not {drained!r}")
    idle = max(1, settings.getint("CLEANWIRE_REDIS_IDLE_SECONDS", 10))
    for name, value in {
        "CLEANWIRE_REDIS_PREFIX": prefix,
        "SCHEDULER": "cleanwire.spiders.frontier.SharedScheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",  # shim: see the module docstring
        "SCHEDULER_PERSIST": True,  # a worker that ends must not flush the queue the others still use
        "SCHEDULER_QUEUE_KEY": f"{prefix}:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:dupefilter",
        "REDIS_START_URLS_KEY": f"{prefix}:seeds",
        "REDIS_URL": url,
        "REDIS_PARAMS": retrying(),
        "MAX_IDLE_TIME_BEFORE_CLOSE": 0 if drained == "wait" else idle,
    }.items():
        settings.set(name, value, priority="spider")


def _stop_on_lost_redis(crawler: Crawler, error: redis.RedisError) -> None:
    """One clear line, a failed run, and a clean close: what this worker had in flight is
    fetched again by the next round (its claims lapse, its output is not published)."""
    assert crawler.stats is not None and crawler.engine is not None
    if crawler.stats.get_value(FAILED_STAT):
        return
    logger.error("Redis is unreachable (%s): this worker stops; run it again once Redis is back", error)
    crawler.stats.set_value(FAILED_STAT, f"Redis is unreachable: {error}")
    deferred_from_coro(crawler.engine.close_spider_async(reason=REDIS_UNAVAILABLE))


class SharedScheduler(Scheduler):  # type: ignore[misc]
    """scrapy-redis's scheduler: stats without the deprecated ``spider`` argument, and a clean
    stop when Redis stays down."""

    crawler: Crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedScheduler:
        instance: SharedScheduler = super().from_crawler(crawler)
        instance.crawler = crawler
        return instance

    def open(self, spider: Spider) -> None:
        """A worker joining a running crawl is told "Resuming crawl" through ``Spider.log()``,
        deprecated in our Scrapy: the line is still logged, its warning is not raised."""
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", r"Spider\.log\(\) is deprecated", ScrapyDeprecationWarning)
            super().open(spider)

    def enqueue_request(self, request: Request) -> bool:
        try:
            if not request.dont_filter and self.df.request_seen(request):
                self.df.log(request, self.spider)
                return False
            self.queue.push(request)
        except redis.RedisError as error:
            _stop_on_lost_redis(self.crawler, error)
            return False
        self.crawler.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        try:
            request: Request | None = self.queue.pop(self.idle_before_close)
        except redis.RedisError as error:
            _stop_on_lost_redis(self.crawler, error)
            return None
        if request is not None:
            self.crawler.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        try:
            return len(self) > 0
        except redis.RedisError as error:
            _stop_on_lost_redis(self.crawler, error)
            return False


class RedisSeeds(RedisMixin):  # type: ignore[misc]
    """scrapy-redis's spider mixin on Scrapy 2.16+: seeds are read in ``start()`` and whenever
    the worker is idle. The spider turns one seed into requests (``make_request_from_data``)."""

    crawler: Crawler
    _taken = 0

    def setup_redis(self, crawler: Crawler | None = None) -> None:
        super().setup_redis(crawler)
        self.spider_idle_start_time = int(time.time())

    def seed_requests(self) -> Iterable[Request]:
        """The first batch of seeds, for ``start()``; none without Redis."""
        if self.server is None:
            return []
        try:
            return list(self.next_requests())
        except redis.RedisError as error:
            _stop_on_lost_redis(self.crawler, error)
            return []

    def spider_idle(self) -> None:
        """The mixin's idle clock restarts only when seeds arrive; a worker busy with requests
        of the shared queue is not idle either, so the clock restarts when it took one too."""
        assert self.crawler.stats is not None
        taken = self.crawler.stats.get_value("scheduler/dequeued/redis", 0)
        if taken != self._taken:
            self._taken = taken
            self.spider_idle_start_time = int(time.time())
        try:
            super().spider_idle()  # DontCloseSpider while there may be more to do
        except redis.RedisError as error:
            _stop_on_lost_redis(self.crawler, error)
