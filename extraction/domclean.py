"""Junk removal on the DOM, before trafilatura sees the page.

Widgets are easiest to recognise while their markup is still there: a container's class or
role, the heading a recommendation box opens with, a paragraph that is nothing but a link,
a list of bare headline links. Each removal is recorded with the rule that made it.
A container that holds the article's prose is never removed, whatever its attributes say.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from lxml.etree import XPath
from lxml.html import HtmlElement

from . import tuning
from .rules import (
    KEYWORD_RULES,
    PHRASE_RULES,
    AttributeRule,
    JunkKind,
    KeywordRule,
    PhraseRule,
    attribute_rule_for,
    phrase_rule_for,
)
from .text import fold, has_two_sentences, is_prose, is_sentence, word_count

_STANDFIRST_RULE = AttributeRule("standfirst", JunkKind.STANDFIRST, frozenset({
    "dek", "deck", "standfirst", "subtitle", "sub-title", "subheadline", "sub-headline", "summary", "strapline",
}))
# Evaluated in C: short elements about as long as the description.
_STANDFIRST_CANDIDATES = XPath(
    "//body//*[self::p or self::h2 or self::h3 or self::div or self::span][count(*) <= 2]"
    "[string-length(normalize-space(.)) >= $low][string-length(normalize-space(.)) <= $high]")
_PRECEDING_LONG_P = XPath("preceding::p[string-length(normalize-space(.)) > 80]")
_FOLLOWING_LONG_P = XPath("following::p[string-length(normalize-space(.)) > 80]")
# Evaluated in C: containers of at least two elements, each holding a link.
_LIST_CANDIDATES = XPath("//body//*[self::ul or self::ol or self::div or self::section or self::aside]"
                         "[count(*) >= 2][not(*[not(descendant-or-self::a)][normalize-space()])]")
_LINKED_HEADING = XPath("boolean(.//*[self::h2 or self::h3 or self::h4 or self::h5 or self::h6]//a[normalize-space()])")
_RULE_ATTRIBUTES = ("class", "id", "role", "data-component", "data-module", "data-type", "data-testid", "data-role")
_WITH_RULE_ATTRIBUTES = XPath("//body//*[" + " or ".join(f"@{a}" for a in _RULE_ATTRIBUTES) + "]")
_NEVER_REMOVED = frozenset({"html", "body", "head", "title", "meta", "link", "script", "style", "noscript", "template"})
_HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "header", "strong", "b", "p", "span", "div", "li")
_HEADING_RULES: tuple[PhraseRule | KeywordRule, ...] = (
    *(r for r in PHRASE_RULES if r.heading), *(r for r in KEYWORD_RULES if r.heading))
_MEDIA_TAGS = ("video", "audio")
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_HEADING_MAX_CHARS = 120  # a widget heading is short; longer text is not worth matching
# Evaluated in C: text nodes that could be a widget heading line.
_SHORT_TEXTS = XPath(f"//body//text()[normalize-space()][string-length() <= {_HEADING_MAX_CHARS}]")


@dataclass(frozen=True)
class Removal:
    """One piece of text taken out, and the rule that took it; in explain mode also the text no
    rule took, and the stage that dropped it (``accounting.py``)."""

    rule: str
    kind: str
    text: str
    stage: str = "rules"


def text_of(el: HtmlElement) -> str:
    return " ".join(el.text_content().split())


def has_text(el: HtmlElement) -> bool:
    """``text_of(el)`` is not empty: stops at the first word instead of joining a whole subtree's text."""
    return any(t and not t.isspace() for t in el.itertext())


def _runs_on(el: HtmlElement) -> bool:
    """Words follow the element inside its parent (not a separator, not a space): it sits in a sentence."""
    return bool(el.tail) and any(ch.isalnum() for ch in el.tail)


def link_density(el: HtmlElement) -> float:
    total = len(text_of(el))
    if not total:
        return 0.0
    linked = sum(len(text_of(a)) for a in el.iter("a"))
    return min(1.0, linked / total)


@lru_cache(maxsize=4096)
def _attribute_value_rule(value: str) -> AttributeRule | None:
    """Class names repeat across a page and across a site's pages: decide each value once."""
    return attribute_rule_for(value)


@lru_cache(maxsize=8192)
def _heading_rule_for(text: str) -> PhraseRule | KeywordRule | None:
    """Menu and widget lines repeat within a page and across a site: decide each line once."""
    words = word_count(text)
    folded = fold(text)
    return next((r for r in _HEADING_RULES if words <= r.max_words and r.matches(folded)), None) if folded else None


