"""cleanwire as a Scrapy add-on: ``ADDONS = {"cleanwire.Addon": 0}`` in any project's settings.

The project gets the ``news`` spider, cleanwire's middlewares, pipelines, extensions and feed
storage, and its safe defaults, all at add-on priority: a setting the project states itself
(or gives with ``-s``) still wins, and a component it maps to ``None`` stays off.
``cleanwire.settings``, the standalone layout Scrapyd deploys, is this add-on and little more.
"""

from __future__ import annotations

from typing import Any

from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings
from scrapy.utils.misc import load_object

from cleanwire import __version__

SPIDER_MODULE = "cleanwire.spiders"

DEFAULTS: dict[str, Any] = {
    # --- politeness: a scheduled crawler is a guest on every site it visits ---------------
    "USER_AGENT": f"cleanwire/{__version__} (+https://github.com/cleanwire/cleanwire; news text extraction)",
    "ROBOTSTXT_OBEY": True,
    "AUTOTHROTTLE_ENABLED": True,
    "AUTOTHROTTLE_START_DELAY": 0.5,
    "AUTOTHROTTLE_MAX_DELAY": 30.0,
    "AUTOTHROTTLE_TARGET_CONCURRENCY": 2.0,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 4,
    "DOWNLOAD_TIMEOUT": 30,
    # Memory bounds (README "Limits"): no response, and no decompressed body or gzipped sitemap,
    # is held past DOWNLOAD_MAXSIZE (the page is skipped: too_large); past DOWNLOAD_WARNSIZE a
    # log line says so (news pages are well under 2 MB).
    "DOWNLOAD_MAXSIZE": 20 * 1024 * 1024,
    "DOWNLOAD_WARNSIZE": 5 * 1024 * 1024,
    "RETRY_TIMES": 2,
    # No remote shells on a crawler left running unattended: the telnet console and Scrapy's
    # remote-control HTTP server (it executes Python sent to it) stay off; turn one on for a
    # debugging session with -s REMOTE_CONTROL_ENABLED=1 (or TELNETCONSOLE_ENABLED=1).
    "TELNETCONSOLE_ENABLED": False,
    "REMOTE_CONTROL_ENABLED": False,
    # --- what is written ----------------------------------------------------------------------
    "FEED_EXPORT_ENCODING": "utf-8",
    # A run that writes no article leaves the file of -O/-o as an earlier run left it (output:
    # none): a failed run, a feed that was an HTML page, never empties it.
    "FEED_STORE_EMPTY": False,
}

COMPONENTS: dict[str, dict[str, int | None]] = {
    "SPIDER_MIDDLEWARES": {
        # a multi-page article fetched whole, as its site rules say (CLEANWIRE_SITE_RULES)
        "cleanwire.spiders.multipage.MultiPageMiddleware": 950,
    },
    "DOWNLOADER_MIDDLEWARES": {
        # below HttpCompressionMiddleware (590), so it hashes decompressed bodies
        "cleanwire.spiders.middlewares.ConditionalRequestMiddleware": 580,
        # above it, so it sees the compressed stream: a gzip body cut short is refused, not half kept
        "cleanwire.spiders.middlewares.TruncatedStreamMiddleware": 595,
        # Scrapy's redirects, with loops failing with a reason instead of vanishing as duplicates
        "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
        "cleanwire.spiders.middlewares.LoopSafeMetaRefreshMiddleware": 580,
        "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
        "cleanwire.spiders.middlewares.LoopSafeRedirectMiddleware": 600,
    },
    "ITEM_PIPELINES": {
        "cleanwire.pipelines.extract.ExtractionPipeline": 200,
        "cleanwire.pipelines.dedupe.DedupePipeline": 400,
        "cleanwire.pipelines.syndication.SyndicationPipeline": 500,
        "cleanwire.pipelines.validate.SchemaValidationPipeline": 800,
        "cleanwire.pipelines.claim.ClaimPipeline": 900,  # distributed crawls only (CLEANWIRE_REDIS_URL)
    },
    "EXTENSIONS": {
        # before Scrapy's FeedExporter (0): how the run ended is known before its output is committed
        "cleanwire.extensions.runend.RunEnding": -1,
        # after Scrapy's FeedExporter (0): an item's line is written before RunState stages it, so a
        # checkpoint cut there holds every line it commits
        "cleanwire.extensions.runstate.RunState": 1,
        "cleanwire.extensions.summary.RunSummary": 10,
    },
}
# Every local feed file is written under a temporary name and renamed when complete.
FEED_STORAGES = {
    "": "cleanwire.extensions.feedstorage.AtomicFileFeedStorage",
    "file": "cleanwire.extensions.feedstorage.AtomicFileFeedStorage",
}


class Addon:
    """Registers cleanwire's spider and components in a Scrapy project (see the module docstring)."""

    @classmethod
    def update_pre_crawler_settings(cls, settings: BaseSettings) -> None:
        """The ``news`` spider, found by the spider loader before any crawler exists."""
        settings.add_to_list("SPIDER_MODULES", SPIDER_MODULE)

    def update_settings(self, settings: BaseSettings) -> None:
        for name, value in DEFAULTS.items():
            settings.set(name, value, priority="addon")  # below "project": the project's own value wins
        for name, components in COMPONENTS.items():
            for path, order in components.items():
                if order is None:  # a Scrapy component cleanwire replaces: off unless the project says
                    _disable(settings, name, path)
                else:
                    settings.setdefault_in_component_priority_dict(name, load_object(path), order)
        storages = settings.getdict("FEED_STORAGES")
        for scheme, path in FEED_STORAGES.items():
            storages.setdefault(scheme, path)  # a scheme the project maps itself keeps its storage
        settings.set("FEED_STORAGES", storages, max(settings.getpriority("FEED_STORAGES") or 0, SETTINGS_PRIORITIES["addon"]))


def _disable(settings: BaseSettings, name: str, path: str) -> None:
    """Turn a Scrapy default component off, unless the project maps it itself."""
    stated = settings.getdict(name)
    cls = load_object(path)
    if not any(load_object(key) is cls for key in stated):
        settings.set_in_component_priority_dict(name, cls, None)
