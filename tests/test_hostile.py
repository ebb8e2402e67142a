"""Hostile input in real crawls: each bad page or link is skipped alone, with a reason and a stat."""

from __future__ import annotations

import io
import json
import random
import zipfile
from pathlib import Path

from demo.server import DemoServer

from .conftest import ROOT, read_jsonl, run_crawl

TRUTH = read_jsonl(ROOT / "demo" / "truth.jsonl")
_UNPRINTABLE = {chr(c) for c in (*range(0, 9), *range(11, 32), 0x7F)} | {"\ufffd"}


def crawl(*args: str, workdir: Path):
    out = workdir / "out.jsonl"
    result = run_crawl(*args, "-O", str(out), "-s", "RETRY_TIMES=0", workdir=workdir)
    return result, read_jsonl(out) if out.exists() else []


def test_a_feed_with_links_that_are_no_pages_loses_only_those(copy_server: DemoServer, site_copy: Path,
                                                              tmp_path: Path) -> None:
    good, relative = TRUTH[0], TRUTH[1]
    links = ["javascript:alert(1)", "mailto:desk@news.example", "http://[::1", f"__BASE__{good['path']}",
             relative["path"], "data:text/html,hello"]
    items = "".join(f"<item><title>t{n}</title><link>{link}</link></item>" for n, link in enumerate(links))
    (site_copy / "bad-links.xml").write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>{items}</channel></rss>', encoding="utf-8")
    result, written = crawl("-a", f"feed={copy_server.base_url}/bad-links.xml", workdir=tmp_path)
    assert sorted(i["canonical_url"] for i in written) == sorted(
        t["canonical"].replace("__BASE__", copy_server.base_url) for t in (good, relative))
    assert result.stat("cleanwire/skipped/bad_link") == 4
    assert "Traceback" not in result.stderr


def test_binary_bodies_served_as_html_are_not_articles(copy_server: DemoServer, site_copy: Path,
                                                       tmp_path: Path) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("story.txt", "A story in an archive. " * 400)
    rng = random.Random(7)
    bodies = {
        "zip.html": archive.getvalue(),
        "random.html": bytes(rng.randrange(256) for _ in range(50_000)),
        "pdf.html": (ROOT / "demo" / "assets" / "report.pdf").read_bytes(),
        "png.html": b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(5000)),
    }
    for name, body in bodies.items():
        (site_copy / name).write_bytes(body)
    urls = ",".join(f"{copy_server.base_url}/{name}" for name in bodies)
    result, written = crawl("-a", f"url={urls}", workdir=tmp_path)
    assert written == []
    assert result.stat("cleanwire/skipped/binary_body") == len(bodies)


def test_a_page_of_links_only_is_not_an_article(copy_server: DemoServer, site_copy: Path, tmp_path: Path) -> None:
    links = "".join(f'<a href="/p/{n}.html">link {n}</a> ' for n in range(5000))
    (site_copy / "links.html").write_text(f"<html><body><div>{links}</div></body></html>", encoding="utf-8")
    result, written = crawl("-a", f"url={copy_server.base_url}/links.html", workdir=tmp_path)
    assert written == []
    assert result.stat("cleanwire/skipped/no_article_text") == 1


def test_invalid_bytes_and_control_characters_never_reach_the_output(copy_server: DemoServer, site_copy: Path,
                                                                     tmp_path: Path) -> None:
    truth = next(t for t in TRUTH if t["language"] == "en")
    page = site_copy / truth["path"].lstrip("/")
    html = page.read_bytes()
    first = truth["body"][0].encode("utf-8")
    words = first.split(b" ")
    damaged = b" ".join([words[0] + b"\xff\xfe\x00", *words[1:3], b"\x01\x02\x1b", *words[3:]])
    page.write_bytes(html.replace(first, damaged).replace(b"<title>", b"<title>\x00\x07"))
    _, written = crawl("-a", f"url={copy_server.base_url}{truth['path']}", workdir=tmp_path)
    [item] = written
    for field in ("text", "title", "site_name"):
        assert not _UNPRINTABLE & set(item[field] or ""), (field, item[field])
    assert not _UNPRINTABLE & set("".join(item["authors"]))
    assert truth["body"][1] in item["text"].split("\n\n")
    assert json.loads(json.dumps(item, ensure_ascii=False)) == item
