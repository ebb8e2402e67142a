"""Site rules: FiveFilters Full-Text RSS site-config files, read before the generic path.

Generic extraction will always miss on some site. A user who sees it writes (or takes from
``fivefilters/ftr-site-config``) one file per host, ``example.com.txt`` for the host and its
``www.``, ``.example.com.txt`` for its subdomains, with lines such as ``body: //div[@id="story"]``
or ``strip_id_or_class: share-tools``. ``CLEANWIRE_SITE_RULES`` names the folders, a user's own
first: the first folder holding a host's file wins.

A stale rule cannot make a page worse: the page is extracted both ways, and when the rules' text
keeps less than ``tuning.SITE_RULE_MIN_PROSE_KEPT`` of the generic text's prose (``body`` finds
nothing, a ``strip`` line now cuts the story), the generic text is kept
(``Extraction.site_rules_fell_back``); ``title``, ``author`` and ``date`` lines apply where
they find something. Each removal and choice names its line
(``site/example.com.txt:4``) for explain mode.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from htmldate.extractors import try_date_expr
from lxml.etree import XPath, XPathError
from lxml.html import HtmlElement, tostring

from cleanwire.errors import JobConfigError

from . import tuning
from .decoding import page_text
from .domclean import Removal, text_of
from .parsing import load_html
from .text import is_prose, letters

if TYPE_CHECKING:
    from .extractor import Extraction, ExtractionOptions

logger = logging.getLogger(__name__)

XPATH_DIRECTIVES = frozenset({"body", "strip", "title", "author", "date", "single_page_link", "next_page_link"})
"""Directives whose value is an XPath expression (compiled when the file is read)."""
_SUBSTRING_DIRECTIVES = {
    # FiveFilters' own meaning: a substring of the class or id, of the image's src
    "strip_id_or_class": "//*[contains(@class, {0}) or contains(@id, {0})]",
    "strip_image_src": "//img[contains(@src, {0})]",
}
_LINE_RE = re.compile(r"^([a-z_]+)(?:\((.*)\))?\s*:\s?(.*)$")
_OLDEST_DATE = datetime(1995, 1, 1)


@dataclass(frozen=True)
class Rule:
    """One directive line of a file, compiled."""

    directive: str
    value: str
    where: str
    """The file and line, as explain mode and the stats name it: ``site/example.com.txt:4``."""
    xpath: XPath

    def elements(self, tree: HtmlElement) -> list[HtmlElement]:
        found = self.xpath(tree)
        return [el for el in found if isinstance(el, HtmlElement)] if isinstance(found, list) else []

    def texts(self, tree: HtmlElement) -> list[str]:
        """What the expression selects, as text: elements' text, attribute values, a string result."""
        found = self.xpath(tree)
        items = found if isinstance(found, list) else [found]
        texts = (text_of(item) if isinstance(item, HtmlElement) else " ".join(str(item).split())
                 for item in items if isinstance(item, (HtmlElement, str)))
        return [text for text in texts if text]


@dataclass(frozen=True)
class SiteConfig:
    """The rules of one site-config file."""

    name: str
    strip: tuple[Rule, ...] = ()
    body: tuple[Rule, ...] = ()
    title: tuple[Rule, ...] = ()
    author: tuple[Rule, ...] = ()
    date: tuple[Rule, ...] = ()
    single_page_link: tuple[Rule, ...] = ()
    next_page_link: tuple[Rule, ...] = ()
    replacements: tuple[tuple[str, str], ...] = ()
    """(find, replace) pairs, applied to the page's HTML in order."""
    test_urls: tuple[str, ...] = ()

    @property
    def follows_pages(self) -> bool:
        return bool(self.single_page_link or self.next_page_link)

    def first_link(self, rules: tuple[Rule, ...], tree: HtmlElement) -> str | None:
        """The first URL the first matching link rule gives (an ``<a>``'s href, or a string)."""
        for rule in rules:
            found = rule.xpath(tree)
            for item in found if isinstance(found, list) else [found]:
                value = item.get("href") if isinstance(item, HtmlElement) else str(item) if isinstance(item, str) else None
                if value and value.strip():
                    return value.strip()
        return None


