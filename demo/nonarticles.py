"""Pages that are not articles: a product page, a forum thread, a service page, a docs page and a
listing, from demo/content/nonarticles.json, linked from the portal so that a site crawl reaches
them. None of them may be emitted. Each holds prose paragraphs (so three paragraphs of prose
cannot be what makes an article), and the service page says ``og:type=article``, as many CMSs do
on every page.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from demo.articles import BASE
from demo.templates.common import esc

CONTENT = Path(__file__).with_name("content") / "nonarticles.json"


def load_pages(path: Path = CONTENT) -> list[dict[str, Any]]:
    """Every non-article page's data."""
    pages: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return pages


def nonarticle_pages(pages: list[dict[str, Any]]) -> dict[str, str]:
    """Every non-article page, keyed by its file path under the site root."""
    files = {}
    for data in pages:
        path = data["path"]
        files[path[1:] + ("index.html" if path.endswith("/") else "")] = _shell(data, RENDERERS[data["kind"]](data))
    return files


def _shell(data: dict[str, Any], main: str) -> str:
    og_type = data.get("og_type", "website")
    json_ld = data.get("json_ld")
    ld = f'<script type="application/ld+json">{json.dumps(json_ld)}</script>\n' if json_ld else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{esc(data["title"])} – The Northern Herald</title>
<link rel="canonical" href="{BASE}{data["path"]}">
<meta property="og:type" content="{esc(og_type)}">
<meta property="og:title" content="{esc(data["title"])}">
<meta property="og:site_name" content="The Northern Herald">
{ld}</head>
<body>
<header class="site-header"><a href="/">The Northern Herald</a>
<nav><ul><li><a href="/herald/">News</a></li><li><a href="/events/">Events</a></li>
<li><a href="/shop/products/reporters-field-notebook.html">Shop</a></li><li><a href="/forum/threads/keeping-old-newspapers-from-yellowing.html">Forum</a></li></ul></nav>
</header>
<main>
{main}
</main>
<footer><p>© 2024 The Northern Herald</p></footer>
</body>
</html>
"""


def _paragraphs(texts: list[str]) -> str:
    return "\n".join(f"<p>{esc(text)}</p>" for text in texts)


def _product(data: dict[str, Any]) -> str:
    price = f'{data["price"]} €'
    specs = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in data["specs"])
    reviews = "".join(
        f'<li class="review"><strong>{esc(name)}</strong> <span class="stars">{esc(stars)}</span><p>{esc(text)}</p></li>'
        for name, stars, text in data["reviews"])
    related = "".join(
        f'<li class="product-card"><a href="#">{esc(name)}</a> <span class="price">{esc(cost)} €</span>'
        f'<button class="add-to-cart">Add to cart</button></li>' for name, cost in data["related"])
    return f"""<div class="product" itemscope itemtype="https://schema.org/Product">
<h1 itemprop="name">{esc(data["title"])}</h1>
<div class="product-price" itemprop="offers" itemscope itemtype="https://schema.org/Offer">
<span itemprop="price" content="{data["price"]}">{price}</span> <meta itemprop="priceCurrency" content="{data["currency"]}">
<span class="stock">In stock</span></div>
<form class="add-to-cart-form"><label>Quantity <input type="number" name="qty" value="1"></label>
<button type="submit" class="add-to-cart">Add to cart</button></form>
<div class="product-description" itemprop="description">
{_paragraphs(data["description"])}
</div>
<table class="specs">{specs}</table>
<h2>Reviews</h2><ul class="reviews">{reviews}</ul>
<h2>You may also need</h2><ul class="related-products">{related}</ul>
</div>"""


def _forum(data: dict[str, Any]) -> str:
    posts = "\n".join(
        f'<article class="post" id="post-{n}"><div class="post-author"><a href="#">{esc(user)}</a></div>'
        f'<time datetime="{when}">{when[:10]}</time><div class="post-body"><p>{esc(text)}</p></div>'
        f'<div class="post-actions"><a href="#">Reply</a> <a href="#">Quote</a></div></article>'
        for n, (user, when, text) in enumerate(data["posts"], 1))
    return f"""<div class="thread">
<div class="breadcrumbs">{esc(data["board"])}</div>
<h1>{esc(data["title"])}</h1>
{posts}
<form class="reply"><textarea name="message"></textarea><button type="submit">Post reply</button></form>
</div>"""


def _service(data: dict[str, Any]) -> str:
    steps = "".join(f"<li>{esc(step)}</li>" for step in data["steps"])
    plans = "".join(
        f'<div class="plan"><h3>{esc(name)}</h3><p class="price">{"€ " + esc(cost) if cost[0].isdigit() else esc(cost)}</p>'
        f'<p>{esc(scope)}</p><a class="button" href="#contact">Ask for a quote</a></div>'
        for name, cost, scope in data["plans"])
    return f"""<div class="service">
<h1>{esc(data["title"])}</h1>
{_paragraphs(data["intro"])}
<h2>How it works</h2><ol>{steps}</ol>
<h2>Prices</h2><div class="plans">{plans}</div>
<h2 id="contact">Contact us</h2><p>{esc(data["contact"])}</p>
<form class="contact"><input name="name" placeholder="Name"><input name="email" placeholder="Email">
<input name="publication" placeholder="Publication"><textarea name="message"></textarea>
<button type="submit">Send</button></form>
</div>"""


def _docs(data: dict[str, Any]) -> str:
    nav = "".join(
        f"<li>{esc(group)}<ul>" + "".join(f'<li><a href="#">{esc(entry)}</a></li>' for entry in entries) + "</ul></li>"
        for group, entries in data["nav"])
    body = []
    for heading, text in data["sections"]:
        if heading == "@code":
            body.append(f"<pre><code>{esc(text)}</code></pre>")
            continue
        if heading:
            body.append(f"<h2>{esc(heading)}</h2>")
        parts = text.split("`")
        body.append("<p>" + "".join(f"<code>{esc(p)}</code>" if i % 2 else esc(p) for i, p in enumerate(parts)) + "</p>")
    return f"""<div class="docs">
<nav class="docs-sidebar"><ul>{nav}</ul></nav>
<div class="docs-content">
<h1>{esc(data["title"])}</h1>
{chr(10).join(body)}
</div>
</div>"""


def _listing(data: dict[str, Any]) -> str:
    cards = "\n".join(
        f'<article class="event-card"><h2><a href="{href}">{esc(name)}</a></h2>'
        f'<time datetime="{when}">{when[:10]} {when[11:16]}</time> <span class="venue">{esc(venue)}</span>'
        f' <span class="price">{"£" + esc(price) if price[0].isdigit() else esc(price)}</span><p>{esc(text)}</p>'
        f'<a class="button" href="{href}">Book a place</a></article>'
        for href, name, when, venue, price, text in data["events"])
    return f"""<div class="events">
<h1>{esc(data["title"])}</h1>
{cards}
</div>"""


RENDERERS: dict[str, Callable[[dict[str, Any]], str]] = {
    "product": _product, "forum": _forum, "service": _service, "docs": _docs, "listing": _listing,
}
