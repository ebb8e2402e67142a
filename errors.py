"""The one error tree of cleanwire: catch ``CleanwireError`` to catch them all."""

from __future__ import annotations


class CleanwireError(Exception):
    """Base of every error cleanwire raises on purpose."""


class ExtractionError(CleanwireError):
    """A page could not be turned into an article (not HTML, no parsable tree)."""


class JobConfigError(CleanwireError):
    """Spider arguments or a jobs file do not describe a runnable crawl."""


class StateError(CleanwireError):
    """The state store cannot be opened, read or written."""


class RunLocked(StateError):
    """Another run holds the lock of the same state store (the same job)."""


class ExtractionCrashed(CleanwireError):
    """The worker process extracting a page died (a crash, the memory limit); the pool goes on."""


class ExtractionTimeout(CleanwireError):
    """A page took longer than ``CLEANWIRE_EXTRACT_TIMEOUT`` to extract; its worker was replaced."""
