"""Throughput: the real crawl over every distinct shared page, beside raw trafilatura on the same pages.

    .venv/bin/python -m bench.throughput [--workers N] [--requests 10000] [--one-url-runs 5]

All pages of ../shared/benchmarks (scrapinghub, wcxb_dev, wcxb_dev_other; 1,539 distinct
pages, copies removed) are written under a temporary site and served by ``demo.server`` in its
own process on 127.0.0.1. ``scrapy crawl news -a urls_file=...`` crawls them once; then raw
``trafilatura.extract`` and our ``extract_article`` run over the same pages in this process,
one after the other, for the per-page CPU (ours as a worker runs it: with the crawl's default
options, fingerprints included, after the worker's warm-up). A second crawl of ``--requests`` URLs (the pages
again under new query strings: copies are fine for memory) samples the crawl's RSS every
second against the number of articles written. Run it on an otherwise idle machine: the
crawl's pages/s and raw trafilatura's are both wall-clock figures. Workers are found by their command line
(multiprocessing's ``spawn_main``) and sampled from /proc for CPU and peak RSS. The one-URL figure
is the wall time of ``scrapy crawl news -a url=`` on one page of the set beyond that of
``python -c "import scrapy, trafilatura"``, medians of alternating runs.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import trafilatura

from cleanwire.extraction import ExtractionOptions, extract_article, fingerprint, language
from demo.server import serve_in_subprocess

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "benchmarks"
DATASETS = ("scrapinghub", "wcxb_dev", "wcxb_dev_other")
CLOCK = os.sysconf("SC_CLK_TCK")


def distinct_pages() -> dict[str, bytes]:
    pages: dict[str, bytes] = {}
    seen: set[str] = set()
    for name in DATASETS:
        for path in sorted((SHARED / name / "pages").iterdir()):
            body = gzip.decompress(path.read_bytes()) if path.name.endswith(".gz") else path.read_bytes()
            digest = hashlib.sha256(body).hexdigest()
            if digest not in seen:
                seen.add(digest)
                pages[f"{name}-{path.name.split('.')[0]}"] = body
    return pages


def _proc(pid: int) -> tuple[float, int, int] | None:
    """CPU seconds, RSS and peak RSS (kB) of a live process."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    kb = {line.split(":")[0]: int(line.split()[1]) for line in status.splitlines() if line.startswith(("VmRSS", "VmHWM"))}
    return (int(fields[11]) + int(fields[12])) / CLOCK, kb.get("VmRSS", 0), kb.get("VmHWM", 0)


def _workers(crawl_pid: int) -> list[int]:
    """The crawl's worker processes: its children that multiprocessing spawned (other crawls on
    a shared machine have workers too)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if b"spawn_main" in (entry / "cmdline").read_bytes() and \
                        f"\nPPid:\t{crawl_pid}\n" in (entry / "status").read_text():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@dataclass
class CrawlRun:
    wall_s: float
    pages_per_s: float
    items: int
    crawl_peak_mb: float
    crawl_cpu_s: float
    workers_cpu_s: float
    workers: int
    worker_peak_mb: float
    trend: list[tuple[int, int, int]]
    """(requests served, articles written, crawl RSS in kB), one sample a second."""


def _count(served: Callable[[], int] | None) -> int:
    """Requests the server has answered so far (-1 when it does not say in time)."""
    try:
        return served() if served else 0
    except OSError:
        return -1


def crawl(urls: list[str], workdir: Path, workers: int | None, served: Callable[[], int] | None = None) -> CrawlRun:
    """One real crawl, sampled every second: wall time, CPU and peak RSS of crawl and workers."""
    urls_file, out = workdir / "urls.txt", workdir / "out.jsonl"
    urls_file.write_text("\n".join(urls) + "\n", encoding="utf-8")
    command = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"urls_file={urls_file}", "-O", str(out),
               "-s", "LOG_LEVEL=WARNING", "-s", "CLEANWIRE_SUMMARY_ENABLED=0"]
    if workers is not None:
        command += ["-s", f"CLEANWIRE_EXTRACT_WORKERS={workers}"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    served_before = _count(served)  # the server also answered the crawls before this one
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker_cpu: dict[int, float] = {}
    worker_peak: dict[int, int] = {}
    crawl_peak, trend = 0, []
    part = out.with_name(out.name + ".part")
    while process.poll() is None:
        sample = _proc(process.pid)
        if sample is not None:
            crawl_peak = max(crawl_peak, sample[2])
            written = sum(1 for _ in part.open("rb")) if part.exists() else 0
            trend.append((_count(served) - served_before, written, sample[1]))
        for pid in _workers(process.pid):
            seen = _proc(pid)
            if seen is not None:
                worker_cpu[pid], worker_peak[pid] = seen[0], max(worker_peak.get(pid, 0), seen[2])
        time.sleep(1.0)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the crawl and the workers it reaped
    total_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    items = sum(1 for _ in out.open("rb")) if out.exists() else 0
    workers_cpu = sum(worker_cpu.values())
    return CrawlRun(wall, len(urls) / wall, items, crawl_peak / 1024, total_cpu - workers_cpu, workers_cpu,
                    len(worker_cpu), max(worker_peak.values(), default=0) / 1024, trend)


def one_url_seconds(url: str, workdir: Path, runs: int, workers: int | None) -> tuple[float, float, float]:
    """Median wall seconds of a one-URL crawl, of importing scrapy and trafilatura, and their difference."""
    crawls: list[float] = []
    imports: list[float] = []
    command = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"url={url}", "-O", str(workdir / "one.jsonl"),
               "-s", "LOG_LEVEL=WARNING", "-s", "CLEANWIRE_SUMMARY_ENABLED=0"]
    if workers is not None:
        command += ["-s", f"CLEANWIRE_EXTRACT_WORKERS={workers}"]
    for _ in range(runs):
        for timings, argv in ((imports, [sys.executable, "-c", "import scrapy, trafilatura"]), (crawls, command)):
            started = time.perf_counter()
            subprocess.run(argv, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            timings.append(time.perf_counter() - started)
    crawl_s, import_s = statistics.median(crawls), statistics.median(imports)
    return crawl_s, import_s, crawl_s - import_s


def per_page(extract: object, pages: list[tuple[str, bytes]]) -> tuple[float, float]:
    """Wall and CPU milliseconds per page of one extractor, one page after another in this process."""
    assert callable(extract)
    wall, cpu = time.perf_counter(), time.process_time()
    for url, body in pages:
        try:
            extract(body, url)
        except Exception as error:  # a page an extractor fails on costs what it cost
            print(f"{url}: {error!r}", file=sys.stderr)
    return (time.perf_counter() - wall) * 1000 / len(pages), (time.process_time() - cpu) * 1000 / len(pages)


def _raw(body: bytes, url: str) -> object:
    return trafilatura.extract(body, url=url)


CRAWL_OPTIONS = ExtractionOptions(fingerprint=True)
"""What the crawl's workers run with by default (``CLEANWIRE_SYNDICATION_ENABLED``)."""


