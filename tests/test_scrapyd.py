"""Scrapyd end to end: ``scrapyd-deploy`` this project to a real scrapyd, schedule crawls, read their items.

Everything a user does, on 127.0.0.1 only: start ``scrapyd`` in its own working directory (its
``scrapyd.conf`` keeps eggs, logs, items and databases there), deploy a clean copy of the project
with ``scrapyd-deploy`` (it writes ``setup.py``, ``build/`` and ``*.egg-info`` next to
``scrapy.cfg``, so never in the repository), ``schedule.json`` crawls of the demo site as
``curl -d`` does, poll ``listjobs.json`` and read what the jobs wrote: Scrapyd's ``items_dir``
feed, or cleanwire's own ``output`` directory named in a jobs file (docs/scheduling.md).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import version as installed_version
from pathlib import Path
from typing import Any

import pytest

from cleanwire.items import SCHEMA_VERSION
from demo.server import DemoServer

from .conftest import ROOT, checkout, read_jsonl

BIN = Path(sys.executable).parent
PROJECT = "cleanwire"
START_TIMEOUT = 30
DEPLOY_TIMEOUT = 120
JOB_TIMEOUT = 120
REPO_CLUTTER = [ROOT / name for name in ("build", "dist", "project.egg-info")]


class Scrapyd:
    """A real ``scrapyd`` process on 127.0.0.1, in its own working directory.

    With ``items`` it has an ``items_dir``: every job also writes Scrapyd's own JSON Lines feed.
    Without, it is configured like a default Scrapyd (``items_dir`` empty).
    """

    def __init__(self, workdir: Path, items: bool = True) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.items_dir = workdir / "items" if items else None
        self.logs_dir = workdir / "logs"
        self.eggs_dir = workdir / "eggs"
        self.log_path = workdir / "scrapyd.out"
        self.process: subprocess.Popen[bytes] | None = None
        self.returncode: int | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self, attempts: int = 3) -> None:
        """Start scrapyd and wait until it answers; on another port if the one picked was taken meanwhile."""
        for attempt in range(1, attempts + 1):
            if self._start():
                return
            if attempt == attempts or "CannotListenError" not in self.output():
                raise AssertionError(f"scrapyd exited ({self.returncode}):\n{self.output()}")
            self.port = free_port()

    def _start(self) -> bool:
        self.workdir.mkdir(parents=True, exist_ok=True)
        # scrapyd reads scrapyd.conf from its working directory (after /etc/scrapyd/, before ~/.scrapyd.conf).
        (self.workdir / "scrapyd.conf").write_text(
            "[scrapyd]\n"
            "bind_address = 127.0.0.1\n"
            f"http_port = {self.port}\n"
            f"eggs_dir = {self.eggs_dir}\n"
            f"logs_dir = {self.logs_dir}\n"
            f"items_dir = {self.items_dir or ''}\n"
            f"dbs_dir = {self.workdir / 'dbs'}\n"
            "jobs_dir =\n"
            "max_proc = 2\n"
            "poll_interval = 0.5\n"
            "username =\n"
            "password =\n",
            encoding="utf-8",
        )
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [str(BIN / "scrapyd")], cwd=self.workdir, env=clean_env(self.workdir),
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,  # its crawls are in its group
            )
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                if self.get("daemonstatus.json", timeout=2).get("status") == "ok":
                    return True
            except (OSError, ValueError):
                pass
            if self.process.poll() is not None:
                self.returncode, self.process = self.process.returncode, None
                return False
            if time.monotonic() > deadline:
                raise AssertionError(f"scrapyd did not answer within {START_TIMEOUT} s:\n{self.output()}")
            time.sleep(0.2)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL for scrapyd and any crawl it left running (its process group)."""
        if self.process is None:
            return
        process, self.process = self.process, None
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)  # a crawl still running when scrapyd went away

    def get(self, endpoint: str, timeout: float = 10, **params: str) -> dict[str, Any]:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        with urllib.request.urlopen(self.url + endpoint + query, timeout=timeout) as response:
            return json.load(response)

    def post(self, endpoint: str, **data: str) -> dict[str, Any]:
        body = urllib.parse.urlencode(data).encode()
        with urllib.request.urlopen(self.url + endpoint, data=body, timeout=60) as response:
            return json.load(response)

    def output(self, tail: int = 6000) -> str:
        """scrapyd's own log (its crawls' stdout and stderr included): the last ``tail`` characters, 0 = all."""
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return text[-tail:] if tail else text


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_env(tmp: Path) -> dict[str, str]:
    """This environment minus any Scrapy project selection; temporary files under ``tmp``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("SCRAPY")}
    (tmp / "tmp").mkdir(parents=True, exist_ok=True)
    env["TMPDIR"] = str(tmp / "tmp")  # scrapyd-deploy builds the egg in a mkdtemp() directory
    return env


def deploy(project_dir: Path, scrapyd: Scrapyd, version: str, egg: Path | None = None) -> dict[str, Any]:
    """``scrapyd-deploy TARGET`` with a target added to scrapy.cfg, as users do; ``--egg`` reuses a built egg."""
    target = f"test-{scrapyd.port}"
    with (project_dir / "scrapy.cfg").open("a", encoding="utf-8") as cfg:
        cfg.write(f"\n[deploy:{target}]\nurl = {scrapyd.url}\nproject = {PROJECT}\n")
    command = [str(BIN / "scrapyd-deploy"), target, "--version", version, *(["--egg", str(egg)] if egg else [])]
    done = subprocess.run(command, cwd=project_dir, env=clean_env(scrapyd.workdir),
                          capture_output=True, text=True, timeout=DEPLOY_TIMEOUT)
    assert done.returncode == 0, (
        f"scrapyd-deploy failed ({done.returncode}); it builds the egg with this environment's setuptools "
        f"{installed_version('setuptools')} (pyproject.toml's `license = \"MIT\"` needs setuptools>=77):\n"
        f"{done.stdout}\n{done.stderr[-4000:]}"
    )
    return json.loads(done.stdout)


def wait_for_job(scrapyd: Scrapyd, job: str) -> dict[str, Any]:
    deadline = time.monotonic() + JOB_TIMEOUT
    while time.monotonic() < deadline:
        for finished in scrapyd.get("listjobs.json", project=PROJECT)["finished"]:
            if finished["id"] == job:
                return finished
        time.sleep(0.5)
    scrapyd.post("cancel.json", project=PROJECT, job=job)
    raise AssertionError(f"job {job} not finished within {JOB_TIMEOUT} s:\n{scrapyd.output()}")


def run_job(scrapyd: Scrapyd, **args: str) -> str:
    """``schedule.json`` a ``news`` crawl with these spider arguments, wait for it, check it ended well."""
    scheduled = scrapyd.post("schedule.json", project=PROJECT, spider="news", **args)
    assert scheduled["status"] == "ok", scheduled
    job = scheduled["jobid"]
    finished = wait_for_job(scrapyd, job)
    assert finished["spider"] == "news"
    if scrapyd.items_dir is not None:
        assert finished["items_url"] == f"/items/{PROJECT}/news/{job}.jl"
    # Scrapyd logs "Process finished" for exit status 0 only ("Process died: exitstatus=N" otherwise).
    assert f"Process finished: project='{PROJECT}' spider='news' job='{job}'" in scrapyd.output(0), scrapyd.output()
    job_log = (scrapyd.logs_dir / PROJECT / "news" / f"{job}.log").read_text(encoding="utf-8")
    assert "Traceback" not in job_log, job_log[-4000:]
    assert "] ERROR:" not in job_log, job_log[-4000:]
    assert "'BOT_NAME': 'cleanwire'" in job_log  # the settings module named by the egg's entry point
    return job


def job_items(scrapyd: Scrapyd, job: str) -> list[dict[str, Any]]:
    """A finished job's items in Scrapyd's items_dir feed (written through cleanwire's atomic file storage)."""
    assert scrapyd.items_dir is not None
    directory = scrapyd.items_dir / PROJECT / "news"
    assert not list(directory.glob("*.part")), "a feed file was never completed"
    return read_jsonl(directory / f"{job}.jl")


def feed_links(server: DemoServer) -> list[str]:
    with urllib.request.urlopen(f"{server.base_url}/feed.xml", timeout=10) as response:
        channel = ET.fromstring(response.read())
    return [(item.findtext("link") or "").strip() for item in channel.iter("item")]


def canonicals(server: DemoServer, truth: list[dict[str, Any]]) -> set[str]:
    return {t["canonical"].replace("__BASE__", server.base_url) for t in truth}


@dataclass
class Deployment:
    checkout: Path  # the project copy scrapyd-deploy ran in
    answer: dict[str, Any]  # addversion.json's answer, as scrapyd-deploy printed it
    egg: Path  # the egg Scrapyd stored
    clutter: set[Path]  # build leftovers in the repository before deploying


@pytest.fixture(scope="module")
def scrapyd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scrapyd]:
    """A scrapyd with an items_dir."""
    daemon = Scrapyd(tmp_path_factory.mktemp("scrapyd"))
    try:
        daemon.start()
        yield daemon
    finally:
        daemon.stop()


