"""What a user meets running crawls by hand: URLs that hold commas, and an earlier output file
that a run writing nothing leaves as it was."""

from __future__ import annotations

import json
from pathlib import Path

from cleanwire.spiders.sources import build_plan, split_urls
from demo.server import DemoServer

from .conftest import run_crawl

PAGE = "/herald/world/iceland-village-evacuated.html"


def test_a_comma_separates_urls_only_where_the_next_one_begins() -> None:
    assert split_urls("https://a.example/x,y.html") == ["https://a.example/x,y.html"]
    assert split_urls("https://a.example/1.html,https://b.example/2.html, http://c.example/?ids=3,4") == [
        "https://a.example/1.html", "https://b.example/2.html", "http://c.example/?ids=3,4"]
    assert split_urls(["https://a.example/?u=x,https://b.example/"]) == ["https://a.example/?u=x,https://b.example/"]
    plan = build_plan({"url": "https://a.example/story,one.html", "feed": "https://a.example/rss?s=a,b"})
    assert (plan.sources["url"], plan.sources["feed"]) == (["https://a.example/story,one.html"], ["https://a.example/rss?s=a,b"])


def test_a_url_with_commas_is_fetched_as_given(demo_server: DemoServer, tmp_path: Path) -> None:
    url = f"{demo_server.base_url}{PAGE}?ids=1,2,3"
    result = run_crawl("-a", f"url={url}", "-O", str(tmp_path / "out.jsonl"), workdir=tmp_path)
    assert [item["url"] for item in result.items] == [url]
    assert demo_server.stats()["by_path"].get(f"{PAGE}?ids=1,2,3") == 1  # one request, the comma URL as given


def test_an_html_page_given_as_a_feed_leaves_the_earlier_output_intact(demo_server: DemoServer, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    earlier = json.dumps({"url": "https://earlier.example/story", "text": "from the last run"}) + "\n"
    out.write_text(earlier, encoding="utf-8")
    result = run_crawl("-a", f"feed={demo_server.base_url}{PAGE}", "-O", str(out), workdir=tmp_path, check=False)
    assert result.stat("cleanwire/skipped/bad_feed") == 1
    assert "bad_feed (not a feed" in result.stderr
    assert out.read_text(encoding="utf-8") == earlier
    assert sorted(path.name for path in tmp_path.iterdir() if path.name.startswith("out")) == ["out.jsonl"]
    assert "output:            none" in result.stdout
