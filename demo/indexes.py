"""Listing pages: the portal home, each site's front page, section pages and author pages."""

from __future__ import annotations

from types import ModuleType

from demo.articles import Article
from demo.nonarticles import load_pages
from demo.templates import TEMPLATES, herald
from demo.templates.common import esc, index_head, teasers

# Links a site crawl must survive: a PDF, an empty page and a dead link (404).
BAD_LINKS = (
    ("/files/report.pdf", "Annual report 2024 (PDF)"),
    ("/empty.html", "Print edition"),
    ("/herald/world/deleted-story.html", "Council confirms closure of harbour bridge"),
)
LANGUAGES = {"herald": "en", "zeitung": "de", "aggregator": "en"}


def index_pages(articles: list[Article]) -> dict[str, str]:
    """Every listing page, keyed by its file path under the site root."""
    pages = {"index.html": _home(articles)}
    for name, template in TEMPLATES.items():
        site = [a for a in articles if a.template == name]
        pages[f"{name}/index.html"] = _listing(template, LANGUAGES[name], f"/{name}/", template.SITE_NAME, site, True)
        for slug, label in template.SECTIONS.items():
            lang = slug if name == "zeitung" else LANGUAGES[name]
            section = [a for a in site if a.section == slug]
            pages[f"{name}/{slug}/index.html"] = _listing(template, lang, f"/{name}/{slug}/", label, section, False)
    for author in sorted({name for a in articles if a.template == "herald" for name in a.authors}):
        path = f"/herald/authors/{herald.author_slug(author)}.html"
        own = [a for a in articles if a.template == "herald" and author in a.authors]
        pages[path[1:]] = _listing(herald, "en", path, f"Stories by {author}", own, False)
    return pages


def _listing(template: ModuleType, lang: str, path: str, heading: str, articles: list[Article], sections: bool) -> str:
    prefix = template.PREFIX
    nav = ""
    if sections:
        links = "".join(
            f'<li><a href="{path}{slug}/">{esc(label)}</a></li>' for slug, label in template.SECTIONS.items()
        )
        nav = f'<ul class="{prefix}-section-list">{links}</ul>\n'
    main = f'<div class="{prefix}-index">\n<h1>{esc(heading)}</h1>\n{nav}{teasers(articles, prefix)}\n</div>'
    title = heading if heading == template.SITE_NAME else f"{heading} – {template.SITE_NAME}"
    return template.shell(lang, index_head(title, path), main)


def _home(articles: list[Article]) -> str:
    sites = "\n".join(
        f'<li><a href="/{name}/">{esc(t.SITE_NAME)}</a>: '
        + ", ".join(f'<a href="/{name}/{slug}/">{esc(label)}</a>' for slug, label in t.SECTIONS.items())
        + "</li>"
        for name, t in TEMPLATES.items()
    )
    extras = "".join(f'<li><a href="{href}">{esc(text)}</a></li>' for href, text in BAD_LINKS)
    more = "".join(f'<li><a href="{page["path"]}">{esc(page["link"])}</a></li>' for page in load_pages())
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
{index_head("cleanwire demo news portal", "/")}</head>
<body>
<h1>cleanwire demo news portal</h1>
<h2>Sites</h2>
<ul>
{sites}
</ul>
<h2>Latest stories</h2>
{teasers(articles[:12], "portal")}
<h2>Archive</h2>
<ul>{extras}</ul>
<h2>More from the Herald</h2>
<ul>{more}</ul>
<p><a href="/feed.xml">RSS</a> · <a href="/atom.xml">Atom</a> · <a href="/sitemap.xml">Sitemap</a></p>
</body>
</html>
"""
