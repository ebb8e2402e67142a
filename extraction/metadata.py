"""Article metadata: what the page states (JSON-LD, OpenGraph, meta tags) before heuristics.

Publishers state their own canonical URL, title, authors, date and language for search
engines; those statements beat anything inferred from the layout, so they are read first
and trafilatura's heuristic metadata only fills the gaps.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterator
from urllib.parse import urljoin

from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura.metadata import extract_title, set_date_params

logger = logging.getLogger(__name__)

ARTICLE_TYPES = frozenset({
    "Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
    "BackgroundNewsArticle", "BlogPosting", "LiveBlogPosting", "TechArticle", "ScholarlyArticle",
    "Report", "SatiricalArticle", "ReviewNewsArticle", "AskPublicNewsArticle",
})
_LANG_RE = re.compile(r"^([A-Za-z]{2})(?:[-_][A-Za-z0-9]+)*$")
_SPACE_RE = re.compile(r"\s+")
_BYLINE_PREFIX_RE = re.compile(r"^(?:by|von|par|por|di|door|av|автор|著者)[:\s]+", re.IGNORECASE)


@dataclass
class Metadata:
    """Metadata fields of one page; None where neither the page nor a heuristic says."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    language: str | None = None
    canonical_url: str | None = None
    site_name: str | None = None
    description: str | None = None
    """The page's summary (og:description, description meta, JSON-LD); often printed as a standfirst."""


def read_metadata(tree: HtmlElement, url: str) -> Metadata:
    """Read the page's own statements, then let trafilatura guess what is still missing."""
    meta = _meta_tags(tree)
    ld = _first_article_object(tree)
    publishers = _ld_names(ld.get("publisher"))
    found = Metadata(
        title=_first(_text(ld.get("headline")), meta.get("og:title"), meta.get("twitter:title")),
        authors=_dedupe(_ld_names(ld.get("author")) or _split_authors(
            meta.get("author") or meta.get("article:author") or meta.get("parsely-author")) or _author_links(tree)),
        published=_first(_iso(ld.get("datePublished")), _iso(meta.get("article:published_time")),
                         _iso(meta.get("date")), _iso(meta.get("pubdate")),
                         _iso(meta.get("parsely-pub-date")), _iso(meta.get("dc.date"))),
        language=_first(_lang(_text(ld.get("inLanguage"))), _lang(tree.get("lang")),
                        _lang(meta.get("og:locale")), _lang(meta.get("content-language")),
                        _lang(meta.get("dc.language"))),
        canonical_url=_first(_canonical_link(tree, url), _absolute(meta.get("og:url"), url),
                             _absolute(_text(ld.get("url")), url)),
        site_name=_first(meta.get("og:site_name"), publishers[0] if publishers else None,
                         meta.get("application-name")),
        description=_first(meta.get("og:description"), meta.get("description"), meta.get("twitter:description"),
                           _text(ld.get("description"))),
    )
    if not (found.title and found.published):
        _fill_from_heuristics(found, tree, url)
    return found


def declares_article(tree: HtmlElement) -> bool | None:
    """What the page says it is: its ``og:type`` if it has one, else True for a JSON-LD article
    type; None when it says nothing."""
    og_type = (_meta_tags(tree).get("og:type") or "").lower()
    if og_type:
        return og_type == "article"
    return True if _first_article_object(tree) else None


def _fill_from_heuristics(found: Metadata, tree: HtmlElement, url: str) -> None:
    """trafilatura's title and htmldate's date guesses, for pages that state neither.

    (trafilatura's author heuristics copy the whole tree and cost more than the rest of
    the extraction; authors come from the page's statements and its author links only.)"""
    try:
        found.title = found.title or extract_title(tree)
        found.published = found.published or _iso(find_date(tree, **set_date_params(False)))
    except Exception:  # heuristics are best effort; a page never fails on them
        logger.debug("heuristic metadata failed for %s", url, exc_info=True)


def _author_links(tree: HtmlElement) -> list[str]:
    """Names marked up as the author: itemprop=author, rel=author."""
    names = []
    for el in tree.xpath("//*[@itemprop='author'] | //a[contains(concat(' ', @rel, ' '), ' author ')]"):
        name_el = next(iter(el.xpath(".//*[@itemprop='name']")), el)
        name = _clean(name_el.get("content") or name_el.text_content())
        if name and len(name) <= 80:
            names.append(_BYLINE_PREFIX_RE.sub("", name))
    return names


def _meta_tags(tree: HtmlElement) -> dict[str, str]:
    """First value of each <meta name|property|http-equiv>, keys lower-cased."""
    tags: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv")
        value = _clean(el.get("content"))
        if key and value:
            tags.setdefault(key.strip().lower(), value)
    return tags


def _first_article_object(tree: HtmlElement) -> dict[str, Any]:
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text_content() or "")
        except ValueError:
            continue
        for obj in _ld_objects(data):
            types = obj.get("@type")
            types = types if isinstance(types, list) else [types]
            if any(t in ARTICLE_TYPES for t in types if isinstance(t, str)):
                return obj
    return {}


def _ld_objects(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for entry in data:
            yield from _ld_objects(entry)
    elif isinstance(data, dict):
        yield data
        yield from _ld_objects(data.get("@graph"))


def _ld_names(value: Any) -> list[str]:
    if isinstance(value, list):
        return [name for entry in value for name in _ld_names(entry)]
    if isinstance(value, dict):
        value = value.get("name")
    name = _text(value)
    return [name] if name else []


def _split_authors(value: str | None) -> list[str]:
    if not value or value.startswith("http"):
        return []
    parts = re.split(r"\s*(?:;|,|\band\b|\bund\b|\bet\b|\by\b|&)\s*", _BYLINE_PREFIX_RE.sub("", value))
    return _dedupe(p for p in (_clean(p) for p in parts) if p)


def _canonical_link(tree: HtmlElement, url: str) -> str | None:
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            return _absolute(link.get("href"), url)
    return None


def _absolute(href: str | None, base: str) -> str | None:
    href = _clean(href)
    return urljoin(base, href) if href else None


def _iso(value: Any) -> str | None:
    """An ISO 8601 date or date-time, as stated, or None when the value is not one."""
    text = _text(value)
    if not text:
        return None
    candidate = text.replace("Z", "+00:00") if text.endswith("Z") else text
    try:
        parsed = datetime.fromisoformat(candidate)
    except ValueError:
        return None
    return parsed.isoformat() if "T" in text or " " in text.strip() else parsed.date().isoformat()


def _lang(value: str | None) -> str | None:
    match = _LANG_RE.match((value or "").strip())
    return match.group(1).lower() if match else None


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return _clean(value) if isinstance(value, str) else None


def _clean(value: str | None) -> str | None:
    return _SPACE_RE.sub(" ", value).strip() or None if value else None


def _first(*values: str | None) -> str | None:
    return next((v for v in values if v), None)


def _dedupe(values: Any) -> list[str]:
    return list(dict.fromkeys(values))
