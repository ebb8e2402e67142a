"""The page parsed once, as trafilatura parses it, but with lxml's element classes chosen in C.

``lxml.html``'s parser picks each element's Python class with a Python callback
(``HtmlElementClassLookup.lookup``, only to give ``<form>``, ``<input>`` and a few other form
elements classes of their own), and it runs for every element object lxml creates: about ten
thousand per page between our rules, trafilatura and htmldate, some 8% of the extraction's CPU.
Nothing in the extraction uses the form classes, so this parser gives every element the plain
``HtmlElement`` class by lxml's C lookup. Otherwise it is ``trafilatura.utils.load_html``
step by step (same decoding, repairs, parser options and fallbacks), so the tree is the same,
with one repair more: a page whose template closes ``</body></html>`` before the article (a
header partial that ends the document) loses everything after it in libxml2, where a browser
shows it; those early closing tags are dropped (the parser closes both at the end anyway).
"""

from __future__ import annotations

import logging
import re

from lxml.etree import ElementDefaultClassLookup
from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HTMLParser, HtmlProcessingInstruction, fromstring
from trafilatura.utils import decode_file, is_dubious_html, repair_faulty_html

logger = logging.getLogger(__name__)

_CLOSING_RE = re.compile(r"</(?:body|html)\s*>", re.IGNORECASE)
# Markup after the first closing tag that a browser would show in the body.
_CONTENT_TAG_RE = re.compile(r"<(?:div|p|article|section|main|table|ul|ol|h[1-6])\b", re.IGNORECASE)

_PARSER = HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True, remove_pis=True)
_PARSER.set_element_class_lookup(ElementDefaultClassLookup(
    element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity))


def load_html(body: bytes | str) -> HtmlElement | None:
    """The page's tree as ``trafilatura.utils.load_html`` gives it, or None for what is no HTML;
    ``body`` is the page's bytes or its text already decoded (``decoding.page_text``)."""
    text = decode_file(body)
    beginning = text[:50].lower()
    dubious = is_dubious_html(beginning)
    text = _without_early_closing_tags(repair_faulty_html(text, beginning))
    tree, from_bytes = None, False
    try:
        tree = fromstring(text, parser=_PARSER)
    except ValueError:  # "Unicode strings with encoding declaration are not supported."
        tree, from_bytes = _from_bytes(text), True
    except Exception as error:
        logger.debug("lxml could not parse the page: %s", error)
    if (tree is None or len(tree) < 1) and not from_bytes:
        tree = _from_bytes(text)
    if tree is not None and dubious and len(tree) < 2:
        return None
    return tree


def _from_bytes(text: str) -> HtmlElement | None:
    try:
        return fromstring(text.encode("utf8", "surrogatepass"), parser=_PARSER)
    except Exception as error:
        logger.debug("lxml could not parse the page's bytes: %s", error)
        return None


def _without_early_closing_tags(text: str) -> str:
    """The page without its ``</body>`` and ``</html>`` when content follows the first of them."""
    closing = _CLOSING_RE.search(text)
    if closing is None or _CONTENT_TAG_RE.search(text, closing.end()) is None:
        return text
    return _CLOSING_RE.sub("", text)
