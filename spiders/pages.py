"""What a fetched response is: a page worth extracting, a reason to skip it, an article or not."""

from __future__ import annotations

import re

from scrapy.http import Response, TextResponse

from cleanwire.extraction.metadata import declares_article

HTML_TYPES = (b"text/html", b"application/xhtml+xml")
_HTML_START_RE = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)", re.IGNORECASE | re.DOTALL)
# A prose paragraph: enough words to be a sentence of news, ending like one.
_PROSE_MIN_WORDS = 25
_PROSE_PARAGRAPHS_FOR_ARTICLE = 3


def skip_reason(response: Response) -> str | None:
    """Why this response cannot hold an article (``not_html``, ``empty_page``), or None."""
    if not response.body.strip():
        return "empty_page"
    content_type = (response.headers.get(b"Content-Type") or b"").split(b";")[0].strip().lower()
    if content_type in HTML_TYPES:
        return None
    if content_type in (b"", b"text/plain", b"application/octet-stream") and _HTML_START_RE.match(response.body[:2048]):
        return None  # a mislabelled HTML page
    return "not_html"


def is_article_page(response: TextResponse) -> bool:
    """How a site crawl tells an article from an index, tag, author or section page.

    A page is an article when it says so (``og:type`` article, or a JSON-LD type such as
    NewsArticle), or, when it says nothing, when it carries at least three paragraphs of
    prose (25+ words ending with a sentence mark) that are not links: teasers on index
    pages are short and linked.
    """
    declared = declares_article(response.selector.root)
    if declared is not None:
        return declared
    prose = 0
    for paragraph in response.xpath("//p[not(ancestor::a) and not(.//a)]"):
        text = " ".join(paragraph.xpath(".//text()").getall()).split()
        if len(text) >= _PROSE_MIN_WORDS and text[-1][-1:] in ".!?»”\"。":
            prose += 1
            if prose >= _PROSE_PARAGRAPHS_FOR_ARTICLE:
                return True
    return False
