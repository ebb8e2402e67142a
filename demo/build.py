"""Generate the static demo site (demo/site/) and demo/truth.jsonl from demo/content/.

Run from the repository root: `python -m demo.build`. Output is deterministic.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

from demo.articles import BASE, Article, load_articles
from demo.feeds import feed_files
from demo.indexes import index_pages
from demo.nonarticles import load_pages, nonarticle_pages
from demo.templates import TEMPLATES
from demo.templates.common import Page, description

DEMO = Path(__file__).parent
SITE = DEMO / "site"
TRUTH = DEMO / "truth.jsonl"
ASSETS = {
    "herald.css": "herald/static/herald.css",
    "zeitung.css": "zeitung/static/zeitung.css",
    "photo.svg": "zeitung/static/photo.svg",
    "aggregator.css": "aggregator/static/aggregator.css",
    "report.pdf": "files/report.pdf",
}


def render_articles(articles: list[Article]) -> list[tuple[Article, Page]]:
    """Render every article with its own template, seeing only that template's stories."""
    return [
        (a, TEMPLATES[a.template].render(a, [b for b in articles if b.template == a.template])) for a in articles
    ]


def check(rendered: list[tuple[Article, Page]]) -> None:
    """Fail if a body paragraph repeats across articles (but in a syndicated copy), is
    unnormalised or contains a junk line."""
    seen: set[str] = set()
    for article, page in sorted(rendered, key=lambda pair: "syndicated_from" in pair[0].extra):
        for text in article.body:
            repeated = text in seen and "syndicated_from" not in article.extra
            if repeated or text != " ".join(text.split()):
                raise ValueError(f"{article.path}: duplicate or unnormalised paragraph {text[:40]!r}")
            seen.add(text)
            leaked = [line for line in page.junk if line in text]
            if leaked:
                raise ValueError(f"{article.path}: junk {leaked} inside paragraph {text[:40]!r}")


def truth_row(article: Article, page: Page) -> dict[str, object]:
    """The truth record of one article."""
    return {
        "path": article.path,
        "url": BASE + article.href,
        "canonical": article.canonical,
        "template": article.template,
        "title": article.title,
        "authors": list(article.authors),
        "published": article.published,
        "language": article.language,
        "site_name": TEMPLATES[article.template].SITE_NAME,
        "description": description(article),
        **page.record,
        "body": article.body,
        "junk": page.junk,
        "duplicate_of": BASE + article.extra["syndicated_from"] if "syndicated_from" in article.extra else None,
    }


def write_site(root: Path, files: dict[str, bytes]) -> None:
    """Replace `root` with exactly `files`."""
    shutil.rmtree(root, ignore_errors=True)
    for name, data in sorted(files.items()):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def build(site: Path = SITE, truth: Path = TRUTH) -> list[Article]:
    """Write the site and the truth file; return the articles."""
    articles = load_articles()
    rendered = render_articles(articles)
    check(rendered)
    files = {a.path[1:]: page.html.encode() for a, page in rendered}
    files.update({name: html.encode() for name, html in index_pages(articles).items()})
    files.update({name: html.encode() for name, html in nonarticle_pages(load_pages()).items()})
    files.update(feed_files(articles))
    files.update({target: (DEMO / "assets" / name).read_bytes() for name, target in ASSETS.items()})
    files["empty.html"] = b""
    write_site(site, files)
    rows = sorted((truth_row(a, page) for a, page in rendered), key=lambda row: str(row["path"]))
    truth.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return articles


def main() -> None:
    """CLI entry point: build and print a one-line summary."""
    articles = build()
    per = Counter(f"{a.template}/{a.language}" for a in articles)
    print(f"built {len(articles)} articles into {SITE}: " + ", ".join(f"{k}={v}" for k, v in sorted(per.items())))


if __name__ == "__main__":
    main()
