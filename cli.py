"""The ``cleanwire`` command: clean articles from HTML files, without running a crawl.

    cleanwire extract page.html [more.html ...]    one schema-1 JSON object a line, per file
    cleanwire extract - < page.html                HTML on standard input
    cleanwire extract --url https://example.com/story.html page.html
    cleanwire extract --formats markdown,html page.html   the body as Markdown and HTML too

Exit status: 0 when every input gave an article, 1 when some did not (each one is named on
standard error, with the reason), 2 for bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from cleanwire.errors import ExtractionError
from cleanwire.extraction import BODY_FORMATS, ExtractionOptions, body_formats, extract_article
from cleanwire.items import article_item, utc_now


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cleanwire", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    extract = commands.add_parser("extract", help="print the clean article of each HTML file")
    extract.add_argument("inputs", nargs="+", metavar="FILE", help="HTML files; - reads standard input")
    extract.add_argument("--url", help="the URL the page was served from (resolves links, canonical URL)")
    extract.add_argument("--explain", action="store_true", help="list what was removed, by which rule or stage")
    extract.add_argument("--formats", default="text", type=_formats,
                         help=f"bodies to write, comma-separated: {', '.join(BODY_FORMATS)} (default text)")
    args = parser.parse_args(argv)
    failed = 0
    for name in args.inputs:
        try:
            body = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
            url = args.url or (Path(name).resolve().as_uri() if name != "-" else "file:///dev/stdin")
            extraction = extract_article(body, url, ExtractionOptions(body_formats=args.formats, explain=args.explain))
        except (OSError, ExtractionError) as error:
            print(f"cleanwire: {name}: {error}", file=sys.stderr)
            failed += 1
            continue
        if not extraction.text:
            print(f"cleanwire: {name}: no article text", file=sys.stderr)
            failed += 1
            continue
        item = article_item(extraction, url, utc_now(), "file", explain=args.explain)
        sys.stdout.write(json.dumps(item, ensure_ascii=False) + "\n")
    return 1 if failed else 0


def _formats(value: str) -> frozenset[str]:
    try:
        return body_formats(value.split(","))
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


if __name__ == "__main__":
    sys.exit(main())
