"""Page-kind benchmark: does a site crawl know an article page when it sees one?

    .venv/bin/python -m bench.pagekind [--fit] [--show-errors]

Article recall on the article sets (scrapinghub, wcxb_dev) and the false-positive rate on the
non-article pages of wcxb_dev_other by ``page_type``, for today's classifier
(``extraction.pagekind``) beside the rule it replaced (``og:type`` or a JSON-LD article type,
else three prose paragraphs outside links). Pages are parsed as a crawl parses them (Scrapy's
selector over the response bytes). Every figure is given for the whole set and for its two
halves by a hash of the page id: ``fit`` (where weights and threshold were chosen) and
``held-out``. ``--fit`` refits the weights by logistic regression on the ``fit`` half and
prints them for ``SIGNALS``, with the ``ARTICLE_MIN_SCORE`` they call for (the lowest at which
the fit half takes at most 5% of its non-article pages).
"""

from __future__ import annotations

import argparse
import json
import math
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

from scrapy.http import HtmlResponse

from bench.quality import SHARED, load_pages
from cleanwire.extraction import pagekind
from cleanwire.extraction.metadata import article_object, meta_tags
from cleanwire.extraction.text import is_prose

ARTICLE_SETS = ("scrapinghub", "wcxb_dev")
OTHER_SET = "wcxb_dev_other"
HALVES = ("fit", "held-out")


class Judged(NamedTuple):
    dataset: str
    id: str
    page_type: str
    half: str
    features: dict[str, float]
    before: bool
    after: bool
    signals: tuple[tuple[str, float], ...]


def half(page_id: str) -> str:
    """A stable half of the pages: the same on every machine and run."""
    return HALVES[zlib.crc32(page_id.encode()) % 2]


def rule_before(response: HtmlResponse) -> bool:
    """The site-crawl rule before the classifier, as it was in spiders/pages.py."""
    og_type = (meta_tags(response.selector.root).get("og:type") or "").lower()
    if og_type:
        return og_type == "article"
    if article_object(response.selector.root):
        return True
    prose = 0
    for paragraph in response.xpath("//p[not(ancestor::a) and not(.//a)]"):
        if is_prose(" ".join(" ".join(paragraph.xpath(".//text()").getall()).split())):
            prose += 1
            if prose >= 3:
                return True
    return False


def page_types(dataset: Path) -> dict[str, str]:
    types = {}
    for line in (dataset / "truth.jsonl").read_text(encoding="utf-8").split("\n"):
        if line.strip():
            truth = json.loads(line)
            types[truth["id"]] = truth.get("page_type") or "article"
    return types


def judge(shared: Path, timing: list[float]) -> Iterator[Judged]:
    """Every page judged by both rules; ``timing`` gains the classifier's seconds per page."""
    for name in (*ARTICLE_SETS, OTHER_SET):
        dataset = shared / name
        types = page_types(dataset)
        for page in load_pages(dataset):
            url = page.url or f"http://{name}.invalid/{page.id}"
            response = HtmlResponse(url=url, body=page.html)
            tree = response.selector.root
            started = time.perf_counter()
            kind = pagekind.classify(tree, url)
            timing.append(time.perf_counter() - started)
            yield Judged(name, page.id, types[page.id], half(page.id), pagekind.features(tree, url),
                         rule_before(response), kind.is_article, kind.signals)


def rate(rows: list[Judged], verdict: Callable[[Judged], bool]) -> str:
    hits = sum(verdict(r) for r in rows)
    return f"{hits / len(rows):.3f} ({hits}/{len(rows)})" if rows else "-"


def report(rows: list[Judged]) -> str:
    lines = ["| set | pages | measure | before | after | after, fit half | after, held-out half |",
             "|---|---|---|---|---|---|---|"]
    groups: list[tuple[str, list[Judged], str]] = [
        (name, [r for r in rows if r.dataset == name], "recall") for name in ARTICLE_SETS]
    others = [r for r in rows if r.dataset == OTHER_SET]
    groups.append((f"{OTHER_SET} (all)", others, "false positives"))
    for page_type in sorted({r.page_type for r in others}):
        groups.append((f"{OTHER_SET}: {page_type}", [r for r in others if r.page_type == page_type],
                       "false positives"))
    for label, group, measure in groups:
        halves = [rate([r for r in group if r.half == h], lambda r: r.after) for h in HALVES]
        lines.append(f"| {label} | {len(group)} | {measure} | {rate(group, lambda r: r.before)} | "
                     f"{rate(group, lambda r: r.after)} | {halves[0]} | {halves[1]} |")
    return "\n".join(lines)


