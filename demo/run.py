"""``make run``: the scheduled job cleanwire exists for, on the bundled demo news site.

Serves the demo site on 127.0.0.1 and runs ``scrapy crawl news -a site=... -a state=...
-a output=output``: the first run writes every article to ``output/news-<time>.jsonl``; a
run right after it finds nothing new, writes no file and says so. ``make clean`` forgets the
state. The site is served on a fixed port (``CLEANWIRE_DEMO_PORT``, default 8765) because the
state is keyed by URL: on another port every article would be new again.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from demo.server import serve_in_subprocess

ROOT = Path(__file__).resolve().parent.parent
STATE = ROOT / ".state" / "demo.sqlite"
DEFAULT_PORT = 8765


def _free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def main() -> int:
    port = int(os.environ.get("CLEANWIRE_DEMO_PORT", DEFAULT_PORT))
    if not _free(port):
        print(f"port {port} is taken: serving on a free port, so every article counts as new "
              "(set CLEANWIRE_DEMO_PORT)", flush=True)
        port = 0
    with serve_in_subprocess(port=port) as server:
        print(f"demo news site: {server.base_url}/   state: {STATE.relative_to(ROOT)}", flush=True)
        command = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"site={server.base_url}/",
                   "-a", f"state={STATE}", "-a", "output=output", "-s", "LOG_LEVEL=WARNING"]
        return subprocess.call(command, cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main())
