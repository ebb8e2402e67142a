"""The "zeitung" template: a multilingual European site with junk inside its div-based story body."""

from __future__ import annotations

from typing import Any

from demo.articles import BASE, Article
from demo.templates.common import Junk, Page, article_head, body_html, esc, page, record

SITE_NAME = "EuroKurier"
PREFIX = "zt"
SECTIONS = {"de": "Deutsche Ausgabe", "fr": "Édition française", "ru": "Русская версия"}
LABELS: dict[str, dict[str, Any]] = {  # per language: label strings, and lists for the share buttons
    "de": {
        "by": "Von",
        "date": "%d.%m.%Y, %H:%M Uhr",
        "share": ("Auf Facebook teilen", "Auf X teilen", "Per WhatsApp senden", "Per E-Mail versenden"),
        "read_also": "Lesen Sie auch:",
        "more": "Mehr zum Thema",
        "credit": "Foto:",
        "imprint": "Impressum",
    },
    "fr": {
        "by": "Par",
        "date": "%d/%m/%Y à %Hh%M",
        "share": ("Partager sur Facebook", "Partager sur X", "Envoyer par WhatsApp", "Envoyer par e-mail"),
        "read_also": "Lire aussi :",
        "more": "Sur le même sujet",
        "credit": "Photo :",
        "imprint": "Mentions légales",
    },
    "ru": {
        "by": "Автор:",
        "date": "%d.%m.%Y, %H:%M",
        "share": ("Поделиться ВКонтакте", "Поделиться в Telegram", "Отправить в WhatsApp", "Отправить по почте"),
        "read_also": "Читайте также:",
        "more": "По теме",
        "credit": "Фото:",
        "imprint": "Выходные данные",
    },
}


def shell(lang: str, head: str, main: str) -> str:
    """Full page: top bar with edition switcher, logo and footer around `main`."""
    editions = " ".join(f'<a class="zt-edition" href="/zeitung/{code}/">{esc(name)}</a>' for code, name in SECTIONS.items())
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{head}<link rel="stylesheet" href="/zeitung/static/zeitung.css">
</head>
<body>
<div id="zt-page" class="zt-wrapper">
<div class="zt-topbar"><div class="zt-editions">{editions}</div></div>
<div class="zt-brand"><a href="/zeitung/">{esc(SITE_NAME)}</a><div class="zt-claim">Nachrichten · Actualités · Новости</div></div>
<div class="zt-content">
{main}
</div>
<div class="zt-footer"><a href="/">Portal</a> · <a href="/atom.xml">Atom</a> · <span>{esc(LABELS[lang]["imprint"])}</span> · <span>© 2024 {esc(SITE_NAME)}</span></div>
</div>
</body>
</html>
"""


def render(article: Article, site: list[Article]) -> Page:
    """Story page: figure, inline read-also links, share bar and a topic box."""
    text = LABELS[article.language]
    junk = Junk()
    position = site.index(article)
    others = [a for a in site[position + 1 :] + site[:position] if a.language == article.language]
    image = article.extra["image"]
    figure = (
        f'<figure class="zt-figure"><img src="/zeitung/static/photo.svg" alt="{esc(image["alt"])}" width="800" height="450">'
        f'<figcaption><span class="zt-caption">{junk(image["caption"])}</span> '
        f'<span class="zt-credit">{junk(text["credit"] + " " + image["credit"])}</span></figcaption></figure>'
    )
    blocks = {"figure": figure}
    read_also = [item[1:] for item in article.items if item.startswith("@readalso")]
    for marker, target in zip(read_also, others, strict=False):
        junk.add(f"{text['read_also']} {target.title}")
        blocks[marker] = (
            f'<p class="zt-readalso"><strong>{esc(text["read_also"])}</strong> '
            f'<a href="{esc(target.href)}">{esc(target.title)}</a></p>'
        )
    share = "".join(f'<button type="button" class="zt-share">{junk(label)}</button>' for label in text["share"])
    topics = "".join(f'<li><a href="{esc(a.href)}">{junk(a.title)}</a></li>' for a in others[:3])
    edition = f"/zeitung/{article.section}/"
    main = f"""<nav class="zt-breadcrumb" aria-label="Breadcrumb"><ol><li><a href="/zeitung/">{junk(SITE_NAME)}</a></li>
<li><a href="{edition}">{junk(SECTIONS[article.section])}</a></li><li>{junk(article.label)}</li></ol></nav>
<div class="zt-grid">
<div class="zt-column">
<div class="zt-story">
<div class="zt-kicker">{junk(article.label)}</div>
<h1 class="zt-headline">{esc(article.title)}</h1>
<div class="zt-meta"><span class="zt-author">{junk(text["by"] + " " + ", ".join(article.authors))}</span> | <time datetime="{article.published}">{junk(article.date.strftime(text["date"]))}</time></div>
<div class="zt-sharebar">{share}</div>
<div class="story-body">
{body_html(article, blocks, '<h2 class="zt-zwischentitel">{}</h2>')}
</div>
<div class="zt-topicbox"><div class="zt-topicbox-title">{junk(text["more"])}</div><ul>{topics}</ul></div>
</div>
</div>
</div>"""
    head_lines = []  # zeitung states its section only in the breadcrumb, its lead image only as the figure
    if "tags" in article.extra:
        head_lines.append(f'<meta name="keywords" content="{esc(", ".join(article.extra["tags"]))}">')
    if "modified" in article.extra:
        head_lines.append(f'<meta property="og:updated_time" content="{article.extra["modified"]}">')
    head = article_head(article, SITE_NAME, f"{article.title} – {SITE_NAME}", json_ld=False, meta_author=True,
                        section_meta=False, head_lines=head_lines)
    lead_image = {"url": f"{BASE}/zeitung/static/photo.svg", "caption": image["caption"]}
    return page(junk, shell(article.language, head, main), record(article, lead_image, None))
