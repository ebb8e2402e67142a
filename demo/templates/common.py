"""HTML helpers shared by the three site templates."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

from demo.articles import BASE, Article


def esc(text: str) -> str:
    """Escape text for HTML content and attribute values."""
    return escape(text, quote=True)


class Junk:
    """Records the text of every junk element as the template renders it."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, text: str) -> None:
        """Record a junk line whose markup is built by the caller."""
        self.lines.append(text)

    def __call__(self, text: str) -> str:
        """Record a junk line and return it escaped for the markup."""
        self.add(text)
        return esc(text)


@dataclass(frozen=True)
class Page:
    """A rendered article page, the junk lines it contains and the record fields it states
    (modified, image, section, tags, paywalled: the truth of what the template wrote)."""

    html: str
    junk: list[str]
    record: dict[str, Any] = field(default_factory=dict)


def page(junk: Junk, html: str, record: dict[str, Any]) -> Page:
    """Build a Page, dropping repeated junk lines but keeping their order."""
    return Page(html=html, junk=list(dict.fromkeys(junk.lines)), record=record)


def record(article: Article, image: dict[str, Any] | None, paywalled: bool | None) -> dict[str, Any]:
    """The record fields every template states the same way, with its own image and paywall statement."""
    return {"modified": article.extra.get("modified"), "image": image, "section": article.label,
            "tags": article.extra.get("tags", []), "paywalled": paywalled}


def description(article: Article) -> str:
    """The page's summary: the first 24 words of the lead."""
    lead = article.body[0].split()
    return " ".join(lead[:24]) + ("…" if len(lead) > 24 else "")


def body_html(article: Article, blocks: Mapping[str, str], heading: str = "<h2>{}</h2>") -> str:
    """Render body items: paragraphs, subheadings and the template's junk blocks."""
    out = []
    for item in article.items:
        if item.startswith("@"):
            out.append(blocks[item[1:]])
        elif item.startswith("## "):
            out.append(heading.format(esc(item[3:])))
        else:
            out.append(f"<p>{esc(item)}</p>")
    return "\n".join(out)


def index_head(title: str, path: str) -> str:
    """<head> metadata for a listing page."""
    return (
        f"<title>{esc(title)}</title>\n"
        f'<link rel="canonical" href="{BASE}{path}">\n'
        '<meta property="og:type" content="website">\n'
        f'<meta property="og:title" content="{esc(title)}">\n'
    )


def article_head(
    article: Article, site_name: str, title: str, *, json_ld: bool, meta_author: bool, section_meta: bool = True,
    head_lines: Sequence[str] = (), ld_fields: Mapping[str, Any] | None = None,
) -> str:
    """<head> metadata for an article page: title, canonical, OpenGraph and author data, and
    the template's own statements (`head_lines`, `ld_fields` added to the JSON-LD)."""
    lines = [
        f"<title>{esc(title)}</title>",
        f'<meta name="description" content="{esc(description(article))}">',
        f'<link rel="canonical" href="{article.canonical}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{esc(article.title)}">',
        f'<meta property="og:site_name" content="{esc(site_name)}">',
        f'<meta property="og:url" content="{article.canonical}">',
        f'<meta property="article:published_time" content="{article.published}">',
    ]
    if section_meta:
        lines.append(f'<meta property="article:section" content="{esc(article.label)}">')
    lines.extend(head_lines)
    if meta_author:
        lines.append(f'<meta name="author" content="{esc(", ".join(article.authors))}">')
    if json_ld:
        lines.append(f'<script type="application/ld+json">{_json_ld(article, site_name, ld_fields or {})}</script>')
    return "\n".join(lines) + "\n"


def _json_ld(article: Article, site_name: str, fields: Mapping[str, Any]) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "url": article.canonical,
        "mainEntityOfPage": article.canonical,
        "datePublished": article.published,
        "inLanguage": article.language,
        "articleSection": article.label,
        "author": [{"@type": "Person", "name": name} for name in article.authors],
        "publisher": {"@type": "Organization", "name": site_name},
        **fields,
    }
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def teasers(articles: list[Article], prefix: str) -> str:
    """A plain list of article links with dates, for index pages."""
    rows = "\n".join(
        f'<li class="{prefix}-teaser"><a href="{esc(a.href)}">{esc(a.title)}</a> '
        f'<time datetime="{a.published}">{a.date:%d %b %Y}</time></li>'
        for a in articles
    )
    return f'<ul class="{prefix}-teasers">\n{rows}\n</ul>'
