"""The "aggregator" template: a republishing site with the junk inside the post container."""

from __future__ import annotations

import json
from functools import cache

from demo.articles import BASE, CONTENT, Article
from demo.templates.common import Junk, Page, article_head, body_html, esc, page, record

SITE_NAME = "Newsroll Daily"
PREFIX = "ag"
SECTIONS = {"world": "World", "tech": "Tech", "culture": "Culture"}
LATEST = "Latest on Newsroll"


@cache
def widget_headlines() -> tuple[str, ...]:
    """Pool of unrelated headlines shown in the "You May Like" widgets."""
    return tuple(json.loads((CONTENT / "widget-headlines.json").read_text(encoding="utf-8")))


def shell(lang: str, head: str, main: str) -> str:
    """Full page: header with search, section menu and footer around `main`."""
    menu = "".join(f'<a class="ag-menu-item" href="/aggregator/{slug}/">{esc(label)}</a>' for slug, label in SECTIONS.items())
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{head}<link rel="stylesheet" href="/aggregator/static/aggregator.css">
</head>
<body class="ag-body">
<div class="ag-header">
<a class="ag-logo" href="/aggregator/">{esc(SITE_NAME)}</a>
<div class="ag-menu"><a class="ag-menu-item" href="/">Home</a>{menu}</div>
<form class="ag-search" action="#"><input type="search" name="s" placeholder="Search …"></form>
</div>
{main}
<div class="ag-footer"><span>{esc(SITE_NAME)} collects the news from around the web.</span> <a href="/feed.xml">RSS</a></div>
</body>
</html>
"""


def render(article: Article, site: list[Article]) -> Page:
    """Post page with the seed's junk kinds placed between the body paragraphs."""
    spec = article.extra["junk"]
    junk = Junk()
    position = site.index(article)
    related = site[(position + 1) % len(site)]
    notice, video_title = spec["video"]
    label = f"<p>{junk(article.label)}</p>"
    blocks = {
        "related": f'<p><a href="{esc(related.href)}">{junk(spec["related"])}</a></p>',
        "more_on": f'<p><strong><a href="/aggregator/{article.section}/">{junk(spec["more_on"])}</a></strong></p>',
        "video": (
            f"<p>{junk(notice)}</p>\n"
            f'<div class="ag-player" data-video="v{position:04d}"></div>\n'
            f"<p>{junk(video_title)}</p>"
        ),
    }
    prompts = "\n".join(f"<p><strong>{junk(text)}</strong></p>" for text in spec["prompts"])
    as_list = spec.get("widget_style", "list") == "list"
    widgets = "\n".join(_widget(heading, count, position, junk, as_list) for heading, count in spec["widgets"])
    others = [a for a in site if a != article]
    latest = "".join(f'<li><a href="{esc(a.href)}">{junk(a.title)}</a></li>' for a in others[:4])
    main = f"""<div class="ag-wrap">
<div class="ag-content">
<div class="ag-post" id="post-{position + 1001}">
<h1 class="ag-post-title">{esc(article.title)}</h1>
<div class="ag-post-meta"><span class="ag-author">{junk(", ".join(article.authors))}</span> · <time datetime="{article.published}">{junk(f"{article.date:%B %d, %Y}")}</time></div>
<div class="ag-post-entry">
{label}
{body_html(article, blocks)}
{prompts}
{widgets}
</div>
</div>
</div>
<div class="ag-sidebar"><h4>{junk(LATEST)}</h4><ul>{latest}</ul></div>
</div>"""
    image = {"url": f"{BASE}/aggregator/images/{article.slug}.jpg", "caption": None}
    head_lines = [f'<meta property="og:image" content="{image["url"]}">']
    head_lines += [f'<meta property="article:tag" content="{esc(tag)}">' for tag in article.extra.get("tags", [])]
    if "modified" in article.extra:
        head_lines.append(f'<meta property="article:modified_time" content="{article.extra["modified"]}">')
    head = article_head(article, SITE_NAME, f"{article.title} – {SITE_NAME}", json_ld=True, meta_author=True,
                        head_lines=head_lines)
    return page(junk, shell(article.language, head, main), record(article, image, None))


def _widget(heading: str, count: int, position: int, junk: Junk, as_list: bool) -> str:
    """A "You May Like" heading with unrelated headlines, as a <ul> or as one link per paragraph."""
    title = f"<h3>{junk(heading)}</h3>"
    pool = widget_headlines()
    links = [f'<a href="#" rel="nofollow">{junk(pool[(position * 5 + i) % len(pool)])}</a>' for i in range(count)]
    if not links:
        return title
    if as_list:
        return title + "\n<ul>" + "".join(f"<li>{link}</li>" for link in links) + "</ul>"
    return title + "\n" + "\n".join(f"<p>{link}</p>" for link in links)
