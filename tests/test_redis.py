"""Past one machine: workers sharing one crawl through a real redis-server (scrapy-redis + the Redis state store).

Every test starts or uses a redis-server on 127.0.0.1 on a free port (AOF, fsync always, as
the README asks of a production Redis), and runs workers as real ``scrapy crawl`` processes.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis

from cleanwire.errors import StateError
from cleanwire.state import PageRecord, RedisStateStore
from demo.server import DemoServer

from .conftest import ROOT, STRICT_PYTHON, read_jsonl

TRUTH = read_jsonl(ROOT / "demo" / "truth.jsonl")
WORKER_TIMEOUT = 120
# A worker takes up to CONCURRENT_REQUESTS requests from the shared queue at a time, and an idle
# one looks at it every 5 s (Scrapy's engine heartbeat). PACE: one worker alone takes about 10 s on
# the demo site's 65 requests, so the other, started with it, finds work whichever came up first.
# QUICK_PACE where the test needs a crawl in progress, not two busy workers.
PACE = ["-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0.15", "-s", "CONCURRENT_REQUESTS=2"]
QUICK_PACE = ["-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0.05", "-s", "CONCURRENT_REQUESTS=2"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RedisServer:
    """A real redis-server in a subprocess, durable like a production one (AOF, fsync always)."""

    def __init__(self, data_dir: Path, port: int | None = None) -> None:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        assert os.path.exists(binary), "redis-server is missing: `make test` installs it (Debian package redis-server)"
        self.binary, self.data_dir, self.port = binary, data_dir, port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.data_dir),
             "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--protected-mode", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(port=self.port)
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                assert self.process.poll() is None, "redis-server exited at start"
                assert time.monotonic() < deadline, "redis-server did not answer in 20 s"
                time.sleep(0.05)
        client.close()

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, decode_responses=True)


@pytest.fixture(scope="module")
def shared_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_server(shared_redis: RedisServer) -> RedisServer:
    """The module's server, emptied for each test."""
    with shared_redis.client() as client:
        client.flushall()
    return shared_redis


_STARTED: list[subprocess.Popen[bytes]] = []


@pytest.fixture(autouse=True)
def no_worker_left() -> Iterator[None]:
    """A test that fails mid-crawl leaves no worker behind."""
    yield
    while _STARTED:
        process = _STARTED.pop()
        if process.poll() is None:
            process.kill()
        process.wait(10)


class Worker:
    """``scrapy crawl news`` as one worker of the distributed crawl, its log in a file."""

    def __init__(self, redis_url: str, workdir: Path, name: str, *extra: str) -> None:
        self.output, self.log = workdir / name, workdir / f"{name}.log"
        self.stats_file = workdir / f"{name}.stats.json"
        command = [*STRICT_PYTHON, "scrapy", "crawl", "news", "-a", f"output={self.output}",
                   "-s", f"CLEANWIRE_REDIS_URL={redis_url}", "-s", "CLEANWIRE_REDIS_IDLE_SECONDS=3",
                   "-s", "CLEANWIRE_EXTRACT_WORKERS=0", "-s", "LOG_LEVEL=DEBUG",
                   "-s", f"CLEANWIRE_STATS_FILE={self.stats_file}", *extra]
        with self.log.open("w") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log)
        _STARTED.append(self.process)

    def wait(self) -> int:
        try:
            return self.process.wait(WORKER_TIMEOUT)
        finally:
            if self.process.poll() is None:
                self.process.kill()

    def wait_for(self, condition: Callable[[str], bool], what: str) -> None:
        deadline = time.monotonic() + 60
        while not condition(self.log.read_text()):
            assert self.process.poll() is None, f"the worker ended before {what}:\n{self.log.read_text()[-3000:]}"
            assert time.monotonic() < deadline, f"no {what} in 60 s"
            time.sleep(0.02)

    @property
    def stats(self) -> dict:
        return json.loads(self.stats_file.read_text()) if self.stats_file.exists() else {}

    def items(self) -> list[dict]:
        return [item for path in sorted(self.output.glob("*.jsonl")) for item in read_jsonl(path)]