class DomCleaner:
    """Removes junk containers from one parsed page, in place."""

    def __init__(self, tree: HtmlElement, description: str | None = None, urls: tuple[str | None, ...] = ()) -> None:
        self.tree = tree
        self.description = fold(description) if description else ""
        self.hosts = {_site(urlsplit(u).hostname) for u in urls if u} - {""}
        """The page's own hosts (its URL, its canonical URL: a copy served elsewhere links home)."""
        self.removed: list[Removal] = []
        self._stale = False
        self.paragraph_chars = sum(len(text_of(p)) for p in tree.iter("p"))
        """Characters in the page's paragraphs before cleaning: how much text the page holds."""

    def _candidates(self, *tags: str) -> list[HtmlElement]:
        """Elements of these tags in the tree now; removals from here on mark the list stale."""
        self._stale = False
        return list(self.tree.iter(*tags))

    def clean(self) -> list[Removal]:
        self._remove_by_attributes()
        self._remove_standfirst()
        self._remove_media()
        self._remove_headed_widgets()
        self._remove_image_captions()
        self._remove_linked_headlines()
        self._remove_unlinked_headlines()
        self._remove_link_lists()
        return self.removed

    # --- the rules ---------------------------------------------------------------------

    def _remove_by_attributes(self) -> None:
        """In document order, skipping what is inside a widget already removed."""
        inside_removed: set[HtmlElement] = set()
        for el in _WITH_RULE_ATTRIBUTES(self.tree):
            if el in inside_removed or el.tag in _NEVER_REMOVED:
                continue
            rule = self._attribute_rule(el)
            if rule and not self._protected(el):
                inside_removed.update(el.iter())
                self._remove(el, rule.name, rule.kind)

    def _remove_standfirst(self) -> None:
        """The page's summary printed above the story as a dek: an element holding exactly the
        meta description, before any prose and followed by the story's prose (a dek introduces
        a story: with none after it, it is the story), that is not a paragraph of the story's
        flow (its class says dek, or it is not a <p> among the story's prose paragraphs). Sites
        that use their first paragraph as the description keep it."""
        if not self.description or word_count(self.description) > tuning.STANDFIRST_MAX_WORDS:
            return
        size = len(self.description)
        for el in _STANDFIRST_CANDIDATES(self.tree, low=size - 8, high=size + 8):
            if fold(text_of(el)) != self.description:
                continue
            parent = el.getparent()
            in_flow = el.tag == "p" and parent is not None and sum(
                1 for sibling in parent.iterchildren("p") if sibling is not el and self._is_prose(sibling)) >= 2
            after_prose = any(self._is_prose(p) for p in _PRECEDING_LONG_P(el))
            before_prose = any(self._is_prose(p) for p in _FOLLOWING_LONG_P(el) if el not in p.iterancestors())
            if not after_prose and before_prose and (not in_flow or _STANDFIRST_RULE.matches(el.get("class") or "")):
                self._remove(el, "standfirst", JunkKind.STANDFIRST)
            return

    def _remove_media(self) -> None:
        """Embedded players go with the figure around them: its caption is the video title."""
        for el in self._candidates(*_MEDIA_TAGS):
            if self._detached(el):
                continue
            figure = next((a for a in el.iterancestors("figure")), None)
            self._remove(figure if figure is not None and not self._protected(figure) else el,
                         "video-element", JunkKind.VIDEO)

    def _remove_headed_widgets(self) -> None:
        self._stale = False
        for el, rule in list(self._heading_lines()):
            if self._detached(el):
                continue
            box = self._widget_box(el)
            if box is not None:
                self._remove(box, rule.name, rule.kind)
                continue
            followers = list(self._link_siblings_after(el))
            if isinstance(rule, KeywordRule) and (not followers or text_of(el).endswith((":", "："))):
                continue  # its words alone do not make a widget heading: a subheading, a list's intro
            self._remove(el, rule.name, rule.kind)
            for sibling in followers:
                self._remove(sibling, "widget-headlines", rule.kind)

    def _remove_image_captions(self) -> None:
        """Short fragments right after an image are its caption and credit; not when words run on
        after the image or a fragment: an image set inline in a paragraph is followed by the
        sentence's own links."""
        for img in self._candidates("img"):
            if self._detached(img):
                continue
            holder = img.getparent()
            anchor = holder if holder is not None and not text_of(holder) and holder.tag in ("p", "a", "span", "div") \
                else img
            if _runs_on(anchor):
                continue
            for removed, sibling in enumerate(list(anchor.itersiblings())):
                text = text_of(sibling)
                if removed == 2 or sibling.tag in _HEADINGS or not text or _runs_on(sibling):
                    break
                if word_count(text) > tuning.CAPTION_MAX_WORDS or is_sentence(text) or self._protected(sibling):
                    break
                self._remove(sibling, "image-caption", JunkKind.IMAGE_CREDIT)

    def _remove_linked_headlines(self) -> None:
        """A paragraph or item that is one headline link, bare or after a short label ("Read more:"),
        to another page of this site: a link to a place in this page is a table of contents, a
        link elsewhere is a source or a product the story lists. An item of a long list is an
        entry of a directory the story is, not one of a widget's few headlines."""
        for el in self._candidates("p", "li"):
            if self._detached(el) or self._in_nav(el):
                continue
            links = list(el.iter("a"))
            if len(links) != 1 or not self._links_within_site(links[0].get("href") or ""):
                continue
            parent = el.getparent()
            if el.tag == "li" and parent is not None and len(parent) > tuning.HEADLINE_LIST_MAX_ITEMS:
                continue
            linked, whole = text_of(links[0]), text_of(el)
            label = whole.replace(linked, "", 1).strip()
            if (2 <= word_count(linked) <= tuning.HEADLINE_MAX_WORDS and not is_sentence(linked)
                    and (not label or (word_count(label) <= 4 and label[-1] in ":：|»›>-–—"))):
                self._remove(el, "linked-headline", JunkKind.RELATED_HEADLINE)

    def _remove_unlinked_headlines(self) -> None:
        """A plain headline-shaped paragraph next to prose is a related story's headline pasted
        into the text. A subheading is marked up as one (h2, bold) or set in capitals; this is
        neither, and it holds no sentence. Next to another such line it is one of a run, the
        story's own list (steps, features), whatever its markup."""
        for p in self._candidates("p"):
            if self._detached(p) or len(p):
                continue
            text = text_of(p)
            words = word_count(text)
            if (is_sentence(text) or has_two_sentences(text) or text.isupper()
                    or not tuning.UNLINKED_HEADLINE_MIN_WORDS <= words <= tuning.HEADLINE_MAX_WORDS
                    or phrase_rule_for(text, words) is not None):  # a notice: judged later, with its neighbours
                continue
            before, after = p.getprevious(), p.getnext()
            neighbours = [n for n in (before, after) if n is not None]
            if any(self._is_prose(n) for n in neighbours) and not any(_is_plain_line(n) for n in neighbours):
                self._remove(p, "unlinked-headline", JunkKind.RELATED_HEADLINE)

    @staticmethod
    def _is_prose(el: HtmlElement) -> bool:
        return el.tag == "p" and is_prose(text_of(el))

    def _remove_link_lists(self) -> None:
        """Lists of bare headline links, and grids of teaser cards (a link around a headline and
        its dek). A list that belongs to the story says something around its links."""
        self._stale = False
        for lst in _LIST_CANDIDATES(self.tree):
            if self._detached(lst) or self._in_nav(lst):
                continue
            items = [child for child in lst if isinstance(child.tag, str) and has_text(child)]
            minimum = tuning.LINK_LIST_MIN_ITEMS if lst.tag in ("ul", "ol") else tuning.CARD_GRID_MIN_ITEMS
            if len(items) >= minimum and all(self._is_teaser(item) for item in items) and not self._protected(lst):
                self._remove(lst, "link-list", JunkKind.RECOMMENDATION_WIDGET)

    def _is_teaser(self, item: HtmlElement) -> bool:
        """A bare headline link, a card that is all link, or a card made of a linked headline
        (h2-h6 around a link) and a short dek."""
        density = link_density(item)
        if density >= tuning.CARD_MIN_LINK_DENSITY:
            return True
        if density >= tuning.LINK_LIST_MIN_LINK_DENSITY and not is_sentence(text_of(item)):
            return True
        return (_LINKED_HEADING(item) and word_count(text_of(item)) <= tuning.CARD_MAX_WORDS
                and not any(self._is_prose(p) for p in item.iter("p")))

    # --- helpers -----------------------------------------------------------------------

    @staticmethod
    def _attribute_rule(el: HtmlElement) -> AttributeRule | None:
        for name in _RULE_ATTRIBUTES:
            value = el.get(name)
            if value:
                rule = _attribute_value_rule(value)
                if rule is not None:
                    return rule
        return None

    def _heading_lines(self) -> Iterator[tuple[HtmlElement, PhraseRule | KeywordRule]]:
        """Elements that are one widget heading line ("You may also like"), outermost first.

        Found from short text nodes (cheap, evaluated in C), then widened to the largest
        element around them that holds that line and nothing else."""
        seen: set[HtmlElement] = set()
        for node in _SHORT_TEXTS(self.tree):
            if node.is_tail:
                continue
            rule = _heading_rule_for(" ".join(node.split()))
            if rule is None:
                continue
            el = node.getparent()
            text = text_of(el)
            while (parent := el.getparent()) is not None and len(parent) <= 3 and parent.tag in _HEADING_TAGS \
                    and text_of(parent) == text:
                el = parent
            if el.tag in _HEADING_TAGS and el not in seen and _heading_rule_for(text) is rule:
                seen.add(el)
                yield el, rule

    def _widget_box(self, heading: HtmlElement) -> HtmlElement | None:
        """The smallest ancestor that is the heading plus link-dominated content, if any."""
        for box in heading.iterancestors():
            if box.tag in _NEVER_REMOVED or self._protected(box):
                return None
            rest = len(text_of(box)) - len(text_of(heading))
            if rest <= 0:
                continue
            linked = sum(len(text_of(a)) for a in box.iter("a") if a is not heading and heading not in a.iterancestors())
            return box if linked / rest >= tuning.WIDGET_MIN_LINK_DENSITY else None
        return None

    def _link_siblings_after(self, el: HtmlElement) -> Iterator[HtmlElement]:
        for sibling in el.itersiblings():
            text = text_of(sibling)
            if not text:
                continue
            if link_density(sibling) < tuning.WIDGET_MIN_LINK_DENSITY or self._protected(sibling):
                return
            yield sibling

    def _protected(self, el: HtmlElement) -> bool:
        if len(text_of(el)) >= tuning.PROTECTED_TEXT_SHARE * max(self.paragraph_chars, 1):
            return True
        prose = 0
        for p in el.iter("p"):
            if self._is_prose(p) and link_density(p) < 0.5:
                prose += 1
                if prose >= tuning.PROTECTED_PROSE_PARAGRAPHS:
                    return True
        return False

    def _links_within_site(self, href: str) -> bool:
        """The link goes to another page of this site (relative, or to one of the page's hosts)."""
        parts = urlsplit(href.strip())
        if parts.scheme not in ("", "http", "https") or not (parts.netloc or parts.path):
            return False
        return not parts.netloc or not self.hosts or _site(parts.hostname) in self.hosts

    @staticmethod
    def _in_nav(el: HtmlElement) -> bool:
        """Tags filtered in C: no Python object for each ancestor."""
        return next(el.iterancestors("nav", "header", "footer"), None) is not None

    def _detached(self, el: HtmlElement) -> bool:
        """True once the element or an ancestor has been removed from the tree.

        (lxml keeps removed subtrees in the same document, so getroottree() cannot tell;
        the ancestor walk is only needed once the current candidate list is stale.)"""
        if not self._stale:
            return False
        ancestors = list(el.iterancestors())
        return (ancestors[-1] if ancestors else el) is not self.tree

    def _remove(self, el: HtmlElement, rule: str, kind: JunkKind) -> None:
        parent = el.getparent()
        if parent is None:
            return
        self._stale = True
        text = text_of(el)
        if text:
            self.removed.append(Removal(rule, kind.value, text))
        tail = el.tail
        if tail and tail.strip():
            previous = el.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
        parent.remove(el)


def _site(host: str | None) -> str:
    """A host without its ``www.``: both name one site."""
    host = (host or "").lower()
    return host[4:] if host.startswith("www.") else host


def _is_plain_line(el: HtmlElement) -> bool:
    """A paragraph of plain text, short and without a sentence end."""
    text = text_of(el)
    return (el.tag == "p" and not len(el) and not is_sentence(text)
            and tuning.UNLINKED_HEADLINE_MIN_WORDS <= word_count(text) <= tuning.HEADLINE_MAX_WORDS)