def fit(rows: list[Judged], epochs: int = 3000, step: float = 3.0, l2: float = 0.001) -> dict[str, float]:
    """Logistic regression of the signals' weights on the fit half (both classes weighing the
    same, L2-regularised, full-batch gradient descent: a few hundred pages need nothing more).
    ``(bias)`` is the intercept: ``ARTICLE_MIN_SCORE`` is about its negative, then chosen on the
    fit half."""
    train = [r for r in rows if r.half == "fit"]
    signals = pagekind.SIGNALS
    xs = [[float(r.features.get(s.feature, 0.0) >= s.at_least) for s in signals] for r in train]
    ys = [float(r.page_type == "article") for r in train]
    positives = sum(ys)
    sample_weights = [0.5 / positives if y else 0.5 / (len(ys) - positives) for y in ys]
    weights = [0.0] * len(signals)
    bias = 0.0
    for _ in range(epochs):
        grad = [0.0] * len(signals)
        grad_bias = 0.0
        for x, y, w in zip(xs, ys, sample_weights, strict=True):
            z = bias + sum(wi * xi for wi, xi in zip(weights, x, strict=True))
            error = (1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))) - y) * w
            grad_bias += error
            for i, xi in enumerate(x):
                grad[i] += error * xi
        bias -= step * grad_bias
        weights = [wi - step * g - l2 * wi for wi, g in zip(weights, grad, strict=True)]
    return {"(bias)": bias, **{s.name: w for s, w in zip(signals, weights, strict=True)}}


def threshold(rows: list[Judged], weights: dict[str, float], max_false_positives: float = 0.05) -> float:
    """The lowest score, halfway between the sums that 0.1-step weights reach, at which the fit half
    takes no more than ``max_false_positives`` of its non-article pages."""
    others = [r for r in rows if r.half == "fit" and r.dataset == OTHER_SET]
    scores = [sum(weights[s.name] for s in pagekind.SIGNALS if r.features.get(s.feature, 0.0) >= s.at_least)
              for r in others]
    candidate = math.floor(min(scores) * 10) / 10 + 0.05
    while sum(score >= candidate for score in scores) > max_false_positives * len(scores):
        candidate += 0.1
    return candidate


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=SHARED, help="folder holding the three datasets")
    parser.add_argument("--fit", action="store_true", help="refit SIGNALS' weights on the fit half")
    parser.add_argument("--show-errors", action="store_true", help="list the pages judged wrongly, with signals")
    parser.add_argument("--dump", type=Path, help="write every page's features as JSON Lines")
    args = parser.parse_args(argv)
    timing: list[float] = []
    rows = list(judge(args.shared, timing))
    if args.dump:
        args.dump.write_text("".join(json.dumps(r._asdict()) + "\n" for r in rows), encoding="utf-8")
    if args.fit:
        weights = fit(rows)
        for name, weight in weights.items():
            print(f"{name:24} {weight:+.2f}")
        print(f"ARTICLE_MIN_SCORE {threshold(rows, {n: round(w, 1) for n, w in weights.items()}):.2f}")
    if args.show_errors:
        for r in rows:
            if r.after != (r.page_type == "article"):
                print(r.dataset, r.id, r.page_type, r.half, " ".join(f"{n}{w:+.1f}" for n, w in r.signals))
    print(report(rows))
    timing.sort()
    print(f"\nclassifier time per page (on the parsed tree): median {timing[len(timing) // 2] * 1000:.1f} ms, "
          f"90th percentile {timing[len(timing) * 9 // 10] * 1000:.1f} ms")


if __name__ == "__main__":
    main()