def _ours(body: bytes, url: str) -> object:
    return extract_article(body, url, CRAWL_OPTIONS)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, help="CLEANWIRE_EXTRACT_WORKERS (default: the setting's default)")
    parser.add_argument("--requests", type=int, default=10_000, help="requests of the memory-trend crawl (0: skip)")
    parser.add_argument("--one-url-runs", type=int, default=5, help="one-URL crawls timed (0: skip)")
    args = parser.parse_args(argv)
    pages = distinct_pages()
    with tempfile.TemporaryDirectory(prefix="cleanwire-throughput-") as tmp:
        site = Path(tmp) / "site"
        (site / "p").mkdir(parents=True)
        for page_id, body in pages.items():
            (site / "p" / f"{page_id}.html").write_bytes(body)
        with serve_in_subprocess(site) as server:
            urls = [f"{server.base_url}/p/{page_id}.html" for page_id in pages]
            one_url = one_url_seconds(urls[0], Path(tmp), args.one_url_runs, args.workers) if args.one_url_runs else None
            run = crawl(urls, Path(tmp), args.workers)
            local = [(url, pages[url.rsplit("/", 1)[1][:-5]]) for url in urls]
            raw_wall_ms, raw_ms = per_page(_raw, local)
            fingerprint.warm_up()  # what each worker does before its first page
            language.warm_up()
            _, ours_ms = per_page(_ours, local)
            trend_run = None
            if args.requests:
                copies = [f"{url}?copy={n}" for n in range(args.requests // len(urls) + 1) for url in urls]
                trend_run = crawl(copies[:args.requests], Path(tmp), args.workers,
                                  served=lambda: int(server.stats()["requests"]))
    raw_pages_per_s = 1000 / raw_wall_ms
    print(f"\n### throughput: {len(pages)} distinct pages, {os.cpu_count()} cores\n")
    print("| what | value |\n|---|---|")
    rows = [
        ("crawl wall time", f"{run.wall_s:.1f} s ({run.items} articles written)"),
        ("end-to-end pages/s", f"{run.pages_per_s:.1f}"),
        ("raw trafilatura.extract pages/s (one process)", f"{raw_pages_per_s:.1f}"),
        ("ratio end-to-end / raw", f"{run.pages_per_s / raw_pages_per_s:.2f}x"),
        ("extraction CPU per page: cleanwire / trafilatura", f"{ours_ms:.1f} ms / {raw_ms:.1f} ms = {ours_ms / raw_ms:.2f}x"),
        ("CPU: crawl process / workers", f"{run.crawl_cpu_s:.1f} s / {run.workers_cpu_s:.1f} s ({run.workers} workers)"),
        ("peak RSS: crawl process / largest worker", f"{run.crawl_peak_mb:.0f} MB / {run.worker_peak_mb:.0f} MB"),
    ]
    if one_url is not None:
        rows.append(("one-URL run beyond importing scrapy and trafilatura",
                     f"+{one_url[2]:.2f} s ({one_url[0]:.2f} s against {one_url[1]:.2f} s, medians of {args.one_url_runs})"))
    for what, value in rows:
        print(f"| {what} | {value} |")
    if trend_run is not None:
        print(f"\nRSS of the crawl process by requests served ({args.requests} requests, "
              f"{trend_run.pages_per_s:.1f} pages/s, 1 s samples; copies of a page already written are not written again):\n")
        print("| requests served | articles written | RSS MB |\n|---|---|---|")
        trend = trend_run.trend
        marks = sorted({min(range(len(trend)), key=lambda i: abs(trend[i][0] - goal))
                        for goal in (500, 1000, 2000, 4000, 6000, 8000, 10_000)})
        for i in marks:
            print(f"| {trend[i][0]} | {trend[i][1]} | {trend[i][2] / 1024:.0f} |")


if __name__ == "__main__":
    main()
