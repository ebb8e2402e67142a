"""A hostile web server on 127.0.0.1 for the fault matrix (``tests/test_faults.py``).

Every fault is made on the fly (nothing big is committed): broken HTTP, lying and broken bodies,
bombs, huge pages, mislabelled charsets, broken and malicious feeds and sitemaps.

    python tests/faultserver.py PORT_FILE SECRET_FILE

writes its port to PORT_FILE once it listens; SECRET_FILE is the local file that the
external-entity feeds point at (its contents must never reach the crawl).
"""

from __future__ import annotations

import gzip
import io
import json
import random
import socket
import struct
import sys
import time
import zipfile
import zlib
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

SLOW_SECONDS = 8
"""Longer than the DOWNLOAD_TIMEOUT the tests give the crawl."""
MB = 1_000_000


def article(n: int | str, title: str | None = None) -> str:
    """A plain article page, unique per ``n``, as the fault pages wrap or imitate it."""
    para = (f"Report {n}: the city council met on Tuesday to discuss the new budget for its schools, "
            "and the members agreed to hold a public hearing before the vote next month. ")
    body = "".join(f"<p>{para * 2}Paragraph {k} of report {n} ends here.</p>" for k in range(5))
    return (f"<!DOCTYPE html><html><head><title>{title or f'Report {n}'}</title></head>"
            f"<body><article><h1>{title or f'Report {n}'}</h1>{body}</article></body></html>")


LEGACY = ("Le café «noir» coûte cher à Zürich – déjà “trop”, disent les élèves. ", "cp1252")
SJIS = ("東京都の新しい予算案が発表されました。市民の生活に大きな影響があると専門家は指摘しています。", "shift_jis")
GB = ("北京市政府今天公布了新的预算方案，专家指出这将对市民生活产生很大影响。", "gb18030")


def legacy_page(sentence: str, title: str) -> str:
    """An article in a script of ``sentence``, with no charset declared anywhere."""
    body = "".join(f"<p>{n}. {sentence * 3}</p>" for n in range(6))
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>"


def _zip() -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("story.txt", "A story in an archive. " * 400)
    return archive.getvalue()


def _gzip_stream(chunk: bytes, total: int) -> bytes:
    """``total`` bytes of ``chunk`` repeated, gzipped without building them in memory."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [packer.compress(chunk) for _ in range(total // len(chunk))]
    return b"".join([*parts, packer.flush()])


def _rss(items: str, extra: str = "") -> bytes:
    return (f'<?xml version="1.0"?>{extra}<rss version="2.0"><channel><title>faults</title>'
            f"<link>http://example.test/</link>{items}</channel></rss>").encode()


def _item(link: str, date: str | None = None) -> str:
    return f"<item><title>t</title><link>{link}</link>{f'<pubDate>{date}</pubDate>' if date else ''}</item>"


def _urlset(locs: list[str]) -> bytes:
    urls = "".join(f"<url><loc>{loc}</loc></url>" for loc in locs)
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode()


def _index(locs: list[str]) -> bytes:
    maps = "".join(f"<sitemap><loc>{loc}</loc></sitemap>" for loc in locs)
    return (f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{maps}'
            "</sitemapindex>").encode()


def _news_sitemap(base: str) -> bytes:
    """A Google News sitemap stating a date in the future, one that is no date, and a good one."""
    dates = {"news-1": "2524-01-01T10:00:00Z", "news-2": "last Tuesday", "news-3": "2025-12-02T10:00:00+00:00"}
    urls = "".join(f"<url><loc>{base}/ok/{name}.html</loc><news:news><news:publication_date>{date}"
                   "</news:publication_date></news:news></url>" for name, date in dates.items())
    return ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>').encode()


class FaultServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, secret: Path) -> None:
        super().__init__(("127.0.0.1", 0), FaultHandler)
        self.base = f"http://127.0.0.1:{self.server_address[1]}"
        self.secret = secret
        self.cache: dict[str, bytes] = {}
        self.requested: list[str] = []

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Faults are the point: a client hanging up, or a socket reset on purpose, is quiet."""


