"""Template learning: short lines that recur across many pages of one host are boilerplate.

A widget heading, a newsletter prompt or a standing disclaimer comes out of every article of
a site; real paragraphs do not. The learner counts, per host, on how many pages each short
line was extracted; past a threshold the line is handed to the extractor as boilerplate.
A single page never depends on it: the rules clean it alone; this catches what they miss.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Iterable

from .extraction import tuning
from .extraction.domclean import word_count
from .extraction.rules import fold


class RecurringLines:
    """Per-host counts of short extracted lines, bounded in memory."""

    def __init__(self) -> None:
        self._counts: dict[str, Counter[str]] = defaultdict(Counter)

    def observe(self, host: str, lines: Iterable[str]) -> None:
        counts = self._counts[host]
        for line in {fold(line) for line in lines if 0 < word_count(line) <= tuning.RECURRING_MAX_WORDS}:
            if line in counts or len(counts) < tuning.RECURRING_MAX_LINES_PER_HOST:
                counts[line] += 1

    def boilerplate(self, host: str) -> frozenset[str]:
        counts = self._counts.get(host)
        if not counts:
            return frozenset()
        return frozenset(line for line, pages in counts.items() if pages >= tuning.RECURRING_MIN_PAGES)
