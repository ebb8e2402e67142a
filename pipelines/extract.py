"""The extraction pipeline: turns each fetched page into a clean article item."""

from __future__ import annotations

import logging
import os
from dataclasses import replace
from typing import Any, NoReturn
from urllib.parse import urlsplit

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.reactor import is_asyncio_reactor_installed

from cleanwire.errors import ExtractionCrashed, ExtractionError, ExtractionTimeout, JobConfigError
from cleanwire.extensions.runstate import RunState
from cleanwire.extraction import Extraction, ExtractionOptions, body_formats, extract_article
from cleanwire.extraction.accounting import words_by_stage
from cleanwire.extraction.recurring import RecurringLines
from cleanwire.extraction.siterules import site_rule_folders
from cleanwire.extraction.tuning import MIN_ARTICLE_CHARS
from cleanwire.items import FetchedPage, article_item

from .workers import ExtractorPool

logger = logging.getLogger(__name__)

LONE_PAGE_MAX_BYTES = 1_000_000
"""A lone page (nothing else to fetch or extract, no worker started) at most this big is extracted
in the crawl's process; a bigger one goes to a worker, where the timeout and crash guards hold."""


class ExtractionPipeline:
    """Runs the pure extractor on each page and shapes the result as an article record.

    Settings: ``CLEANWIRE_EXTRACT_MIN_CHARS`` (a shorter body is not an article, unless the page
    names its author: a short post is still a post),
    ``CLEANWIRE_EXTRACT_FAVOR_PRECISION`` (trafilatura's precision mode),
    ``CLEANWIRE_EXTRACT_LEARN_TEMPLATES`` (cut lines that recur across a host's pages; with a
    state store, across runs too),
    ``CLEANWIRE_EXPLAIN`` (record in each item what was removed and why, and the stage that
    dropped every other line of the page; a page refused as too short logs the words each stage took),
    ``CLEANWIRE_EXTRACT_WORKERS`` (worker processes; default one per core, 0 extracts in the
    crawl's own process; they start with the first page that has others behind it: a lone page,
    as a one-URL run has, is extracted in the crawl's process instead of waiting seconds for
    workers to spawn), ``CLEANWIRE_EXTRACT_TIMEOUT`` (seconds a page may take, default 30),
    ``CLEANWIRE_BODY_FORMATS`` (``text`` and any of ``markdown``, ``html``: bodies written besides text),
    ``CLEANWIRE_SITE_RULES`` (folders of site-config files; stats ``cleanwire/site_rules/applied`` and
    ``cleanwire/site_rules/fell_back``, where a page's rules gave way to the generic path).
    A declared language the text contradicts is logged and counted (``cleanwire/language/contradicted``).
    Stats: ``cleanwire/junk/<rule>`` per removal, ``cleanwire/skipped/<reason>`` per page
    (``only_links`` for a page whose text is all its links' words; ``extraction_crashed`` and
    ``extraction_timeout`` for pages that cost their worker),
    ``cleanwire/extraction/lone_page_inline`` per lone page extracted in the crawl's process.
    """

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.min_chars = settings.getint("CLEANWIRE_EXTRACT_MIN_CHARS", MIN_ARTICLE_CHARS)
        self.explain = settings.getbool("CLEANWIRE_EXPLAIN")
        self.options = ExtractionOptions(
            favor_precision=settings.getbool("CLEANWIRE_EXTRACT_FAVOR_PRECISION", ExtractionOptions.favor_precision),
            fingerprint=settings.getbool("CLEANWIRE_SYNDICATION_ENABLED", True), explain=self.explain,
            body_formats=_body_formats(settings.getlist("CLEANWIRE_BODY_FORMATS", ["text"])),
            site_rules=site_rule_folders(settings.getlist("CLEANWIRE_SITE_RULES")))
        self.state = RunState.of(crawler)
        self.templates = None
        if settings.getbool("CLEANWIRE_EXTRACT_LEARN_TEMPLATES", True):
            self.templates = RecurringLines(self.state.reader.recurring_lines if self.state else None)
        self.workers = settings.getint("CLEANWIRE_EXTRACT_WORKERS", os.cpu_count() or 1)
        self.timeout = settings.getfloat("CLEANWIRE_EXTRACT_TIMEOUT", 30.0)
        self.pool: ExtractorPool | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractionPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        if self.workers > 0 and not is_asyncio_reactor_installed():
            logger.warning("extraction runs in the crawl's process: worker processes need the asyncio reactor")
            self.workers = 0

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, FetchedPage):
            return item
        host = urlsplit(item.url).hostname or ""
        options = self.options
        if self.templates is not None:
            options = replace(options, boilerplate=self.templates.boilerplate(host))
        extraction = await self._extract(item, options)
        if extraction.refused:
            self._skip(item, extraction.refused, f"{sum(r.rule == 'only-links' for r in extraction.removed)} lines of links")
        article = article_item(extraction, item.url, item.fetched_at, item.source, item.published_hint, self.explain)
        if len(article["text"]) < self.min_chars and not (article["authors"] and article["text"].strip()):
            # a short post that names its author states an article: it is not refused for its length
            lost = f"; the page's words went to: {words_by_stage(extraction.removed)}" if self.explain else ""
            self._skip(item, "no_article_text", f"{len(article['text'])} characters of body text{lost}")
        if self.templates is not None:  # lines cut as template still count, or they would come back
            learnt = (r.text for r in extraction.removed if r.rule == "recurring-block")
            self.templates.observe(host, [*extraction.text.split("\n\n"), *learnt])
        if extraction.site_rules:
            self.stats.inc_value("cleanwire/site_rules/fell_back" if extraction.site_rules_fell_back
                                 else "cleanwire/site_rules/applied")
        for removal in extraction.removed:
            if removal.stage == "rules":
                self.stats.inc_value(f"cleanwire/junk/{removal.rule}")
        if extraction.detected_language and extraction.language != extraction.detected_language:
            logger.info("declared language %r of %s kept, but its text reads as %r",
                        extraction.language, item.url, extraction.detected_language)
            self.stats.inc_value("cleanwire/language/contradicted")
        return article

    async def _extract(self, item: FetchedPage, options: ExtractionOptions) -> Extraction:
        try:
            if self.workers == 0:
                return extract_article(item.body, item.url, options)
            if self.pool is None:  # a run with nothing new, or a lone page, starts no process
                if len(item.body) <= LONE_PAGE_MAX_BYTES and not self._more_pages_coming():
                    self.stats.inc_value("cleanwire/extraction/lone_page_inline")
                    return extract_article(item.body, item.url, options)
                self.pool = ExtractorPool(self.workers, self.timeout)
            return await self.pool.extract(item.body, item.url, options)
        except ExtractionError as error:
            self._skip(item, "unparsable", str(error))
        except ExtractionCrashed as error:
            self._skip(item, "extraction_crashed", str(error), level="WARNING")
        except ExtractionTimeout as error:
            self._skip(item, "extraction_timeout", str(error), level="WARNING")
        except Exception as error:  # a hostile page must not stop the crawl; the traceback is a bug report
            logger.warning("extraction failed on %s", item.url, exc_info=True)
            self._skip(item, "extraction_failed", repr(error))

    def _more_pages_coming(self) -> bool:
        """Whether the crawl has anything but this page to fetch or extract: requests scheduled or
        downloading, responses waiting for or in their callbacks. True when the engine cannot say."""
        engine: Any = self.crawler.engine
        try:
            scheduler = engine.scheduler if hasattr(engine, "scheduler") else engine._slot.scheduler  # Scrapy < 2.19
            scraping = engine.scraper.slot
            return bool(engine.downloader.active or scraping.queue or len(scraping.active) > 1
                        or scheduler.has_pending_requests())
        except Exception:  # an engine unlike Scrapy's: start the workers, as always
            return True

    def close_spider(self) -> None:
        """Stop the workers; hand what was learnt to the state store (committed with the output)."""
        if self.pool is not None:
            self.pool.close()
            self.pool = None
        if self.state is not None and self.templates is not None:
            self.state.template_counts(self.templates.counts())

    def _skip(self, page: FetchedPage, reason: str, detail: str, level: str = "INFO") -> NoReturn:
        self.stats.inc_value(f"cleanwire/skipped/{reason}")
        raise DropItem(f"skipped {page.url}: {reason} ({detail})", log_level=level)


def _body_formats(names: list[str]) -> frozenset[str]:
    """The formats ``CLEANWIRE_BODY_FORMATS`` names; a misspelt one stops the run at start."""
    try:
        return body_formats(names)
    except ValueError as error:
        raise JobConfigError(f"CLEANWIRE_BODY_FORMATS: {error}") from None
