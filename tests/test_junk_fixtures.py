"""The junk fixtures: 11 languages, every junk kind in 3 shapes, look-alikes that must stay.

The set (tests/fixtures/junk, FORMAT.md layout) is also a benchmark dataset for bench/.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from cleanwire.extraction import Extraction, ExtractionOptions, extract_article

JUNK_SET = Path(__file__).parent / "fixtures" / "junk"
TRUTH = [json.loads(line) for line in (JUNK_SET / "truth.jsonl").read_text(encoding="utf-8").splitlines()]
# trafilatura itself drops one story list (zh-03/zh-04: linked sources in Chinese); our rules
# never lose a line that trafilatura keeps (test_look_alikes_and_metadata).
MIN_PARAGRAPH_RECALL = 0.98
# Junk our rules cannot tell from the story without being tuned to these pages, found when Dutch
# and Polish joined the set: a related headline pasted unlinked between two lines that are not
# prose (the unlinked-headline rule needs a paragraph of the story beside it, or it would take
# plain-set subheadings), and a linked one that ends in an abbreviation ("o 9 proc.") and so reads
# as a sentence. Measured limits, listed exactly: a fix and a new leak both fail the test.
KNOWN_LEAKS: dict[str, list[str]] = {
    "nl-06": ["Vakbond eist sociaal plan bij Brabantse voedingsbedrijven"],
    "pl-03": ["Susza hydrologiczna w połowie kraju. Rzeki mają rekordowo niski stan"],
    "pl-06": ["Eksport mebli spadł w ubiegłym roku o 9 proc."],
}


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@cache
def extraction(page_id: str, url: str, clean_junk: bool = True) -> Extraction:
    return extract_article((JUNK_SET / "pages" / f"{page_id}.html").read_bytes(), url,
                           ExtractionOptions(clean_junk=clean_junk))


@pytest.mark.parametrize("truth", TRUTH, ids=[t["id"] for t in TRUTH])
def test_no_junk_line_comes_out(truth: dict[str, Any]) -> None:
    text = fold(extraction(truth["id"], truth["url"]).text)
    leaked = [line for line in truth["without"] if fold(line) in text]
    assert leaked == KNOWN_LEAKS.get(truth["id"], [])


def test_article_paragraphs_are_kept() -> None:
    kept = total = 0
    for truth in TRUTH:
        paragraphs = set(extraction(truth["id"], truth["url"]).text.split("\n\n"))
        for paragraph in truth["body"].split("\n\n"):
            total += 1
            kept += paragraph in paragraphs
    assert kept / total >= MIN_PARAGRAPH_RECALL, f"{kept}/{total}"


@pytest.mark.parametrize("truth", TRUTH, ids=[t["id"] for t in TRUTH])
def test_look_alikes_and_metadata(truth: dict[str, Any]) -> None:
    article = extraction(truth["id"], truth["url"])
    text = fold(article.text)
    raw = fold(extraction(truth["id"], truth["url"], clean_junk=False).text)
    lost = [line for line in truth["with"] if fold(line) not in text]
    assert not [line for line in lost if fold(line) in raw], "lost a line that trafilatura keeps"
    assert fold(article.title or "") == fold(truth["title"])
    assert article.language == truth["language"]
    assert (article.published or "")[:10] == truth["date"]
    assert article.authors == truth["authors"]
