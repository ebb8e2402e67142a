"""Site rules benchmark: each dev set with and without a folder of site-config files.

    .venv/bin/python -m bench.site_rules RULES_FOLDER [DATASET_DIR ...] [--ids]

RULES_FOLDER is a checkout of ``fivefilters/ftr-site-config`` (or your own folder). Covered pages
are those whose host, or canonical URL's host, has a file. Per dataset one row: body F1 over all
its pages and over the covered ones, and the share of covered pages whose first paragraph is kept
(``../shared/benchmarks/lede_eval.py``'s measure), without and with the rules, and how many covered
pages fell back to the generic path. Extraction runs in this process; scoring is score.py's.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from cleanwire.extraction import Extraction, ExtractionOptions, extract_article
from cleanwire.extraction.siterules import SiteRules

from .quality import SHARED, Page, load_pages

sys.path.insert(0, str(SHARED))
import lede_eval
import score

DEFAULT_DATASETS = tuple(SHARED / name for name in ("scrapinghub", "wcxb_dev", "dragnet_dev"))
HEADER = ("| dataset | pages | covered | F1 all without | F1 all with | F1 covered without | F1 covered with "
          "| lede covered without | lede covered with | fell back |\n|---|---|---|---|---|---|---|---|---|---|")


def _prediction(page: Page, extraction: Extraction | None) -> dict[str, Any]:
    if extraction is None:
        return {"id": page.id, "text": ""}
    return {"id": page.id, "text": extraction.text, "title": extraction.title, "authors": extraction.authors,
            "date": extraction.published}


def _extract(page: Page, options: ExtractionOptions) -> Extraction | None:
    try:
        return extract_article(page.html, page.url, options)
    except Exception as error:  # a page that fails scores as empty, as in bench.quality
        print(f"{page.id}: {error!r}", file=sys.stderr)
        return None


def _f1(truth: list[dict[str, Any]], predictions: dict[str, dict[str, Any]]) -> float:
    metrics, _, _ = score.score(truth, predictions)
    return float(metrics["body"]["f1"] or 0.0)


def _lede_kept(truth: list[dict[str, Any]], predictions: dict[str, dict[str, Any]]) -> tuple[float, int]:
    """lede_eval.py's first-paragraph measure over these pages: (share kept, pages measured)."""
    measured = kept = 0
    for t in truth:
        if not t.get("body"):
            continue
        title = lede_eval.words(t.get("title"))
        lines = [line for line in t["body"].split("\n") if len(lede_eval.words(line)) >= 12
                 and lede_eval.SENTENCE_END.search(line) and lede_eval.words(line) != title]
        if lines:
            measured += 1
            kept += lede_eval.contains(lede_eval.words(predictions[t["id"]].get("text")), lede_eval.words(lines[0]))
    return (kept / measured if measured else 0.0), measured


def measure(dataset: Path, rules_folder: Path, show_ids: bool) -> str:
    truth = list(score.load_jsonl(dataset / "truth.jsonl"))
    rules = SiteRules((str(rules_folder),))
    without: dict[str, dict[str, Any]] = {}
    with_rules: dict[str, dict[str, Any]] = {}
    covered: list[str] = []
    fell_back = 0
    for page in load_pages(dataset):
        generic = _extract(page, ExtractionOptions())
        without[page.id] = with_rules[page.id] = _prediction(page, generic)
        if rules.for_page(page.url, generic.canonical_url if generic else None) is None:
            continue
        covered.append(page.id)
        ruled = _extract(page, ExtractionOptions(site_rules=(str(rules_folder),)))
        with_rules[page.id] = _prediction(page, ruled)
        fell_back += bool(ruled and ruled.site_rules_fell_back)
    chosen = set(covered)
    covered_truth = [t for t in truth if t["id"] in chosen]
    if show_ids:
        for page_id in covered:
            print(f"{dataset.name} {page_id}: F1 {_f1([t for t in truth if t['id'] == page_id], without):.3f}"
                  f" -> {_f1([t for t in truth if t['id'] == page_id], with_rules):.3f}", file=sys.stderr)
    lede_without, measured = _lede_kept(covered_truth, without)
    lede_with, _ = _lede_kept(covered_truth, with_rules)
    return (f"| {dataset.name} | {len(truth)} | {len(covered)} | {_f1(truth, without):.4f} | {_f1(truth, with_rules):.4f} "
            f"| {_f1(covered_truth, without):.4f} | {_f1(covered_truth, with_rules):.4f} "
            f"| {lede_without:.3f} ({measured}) | {lede_with:.3f} | {fell_back} |")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("rules", type=Path, help="a folder of site-config files (a checkout of ftr-site-config)")
    parser.add_argument("datasets", nargs="*", type=Path, help="dataset folders (default: the three dev sets)")
    parser.add_argument("--ids", action="store_true", help="also print each covered page's F1 change (stderr)")
    args = parser.parse_args(argv)
    print(HEADER, flush=True)
    for dataset in [d.resolve() for d in args.datasets] or [d for d in DEFAULT_DATASETS if d.exists()]:
        print(measure(dataset, args.rules, args.ids), flush=True)


if __name__ == "__main__":
    main()
