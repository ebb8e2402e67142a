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

from pebble import ProcessExpired, ProcessPool

from cleanwire.errors import ExtractionCrashed, ExtractionTimeout
from cleanwire.extraction import Extraction, ExtractionOptions, extract_article

logger = logging.getLogger(__name__)


def _warm_up() -> None:
    """Run in each new worker: the extractor's imports happen before the first page arrives."""
    import cleanwire.extraction  # noqa: F401, PLC0415


class ExtractorPool:
    """``workers`` processes running ``extract_article``; each page at most ``timeout`` seconds."""

    def __init__(self, workers: int, timeout: float) -> None:
        self.workers = workers
        self.timeout = timeout
        self._pool = ProcessPool(max_workers=workers, initializer=_warm_up,
                                 context=multiprocessing.get_context("spawn"))

    async def extract(self, body: bytes, url: str, options: ExtractionOptions) -> Extraction:
        """The extraction of one page. Raises what the extractor raises, ``ExtractionCrashed``
        when its worker died, and ``ExtractionTimeout`` when it overran."""
        future = self._pool.schedule(extract_article, args=(body, url, options), timeout=self.timeout)
        try:
            return await asyncio.wrap_future(future)
        except FutureTimeout:
            raise ExtractionTimeout(f"no result within {self.timeout:g} s") from None
        except ProcessExpired as error:
            raise ExtractionCrashed(f"worker process died (exit code {error.exitcode})") from None

    def close(self) -> None:
        """Stop the workers: wait for nothing, leave no process behind."""
        self._pool.stop()
        self._pool.join(timeout=10)
