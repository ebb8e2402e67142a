"""Offline HTTP server for the demo site; writes its own address over the __BASE__ placeholder.

CLI: python -m demo.server [--port N] [--root DIR] [--port-file FILE] [--verbose]
Tests: `with serve_in_subprocess() as server: ... server.base_url ... server.stats()`.
"""

from __future__ import annotations

import argparse
import email.utils
import gzip
import hashlib
import json
import os
import posixpath
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from typing import Any

SITE = Path(__file__).with_name("site")
REPO = Path(__file__).resolve().parent.parent
PLACEHOLDER = b"__BASE__"
SUBSTITUTED = {".html", ".xml", ".txt"}
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".gz": "application/x-gzip",
    ".pdf": "application/pdf",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}
FEED_TYPES = {"feed.xml": "application/rss+xml", "atom.xml": "application/atom+xml"}
NOT_FOUND = b"<!DOCTYPE html>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"


class RequestStats:
    """Thread-safe count of requests per request target (path plus query)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_path: Counter[str] = Counter()

    def count(self, target: str) -> None:
        """Record one request."""
        with self._lock:
            self._by_path[target] += 1

    def snapshot(self) -> dict[str, Any]:
        """Totals as served by GET /_stats."""
        with self._lock:
            return {"requests": sum(self._by_path.values()), "by_path": dict(sorted(self._by_path.items()))}


class DemoHTTPServer(ThreadingHTTPServer):
    """Threaded server bound to 127.0.0.1 that knows its site root and request stats."""

    daemon_threads = True

    def __init__(self, port: int, root: Path, verbose: bool = False) -> None:
        super().__init__(("127.0.0.1", port), DemoHandler)
        self.root = root.resolve()
        self.verbose = verbose
        self.stats = RequestStats()
        self.base_url = f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet about clients that hang up, unless verbose."""
        if self.verbose or not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class DemoHandler(BaseHTTPRequestHandler):
    """GET/HEAD of static files with placeholder substitution and conditional requests."""

    server: DemoHTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "cleanwire-demo/1.0"

    def do_GET(self) -> None:
        """Serve a file, a directory index or /_stats."""
        self._respond(head=False)

    def do_HEAD(self) -> None:
        """Like GET, without the body."""
        self._respond(head=True)

    def log_message(self, format: str, *args: Any) -> None:
        """Log requests only with --verbose."""
        if self.server.verbose:
            super().log_message(format, *args)

    def _respond(self, head: bool) -> None:
        url_path = urllib.parse.urlsplit(self.path).path
        if url_path == "/_stats":
            body = json.dumps(self.server.stats.snapshot()).encode()
            self._send(HTTPStatus.OK, "application/json", body, head)
            return
        self.server.stats.count(self.path)
        file = self._resolve(url_path)
        if file is not None and file.is_dir():
            if not url_path.endswith("/"):
                self._send(HTTPStatus.MOVED_PERMANENTLY, "text/plain", b"", head, {"Location": url_path + "/"})
                return
            file = file / "index.html"
        if file is None or not file.is_file():
            self._send(HTTPStatus.NOT_FOUND, CONTENT_TYPES[".html"], NOT_FOUND, head)
            return
        mtime = file.stat().st_mtime
        body = self._load(file)
        headers = {
            "ETag": f'"{hashlib.sha256(body).hexdigest()}"',
            "Last-Modified": email.utils.formatdate(mtime, usegmt=True),
        }
        if self._not_modified(headers["ETag"], mtime):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            return
        content_type = FEED_TYPES.get(file.name) or CONTENT_TYPES.get(file.suffix, "application/octet-stream")
        self._send(HTTPStatus.OK, content_type, body, head, headers)

    def _resolve(self, url_path: str) -> Path | None:
        """Map a URL path to a file under the root, or None if it escapes the root."""
        relative = posixpath.normpath(urllib.parse.unquote(url_path)).lstrip("/")
        candidate = (self.server.root / relative).resolve()
        root = self.server.root
        return candidate if candidate == root or root in candidate.parents else None

    def _load(self, file: Path) -> bytes:
        """File bytes with __BASE__ replaced (inside the gzip for .xml.gz)."""
        data = file.read_bytes()
        base = self.server.base_url.encode()
        if file.name.endswith(".xml.gz"):
            return gzip.compress(gzip.decompress(data).replace(PLACEHOLDER, base), mtime=0)
        return data.replace(PLACEHOLDER, base) if file.suffix in SUBSTITUTED else data

    def _not_modified(self, etag: str, mtime: float) -> bool:
        """Evaluate If-None-Match, else If-Modified-Since."""
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return "*" in tags or etag in tags
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since is None:
            return False
        try:
            since = email.utils.parsedate_to_datetime(if_modified_since).timestamp()
        except (TypeError, ValueError):
            return False
        return int(mtime) <= since

    def _send(
        self, status: HTTPStatus, content_type: str, body: bytes, head: bool, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)


def write_atomically(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so readers never see a partial file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def _stop(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def main(argv: list[str] | None = None) -> None:
    """Serve until SIGTERM or SIGINT."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0 = any free port)")
    parser.add_argument("--root", type=Path, default=SITE, help="directory to serve (default: demo/site)")
    parser.add_argument("--port-file", type=Path, help="write the base URL to this file once listening")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args(argv)
    if not args.root.is_dir():
        parser.error(f"not a directory: {args.root}")
    server = DemoHTTPServer(args.port, args.root, args.verbose)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, _stop)
    if args.port_file:
        write_atomically(args.port_file, server.base_url)
    print(server.base_url, flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


class DemoServer:
    """Context manager running `python -m demo.server` in a subprocess (port 0: a free one)."""

    def __init__(self, root: Path | None = None, port: int = 0) -> None:
        self.root = (root or SITE).resolve()
        self.port = port
        self.base_url = ""
        self._process: subprocess.Popen[bytes] | None = None
        self._tmp: tempfile.TemporaryDirectory[str] | None = None

    def __enter__(self) -> DemoServer:
        self._tmp = tempfile.TemporaryDirectory(prefix="cleanwire-demo-")
        port_file = Path(self._tmp.name) / "base_url"
        command = [sys.executable, "-m", "demo.server", "--port", str(self.port), "--root", str(self.root)]
        self._process = subprocess.Popen([*command, "--port-file", str(port_file)], cwd=REPO, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not port_file.exists():
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.__exit__()
                raise RuntimeError(f"demo server did not start (root {self.root})")
            time.sleep(0.05)
        self.base_url = port_file.read_text(encoding="utf-8").strip()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def stats(self) -> dict[str, Any]:
        """Request counts so far: {"requests": N, "by_path": {target: n}}."""
        with urllib.request.urlopen(self.base_url + "/_stats", timeout=5) as response:
            return json.load(response)


def serve_in_subprocess(root: Path | None = None, port: int = 0) -> DemoServer:
    """A DemoServer for `with serve_in_subprocess() as server:` (root defaults to demo/site)."""
    return DemoServer(root, port)


if __name__ == "__main__":
    main()