class FaultHandler(BaseHTTPRequestHandler):
    server: FaultServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == "/_requests":  # every request target so far, for the tests
            self.send(200, json.dumps(self.server.requested).encode(), "application/json")
            return
        self.server.requested.append(self.path)
        route = ROUTES.get(path)
        if route is None and path.startswith("/ok/"):
            self.send(200, article(path[4:].removesuffix(".html")).encode())
        elif route is None and path.startswith("/long/"):
            self.send(200, article("long").encode())
        elif route is None:
            self.send(404, b"<html><body>not here</body></html>")
        else:
            route(self)

    def send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8",
             headers: dict[str, str] | None = None, length: int | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def cached(self, key: str, make: Callable[[], bytes]) -> bytes:
        if key not in self.server.cache:
            self.server.cache[key] = make()
        return self.server.cache[key]

    # --- HTTP -----------------------------------------------------------------------------

    def reset(self) -> None:
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def slow(self) -> None:
        time.sleep(SLOW_SECONDS)
        self.send(200, article("slow").encode())

    def redirect(self, location: str) -> None:
        self.send(302, b"", headers={"Location": location})

    def truncated(self) -> None:
        body = article("truncated").encode()
        self.send(200, body[:300], length=len(body))
        self.close_connection = True

    def truncated_gzip(self) -> None:
        packed = gzip.compress(article("truncated-gzip").encode() * 20)
        self.send(200, packed[: len(packed) // 2], headers={"Content-Encoding": "gzip"})

    def bomb_page(self) -> None:
        packed = self.cached("bomb", lambda: _gzip_stream(b" " * MB, 64 * MB))
        self.send(200, packed, headers={"Content-Encoding": "gzip"})

    def huge_page(self) -> None:
        """50 MB of one article, streamed."""
        chunk, total = (b"<p>" + b"filler text " * 8000 + b"</p>"), 50 * MB
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(total))
        self.end_headers()
        sent = 0
        while sent < total:
            part = chunk[: total - sent]
            self.wfile.write(part)
            sent += len(part)

    # --- feeds and sitemaps ---------------------------------------------------------------

    def links_feed(self) -> None:
        base = self.server.base
        items = [
            _item(f"{base}/ok/feed-1.html", "Mon, 01 Jan 2524 10:00:00 +0000"),  # from the future
            _item("javascript:alert(1)"), _item("mailto:desk@news.example"), _item("http://[::1"),
            _item("/ok/feed-2.html", "the day after tomorrow"),  # relative; a date that is none
            _item(f"{base}/long/{'x' * 8200}.html"),  # an 8 KB URL
            _item(f"{base}/ok/feed-3.html", "Tue, 02 Dec 2025 10:00:00 +0000"),
        ]
        self.send(200, _rss("".join(items)), "application/rss+xml")

    def xxe_feed(self) -> None:
        doctype = f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{self.server.secret}">]>'
        items = _item(f"{self.server.base}/ok/xxe-&xxe;.html") + _item(f"{self.server.base}/ok/feed-4.html")
        self.send(200, _rss(items.replace("<title>t</title>", "<title>&xxe;</title>"), doctype),
                  "application/rss+xml")

    def xxe_sitemap(self) -> None:
        doctype = f'<!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file://{self.server.secret}">]>'
        body = _urlset([f"{self.server.base}/ok/xxe-&xxe;.html", f"{self.server.base}/ok/map-3.html"])
        self.send(200, body.replace(b"?>", b"?>" + doctype.encode(), 1), "application/xml")

    def laughs_feed(self) -> None:
        lol = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
        doctype = f'<!DOCTYPE rss [<!ENTITY l0 "lol">{lol}]>'
        items = _item(f"{self.server.base}/ok/feed-5.html").replace("<title>t</title>", "<title>&l9;</title>")
        self.send(200, _rss(items, doctype), "application/rss+xml")

    def laughs_sitemap(self) -> None:
        lol = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
        doctype = f'<!DOCTYPE urlset [<!ENTITY l0 "lol">{lol}]>'
        body = _urlset([f"{self.server.base}/ok/laughs-&l9;.html", f"{self.server.base}/ok/map-4.html"])
        self.send(200, body.replace(b"?>", b"?>" + doctype.encode(), 1), "application/xml")

    def gzip_bomb_sitemap(self) -> None:
        def make() -> bytes:
            head = _urlset([f"{self.server.base}/ok/bomb-1.html"]).replace(b"</urlset>", b"")
            packer = zlib.compressobj(9, zlib.DEFLATED, 31)
            parts = [packer.compress(head)] + [packer.compress(b"<!--" + b" " * MB + b"-->") for _ in range(64)]
            return b"".join([*parts, packer.compress(b"</urlset>"), packer.flush()])
        self.send(200, self.cached("sitemap-bomb", make), "application/x-gzip")

    def gzip_bomb_feed(self) -> None:
        def make() -> bytes:
            packer = zlib.compressobj(9, zlib.DEFLATED, 31)
            head = _rss(_item(f"{self.server.base}/ok/bomb-2.html")).replace(b"</channel></rss>", b"")
            parts = [packer.compress(head)] + [packer.compress(b"<!--" + b" " * MB + b"-->") for _ in range(64)]
            return b"".join([*parts, packer.compress(b"</channel></rss>"), packer.flush()])
        self.send(200, self.cached("feed-bomb", make), "application/rss+xml", {"Content-Encoding": "gzip"})

    def big_sitemap(self) -> None:
        """50,000 URLs: 10 pages, each listed 5,000 times (the dupefilter keeps the fetches at 10)."""
        locs = [f"{self.server.base}/ok/big-{n % 10}.html" for n in range(50_000)]
        self.send(200, self.cached("big-sitemap", lambda: _urlset(locs)), "application/xml")


def _static(body: bytes | Callable[[], bytes], content_type: str = "text/html; charset=utf-8",
            status: int = 200, headers: dict[str, str] | None = None) -> Callable[[FaultHandler], None]:
    def respond(handler: FaultHandler) -> None:
        data = body() if callable(body) else body
        handler.send(status, data, content_type, headers)
    return respond


_rng = random.Random(9)
_RANDOM = bytes(_rng.randrange(256) for _ in range(50_000))
_PROSE = article("prose")
_PARA = "<p>" + "The council met on Tuesday to discuss the new budget for the city and its schools. " * 5 + "</p>"

ROUTES: dict[str, Callable[[FaultHandler], None]] = {
    "/status/404": _static(b"<html><body>gone</body></html>", status=404),
    "/status/410": _static(b"<html><body>gone for good</body></html>", status=410),
    "/status/500": _static(b"<html><body>oops</body></html>", status=500),
    "/status/503": _static(b"<html><body>later</body></html>", status=503, headers={"Retry-After": "1"}),
    "/reset": FaultHandler.reset,
    "/slow": FaultHandler.slow,
    "/loop/a": lambda h: h.redirect("/loop/b"),
    "/loop/b": lambda h: h.redirect("/loop/a"),
    "/to-ftp": lambda h: h.redirect("ftp://127.0.0.1/story.html"),
    "/to-file": lambda h: h.redirect("file:///etc/passwd"),
    "/lie/pdf": _static(b"%PDF-1.4\n" + _RANDOM[:5000]),
    "/lie/png": _static(b"\x89PNG\r\n\x1a\n" + _RANDOM[:5000]),
    "/lie/zip": _static(_zip()),
    "/lie/random": _static(_RANDOM),
    "/empty": _static(b""),
    "/truncated": FaultHandler.truncated,
    "/truncated-gzip": FaultHandler.truncated_gzip,
    "/bomb": FaultHandler.bomb_page,
    "/huge": FaultHandler.huge_page,
    "/text-node": _static(lambda: b"<html><body><p>" + b"word " * (4 * MB) + b"</p></body></html>"),
    "/no-body": _static(b"<html><head><title>Nothing here</title></head></html>"),
    "/only-scripts": _static(b"<html><head><script>var a = 1;</script></head><script>" + b"x++;" * 5000
                             + b"</script></html>"),
    "/deep": _static(b"<html><body>" + b"<div>" * 100_000 + _PARA.encode() * 5 + b"</div>" * 100_000
                     + b"</body></html>"),
    "/control": _static(_PROSE.encode().replace(b"the city council", b"the city \x00council\x01\x1b\xff\xfe", 3)
                        .replace(b"<title>", b"<title>\x00\x07")),
    "/cp1252-as-utf8": _static(legacy_page(LEGACY[0], "Café noir").replace("<head>", '<head><meta charset="utf-8">')
                               .encode(LEGACY[1])),
    "/shift-jis": _static(legacy_page(SJIS[0], "東京の予算").encode(SJIS[1]), "text/html"),
    "/gb18030": _static(legacy_page(GB[0], "北京的预算").encode(GB[1]), "text/html"),
    "/bom": _static(b"\xef\xbb\xbf" + legacy_page(LEGACY[0], "Café BOM").encode(), "text/html; charset=iso-8859-1"),
    "/huge-attribute": _static(_PROSE.replace("<article>", f'<article data-x="{"a" * 2 * MB}">').encode()),
    "/all-links": _static(("<html><body><div>" + "".join(f'<a href="/p/{n}.html">link {n}</a> ' for n in range(5000))
                           + "</div></body></html>").encode()),
    "/refresh/a": _static(b'<html><head><meta http-equiv="refresh" content="0; url=/refresh/b"></head></html>'),
    "/refresh/b": _static(b'<html><head><meta http-equiv="refresh" content="0; url=/refresh/a"></head></html>'),
    "/feed/links.xml": FaultHandler.links_feed,
    "/feed/malformed.xml": _static(b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</titl', "application/rss+xml"),
    "/feed/laughs.xml": FaultHandler.laughs_feed,
    "/feed/xxe.xml": FaultHandler.xxe_feed,
    "/feed/bomb.xml": FaultHandler.gzip_bomb_feed,
    "/sitemap/xxe.xml": FaultHandler.xxe_sitemap,
    "/sitemap/laughs.xml": FaultHandler.laughs_sitemap,
    "/sitemap/bomb.xml.gz": FaultHandler.gzip_bomb_sitemap,
    "/sitemap/big.xml": FaultHandler.big_sitemap,
    "/sitemap/news.xml": lambda h: h.send(200, _news_sitemap(h.server.base), "application/xml"),
    "/sitemap/malformed.xml": _static(b'<?xml version="1.0"?>\n<<urlset <url>>', "application/xml"),
    "/sitemap/unresolvable.xml": lambda h: h.send(200, _urlset(["http://unresolvable.invalid/story.html"]),
                                                  "application/xml"),
    "/sitemap/loop-a.xml": lambda h: h.send(200, _index([f"{h.server.base}/sitemap/loop-b.xml"]), "application/xml"),
    "/sitemap/loop-b.xml": lambda h: h.send(200, _index([f"{h.server.base}/sitemap/loop-a.xml",
                                                          f"{h.server.base}/sitemap/loop-pages.xml"]),
                                            "application/xml"),
    "/sitemap/loop-pages.xml": lambda h: h.send(200, _urlset([f"{h.server.base}/ok/loop-1.html"]), "application/xml"),
}


PREPARED = ("/bomb", "/sitemap/bomb.xml.gz", "/feed/bomb.xml", "/sitemap/big.xml")


class _Preparer:
    """Stands in for a handler to fill the server's cache before it listens."""

    def __init__(self, server: FaultServer) -> None:
        self.server = server

    cached = FaultHandler.cached

    def send(self, *args: Any, **kwargs: Any) -> None:
        pass


def main() -> None:
    port_file, secret = Path(sys.argv[1]), Path(sys.argv[2])
    server = FaultServer(secret)
    for path in PREPARED:  # the bombs and the big sitemap, made before the first request
        ROUTES[path](_Preparer(server))  # type: ignore[arg-type]
    port_file.write_text(str(server.server_address[1]))
    server.serve_forever()


if __name__ == "__main__":
    main()
