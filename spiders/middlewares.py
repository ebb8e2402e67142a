"""Conditional fetching: ask a server only for what changed since the last run."""

from __future__ import annotations

import hashlib
import logging

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response

from extensions.runstate import RunState, run_state
from pipelines.state import PageRecord

logger = logging.getLogger(__name__)

ROLE_META = "cleanwire_role"
"""Request meta key: what the spider expects the page to be.

"article" and "listing" (feed, sitemap) pages are tracked: their validators are staged on
every 200. A "page" of a site crawl may be an index: it is asked conditionally only if an
earlier run found it to be an article, and the spider stages it once it knows it is one.
"""
TRACKED_ROLES = ("article", "listing")
CONDITIONAL_ROLES = (*TRACKED_ROLES, "page")


class Unchanged(IgnoreRequest):
    """The page is as it was at the last run; nothing downstream needs it."""


class ConditionalRequestMiddleware:
    """Sends If-None-Match / If-Modified-Since for pages of earlier runs and stops unchanged ones.

    A 304, or a 200 whose body hashes as before, ends the request with ``Unchanged``: no
    parsing, no extraction. Validators of every tracked 200 are staged in the state store.
    Enabled whenever the run has a state store. Stats: ``cleanwire/unchanged/<how>``.
    """

    def __init__(self, crawler: Crawler, state: RunState) -> None:
        self.stats = crawler.stats
        self.store = state.store

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalRequestMiddleware:
        state = run_state(crawler)
        if state is None:
            raise NotConfigured
        return cls(crawler, state)

    def process_request(self, request: Request) -> None:
        if request.meta.get(ROLE_META) not in CONDITIONAL_ROLES:
            return
        known = self.store.page(request.url)
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
        record = page_record(request.url, response)
        known = self.store.page(request.url)
        if role in TRACKED_ROLES:
            self.store.stage_page(record, listing=role == "listing")
        if known is not None and known.body_sha256 == record.body_sha256:
            self._unchanged(request, "same_body")
        return response

    def _unchanged(self, request: Request, how: str) -> None:
        self.stats.inc_value(f"cleanwire/unchanged/{how}")
        logger.debug("unchanged (%s): %s", how, request.url)
        raise Unchanged(f"unchanged ({how}): {request.url}")


def page_record(url: str, response: Response) -> PageRecord:
    """What the state store keeps of a fetched page: its validators and body hash."""
    return PageRecord(url, _header(response, b"ETag"), _header(response, b"Last-Modified"),
                      hashlib.sha256(response.body).hexdigest())


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