def read_config(path: Path) -> SiteConfig | None:
    """The rules of one file; None, with one warning, for a file that cannot be read or holds an
    expression that is no XPath (a half-working file would act unlike its author meant)."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
    except OSError as error:
        logger.warning("site rules %s skipped: %s", path, error)
        return None
    rules: dict[str, list[Rule]] = {}
    finds: list[str] = []
    replaces: list[str] = []
    pairs: list[tuple[str, str]] = []
    tests: list[str] = []
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE_RE.match(line)
        if match is None:
            logger.debug("site rules %s:%d: not a directive line, ignored", path, number)
            continue
        directive, argument, value = match.group(1), match.group(2), match.group(3).strip()
        where = f"site/{path.name}:{number}"
        if directive == "replace_string" and argument is not None:
            pairs.append((argument, value))  # replace_string(find): replacement
        elif directive == "find_string":
            finds.append(value)
        elif directive == "replace_string":
            replaces.append(value)
        elif directive == "test_url":
            tests.append(value)
        elif directive in XPATH_DIRECTIVES or directive in _SUBSTRING_DIRECTIVES:
            if not value:
                continue
            expression = value if directive in XPATH_DIRECTIVES else \
                _SUBSTRING_DIRECTIVES[directive].format(_xpath_literal(value.strip("'\"")))
            try:
                xpath = XPath(expression)
            except XPathError as error:
                logger.warning("site rules %s skipped: line %d is no XPath (%s): %s", path, number, error, value)
                return None
            key = "strip" if directive in _SUBSTRING_DIRECTIVES else directive
            rules.setdefault(key, []).append(Rule(directive, value, where, xpath))
        else:
            logger.debug("site rules %s:%d: directive %r not used by cleanwire, ignored", path, number, directive)
    pairs += zip(finds, replaces, strict=False)  # find_string / replace_string lines pair in order
    return SiteConfig(path.name, replacements=tuple(pairs), test_urls=tuple(tests),
                      **{key: tuple(found) for key, found in rules.items()})


def _xpath_literal(text: str) -> str:
    return f"'{text}'" if "'" not in text else f'"{text}"'


class SiteRules:
    """The site-config files of some folders, the first folder's file winning; each file is read
    and compiled once, when a page of its host first asks for it."""

    def __init__(self, folders: tuple[str, ...]) -> None:
        self.files: dict[str, Path] = {}
        for folder in folders:
            for path in sorted(Path(folder).glob("*.txt")):
                self.files.setdefault(path.name.lower(), path)
        self._configs: dict[str, SiteConfig | None] = {}

    def for_host(self, host: str | None) -> SiteConfig | None:
        """FiveFilters' lookup: ``host.txt`` (without ``www.``), then ``.parent.txt``."""
        host = (host or "").lower().rstrip(".")
        host = host.removeprefix("www.")
        if not host:
            return None
        names = [f"{host}.txt"]
        if "." in host:
            names.append("." + host.split(".", 1)[1] + ".txt")
        for name in names:
            if name in self.files:
                return self._config(name)
        return None

    def for_page(self, *urls: str | None) -> SiteConfig | None:
        """The config of the first of these URLs (the page's, its canonical one) whose host has one."""
        for url in urls:
            if url and (config := self.for_host(urlsplit(url).hostname)) is not None:
                return config
        return None

    def _config(self, name: str) -> SiteConfig | None:
        if name not in self._configs:
            self._configs[name] = read_config(self.files[name])
        return self._configs[name]


def site_rule_folders(values: list[str]) -> tuple[str, ...]:
    """The folders ``CLEANWIRE_SITE_RULES`` names, in order; a folder that is not there stops the
    run at start (a misspelt path would otherwise turn the rules off without a word)."""
    folders = tuple(value.strip() for value in values if value.strip())
    missing = [folder for folder in folders if not Path(folder).is_dir()]
    if missing:
        raise JobConfigError(f"CLEANWIRE_SITE_RULES: no folder {', '.join(missing)}")
    return folders


@lru_cache(maxsize=8)
def site_rules(folders: tuple[str, ...]) -> SiteRules:
    """The rules of these folders, read once per process (a worker process too)."""
    return SiteRules(folders)


