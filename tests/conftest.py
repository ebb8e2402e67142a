"""Test helpers: the demo site on a real HTTP server, and real ``scrapy crawl`` runs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from pathlib import Path
from typing import Any

import pytest

from demo.server import DemoServer, serve_in_subprocess

ROOT = Path(__file__).resolve().parent.parent
BARE_MODULES = frozenset({"spiders", "pipelines", "extensions", "commands", "settings", "extraction", "state"})
"""The project's folders, importable by their bare names from the repository root by mistake."""


class BareModuleGuard(MetaPathFinder):
    """Fails any import of a project folder by its bare name: everything says ``cleanwire.``."""

    def find_spec(self, fullname: str, path: Sequence[str] | None = None, target: object = None) -> ModuleSpec | None:
        if fullname.partition(".")[0] in BARE_MODULES:
            raise ImportError(f"bare module {fullname!r} imported; the import root is cleanwire.{fullname}")
        return None


sys.meta_path.insert(0, BareModuleGuard())
DEMO_SITE = ROOT / "demo" / "site"
CRAWL_TIMEOUT = 180
STRICT_PYTHON = (sys.executable, "-m", "tests.strict")
"""A Python that runs a module with cleanwire's own warnings as errors (tests/strict.py)."""
# What a checkout holds besides the project, when there is no git to ask.
NOT_IN_A_CHECKOUT = shutil.ignore_patterns(
    ".git", ".venv", ".venv-latest", "__pycache__", "*.pyc", "*.egg-info", "build", "dist", "output", ".pytest_cache", ".state",
)


@dataclass
class CrawlResult:
    returncode: int
    stdout: str
    stderr: str
    stats: dict[str, Any]
    outputs: list[Path]

    @property
    def items(self) -> list[dict[str, Any]]:
        return [item for path in self.outputs for item in read_jsonl(path)]

    def stat(self, key: str) -> int:
        return int(self.stats.get(key, 0))


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Every line must be one JSON object: a torn or merged line fails here."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def run_crawl(*args: str, workdir: Path, timeout: float = CRAWL_TIMEOUT, check: bool = True,
              wrapper: Sequence[str] = ()) -> CrawlResult:
    """``scrapy crawl news ARGS`` in a subprocess, from the project root, our warnings as errors.

    Output files are the ``*.jsonl`` files that appeared under ``workdir`` during the run.
    ``wrapper`` runs the crawl through another command (its arguments follow it).
    """
    workdir.mkdir(parents=True, exist_ok=True)
    before = set(workdir.rglob("*.jsonl"))
    stats_file = workdir / "stats.json"
    stats_file.unlink(missing_ok=True)
    command = [*wrapper, *STRICT_PYTHON, "scrapy", "crawl", "news", *args,
               "-s", f"CLEANWIRE_STATS_FILE={stats_file}"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    result = CrawlResult(done.returncode, done.stdout, done.stderr,
                         json.loads(stats_file.read_text()) if stats_file.exists() else {},
                         sorted(set(workdir.rglob("*.jsonl")) - before))
    if check and done.returncode != 0:
        raise AssertionError(f"crawl failed ({done.returncode}):\n{done.stdout}\n{done.stderr[-4000:]}")
    if check:
        assert "Traceback" not in done.stderr, done.stderr[-4000:]
    return result


def checkout(dest: Path) -> Path:
    """A copy of the project as a clean checkout has it: git's files, or the tree minus local clutter."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT, capture_output=True, check=True, timeout=30,
        ).stdout.decode()
    except (OSError, subprocess.SubprocessError):
        shutil.copytree(ROOT, dest, ignore=NOT_IN_A_CHECKOUT, dirs_exist_ok=True)
        return dest
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():  # not a file deleted in the work tree
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


@pytest.fixture(scope="session")
def demo_server() -> Iterator[DemoServer]:
    with serve_in_subprocess() as server:
        yield server


@pytest.fixture
def site_copy(tmp_path: Path) -> Path:
    """A private copy of the demo site, for tests that change it while it is served."""
    root = tmp_path / "site"
    shutil.copytree(DEMO_SITE, root)
    return root


@pytest.fixture
def copy_server(site_copy: Path) -> Iterator[DemoServer]:
    with serve_in_subprocess(site_copy) as server:
        yield server


@pytest.fixture(scope="session")
def demo_truth() -> list[dict[str, Any]]:
    return read_jsonl(ROOT / "demo" / "truth.jsonl")
