"""Template learning: short lines that recur across many pages of one host are boilerplate.

A widget heading, a newsletter prompt or a standing disclaimer comes out of every article of
a site; real paragraphs do not. The learner counts, per host, on how many pages each short
line was extracted; past a threshold the line is handed to the extractor as boilerplate.
A single page never depends on it: the rules clean it alone; this catches what they miss.
With a state store the counts carry over from run to run, so a scheduled crawl that sees a
few pages of a host per run still learns the host's template.
"""

from __future__ import annotations

from collections import Counter
from typing import Callable, Iterable

from . import tuning
from .text import fold, word_count


class RecurringLines:
    """Per-host counts of short extracted lines, bounded in memory.

    ``load`` gives the counts earlier runs committed for a host (read once, on first use).
    """

    def __init__(self, load: Callable[[str], dict[str, int]] | None = None) -> None:
        self._load = load
        self._counts: dict[str, Counter[str]] = {}

    def _host(self, host: str) -> Counter[str]:
        if host not in self._counts:
            self._counts[host] = Counter(self._load(host) if self._load else {})
        return self._counts[host]

    def counts(self) -> dict[str, dict[str, int]]:
        """Every host's counts as they are now, for the state store to keep."""
        return {host: dict(counts) for host, counts in self._counts.items()}

    def observe(self, host: str, lines: Iterable[str]) -> None:
        counts = self._host(host)
        for line in {fold(line) for line in lines if 0 < word_count(line) <= tuning.RECURRING_MAX_WORDS}:
            if line in counts or len(counts) < tuning.RECURRING_MAX_LINES_PER_HOST:
                counts[line] += 1

    def boilerplate(self, host: str) -> frozenset[str]:
        counts = self._host(host)
        return frozenset(line for line, pages in counts.items() if pages >= tuning.RECURRING_MIN_PAGES)
