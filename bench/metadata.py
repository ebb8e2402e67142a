"""Metadata benchmark: cleanwire's title, authors and date beside trafilatura's own, same run.

    .venv/bin/python -m bench.metadata [DATASET_DIR ...] [--losses] [--field title|authors|date]
    .venv/bin/python -m bench.metadata --record [demo] [DATASET_DIR ...]

For every page, cleanwire's read_metadata and trafilatura.bare_extraction(with_metadata=True)
run on the same bytes; ../shared/benchmarks/score.py scores both. One table is printed per
dataset; --losses lists the pages where trafilatura is right and cleanwire is wrong.

--record runs the whole extractor and prints, for every field of the record, how many pages
have it and, where the dataset has truth for it, how often it is right. ``demo`` is the demo
site (demo/site, demo/truth.jsonl), whose truth covers every field, as does the junk fixtures';
the shared FORMAT.md datasets have truth for title, authors, date and language at most.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import trafilatura
from trafilatura.settings import Document
from trafilatura.utils import load_html

from cleanwire.extraction import Extraction, extract_article
from cleanwire.extraction.metadata import read_metadata

from .quality import DEFAULT_DATASETS, SHARED, Page, load_pages

FIELDS = {"title": ("title_acc", "title_ok"), "authors": ("authors_f1", "authors_f1"),
          "date": ("date_acc", "date_ok")}


def cleanwire(page: Page) -> dict[str, Any]:
    """cleanwire's metadata of one page, in the FORMAT.md prediction form."""
    tree = load_html(page.html)
    if tree is None:
        return {"id": page.id, "text": ""}
    meta = read_metadata(tree, page.url)
    return {"id": page.id, "text": "", "title": meta.title, "authors": meta.authors, "date": meta.published}


def trafilatura_meta(page: Page) -> dict[str, Any]:
    """trafilatura's own metadata of one page (author joined by ';', as score.py splits it)."""
    document = trafilatura.bare_extraction(page.html, url=page.url or None, with_metadata=True)
    if not isinstance(document, Document):
        return {"id": page.id, "text": ""}
    return {"id": page.id, "text": "", "title": document.title, "authors": document.author, "date": document.date}


