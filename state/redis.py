"""The Redis state store: one "only new" state shared by every worker of a distributed crawl.

Same promise as SQLite (every article emitted exactly once across workers and runs), kept
with claims and leases instead of one process's lock:

- a worker claims an article (``claim``) before its line is written; the claim names the
  worker, and holds while the worker's heartbeat key lives (its lease, renewed by a thread);
- ``commit`` is one Lua script, atomic in Redis: it refuses everything unless every staged
  article is still claimed by this worker, then writes articles, validators, template counts
  and fingerprints and releases the claims;
- a worker killed before its commit stops renewing its lease: its claims lapse, its
  ``.part`` file is deleted by the first worker started on the same host after that
  (``recover``), the requests it had taken go back to the shared queue
  (``spiders.frontier.LeasedQueue``), and another worker or the next round emits its articles.

Redis must keep what it acknowledged (AOF, ``appendfsync always`` or ``everysec``): state
that Redis loses is emitted again. Keys live under one prefix (``<prefix>:articles``,
``:pages``, ``:recurring:<host>``, ``:fp``, ``:fp:age``, ``:band:<n>``, ``:claim:<url>``,
``:worker:<id>``, ``:outputs:<hostname>``); the Lua scripts touch keys they compute, so use
one Redis (or one Sentinel-managed primary), not Redis Cluster.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from cleanwire.errors import StateError

from .base import ArticleRecord, Claim, PageRecord

logger = logging.getLogger(__name__)

CLAIM_GC_MS = 7 * 24 * 3600 * 1000
"""A claim key outlives its lease only to be taken over; Redis forgets it after a week."""

_CLAIM = """
local known = redis.call('HGET', KEYS[1], ARGV[1])
local previous = ''
if known then
  previous = cjson.decode(known)[1]
  if previous == ARGV[2] then return {'unchanged', previous} end
end
local owner = redis.call('GET', KEYS[2])
if owner and owner ~= ARGV[3] and redis.call('EXISTS', ARGV[4] .. owner) == 1 then
  return {'taken', owner}
end
redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[5])
return {'granted', previous}
"""

_COMMIT = """
local p = ARGV[1]
local me = ARGV[2]
local data = cjson.decode(ARGV[3])
for _, a in ipairs(data.articles) do
  if redis.call('GET', p .. ':claim:' .. a[1]) ~= me then return {'lost', a[1]} end
end
for _, a in ipairs(data.articles) do
  local known = redis.call('HGET', p .. ':articles', a[1])
  local first = a[3]
  if known then first = cjson.decode(known)[2] end
  redis.call('HSET', p .. ':articles', a[1], cjson.encode({a[2], first, a[3]}))
  redis.call('DEL', p .. ':claim:' .. a[1])
end
for _, page in ipairs(data.pages) do
  redis.call('HSET', p .. ':pages', page[1], page[2])
end
for _, r in ipairs(data.recurring) do
  redis.call('HINCRBY', p .. ':recurring:' .. r[1], r[2], r[3])
end
if data.expire_before ~= cjson.null then
  for _, url in ipairs(redis.call('ZRANGEBYSCORE', p .. ':fp:age', '-inf', '(' .. data.expire_before)) do
    local fp = redis.call('HGET', p .. ':fp', url)
    if fp then
      for _, band in ipairs(cjson.decode(fp)[3]) do redis.call('SREM', p .. ':band:' .. band, url) end
    end
    redis.call('HDEL', p .. ':fp', url)
    redis.call('ZREM', p .. ':fp:age', url)
  end
end
for _, f in ipairs(data.fingerprints) do
  if redis.call('HSETNX', p .. ':fp', f[1], f[2]) == 1 then
    redis.call('ZADD', p .. ':fp:age', f[3], f[1])
    for _, band in ipairs(f[4]) do redis.call('SADD', p .. ':band:' .. band, f[1]) end
  end
end
if data.output ~= '' then
  local key = p .. ':outputs:' .. data.host
  local entry = redis.call('HGET', key, data.output)
  if entry then
    local fields = cjson.decode(entry)
    redis.call('HSET', key, data.output, cjson.encode({fields[1], fields[2], 1}))
  end
