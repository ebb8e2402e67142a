"""Syndicated copies: precision and recall of near-duplicate detection over real article text.

    .venv/bin/python -m bench.syndication

The bodies of ../shared/benchmarks (scrapinghub and wcxb_dev truth) are the originals. Every
other original is indexed; from each indexed one, copies are made the way syndication makes
them (a note added at the top or bottom, a paragraph dropped, paragraphs reordered, a few
words edited, a teaser of the first half, another site's junk lines around it) and looked up.
The held-out originals are the hard negatives: each is looked up as it is (a different
article) and with the opening sentence of an indexed article put in front. Then every
distinct original is indexed in turn and each match to an earlier one is listed: the false
positives, unless the two really are one story.
"""

from __future__ import annotations

import json
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cleanwire.extraction.fingerprint import Fingerprint, NearDuplicateIndex, fingerprint
from cleanwire.state import SqliteStateStore

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks"
JUNK_LINES = ["Share this article", "Sign up for our newsletter", "Related: Markets rally as rates hold steady",
              "Advertisement", "Read more: The week in pictures", "Follow us on social media"]


def originals() -> list[tuple[str, str]]:
    found, seen = [], set()
    for name in ("scrapinghub", "wcxb_dev"):
        for line in (SHARED / name / "truth.jsonl").read_text(encoding="utf-8").split("\n"):
            if line.strip():
                truth = json.loads(line)
                body = (truth.get("body") or "").strip()
                if body and body not in seen and fingerprint(body) is not None:
                    seen.add(body)
                    found.append((f"{name}/{truth['id']}", body))
    return found


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n") if p.strip()]


def _edit_words(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    for i in rng.sample(range(len(words)), max(1, len(words) // 40)):  # 2.5% of the words
        words[i] = rng.choice(["said", "reported", "new", "officials", "the"])
    return " ".join(words)


TRANSFORMS: dict[str, Callable[[str, random.Random], str]] = {
    "note added": lambda t, r: f"This article originally appeared on another site.\n{t}\nEditor's note: updated.",
    "paragraph dropped": lambda t, r: "\n".join(p for i, p in enumerate(_paragraphs(t)) if i != len(_paragraphs(t)) // 2),
    "paragraphs reordered": lambda t, r: "\n".join(r.sample(_paragraphs(t), len(_paragraphs(t)))),
    "words edited": _edit_words,
    "teaser (first half)": lambda t, r: t[: len(t) // 2],
    "other template": lambda t, r: "\n".join([*r.sample(JUNK_LINES, 3), t, *r.sample(JUNK_LINES, 2)]),
}


def store_cost(prints: list[Fingerprint], count: int = 50_000) -> None:
    """Disk per article and insert / lookup cost of the index in the SQLite state store."""
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "state.sqlite"
        store = SqliteStateStore(path)
        started = time.perf_counter()
        for n in range(count):  # distinct signatures with the entropy of real ones
            signature = bytearray(prints[n % len(prints)].signature)
            rng.shuffle(signature)
            fp = Fingerprint(bytes(signature), prints[n % len(prints)].shingles)
            store.stage_fingerprint(f"https://news.example/{n}", fp.bands, fp.signature, fp.shingles,
                                    "2026-12-01T00:00:00+00:00")
        store.commit()
        insert_ms = (time.perf_counter() - started) * 1000 / count
        started = time.perf_counter()
        for fp in prints:
            store.fingerprint_candidates(fp.bands)
        lookup_ms = (time.perf_counter() - started) * 1000 / len(prints)
        store.close()
        size = path.stat().st_size + sum(p.stat().st_size for p in Path(tmp).glob("state.sqlite-wal"))
    print(f"\nIn the SQLite state store, {count} indexed articles: {size / count:.0f} bytes each on disk "
          f"({size / count * 1e6 / 2**30:.2f} GiB per million), insert {insert_ms:.2f} ms, "
          f"lookup {lookup_ms:.2f} ms (SQL only, band keys given)")


def main() -> None:
    rng = random.Random(20261202)
    texts = originals()
    indexed, held_out = texts[::2], texts[1::2]
    index = NearDuplicateIndex()
    started = time.perf_counter()
    for key, text in indexed:
        fp = fingerprint(text)
        assert fp is not None
        index.add(key, fp)
    insert_ms = (time.perf_counter() - started) * 1000 / len(indexed)
    print(f"\n### syndicated copies: {len(texts)} distinct article bodies, {len(indexed)} indexed\n")
    print("| case | looked up | found the original | wrong match | missed |\n|---|---|---|---|---|")
    lookups, started = 0, time.perf_counter()
    total_found = total_wrong = total_copies = 0
    for name, transform in TRANSFORMS.items():
        found = wrong = missed = 0
        for key, text in indexed:
            fp = fingerprint(transform(text, rng))
            match = index.find(fp) if fp is not None else None
            lookups += 1
            if match is None:
                missed += 1
            elif match[0] == key:
                found += 1
            else:
                wrong += 1
        total_found, total_wrong, total_copies = total_found + found, total_wrong + wrong, total_copies + len(indexed)
        print(f"| copy: {name} | {len(indexed)} | {found} | {wrong} | {missed} |")
    lookup_ms = (time.perf_counter() - started) * 1000 / lookups
    negatives = {"a different article": lambda t, r: t,
                 "a different article opening with an indexed one's first sentence":
                     lambda t, r: _paragraphs(r.choice(indexed)[1])[0].split(". ")[0] + ". " + t}
    flagged_negatives = 0
    for name, make in negatives.items():
        flagged = sum(1 for _, text in held_out if (fp := fingerprint(make(text, rng))) and index.find(fp))
        flagged_negatives += flagged
        print(f"| hard negative: {name} | {len(held_out)} | – | {flagged} flagged | – |")
    recall = total_found / total_copies
    precision = total_found / (total_found + total_wrong + flagged_negatives)
    print(f"\nrecall on copies {recall:.3f}, precision {precision:.3f}; "
          f"insert {insert_ms:.2f} ms, lookup {lookup_ms:.2f} ms per article (fingerprint included)")
    everyone = NearDuplicateIndex()
    pairs = []
    for key, text in texts:
        fp = fingerprint(text)
        assert fp is not None
        match = everyone.find(fp)
        if match is not None:
            pairs.append((key, *match))
        everyone.add(key, fp)
    print(f"\nAmong all {len(texts)} distinct articles, flagged as copies of an earlier one: {len(pairs)}")
    for key, original, similarity in pairs:
        print(f"- {key} -> {original} (containment {similarity})")
    store_cost([fp for fp in (fingerprint(text) for _, text in texts) if fp is not None])


if __name__ == "__main__":
    main()
