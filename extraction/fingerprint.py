"""Text fingerprints for syndicated copies: the same story under another template, headline or cut.

A text is the set of its word 5-shingles (CJK characters count as words); a ``Fingerprint`` is
its MinHash signature plus the set's size, and its LSH band keys: texts that share
a band key are candidates, and a candidate is a copy when the estimated *containment* of the
smaller text in the larger is high. Containment, not Jaccard similarity, because a teaser that
is half the article is half as similar by Jaccard, yet wholly contained.
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from dataclasses import dataclass
from functools import cache, cached_property

import numpy as np

from . import tuning

_TOKEN_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]|[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Fingerprint:
    """What the index keeps of an article's text."""

    signature: bytes
    """The MinHash values, ``SYNDICATION_PERMUTATIONS`` unsigned 32-bit integers."""
    shingles: int
    """How many distinct shingles the text has."""

    @cached_property
    def bands(self) -> list[int]:
        """LSH band keys: a signed 64-bit hash of each band of rows, the band's number mixed in."""
        rows = tuning.SYNDICATION_BAND_ROWS * 4
        return [struct.unpack("<q", hashlib.blake2b(bytes([band]) + self.signature[start:start + rows],
                                                    digest_size=8).digest())[0]
                for band, start in enumerate(range(0, len(self.signature), rows))]


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The MinHash permutations ``h -> a * h + b mod 2**32`` that every fingerprint uses: those of
    datasketch's ``MinHash(num_perm=SYNDICATION_PERMUTATIONS, seed=1, scheme="affine32")``, made as
    it makes them (the signatures in state stores stay valid; a test holds the two equal). Made
    here with numpy alone: importing datasketch (and its scipy) cost every process that
    fingerprints half a second of start-up, a one-URL run's whole page included."""
    generator = np.random.RandomState(1)
    a = generator.randint(0, 1 << 31, tuning.SYNDICATION_PERMUTATIONS, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, tuning.SYNDICATION_PERMUTATIONS, dtype=np.uint32)
    return a, b


def warm_up() -> None:
    """Make the MinHash permutations before the first text needs them."""
    _permutations()


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, which datasketch applies to each hash before permuting it."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    mixed: np.ndarray = values ^ (values >> np.uint32(16))
    return mixed


def fingerprint(text: str) -> Fingerprint | None:
    """The fingerprint of a text, or None when it is too short to tell copies apart."""
    tokens = [token.casefold() for token in _TOKEN_RE.findall(text)]
    size = tuning.SYNDICATION_SHINGLE_WORDS
    shingles = {" ".join(tokens[i:i + size]).encode() for i in range(len(tokens) - size + 1)}
    if len(shingles) < tuning.SYNDICATION_MIN_SHINGLES:
        return None
    a, b = _permutations()
    # crc32: stable across runs, 10x sha1's speed; uint32 arithmetic wraps, as the permutations mean
    hashes = _fmix32(np.fromiter(map(zlib.crc32, shingles), dtype=np.uint32, count=len(shingles)))
    signature = (hashes[:, np.newaxis] * a + b).min(axis=0)
    return Fingerprint(signature.astype("<u4").tobytes(), len(shingles))


def containment(a: Fingerprint, b: Fingerprint) -> float:
    """The estimated share of the smaller text's shingles that the larger one holds.

    From the MinHash estimate of Jaccard similarity J: |A ∩ B| = J (|A| + |B|) / (1 + J).
    """
    values = len(a.signature) // 4
    left, right = struct.unpack(f"<{values}I", a.signature), struct.unpack(f"<{values}I", b.signature)
    jaccard = sum(x == y for x, y in zip(left, right, strict=True)) / values
    shared = jaccard * (a.shingles + b.shingles) / (1 + jaccard)
    return min(1.0, float(shared / min(a.shingles, b.shingles)))


class NearDuplicateIndex:
    """Fingerprints by band key, in memory: the articles of one run (the state store keeps the
    committed ones). ``find`` gives the earliest indexed article the text is a copy of."""

    def __init__(self) -> None:
        self._by_band: dict[int, list[int]] = {}
        self._entries: list[tuple[str, Fingerprint]] = []

    def add(self, key: str, fp: Fingerprint) -> None:
        position = len(self._entries)
        self._entries.append((key, fp))
        for band in fp.bands:
            self._by_band.setdefault(band, []).append(position)

    def candidates(self, fp: Fingerprint) -> list[tuple[str, Fingerprint]]:
        """Indexed articles sharing a band key with this one, earliest first."""
        positions = sorted({p for band in fp.bands for p in self._by_band.get(band, ())})
        return [self._entries[p] for p in positions]

    def find(self, fp: Fingerprint) -> tuple[str, float] | None:
        return earliest_copy(fp, self.candidates(fp))


def earliest_copy(fp: Fingerprint, candidates: list[tuple[str, Fingerprint]]) -> tuple[str, float] | None:
    """The first candidate (they come earliest first) this text is a near-duplicate of, with the
    similarity: ``SYNDICATION_MIN_CONTAINMENT`` of the smaller text in the larger."""
    for key, other in candidates:
        similarity = containment(fp, other)
        if similarity >= tuning.SYNDICATION_MIN_CONTAINMENT:
            return key, round(similarity, 3)
    return None
