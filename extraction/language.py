"""The language of the extracted text, for pages that declare none (and to check those that do).

py3langid: langid.py's naive Bayes model (over a hundred languages) with its model file in the wheel, so
nothing is downloaded at run time; numpy only, which the fingerprints use too; about a
millisecond per article. It is trafilatura's author's maintained fork of langid.py.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from . import tuning
from .text import word_count

_ISO_639_1_RE = re.compile(r"^[a-z]{2}$")


@cache
def _identifier() -> Any:
    """Loaded once per process, on first use (half a second): worker processes load their own."""
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def warm_up() -> None:
    """Load the model before the first text needs it (a worker's first page has a timeout)."""
    _identifier()


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the text's language, or None when the text is too short or the
    detector unsure."""
    if word_count(text) < tuning.LANGUAGE_MIN_WORDS:
        return None
    language, confidence = _identifier().classify(text[:tuning.LANGUAGE_SAMPLE_CHARS])
    if confidence < tuning.LANGUAGE_MIN_CONFIDENCE or not _ISO_639_1_RE.match(language):
        return None
    return str(language)
