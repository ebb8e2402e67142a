"""Multi-page articles joined into one item, as the page's site rules say (``siterules.py``).

A site whose file has ``single_page_link`` links each story to its whole text on one page (a
print or "view all" version): that page is fetched and extracted in the story's place. One with
``next_page_link`` splits a story over pages: they are fetched in turn and each one's ``body``
containers are put after the first page's, so the extractor sees one page.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from lxml.html import HtmlElement, tostring
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from cleanwire.extraction.decoding import page_text
from cleanwire.extraction.parsing import load_html
from cleanwire.extraction.siterules import SiteConfig, site_rule_folders, site_rules
from cleanwire.items import FetchedPage

logger = logging.getLogger(__name__)


class MultiPageMiddleware:
    """Spider middleware: each fetched article whose site rules follow pages leaves as one page.

    Settings: ``CLEANWIRE_SITE_RULES`` (off without it), ``CLEANWIRE_SITE_RULES_MAX_PAGES`` (pages
    of one article at most, default 10). A page that cannot be fetched ends the join with the
    pages so far. Stats: ``cleanwire/site_rules/single_page``, ``cleanwire/site_rules/pages_joined``
    (pages added to articles), ``cleanwire/site_rules/page_failed``.
    """

    def __init__(self, crawler: Crawler, folders: tuple[str, ...]) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.rules = site_rules(folders)
        self.max_pages = crawler.settings.getint("CLEANWIRE_SITE_RULES_MAX_PAGES", 10)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MultiPageMiddleware:
        folders = site_rule_folders(crawler.settings.getlist("CLEANWIRE_SITE_RULES"))
        if not folders:
            raise NotConfigured
        return cls(crawler, folders)

    async def process_spider_output(self, response: Response, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for item in result:
            config = self.rules.for_page(item.url) if isinstance(item, FetchedPage) else None
            yield await self._whole(item, config) if config is not None and config.follows_pages else item

    async def _whole(self, page: FetchedPage, config: SiteConfig) -> FetchedPage:
        tree = load_html(page_text(page.body))
        if tree is None:
            return page
        single = config.first_link(config.single_page_link, tree)
        if single is not None and (url := urljoin(page.url, single)) != page.url and _is_web(url):
            found = await self._fetch(url, page)
            if found is not None:
                self.stats.inc_value("cleanwire/site_rules/single_page")
                return replace(page, body=found.body)
        if not config.next_page_link or not config.body:
            return page  # without a body line there is no telling which part of a next page to add
        pages, seen, current = [tree], {page.url}, (page.url, tree)
        while len(pages) < self.max_pages:
            link = config.first_link(config.next_page_link, current[1])
            next_url = urljoin(current[0], link) if link else None
            if next_url is None or next_url in seen or not _is_web(next_url):
                break
            seen.add(next_url)
            found = await self._fetch(next_url, page)
            next_tree = load_html(page_text(found.body)) if found is not None else None
            if next_tree is None:
                break
            pages.append(next_tree)
            current = (next_url, next_tree)
        if len(pages) == 1:
            return page
        joined = _joined(config, pages)
        if joined is None:
            return page
        self.stats.inc_value("cleanwire/site_rules/pages_joined", len(pages) - 1)
        logger.debug("joined %d pages of %s (site/%s)", len(pages), page.url, config.name)
        return replace(page, body=tostring(joined, encoding="utf-8"))

    async def _fetch(self, url: str, page: FetchedPage) -> Response | None:
        """Another page of the article, through the downloader middlewares (robots.txt, redirects,
        throttling); None, logged and counted, when it fails."""
        assert self.crawler.engine is not None
        try:
            response = await self.crawler.engine.download_async(scrapy.Request(url))
        except Exception as error:  # a lost page of an article: the article goes on without it
            reason = f"{type(error).__name__}: {error}"
        else:
            if response.status == 200:
                return response
            reason = f"HTTP {response.status}"
        self.stats.inc_value("cleanwire/site_rules/page_failed")
        logger.warning("page %s of %s not joined: %s", url, page.url, reason)
        return None


def _joined(config: SiteConfig, trees: list[HtmlElement]) -> HtmlElement | None:
    """The first page with what the body containers of the others hold put inside its last one:
    one container, as trafilatura keeps only the first element that looks like an article's.
    None when the first page's body line selects nothing (stale: the page is left as it came)."""
    first = _containers(config, trees[0])
    if not first:
        return None
    last = first[-1]
    for tree in trees[1:]:
        for container in _containers(config, tree):
            if container.text and container.text.strip():
                text = last.makeelement("p", {})
                text.text = container.text
                last.append(text)
            last.extend(list(container))
    return trees[0]


def _containers(config: SiteConfig, tree: HtmlElement) -> list[HtmlElement]:
    return next((found for rule in config.body if (found := rule.elements(tree))), [])


def _is_web(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https")
