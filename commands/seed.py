"""``scrapy seed``: push the sources of a crawl into Redis, for the workers of a distributed crawl.

    scrapy seed -s CLEANWIRE_REDIS_URL=redis://HOST/ -a feed=URL -a sitemap=URL -a site=URL
    scrapy seed ... -a jobs=jobs.toml -a job=NAME     the sources of a named job

Same arguments as ``scrapy crawl news``. Each source becomes one seed, ``{"kind": ..., "url": ...}``,
at the tail of ``cleanwire:<job>:seeds``. Seeding starts a new round: the shared dupefilter is
emptied, so pages fetched in the last round are asked again (conditionally); ``--keep-seen``
adds seeds to the running round instead.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, ClassVar, NoReturn

import redis
from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.utils.conf import arglist_to_dict

from cleanwire.config import check_settings
from cleanwire.errors import JobConfigError
from cleanwire.spiders.frontier import key_prefix
from cleanwire.spiders.sources import SOURCE_KINDS, build_plan
from cleanwire.state.redis import client

EXIT_USAGE, EXIT_REDIS = 2, 1


class Command(ScrapyCommand):
    requires_project = True
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}  # one line of output, not Scrapy's log

    def syntax(self) -> str:
        return "-a KIND=URL [-a KIND=URL ...] | -a jobs=FILE -a job=NAME"

    def short_desc(self) -> str:
        return "Push crawl sources into Redis for distributed workers (CLEANWIRE_REDIS_URL)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("-a", dest="spargs", action="append", default=[], metavar="NAME=VALUE",
                            help="a crawl argument, as for scrapy crawl news")
        parser.add_argument("--keep-seen", action="store_true",
                            help="add to the running round: keep the shared dupefilter")

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        try:
            opts.spargs = arglist_to_dict(opts.spargs)
        except ValueError:
            raise UsageError("invalid -a value, use -a NAME=VALUE", print_help=False) from None

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        url = self.settings.get("CLEANWIRE_REDIS_URL")
        if not url:
            self._fail("set CLEANWIRE_REDIS_URL (environment or -s) to the Redis of the crawl", EXIT_USAGE)
        try:
            check_settings(self.settings)
            plan = build_plan(opts.spargs)
        except JobConfigError as error:
            self._fail(str(error), EXIT_USAGE)
        prefix = key_prefix(plan.name)
        seeds = [json.dumps({"kind": kind, "url": source}) for kind in SOURCE_KINDS for source in plan.sources[kind]]
        server = client(url)
        try:
            with server.pipeline() as pipe:  # MULTI: the round starts with all its seeds
                if not opts.keep_seen:
                    pipe.delete(f"{prefix}:dupefilter")
                pipe.rpush(f"{prefix}:seeds", *seeds)
                pipe.execute()
        except redis.RedisError as error:
            self._fail(f"cannot reach Redis: {error}", EXIT_REDIS)
        print(f"{len(seeds)} seeds pushed to {prefix}:seeds" + ("" if opts.keep_seen else " (new round)"))

    def _fail(self, message: str, code: int) -> NoReturn:
        print(f"cleanwire: {message}", file=sys.stderr)
        self.exitcode = code
        raise SystemExit(code)
