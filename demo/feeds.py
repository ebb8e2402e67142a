"""Machine-readable entry points: RSS, Atom, sitemaps and robots.txt (canonical URLs only)."""

from __future__ import annotations

import gzip
from email.utils import format_datetime
from xml.sax.saxutils import escape

from demo.articles import BASE, Article
from demo.templates import TEMPLATES

HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n'
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


def feed_files(articles: list[Article]) -> dict[str, bytes]:
    """Every feed, sitemap and robots file, keyed by its file path under the site root."""
    return {
        "feed.xml": rss(articles).encode(),
        "atom.xml": atom(articles).encode(),
        "sitemap.xml": sitemap_index(articles).encode(),
        "sitemaps/articles.xml.gz": gzip.compress(article_sitemap(articles).encode(), mtime=0),
        "sitemaps/news.xml": news_sitemap(articles).encode(),
        "robots.txt": f"User-agent: *\nAllow: /\n\nSitemap: {BASE}/sitemap.xml\n".encode(),
    }


def rss(articles: list[Article]) -> str:
    """RSS 2.0 feed of all articles, newest first."""
    items = "".join(
        f"""<item>
<title>{escape(a.title)}</title>
<link>{a.canonical}</link>
<guid isPermaLink="true">{a.canonical}</guid>
<pubDate>{format_datetime(a.date)}</pubDate>
<dc:creator>{escape(", ".join(a.authors))}</dc:creator>
<category>{escape(a.label)}</category>
<description>{escape(a.body[0])}</description>
</item>
"""
        for a in articles
    )
    return f"""{HEADER}<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>cleanwire demo news</title>
<link>{BASE}/</link>
<description>All stories from the cleanwire demo sites</description>
<lastBuildDate>{format_datetime(articles[0].date)}</lastBuildDate>
{items}</channel>
</rss>
"""


def atom(articles: list[Article]) -> str:
    """Atom 1.0 feed of all articles, newest first."""
    entries = "".join(
        f"""<entry>
<id>{a.canonical}</id>
<title>{escape(a.title)}</title>
<link rel="alternate" href="{a.canonical}"/>
<published>{a.published}</published>
<updated>{a.published}</updated>
{"".join(f"<author><name>{escape(name)}</name></author>" for name in a.authors)}
<summary>{escape(a.body[0])}</summary>
</entry>
"""
        for a in articles
    )
    return f"""{HEADER}<feed xmlns="http://www.w3.org/2005/Atom">
<id>{BASE}/</id>
<title>cleanwire demo news</title>
<link rel="self" href="{BASE}/atom.xml"/>
<link rel="alternate" href="{BASE}/"/>
<updated>{articles[0].published}</updated>
{entries}</feed>
"""


def sitemap_index(articles: list[Article]) -> str:
    """Sitemap index pointing at the gzipped article sitemap and the news sitemap."""
    entries = "".join(
        f"<sitemap><loc>{BASE}/sitemaps/{name}</loc><lastmod>{articles[0].published}</lastmod></sitemap>\n"
        for name in ("articles.xml.gz", "news.xml")
    )
    return f'{HEADER}<sitemapindex xmlns="{SITEMAP_NS}">\n{entries}</sitemapindex>\n'


def article_sitemap(articles: list[Article]) -> str:
    """Plain urlset of all articles with lastmod."""
    urls = "".join(f"<url><loc>{a.canonical}</loc><lastmod>{a.published}</lastmod></url>\n" for a in articles)
    return f'{HEADER}<urlset xmlns="{SITEMAP_NS}">\n{urls}</urlset>\n'


def news_sitemap(articles: list[Article]) -> str:
    """Google News sitemap of all articles."""
    urls = "".join(
        f"""<url><loc>{a.canonical}</loc><news:news>
<news:publication><news:name>{escape(TEMPLATES[a.template].SITE_NAME)}</news:name><news:language>{a.language}</news:language></news:publication>
<news:publication_date>{a.published}</news:publication_date>
<news:title>{escape(a.title)}</news:title>
</news:news></url>
"""
        for a in articles
    )
    return f'{HEADER}<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">\n{urls}</urlset>\n'