end
return {'committed', ''}
"""


def client(url: str, decode_responses: bool = True, **params: Any) -> redis.Redis:
    """A client that rides out a Redis restart: each command is retried for about 20 seconds
    (backoff up to 2 s) before a connection error reaches the caller."""
    return redis.Redis.from_url(url, decode_responses=decode_responses, **retrying(), **params)


def retrying() -> dict[str, Any]:
    """redis-py connection parameters: retry connection errors and timeouts with backoff."""
    return {"retry": Retry(ExponentialBackoff(cap=2.0, base=0.1), 15),
            "retry_on_error": [redis.ConnectionError, redis.TimeoutError],
            "socket_connect_timeout": 5, "socket_timeout": 30}


def _score(timestamp: str) -> float:
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp()


class RedisStateStore:
    """The state of one job in Redis, shared by concurrent workers (see the module docstring).

    Reads go to Redis at each lookup (committed state); writes wait in memory for ``commit``.
    """

    shared = True
    """A refused commit discards the output file: the articles are claimed by no one once this
    worker's lease lapses, and another worker or the next round emits them, once."""

    def __init__(self, url: str, prefix: str, lease: float = 30.0) -> None:
        self.url, self.prefix, self.lease = url, prefix, lease
        self.worker = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.lease_keys = self._key("worker", "")
        self.host = socket.gethostname()
        self._redis = client(url)
        with self._errors("open the state store"):
            self._redis.ping()
            self._claim = self._redis.register_script(_CLAIM)
            self._commit = self._redis.register_script(_COMMIT)
            self._beat()
        self._stop = threading.Event()
        self._heart = threading.Thread(target=self._heartbeat, name="cleanwire-lease", daemon=True)
        self._heart.start()
        self._pages: dict[str, PageRecord] = {}
        self._articles: dict[str, tuple[str, str]] = {}
        self._recurring: dict[str, dict[str, int]] = {}
        self._read_recurring: dict[str, dict[str, int]] = {}
        self._fingerprints: list[tuple[str, list[int], bytes, int, str]] = []
        self._expire_before: str | None = None
        logger.info("state store: Redis %s, keys %s:*, worker %s (lease %gs)", _safe(url), prefix, self.worker, lease)

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """Every Redis failure (down past the retries, refused, out of memory) leaves as one StateError."""
        try:
            yield
        except redis.RedisError as error:
            raise StateError(f"state store Redis {_safe(self.url)}: cannot {doing}: {error}") from error

    def _key(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    def _beat(self) -> None:
        self._redis.set(self.lease_keys + self.worker, "1", px=int(self.lease * 1000))

    def _heartbeat(self) -> None:
        """Renew the lease three times per period; a worker that cannot is told in the log,
        and its commit is refused if another worker took its claims meanwhile."""
        while not self._stop.wait(self.lease / 3):
            try:
                self._beat()
            except redis.RedisError as error:
                logger.warning("cannot renew the lease of worker %s: %s", self.worker, error)

    # --- reads (committed state only) ---------------------------------------------------

    def page(self, url: str) -> PageRecord | None:
        with self._errors("read a page"):
            raw = self._redis.hget(self._key("pages"), url)
        return PageRecord(url, *json.loads(raw)) if raw else None

    def article(self, canonical_url: str) -> ArticleRecord | None:
        with self._errors("read an article"):
            raw = self._redis.hget(self._key("articles"), canonical_url)
        return ArticleRecord(canonical_url, *json.loads(raw)) if raw else None

    def recurring_lines(self, host: str) -> dict[str, int]:
        with self._errors("read template counts"):
            counts = {str(line): int(pages) for line, pages in self._redis.hgetall(self._key("recurring", host)).items()}
        self._read_recurring[host] = counts  # what this worker adds to is committed as increments
        return dict(counts)

    def fingerprint_candidates(self, bands: list[int]) -> list[tuple[str, bytes, int]]:
        with self._errors("look up fingerprints"):
            urls = sorted(str(url) for url in self._redis.sunion([self._key("band", str(band)) for band in bands]))
            if not urls:
                return []
            pipe = self._redis.pipeline(transaction=False)
            pipe.hmget(self._key("fp"), urls)
            pipe.zmscore(self._key("fp", "age"), urls)
            fingerprints, ages = pipe.execute()
        found = [(age, url, json.loads(fp)) for url, fp, age in zip(urls, fingerprints, ages, strict=True) if fp]
        return [(url, bytes.fromhex(fp[0]), fp[1]) for _, url, fp in sorted(found, key=lambda f: (f[0], f[1]))]

    # --- claims ----------------------------------------------------------------------

    def claim(self, canonical_url: str, text_sha256: str) -> Claim:
        """Take the article for this worker, atomically, unless its text is the committed one
        or a live worker holds it."""
        with self._errors("claim an article"):
            verdict, detail = self._claim(keys=[self._key("articles"), self._key("claim", canonical_url)],
                                          args=[canonical_url, text_sha256, self.worker, self.lease_keys,
                                                CLAIM_GC_MS])
        return Claim(verdict, detail or None)

    # --- staged writes -----------------------------------------------------------------

    def stage_page(self, record: PageRecord) -> None:
        self._pages[record.url] = record

    def stage_article(self, canonical_url: str, text_sha256: str, seen_at: str) -> None:
        self._articles[canonical_url] = (text_sha256, seen_at)

    def stage_recurring_lines(self, counts: dict[str, dict[str, int]]) -> None:
        self._recurring = counts

    def stage_fingerprint(self, canonical_url: str, bands: list[int], signature: bytes, shingles: int,
                          seen_at: str) -> None:
        self._fingerprints.append((canonical_url, bands, signature, shingles, seen_at))

    def stage_fingerprint_expiry(self, before: str) -> None:
        self._expire_before = before

    def output_opened(self, temp_path: Path, final_path: Path) -> None:
        with self._errors("record an output file"):
            self._redis.hset(self._key("outputs", self.host), str(temp_path),
                             json.dumps([str(final_path), self.worker, 0]))

    def _recurring_increments(self) -> list[tuple[str, str, int]]:
        """Other workers add to the same counts meanwhile: send what this one saw, not totals."""
        return [(host, line, pages - self._read_recurring.get(host, {}).get(line, 0))
                for host, lines in self._recurring.items() for line, pages in lines.items()
                if pages != self._read_recurring.get(host, {}).get(line, 0)]

    def commit(self, output: Path | None = None) -> None:
        """All staged changes in one atomic script; refused (StateError, nothing written) when
        this worker no longer holds the claim of an article it staged."""
        data = {
            "articles": [[url, sha, seen] for url, (sha, seen) in self._articles.items()],
            "pages": [[p.url, json.dumps([p.etag, p.last_modified, p.body_sha256])] for p in self._pages.values()],
            "recurring": self._recurring_increments(),
            "expire_before": _score(self._expire_before) if self._expire_before else None,
            # band keys are 64-bit: strings, or Lua's doubles would round them
            "fingerprints": [[url, json.dumps([signature.hex(), shingles, keys]), _score(seen), keys]
                             for url, bands, signature, shingles, seen in self._fingerprints
                             for keys in ([str(band) for band in bands],)],
            "output": str(output) if output is not None else "",
            "host": self.host,
        }
        with self._errors("commit"):
            verdict, detail = self._commit(args=[self.prefix, self.worker, json.dumps(data)])
        if verdict == "lost":
            raise StateError(f"state store Redis {_safe(self.url)}: cannot commit: the claim of {detail} "
                             f"lapsed and another worker took it (was worker {self.worker} stalled?)")
        logger.info("state committed: %d pages, %d articles", len(self._pages), len(self._articles))
        for host, lines in self._recurring.items():
            self._read_recurring[host] = dict(lines)
        self._pages.clear()
        self._articles.clear()
        self._recurring = {}
        self._fingerprints.clear()
        self._expire_before = None

    def renamed(self, temp_path: Path) -> None:
        with self._errors("forget a renamed output"):
            self._redis.hdel(self._key("outputs", self.host), str(temp_path))

    def recover(self) -> None:
        """Outputs of this host's dead workers: finish the renames they committed, delete the rest.
        A live worker's file is left alone: it is still being written."""
        with self._errors("list outputs of earlier workers"):
            outputs = self._redis.hgetall(self._key("outputs", self.host))
            for temp, entry in outputs.items():
                final, worker, committed = json.loads(entry)
                if worker == self.worker or self._redis.exists(self.lease_keys + worker):
                    continue
                temp_path = Path(str(temp))
                if temp_path.exists():
                    if committed:
                        os.replace(temp_path, final)
                        logger.warning("finished the output of an interrupted worker: %s", final)
                    else:
                        temp_path.unlink()
                        logger.warning("deleted the partial output of an interrupted worker: %s", temp)
                self._redis.hdel(self._key("outputs", self.host), temp)

    def close(self) -> None:
        """Stop the heartbeat and end the lease now: claims left uncommitted are free at once."""
        self._stop.set()
        self._heart.join(timeout=5)
        try:
            self._redis.delete(self.lease_keys + self.worker)
        except redis.RedisError as error:
            logger.warning("cannot end the lease of worker %s (it lapses in %gs): %s", self.worker, self.lease, error)
        self._redis.close()


def _safe(url: str) -> str:
    """The URL without a password, for messages."""
    head, at, tail = url.rpartition("@")
    return f"{head.split('//')[0]}//***@{tail}" if at else url
