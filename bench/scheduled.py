"""Scheduled-run benchmark: the demo jobs run twice against the demo site; the second run has
nothing new. Prints wall time, HTTP requests the server saw, and articles written per run.

    .venv/bin/python -m bench.scheduled
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from demo.server import serve_in_subprocess

ROOT = Path(__file__).resolve().parent.parent
JOBS = {
    "feed": ["feed=BASE/feed.xml"],
    "sitemap": ["sitemap=BASE/sitemap.xml"],
    "site": ["site=BASE/"],
}


def crawl(sources: list[str], base: str, workdir: Path) -> tuple[float, int]:
    """One run; returns (seconds, articles written)."""
    args = [arg for source in sources for arg in ("-a", source.replace("BASE", base))]
    stats = workdir / "stats.json"
    command = [sys.executable, "-m", "scrapy", "crawl", "news", *args, "-a", f"state={workdir / 'state.sqlite'}",
               "-a", f"output={workdir / 'out'}", "-s", "LOG_LEVEL=ERROR", "-s", "CLEANWIRE_SUMMARY_ENABLED=0",
               "-s", f"CLEANWIRE_STATS_FILE={stats}"]
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True)
    elapsed = time.perf_counter() - started
    return elapsed, json.loads(stats.read_text()).get("item_scraped_count", 0)


def main() -> None:
    print("| job | run | seconds | requests | articles written |")
    print("|---|---|---|---|---|")
    for job, sources in JOBS.items():
        with serve_in_subprocess() as server, tempfile.TemporaryDirectory() as tmp:
            for run in ("first", "second (nothing new)"):
                before = server.stats()["requests"]
                seconds, articles = crawl(sources, server.base_url, Path(tmp))
                requests = server.stats()["requests"] - before
                print(f"| {job} | {run} | {seconds:.2f} | {requests} | {articles} |", flush=True)


if __name__ == "__main__":
    main()
