"""The ``cleanwire`` command: clean articles from HTML files, without running a crawl.

    cleanwire extract page.html [more.html ...]    one article record (JSON) a line, per file
    cleanwire extract - < page.html                HTML on standard input
    cleanwire extract --url https://example.com/story.html page.html
    cleanwire extract --formats markdown,html page.html   the body as Markdown and HTML too
    cleanwire extract --site-rules my-rules --explain --url https://example.com/story.html page.html
                                                   a site rule at work (default: $CLEANWIRE_SITE_RULES)

Exit status: 0 when every input gave an article, 1 when some did not (each one is named on
standard error, with the reason), 2 for bad usage: an unknown option or format, a --url that is
no http(s) URL, or a file that does not exist (one line, before any input is read).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from cleanwire.errors import ExtractionError, JobConfigError
from cleanwire.extraction import BODY_FORMATS, ExtractionOptions, body_formats, extract_article
from cleanwire.extraction.siterules import site_rule_folders
from cleanwire.items import article_item, utc_now
from cleanwire.spiders.sources import is_web_url

EXIT_FAILED, EXIT_USAGE = 1, 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cleanwire", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    extract = commands.add_parser("extract", help="print the clean article of each HTML file")
    extract.add_argument("inputs", nargs="+", metavar="FILE", help="HTML files; - reads standard input")
    extract.add_argument("--url", type=_web_url,
                         help="the http(s) URL the page was served from (resolves links, canonical URL)")
    extract.add_argument("--explain", action="store_true", help="list what was removed, by which rule or stage")
    extract.add_argument("--formats", default="text", type=_formats,
                         help=f"bodies to write, comma-separated: {', '.join(BODY_FORMATS)} (default text)")
    extract.add_argument("--site-rules", default=os.environ.get("CLEANWIRE_SITE_RULES", ""), metavar="FOLDERS",
                         help="folders of site-config files, comma-separated, your own first")
    args = parser.parse_args(argv)
    missing = [name for name in args.inputs if name != "-" and not Path(name).is_file()]
    if missing:
        print(f"cleanwire: not a file: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    try:
        folders = site_rule_folders(args.site_rules.split(","))
    except JobConfigError as error:
        parser.error(str(error))
    options = ExtractionOptions(body_formats=args.formats, site_rules=folders, explain=args.explain)
    failed = 0
    for name in args.inputs:
        try:
            body = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
            url = args.url or (Path(name).resolve().as_uri() if name != "-" else "file:///dev/stdin")
            extraction = extract_article(body, url, options)
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
    return EXIT_FAILED if failed else 0


def _web_url(value: str) -> str:
    if not is_web_url(value):
        raise argparse.ArgumentTypeError(f"not an http(s) URL: {value}")
    return value


def _formats(value: str) -> frozenset[str]:
    try:
        return body_formats(value.split(","))
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


if __name__ == "__main__":
    sys.exit(main())
