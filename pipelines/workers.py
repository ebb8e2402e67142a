"""Extraction in worker processes, so that parsing never stops the crawl's downloads.

Scrapy runs item pipelines on its one reactor thread, and extraction is CPU work. The pool
(pebble's ``ProcessPool``: a worker that dies or overruns costs its own task only, and is
replaced) runs the pure extractor in ``spawn``-ed processes; the pipeline awaits the result
while the reactor keeps downloading. The extractor is a pure function of its arguments, so
an item is the same with or without the pool.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool

from pebble import ProcessExpired, ProcessFuture, ProcessPool

from cleanwire.errors import ExtractionCrashed, ExtractionTimeout
from cleanwire.extraction import Extraction, ExtractionOptions, extract_article, fingerprint, language

logger = logging.getLogger(__name__)


def _warm_up() -> None:
    """What a new worker loads once: the MinHash permutations and the language model."""
    fingerprint.warm_up()
    language.warm_up()


# How often a page waiting on the pool checks that the pool still serves it: pebble fails the
# pages its workers hold when the pool breaks, not the ones still queued, which would wait forever.
_HEALTH_CHECK_SECONDS = 1.0


class ExtractorPool:
    """``workers`` processes running ``extract_article``; each page at most ``timeout`` seconds.

    No initializer: a worker killed while starting would break pebble's whole pool. Should the
    pool break anyway, it is replaced, and the page is tried once more in the new one: the pages
    it held as well as those still queued in it.
    """

    def __init__(self, workers: int, timeout: float) -> None:
        self.workers = workers
        self.timeout = timeout
        self._pool = self._new_pool()
        self._retired: list[ProcessPool] = []
        """Failed pools, stopped at close: stopping one now would cancel the pages it still holds."""

    def _new_pool(self) -> ProcessPool:
        """A pool with one warm-up task per worker queued first, so that the imports of a new
        worker are not counted against the timeout of its first page."""
        pool = ProcessPool(max_workers=self.workers, context=multiprocessing.get_context("spawn"))
        for _ in range(self.workers):
            pool.schedule(_warm_up)
        return pool

    async def extract(self, body: bytes, url: str, options: ExtractionOptions) -> Extraction:
        """The extraction of one page. Raises what the extractor raises, ``ExtractionCrashed``
        when its worker died, and ``ExtractionTimeout`` when it overran."""
        for attempt in (1, 2):
            pool = self._pool
            try:
                future = pool.schedule(extract_article, args=(body, url, options), timeout=self.timeout)
            except RuntimeError as error:  # pebble refuses work once its pool has failed
                broken: Exception = error
            else:
                try:
                    return await self._result(pool, future)
                except FutureTimeout:
                    raise ExtractionTimeout(f"no result within {self.timeout:g} s") from None
                except ProcessExpired as error:
                    raise ExtractionCrashed(f"worker process died (exit code {error.exitcode})") from None
                except BrokenProcessPool as error:
                    broken = error
            if attempt == 2:
                raise ExtractionCrashed(f"the worker pool failed twice: {broken!r}")
            if pool is self._pool:  # the first page to see the failure replaces the pool
                logger.warning("extraction pool failed (%r); starting a new one", broken)
                self._retired.append(pool)
                self._pool = self._new_pool()
        raise AssertionError("unreachable")

    @staticmethod
    async def _result(pool: ProcessPool, future: ProcessFuture[Extraction]) -> Extraction:
        """The page's result; ``BrokenProcessPool`` once its pool has stopped serving it."""
        waiting = asyncio.wrap_future(future)
        while True:
            done, _ = await asyncio.wait({waiting}, timeout=_HEALTH_CHECK_SECONDS)
            if done:
                return waiting.result()
            if not pool.active:
                future.cancel()
                raise BrokenProcessPool("the pool stopped with the page still in it")

    def close(self) -> None:
        """Stop the workers, leaving no process behind. The live pool is closed, not stopped:
        a worker pebble is still starting (to replace one that overran) would otherwise find
        its pool gone and print a traceback. The crawl is over, so no task is pending."""
        for pool in self._retired:
            pool.stop()
            pool.join(timeout=10)
        self._pool.close()
        try:
            self._pool.join(timeout=10)
        except TimeoutError:
            logger.warning("extraction workers did not exit in 10 s; stopping them")
            self._pool.stop()
            self._pool.join(timeout=10)
