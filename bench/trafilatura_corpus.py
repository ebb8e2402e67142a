"""Pages nobody tuned cleanwire for: trafilatura's own evaluation corpus, as a dataset.

    git clone --depth 1 https://github.com/adbar/trafilatura /tmp/trafilatura
    .venv/bin/python -m bench.trafilatura_corpus /tmp/trafilatura/tests /tmp/trafilatura_eval
    .venv/bin/python -m bench.quality /tmp/trafilatura_eval       # with_recall, without_leak, beside trafilatura
    .venv/bin/python -m bench.harm /tmp/trafilatura_eval          # per rule: removals holding a with / without snippet
    .venv/bin/python ../shared/benchmarks/crawl_eval.py /tmp/trafilatura_eval

About 990 pages in many languages (German most of all), each annotated with a few snippets the
text must hold (``with``) and a few it must not (``without``). trafilatura's authors tuned their
extractor on them; we never did, which makes them a held-out check of every rule. They are not
bundled: this writes them, from the user's checkout, in the layout of ../shared/benchmarks/
FORMAT.md (no body truth, no metadata truth), so every bench and crawl_eval runs on them unchanged.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path


def convert(corpus: Path, out: Path) -> int:
    """Writes ``out/pages/<id>.html`` and ``out/truth.jsonl``; returns the number of pages."""
    annotations = json.loads((corpus / "evaldata.json").read_text(encoding="utf-8"))
    shutil.rmtree(out / "pages", ignore_errors=True)  # an earlier conversion's pages would outlive their truth
    (out / "pages").mkdir(parents=True)
    rows: list[dict[str, object]] = []
    for url, item in sorted(annotations.items()):
        source = next((p for p in (corpus / "cache" / item["file"], corpus / "eval" / item["file"]) if p.is_file()), None)
        if source is None:
            continue
        page_id = f"{len(rows):04d}"
        shutil.copyfile(source, out / "pages" / f"{page_id}.html")
        rows.append({"id": page_id, "url": url, "body": None, "with": item.get("with", []), "without": item.get("without", []),
                     "title": None, "authors": None, "date": None, "language": None})
    (out / "truth.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return len(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="the tests/ folder of a trafilatura checkout (evaldata.json, cache/, eval/)")
    parser.add_argument("out", type=Path, help="the dataset folder to write")
    args = parser.parse_args(argv)
    print(f"{convert(args.corpus, args.out)} pages written to {args.out}")


if __name__ == "__main__":
    main()
