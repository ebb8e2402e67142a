"""Extraction in worker processes: the same items, faults cost one page, nothing left running."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

from cleanwire.extraction import ExtractionOptions, extract_article
from cleanwire.pipelines.workers import ExtractorPool
from demo.server import DemoServer

from .conftest import ROOT, STRICT_PYTHON, read_jsonl, run_crawl

TRUTH = read_jsonl(ROOT / "demo" / "truth.jsonl")
_PARAGRAPH = "<p>" + " ".join(["The council met on Tuesday to discuss the harbour plan and its costs."] * 4) + "</p>\n"


def slow_page(site: Path, name: str, paragraphs: int) -> str:
    """A page that takes its worker seconds to extract; its path on the server."""
    body = f"<html><head><title>Slow</title></head><body><article><h1>Slow</h1>{_PARAGRAPH * paragraphs}</article></body></html>"
    (site / name).write_text(body, encoding="utf-8")
    return f"/{name}"


def worker_processes(parent: int | None = None) -> set[int]:
    """Live processes started by multiprocessing's spawn (our extraction workers); with ``parent``,
    only its children: other crawls on a shared machine have workers too, and must not be killed."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
                if b"spawn_main" in cmdline and (parent is None or
                                                 f"\nPPid:\t{parent}\n" in (entry / "status").read_text()):
                    found.add(int(entry.name))
            except OSError:
                continue
    return found


ORDER_DEPENDENT = ("fetched_at", "duplicate_of", "duplicate_similarity")
"""Which of two copies is "the earliest emitted" follows download and extraction order."""


BUSY_CPU_SECONDS = 4.0
"""CPU a worker has spent once it is well into the slow page (some 10 s of CPU): its warm-up and
the demo pages take less than 2 s. CPU, not wall time: on a loaded machine a worker's age says
little about which page it holds."""


def cpu_seconds(pid: int) -> float:
    """CPU seconds the process has used."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def comparable(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(({k: v for k, v in item.items() if k not in ORDER_DEPENDENT} for item in items),
                  key=lambda i: i["url"])


def copy_pairs(items: list[dict[str, Any]]) -> set[frozenset[str]]:
    return {frozenset((item["canonical_url"], item["duplicate_of"])) for item in items if item["duplicate_of"]}


def test_items_are_the_same_with_and_without_the_pool(demo_server: DemoServer, tmp_path: Path) -> None:
    outputs, pairs = {}, {}
    for workers in (0, 2):
        out = tmp_path / f"w{workers}.jsonl"
        run_crawl("-a", f"feed={demo_server.base_url}/feed.xml", "-O", str(out),
                  "-s", f"CLEANWIRE_EXTRACT_WORKERS={workers}", workdir=tmp_path)
        outputs[workers], pairs[workers] = comparable(read_jsonl(out)), copy_pairs(read_jsonl(out))
    assert len(outputs[0]) == len(TRUTH)
    assert outputs[0] == outputs[2]
    assert pairs[0] == pairs[2] and len(pairs[0]) == sum(1 for t in TRUTH if t["duplicate_of"])


def test_a_page_that_overruns_is_skipped_on_time(copy_server: DemoServer, site_copy: Path, tmp_path: Path) -> None:
    slow = slow_page(site_copy, "slow.html", 40000)
    urls = ",".join([copy_server.base_url + slow, *(copy_server.base_url + t["path"] for t in TRUTH[:4])])
    started = time.monotonic()
    out = tmp_path / "out.jsonl"
    result = run_crawl("-a", f"url={urls}", "-O", str(out), "-s", "CLEANWIRE_EXTRACT_WORKERS=2",
                       "-s", "CLEANWIRE_EXTRACT_TIMEOUT=2", workdir=tmp_path)
    assert result.stat("cleanwire/skipped/extraction_timeout") == 1
    assert len(read_jsonl(out)) == 4  # the others, through the replaced worker too
    assert time.monotonic() - started < 60


def test_a_worker_killed_mid_page_costs_only_its_page(copy_server: DemoServer, site_copy: Path,
                                                      tmp_path: Path) -> None:
    slow = slow_page(site_copy, "slow.html", 40000)  # ten seconds and more of extraction
    out, stats = tmp_path / "out.jsonl", tmp_path / "stats.json"
    others = [copy_server.base_url + t["path"] for t in TRUTH[:6]]
    command = [*STRICT_PYTHON, "scrapy", "crawl", "news", "-a",
               f"url={','.join([copy_server.base_url + slow, *others])}", "-O", str(out),
               "-s", "CLEANWIRE_EXTRACT_WORKERS=1", "-s", f"CLEANWIRE_STATS_FILE={stats}"]
    crawl = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        # mid-page: the slow page is fetched and the worker is deep into it
        while not (copy_server.stats()["by_path"].get(slow, 0) and max(map(cpu_seconds, worker_processes(crawl.pid)),
                                                                        default=0) > BUSY_CPU_SECONDS):
            assert time.monotonic() < deadline and crawl.poll() is None, "the slow page was never fetched"
            time.sleep(0.05)
        victims = worker_processes(crawl.pid)
        assert victims, "no extraction worker was running"
        for pid in victims:
            os.kill(pid, signal.SIGKILL)
        _, stderr = crawl.communicate(timeout=120)
    finally:
        crawl.kill()
    assert crawl.returncode == 0, stderr[-3000:]
    counted = json.loads(stats.read_text())
    assert counted.get("cleanwire/skipped/extraction_crashed", 0) >= 1
    assert {item["url"] for item in read_jsonl(out)} == set(others)  # queued pages wait for the new worker
    assert "Traceback" not in stderr


def test_a_lone_page_starts_no_worker(demo_server: DemoServer, tmp_path: Path) -> None:
    """A one-URL run extracts its page in the crawl's process: the same item, no spawn to wait for."""
    items = {}
    for workers in (0, 2):
        out = tmp_path / f"w{workers}.jsonl"
        result = run_crawl("-a", f"url={demo_server.base_url}{TRUTH[0]['path']}", "-O", str(out),
                           "-s", f"CLEANWIRE_EXTRACT_WORKERS={workers}", workdir=tmp_path)
        items[workers] = comparable(read_jsonl(out))
        assert result.stat("cleanwire/extraction/lone_page_inline") == (1 if workers else 0)
    assert len(items[2]) == 1 and items[0] == items[2]