def load_scorer() -> ModuleType:
    """../shared/benchmarks/score.py as a module, so its per-page rows can be compared."""
    spec = importlib.util.spec_from_file_location("score", SHARED / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def compare(dataset: Path, scorer: ModuleType, losses: bool, fields: list[str]) -> None:
    """Print one dataset's table and, with losses, the pages trafilatura gets right and we do not."""
    truth = list(scorer.load_jsonl(dataset / "truth.jsonl"))
    pages = list(load_pages(dataset))
    predictions: dict[str, dict[str, dict[str, Any]]] = {}
    seconds: dict[str, float] = {}
    for name, reader in (("cleanwire", cleanwire), ("trafilatura", trafilatura_meta)):
        started = time.perf_counter()
        predictions[name] = {page.id: reader(page) for page in pages}
        seconds[name] = time.perf_counter() - started
    scores, rows = {}, {}
    for name, preds in predictions.items():
        per_page: list[dict[str, Any]] = []
        scores[name], _, _ = scorer.score(truth, preds, per_page)
        rows[name] = {row["id"]: row for row in per_page}
    print(f"\n### {dataset.name} ({len(pages)} pages)\n")
    print("| metadata | " + " | ".join(FIELDS[f][0] for f in fields) + " | ms/page |")
    print("|---|" + "---|" * (len(fields) + 1))
    for name in predictions:
        cells = [fmt(scores[name][FIELDS[f][0]]) for f in fields]
        print(f"| {name} | " + " | ".join(cells) + f" | {1000 * seconds[name] / max(len(pages), 1):.1f} |")
    if not losses:
        return
    by_id = {t["id"]: t for t in truth}
    for f in fields:
        key = FIELDS[f][1]
        lost = [i for i, row in rows["cleanwire"].items()
                if key in row and row[key] < rows["trafilatura"][i][key]]
        print(f"\n#### {f}: {len(lost)} pages where trafilatura beats cleanwire\n")
        for i in lost:
            truth_value = by_id[i][f]
            print(f"- {i} {by_id[i].get('url')}\n    truth: {json.dumps(truth_value, ensure_ascii=False)}"
                  f"\n    ours:  {json.dumps(predictions['cleanwire'][i].get(f), ensure_ascii=False)}"
                  f"\n    traf:  {json.dumps(predictions['trafilatura'][i].get(f), ensure_ascii=False)}")


DEMO = Path(__file__).resolve().parent.parent / "demo"
DEMO_BASE = "http://demo.test"
# Record fields: how the Extraction gives each, and when a value is right against the truth.
RECORD_FIELDS: dict[str, tuple[Callable[[Extraction], Any], Callable[[Any, Any], bool]]] = {
    "title": (lambda e: e.title, lambda p, t: p is not None and _norm(p) == _norm(t)),
    "authors": (lambda e: e.authors, lambda p, t: {_norm(a) for a in p} == {_norm(a) for a in t}),
    "published": (lambda e: e.published, lambda p, t: p is not None and p[:10] == t[:10]),
    "language": (lambda e: e.language, lambda p, t: p == t),
    "description": (lambda e: e.description, lambda p, t: _norm(p or "") == _norm(t or "")),
    "modified": (lambda e: e.modified, lambda p, t: p == t),
    "image": (lambda e: e.image and {"url": e.image.url, "caption": e.image.caption}, lambda p, t: p == t),
    "section": (lambda e: e.section, lambda p, t: _norm(p or "") == _norm(t or "")),
    "tags": (lambda e: e.tags, lambda p, t: {_norm(x) for x in p} == {_norm(x) for x in t}),
    "paywalled": (lambda e: e.paywalled, lambda p, t: p == t),
}
FORMAT_TRUTH = {"title": "title", "authors": "authors", "published": "date", "language": "language"}


def _norm(text: str) -> str:
    """As score.py compares titles: NFKC, whitespace folded, casefolded."""
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


def demo_set() -> tuple[list[Page], list[dict[str, Any]]]:
    """The demo site's article pages as served at DEMO_BASE, with its truth for every field."""
    rows = [json.loads(line.replace("__BASE__", DEMO_BASE))
            for line in (DEMO / "truth.jsonl").read_text(encoding="utf-8").splitlines()]
    pages = [Page(row["path"], row["url"], (DEMO / "site" / row["path"].lstrip("/")).read_bytes()
                  .replace(b"__BASE__", DEMO_BASE.encode())) for row in rows]
    return pages, [{"id": row["path"], **{f: row[f] for f in RECORD_FIELDS}} for row in rows]


def format_set(dataset: Path) -> tuple[list[Page], list[dict[str, Any]]]:
    """A FORMAT.md dataset: its fields where they are not null (null there means unknown), and
    the record fields where a set has them at all (the junk fixtures: null there is the truth)."""
    truth = [json.loads(line) for line in (dataset / "truth.jsonl").read_text(encoding="utf-8").split("\n")
             if line.strip()]
    return list(load_pages(dataset)), [
        {"id": t["id"], **{f: t[key] for f, key in FORMAT_TRUTH.items() if t.get(key) is not None},
         **{f: t[f] for f in RECORD_FIELDS if f not in FORMAT_TRUTH and f in t}} for t in truth]


def record_table(name: str, pages: list[Page], truth: list[dict[str, Any]]) -> None:
    """Per field: pages with a value, and right answers among the pages with truth."""
    by_id = {t["id"]: t for t in truth}
    found: dict[str, list[Any]] = {f: [] for f in RECORD_FIELDS}
    right: dict[str, list[bool]] = {f: [] for f in RECORD_FIELDS}
    detected: list[bool] = []
    agrees: list[bool] = []  # the detector against the page's own declaration, where there is one
    for page in pages:
        extraction = extract_article(page.html, page.url)
        for field, (read, is_right) in RECORD_FIELDS.items():
            value = read(extraction)
            found[field].append(value)
            if field in by_id[page.id]:
                right[field].append(is_right(value, by_id[page.id][field]))
        detected.append(extraction.detected_language is not None)
        if extraction.detected_language and "language" not in extraction.sources and extraction.language:
            agrees.append(extraction.detected_language == extraction.language)
    print(f"\n### {name} ({len(pages)} pages)\n")
    print("| field | pages with it | pages with truth | right | accuracy |")
    print("|---|---|---|---|---|")
    for field in RECORD_FIELDS:
        have = sum(v is not None and v != [] for v in found[field])
        n, ok = len(right[field]), sum(right[field])
        print(f"| {field} | {have} ({have / max(len(pages), 1):.0%}) | {n} | {ok if n else '–'} | "
              f"{fmt(ok / n if n else None)} |")
    have, n, ok = sum(detected), len(agrees), sum(agrees)
    print(f"| language detected from text (truth: the page's declaration) | {have} ({have / max(len(pages), 1):.0%}) "
          f"| {n} | {ok if n else '–'} | {fmt(ok / n if n else None)} |")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("datasets", nargs="*", type=Path, help="dataset folders (default: scrapinghub, junk fixtures)")
    parser.add_argument("--losses", action="store_true", help="list pages where trafilatura is right and we are not")
    parser.add_argument("--field", action="append", choices=list(FIELDS), help="only these fields (repeatable)")
    parser.add_argument("--record", action="store_true", help="coverage and accuracy of every record field")
    args = parser.parse_args(argv)
    if args.record:
        for dataset in args.datasets or [Path("demo"), *(d for d in DEFAULT_DATASETS if d.exists())]:
            record_table(dataset.name, *(demo_set() if str(dataset) == "demo" else format_set(dataset.resolve())))
        return
    datasets = [d.resolve() for d in args.datasets] or [d for d in DEFAULT_DATASETS if d.exists()]
    scorer = load_scorer()
    for dataset in datasets:
        compare(dataset, scorer, args.losses, args.field or list(FIELDS))


if __name__ == "__main__":
    main()
