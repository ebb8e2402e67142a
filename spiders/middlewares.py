"""Downloader middlewares: conditional fetching (ask a server only for what changed since the
last run), redirect loops and truncated compressed bodies."""

from __future__ import annotations

import logging
import zlib
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
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



class RedirectLoop(IgnoreRequest):
    """A redirect (HTTP or meta refresh) back to a URL this chain already visited."""


class RedirectLoopMixin:
    """Stops a redirect chain that comes back on itself, with its own reason.

    Scrapy's scheduler would drop the looping request as a duplicate without a word, and the
    page would be lost unlogged; here it fails with ``RedirectLoop`` and the spider counts it
    (``cleanwire/skipped/redirect_loop``).
    """

    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if redirected.url in chain:
            raise RedirectLoop(f"redirect loop: {' -> '.join([*chain, redirected.url])}")
        return super()._redirect(redirected, request, reason)  # type: ignore[misc, no-any-return]


class LoopSafeRedirectMiddleware(RedirectLoopMixin, RedirectMiddleware):
    """Scrapy's RedirectMiddleware, stopping loops (``RedirectLoopMixin``)."""


class LoopSafeMetaRefreshMiddleware(RedirectLoopMixin, MetaRefreshMiddleware):
    """Scrapy's MetaRefreshMiddleware, stopping loops (``RedirectLoopMixin``)."""


class TruncatedBody(IgnoreRequest):
    """A compressed body whose stream ends before its end: what it holds is part of a page."""


_GZIP = (b"gzip", b"x-gzip")
_CHECK_CHUNK = 1 << 20


class TruncatedStreamMiddleware:
    """Refuses a gzip body cut short (``TruncatedBody``) before it is decompressed.

    Scrapy's HttpCompressionMiddleware keeps whatever a truncated stream yields, so half an
    article would be written as if whole. Placed above it (595), this inflates the body once
    more into nothing, at most ``DOWNLOAD_MAXSIZE`` bytes (past that, decompression refuses it
    anyway), and checks that the stream ends.
    """

    def __init__(self, max_size: int) -> None:
        self.max_size = max_size

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TruncatedStreamMiddleware:
        return cls(crawler.settings.getint("DOWNLOAD_MAXSIZE"))

    def process_response(self, request: Request, response: Response) -> Response:
        encodings = response.headers.getlist(b"Content-Encoding")
        if not encodings or any(e.strip().lower() not in _GZIP for e in encodings) \
                or request.method == "HEAD" or not response.body:
            return response  # gzip is what servers send; other encodings are left to Scrapy
        inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
        pending, size = response.body, 0
        try:
            while pending and not inflater.eof and not (self.max_size and size > self.max_size):
                size += len(inflater.decompress(pending, _CHECK_CHUNK))
                pending = inflater.unconsumed_tail
        except zlib.error as error:
            raise TruncatedBody(f"broken gzip stream: {error}") from None
        if not inflater.eof and not (self.max_size and size > self.max_size):
            raise TruncatedBody(f"gzip stream cut short after {size} bytes")
        return response