@pytest.fixture(scope="module")
def deployed(scrapyd: Scrapyd, tmp_path_factory: pytest.TempPathFactory) -> Deployment:
    """This project, built by scrapyd-deploy and deployed to ``scrapyd`` as version ``r1``."""
    clutter = {path for path in REPO_CLUTTER if path.exists()}
    project_dir = checkout(tmp_path_factory.mktemp("checkout"))
    answer = deploy(project_dir, scrapyd, version="r1")
    return Deployment(project_dir, answer, scrapyd.eggs_dir / PROJECT / "r1.egg", clutter)


@pytest.fixture(scope="module")
def default_scrapyd(deployed: Deployment, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scrapyd]:
    """A scrapyd without items_dir (Scrapyd's default), the same egg deployed with ``scrapyd-deploy --egg``."""
    daemon = Scrapyd(tmp_path_factory.mktemp("scrapyd-default"), items=False)
    try:
        daemon.start()
        assert deploy(deployed.checkout, daemon, version="r1", egg=deployed.egg)["status"] == "ok"
        yield daemon
    finally:
        daemon.stop()


def test_deploy_builds_a_complete_egg(scrapyd: Scrapyd, deployed: Deployment) -> None:
    assert deployed.answer["status"] == "ok", deployed.answer
    assert deployed.answer["project"] == PROJECT and deployed.answer["spiders"] == 1, deployed.answer
    assert {path for path in REPO_CLUTTER if path.exists()} == deployed.clutter, "scrapyd-deploy wrote into the repo"
    assert not list((scrapyd.workdir / "tmp").glob("scrapydeploy-*")), "scrapyd-deploy left its build dir behind"
    assert scrapyd.get("listprojects.json")["projects"] == [PROJECT]
    assert scrapyd.get("listversions.json", project=PROJECT)["versions"] == ["r1"]
    assert scrapyd.get("listspiders.json", project=PROJECT)["spiders"] == ["news"]

    # Every module and data file of the checkout is in the egg: the editable install of the
    # development venv must not be what makes a deployed crawl work.
    with zipfile.ZipFile(deployed.egg) as egg:
        names = set(egg.namelist())
        entry_points = egg.read("EGG-INFO/entry_points.txt").decode()
    assert "settings = cleanwire.settings" in entry_points, entry_points
    wanted = {f"cleanwire/{name}" for name in ("__init__.py", "settings.py", "errors.py", "items.py", "cli.py")} | {
        "cleanwire/" + path.relative_to(deployed.checkout).as_posix()
        for package in ("spiders", "pipelines", "extensions", "commands", "extraction", "state")
        for path in (deployed.checkout / package).rglob("*")
        if path.suffix in (".py", ".json") and "__pycache__" not in path.parts
    }
    assert any(name.startswith("cleanwire/pipelines/schema/") for name in wanted)
    assert wanted <= names, f"missing from the egg: {sorted(wanted - names)}"
    assert {name.split("/")[0] for name in names} == {"cleanwire", "EGG-INFO"}, "only cleanwire is installed"
    assert "cleanwire/setup.py" not in names


