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
- ``LeasedQueue`` (scrapy-redis's priority queue) keeps what a worker took from the shared queue
  under its lease until the worker closes, so that a killed worker's requests go back to the
  queue within the round (scrapy-redis's pop forgets them at once);
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
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler
from scrapy_redis.spiders import RedisMixin

from cleanwire.extensions.runstate import RunState
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
    drained = settings.get("CLEANWIRE_REDIS_DRAINED", "exit")  # checked at start (config.SETTINGS)
    idle = max(1, settings.getint("CLEANWIRE_REDIS_IDLE_SECONDS", 10))
    for name, value in {
        "CLEANWIRE_REDIS_PREFIX": prefix,
        "SCHEDULER": "cleanwire.spiders.frontier.SharedScheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",  # shim: see the module docstring
        "SCHEDULER_PERSIST": True,  # a worker that ends must not flush the queue the others still use
        "SCHEDULER_QUEUE_KEY": f"{prefix}:requests",
        "SCHEDULER_QUEUE_CLASS": "cleanwire.spiders.frontier.LeasedQueue",
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


_TAKE = """
local popped = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #popped == 0 then return false end
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, 0)
redis.call('HSET', KEYS[2], popped[1], popped[2])
redis.call('SADD', KEYS[3], ARGV[1])
return popped[1]
"""

_RECLAIM = """
local returned = 0
for _, worker in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  if redis.call('EXISTS', ARGV[1] .. worker) == 0 then
    local taken = KEYS[1] .. ':taken:' .. worker
    local entries = redis.call('HGETALL', taken)
    for i = 1, #entries, 2 do
      redis.call('ZADD', KEYS[1], entries[i + 1], entries[i])
      returned = returned + 1
    end
    redis.call('DEL', taken)
    redis.call('SREM', KEYS[2], worker)
  end
end
return returned
"""


class LeasedQueue(PriorityQueue):  # type: ignore[misc]
    """scrapy-redis's priority queue, whose requests stay leased to the worker that took them.

    A pop moves the request, in one Lua script, from the queue (``<prefix>:requests``) to the
    worker's hash ``<prefix>:requests:taken:<worker>``; the worker empties that hash when it
    closes, all its requests done (``release``). A worker killed before that stops renewing its
    lease (``RedisStateStore``); once it has lapsed, ``reclaim`` puts its requests back in the
    queue: the first worker to find the queue empty afterwards, or to start, does it. Until
    ``lease`` is called (no shared state store), a pop is scrapy-redis's own.
    """

    worker: str | None = None
    lease_keys = ""

    def lease(self, worker: str, lease_keys: str) -> None:
        self.worker, self.lease_keys = worker, lease_keys
        self._take = self.server.register_script(_TAKE)
        self._reclaim = self.server.register_script(_RECLAIM)

    def _taken_key(self, worker: str) -> str:
        return f"{self.key}:taken:{worker}"

    def pop(self, timeout: int = 0) -> Request | None:
        if self.worker is None:
            request: Request | None = super().pop(timeout)
            return request
        data = self._take(keys=[self.key, self._taken_key(self.worker), f"{self.key}:takers"], args=[self.worker])
        return self._decode_request(data) if data else None

    def reclaim(self) -> int:
        """Put back in the queue the requests of workers whose lease lapsed; how many."""
        return int(self._reclaim(keys=[self.key, f"{self.key}:takers"], args=[self.lease_keys])) \
            if self.worker is not None else 0

    def release(self) -> None:
        """Every request this worker took is done: forget them."""
        if self.worker is not None:
            pipe = self.server.pipeline()
            pipe.delete(self._taken_key(self.worker)).srem(f"{self.key}:takers", self.worker)
            pipe.execute()


RECLAIM_EVERY = 1.0
"""Seconds between two looks for lapsed workers' requests, while the queue is empty."""


class SharedScheduler(Scheduler):  # type: ignore[misc]
    """scrapy-redis's scheduler: stats without the deprecated ``spider`` argument, a clean
    stop when Redis stays down, and requests leased to the worker that took them
    (``LeasedQueue``): they are released when it closes, its work done, and put back in the
    queue by another worker if it dies first."""

    crawler: Crawler
    _last_reclaim = 0.0

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
        state = RunState.of(self.crawler)
        if isinstance(self.queue, LeasedQueue) and state is not None and state.shared is not None:
            self.queue.lease(state.shared.worker, state.shared.lease_keys)
            try:
                self._reclaim()
            except redis.RedisError as error:
                _stop_on_lost_redis(self.crawler, error)

    def close(self, reason: str) -> None:
        """Every request this worker took has been answered and processed (the engine closes the
        scheduler after that): its lease on them ends; the outputs are committed next."""
        try:
            if isinstance(self.queue, LeasedQueue):
                self.queue.release()
        except redis.RedisError as error:
            logger.warning("cannot release the requests of this worker (they go back to the queue "
                           "once its lease lapses): %s", error)
        super().close(reason)

    def _reclaim(self) -> bool:
        """Requests of dead workers back in the queue; True if there were any."""
        self._last_reclaim = time.monotonic()
        returned = self.queue.reclaim() if isinstance(self.queue, LeasedQueue) else 0
        if returned:
            logger.warning("%d requests of a worker whose lease lapsed are back in the shared queue", returned)
            self.crawler.stats.inc_value("cleanwire/redis/reclaimed", returned)
        return bool(returned)

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
            if request is None and time.monotonic() - self._last_reclaim >= RECLAIM_EVERY and self._reclaim():
                request = self.queue.pop(self.idle_before_close)
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
