"""Template learning: short lines that recur across many pages of one host are boilerplate.

A widget heading, a newsletter prompt or a standing disclaimer comes out of every article of
a site; real paragraphs do not. The learner counts, per host, on how many pages each short
non-prose line was extracted, and how many pages it saw; a line on enough pages that are a
large share of the host's is handed to the extractor as boilerplate. The share matters where
one host serves many sources (an aggregator, a mirror, a test server): a subheading common to
a few of its stories ("Conclusion") recurs, but only a template's line is on a good part of
all of them.
A single page never depends on it: the rules clean it alone; this catches what they miss.
With a state store the counts carry over from run to run, so a scheduled crawl that sees a
few pages of a host per run still learns the host's template.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from . import tuning
from .text import fold, is_prose, word_count

PAGES_KEY = "#pages"
"""The host's page total, kept among its line counts: no folded line starts with "#"."""


def _is_template_shaped(line: str) -> bool:
    """Short and not prose: a full sentence of a paragraph's length is never template."""
    words = word_count(line)
    return 0 < words <= tuning.RECURRING_MAX_WORDS and not is_prose(line)


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
        """One page's lines (the kept ones and those cut as recurring: a learnt line stays counted)."""
        counts = self._host(host)
        counts[PAGES_KEY] = max(counts[PAGES_KEY], max(counts.values(), default=0)) + 1
        for line in {fold(line) for line in lines if _is_template_shaped(line)}:
            if line in counts or len(counts) < tuning.RECURRING_MAX_LINES_PER_HOST:
                counts[line] += 1

    def boilerplate(self, host: str) -> frozenset[str]:
        counts = self._host(host)
        least = max(tuning.RECURRING_MIN_PAGES, tuning.RECURRING_MIN_SHARE * counts[PAGES_KEY])
        return frozenset(line for line, pages in counts.items() if pages >= least and line != PAGES_KEY)
