"""``make run``: serve the bundled demo news site on 127.0.0.1, crawl it, write output/*.jsonl.

The crawl is an ordinary ``scrapy crawl news -a site=...`` run; its summary (pages fetched,
articles written, pages skipped and why, the output file) is printed when it ends.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from demo.server import serve_in_subprocess

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    with serve_in_subprocess() as server:
        print(f"demo news site: {server.base_url}/", flush=True)
        command = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"site={server.base_url}/",
                   "-a", "output=output", "-s", "LOG_LEVEL=WARNING"]
        return subprocess.call(command, cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main())
