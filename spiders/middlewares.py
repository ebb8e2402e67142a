"""Conditional fetching: ask a server only for what changed since the last run."""

from __future__ import annotations

import logging

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response

from cleanwire.extensions.runstate import RunState, page_record

logger = logging.getLogger(__name__)

ROLE_META = "cleanwire_role"
"""Request meta key: what the spider expects the page to be.

"article", "listing" (feed, sitemap) and "page" (of a site crawl: an article or an index)
requests are asked conditionally when an earlier run kept validators for them, which it
does only for articles it wrote and listings it read (see ``RunState``).
"""
CONDITIONAL_ROLES = ("article", "listing", "page")


class Unchanged(IgnoreRequest):
    """The page is as it was at the last run; nothing downstream needs it."""


class ConditionalRequestMiddleware:
    """Sends If-None-Match / If-Modified-Since for pages of earlier runs and stops unchanged ones.

    A 304, or a 200 whose body hashes as before, ends the request with ``Unchanged``: no
    parsing, no extraction. Enabled whenever the run has a state store.
    Stats: ``cleanwire/unchanged/<how>``.
    """

    def __init__(self, crawler: Crawler, state: RunState) -> None:
        self.stats = crawler.stats
        self.reader = state.reader

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalRequestMiddleware:
        state = RunState.of(crawler)
        if state is None:
            raise NotConfigured
        return cls(crawler, state)

    def process_request(self, request: Request) -> None:
        if request.meta.get(ROLE_META) not in CONDITIONAL_ROLES:
            return
        known = self.reader.page(request.url)
        if known is None:
            return
        if known.etag:
            request.headers.setdefault(b"If-None-Match", known.etag)
        if known.last_modified:
            request.headers.setdefault(b"If-Modified-Since", known.last_modified)
        request.meta["handle_httpstatus_list"] = [*request.meta.get("handle_httpstatus_list", ()), 304]

    def process_response(self, request: Request, response: Response) -> Response:
        role = request.meta.get(ROLE_META)
        if role not in CONDITIONAL_ROLES:
            return response
        if response.status == 304:
            self._unchanged(request, "not_modified")
        if response.status != 200:
            return response
        known = self.reader.page(request.url)
        if known is not None and known.body_sha256 == page_record(response).body_sha256:
            self._unchanged(request, "same_body")
        return response

    def _unchanged(self, request: Request, how: str) -> None:
        self.stats.inc_value(f"cleanwire/unchanged/{how}")
        logger.debug("unchanged (%s): %s", how, request.url)
        raise Unchanged(f"unchanged ({how}): {request.url}")

