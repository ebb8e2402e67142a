"""Article metadata: what the page states (JSON-LD, OpenGraph, meta tags) before heuristics.

Publishers state their own canonical URL, title, authors, date and language for search
engines; those statements beat anything inferred from the layout, so they are read first
and heuristics (the byline, trafilatura's title, htmldate's date) only fill the gaps. The
one exception is the title: stated titles are often SEO variants, so the printed h1 wins.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from htmldate import find_date
from htmldate.extractors import try_date_expr
from lxml.html import HtmlElement
from trafilatura.json_metadata import normalize_authors
from trafilatura.metadata import extract_title
from trafilatura.settings import set_date_params

from .rules import (
    AUTHOR_DEGREES,
    AUTHOR_PREFIXES,
    AUTHOR_ROLES,
    MONTH_NAMES,
    NAME_MONTHS,
    NEWS_AGENCIES,
    PROFILE_PATH_SEGMENTS,
    PUBLISHED_LABELS,
    SPONSOR_LABELS,
    UPDATED_LABELS,
    WEEKDAY_NAMES,
    WRITTEN_BYLINE_LABELS,
    JunkKind,
    alternation,
    phrase_rule_for,
)
from .text import letters, readable, unescaped, word_count

logger = logging.getLogger(__name__)

ARTICLE_TYPES = frozenset({
    "Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
    "BackgroundNewsArticle", "BlogPosting", "LiveBlogPosting", "TechArticle", "ScholarlyArticle",
    "Report", "SatiricalArticle", "ReviewNewsArticle", "AskPublicNewsArticle",
})
POSTING_TYPES = frozenset({"DiscussionForumPosting", "SocialMediaPosting"})
"""schema.org's Article subtypes for a thread's opening post: its author, date and headline are the
page's where no article is typed, though the page is no article (so they stay out of ARTICLE_TYPES)."""
ORGANISATION_TYPES = frozenset({
    "Organization", "NewsMediaOrganization", "Corporation", "LocalBusiness", "EducationalOrganization",
    "GovernmentOrganization", "NGO", "OnlineBusiness", "WebSite", "Brand",
})
_PUBLISHED_META = ("article:published_time", "og:published_time", "datepublished", "date", "pubdate",
                   "parsely-pub-date", "dc.date")
"""Meta tags that state the publication date, most specific first (og:published_time: OpenGraph's
own spelling of article:published_time, which some CMSs write instead)."""
_LIST_SEPARATOR_RE = re.compile(r"\s*[;,]\s*")
_NAME_SEPARATOR_RE = re.compile(r"\s*(?:\band\b|\bund\b|\bet\b|\by\b|&)\s*")
# Post-nominal letters: upper-case abbreviations (MS, RD, CFP, E-RYT 200, CEPF®) and mixed-case degrees.
_CREDENTIALS_RE = re.compile(
    rf"^(?:(?:[A-Z][A-Z.-]{{1,7}}|{alternation(AUTHOR_DEGREES)}|\d+)®?(?:\s+|$))+$")
_ROLE_RE = re.compile(rf"\b(?:{alternation(AUTHOR_ROLES)})\b")
_LANG_RE = re.compile(r"^([A-Za-z]{2})(?:[-_][A-Za-z0-9]+)*$")
_SPACE_RE = re.compile(r"\s+")
_BYLINE_PREFIX_RE = re.compile(rf"^(?:{alternation(AUTHOR_PREFIXES)})[:\s]+", re.IGNORECASE)
_TITLE_SEPARATOR_RE = re.compile(r"\s+(?:[|•·»~]|[-–—]{1,2}|::)\s+")
_URL_DATE_RE = re.compile(r"/((?:19|20)\d\d)[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|$|[-_])")
_WORD_RE = re.compile(r"\w+")
_AUTHOR_NAME_RE = re.compile(r"(?:^|\s)author(?:$|\s)|author-?name|AuthorName|authorName")
_BYLINE_RE = re.compile(r"author|byline|writer|journalist|posted-by|submitted-by", re.IGNORECASE)
_BYLINE_SKIP_RE = re.compile(r"comment|sidebar|related|avatar|\bbio\b|author-?(?:bio|box|image|img|photo|avatar)",
                             re.IGNORECASE)
_BYLINE_DATE_RE = re.compile(r"date|time", re.IGNORECASE)
_JOB_TITLE_MARK_RE = re.compile(r"position|\brole\b|byline-role|job-?title|jobTitle|designation|occupation",
                                re.IGNORECASE)