def busy(workers: list[Worker], articles: int) -> Worker:
    """The first running worker to have written ``articles`` articles (not yet committed)."""
    deadline = time.monotonic() + 60
    while True:
        for worker in workers:
            if worker.process.poll() is None and worker.log.read_text().count("Scraped from") >= articles:
                return worker
        assert any(w.process.poll() is None for w in workers), "the workers ended first"
        assert time.monotonic() < deadline, f"no worker wrote {articles} articles in 60 s"
        time.sleep(0.02)


def seed(redis_url: str, *sources: str) -> None:
    done = subprocess.run([*STRICT_PYTHON, "scrapy", "seed",
                           *[arg for source in sources for arg in ("-a", source)], "-s", f"CLEANWIRE_REDIS_URL={redis_url}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "pushed to cleanwire:news:seeds (new round)" in done.stdout


def run_round(redis_url: str, workdir: Path, name: str, sources: list[str], workers: int = 2,
              *extra: str) -> list[Worker]:
    """Seed, start the workers together, wait until they have drained the queue and exited."""
    seed(redis_url, *sources)
    running = [Worker(redis_url, workdir, f"{name}-{n}", *extra) for n in range(workers)]
    for worker in running:
        code = worker.wait()
        log = worker.log.read_text()
        assert code == 0, log[-4000:]
        assert "Traceback" not in log, log[-4000:]
    return running


def canonicals(server: DemoServer) -> list[str]:
    return sorted(t["canonical"].replace("__BASE__", server.base_url) for t in TRUTH)


def emitted(workdir: Path) -> list[str]:
    """Every canonical URL in every published output file under ``workdir``, repeats included."""
    return sorted(item["canonical_url"] for path in workdir.rglob("*.jsonl") for item in read_jsonl(path))


def test_two_workers_share_the_crawl_and_emit_each_article_once(redis_server: RedisServer, copy_server: DemoServer,
                                                                 tmp_path: Path) -> None:
    base = copy_server.base_url
    sources = [f"site={base}/", f"feed={base}/feed.xml", f"sitemap={base}/sitemap.xml"]  # overlapping on purpose
    first = run_round(redis_server.url, tmp_path, "first", sources, 2, *PACE)
    assert emitted(tmp_path) == canonicals(copy_server)  # each article once, across both files
    assert all(w.stats.get("scheduler/dequeued/redis", 0) > 0 for w in first), "both workers took requests"
    fetched = Counter(line.split("<GET ", 1)[1].split(">", 1)[0] for w in first for line in w.log.read_text().splitlines()
                      if "Crawled (200) <GET " in line and "robots.txt" not in line)
    assert max(fetched.values()) == 1, "the shared dupefilter fetches each page once across workers"

    with redis_server.client() as client:  # validators and template counts are shared state
        assert client.hlen("cleanwire:news:pages") >= len(TRUTH)
        assert client.keys("cleanwire:news:recurring:*")
        assert not client.keys("cleanwire:news:claim:*"), "every claim was committed and released"

    second = run_round(redis_server.url, tmp_path, "second", sources, 2, *PACE)
    assert emitted(tmp_path) == canonicals(copy_server), "nothing new the second time"
    assert all(not w.items() for w in second)
    unchanged = sum(w.stats.get("cleanwire/unchanged/not_modified", 0) for w in second)
    assert unchanged >= len(TRUTH), "the second round asked with the first round's validators"


def test_a_worker_killed_mid_crawl_loses_nothing_and_doubles_nothing(redis_server: RedisServer,
                                                                    copy_server: DemoServer, tmp_path: Path) -> None:
    """What the victim had taken (in flight, or written to its ``.part`` but not committed) goes
    back to the shared queue once its lease lapses, and the survivor does it within the round."""
    lease = ["-s", "CLEANWIRE_REDIS_LEASE=2"]
    seed(redis_server.url, f"site={copy_server.base_url}/")
    workers = [Worker(redis_server.url, tmp_path, f"w{n}", *QUICK_PACE, *lease) for n in range(2)]
    victim = busy(workers, 3)  # whichever writes first: an idle worker may have found no work yet
    [survivor] = [w for w in workers if w is not victim]
    victim.process.send_signal(signal.SIGKILL)
    victim.process.wait(10)
    assert list(victim.output.glob("*.part")), "the victim died with articles written but not committed"
    assert survivor.wait() == 0 and "Traceback" not in survivor.log.read_text()
    assert survivor.stats["cleanwire/redis/reclaimed"] >= 3, "the victim's requests came back to the queue"
    assert emitted(tmp_path) == canonicals(copy_server), "within the round: nothing lost, nothing doubled"
    with redis_server.client() as client:
        assert not client.keys("cleanwire:news:requests:taken:*"), "the survivor released what it took"
        assert not client.smembers("cleanwire:news:requests:takers")
        deadline = time.monotonic() + 10
        while client.keys("cleanwire:news:worker:*"):  # the survivor ended its lease; the victim's lapsed
            assert time.monotonic() < deadline, "the victim's lease did not lapse"
            time.sleep(0.1)

    [after] = run_round(redis_server.url, tmp_path, "next", [f"site={copy_server.base_url}/"], 1, *lease)
    assert emitted(tmp_path) == canonicals(copy_server) and after.items() == []
    assert not list(tmp_path.rglob("*.part")), "the next worker on this host deleted the victim's partial file"


def test_a_dead_worker_s_requests_go_back_to_the_queue_once_its_lease_lapsed(redis_server: RedisServer) -> None:
    from scrapy import Request, Spider

    from cleanwire.spiders.frontier import LeasedQueue

    server, spider = redis.Redis.from_url(redis_server.url), Spider("leases")
    one, two = (LeasedQueue(server, spider, "lq:requests") for _ in range(2))
    one.lease("one", "lq:worker:")
    two.lease("two", "lq:worker:")
    server.set("lq:worker:one", "1")
    server.set("lq:worker:two", "1")
    for url in ("http://a.test/", "http://b.test/", "http://c.test/"):
        one.push(Request(url))
    taken = [one.pop(), one.pop()]
    assert len(one) == 1 and all(request is not None for request in taken)
    assert two.reclaim() == 0, "one is alive: its requests stay with it"
    server.delete("lq:worker:one")  # one died: its lease lapsed
    assert two.reclaim() == 2 and len(two) == 3
    assert two.reclaim() == 0, "put back once"
    again = [two.pop() for _ in range(3)]
    assert {r.url for r in again if r is not None} == {"http://a.test/", "http://b.test/", "http://c.test/"}
    two.release()  # two closes, its work done
    server.delete("lq:worker:two")
    assert one.reclaim() == 0 and len(one) == 0 and not server.keys("lq:requests:taken:*")
    server.close()


def test_redis_restarted_mid_crawl(copy_server: DemoServer, tmp_path: Path) -> None:
    """The workers' clients retry through the restart; whatever a worker could not commit is
    discarded, not published, and the next round emits it: nothing lost, nothing doubled."""
    server = RedisServer(tmp_path / "redis")
    server.start()
    try:
        seed(server.url, f"site={copy_server.base_url}/")
        workers = [Worker(server.url, tmp_path, f"w{n}", *PACE) for n in range(2)]
        busy(workers, 3)
        server.kill()  # no goodbye: what Redis acknowledged is in its AOF
        time.sleep(1.0)
        server.start()
        codes = []
        for worker in workers:
            codes.append(worker.wait())
            log = worker.log.read_text()
            assert "Traceback" not in log, log[-4000:]
            assert codes[-1] == 0 or (codes[-1] == 1 and "Redis" in log), log[-4000:]
        assert len(set(emitted(tmp_path))) == len(emitted(tmp_path)), "nothing doubled"
        if codes != [0, 0]:  # a worker gave up on Redis: the next round emits what it had
            run_round(server.url, tmp_path, "next", [f"site={copy_server.base_url}/"], 1)
        assert emitted(tmp_path) == canonicals(copy_server), "nothing lost"
    finally:
        server.stop()


def test_seeds_pushed_with_redis_cli_and_a_waiting_worker(redis_server: RedisServer, copy_server: DemoServer,
                                                         tmp_path: Path) -> None:
    """Seeds are JSON (``{"kind": ..., "url": ...}``) or bare article URLs at the tail of a list;
    with ``CLEANWIRE_REDIS_DRAINED=wait`` a worker outlives the drained queue and takes new
    seeds, and SIGTERM stops it cleanly with its output published (exit code 4: interrupted)."""
    worker = Worker(redis_server.url, tmp_path, "waiting", "-s", "CLEANWIRE_REDIS_DRAINED=wait")
    worker.wait_for(lambda log: "Spider opened" in log, "start")
    first, second = (f"{copy_server.base_url}{t['path']}" for t in TRUTH[:2])
    with redis_server.client() as client:
        client.rpush("cleanwire:news:seeds", first, '{"kind": "nope", "url": "x"}')
    worker.wait_for(lambda log: log.count("Scraped from") >= 1, "the first seed's article")
    time.sleep(6)  # past the idle time of an exiting worker, and a heartbeat of the engine
    assert worker.process.poll() is None, "a waiting worker is still there"
    with redis_server.client() as client:
        client.rpush("cleanwire:news:seeds", json.dumps({"kind": "url", "url": second}))
    worker.wait_for(lambda log: log.count("Scraped from") >= 2, "the second seed's article")
    worker.process.send_signal(signal.SIGTERM)
    assert worker.wait() == 4, "stopped by a signal: an interrupted run"
    assert "Traceback" not in worker.log.read_text()
    assert sorted(i["url"] for i in worker.items()) == sorted([first, second])
    assert worker.stats.get("cleanwire/skipped/bad_seed") == 1


# --- the store alone, against the real server -----------------------------------------------


def test_claims_leases_and_a_refused_commit(redis_server: RedisServer) -> None:
    one = RedisStateStore(redis_server.url, "cleanwire:t", lease=1.0)
    two = RedisStateStore(redis_server.url, "cleanwire:t", lease=1.0)
    url, text = "https://news.example.test/a", "1" * 64
    try:
        assert one.claim(url, text).verdict == "granted"
        assert two.claim(url, text).verdict == "taken"  # one is alive: its claim holds
        one._stop.set()  # one hangs: no more heartbeats
        one._heart.join()
        time.sleep(1.2)
        assert two.claim(url, text).verdict == "granted"  # its lease lapsed: two takes over
        one.stage_article(url, text, "2026-12-02T10:00:00+00:00")
        with pytest.raises(StateError, match="another worker took it"):
            one.commit()
        two.stage_article(url, text, "2026-12-02T10:00:01+00:00")
        two.stage_page(PageRecord(url, '"e1"', None, "0" * 64))
        two.commit()
        assert one.article(url) is not None and one.page(url) == PageRecord(url, '"e1"', None, "0" * 64)
        assert two.claim(url, text).verdict == "unchanged"
        changed = two.claim(url, "2" * 64)
        assert (changed.verdict, changed.previous) == ("granted", text)
    finally:
        one.close()
        two.close()


def test_template_counts_add_up_across_workers(redis_server: RedisServer) -> None:
    stores = [RedisStateStore(redis_server.url, "cleanwire:t") for _ in range(2)]
    try:
        for store in stores:  # both read 0, both saw the line on 2 pages
            assert store.recurring_lines("h") == {}
            store.stage_recurring_lines({"h": {"read more": 2, "#pages": 2}})
        for store in stores:
            store.commit()
        assert stores[0].recurring_lines("h") == {"read more": 4, "#pages": 4}
    finally:
        for store in stores:
            store.close()


def test_fingerprints_shared_and_expired(redis_server: RedisServer) -> None:
    store = RedisStateStore(redis_server.url, "cleanwire:t")
    try:
        big = -(2 ** 62) - 7  # 64-bit band keys survive the trip through Lua
        store.stage_fingerprint("https://a.test/old", [big, 5], b"\x01\x02", 50, "2026-01-01T00:00:00+00:00")
        store.stage_fingerprint("https://b.test/new", [big], b"\x03", 60, "2026-12-01T00:00:00+00:00")
        store.commit()
        assert store.fingerprint_candidates([big]) == [("https://a.test/old", b"\x01\x02", 50),
                                                       ("https://b.test/new", b"\x03", 60)]
        store.stage_fingerprint_expiry("2026-06-01T00:00:00+00:00")
        store.commit()
        assert store.fingerprint_candidates([big, 5]) == [("https://b.test/new", b"\x03", 60)]
    finally:
        store.close()



def test_the_gaps_the_shims_bridge(redis_server: RedisServer) -> None:
    """scrapy-redis 0.9.1 on our Scrapy, warnings as errors: each gap the README lists, and its shim.
    When one of the first assertions fails, upstream changed and that shim may go."""
    from scrapy import Request, Spider
    from scrapy.exceptions import ScrapyDeprecationWarning
    from scrapy.settings import Settings
    from scrapy.utils.test import get_crawler
    from scrapy_redis.scheduler import Scheduler

    from cleanwire.spiders.frontier import SharedScheduler

    with pytest.raises(AttributeError, match="from_settings"):  # Scrapy's default DUPEFILTER_CLASS
        Scheduler.from_settings(Settings({"REDIS_URL": redis_server.url}))
    settings = {"REDIS_URL": redis_server.url, "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
                "SCHEDULER_QUEUE_KEY": "shims:requests", "SCHEDULER_DUPEFILTER_KEY": "shims:dupefilter"}

    def opened(cls: type[Scheduler]) -> Scheduler:
        crawler = get_crawler(Spider, settings)
        scheduler = cls.from_crawler(crawler)
        scheduler.open(Spider.from_crawler(crawler, "shims"))
        return scheduler

    upstream = opened(Scheduler)
    with pytest.warns(ScrapyDeprecationWarning, match="'spider' argument"):  # stats with spider=
        upstream.enqueue_request(Request("http://a.test/"))
    with pytest.warns(ScrapyDeprecationWarning, match=r"Spider.log\(\) is deprecated"):  # "Resuming crawl"
        opened(Scheduler)
    shared = opened(SharedScheduler)  # joins the crawl: its queue holds a request
    assert shared.enqueue_request(Request("http://b.test/"))
    assert {shared.next_request().url, shared.next_request().url} == {"http://a.test/", "http://b.test/"}


def test_checkpoints_commit_a_worker_s_articles_on_the_way(redis_server: RedisServer, copy_server: DemoServer,
                                                          tmp_path: Path) -> None:
    [worker] = run_round(redis_server.url, tmp_path, "cp", [f"feed={copy_server.base_url}/feed.xml"], 1,
                         *QUICK_PACE, "-s", "CLEANWIRE_CHECKPOINT_ITEMS=5")
    assert emitted(tmp_path) == canonicals(copy_server)  # each article once, across the numbered files
    files = sorted(worker.output.glob("*.jsonl"))
    assert [path.name.rsplit(".", 2)[1] for path in files] == [f"{n:04d}" for n in range(1, len(TRUTH) // 5 + 2)]
    assert worker.stats["cleanwire/checkpoints"] == len(TRUTH) // 5
    with redis_server.client() as client:
        assert not client.keys("cleanwire:news:claim:*"), "every checkpoint committed and released its claims"
