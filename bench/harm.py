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

And where the truth's words went: per dataset, the truth body's words missing from the text (a
word is kept when one of the four-word runs around it is in the text, as the scorer's shingles
count it), by the stage explain mode names for them (``extraction/accounting.py``): our rules,
metadata, recovery, trafilatura (outside the container it chose, pruned inside it, hidden
until a reader opens it, nothing found), and the pipeline's page-level refusals (``length-floor``: a text under
``MIN_ARTICLE_CHARS`` gives no item; ``unparsable``). Words the page does not show (a hand-copied
truth's slips, text only in scripts) are counted apart; ``accounted`` is the share of the missing
words the page shows that a stage names.
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
from cleanwire.extraction.accounting import STAGES, WordIndex, visible_lines, words
from cleanwire.extraction.decoding import page_text
from cleanwire.extraction.parsing import load_html
from cleanwire.extraction.text import word_count
from cleanwire.extraction.tuning import MIN_ARTICLE_CHARS

from .quality import ROOT, SHARED, Page, load_pages

DEFAULT_DATASETS = (SHARED / "scrapinghub", SHARED / "wcxb_dev", SHARED / "dragnet_dev", ROOT / "tests" / "fixtures" / "junk")
# Shorter removals ("Share", "Photo") occur in any body by chance, shorter snippets ("Mission") in
# any removal: neither tells harm. Words as the extractor counts them (CJK-aware).
HARM_MIN_WORDS = 3
TOP = 10
LOST_STAGES = (*STAGES, "length-floor", "unparsable")
"""The stages, in the order a missing word is named: the first that holds it."""
LOST_COLUMNS = ("rules", "metadata", "recovery", "trafilatura: outside-container", "trafilatura: pruned-in-container",
                "trafilatura: hidden", "trafilatura: nothing-found", "length-floor", "unparsable")

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
class Lost:
    """Truth words missing from the text on one dataset, by the stage that dropped them."""

    truth: int = 0
    missing: int = 0
    unseen: int = 0
    """Missing words the page does not show."""
    named: dict[tuple[str, str], int] = field(default_factory=dict)
    """Missing words by the (stage, rule) that names them."""

    def add(self, other: Lost) -> None:
        self.truth += other.truth
        self.missing += other.missing
        self.unseen += other.unseen
        for key, n in other.named.items():
            self.named[key] = self.named.get(key, 0) + n

    def words(self, column: str) -> int:
        """Words named by a stage ("recovery") or by one of its rules ("trafilatura: outside-container")."""
        return sum(n for (stage, rule), n in self.named.items() if column in (stage, f"{stage}: {rule}"))

    @property
    def unnamed(self) -> int:
        return self.missing - self.unseen - sum(self.named.values())

    @property
    def accounted(self) -> float:
        shown = self.missing - self.unseen
        return sum(self.named.values()) / shown if shown else 1.0


@dataclass
class Tally:
    """Per-rule counts on one dataset, the removals found in the body (for --dump), and the lost words."""

    rules: dict[str, RuleCounts] = field(default_factory=dict)
    harmful: list[dict[str, str]] = field(default_factory=list)
    lost: Lost = field(default_factory=Lost)


def load_truth(dataset: Path) -> dict[str, dict[str, Any]]:
    lines = (dataset / "truth.jsonl").read_text(encoding="utf-8").split("\n")
    return {t["id"]: t for t in (json.loads(line) for line in lines if line.strip())}


def page_removals(page: Page, body: str | None, favor_precision: bool) -> tuple[list[tuple[str, str]], Lost]:
    """(rule, text) of each removal our rules make on one page (none where extraction fails), and
    where the truth body's words went."""
    options = ExtractionOptions(favor_precision=favor_precision, explain=True)
    pieces: list[tuple[str, str, str]] = []  # (stage, rule, text): what a stage names as dropped
    try:
        article = extract_article(page.html, page.url, options)
    except Exception:
        text = ""
        pieces.append(("unparsable", "unparsable", page_text(page.html)))
    else:
        text = article.text
        pieces += [(r.stage, r.rule, r.text) for r in article.removed]
        if len(text) < MIN_ARTICLE_CHARS:  # the pipeline gives no item
            pieces.append(("length-floor", "length-floor", text))
            text = ""
    rules = [(r, t) for stage, r, t in pieces if stage == "rules"]
    return rules, lost_words(page, body, text, pieces) if body else Lost()


def lost_words(page: Page, body: str, text: str, pieces: list[tuple[str, str, str]]) -> Lost:
    """The truth's words missing from ``text``, each named by the first stage whose pieces hold it."""
    truth = words(body)
    kept = WordIndex([text]).held(truth)
    tree = load_html(page_text(page.html))
    shown = WordIndex([line.text for line in visible_lines(tree)] if tree is not None else []).held(truth)
    order = {stage: i for i, stage in enumerate(LOST_STAGES)}
    grouped: dict[tuple[str, str], list[str]] = {}
    for stage, rule, piece in sorted(pieces, key=lambda p: order[p[0]]):
        grouped.setdefault((stage, rule), []).append(piece)
    named = [(stage, rule, WordIndex(texts, anywhere=True).held(truth)) for (stage, rule), texts in grouped.items()]
    lost = Lost(truth=len(truth))
    for i in range(len(truth)):
        if kept[i]:
            continue
        lost.missing += 1
        key = next(((stage, rule) for stage, rule, held in named if held[i]), None)
        if key:
            lost.named[key] = lost.named.get(key, 0) + 1
        elif not shown[i]:
            lost.unseen += 1
    return lost


def tally(dataset: Path, favor_precision: bool, pool: ProcessPoolExecutor) -> Tally:
    truth = load_truth(dataset)
    pages = list(load_pages(dataset))
    result = Tally()
    bodies = [truth[page.id].get("body") for page in pages]
    removals = pool.map(page_removals, pages, bodies, [favor_precision] * len(pages), chunksize=8)
    for page, (found, lost) in zip(pages, removals, strict=True):
        result.lost.add(lost)
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


def lost_table(rows: list[tuple[str, Lost]]) -> str:
    """Missing truth words by stage, one row a dataset, with their share of the dataset's truth words."""
    def cell(n: int, lost: Lost) -> str:
        return f"{n} ({n / max(lost.truth, 1):.2%})"

    header = ["dataset", "truth words", "missing", *LOST_COLUMNS, "not shown by the page", "unnamed", "accounted"]
    lines = ["\n#### truth words missing from the text, by the stage that dropped them\n",
             "| " + " | ".join(header) + " |", "|---" * len(header) + "|"]
    for name, lost in rows:
        cells = [name, str(lost.truth), cell(lost.missing, lost), *(cell(lost.words(c), lost) for c in LOST_COLUMNS),
                 str(lost.unseen), str(lost.unnamed), f"{lost.accounted:.2%}"]
        lines.append("| " + " | ".join(cells) + " |")
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
    lost: list[tuple[str, Lost]] = []
    with ProcessPoolExecutor() as pool:
        for dataset in datasets:
            result = tally(dataset, args.precision, pool)
            harmful += result.harmful
            lost.append((dataset.name, result.lost))
            rows = sorted(result.rules.items(), key=lambda kv: (-kv[1].harm, -kv[1].removed, kv[0]))
            print(table(f"{dataset.name}", rows), flush=True)
            for rule, counts in result.rules.items():
                summed = total.setdefault(rule, RuleCounts())
                summed.removed += counts.removed
                summed.harm += counts.harm
                summed.junk += counts.junk
    print(table("all sets: top 10 by harm", sorted(total.items(), key=lambda kv: (-kv[1].harm, kv[0]))[:TOP]))
    print(table("all sets: top 10 by junk removed", sorted(total.items(), key=lambda kv: (-kv[1].junk, kv[0]))[:TOP]))
    print(lost_table(lost))
    all_sets = Lost()
    for _, each in lost:
        all_sets.add(each)
    print("\n#### all sets: top 10 rules by truth words they took\n\n| rule | words |\n|---|---|")
    rules = sorted(((rule, n) for (stage, rule), n in all_sets.named.items() if stage == "rules"), key=lambda kv: -kv[1])
    print("\n".join(f"| {rule} | {n} |" for rule, n in rules[:TOP]))
    if args.dump:
        args.dump.write_text("".join(json.dumps(h, ensure_ascii=False) + "\n" for h in harmful), encoding="utf-8")


if __name__ == "__main__":
    main()