_NOT_BYLINE_TAGS = frozenset({"time", "figure", "script", "style", "img", "svg", "button"})
# Where a <time> or a byline belongs to something other than the page: teasers of other articles, comments.
# Not "widget": page builders call every block one (a sidebar is marked aside or sidebar).
_ELSEWHERE_TAGS = frozenset({"aside", "footer", "nav"})
_ELSEWHERE_RE = re.compile(r"comment|sidebar|related|footer|recommend|popular|trending|teaser|card|share|"
                           r"newsletter|more-", re.IGNORECASE)
_PROFILE_PATH_RE = re.compile(rf"/(?:{alternation(PROFILE_PATH_SEGMENTS)})/([^/]+)", re.IGNORECASE)
_WRITTEN_BYLINE_TAGS = ("p", "div", "span", "li", "h3", "h4", "h5", "h6", "address", "strong", "em")
_WRITTEN_BYLINE_RE = re.compile(rf"^(?:{alternation(WRITTEN_BYLINE_LABELS)})\s*:?(?:\s+(.*))?$", re.IGNORECASE)
_NAME_END_RE = re.compile(r"\s*(?:[•|·,;(]|\s[-–—]\s|\bon\b|\bin\b|\bupdated\b|\bpublished\b|\d)", re.IGNORECASE)
_PERSON_NAME_RE = re.compile(r"^(?:[A-Z][\w'’.-]*|[A-Z]\.)(?:\s(?:[A-Z][\w'’.-]*|[A-Z]\.|de|van|von|der|da|del|la|le)){1,3}$")
_LABEL_BEFORE_NAME_RE = re.compile(
    rf"^(?:{alternation((*WRITTEN_BYLINE_LABELS, 'authors', 'read more about', 'more about'))}|(?:\w+\s+){{0,5}}by)"
    r"\s*:?\s+(?=\S)", re.IGNORECASE)
_SPONSOR_LABEL_RE = re.compile(rf"^(?:{alternation(SPONSOR_LABELS)})\b", re.IGNORECASE)
# A date after a name: a month and a day, a month alone unless it is also a name ("Theresa May"), a weekday.
_TRAILING_DATE_RE = re.compile(
    rf"\s+(?:(?:last\s+)?(?:updated|published|posted)\b.*|(?:{alternation(MONTH_NAMES)})\.?\s+\d.*"
    rf"|(?:{alternation(set(MONTH_NAMES) - NAME_MONTHS)})\.?|(?:{alternation(WEEKDAY_NAMES)})\b.*)$", re.IGNORECASE)
_DATE_ONLY_RE = re.compile(rf"^(?:{alternation(MONTH_NAMES)})\.?(?:\s+\d.*)?$", re.IGNORECASE)
_DATELINE_TAGS = ("p", "div", "span", "li", "small", "em", "strong", "time", "h6")
_DATELINE_LABELS = alternation((*PUBLISHED_LABELS, *UPDATED_LABELS))
_DATELINE_DATE_RE = re.compile(rf"(?:^|[\s|•·(-])({_DATELINE_LABELS})\b\s*(?:on\b)?\s*:?\s*(\S.{{5,}})", re.IGNORECASE)
_UPDATED = frozenset(UPDATED_LABELS)
_OLDEST_DATE = datetime(1995, 1, 1)
_UTILITY_CLASS_RE = re.compile(r"[:\[]")
_MENU_TAGS = frozenset({"nav"})
_MENU_RE = re.compile(rf"{_ELSEWHERE_RE.pattern}|menu", re.IGNORECASE)


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
    modified: str | None = None
    image: Image | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    paywalled: bool | None = None
    sources: dict[str, str] = field(default_factory=dict)
    """Where description and the fields after it came from ("json-ld dateModified", ...), for explain mode."""


@dataclass(frozen=True)
class Image:
    """The lead image: an absolute URL and its caption, if the page gives one."""

    url: str
    caption: str | None = None


