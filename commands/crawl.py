"""``scrapy crawl`` with exit codes that cron, systemd and Scrapyd can act on.

    0  the run finished (also when there was nothing new)
    1  the run failed: nothing could be fetched (every source unreachable or broken)
    2  the arguments or the jobs file are wrong
    3  another run of the same job holds its state store (locked)
    4  the run was interrupted (SIGINT, SIGTERM): what it wrote is kept and committed
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import traceback

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from cleanwire.errors import CleanwireError, RunLocked
from cleanwire.extensions.runend import interruption_note
from cleanwire.extensions.summary import FAILED_STAT

EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED, EXIT_INTERRUPTED = 1, 2, 3, 4


class Command(ScrapyCrawlCommand):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one spider name")
        assert self.crawler_process
        crawler = self._create_crawler(args[0])
        self.startup_error: CleanwireError | None = None
        started = self.crawler_process.crawl(crawler, **opts.spargs)
        if isinstance(started, Deferred):  # CrawlerProcess (no asyncio reactor)
            started.addErrback(self._catch_startup_error)
        elif isinstance(started, asyncio.Future):  # AsyncCrawlerProcess: an asyncio task
            started.add_done_callback(self._task_done)
        self.crawler_process.start()
        if self.startup_error is not None:
            print(f"cleanwire: {self.startup_error}", file=sys.stderr)
            self.exitcode = EXIT_LOCKED if isinstance(self.startup_error, RunLocked) else EXIT_USAGE
        elif self.crawler_process.bootstrap_failed:
            self.exitcode = EXIT_FAILED
        elif crawler.stats is not None and crawler.stats.get_value(FAILED_STAT):
            print(f"cleanwire: run failed: {crawler.stats.get_value(FAILED_STAT)}", file=sys.stderr)
            self.exitcode = EXIT_FAILED
        elif crawler.stats is not None and (note := interruption_note(crawler.stats)):
            print(f"cleanwire: {note}", file=sys.stderr)
            self.exitcode = EXIT_INTERRUPTED

    def _catch_startup_error(self, failure: Failure) -> Failure | None:
        """Our own startup errors are one clear line, not a traceback."""
        if isinstance(failure.value, CleanwireError):
            self.startup_error = failure.value
            return None
        return failure

    def _task_done(self, task: asyncio.Future[None]) -> None:
        error = None if task.cancelled() else task.exception()  # retrieving it silences asyncio's log
        if isinstance(error, CleanwireError):
            self.startup_error = error
        elif error is not None:
            traceback.print_exception(error)
