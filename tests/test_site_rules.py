"""Site rules (FiveFilters site-config files): each directive in process, the folders' order, broken
and stale files, and a real crawl that joins a two-page article into one item."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from cleanwire.cli import main as cli_main
from cleanwire.errors import JobConfigError
from cleanwire.extraction import Extraction, ExtractionOptions, extract_article
from cleanwire.extraction.siterules import read_config, site_rule_folders
from demo.server import serve_in_subprocess

from .conftest import run_crawl

SENTENCE = "The harbour board voted on Monday to rebuild the old pier, after a long debate over its cost. "
LEDE = "Workers will start on the northern end of the pier in spring, the board said in a statement."
NOTE = "This report first appeared in the members' newsletter of the harbour society last week."
TEASER = "Read our other story about the new ferry timetable and what it means for the island."


def para(n: int) -> str:
    return f"<p>{SENTENCE * 2}This is paragraph {n} of the story.</p>"


def page(story: str = "", extra: str = "", head: str = "") -> str:
    """An article page: a header, the story container, a sidebar of teasers."""
    story = story or f"<p>{LEDE}</p>" + "".join(para(n) for n in range(4))
    return (f"<html><head><title>Pier to be rebuilt - Harbour News</title>{head}</head><body>"
            "<header><a href='/'>Harbour News</a></header>"
            f"<h1 class='headline'>The pier will be rebuilt</h1><span class='byline'>By Ann Smith</span>"
            f"<span class='stamp'>Published 4 March 2025</span>"
            f"<article><div id='story'>{story}</div>{extra}</article>"
            f"<aside class='rail'><p>{TEASER}</p></aside></body></html>")


def rules(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def extract(html: str, folders: tuple[Path, ...], url: str = "https://www.harbour.test/pier",
            body_formats: frozenset[str] = frozenset()) -> Extraction:
    options = ExtractionOptions(site_rules=tuple(map(str, folders)), body_formats=body_formats)
    return extract_article(html.encode(), url, options)


# --- each directive -------------------------------------------------------------------------


def test_body_picks_the_container_and_our_junk_rules_still_run_inside_it(tmp_path: Path) -> None:
    story = f"<p>{LEDE}</p>" + para(1) + "<div class='share-tools'><p>Share this story</p></div>" + para(2) + para(3)
    html = page(story, extra=f"<div class='note'><p>{NOTE}</p></div>")
    folder = rules(tmp_path / "mine", "harbour.test.txt", 'body: //div[@id="story"]\n')
    assert NOTE in extract(html, ()).text
    ruled = extract(html, (folder,))
    assert ruled.text.startswith(LEDE) and "paragraph 3" in ruled.text
    assert NOTE not in ruled.text  # outside the body container
    assert "Share this story" not in ruled.text  # a junk rule of ours, inside it
    assert ruled.sources["body"] == 'site/harbour.test.txt:1 body: //div[@id="story"]'
    assert ruled.site_rules == "harbour.test.txt" and not ruled.site_rules_fell_back


def test_strip_lines_remove_elements_and_explain_names_the_line(tmp_path: Path) -> None:
    story = (f"<p>{LEDE}</p>" + para(1) + "<div class='tipbox-wide'><p>Send us your tips about the harbour.</p></div>"
             + "<p class='legal'>All rights reserved by the harbour board press office.</p>" + para(2)
             + "<p><img src='https://cdn.harbour.test/pixel/track.gif'><img src='https://cdn.harbour.test/pier.jpg'></p>")
    folder = rules(tmp_path / "mine", "harbour.test.txt",
                   "# the harbour site\nstrip: //p[@class='legal']\nstrip_id_or_class: tipbox\n"
                   "strip_image_src: /pixel/\n")
    ruled = extract(page(story), (folder,), body_formats=frozenset({"html"}))
    assert "Send us your tips" not in ruled.text and "All rights reserved" not in ruled.text
    assert "track.gif" not in ruled.bodies["html"]
    assert {(r.rule, r.kind) for r in ruled.removed if r.rule.startswith("site/")} == {
        ("site/harbour.test.txt:2", "strip"), ("site/harbour.test.txt:3", "strip_id_or_class")}
    generic = extract(page(story), ())
    assert "Send us your tips" in generic.text  # the rule, not our own rules, removed it


def test_title_author_and_date_are_read_from_the_rule_first(tmp_path: Path) -> None:
    folder = rules(tmp_path / "mine", "harbour.test.txt",
                   "title: //meta[@name='hed']/@content\nauthor: //span[@class='nobody']\n"
                   "author: substring-after(//span[@class='credit'], 'Pictures: ')\n"
                   "date: //span[@class='nowhere']\ndate: //span[@class='stamp']/@data-edition\n")
    head = "<meta name='hed' content='Harbour pier to be rebuilt after vote'>"
    html = page(f"<p>{LEDE}</p>{para(1)}{para(2)}<span class='credit'>Pictures: Bo Lee</span>", head=head)
    html = html.replace("<span class='stamp'>", "<span class='stamp' data-edition='2025-03-05'>")
    ruled, generic = extract(html, (folder,)), extract(html, ())
    assert (ruled.title, ruled.authors, ruled.published) == (
        "Harbour pier to be rebuilt after vote", ["Bo Lee"], "2025-03-05")
    assert (generic.title, generic.authors, generic.published) == (
        "The pier will be rebuilt", ["Ann Smith"], "2025-03-04")
    assert (ruled.sources["title"], ruled.sources["authors"], ruled.sources["published"]) == (
        "site/harbour.test.txt:1", "site/harbour.test.txt:3", "site/harbour.test.txt:5")


def test_find_and_replace_strings_apply_to_the_html_in_both_forms(tmp_path: Path) -> None:
    # a page that hides its story in a <noscript>, and misspells the town
    story = f"<noscript><p>{LEDE}</p>{para(1)}{para(2)}</noscript><p>{SENTENCE} In Porthaven too.</p>"
    folder = rules(tmp_path / "mine", "harbour.test.txt",
                   "find_string: <noscript>\nreplace_string: <div>\nfind_string: </noscript>\nreplace_string: </div>\n"
                   "replace_string(Porthaven): Port Haven\n")
    ruled = extract(page(story), (folder,))
    assert LEDE in ruled.text and "paragraph 2" in ruled.text and "In Port Haven too." in ruled.text


def test_unknown_directives_are_ignored_with_a_debug_line(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = rules(tmp_path / "mine", "harbour.test.txt",
                 "prune: no\nhttp_header(user-agent): Mozilla\nbody: //div[@id='story']\n"
                 "test_url: https://www.harbour.test/pier\nnot a directive\n") / "harbour.test.txt"
    with caplog.at_level(logging.DEBUG, logger="cleanwire.extraction.siterules"):
        config = read_config(path)
    assert config is not None and [r.where for r in config.body] == ["site/harbour.test.txt:3"]
    assert config.test_urls == ("https://www.harbour.test/pier",)
    ignored = [r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG]
    assert len(ignored) == 3 and "'prune'" in ignored[0] and "'http_header'" in ignored[1]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


# --- which file ----------------------------------------------------------------------------


def test_the_users_folder_overrides_the_shipped_one(tmp_path: Path) -> None:
    shipped = rules(tmp_path / "ftr-site-config", "harbour.test.txt", "title: //title\n")
    mine = rules(tmp_path / "mine", "harbour.test.txt", "title: //h1\n")
    assert extract(page(), (mine, shipped)).title == "The pier will be rebuilt"
    assert extract(page(), (shipped, mine)).title == "Pier to be rebuilt - Harbour News"


def test_files_match_the_host_its_www_its_subdomains_or_the_canonical_urls_host(tmp_path: Path) -> None:
    folder = rules(tmp_path / "mine", "harbour.test.txt", "title: //h1\n")
    rules(folder, ".isles.test.txt", "title: //h1\n")
    assert extract(page(), (folder,), url="https://harbour.test/pier").site_rules == "harbour.test.txt"
    assert extract(page(), (folder,), url="https://www.harbour.test/pier").site_rules == "harbour.test.txt"
    assert extract(page(), (folder,), url="https://news.isles.test/pier").site_rules == ".isles.test.txt"
    assert extract(page(), (folder,), url="https://isles.test/pier").site_rules is None
    mirrored = page(head="<link rel='canonical' href='https://harbour.test/pier'>")
    assert extract(mirrored, (folder,), url="https://mirror.example/copy").site_rules == "harbour.test.txt"


def test_a_file_with_a_bad_xpath_is_skipped_with_one_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    folder = rules(tmp_path / "broken", "harbour.test.txt", "title: //h1\nstrip: //div[@class='rail'\n")
    with caplog.at_level(logging.WARNING):
        first, second = extract(page(), (folder,)), extract(page(), (folder,))
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "harbour.test.txt skipped: line 2 is no XPath" in warnings[0]
    assert first.site_rules is None and first.text == second.text == extract(page(), ()).text


def test_a_missing_folder_stops_the_run_at_start(tmp_path: Path) -> None:
    assert site_rule_folders([str(tmp_path), " "]) == (str(tmp_path),)
    with pytest.raises(JobConfigError, match="no folder"):
        site_rule_folders([str(tmp_path / "nowhere")])


# --- stale rules ---------------------------------------------------------------------------


@pytest.mark.parametrize(("body", "found"), [
    ("//div[@id='article-body']", "nothing"),  # the site renamed its container
    ("//aside[@class='rail']", "0% of the generic path's prose"),  # it now names the teaser rail
])
def test_a_stale_body_falls_back_to_the_generic_path(tmp_path: Path, body: str, found: str) -> None:
    folder = rules(tmp_path / "mine", "harbour.test.txt", f"body: {body}\nauthor: //span[@class='nobody']\n")
    ruled, generic = extract(page(), (folder,)), extract(page(), ())
    assert ruled.site_rules_fell_back and ruled.text == generic.text and LEDE in ruled.text
    assert ruled.sources["body"] == f"generic: site/harbour.test.txt fell back, its rules kept {found}"
    assert ruled.authors == generic.authors  # an author line that finds nothing leaves the page's own


def test_a_stale_strip_that_cuts_the_story_falls_back(tmp_path: Path) -> None:
    folder = rules(tmp_path / "mine", "harbour.test.txt", "strip: //div[@id='story']/p\n")
    ruled = extract(page(), (folder,))
    assert ruled.site_rules_fell_back and LEDE in ruled.text


def test_the_command_line_shows_a_rule_at_work(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = rules(tmp_path / "mine", "harbour.test.txt", "strip: //p[@class='legal']\n")
    story = f"<p>{LEDE}</p>" + para(1) + "<p class='legal'>All rights reserved by the harbour board press office.</p>"
    html = tmp_path / "pier.html"
    html.write_text(page(story), encoding="utf-8")
    assert cli_main(["extract", "--site-rules", str(folder), "--explain", "--url",
                     "https://harbour.test/pier", str(html)]) == 0
    item = json.loads(capsys.readouterr().out)
    assert {"rule": "site/harbour.test.txt:1", "kind": "strip", "stage": "rules",
            "text": "All rights reserved by the harbour board press office."} in item["removed"]


# --- multi-page articles, in a real crawl -----------------------------------------------------


def test_a_crawl_joins_a_two_page_article_fetches_a_single_page_version_and_falls_back(tmp_path: Path) -> None:
    """The user's folder over a shipped one; strip, author, date and replace_string at work in the crawl too."""
    site = tmp_path / "site"
    site.mkdir()
    second = "".join(f"<p>{SENTENCE}This is paragraph {n} of page two.</p>" for n in range(3))
    first = (f"<p>{LEDE}</p>{para(0)}<p class='legal'>All rights reserved by the harbour board press office.</p>"
             f"{para(1)}<p>{SENTENCE} In Porthaven too.</p><span class='credit'>Pictures: Bo Lee</span>")
    (site / "pier.html").write_text(page(first, extra="<a class='next' href='/pier-2.html'>Next page</a>").replace(
        "<span class='stamp'>", "<span class='stamp' data-edition='2025-03-05'>"), encoding="utf-8")
    (site / "pier-2.html").write_text(page(second, extra="<a class='next' href='/pier.html'>Back</a>"), encoding="utf-8")
    whole = "".join(para(n) for n in range(6))
    (site / "ferry.html").write_text(page(f"<p>{LEDE}</p>{para(0)}", extra="<a class='print' href='/ferry-all.html'>All"
                                          "</a>"), encoding="utf-8")
    (site / "ferry-all.html").write_text(page(f"<p>{LEDE}</p>{whole}"), encoding="utf-8")
    (site / "redesign.html").write_text(page().replace("id='story'", "id='story-v2'"), encoding="utf-8")
    folder = rules(tmp_path / "rules", "127.0.0.1.txt",
                   "body: //div[@id='story']\nnext_page_link: //a[@class='next']\n"
                   "single_page_link: //a[@class='print']\nstrip: //p[@class='legal']\n"
                   "author: substring-after(//span[@class='credit'], 'Pictures: ')\n"
                   "date: //span[@class='stamp']/@data-edition\nreplace_string(Porthaven): Port Haven\n")
    # a shipped set after the user's folder: its file for the same host is never read
    shipped = rules(tmp_path / "shipped", "127.0.0.1.txt", "body: //aside\nstrip: //div[@id='story']\n")
    with serve_in_subprocess(site) as server:
        urls = ",".join(f"{server.base_url}/{name}" for name in ("pier.html", "ferry.html", "redesign.html"))
        result = run_crawl("-a", f"url={urls}", "-O", str(tmp_path / "out.jsonl"), "-s",
                           f"CLEANWIRE_SITE_RULES={folder},{shipped}", workdir=tmp_path)
    items = {item["url"].rsplit("/", 1)[1]: item for item in result.items}
    assert sorted(items) == ["ferry.html", "pier.html", "redesign.html"]
    pier = items["pier.html"]["text"]
    assert pier.startswith(LEDE) and "paragraph 1 of the story" in pier and pier.endswith("paragraph 2 of page two.")
    assert pier.count(LEDE) == 1  # the second page's own header and rail are not added
    assert "All rights reserved" not in pier and "In Port Haven too." in pier and TEASER not in pier
    assert (items["pier.html"]["authors"], items["pier.html"]["published"]) == (["Bo Lee"], "2025-03-05")
    assert "paragraph 5 of the story" in items["ferry.html"]["text"]
    assert result.stat("cleanwire/site_rules/pages_joined") == 1
    assert result.stat("cleanwire/site_rules/single_page") == 1
    assert result.stat("cleanwire/site_rules/applied") == 2
    assert result.stat("cleanwire/site_rules/fell_back") == 1  # the redesigned page: its body line is stale
    assert items["redesign.html"]["text"].startswith(LEDE)