def read_metadata(tree: HtmlElement, url: str) -> Metadata:
    """Read the page's own statements, then let trafilatura guess what is still missing."""
    meta = _meta_tags(tree)
    objects = list(_ld_all(tree))
    ld = _article_object(objects) or next((obj for obj in objects if _is_a(obj, POSTING_TYPES)), {})
    by_id = {obj["@id"]: obj for obj in objects if isinstance(obj.get("@id"), str)}
    publishers = _ld_names(ld.get("publisher"), by_id)
    site_names = [n for n in (meta.get("og:site_name"), *publishers, meta.get("application-name")) if n]
    people, organisations = _ld_authors(ld.get("author"), by_id)
    canonical_url = _first(_canonical_link(tree, url), _absolute(meta.get("og:url"), url),
                           _absolute(_text(ld.get("url")), url))
    # The page's own URL for what a URL tells (its host's name, a date in its path): the
    # fetched one may be a mirror, an AMP cache, a redirector or a local copy.
    stated_url = canonical_url or url
    found = Metadata(
        title=_title([_text(ld.get("headline")), meta.get("og:title"), meta.get("twitter:title"),
                      _title_tag(tree)], _headings(tree), [*site_names, _host_label(stated_url)]),
        authors=_dedupe(filter(None, (_author_name(n) for n in people or _split_authors(
            meta.get("author") or meta.get("article:author") or meta.get("parsely-author")) or _author_links(tree)
            or _printed_byline(tree) or organisations))),
        published=_first(_iso(ld.get("datePublished")), *(_iso(meta.get(key)) for key in _PUBLISHED_META),
                         _first_published(objects)),
        language=_first(_lang(_text(ld.get("inLanguage"))), _lang(tree.get("lang")),
                        _lang(meta.get("og:locale")), _lang(meta.get("content-language")),
                        _lang(meta.get("dc.language"))),
        canonical_url=canonical_url,
        site_name=site_names[0] if site_names else None,
    )
    found.published = _local_date(found.published or _page_time(tree) or _printed_date(tree), stated_url)
    found.authors = _person_over_publisher(found.authors, site_names, tree)
    read_record_fields(found, tree, url, meta, objects, ld, by_id)
    if not (found.title and found.published):
        _fill_from_heuristics(found, tree, stated_url)
    return found


def article_object(tree: HtmlElement) -> dict[str, Any]:
    """The page's JSON-LD object of an article type (resolved through @graph, arrays and
    mainEntity), or {} when it states none."""
    return _article_object(_ld_all(tree))


