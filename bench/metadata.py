"""Metadata benchmark: cleanwire's title, authors and date beside trafilatura's own, same run.

    .venv/bin/python -m bench.metadata [DATASET_DIR ...] [--losses] [--field title|authors|date]

For every page, cleanwire's read_metadata and trafilatura.bare_extraction(with_metadata=True)
run on the same bytes; ../shared/benchmarks/score.py scores both. One table is printed per
dataset; --losses lists the pages where trafilatura is right and cleanwire is wrong.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import trafilatura
from trafilatura.settings import Document
from trafilatura.utils import load_html

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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("datasets", nargs="*", type=Path, help="dataset folders (default: scrapinghub, junk fixtures)")
    parser.add_argument("--losses", action="store_true", help="list pages where trafilatura is right and we are not")
    parser.add_argument("--field", action="append", choices=list(FIELDS), help="only these fields (repeatable)")
    args = parser.parse_args(argv)
    datasets = [d.resolve() for d in args.datasets] or [d for d in DEFAULT_DATASETS if d.exists()]
    scorer = load_scorer()
    for dataset in datasets:
        compare(dataset, scorer, args.losses, args.field or list(FIELDS))


if __name__ == "__main__":
    main()
