"""The "herald" template: a classic English newspaper with its junk around the <article>."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from demo.articles import BASE, Article
from demo.templates.common import Junk, Page, article_head, body_html, description, esc, page, record

SITE_NAME = "The Northern Herald"
PREFIX = "hd"
SECTIONS = {"world": "World", "business": "Business", "science": "Science"}
COOKIE = "We use cookies to personalise content and to analyse our traffic. Read our cookie policy to find out more."
COOKIE_BUTTON = "Accept all cookies"
UK_ZONES = {"+00:00": "GMT", "+01:00": "BST"}
SHARE = ("Share on Facebook", "Share on X", "Share by email", "Copy link")
PAYWALL = (
    "Subscribe to keep reading",
    "This investigation is for Herald subscribers. Get unlimited access from £1 a week.",
    "Subscribe now",
    "Already a subscriber? Log in",
)
NEWSLETTER = (
    "The Morning Briefing",
    "Start every weekday with the stories that matter, sent straight to your inbox.",
    "Subscribe free",
)


def author_slug(name: str) -> str:
    """URL slug of an author page."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def shell(lang: str, head: str, main: str) -> str:
    """Full page: masthead, navigation, cookie banner and footer around `main`."""
    nav = "".join(f'<li><a href="/herald/{slug}/">{esc(label)}</a></li>' for slug, label in SECTIONS.items())
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{head}<link rel="stylesheet" href="/herald/static/herald.css">
</head>
<body class="hd-page">
<div class="hd-cookie-banner" role="dialog"><p>{esc(COOKIE)}</p><button type="button">{esc(COOKIE_BUTTON)}</button></div>
<header class="hd-masthead">
<a class="hd-logo" href="/herald/">{esc(SITE_NAME)}</a>
<nav class="hd-nav"><ul><li><a href="/">Home</a></li>{nav}</ul></nav>
</header>
<main class="hd-main">
{main}
</main>
<footer class="hd-footer">
<ul><li><a href="/herald/">Front page</a></li><li><a href="/feed.xml">RSS</a></li><li><a href="/sitemap.xml">Sitemap</a></li></ul>
<p>© 2024 {esc(SITE_NAME)}. All rights reserved.</p>
</footer>
</body>
</html>
"""


def render(article: Article, site: list[Article]) -> Page:
    """Article page with share buttons, related stories, trending and most-read rails."""
    junk = Junk()
    paywalled = bool(article.extra.get("paywalled"))
    junk.add(COOKIE)
    junk.add(COOKIE_BUTTON)
    others = [a for a in site if a != article]
    related = [a for a in others if a.section == article.section][:3]
    trending = [a for a in others if a.section != article.section][:3]
    most_read = others[-5:]
    byline = " and ".join(
        f'<a rel="author" href="/herald/authors/{author_slug(name)}.html">{esc(name)}</a>' for name in article.authors
    )
    junk.add("By " + " and ".join(article.authors))
    dateline = f"{article.date:%a %d %b %Y %H.%M} {UK_ZONES[article.published[-6:]]}"
    main = f"""<div class="hd-layout">
<article class="hd-article">
<header class="hd-article-head">
<p class="hd-kicker"><a href="/herald/{article.section}/">{junk(article.label)}</a></p>
<h1 class="hd-headline">{esc(article.title)}</h1>
<p class="hd-byline">By {byline}</p>
<time class="hd-dateline" datetime="{article.published}">{junk(dateline)}</time>
</header>
<ul class="hd-share-tools">{"".join(f'<li><button type="button">{junk(s)}</button></li>' for s in SHARE)}</ul>
<div class="hd-article-body">
{body_html(article, {}, '<h2 class="hd-subhead">{}</h2>')}
</div>
{_paywall(junk) if paywalled else ""}
<section class="hd-related"><h2>{junk("Related stories")}</h2>
{_links(related, junk, "ul")}
</section>
</article>
<aside class="hd-rail">
<section class="hd-trending"><h2>{junk("Trending")}</h2>
{_links(trending, junk, "ul")}
</section>
<section class="hd-most-read"><h2>{junk("Most read")}</h2>
{_links(most_read, junk, "ol")}
</section>
<section class="hd-newsletter"><h2>{junk(NEWSLETTER[0])}</h2><p>{junk(NEWSLETTER[1])}</p>
<form action="#"><input type="email" placeholder="Email address"><button type="submit">{junk(NEWSLETTER[2])}</button></form>
</section>
</aside>
</div>"""
    fields, image = _ld_fields(article, paywalled)
    head = article_head(article, SITE_NAME, f"{article.title} | {SITE_NAME}", json_ld=True, meta_author=False,
                        ld_fields=fields)
    return page(junk, shell(article.language, head, main), record(article, image, paywalled))


def _ld_fields(article: Article, paywalled: bool) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """What herald states in its JSON-LD beyond the common fields, and the lead image it names."""
    fields: dict[str, Any] = {"description": description(article), "isAccessibleForFree": not paywalled}
    if paywalled:
        fields["hasPart"] = {"@type": "WebPageElement", "isAccessibleForFree": False, "cssSelector": ".hd-locked"}
    if "modified" in article.extra:
        fields["dateModified"] = article.extra["modified"]
    if "tags" in article.extra:
        fields["keywords"] = article.extra["tags"]
    image = None
    if "image" in article.extra:
        image = {"url": f"{BASE}/herald/images/{article.slug}.jpg", "caption": article.extra["image"]["caption"]}
        fields["image"] = {"@type": "ImageObject", "url": image["url"], "caption": image["caption"]}
    return fields, image


def _paywall(junk: Junk) -> str:
    """The subscription prompt where the rest of a subscribers' story would be."""
    heading, offer, button, login = PAYWALL
    return (f'<div class="hd-paywall hd-locked"><h2>{junk(heading)}</h2><p>{junk(offer)}</p>'
            f'<a class="hd-button" href="/herald/">{junk(button)}</a> <a href="/herald/">{junk(login)}</a></div>')


def _links(articles: list[Article], junk: Junk, tag: str) -> str:
    items = "".join(f'<li><a href="{esc(a.href)}">{junk(a.title)}</a></li>' for a in articles)
    return f"<{tag}>{items}</{tag}>"
