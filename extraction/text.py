"""Text measures every rule shares: words (CJK-aware), sentence shape, folding for comparison;
and the repairs every text leaving the extractor gets (entities decoded, invisible marks gone,
characters composed)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from html import unescape

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
# Marks a browser never shows: a soft hyphen (hyphenation plugins put one in every long word of
# German and French pages), a zero-width space, a word joiner, a byte-order mark inside the text.
# Left in, they split words for every reader of the text (search, NLP, a diff). Zero-width
# (non-)joiners stay: they shape Persian and Indic scripts and emoji.
INVISIBLE_MARKS = ("\u00ad", "\u200b", "\u2060", "\ufeff")
_ENTITY_RE = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


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
    """Case-folded, whitespace-collapsed, with leading punctuation and trailing dots trimmed; as
    ``readable`` text, so a line read off the tree compares equal to the same line cleaned."""
    return _FOLD_EDGES_RE.sub("", _SPACE_RE.sub(" ", readable(line)).casefold()).strip()


def readable(text: str) -> str:
    """The text as a reader sees it, and as a program comparing or indexing it needs it: without
    ``INVISIBLE_MARKS``, and composed (NFC: "ä" one character, not "a" and a combining diaeresis,
    which some CMSs store and search engines and tokenizers take for another word; CJK
    compatibility ideographs become their unified forms)."""
    for mark in INVISIBLE_MARKS:
        if mark in text:
            text = text.replace(mark, "")
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def unescaped(text: str) -> str:
    """HTML entities decoded, twice-escaped ones ("&amp;#8230;") too: JSON-LD and meta values are
    text, yet some CMSs print them escaped. Only entities closed by ";": a URL's "&copy=1" is no
    entity in text."""
    while "&" in text and (decoded := _ENTITY_RE.sub(lambda m: unescape(m[0]), text)) != text:
        text = decoded
    return text
