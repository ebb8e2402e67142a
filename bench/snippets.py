"""Held-out check on pages nobody tuned cleanwire for: trafilatura's own evaluation corpus.

    git clone --depth 1 https://github.com/adbar/trafilatura /tmp/trafilatura
    .venv/bin/python -m bench.snippets /tmp/trafilatura/tests [--rules]

About 990 pages in many languages (German most of all), each annotated with a few snippets the
text must hold (``with``) and a few it must not (``without``); trafilatura's authors tuned their
extractor on them, we never did. Not bundled: the corpus is read where the user cloned it.
Every extractor of ``bench.quality`` runs over the same pages in one process and is scored as
trafilatura scores itself (whitespace-normalised substring matching; precision = with found /
(with found + without found), recall = with found / all with). ``--rules`` adds, per removal
rule, how many of its removals hold a ``with`` snippet (harm) and how many a ``without`` (junk).
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any

from cleanwire.errors import ExtractionError
from cleanwire.extraction import extract_article

from .quality import Page, extractors

_SPACE_RE = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip()


def load(corpus: Path) -> list[tuple[Page, dict[str, Any]]]:
    """The annotated pages whose HTML file the corpus holds (under cache/ or eval/)."""
    annotations: dict[str, dict[str, Any]] = json.loads((corpus / "evaldata.json").read_text(encoding="utf-8"))
    pages = []
    for url, item in sorted(annotations.items()):
        path = next((p for p in (corpus / "cache" / item["file"], corpus / "eval" / item["file"]) if p.is_file()), None)
        if path is not None:
            pages.append((Page(item["file"], url, path.read_bytes()), item))
    return pages


def score(name: str, pages: list[tuple[Page, dict[str, Any]]]) -> str:
    extract = extractors()[name]
    found = Counter[str]()
    started = time.perf_counter()
    for page, item in pages:
        try:
            text = _norm(extract(page).text)
        except Exception:  # any extractor's crash is a page with no text, as trafilatura's own eval counts it
            text = ""
        hits = sum(_norm(s) in text for s in item["with"])
        leaks = sum(_norm(s) in text for s in item["without"])
        found.update(tp=hits, fn=len(item["with"]) - hits, fp=leaks, tn=len(item["without"]) - leaks)
    seconds = time.perf_counter() - started
    precision = found["tp"] / (found["tp"] + found["fp"])
    recall = found["tp"] / (found["tp"] + found["fn"])
    f1 = 2 * precision * recall / (precision + recall)
    return (f"| {name} | {f1:.4f} | {precision:.4f} | {recall:.4f} | {found['tp']} | {found['fn']} | {found['fp']} "
            f"| {len(pages) / seconds:.1f} |")


def rule_table(pages: list[tuple[Page, dict[str, Any]]]) -> list[str]:
    removed, harm, junk = Counter[str](), Counter[str](), Counter[str]()
    for page, item in pages:
        try:
            article = extract_article(page.html, page.url)
        except ExtractionError:  # not an HTML tree: nothing was removed
            continue
        for removal in article.removed:
            text = _norm(removal.text)
            removed[removal.rule] += 1
            harm[removal.rule] += any(_norm(s) in text for s in item["with"])
            junk[removal.rule] += any(_norm(s) in text for s in item["without"])
    rows = sorted(removed, key=lambda rule: (-harm[rule], -junk[rule]))
    return ["| rule | removed | holds a `with` snippet (harm) | holds a `without` snippet (junk) |", "|---|---|---|---|",
            *(f"| {rule} | {removed[rule]} | {harm[rule]} | {junk[rule]} |" for rule in rows)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="the tests/ folder of a trafilatura checkout (evaldata.json, cache/, eval/)")
    parser.add_argument("--only", action="append", help="run only these extractors (repeatable)")
    parser.add_argument("--rules", action="store_true", help="also list each removal rule's harm and junk")
    args = parser.parse_args(argv)
    pages = load(args.corpus)
    print(f"\n### {args.corpus} ({len(pages)} pages)\n")
    print("| extractor | F1 | P | R | with found | with missed | without found | docs/s |")
    print("|---|---|---|---|---|---|---|---|")
    for name in extractors():
        if not args.only or name in args.only:
            print(score(name, pages), flush=True)
    if args.rules:
        print("", *rule_table(pages), sep="\n")


if __name__ == "__main__":
    main()
