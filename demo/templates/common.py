"""HTML helpers shared by the three site templates."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape

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
    """A rendered article page and the junk lines it contains."""

    html: str
    junk: list[str]


def page(junk: Junk, html: str) -> Page:
    """Build a Page, dropping repeated junk lines but keeping their order."""
    return Page(html=html, junk=list(dict.fromkeys(junk.lines)))


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
    article: Article, site_name: str, title: str, *, json_ld: bool, meta_author: bool
) -> str:
    """<head> metadata for an article page: title, canonical, OpenGraph and author data."""
    lead = article.body[0].split()
    description = " ".join(lead[:24]) + ("…" if len(lead) > 24 else "")
    lines = [
        f"<title>{esc(title)}</title>",
        f'<meta name="description" content="{esc(description)}">',
        f'<link rel="canonical" href="{article.canonical}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{esc(article.title)}">',
        f'<meta property="og:site_name" content="{esc(site_name)}">',
        f'<meta property="og:url" content="{article.canonical}">',
        f'<meta property="article:published_time" content="{article.published}">',
        f'<meta property="article:section" content="{esc(article.label)}">',
    ]
    if meta_author:
        lines.append(f'<meta name="author" content="{esc(", ".join(article.authors))}">')
    if json_ld:
        lines.append(f'<script type="application/ld+json">{_json_ld(article, site_name)}</script>')
    return "\n".join(lines) + "\n"


def _json_ld(article: Article, site_name: str) -> str:
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
