"""The state store: what earlier runs fetched and emitted ("only what is new").

``open_store`` builds the backend the settings name (``CLEANWIRE_STATE_BACKEND``, SQLite by
default) or returns None when the run keeps no state (no ``CLEANWIRE_STATE_PATH``).
"""

from __future__ import annotations

from pathlib import Path

from scrapy.settings import BaseSettings
from scrapy.utils.misc import load_object

from .base import ArticleRecord, PageRecord, StateReader, StateStore
from .sqlite import SqliteStateStore

__all__ = ["ArticleRecord", "PageRecord", "SqliteStateStore", "StateReader", "StateStore", "open_store"]


def open_store(settings: BaseSettings) -> StateStore | None:
    """The run's store, locked and opened; None when no state is kept."""
    path = settings.get("CLEANWIRE_STATE_PATH")
    if not path:
        return None
    backend = load_object(settings.get("CLEANWIRE_STATE_BACKEND", "cleanwire.state.sqlite.SqliteStateStore"))
    store: StateStore = backend(Path(path))
    return store
