"""Article model: loads the stories kept as JSON under demo/content/."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

CONTENT = Path(__file__).with_name("content")
BASE = "__BASE__"
TRACKING_QUERY = {"aggregator": "?ref=home"}
_COMMON_KEYS = ("section", "title", "authors", "published", "language", "label", "body")


@dataclass(frozen=True)
class Article:
    """One story from content/<template>/<slug>.json.

    `items` is the raw body: "## " marks a subheading, "@name" marks where a
    template inserts a junk block (related link, video, figure, ...).
    """

    template: str
    slug: str
    section: str
    title: str
    authors: tuple[str, ...]
    published: str
    language: str
    label: str
    items: tuple[str, ...]
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def path(self) -> str:
        """URL path of the article page."""
        return f"/{self.template}/{self.section}/{self.slug}.html"

    @property
    def canonical(self) -> str:
        """Canonical absolute URL (with the __BASE__ placeholder)."""
        return BASE + self.path

    @property
    def href(self) -> str:
        """Root-relative link used by the site's own pages (may carry a tracking query)."""
        return self.path + TRACKING_QUERY.get(self.template, "")

    @property
    def date(self) -> datetime:
        """Publication time as an aware datetime."""
        return datetime.fromisoformat(self.published)

    @property
    def body(self) -> list[str]:
        """True body text: paragraphs and subheadings, in order."""
        return [item.removeprefix("## ") for item in self.items if not item.startswith("@")]


def load_article(path: Path) -> Article:
    """Read one article file; keys beyond the common ones go to `extra`."""
    data = json.loads(path.read_text(encoding="utf-8"))
    common = {key: data.pop(key) for key in _COMMON_KEYS}
    return Article(
        template=path.parent.name,
        slug=path.stem,
        section=common["section"],
        title=common["title"],
        authors=tuple(common["authors"]),
        published=common["published"],
        language=common["language"],
        label=common["label"],
        items=tuple(common["body"]),
        extra=data,
    )


def load_articles(root: Path = CONTENT) -> list[Article]:
    """All articles, newest first (ties broken by path)."""
    articles = [load_article(path) for path in sorted(root.glob("*/*.json"))]
    return sorted(articles, key=lambda a: (-a.date.timestamp(), a.path))
