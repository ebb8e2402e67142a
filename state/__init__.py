"""The state store: what earlier runs fetched and emitted ("only what is new").

``open_store`` builds the backend the settings name (``CLEANWIRE_STATE_BACKEND``, SQLite by
default), the shared Redis store when ``CLEANWIRE_REDIS_URL`` is set, or returns None when the
run keeps no state (no ``CLEANWIRE_STATE_PATH``).
"""

from __future__ import annotations

from pathlib import Path

from scrapy.settings import BaseSettings
from scrapy.utils.misc import load_object

from .base import ArticleRecord, Claim, PageRecord, SharedStateStore, StateReader, StateStore
from .redis import RedisStateStore
from .sqlite import SqliteStateStore

__all__ = ["ArticleRecord", "Claim", "PageRecord", "RedisStateStore", "SharedStateStore", "SqliteStateStore",
           "StateReader", "StateStore", "open_store"]

DEFAULT_REDIS_PREFIX = "cleanwire:news"


def open_store(settings: BaseSettings) -> StateStore | None:
    """The run's store, locked and opened; None when no state is kept."""
    redis_url = settings.get("CLEANWIRE_REDIS_URL")
    if redis_url:
        return RedisStateStore(redis_url, settings.get("CLEANWIRE_REDIS_PREFIX", DEFAULT_REDIS_PREFIX),
                               settings.getfloat("CLEANWIRE_REDIS_LEASE", 30.0))
    path = settings.get("CLEANWIRE_STATE_PATH")
    if not path:
        return None
    backend = load_object(settings.get("CLEANWIRE_STATE_BACKEND", "cleanwire.state.sqlite.SqliteStateStore"))
    store: StateStore = backend(Path(path))
    return store