def test_no_worker_is_left_after_a_crawl(demo_server: DemoServer, tmp_path: Path) -> None:
    before = worker_processes()
    urls = ",".join(demo_server.base_url + t["path"] for t in TRUTH[:4])  # more than one page: workers start
    result = run_crawl("-a", f"url={urls}", "-O", str(tmp_path / "o.jsonl"),
                       "-s", "CLEANWIRE_EXTRACT_WORKERS=2", workdir=tmp_path)
    assert result.stat("cleanwire/extraction/lone_page_inline") == 0
    deadline = time.monotonic() + 10  # the workers exit with the crawl; a loaded machine reaps them late
    while worker_processes() - before and time.monotonic() < deadline:
        time.sleep(0.2)
    assert worker_processes() - before == set()


def test_pages_queued_in_a_pool_that_stops_are_extracted_in_a_new_one() -> None:
    """pebble fails the pages its workers hold when its pool breaks, not the ones still queued:
    those are noticed and tried again in a new pool instead of waiting forever."""
    pages = [(f"<html><body><article><h1>Page {n}</h1>{_PARAGRAPH * 3}<p>Page number {n}.</p></article></body></html>"
              .encode(), f"https://news.example.test/{n}") for n in range(6)]
    options = ExtractionOptions()

    async def extract_all(pool: ExtractorPool) -> list[str]:
        waiting = [asyncio.ensure_future(pool.extract(body, url, options)) for body, url in pages]
        await asyncio.sleep(0.2)  # all six scheduled: one in the worker (or starting it), five queued
        pool._pool.stop()  # the pool dies with pages in it, as when its workers are killed
        return [extraction.text for extraction in await asyncio.wait_for(asyncio.gather(*waiting), 60)]

    pool = ExtractorPool(workers=1, timeout=30)
    try:
        texts = asyncio.run(extract_all(pool))
    finally:
        pool.close()
    assert texts == [extract_article(body, url, options).text for body, url in pages]
    assert not worker_processes(os.getpid())
