"""Installs anywhere: a fresh venv with the oldest Python the project supports (``requires-python``),
and with 3.11, each with the pip it bundles (no upgrade), installs the checkout, and the package works from an empty folder.

pip 23.x reads no dependency that is only reached through an extra it misnames (lxml's
``html_clean``), and it installs nothing the project does not declare: an undeclared import
shows up here as a crash, where the development venv (whose newer pip and test extras pulled
it in) hid it. pip uses the indexes and caches this machine is configured with.
"""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from cleanwire.items import SCHEMA_VERSION
from demo.server import DemoServer

from .conftest import ROOT, checkout

PAGE = "/herald/world/iceland-village-evacuated.html"
INSTALL_TIMEOUT = 300


OLDEST = re.search(r'requires-python = ">=(3\.\d+)"', (ROOT / "pyproject.toml").read_text()).group(1)  # type: ignore[union-attr]
# The oldest Python the project supports, and the one CI runs (whose pip misread lxml's extra).
PYTHONS = sorted({OLDEST, "3.11"})


def python_of(version: str) -> str:
    """An interpreter of this Python version: on PATH, or one pyenv keeps (its shim answers only
    for the selected versions); the test is skipped where there is none."""
    candidates = [shutil.which(f"python{version}"),
                  *sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{version}.*/bin/python{version}")))]
    for python in filter(None, candidates):
        if subprocess.run([python, "--version"], capture_output=True, timeout=30).returncode == 0:
            return python
    pytest.skip(f"no Python {version} interpreter on this machine")


@pytest.fixture(scope="module", params=PYTHONS)
def venv(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``python3.X -m venv`` and ``pip install CHECKOUT`` with the pip that Python bundles."""
    source = checkout(tmp_path_factory.mktemp("checkout"))
    venv = tmp_path_factory.mktemp("venv")
    python = python_of(request.param)
    subprocess.run([python, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=120)
    bundled = subprocess.run([python, "-c", "import ensurepip; print(ensurepip.version())"],
                             check=True, capture_output=True, text=True).stdout.strip()
    pip = subprocess.run([venv / "bin" / "python", "-m", "pip", "--version"], check=True, capture_output=True, text=True)
    assert pip.stdout.startswith(f"pip {bundled} "), pip.stdout  # the bundled one (23.0.1 in 3.10.13), not upgraded
    done = subprocess.run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", str(source)],
                          capture_output=True, text=True, timeout=INSTALL_TIMEOUT, env=_clean_env())
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    return venv


def _clean_env() -> dict[str, str]:
    """The user's environment: none of this test run's Python paths or venv."""
    drop = {"PYTHONPATH", "VIRTUAL_ENV", "SCRAPY_SETTINGS_MODULE", "PYTHONWARNINGS"}
    return {name: value for name, value in os.environ.items() if name not in drop}


def _run(venv: Path, *command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**_clean_env(), "SCRAPY_SETTINGS_MODULE": "cleanwire.settings"}
    return subprocess.run([str(venv / "bin" / command[0]), *command[1:]], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120, check=False)


def test_scrapy_list_and_a_crawl_work_from_an_empty_folder(venv: Path, demo_server: DemoServer, tmp_path: Path) -> None:
    listed = _run(venv, "scrapy", "list", cwd=tmp_path)
    assert listed.returncode == 0 and listed.stdout.split() == ["news"], listed.stderr[-3000:]
    crawled = _run(venv, "scrapy", "crawl", "news", "-a", f"url={demo_server.base_url}{PAGE}", "-O", "out.jsonl",
                   "-s", "LOG_LEVEL=WARNING", cwd=tmp_path)
    assert crawled.returncode == 0, crawled.stderr[-3000:]
    items = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [item["url"] for item in items] == [f"{demo_server.base_url}{PAGE}"]


def test_cleanwire_extract_works_from_an_empty_folder(venv: Path, tmp_path: Path) -> None:
    shutil.copy(ROOT / "demo" / "site" / PAGE.lstrip("/"), tmp_path / "page.html")
    done = _run(venv, "cleanwire", "extract", "page.html", cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    item = json.loads(done.stdout)
    assert item["schema_version"] == SCHEMA_VERSION and item["title"] and item["text"]
