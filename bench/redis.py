"""Distributed crawl: pages/s with 1 and with 2 workers sharing one Redis, on the same local site, in one run.

    .venv/bin/python -m bench.redis [--pages 400]

The first ``--pages`` distinct shared benchmark pages (see ``bench.throughput``) are served by
``demo.server`` on 127.0.0.1; a redis-server (AOF, fsync always) runs on a free port. For each
set-up the store is emptied, the pages are seeded (``scrapy seed -a urls_file=...``) and the
workers are started together; pages/s counts from their start to the last article line
written (a drained worker then waits ``CLEANWIRE_REDIS_IDLE_SECONDS`` before it exits: that
tail is shown apart). Politeness is off (a local server): no AutoThrottle, 16 requests at a
time per worker. Two set-ups: extraction in each worker's process pool (the default, one
process per core), and inline (``CLEANWIRE_EXTRACT_WORKERS=0``, one core per worker).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.throughput import distinct_pages
from demo.server import serve_in_subprocess
from tests.test_redis import RedisServer

ROOT = Path(__file__).resolve().parent.parent
FAST = ["-s", "AUTOTHROTTLE_ENABLED=0", "-s", "CONCURRENT_REQUESTS=16", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
        "-s", "LOG_LEVEL=WARNING", "-s", "CLEANWIRE_SUMMARY_ENABLED=0", "-s", "CLEANWIRE_REDIS_IDLE_SECONDS=2"]


def lines(paths: list[Path]) -> int:
    total = 0
    for path in paths:
        try:
            with path.open("rb") as file:
                total += sum(1 for _ in file)
        except OSError:  # renamed between listing and reading: counted on the next sample
            continue
    return total


def run(redis: RedisServer, urls_file: Path, workdir: Path, workers: int, extra: list[str]) -> tuple[float, float, int]:
    """(seconds to the last article, seconds to the last worker's exit, articles) of one set-up."""
    with redis.client() as client:
        client.flushall()
    env = {**os.environ, "CLEANWIRE_REDIS_URL": redis.url}
    subprocess.run([sys.executable, "-m", "scrapy", "seed", "-a", f"urls_file={urls_file}"], cwd=ROOT, env=env,
                   check=True, capture_output=True, timeout=60)
    out = workdir / f"out-{workers}-{len(extra)}"
    started = time.perf_counter()
    processes = [subprocess.Popen([sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"output={out / str(n)}",
                                   *FAST, *extra], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for n in range(workers)]
    written, last = 0, started
    while any(p.poll() is None for p in processes):
        now = lines(sorted(out.rglob("*.jsonl*")))
        if now > written:
            written, last = now, time.perf_counter()
        time.sleep(0.2)
    ended = time.perf_counter()
    final = lines(sorted(out.rglob("*.jsonl")))
    if final > written:  # the last lines landed between two samples
        last = ended
    return last - started, ended - started, final


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=400, help="distinct pages to crawl (default 400)")
    args = parser.parse_args(argv)
    pages = dict(list(distinct_pages().items())[:args.pages])
    rows = []
    with tempfile.TemporaryDirectory(prefix="cleanwire-redis-bench-") as tmp:
        site = Path(tmp) / "site"
        (site / "p").mkdir(parents=True)
        for page_id, body in pages.items():
            (site / "p" / f"{page_id}.html").write_bytes(body)
        redis = RedisServer(Path(tmp) / "redis")
        redis.start()
        try:
            with serve_in_subprocess(site) as server:
                urls_file = Path(tmp) / "urls.txt"
                urls_file.write_text("".join(f"{server.base_url}/p/{page_id}.html\n" for page_id in pages))
                for label, extra in (("pool (default)", []), ("inline", ["-s", "CLEANWIRE_EXTRACT_WORKERS=0"])):
                    for workers in (1, 2):
                        to_last, to_exit, articles = run(redis, urls_file, Path(tmp), workers, extra)
                        rows.append((label, workers, len(pages) / to_last, to_last, to_exit, articles))
        finally:
            redis.stop()
    print(f"\n### distributed crawl: {len(pages)} pages, one Redis, {os.cpu_count()} cores\n")
    print("| extraction | workers | pages/s | s to last article | s to exit | articles |\n|---|---|---|---|---|---|")
    for label, workers, rate, to_last, to_exit, articles in rows:
        print(f"| {label} | {workers} | {rate:.1f} | {to_last:.1f} | {to_exit:.1f} | {articles} |")


if __name__ == "__main__":
    main()
