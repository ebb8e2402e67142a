"""What a fetched response is: a page worth extracting, a reason to skip it, an article or not."""

from __future__ import annotations

import logging
import re

from scrapy.http import Response, TextResponse
from scrapy.statscollectors import StatsCollector

from cleanwire.extraction.pagekind import ARTICLE_MIN_SCORE, classify

logger = logging.getLogger(__name__)

HTML_TYPES = (b"text/html", b"application/xhtml+xml")
_HTML_START_RE = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)", re.IGNORECASE | re.DOTALL)


# Formats that are sometimes served as text/html: by their first bytes.
_BINARY_MAGIC = (b"%PDF-", b"PK\x03\x04", b"\x1f\x8b", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF",
                 b"\x00\x00\x01\x00", b"7z\xbc\xaf", b"Rar!", b"BZh", b"\xfd7zXZ", b"OggS", b"ID3", b"\x00asm")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Control bytes other than tab, newline, carriage return and form feed: text has next to none.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"
_BINARY_SNIFF_BYTES = 4096
_MAX_CONTROL_SHARE = 0.01


def is_binary(body: bytes) -> bool:
    """Bytes that are no text document, whatever the Content-Type claims: a known binary
    format, or control bytes that text does not carry (UTF-16, with its BOM, is text)."""
    head = body[:_BINARY_SNIFF_BYTES]
    if head.startswith(_BINARY_MAGIC):
        return True
    if head.startswith(_UTF16_BOMS):
        return False
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls > _MAX_CONTROL_SHARE * len(head)


def skip_reason(response: Response) -> str | None:
    """Why this response cannot hold an article (``empty_page``, ``not_html``, or
    ``binary_body`` for bytes that only claim to be HTML), or None."""
    if not response.body.strip():
        return "empty_page"
    content_type = (response.headers.get(b"Content-Type") or b"").split(b";")[0].strip().lower()
    claims_html = content_type in HTML_TYPES or (
        content_type in (b"", b"text/plain", b"application/octet-stream")
        and bool(_HTML_START_RE.match(response.body[:2048])))  # a mislabelled HTML page
    if not claims_html:
        return "not_html"
    return "binary_body" if is_binary(response.body) else None


def is_article_page(response: TextResponse, stats: StatsCollector, explain: bool = False) -> bool:
    """How a site crawl tells an article from an index, product, forum, service or docs page
    (``extraction.pagekind``), counted as ``cleanwire/pages/article`` or ``cleanwire/pages/index``
    and by the deciding signal under each; logged at INFO with every signal when ``explain``."""
    kind = classify(response.selector.root, response.url)
    verdict = "article" if kind.is_article else "index"
    stats.inc_value(f"cleanwire/pages/{verdict}")
    stats.inc_value(f"cleanwire/pages/{verdict}/{kind.deciding}")
    logger.log(logging.INFO if explain else logging.DEBUG, "%s page %s: score %.1f (article from %g): %s",
               verdict, response.url, kind.score, ARTICLE_MIN_SCORE,
               " ".join(f"{name}{weight:+.1f}" for name, weight in kind.signals) or "no signal")
    return kind.is_article
