"""Quality benchmark: cleanwire beside raw trafilatura (and readability-lxml where installed).

    .venv/bin/python -m bench.quality [DATASET_DIR ...] [--explain ID] [--per-page]

Each dataset is a folder in the layout of ../shared/benchmarks/FORMAT.md. Every extractor runs
over the same pages in the same process, predictions are written to bench/out/<dataset>/
<extractor>.jsonl in the FORMAT.md form, and ../shared/benchmarks/score.py scores them, so the
numbers are the reference metric's, not ours. One markdown table is printed per dataset.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

import trafilatura

from cleanwire.extraction import ExtractionOptions, extract_article

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "benchmarks"
DEFAULT_DATASETS = (SHARED / "scrapinghub", ROOT / "tests" / "fixtures" / "junk")
OUT = ROOT / "bench" / "out"


class Page(NamedTuple):
    id: str
    url: str
    html: bytes


class Prediction(NamedTuple):
    text: str
    title: str | None = None
    authors: list[str] | None = None
    date: str | None = None


Extractor = Callable[[Page], Prediction]


DEFAULT_OPTIONS = ExtractionOptions()


def cleanwire(page: Page, options: ExtractionOptions = DEFAULT_OPTIONS) -> Prediction:
    article = extract_article(page.html, page.url, options)
    return Prediction(article.text, article.title, article.authors, article.published)


def cleanwire_precision(page: Page) -> Prediction:
    """CLEANWIRE_EXTRACT_FAVOR_PRECISION=1: our rules over trafilatura's precision mode."""
    return cleanwire(page, ExtractionOptions(favor_precision=True))


def trafilatura_default(page: Page) -> Prediction:
    """Default options but for comments, which are never part of a news article's body."""
    return Prediction(trafilatura.extract(page.html, url=page.url, include_comments=False) or "")


def trafilatura_precision(page: Page) -> Prediction:
    return Prediction(trafilatura.extract(page.html, url=page.url, include_comments=False, favor_precision=True) or "")


def readability(page: Page) -> Prediction:
    from lxml.html import fromstring  # noqa: PLC0415  (only when readability is installed)
    from readability import Document  # noqa: PLC0415

    summary = Document(page.html).summary(html_partial=True)
    return Prediction("\n\n".join(" ".join(t.split()) for t in fromstring(summary).itertext() if t.strip()))


def extractors() -> dict[str, Extractor]:
    found: dict[str, Extractor] = {
        "cleanwire": cleanwire,
        "cleanwire-precision": cleanwire_precision,
        "trafilatura": trafilatura_default,
        "trafilatura-precision": trafilatura_precision,
    }
    try:
        import readability as _  # noqa: F401, PLC0415
    except ImportError:
        pass
    else:
        found["readability-lxml"] = readability
    return found


def load_pages(dataset: Path) -> Iterator[Page]:
    for line in (dataset / "truth.jsonl").read_text(encoding="utf-8").split("\n"):  # not splitlines(): U+2028 is inside strings
        if not line.strip():
            continue
        truth = json.loads(line)
        pages = dataset / "pages"
        path = pages / f"{truth['id']}.html"
        html = path.read_bytes() if path.exists() else gzip.decompress((pages / f"{path.name}.gz").read_bytes())
        yield Page(truth["id"], truth.get("url") or "", html)


def run(name: str, extract: Extractor, pages: list[Page], out: Path) -> float:
    """Write predictions of one extractor; returns documents per second."""
    started = time.perf_counter()
    rows = []
    for page in pages:
        try:
            prediction = extract(page)
        except Exception as error:  # an extractor failing on a page scores that page as empty
            print(f"{name}: {page.id}: {error!r}", file=sys.stderr)
            prediction = Prediction("")
        rows.append({"id": page.id, **prediction._asdict()})
    elapsed = time.perf_counter() - started
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return len(pages) / elapsed if elapsed else float("inf")


def score(dataset: Path, predictions: Path, name: str, docs_per_s: float, header: bool, per_page: bool) -> str:
    command = [sys.executable, str(SHARED / "score.py"), str(dataset), str(predictions), "--markdown",
               "--name", name, "--col", f"docs/s={docs_per_s:.1f}"]
    if header:
        command.append("--header")
    if per_page:
        command += ["--per-page", str(predictions.with_suffix(".pages.jsonl"))]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.rstrip()


def explain(dataset: Path, page_id: str) -> None:
    """Print what cleanwire removed from one page, rule by rule, and the stage that dropped every other line."""
    page = next(p for p in load_pages(dataset) if p.id == page_id)
    article = extract_article(page.html, page.url, replace(DEFAULT_OPTIONS, explain=True))
    for removal in article.removed:
        print(f"[{removal.stage}: {removal.rule}{' / ' + removal.kind if removal.kind else ''}] {removal.text[:160]}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("datasets", nargs="*", type=Path, help="dataset folders (default: scrapinghub, junk fixtures)")
    parser.add_argument("--only", action="append", help="run only these extractors (repeatable)")
    parser.add_argument("--per-page", action="store_true", help="also write per-page scores beside the predictions")
    parser.add_argument("--explain", metavar="ID", help="print cleanwire's removals for one page of the first dataset")
    args = parser.parse_args(argv)
    datasets = [d.resolve() for d in args.datasets] or [d for d in DEFAULT_DATASETS if d.exists()]
    if args.explain:
        explain(datasets[0], args.explain)
        return
    chosen = {n: e for n, e in extractors().items() if not args.only or n in args.only}
    for dataset in datasets:
        pages = list(load_pages(dataset))
        out = OUT / dataset.name
        out.mkdir(parents=True, exist_ok=True)
        print(f"\n### {dataset.name} ({len(pages)} pages)\n")
        for i, (name, extract) in enumerate(chosen.items()):
            predictions = out / f"{name}.jsonl"
            docs_per_s = run(name, extract, pages, predictions)
            print(score(dataset, predictions, name, docs_per_s, header=i == 0, per_page=args.per_page), flush=True)


if __name__ == "__main__":
    main()
