"""What a state store is: the interface every backend implements, and the records it keeps.

A run reads committed state freely and writes nothing until it ends: every change is staged
and committed at once, together with the output file it belongs to. The interface is split
so that the type checker keeps the rule "one owner writes": components that only need to
look things up receive a ``StateReader``; the run's owner (``extensions.runstate.RunState``)
alone holds the ``StateStore``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class PageRecord:
    """HTTP validators and body hash of a page as last fetched."""

    url: str
    etag: str | None
    last_modified: str | None
    body_sha256: str


@dataclass(frozen=True)
class ArticleRecord:
    """An article as last emitted: its text hash and when it was first and last seen."""

    canonical_url: str
    text_sha256: str
    first_seen: str
    last_seen: str


class StateReader(Protocol):
    """Committed state, for lookups during a run."""

    def page(self, url: str) -> PageRecord | None: ...

    def article(self, canonical_url: str) -> ArticleRecord | None: ...

    def recurring_lines(self, host: str) -> dict[str, int]:
        """Template learning: on how many pages of ``host`` each short line was seen."""
        ...

    def fingerprint_candidates(self, bands: list[int]) -> list[tuple[str, bytes, int]]:
        """Syndicated copies: (canonical URL, signature, shingles) of the indexed articles that
        share a band key with these, earliest first."""
        ...


class StateStore(StateReader, Protocol):
    """A backend: committed reads, staged writes, one commit per run, recovery of killed runs.

    Errors are raised as ``cleanwire.errors.StateError`` (``RunLocked`` when another run
    holds the job).
    """

    def stage_page(self, record: PageRecord) -> None: ...

    def stage_article(self, canonical_url: str, text_sha256: str, seen_at: str) -> None: ...

    def stage_recurring_lines(self, counts: dict[str, dict[str, int]]) -> None: ...

    def stage_fingerprint(self, canonical_url: str, bands: list[int], signature: bytes, shingles: int,
                          seen_at: str) -> None: ...

    def stage_fingerprint_expiry(self, before: str) -> None:
        """At commit, forget the fingerprints of articles first seen before this time."""
        ...

    def output_opened(self, temp_path: Path, final_path: Path) -> None:
        """Record an output file being written, so that a killed run's leftovers are found."""
        ...

    def commit(self, output: Path | None = None) -> None:
        """Make the staged changes durable at once; with ``output``, mark that file committed."""
        ...

    def renamed(self, temp_path: Path) -> None:
        """The committed output file has its final name: forget it."""
        ...

    def recover(self) -> None:
        """Finish the renames a killed run committed; delete the outputs it did not."""
        ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class Claim:
    """A shared store's answer to a worker that wants to emit an article.

    ``verdict``: ``granted`` (emit it; ``previous`` is the committed text hash, if any),
    ``unchanged`` (its text is the committed one) or ``taken`` (a live worker holds it;
    ``previous`` names that worker).
    """

    verdict: str
    previous: str | None


@runtime_checkable
class SharedStateStore(StateStore, Protocol):
    """A store that concurrent workers share: articles are claimed before they are written,
    and a refused commit discards the output (its articles go to another worker or the next
    round) instead of keeping it."""

    shared: bool
    worker: str
    """This worker's id."""
    lease_keys: str
    """Where leases live: the key ``lease_keys + worker`` exists while that worker is alive."""

    def claim(self, canonical_url: str, text_sha256: str) -> Claim: ...
