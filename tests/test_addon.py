"""cleanwire as a Scrapy add-on: its components and defaults at add-on priority, the project's own
settings winning, and a project's own spider handing its pages to cleanwire's pipeline."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from scrapy import Spider
from scrapy.utils.test import get_crawler

from cleanwire.addon import COMPONENTS, DEFAULTS, FEED_STORAGES
from demo.server import DemoServer

from .conftest import read_jsonl

# cleanwire refuses a crawl that writes nowhere, so each crawler here has a feed
ADDON = {"ADDONS": {"cleanwire.Addon": 0}, "FEEDS": {"out.jsonl": {"format": "jsonlines"}}}


def settings_of(project: dict[str, Any]) -> Any:
    return get_crawler(Spider, {**ADDON, **project}).settings


def test_the_addon_brings_every_component_and_default() -> None:
    settings = settings_of({})
    for name, value in DEFAULTS.items():
        assert settings[name] == value, name
    for name, components in COMPONENTS.items():
        stated = settings.getdict(name)
        for path, order in components.items():
            assert any(key == path or getattr(key, "__module__", "") + "." + getattr(key, "__name__", "") == path
                       for key, value in stated.items() if value == order), (name, path)
    assert {scheme: settings.getdict("FEED_STORAGES")[scheme] for scheme in FEED_STORAGES} == FEED_STORAGES


def test_the_projects_own_settings_win() -> None:
    settings = settings_of({
        "USER_AGENT": "mine/1.0", "ROBOTSTXT_OBEY": False,
        "ITEM_PIPELINES": {"cleanwire.pipelines.dedupe.DedupePipeline": None},
        "DOWNLOADER_MIDDLEWARES": {"scrapy.downloadermiddlewares.redirect.RedirectMiddleware": 600},
        "FEED_STORAGES": {"file": "scrapy.extensions.feedexport.FileFeedStorage"},
    })
    assert settings["USER_AGENT"] == "mine/1.0" and settings.getbool("ROBOTSTXT_OBEY") is False
    pipelines = {getattr(k, "__name__", k): v for k, v in settings.getdict("ITEM_PIPELINES").items()}
    assert pipelines["ExtractionPipeline"] == 200 and pipelines["cleanwire.pipelines.dedupe.DedupePipeline"] is None
    middlewares = {getattr(k, "__name__", k): v for k, v in settings.getdict("DOWNLOADER_MIDDLEWARES").items()}
    assert middlewares["scrapy.downloadermiddlewares.redirect.RedirectMiddleware"] == 600
    assert settings.getdict("FEED_STORAGES")["file"] == "scrapy.extensions.feedexport.FileFeedStorage"


def test_a_command_line_setting_wins_over_the_addon() -> None:
    crawler = get_crawler(Spider, ADDON)
    assert crawler.settings.getpriority("USER_AGENT") == 15  # "addon": below "project" (20) and "cmdline" (40)


PROJECT_SETTINGS = """
    BOT_NAME = "myproject"
    SPIDER_MODULES = ["myproject.spiders"]
    ADDONS = {"cleanwire.Addon": 0}
    ROBOTSTXT_OBEY = False
"""
# A project's own spider: it fetches what it likes and hands each page to cleanwire's pipeline.
PROJECT_SPIDER = """
    import scrapy

    from cleanwire.items import FetchedPage, utc_now


    class MineSpider(scrapy.Spider):
        name = "mine"

        def __init__(self, url, **kwargs):
            super().__init__(**kwargs)
            self.start_urls = [url]

        def parse(self, response):
            yield FetchedPage(url=response.url, body=response.body, fetched_at=utc_now(), source="url")
"""


def make_project(root: Path) -> Path:
    (root / "myproject" / "spiders").mkdir(parents=True)
    (root / "scrapy.cfg").write_text("[settings]\ndefault = myproject.settings\n")
    (root / "myproject" / "__init__.py").write_text("")
    (root / "myproject" / "settings.py").write_text(textwrap.dedent(PROJECT_SETTINGS))
    (root / "myproject" / "spiders" / "__init__.py").write_text("")
    (root / "myproject" / "spiders" / "mine.py").write_text(textwrap.dedent(PROJECT_SPIDER))
    return root


def scrapy(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "scrapy", *args], cwd=project, capture_output=True, text=True,
                          timeout=180)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-3000:]
    return done


@pytest.mark.parametrize("spider", ["news", "mine"])
def test_a_project_with_the_addon_writes_articles(spider: str, tmp_path: Path, demo_server: DemoServer,
                                                  demo_truth: list[dict[str, Any]]) -> None:
    """``news`` is found through the add-on (``scrapy list`` does not ask add-ons); the project's own
    spider hands its pages to cleanwire's pipeline and feed storage."""
    page = next(p for p in demo_truth if p.get("title"))
    url = page["url"].replace("__BASE__", demo_server.base_url)
    scrapy(make_project(tmp_path), "crawl", spider, "-a", f"url={url}", "-O", "out.jsonl")
    [article] = read_jsonl(tmp_path / "out.jsonl")
    assert article["title"] == page["title"] and len(article["text"]) > 200
    assert not list(tmp_path.glob("*.part"))  # written by cleanwire's atomic feed storage
