"""The SQLite state store: one file per job, every run's changes in one transaction.

A run killed at any moment leaves the store as it was, and the next run does the same work
again; an article counts as seen only once its line is durably on disk.
"""

from __future__ import annotations

import fcntl
import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from cleanwire.errors import RunLocked, StateError
from cleanwire.items import utc_now

from .base import ArticleRecord, PageRecord

logger = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    body_sha256 TEXT NOT NULL,
    fetched_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS articles (
    canonical_url TEXT PRIMARY KEY,
    text_sha256 TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS recurring_lines (
    host TEXT NOT NULL,
    line TEXT NOT NULL,
    pages INTEGER NOT NULL,
    PRIMARY KEY (host, line)
);
CREATE TABLE IF NOT EXISTS fingerprints (
    id INTEGER PRIMARY KEY,
    canonical_url TEXT NOT NULL UNIQUE,
    signature BLOB NOT NULL,
    shingles INTEGER NOT NULL,
    first_seen TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS fingerprints_by_age ON fingerprints (first_seen);
CREATE TABLE IF NOT EXISTS fingerprint_bands (
    band INTEGER NOT NULL,
    fingerprint INTEGER NOT NULL REFERENCES fingerprints (id),
    PRIMARY KEY (band, fingerprint)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS outputs (
    temp_path TEXT PRIMARY KEY,
    final_path TEXT NOT NULL,
    committed INTEGER NOT NULL DEFAULT 0
);
"""


class SqliteStateStore:
    """SQLite (WAL mode) state of one job, locked against a second concurrent run.

    The embedded default: one file beside the job, no server. Reads go straight to the
    database (indexed lookups of a local file); staged writes wait in memory for ``commit``.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = self._acquire_lock(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(_SCHEMA)
        except sqlite3.Error as error:
            self._lock.close()
            raise StateError(f"cannot open state store {path}: {error}") from error
        self._pages: dict[str, PageRecord] = {}
        self._articles: dict[str, ArticleRecord] = {}
        self._recurring: dict[str, dict[str, int]] = {}
        self._fingerprints: list[tuple[str, list[int], bytes, int, str]] = []
        self._expire_before: str | None = None

    @staticmethod
    def _acquire_lock(path: Path) -> IO[str]:
        lock_path = path.with_name(path.name + ".lock")
        try:
            lock_path.parent.mkdir(parents=True, exist_ok=True)
            handle = lock_path.open("a+")
        except OSError as error:
            raise StateError(f"cannot open state store lock {lock_path}: {error.strerror}") from error
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise RunLocked(f"state store {path} is in use by {holder}; is the same job still running?") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {utc_now()}\n")
        handle.flush()
        return handle

    # --- reads (committed state only) ---------------------------------------------------

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """Every SQLite failure (locked, corrupt, disk full) leaves as one StateError."""
        try:
            yield
        except sqlite3.Error as error:
            raise StateError(f"state store {self.path}: cannot {doing}: {error}") from error

    def page(self, url: str) -> PageRecord | None:
        with self._errors("read a page"):
            row = self._db.execute(
                "SELECT url, etag, last_modified, body_sha256 FROM pages WHERE url = ?", (url,)).fetchone()
        return PageRecord(*row) if row else None

    def article(self, canonical_url: str) -> ArticleRecord | None:
        with self._errors("read an article"):
            row = self._db.execute(
                "SELECT canonical_url, text_sha256, first_seen, last_seen FROM articles WHERE canonical_url = ?",
                (canonical_url,)).fetchone()
        return ArticleRecord(*row) if row else None

    def recurring_lines(self, host: str) -> dict[str, int]:
        with self._errors("read template counts"):
            rows = self._db.execute("SELECT line, pages FROM recurring_lines WHERE host = ?", (host,)).fetchall()
        return dict(rows)

    def fingerprint_candidates(self, bands: list[int]) -> list[tuple[str, bytes, int]]:
        marks = ",".join("?" * len(bands))
        with self._errors("look up fingerprints"):
            rows = self._db.execute(
                "SELECT canonical_url, signature, shingles FROM fingerprints WHERE id IN "
                f"(SELECT fingerprint FROM fingerprint_bands WHERE band IN ({marks})) ORDER BY id", bands).fetchall()
        return [(url, bytes(signature), shingles) for url, signature, shingles in rows]

    # --- staged writes -----------------------------------------------------------------

    def stage_fingerprint(self, canonical_url: str, bands: list[int], signature: bytes, shingles: int,
                          seen_at: str) -> None:
        self._fingerprints.append((canonical_url, bands, signature, shingles, seen_at))

    def stage_fingerprint_expiry(self, before: str) -> None:
        self._expire_before = before

    def stage_recurring_lines(self, counts: dict[str, dict[str, int]]) -> None:
        self._recurring = counts

    def stage_page(self, record: PageRecord) -> None:
        self._pages[record.url] = record

    def stage_article(self, canonical_url: str, text_sha256: str, seen_at: str) -> None:
        known = self._articles.get(canonical_url) or self.article(canonical_url)
        first_seen = known.first_seen if known else seen_at
        self._articles[canonical_url] = ArticleRecord(canonical_url, text_sha256, first_seen, seen_at)

    def output_opened(self, temp_path: Path, final_path: Path) -> None:
        with self._errors("record an output file"):
            self._db.execute("INSERT OR REPLACE INTO outputs VALUES (?, ?, 0)", (str(temp_path), str(final_path)))

    def commit(self, output: Path | None = None) -> None:
        """Make the staged changes durable in one transaction; on failure nothing is written.

        With ``output`` (the temporary path of a finished output file), the transaction also
        marks that file committed: the caller renames it and calls ``renamed``; if the process
        dies in between, ``recover`` finishes the rename.
        """
        pages = list(self._pages.values())
        now = utc_now()
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany(
                "INSERT INTO pages (url, etag, last_modified, body_sha256, fetched_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, "
                "body_sha256 = excluded.body_sha256, fetched_at = excluded.fetched_at",
                [(p.url, p.etag, p.last_modified, p.body_sha256, now) for p in pages])
            self._db.executemany(
                "INSERT INTO articles (canonical_url, text_sha256, first_seen, last_seen) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(canonical_url) DO UPDATE SET text_sha256 = excluded.text_sha256, "
                "last_seen = excluded.last_seen",
                [(a.canonical_url, a.text_sha256, a.first_seen, a.last_seen) for a in self._articles.values()])
            self._db.executemany(
                "INSERT INTO recurring_lines (host, line, pages) VALUES (?, ?, ?) "
                "ON CONFLICT(host, line) DO UPDATE SET pages = excluded.pages",
                [(host, line, pages) for host, lines in self._recurring.items() for line, pages in lines.items()])
            self._commit_fingerprints()
            if output is not None:
                self._db.execute("UPDATE outputs SET committed = 1 WHERE temp_path = ?", (str(output),))
            self._db.execute("COMMIT")
        except sqlite3.Error as error:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise StateError(f"state store {self.path}: cannot commit: {error}") from error
        logger.info("state committed: %d pages, %d articles", len(pages), len(self._articles))
        self._pages.clear()
        self._articles.clear()
        self._recurring = {}
        self._fingerprints.clear()
        self._expire_before = None

    def _commit_fingerprints(self) -> None:
        """Inside commit's transaction: index the staged fingerprints, forget the expired ones."""
        if self._expire_before is not None:
            expired = "SELECT id FROM fingerprints WHERE first_seen < ?"
            self._db.execute(f"DELETE FROM fingerprint_bands WHERE fingerprint IN ({expired})", (self._expire_before,))
            self._db.execute("DELETE FROM fingerprints WHERE first_seen < ?", (self._expire_before,))
        for url, bands, signature, shingles, seen_at in self._fingerprints:
            row = self._db.execute(
                "INSERT INTO fingerprints (canonical_url, signature, shingles, first_seen) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(canonical_url) DO NOTHING RETURNING id", (url, signature, shingles, seen_at)).fetchone()
            if row is not None:  # an article indexed before keeps its first fingerprint
                self._db.executemany("INSERT OR IGNORE INTO fingerprint_bands (band, fingerprint) VALUES (?, ?)",
                                     [(band, row[0]) for band in bands])

    def renamed(self, temp_path: Path) -> None:
        with self._errors("forget a renamed output"):
            self._db.execute("DELETE FROM outputs WHERE temp_path = ?", (str(temp_path),))

    def recover(self) -> None:
        """Clean up after a killed run: finish the renames it committed, delete what it did not."""
        with self._errors("list outputs of earlier runs"):
            outputs = self._db.execute("SELECT temp_path, final_path, committed FROM outputs").fetchall()
        for temp, final, committed in outputs:
            temp_path = Path(temp)
            if temp_path.exists():
                if committed:
                    os.replace(temp_path, final)
                    logger.warning("finished the output of an interrupted run: %s", final)
                else:
                    temp_path.unlink()
                    logger.warning("deleted the partial output of an interrupted run: %s", temp)
            self.renamed(temp_path)

    def close(self) -> None:
        self._db.close()
        self._lock.close()
