"""The one error tree of cleanwire: catch ``CleanwireError`` to catch them all."""

from __future__ import annotations

import difflib
from collections.abc import Collection


class CleanwireError(Exception):
    """Base of every error cleanwire raises on purpose."""


class ExtractionError(CleanwireError):
    """A page could not be turned into an article (not HTML, no parsable tree)."""


class JobConfigError(CleanwireError):
    """Spider arguments, a jobs file or a ``CLEANWIRE_*`` setting do not describe a runnable crawl."""


class UnknownName(JobConfigError):
    """A name cleanwire does not know (a misspelt argument, jobs-file key or setting): obeyed
    silently, a typo would change what the run does without a word. Names the closest known one."""

    def __init__(self, what: str, word: str, known: Collection[str], where: str = "") -> None:
        close = difflib.get_close_matches(word, sorted(known), n=1)
        self.word, self.suggestion = word, (close[0] if close else None)
        hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(sorted(known))}"
        super().__init__(f"{where}{': ' if where else ''}unknown {what} {word!r} ({hint})")


class OptionError(CleanwireError, ValueError):
    """An option of ``cleanwire.extract`` it cannot take (an unknown body format); a ValueError too."""


class StateError(CleanwireError):
    """The state store cannot be opened, read or written."""


class RunLocked(StateError):
    """Another run holds the lock of the same state store (the same job)."""


class ExtractionCrashed(CleanwireError):
    """The worker process extracting a page died (a crash, the memory limit); the pool goes on."""


class ExtractionTimeout(CleanwireError):
    """A page took longer than ``CLEANWIRE_EXTRACT_TIMEOUT`` to extract; its worker was replaced."""
