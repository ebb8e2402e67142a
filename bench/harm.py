"""Harm of each junk rule: what it removed that the truth keeps, beside the junk it confirmed.

    .venv/bin/python -m bench.harm [DATASET_DIR ...] [--precision] [--dump FILE]

For every removal cleanwire records (``Extraction.removed``), per rule and per dataset:
- removed: removals of that rule;
- harm: removals of at least ``HARM_MIN_WORDS`` words whose text, whitespace- and case-folded,
  is a substring of the folded truth body, or removals holding one of the page's ``with``
  snippets of as many words (article text the rule took out);
- junk: removals holding one of the page's ``without`` snippets (junk confirmed).
A dataset without bodies or snippets reports 0 for that column. The truth is a guide, not a
verdict (WCXB keeps some "Also read" lines the mission calls junk): read harm, don't obey it.
"""

from __future__ import annotations

import argparse
import json
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleanwire.extraction import ExtractionOptions, extract_article
from cleanwire.extraction.text import word_count

from .quality import ROOT, SHARED, Page, load_pages

DEFAULT_DATASETS = (SHARED / "scrapinghub", SHARED / "wcxb_dev", ROOT / "tests" / "fixtures" / "junk")
# Shorter removals ("Share", "Photo") occur in any body by chance, shorter snippets ("Mission") in
# any removal: neither tells harm. Words as the extractor counts them (CJK-aware).
HARM_MIN_WORDS = 3
TOP = 10

_SPACE_RE = re.compile(r"\s+")


def fold(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip().casefold()


@dataclass
class RuleCounts:
    """One rule's tallies on one dataset."""

    removed: int = 0
    harm: int = 0
    junk: int = 0


@dataclass
class Tally:
    """Per-rule counts on one dataset, and the removals found in the body (for --dump)."""

    rules: dict[str, RuleCounts] = field(default_factory=dict)
    harmful: list[dict[str, str]] = field(default_factory=list)


def load_truth(dataset: Path) -> dict[str, dict[str, Any]]:
    lines = (dataset / "truth.jsonl").read_text(encoding="utf-8").split("\n")
    return {t["id"]: t for t in (json.loads(line) for line in lines if line.strip())}


def page_removals(page: Page, favor_precision: bool) -> list[tuple[str, str]]:
    """(rule, text) of each removal cleanwire makes on one page; none where extraction fails."""
    try:
        article = extract_article(page.html, page.url, ExtractionOptions(favor_precision=favor_precision))
    except Exception:
        return []
    return [(r.rule, r.text) for r in article.removed]


def tally(dataset: Path, favor_precision: bool, pool: ProcessPoolExecutor) -> Tally:
    truth = load_truth(dataset)
    pages = list(load_pages(dataset))
    result = Tally()
    removals = pool.map(page_removals, pages, [favor_precision] * len(pages), chunksize=8)
    for page, found in zip(pages, removals, strict=True):
        body = fold(truth[page.id].get("body") or "")
        with_ = [fold(s) for s in truth[page.id].get("with") or [] if word_count(s) >= HARM_MIN_WORDS]
        without = [fold(s) for s in truth[page.id].get("without") or []]
        for rule, text in found:
            counts = result.rules.setdefault(rule, RuleCounts())
            counts.removed += 1
            folded = fold(text)
            if (body and word_count(folded) >= HARM_MIN_WORDS and folded in body) or any(s and s in folded for s in with_):
                counts.harm += 1
                result.harmful.append({"dataset": dataset.name, "id": page.id, "rule": rule, "text": text})
            if any(s and s in folded for s in without):
                counts.junk += 1
    return result


def table(title: str, rows: list[tuple[str, RuleCounts]]) -> str:
    lines = [f"\n#### {title}\n", "| rule | removed | harm | junk |", "|---|---|---|---|"]
    lines += [f"| {rule} | {c.removed} | {c.harm} | {c.junk} |" for rule, c in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("datasets", nargs="*", type=Path, help="dataset folders (default: the dev sets)")
    parser.add_argument("--precision", action="store_true", help="trafilatura's precision mode (favor_precision on)")
    parser.add_argument("--dump", type=Path, help="write every harmful removal here as JSONL")
    args = parser.parse_args(argv)
    datasets = [d.resolve() for d in args.datasets] or [d for d in DEFAULT_DATASETS if d.exists()]
    total: dict[str, RuleCounts] = {}
    harmful: list[dict[str, str]] = []
    with ProcessPoolExecutor() as pool:
        for dataset in datasets:
            result = tally(dataset, args.precision, pool)
            harmful += result.harmful
            rows = sorted(result.rules.items(), key=lambda kv: (-kv[1].harm, -kv[1].removed, kv[0]))
            print(table(f"{dataset.name}", rows), flush=True)
            for rule, counts in result.rules.items():
                summed = total.setdefault(rule, RuleCounts())
                summed.removed += counts.removed
                summed.harm += counts.harm
                summed.junk += counts.junk
    print(table("all sets: top 10 by harm", sorted(total.items(), key=lambda kv: (-kv[1].harm, kv[0]))[:TOP]))
    print(table("all sets: top 10 by junk removed", sorted(total.items(), key=lambda kv: (-kv[1].junk, kv[0]))[:TOP]))
    if args.dump:
        args.dump.write_text("".join(json.dumps(h, ensure_ascii=False) + "\n" for h in harmful), encoding="utf-8")


if __name__ == "__main__":
    main()
