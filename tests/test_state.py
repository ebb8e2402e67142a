"""The SQLite state store on a real temporary file: open, stage, commit, recover, lock, faults; and
what the run's owner of it commits at the end of a run."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from scrapy import Request, Spider
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from cleanwire.errors import JobConfigError, RunLocked, StateError
from cleanwire.extensions.runend import CLOSE_REASON_STAT
from cleanwire.extensions.runstate import RunState
from cleanwire.extensions.summary import FAILED_STAT
from cleanwire.state import PageRecord, SqliteStateStore, StateStore


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "jobs" / "state.sqlite"


def test_an_sqlite_store_is_a_state_store(path: Path) -> None:
    store: StateStore = SqliteStateStore(path)  # the Protocol, checked by mypy here
    store.close()


def test_staged_writes_are_invisible_until_commit_and_durable_after(path: Path) -> None:
    store = SqliteStateStore(path)
    record = PageRecord("https://news.example.test/a", '"etag-1"', None, "0" * 64)
    store.stage_page(record)
    store.stage_article("https://news.example.test/a", "1" * 64, "2026-12-01T10:00:00+00:00")
    store.stage_recurring_lines({"news.example.test": {"read more": 4}})
    assert store.page(record.url) is None and store.article(record.url) is None
    store.commit()
    store.close()

    reopened = SqliteStateStore(path)
    assert reopened.page(record.url) == record
    article = reopened.article(record.url)
    assert article is not None and article.text_sha256 == "1" * 64
    assert reopened.recurring_lines("news.example.test") == {"read more": 4}
    reopened.stage_article(record.url, "2" * 64, "2026-12-02T10:00:00+00:00")
    reopened.commit()
    updated = reopened.article(record.url)
    assert updated is not None
    assert (updated.first_seen, updated.last_seen) == ("2026-12-01T10:00:00+00:00", "2026-12-02T10:00:00+00:00")
    reopened.close()


def test_a_killed_run_is_recovered(path: Path, tmp_path: Path) -> None:
    """Uncommitted output is deleted; committed but not yet renamed output is renamed."""
    store = SqliteStateStore(path)
    lost, lost_final = tmp_path / "a.jsonl.part", tmp_path / "a.jsonl"
    kept, kept_final = tmp_path / "b.jsonl.part", tmp_path / "b.jsonl"
    for temp, final in ((lost, lost_final), (kept, kept_final)):
        temp.write_text('{"x": 1}\n')
        store.output_opened(temp, final)
    store.stage_article("https://news.example.test/b", "3" * 64, "2026-12-01T10:00:00+00:00")
    store.commit(kept)  # the run dies here: before the rename, and before a.jsonl was committed
    store.close()

    recovered = SqliteStateStore(path)
    recovered.recover()
    recovered.close()
    assert not lost.exists() and not lost_final.exists()
    assert not kept.exists() and kept_final.read_text() == '{"x": 1}\n'


def test_a_second_store_on_the_same_job_is_locked_out(path: Path) -> None:
    holder = SqliteStateStore(path)
    with pytest.raises(RunLocked, match="in use by pid"):
        SqliteStateStore(path)
    holder.close()
    SqliteStateStore(path).close()  # free again once the holder is gone


def test_a_corrupt_file_is_a_state_error_not_a_traceback(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not an SQLite database, just bytes " * 100)
    with pytest.raises(StateError, match="cannot open state store"):
        SqliteStateStore(path)


def test_a_commit_that_fails_writes_nothing(path: Path) -> None:
    store = SqliteStateStore(path)
    store.stage_article("https://news.example.test/c", "4" * 64, "2026-12-01T10:00:00+00:00")
    other = sqlite3.connect(path, timeout=0)
    other.execute("BEGIN EXCLUSIVE")  # another writer holds the database: the commit cannot start
    store._db.execute("PRAGMA busy_timeout = 0")
    with pytest.raises(StateError, match="cannot commit"):
        store.commit()
    other.rollback()
    other.close()
    assert store.article("https://news.example.test/c") is None
    store.close()


# --- the run's owner of the store (extensions.runstate.RunState), in process ------------------

LISTING = "https://news.example.test/feed.xml"
ARTICLE = "https://news.example.test/a"


def run_state(path: Path, feeds: dict[str, dict[str, str]] | None = None) -> RunState:
    settings = {"CLEANWIRE_STATE_PATH": str(path), "FEEDS": {"out.jsonl": {"format": "jsonlines"}} if feeds is None
                else feeds}
    return RunState.from_crawler(get_crawler(Spider, settings))


def read_listing_and_write_article(state: RunState) -> None:
    state.listing_read(HtmlResponse(LISTING, body=b"<rss/>", headers={"ETag": '"feed-1"'}, request=Request(LISTING)))
    state.item_scraped({"canonical_url": ARTICLE, "text_sha256": "5" * 64, "fetched_at": "2026-12-07T10:00:00+00:00"},
                       HtmlResponse(ARTICLE, body=b"<p>a</p>", request=Request(ARTICLE)))


@pytest.mark.parametrize(("reason", "committed"), [("finished", True), ("shutdown", False),
                                                    ("closespider_timeout", False)])
def test_a_listing_is_committed_only_by_a_run_that_finished(path: Path, reason: str, committed: bool) -> None:
    """An interrupted run reached only some of the pages its feed lists: a 304 for the feed next
    run would hide the others for good. The articles it wrote are committed all the same."""
    state = run_state(path)
    read_listing_and_write_article(state)
    state.stats.set_value(CLOSE_REASON_STAT, reason)
    state.finish()
    store = SqliteStateStore(path)
    assert (store.page(LISTING) is not None) is committed
    assert store.article(ARTICLE) is not None
    store.close()


def test_an_output_that_could_not_be_stored_commits_no_article(path: Path) -> None:
    state = run_state(path, {"s3://bucket/out.jsonl": {"format": "jsonlines"}})
    read_listing_and_write_article(state)
    state.stats.set_value(CLOSE_REASON_STAT, "finished")
    state.stats.inc_value("feedexport/failed_count/S3FeedStorage")  # what Scrapy's FeedExporter counts
    state.finish()
    assert state.stats.get_value(FAILED_STAT) == "an output could not be stored"
    store = SqliteStateStore(path)
    assert store.article(ARTICLE) is None and store.page(LISTING) is None and store.page(ARTICLE) is None
    store.close()


def test_a_state_store_without_an_output_is_refused_before_it_is_opened(path: Path) -> None:
    """RunEnding, built before RunState, refuses the crawl before the store is locked."""
    with pytest.raises(JobConfigError, match="no output: give -a output=DIR"):
        get_crawler(Spider, {"ADDONS": {"cleanwire.Addon": 0}, "CLEANWIRE_STATE_PATH": str(path)})
    assert not path.exists(), "neither opened nor locked"