def ld_objects(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    """Every JSON-LD object of the page, @graph, arrays and mainEntity opened."""
    return _ld_all(tree)


def meta_tags(tree: HtmlElement) -> dict[str, str]:
    """The page's meta tags: first value of each name, property or itemprop, keys lower-cased."""
    return _meta_tags(tree)


def _fill_from_heuristics(found: Metadata, tree: HtmlElement, url: str) -> None:
    """trafilatura's title and htmldate's date guesses (extensive search, the URL's date
    included), for pages that state neither."""
    try:
        found.title = found.title or _clean(extract_title(tree))
        found.published = found.published or _iso(find_date(tree, url=url or None, **set_date_params(True)))
    except Exception:  # heuristics are best effort; a page never fails on them
        logger.debug("heuristic metadata failed for %s", url, exc_info=True)


def _title(stated: list[str | None], headings: list[str], site_names: list[str]) -> str | None:
    """The headline as printed: the h1 that agrees with a stated title, else the first h1 that is
    more than a word and not the site's name, else the stated title without its site name."""
    titles = _dedupe(t for t in (_unescaped(t) for t in stated) if t)
    heads = [_without_site_name(t, site_names) for t in titles]
    keys = {letters(t) for t in titles + heads}
    for heading in headings:
        if letters(heading) in keys:
            return heading
    names = {letters(n) for n in site_names}
    headline = next((h for h in headings if letters(h) not in names and len(_WORD_RE.findall(h)) > 1), None)
    return headline or (heads[0] if heads else None)


def _without_site_name(title: str, site_names: list[str]) -> str:
    """A stated title without the site's name around it ("Headline | Site")."""
    parts = _TITLE_SEPARATOR_RE.split(title)
    if len(parts) == 1:
        return title
    names = {letters(n) for n in site_names}
    kept = [p for p in parts if letters(p) not in names] or parts
    return max(kept, key=len)


def _host_label(url: str) -> str:
    """The registered name in the URL's host ("www.example-news.com" -> "example-news")."""
    labels = (urlsplit(url).hostname or "").split(".")
    return labels[-2] if len(labels) > 1 else ""


def _headings(tree: HtmlElement) -> list[str]:
    """The page's first h1 texts."""
    return [h for h in (_clean(el.text_content()) for el in tree.iter("h1")) if h][:8]


def _title_tag(tree: HtmlElement) -> str | None:
    """The <title> text."""
    element = tree.find(".//title")
    return _clean(element.text_content()) if element is not None else None


def _page_time(tree: HtmlElement) -> str | None:
    """The first machine-readable <time datetime> that dates the page itself (not a teaser, comment
    or widget): a page that states no date for search engines still marks the one it prints."""
    for el in tree.iter("time"):
        stamp = _iso((el.get("datetime") or "").strip())
        if stamp and not _inside(el, _ELSEWHERE_TAGS, _ELSEWHERE_RE):
            return stamp
    return None


def _printed_date(tree: HtmlElement) -> str | None:
    """The date a dateline prints ("Published March 9, 2026", "Last updated: 12/12/2025"), outside
    teasers, comments and widgets: the first one labelled as the publication (or printed unlabelled
    before an update's: "August 16, 2019 - Updated July 9, 2025"), else the first labelled as an
    update, for pages that state no date and mark none in a <time>. A dateline is a few words, not
    a sentence that mentions a date."""
    updated = None
    for el in tree.iter(*_DATELINE_TAGS):
        text = _clean(el.text_content())
        if (not text or len(text) > 100 or len(text.split()) > 14 or not _DATELINE_DATE_RE.search(text)
                or _inside(el, _ELSEWHERE_TAGS, _ELSEWHERE_RE)):  # the ancestors walked for a dateline only
            continue
        for match in _DATELINE_DATE_RE.finditer(text):
            stamp = _date_in(match.group(2))
            if stamp and match.group(1).lower() not in _UPDATED:
                return stamp
            if stamp and (before := _date_in(text[:match.start()])):
                return before
            updated = updated or stamp
    return updated


def _date_in(text: str) -> str | None:
    """The date written at the start of this text (htmldate's parser: English, numeric, ISO), if any."""
    return try_date_expr(text[:40], "%Y-%m-%d", False, _OLDEST_DATE, datetime.now()) if text.strip() else None


def _local_date(published: str | None, url: str) -> str | None:
    """The URL's date when a stated date-time is a day off it: the time was converted to
    another zone, the URL and the page show the publisher's local date."""
    match = _URL_DATE_RE.search(urlsplit(url).path)
    if not (published and match and "T" in published):
        return published
    try:
        in_url = date(*(int(g) for g in match.groups()))
    except ValueError:
        return published
    days = (datetime.fromisoformat(published).date() - in_url).days
    return in_url.isoformat() if abs(days) == 1 else published


def _byline(tree: HtmlElement) -> list[str]:
    """The names in the page's byline: the first element marked as the author by its rel, itemprop,
    class or id (the most specific marks first, as trafilatura's author heuristics rank them),
    read without its dates and figures; one pass over the tree instead of trafilatura's copy."""
    ranked: list[tuple[int, HtmlElement]] = []
    for el in tree.iter("a", "address", "div", "p", "span", "strong", "h3", "h4", "author"):
        rank = _byline_rank(el)
        if rank is not None:
            ranked.append((rank, el))
    for _, el in sorted(ranked, key=lambda pair: pair[0]):
        parent = el.getparent()
        if parent is not None and _inside(parent, frozenset(), _BYLINE_SKIP_RE):
            continue
        text = _clean(" ".join(_text_outside(el)))
        if text and 2 < len(text) < 120 and (names := normalize_authors(None, text)):
            return names.split("; ")
    return []


def _byline_rank(el: HtmlElement) -> int | None:
    """0 for an element marked as the author's name, 1 for one marked as a byline, else None."""
    marks = f"{el.get('class', '')} {el.get('id', '')} {el.get('itemprop', '')} {el.get('rel', '')}"
    if not _BYLINE_RE.search(marks) and el.tag != "author":
        return None
    if el.tag == "author" or "author" in (el.get("rel") or "").split() or el.get("itemprop") == "author name":
        return 0
    if _AUTHOR_NAME_RE.search(marks):
        return 0
    return None if _BYLINE_SKIP_RE.search(marks) else 1


def _text_outside(el: HtmlElement) -> Iterator[str]:
    """An element's text without its dates, figures and scripts, nor the job title a byline prints
    beside the name in an element of its own ("Jane Doe <span class=position>Senior Writer</span>")."""
    if isinstance(el.tag, str):  # not a comment
        if el.tag in _NOT_BYLINE_TAGS or _BYLINE_DATE_RE.search(el.get("class", "")):
            return
        yield el.text or ""
    for child in el:
        if not _is_job_title(child):
            yield from _text_outside(child)
        yield child.tail or ""


def _is_job_title(el: HtmlElement) -> bool:
    """An element marked as a job title (class position, role, jobTitle), or whose whole text is one."""
    if not isinstance(el.tag, str):
        return False
    if _JOB_TITLE_MARK_RE.search(f"{el.get('class', '')} {el.get('itemprop', '')}"):
        return True
    text = _clean(el.text_content()) or ""
    return len(text.split()) <= 5 and bool(_ROLE_RE.search(text))


def _author_links(tree: HtmlElement) -> list[str]:
    """Names marked up as the author (itemprop=author, rel=author): the first mark and those beside
    it ("By <A> and <B>"); later marks belong to comments, reviews and teasers."""
    names = []
    marks = tree.xpath("//*[@itemprop='author'] | //a[contains(concat(' ', @rel, ' '), ' author ')]")
    parent = marks[0].getparent() if marks else None
    for el in marks:
        if el.getparent() is not parent:
            continue
        name_el = next(iter(el.xpath(".//*[@itemprop='name']")), el)
        name = _clean(name_el.get("content") or name_el.text_content())
        if name and len(name) <= 60:
            names.append(_BYLINE_PREFIX_RE.sub("", name))
    return names


def _printed_byline(tree: HtmlElement) -> list[str]:
    """The names the page prints as its byline: marked as one, else linked to their profiles, else
    written out ("By Jane Doe")."""
    return _byline(tree) or _profile_link(tree) or _written_byline(tree)


def _written_byline(tree: HtmlElement) -> list[str]:
    """The name in the first byline written out in the text ("By Jane Doe • 4 min read", "Written by"
    followed by the name in the next element), for pages that mark it neither in markup nor by a
    link; outside teasers, comments and footers. The name must read as one: two to four
    capitalised words, so that "By clicking Subscribe" and "By car" are no bylines."""
    for el in tree.iter(*_WRITTEN_BYLINE_TAGS):
        text = _clean(el.text_content())
        if not text or len(text) > 100 or not (match := _WRITTEN_BYLINE_RE.match(text)):
            continue
        if not match.group(1):
            following = el.getnext()
            text = f"{text} {_clean(following.text_content()) or ''}" if following is not None else text
            match = _WRITTEN_BYLINE_RE.match(text)
        name = _NAME_END_RE.split(match.group(1))[0].strip() if match and match.group(1) else ""
        if _PERSON_NAME_RE.match(name) and not _inside(el, _ELSEWHERE_TAGS, _ELSEWHERE_RE):  # ancestors last: costly
            return [name]
    return []


def _inside(el: HtmlElement, tags: frozenset[str], marks: re.Pattern[str]) -> bool:
    """Whether an element is, or sits in, one of these tags or an element whose class or id has one of
    these marks; <body> and <html> not counted (their classes name the page's template, not a part),
    nor utility classes with a variant or a value ("md:[grid-area:sidebar]"), which say where a box
    is laid out, not what it holds."""
    for part in (el, *el.iterancestors()):
        if part.tag in ("body", "html"):
            return False
        names = " ".join(c for c in (part.get("class") or "").split() if not _UTILITY_CLASS_RE.search(c))
        if part.tag in tags or marks.search(f"{names} {part.get('id', '')}"):
            return True
    return False


def _alnum(text: str) -> str:
    """Lower-case letters and digits only: "A. J. Neal" and "a._j._neal" compare equal."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _profile_link(tree: HtmlElement) -> list[str]:
    """The name on the first link to an author's or member's profile page ("/authors/jane-doe",
    "/members/jdoe.123/") whose text is that profile's name, outside menus, teasers and comments:
    the byline of pages that mark their author only by where the name links."""
    for link in tree.iter("a"):
        match = _PROFILE_PATH_RE.search(urlsplit(link.get("href") or "").path)
        name = _clean(link.text_content()) if match else None
        if match is None or not name or len(name) > 60 or len(name.split()) > 4:
            continue
        slug, label = _alnum(match.group(1)), _alnum(name)
        if label and (label in slug or slug in label) and not _inside(link, _MENU_TAGS, _MENU_RE):
            return [name]
    return []


def _meta_tags(tree: HtmlElement) -> dict[str, str]:
    """First value of each <meta name|property|http-equiv>, keys lower-cased."""
    tags: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv")
        value = _clean(el.get("content"))
        if key and value:
            tags.setdefault(key.strip().lower(), value)
    return tags


def _ld_all(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    """Every JSON-LD object of the page: script by script, arrays, @graph and mainEntity opened."""
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text_content() or "")
        except ValueError:
            continue
        yield from _ld_objects(data)


def _ld_objects(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for entry in data:
            yield from _ld_objects(entry)
    elif isinstance(data, dict):
        yield data
        yield from _ld_objects(data.get("@graph"))
        yield from _ld_objects(data.get("mainEntity"))


def _is_a(obj: dict[str, Any], types: frozenset[str]) -> bool:
    kinds = obj.get("@type")
    return any(t in types for t in (kinds if isinstance(kinds, list) else [kinds]) if isinstance(t, str))


def _article_object(objects: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The first JSON-LD object typed as an article, {} when there is none."""
    return next((obj for obj in objects if _is_a(obj, ARTICLE_TYPES)), {})


def _first_published(objects: list[dict[str, Any]]) -> str | None:
    """datePublished of any JSON-LD object (a WebPage where no article is typed)."""
    return _first(*(_iso(obj.get("datePublished")) for obj in objects))


def _ld_entries(value: Any, by_id: dict[str, dict[str, Any]]) -> Iterator[Any]:
    """A JSON-LD value as its entries, references to other objects (@id only) resolved."""
    for entry in value if isinstance(value, list) else [value]:
        reference = isinstance(entry, dict) and "name" not in entry and isinstance(entry.get("@id"), str)
        yield by_id.get(entry["@id"], entry) if reference else entry


def _ld_names(value: Any, by_id: dict[str, dict[str, Any]]) -> list[str]:
    names = (_text(e.get("name") if isinstance(e, dict) else e) for e in _ld_entries(value, by_id))
    return [n for n in (_unescaped(n) for n in names) if n]


def _ld_authors(value: Any, by_id: dict[str, dict[str, Any]]) -> tuple[list[str], list[str]]:
    """The people and the organisations a JSON-LD author states, names cleaned of "By" and URLs."""
    people: list[str] = []
    organisations: list[str] = []
    for entry in _ld_entries(value, by_id):
        is_organisation = isinstance(entry, dict) and _is_a(entry, ORGANISATION_TYPES)
        name = _unescaped(_text(entry.get("name") if isinstance(entry, dict) else entry))
        if not name or name.lower().startswith(("http://", "https://", "www.")):
            continue
        target = organisations if is_organisation else people
        target.extend(_split_authors(name) if "," in name or ";" in name else [_BYLINE_PREFIX_RE.sub("", name)])
    return _dedupe(people), _dedupe(organisations)


def _split_authors(value: str | None) -> list[str]:
    """A byline string as names: "By A, B and C" -> [A, B, C]; a URL names nobody."""
    value = _unescaped(value)
    if not value or value.startswith("http"):
        return []
    names: list[str] = []
    for part in _with_credentials(_LIST_SEPARATOR_RE.split(_BYLINE_PREFIX_RE.sub("", value))):
        names.extend([part] if ", " in part else _NAME_SEPARATOR_RE.split(part))
    return _dedupe(p for p in (_clean(p) for p in names) if p)


def _person_over_publisher(authors: list[str], site_names: list[str], tree: HtmlElement) -> list[str]:
    """The byline's people where the stated author is only the site itself ("USA TODAY" by USA
    TODAY): a publisher named as the author credits no one, the byline names who wrote the page.
    Kept when the byline is empty or names the site again ("City Daily Sponsored")."""
    names = {letters(n) for n in site_names} - {""}
    if not authors or any(letters(a) not in names for a in authors):
        return authors
    byline = _dedupe(filter(None, map(_author_name, _printed_byline(tree))))
    if byline and all(_PERSON_NAME_RE.match(b) for b in byline) and not any(
            n in letters(b) or letters(b) in n for b in byline for n in names):
        return byline
    return authors


def _author_name(name: str) -> str | None:
    """A name as the byline gives it without what the byline printed around it: quotes, a label
    before it ("Author:", "Recipe by", "This post was written by") and a date after it ("Luke Kim
    December 18", "Jane Doe Last updated August 1"); None where only the label or a date is left."""
    name = name.strip('"“” ')
    if not _SPONSOR_LABEL_RE.match(name):  # "Sponsored by X": X is a sponsor, the label says so
        name = _LABEL_BEFORE_NAME_RE.sub("", name)
    if _DATE_ONLY_RE.match(name) or _WRITTEN_BYLINE_RE.fullmatch(name):
        return None
    return _TRAILING_DATE_RE.sub("", name) or None


def _with_credentials(parts: list[str]) -> list[str]:
    """Comma-separated parts of a byline with each post-nominal ("MS, RD", "Ph.D.") and job title
    ("Senior Analyst", "Home Security Expert") kept on the name it follows: they
    describe that author, they are no further authors. Not after a name in capitals (a byline all in
    capitals has no post-nominals to tell apart), nor a news agency ("Jane Doe, AP")."""
    kept: list[str] = []
    for part in filter(None, (_clean(p) for p in parts)):
        if kept and not kept[-1].isupper() and part not in NEWS_AGENCIES and (
                _CREDENTIALS_RE.match(part) or _ROLE_RE.search(part)):
            kept[-1] = f"{kept[-1]}, {part}"
        else:
            kept.append(part)
    return kept


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


def _unescaped(value: str | None) -> str | None:
    """A stated value as text: entities decoded, then ``_clean``."""
    return _clean(unescaped(value)) if value else None


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return _clean(value) if isinstance(value, str) else None


def _clean(value: str | None) -> str | None:
    return _SPACE_RE.sub(" ", readable(value)).strip() or None if value else None


def _first(*values: str | None) -> str | None:
    return next((v for v in values if v), None)


def _dedupe(values: Any) -> list[str]:
    return list(dict.fromkeys(values))


# The record's further fields: description, modified, lead image, section, tags, paywall. Each reader takes
# the page's statements in order of trust and notes which one it used, for explain mode.

_DESCRIPTION_META = ("og:description", "description", "twitter:description")
_MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified", "dc.date.modified", "dcterms.modified")
_IMAGE_META = ("og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src")
_TAG_META = ("keywords", "news_keywords")
_CREDIT_RE = re.compile(r"credit|copyright|author|byline|source", re.IGNORECASE)
# One pass over the tree (a union of three paths made three), and translate() only where the value
# holds "readcrumb": the same elements in the same order, in half the time.
_BREADCRUMB_XPATH = "//*[" + " or ".join(
    f"(contains(@{a}, 'readcrumb') and contains(translate(@{a}, 'B', 'b'), 'breadcrumb'))"
    for a in ("class", "id", "aria-label")) + "]"
_CONTENT_TIERS = {"locked": True, "metered": True, "premium": True, "free": False}


def read_record_fields(found: Metadata, tree: HtmlElement, url: str, meta: dict[str, str],
                       objects: list[dict[str, Any]], ld: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> None:
    """Fill description, modified, image, section, tags and paywalled from what the page states."""
    page = found.canonical_url or url
    readers: dict[str, Iterator[tuple[str, Any]]] = {
        "description": _description_statements(meta, ld),
        "modified": _modified_statements(meta, objects, ld),
        "image": _image_statements(tree, url, meta, ld, by_id),
        "section": _section_statements(tree, page, found.title, meta, objects, ld),
        "tags": _tag_statements(tree, meta, ld),
        "paywalled": _paywall_statements(meta, objects, ld),
    }
    for name, statements in readers.items():
        source, value = next((s for s in statements if s[1] is not None and s[1] != []), ("", None))
        if value is not None:
            setattr(found, name, value)
            found.sources[name] = source
    if found.image is not None and found.image.caption is None:
        found.image = Image(found.image.url, _figure_caption(tree, url, found.image.url))


def _description_statements(meta: dict[str, str], ld: dict[str, Any]) -> Iterator[tuple[str, str | None]]:
    for key in _DESCRIPTION_META:
        yield key, meta.get(key)
    yield "json-ld description", _text(ld.get("description"))


def _modified_statements(meta: dict[str, str], objects: list[dict[str, Any]],
                         ld: dict[str, Any]) -> Iterator[tuple[str, str | None]]:
    yield "json-ld dateModified", _iso(ld.get("dateModified"))
    for key in _MODIFIED_META:
        yield key, _iso(meta.get(key))
    for obj in objects:  # a WebPage's, where no article is typed
        yield "json-ld dateModified", _iso(obj.get("dateModified"))


def _image_statements(tree: HtmlElement, url: str, meta: dict[str, str], ld: dict[str, Any],
                      by_id: dict[str, dict[str, Any]]) -> Iterator[tuple[str, Image | None]]:
    for entry in _ld_entries(ld.get("image"), by_id):
        if isinstance(entry, dict):
            src = _text(entry.get("url")) or _text(entry.get("contentUrl"))
            yield "json-ld image", _image(src, url, _unescaped(_text(entry.get("caption"))))
        else:
            yield "json-ld image", _image(_text(entry), url)
    for key in _IMAGE_META:
        yield key, _image(meta.get(key), url)
    for figure in _body_figures(tree):
        img = next(figure.iter("img"), None)
        if img is not None:
            yield "first figure", _image(img.get("src") or img.get("data-src"), url, _caption_of(figure))


def _image(src: str | None, base: str, caption: str | None = None) -> Image | None:
    absolute = _absolute(src, base)
    if not absolute or not absolute.startswith(("http://", "https://")):
        return None
    return Image(absolute, None if caption is None or _is_credit(caption) else caption)


def _body_figures(tree: HtmlElement) -> list[HtmlElement]:
    """Figures of the article: inside an <article> or articleBody where the page marks one."""
    containers = tree.xpath("//article | //*[@itemprop='articleBody']")
    figures: list[HtmlElement] = []
    for container in containers or [tree]:
        figures.extend(container.iter("figure"))
    return figures


def _figure_caption(tree: HtmlElement, base: str, image_url: str) -> str | None:
    """The caption of the figure that shows this image, wherever it is in the page (the figure is
    looked for first: it is cheap, resolving each image's URL is not)."""
    for img in tree.iter("img"):
        figure = next(img.iterancestors("figure"), None)
        if figure is not None and _absolute(img.get("src") or img.get("data-src"), base) == image_url:
            return _caption_of(figure)
    return None


def _caption_of(figure: HtmlElement) -> str | None:
    """A figure's caption without its photo credit: a part marked as the credit, or worded as
    one ("Photo: ...", the image-credit rule)."""
    caption = figure.find(".//figcaption")
    if caption is None:
        return None
    parts = [caption.text or ""]
    for child in caption:
        text = child.text_content()
        if not (_CREDIT_RE.search(f"{child.get('class', '')} {child.get('itemprop', '')}") or _is_credit(text)):
            parts.append(text)
        parts.append(child.tail or "")
    return _unescaped(" ".join(parts))


def _is_credit(text: str) -> bool:
    rule = phrase_rule_for(text, word_count(text))
    return rule is not None and rule.kind is JunkKind.IMAGE_CREDIT


def _section_statements(tree: HtmlElement, page: str, title: str | None, meta: dict[str, str],
                        objects: list[dict[str, Any]], ld: dict[str, Any]) -> Iterator[tuple[str, str | None]]:
    yield "article:section", _unescaped(meta.get("article:section"))
    yield "json-ld articleSection", _unescaped(_text(ld.get("articleSection")))
    skip = {letters(title or "")}
    for obj in objects:
        if _is_a(obj, frozenset({"BreadcrumbList"})):
            yield "json-ld breadcrumb", _last_crumb(_ld_crumbs(obj), page, skip)
    for trail in tree.xpath(_BREADCRUMB_XPATH):
        yield "breadcrumb", _last_crumb([_crumb(el, page) for el in trail.xpath(".//li") or trail.iter("a")], page, skip)


def _crumb(el: HtmlElement, page: str) -> tuple[str | None, str | None]:
    """A breadcrumb entry (a list item or a link): its label and where it links, if it does."""
    link = el if el.tag == "a" else next(el.iter("a"), None)
    return _clean(el.text_content()), _absolute(link.get("href"), page) if link is not None else None


def _ld_crumbs(obj: dict[str, Any]) -> list[tuple[str | None, str | None]]:
    entries = [e for e in obj.get("itemListElement") or [] if isinstance(e, dict)]
    entries.sort(key=lambda e: _position(e.get("position")))
    crumbs = []
    for entry in entries:
        item = entry.get("item")
        name = entry.get("name") or (item.get("name") if isinstance(item, dict) else None)
        target = item.get("@id") if isinstance(item, dict) else item
        crumbs.append((_unescaped(_text(name)), _text(target)))
    return crumbs


def _position(value: Any) -> int:
    return int(value) if isinstance(value, int) or (isinstance(value, str) and value.isdigit()) else 0


def _last_crumb(crumbs: list[tuple[str | None, str | None]], page: str, skip: set[str]) -> str | None:
    """The last label of a breadcrumb trail that is not the article itself (its title or URL),
    nor the trail's first entry, the site's home ("Home" is no section)."""
    for name, target in reversed(crumbs[1:]):
        if name and letters(name) and target != page and letters(name) not in skip:
            return name
    return None


def _tag_statements(tree: HtmlElement, meta: dict[str, str], ld: dict[str, Any]) -> Iterator[tuple[str, list[str]]]:
    stated = [_clean(el.get("content")) for el in tree.iter("meta")
              if (el.get("property") or el.get("name") or "").strip().lower() == "article:tag"]
    yield "article:tag", _tags(stated)
    keywords = ld.get("keywords")
    yield "json-ld keywords", _tags(keywords if isinstance(keywords, list) else [keywords])
    for key in _TAG_META:
        yield key, _tags([meta.get(key)])


def _tags(values: list[Any]) -> list[str]:
    """Stated tags, comma-separated lists split, trimmed, de-duplicated regardless of case."""
    tags: dict[str, str] = {}
    for value in values:
        if isinstance(value, str):
            for tag in filter(None, map(_unescaped, value.split(","))):
                tags.setdefault(tag.casefold(), tag)
    return list(tags.values())


def _paywall_statements(meta: dict[str, str], objects: list[dict[str, Any]],
                        ld: dict[str, Any]) -> Iterator[tuple[str, bool | None]]:
    for obj in [ld, *objects]:
        parts = obj.get("hasPart")
        if any(_free(part.get("isAccessibleForFree")) is False
               for part in (parts if isinstance(parts, list) else [parts]) if isinstance(part, dict)):
            yield "json-ld hasPart", True
        free = _free(obj.get("isAccessibleForFree"))
        yield "json-ld isAccessibleForFree", None if free is None else not free
    yield "article:content_tier", _CONTENT_TIERS.get((meta.get("article:content_tier") or "").lower())


def _free(value: Any) -> bool | None:
    """A JSON-LD boolean, which pages write as true, "true" or "True"."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None