def extract_with_rules(body: bytes, url: str, options: ExtractionOptions,
                       extract: Callable[[bytes, str, ExtractionOptions], Extraction]) -> Extraction:
    """The page's article with its site's rules applied; the generic one where no file matches
    the page's host (or its canonical URL's), or where the rules fell short of it."""
    rules = site_rules(options.site_rules)
    options = replace(options, site_rules=())
    generic = extract(body, url, options)
    config = rules.for_page(url, generic.canonical_url)
    if config is None:
        return generic
    tree = load_html(_replaced(page_text(body), config))
    if tree is None:
        return generic
    # read before anything is stripped, as FiveFilters does: a rule may strip the byline's box
    title = _first_texts(config.title, tree)
    authors = _first_texts(config.author, tree)
    published = next(((rule, stamp) for rule in config.date if (stamp := _date(rule.texts(tree)))), None)
    stripped, cut = _strip(config, tree)
    chosen = _choose_body(config, tree)
    ruled: Extraction | None
    if config.body and chosen is None:
        ruled = None
    elif cut or chosen or config.replacements:
        ruled = extract(tostring(tree, encoding="utf-8"), url, options)
    else:  # metadata rules only: the text is the generic one
        ruled = generic
    result = replace(generic, sources=dict(generic.sources), site_rules=config.name)
    kept = _prose_kept(generic.text, ruled.text) if ruled is not None else 0.0
    if ruled is None or kept < tuning.SITE_RULE_MIN_PROSE_KEPT or (generic.text and not ruled.text):
        found = "nothing" if ruled is None or not ruled.text else f"{kept:.0%} of the generic path's prose"
        result.sources["body"] = f"generic: site/{config.name} fell back, its rules kept {found}"
        result.site_rules_fell_back = True
    else:
        result.text, result.removed = ruled.text, stripped + ruled.removed
        result.fingerprint, result.detected_language = ruled.fingerprint, ruled.detected_language
        result.word_count, result.bodies = ruled.word_count, ruled.bodies
        if chosen is not None:
            result.sources["body"] = f"{chosen.where} body: {chosen.value}"
    if title is not None:
        result.title, result.sources["title"] = title[1][0], title[0].where
    if authors is not None:
        result.authors, result.sources["authors"] = list(dict.fromkeys(authors[1])), authors[0].where
    if published is not None:
        result.published, result.sources["published"] = published[1], published[0].where
    return result


def _prose_kept(generic: str, ruled: str) -> float:
    """The share of the generic text's prose (its story paragraphs, in characters) that the ruled
    text holds too. A rule that picks the article keeps it, and may add what the generic path
    missed; a stale one (the site changed its markup) picks a fragment, a teaser list, nothing."""
    prose = [line for line in generic.split("\n\n") if is_prose(line)]
    total = sum(len(line) for line in prose)
    if not total:
        return 1.0
    found = letters(ruled)
    return sum(len(line) for line in prose if letters(line) in found) / total


def _replaced(text: str, config: SiteConfig) -> str:
    for find, replacement in config.replacements:
        text = text.replace(find, replacement)
    return text


def _first_texts(rules: tuple[Rule, ...], tree: HtmlElement) -> tuple[Rule, list[str]] | None:
    """The texts of the first rule that selects any (FiveFilters tries a directive's lines in order)."""
    return next(((rule, texts) for rule in rules if (texts := rule.texts(tree))), None)


def _strip(config: SiteConfig, tree: HtmlElement) -> tuple[list[Removal], int]:
    """What the strip lines removed (with text, for explain mode), and how many elements."""
    removed = []
    for rule in config.strip:
        for el in rule.elements(tree):
            if el.getparent() is None or el.tag in ("html", "body"):
                continue
            removed.append(Removal(rule.where, rule.directive, text_of(el)))
            el.drop_tree()  # keeps its tail: the text after it is not its own
    return [r for r in removed if r.text], len(removed)


def _choose_body(config: SiteConfig, tree: HtmlElement) -> Rule | None:
    """Narrows the page's <body> to the containers the first matching ``body`` line selects, and
    returns that line; None when no line selects anything."""
    page_body = tree.find(".//body")
    for rule in config.body:
        containers = list(_outermost(rule.elements(tree)))
        containers = [el for el in containers if el is not page_body and el is not tree]
        if containers and page_body is not None:
            for child in list(page_body):
                page_body.remove(child)
            page_body.text = None
            if len(containers) == 1:
                page_body.append(containers[0])
            else:  # one element around them all: trafilatura keeps the first that looks like an article's
                page_body.append(wrapper := page_body.makeelement("article", {}))
                wrapper.extend(containers)  # moved out of their places, in document order
            return rule
    return None


def _date(texts: list[str]) -> str | None:
    for text in texts:
        stamp = try_date_expr(text[:60], "%Y-%m-%d", False, _OLDEST_DATE, datetime.now())
        if stamp:
            return str(stamp)
    return None


def _outermost(elements: list[HtmlElement]) -> Iterator[HtmlElement]:
    chosen = set(elements)
    for el in elements:
        if not any(a in chosen for a in el.iterancestors()):
            yield el
