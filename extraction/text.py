"""Text measures every rule shares: words (CJK-aware), sentence shape, folding for comparison."""

from __future__ import annotations

import re
from functools import lru_cache

from . import tuning

# A sentence ends with a full stop, ! ? … or : ; (or a Japanese closing quote, which often
# stands for one), possibly inside closing quotes or brackets, possibly followed by an emoji.
_SENTENCE_END_RE = re.compile(r"[.!?。！？…:;：」』](?:[»”\"'’)\]）」』\s]|[^\w\s])*$")
# Two sentences in one line.
_SENTENCE_BREAK_RE = re.compile(r"\w[.!?。！？]\s+\S")
_WORD_RE = re.compile(r"\w+", re.UNICODE)
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_FOLD_EDGES_RE = re.compile(r"^[\s\W_]+|[\s.!?…:：,;»”\"')\]>›→|]+$", re.UNICODE)
_SPACE_RE = re.compile(r"\s+")


def word_count(text: str) -> int:
    """Words in a line; CJK characters count as about two per word."""
    if _CJK_RE.search(text) is None:  # most lines: one scan, no copy
        return len(_WORD_RE.findall(text))
    cjk = len(_CJK_RE.findall(text))
    return len(_WORD_RE.findall(_CJK_RE.sub(" ", text))) + (cjk + 1) // 2


def is_sentence(text: str) -> bool:
    """The line ends the way a sentence does."""
    return bool(_SENTENCE_END_RE.search(text))


@lru_cache(maxsize=4096)
def is_prose(text: str) -> bool:
    """A paragraph of a story: ``tuning.PROSE_MIN_WORDS`` words or more, ending as a sentence does.
    Cached: the DOM and chunk rules ask it of the same paragraphs again and again."""
    return word_count(text) >= tuning.PROSE_MIN_WORDS and is_sentence(text)


def has_two_sentences(text: str) -> bool:
    return bool(_SENTENCE_BREAK_RE.search(text))


def letters(text: str) -> str:
    """Casefolded word characters only: the same words with other spacing or punctuation compare
    equal (trafilatura joins inline elements with a space, the page may not; a site's name
    written "The Herald" or "the-herald")."""
    return "".join(_WORD_RE.findall(text.casefold()))


def fold(line: str) -> str:
    """Case-folded, whitespace-collapsed, with leading punctuation and trailing dots trimmed."""
    return _FOLD_EDGES_RE.sub("", _SPACE_RE.sub(" ", line).casefold()).strip()
