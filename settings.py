"""Scrapy settings of cleanwire. Everything cleanwire adds is prefixed ``CLEANWIRE_``."""

BOT_NAME = "cleanwire"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"
COMMANDS_MODULE = "commands"

# --- politeness: a scheduled crawler is a guest on every site it visits -------------------
USER_AGENT = "cleanwire/0.1 (+https://github.com/cleanwire/cleanwire; news text extraction)"
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
RETRY_TIMES = 2
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"

# --- where pages are fetched, cleaned and written -----------------------------------------
DOWNLOADER_MIDDLEWARES = {
    # below HttpCompressionMiddleware (590), so it hashes decompressed bodies
    "spiders.middlewares.ConditionalRequestMiddleware": 580,
}
ITEM_PIPELINES = {
    "pipelines.extract.ExtractionPipeline": 200,
    "pipelines.dedupe.DedupePipeline": 400,
    "pipelines.validate.SchemaValidationPipeline": 800,
}
EXTENSIONS = {
    "extensions.runstate.RunState": 0,
    "extensions.summary.RunSummary": 10,
}
# Every local feed file is written under a temporary name and renamed when complete.
FEED_STORAGES = {
    "": "pipelines.output.AtomicFileFeedStorage",
    "file": "pipelines.output.AtomicFileFeedStorage",
}
FEED_EXPORT_ENCODING = "utf-8"

# --- cleanwire ------------------------------------------------------------------------------
CLEANWIRE_STATE_PATH = None  # SQLite state store; set it (or -a state=PATH) for "only what is new"
CLEANWIRE_EXTRACT_MIN_CHARS = 200  # a shorter body is not an article
CLEANWIRE_EXTRACT_FAVOR_PRECISION = True  # trafilatura's precision mode under our rules
CLEANWIRE_EXTRACT_LEARN_TEMPLATES = True  # cut short lines recurring across a host's pages
CLEANWIRE_EXPLAIN = False  # each item lists what was removed, by which rule
CLEANWIRE_SUMMARY_ENABLED = True  # print the run summary to stdout at the end
CLEANWIRE_STATS_FILE = None  # write the run's stats as JSON here at the end (monitoring)