def test_scheduled_feed_crawl_writes_every_article(
    scrapyd: Scrapyd, deployed: Deployment, demo_server: DemoServer, demo_truth: list[dict[str, Any]]
) -> None:
    job = run_job(scrapyd, feed=f"{demo_server.base_url}/feed.xml")
    items = job_items(scrapyd, job)

    links = feed_links(demo_server)
    assert len(links) == len(demo_truth)
    assert len(items) == len(links)
    urls = [item["canonical_url"] for item in items]
    assert len(set(urls)) == len(urls)
    assert set(urls) == canonicals(demo_server, demo_truth)
    host = urllib.parse.urlsplit(demo_server.base_url).netloc
    for item in items:
        assert urllib.parse.urlsplit(item["canonical_url"]).netloc == host, item["canonical_url"]
        assert item["text"].strip(), item["url"]
        assert item["title"], item["url"]
        assert item["source"] == "feed"
        assert item["schema_version"] == SCHEMA_VERSION


def test_jobs_file_with_absolute_state_and_output(
    default_scrapyd: Scrapyd, demo_server: DemoServer, demo_truth: list[dict[str, Any]], tmp_path: Path
) -> None:
    """docs/scheduling.md's set-up: a crawl runs in Scrapyd's directory, so every path is absolute."""
    jobs = tmp_path / "jobs.toml"
    jobs.write_text(
        f'[defaults]\nstate = "{tmp_path / "state" / "demo-news.sqlite"}"\n'
        f'output = "{tmp_path / "output"}"\n\n'
        f'[jobs.demo-news]\nfeed = ["{demo_server.base_url}/feed.xml"]\n',
        encoding="utf-8",
    )
    run_job(default_scrapyd, jobs=str(jobs), job="demo-news")
    outputs = sorted((tmp_path / "output").iterdir())
    assert [path.name[:10] for path in outputs] == ["demo-news-"], outputs
    items = read_jsonl(outputs[0])
    assert {item["canonical_url"] for item in items} == canonicals(demo_server, demo_truth)
    assert len(items) == len(demo_truth)

    run_job(default_scrapyd, jobs=str(jobs), job="demo-news")
    assert sorted((tmp_path / "output").iterdir()) == outputs  # nothing new: no file at all
    assert not list(default_scrapyd.workdir.glob("*.jsonl*")), "a relative path landed in Scrapyd's directory"


def test_output_argument_also_works_with_an_items_dir(
    scrapyd: Scrapyd, deployed: Deployment, demo_server: DemoServer, demo_truth: list[dict[str, Any]],
    tmp_path: Path,
) -> None:
    job = run_job(scrapyd, feed=f"{demo_server.base_url}/feed.xml", output=str(tmp_path / "output"))
    assert len(job_items(scrapyd, job)) == len(demo_truth)
    outputs = list((tmp_path / "output").glob("news-*.jsonl"))
    assert len(outputs) == 1, outputs
    assert len(read_jsonl(outputs[0])) == len(demo_truth)
