"""Scrapy settings of cleanwire. Everything cleanwire adds is prefixed ``CLEANWIRE_``."""

import os

from cleanwire import __version__

BOT_NAME = "cleanwire"
SPIDER_MODULES = ["cleanwire.spiders"]
NEWSPIDER_MODULE = "cleanwire.spiders"
COMMANDS_MODULE = "cleanwire.commands"

# --- politeness: a scheduled crawler is a guest on every site it visits -------------------
USER_AGENT = f"cleanwire/{__version__} (+https://github.com/cleanwire/cleanwire; news text extraction)"
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_TIMEOUT = 30
# Memory bounds (README "Limits"): no response, and no decompressed body or gzipped sitemap, is
# held past DOWNLOAD_MAXSIZE (the page is skipped: too_large); past DOWNLOAD_WARNSIZE a log line
# says so (news pages are well under 2 MB).
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
RETRY_TIMES = 2
# No remote shells on a crawler left running unattended: the telnet console and Scrapy 2.19's
# remote-control HTTP server (it executes Python sent to it) stay off. Turn one on for a
# debugging session with -s REMOTE_CONTROL_ENABLED=1 (or TELNETCONSOLE_ENABLED=1).
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
LOG_LEVEL = "INFO"

# --- where pages are fetched, cleaned and written -----------------------------------------
DOWNLOADER_MIDDLEWARES = {
    # below HttpCompressionMiddleware (590), so it hashes decompressed bodies
    "cleanwire.spiders.middlewares.ConditionalRequestMiddleware": 580,
    # above it, so it sees the compressed stream: a gzip body cut short is refused, not half kept
    "cleanwire.spiders.middlewares.TruncatedStreamMiddleware": 595,
    # Scrapy's redirects, with loops failing with a reason instead of vanishing as duplicates
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "cleanwire.spiders.middlewares.LoopSafeMetaRefreshMiddleware": 580,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "cleanwire.spiders.middlewares.LoopSafeRedirectMiddleware": 600,
}
ITEM_PIPELINES = {
    "cleanwire.pipelines.extract.ExtractionPipeline": 200,
    "cleanwire.pipelines.dedupe.DedupePipeline": 400,
    "cleanwire.pipelines.syndication.SyndicationPipeline": 500,
    "cleanwire.pipelines.validate.SchemaValidationPipeline": 800,
    "cleanwire.pipelines.claim.ClaimPipeline": 900,  # distributed crawls only (CLEANWIRE_REDIS_URL)
}
EXTENSIONS = {
    # before Scrapy's FeedExporter (0): how the run ended is known before its output is committed
    "cleanwire.extensions.runend.RunEnding": -1,
    # after Scrapy's FeedExporter (0): an item's line is written before RunState stages it, so a
    # checkpoint cut there holds every line it commits
    "cleanwire.extensions.runstate.RunState": 1,
    "cleanwire.extensions.summary.RunSummary": 10,
}
# Every local feed file is written under a temporary name and renamed when complete.
FEED_STORAGES = {
    "": "cleanwire.extensions.feedstorage.AtomicFileFeedStorage",
    "file": "cleanwire.extensions.feedstorage.AtomicFileFeedStorage",
}
FEED_EXPORT_ENCODING = "utf-8"
# A run that writes no article leaves the file of -O/-o as an earlier run left it (output: none):
# a failed run, a feed that was an HTML page, never empties it.
FEED_STORE_EMPTY = False

# --- cleanwire ------------------------------------------------------------------------------
# Each component reads its own settings with its default in its code, written once; every name
# and what it takes is in config.SETTINGS, checked when a crawl starts (a new setting goes there
# and in the README's table). The settings below are the ones a user changes most. Others:
#   CLEANWIRE_STATE_BACKEND = "cleanwire.state.sqlite.SqliteStateStore"
#   CLEANWIRE_EXTRACT_MIN_CHARS: a shorter body is not an article (extraction.tuning.MIN_ARTICLE_CHARS)
#   CLEANWIRE_EXTRACT_FAVOR_PRECISION: trafilatura's precision mode under our rules (ExtractionOptions)
#   CLEANWIRE_EXTRACT_LEARN_TEMPLATES = True: cut lines that are a host's template (extraction.recurring)
CLEANWIRE_STATE_PATH = None  # the state store; set it (or -a state=PATH) for "only what is new"
CLEANWIRE_EXPLAIN = False  # each item lists what was removed, by which rule; site crawls log each page's kind
CLEANWIRE_SUMMARY_ENABLED = True  # print the run summary to stdout at the end
CLEANWIRE_STATS_FILE = None  # write the run's stats as JSON here at the end (monitoring)
# With a state store, commit on the way: a run killed late loses at most one checkpoint. Each
# checkpoint is its own output file (<name>.0001.jsonl, ...). 0 turns either trigger off.
CLEANWIRE_CHECKPOINT_ITEMS = 0  # every N articles
CLEANWIRE_CHECKPOINT_SECONDS = 600  # at the first article this long after the last checkpoint

# --- past one machine: scrapy-redis and a shared state in Redis (README "Past one machine") ---
#   CLEANWIRE_REDIS_DRAINED = "exit": a worker exits once the shared queue stayed empty for
#     CLEANWIRE_REDIS_IDLE_SECONDS (10); "wait" keeps it waiting for new seeds
#   CLEANWIRE_REDIS_LEASE = 30: seconds a killed worker's claims outlive it
CLEANWIRE_REDIS_URL = os.environ.get("CLEANWIRE_REDIS_URL") or None  # redis://host:6379/0 turns it on
