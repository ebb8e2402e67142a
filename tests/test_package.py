"""One import root: ``pip install .`` installs ``cleanwire`` and nothing else, and it works from anywhere."""

from __future__ import annotations

import json
import os
import pkgutil
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest

import cleanwire
from cleanwire.errors import CleanwireError, ExtractionError, OptionError
from cleanwire.items import SCHEMA_VERSION

from .conftest import BARE_MODULES, ROOT, checkout, read_jsonl

BIN = Path(sys.executable).parent
ARTICLE = ROOT / "demo" / "site" / "herald" / "world" / "iceland-village-evacuated.html"
TRUTH = {t["path"]: t for t in read_jsonl(ROOT / "demo" / "truth.jsonl")}


def test_every_module_imports_under_cleanwire_and_no_bare_name_is_loaded() -> None:
    """The guard in conftest refuses bare names in this process; every module must still import."""
    names = [info.name for info in pkgutil.walk_packages(cleanwire.__path__, "cleanwire.")
             if info.name.split(".")[1] not in ("tests", "bench", "demo", "setup")]
    for name in names:
        import_module(name)
    assert {"cleanwire.spiders.news", "cleanwire.state.sqlite", "cleanwire.extraction.extractor"} <= set(names)
    assert not BARE_MODULES & {name.partition(".")[0] for name in sys.modules}
    with pytest.raises(ImportError, match="bare module"):
        import_module("spiders")


def test_a_whole_crawl_loads_no_bare_module(demo_server, tmp_path: Path) -> None:
    """The crawl runs in a subprocess from the repository root, where bare names would resolve."""
    out = tmp_path / "out.jsonl"
    script = (
        "import sys\n"
        "from scrapy.cmdline import execute\n"
        "try:\n"
        f"    execute(['scrapy', 'crawl', 'news', '-a', 'url={demo_server.base_url}/herald/world/iceland-village-evacuated.html',"
        f" '-O', {str(out)!r}, '-s', 'LOG_LEVEL=WARNING', '-s', 'CLEANWIRE_SUMMARY_ENABLED=0'])\n"
        "except SystemExit:\n"
        "    pass\n"
        f"bare = sorted(m for m in sys.modules if m.partition('.')[0] in {sorted(BARE_MODULES)!r})\n"
        "print('BARE', bare)\n"
    )
    done = subprocess.run([sys.executable, "-W", "error", "-c", script], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert "BARE []" in done.stdout, done.stdout + done.stderr[-3000:]
    assert len(read_jsonl(out)) == 1


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``pip install --no-deps --target`` of a clean checkout: what a user's site-packages receives."""
    source = checkout(tmp_path_factory.mktemp("checkout"))
    target = tmp_path_factory.mktemp("site-packages")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--target", str(target), str(source)], check=True, capture_output=True, timeout=300)
    return target


def _from_installed(installed: Path, *command: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(installed), "SCRAPY_SETTINGS_MODULE": "cleanwire.settings"}
    return subprocess.run(command, cwd=cwd, env=env, input=stdin, capture_output=True, timeout=120, check=False)


def test_install_puts_exactly_one_package_into_site_packages(installed: Path) -> None:
    top = {path.name for path in installed.iterdir() if not path.name.endswith(".dist-info")}
    assert top == {"cleanwire", "bin"}, top
    assert {path.name for path in (installed / "cleanwire" / "pipelines" / "schema").iterdir()} == {
        f"article-v{version}.schema.json" for version in range(1, SCHEMA_VERSION + 1)}  # every version published
    assert {path.name for path in (installed / "cleanwire").glob("*.py")} == {
        "__init__.py", "addon.py", "cli.py", "config.py", "errors.py", "items.py", "settings.py"}
    assert not (installed / "cleanwire" / "tests").exists() and not (installed / "cleanwire" / "demo").exists()


def test_installed_package_lists_the_spider_from_an_empty_directory(installed: Path, tmp_path: Path) -> None:
    done = _from_installed(installed, sys.executable, "-c",
                           "import cleanwire, sys; print(cleanwire.__file__); sys.argv = ['scrapy', 'list'];"
                           " from scrapy.cmdline import execute; execute()", cwd=tmp_path)
    out = done.stdout.decode()
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    assert out.splitlines()[0].startswith(str(installed)), out  # the installed copy, not the checkout
    assert out.splitlines()[-1] == "news"


def test_console_script_prints_one_record_per_input(installed: Path, tmp_path: Path) -> None:
    script = installed / "bin" / "cleanwire"
    page = tmp_path / "page.html"
    page.write_bytes(ARTICLE.read_bytes())
    done = _from_installed(installed, sys.executable, str(script), "extract", str(page), "-", cwd=tmp_path,
                           stdin=ARTICLE.read_bytes())
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    items = [json.loads(line) for line in done.stdout.decode().splitlines()]
    truth = TRUTH["/herald/world/iceland-village-evacuated.html"]
    assert len(items) == 2
    for item in items:
        assert item["schema_version"] == SCHEMA_VERSION and item["source"] == "file"
        assert item["title"] == truth["title"]
        assert item["text"].split("\n\n") == truth["body"]
    assert items[0]["url"] == page.as_uri()


def test_console_script_names_each_input_without_an_article_and_exits_1(tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body></body></html>", encoding="utf-8")
    done = subprocess.run([str(BIN / "cleanwire"), "extract", str(empty), str(ARTICLE)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1
    assert done.stderr == f"cleanwire: {empty}: no article text\n"
    assert len(done.stdout.splitlines()) == 1  # the good input still gave its article


@pytest.mark.parametrize(("arguments", "said"), [
    (["MISSING", str(ARTICLE)], "cleanwire: not a file: MISSING"),
    (["--url", "notaurl", str(ARTICLE)], "argument --url: not an http(s) URL: notaurl"),
    (["--formats", "text,pdf", str(ARTICLE)], "argument --formats: unknown body format pdf"),
])
def test_console_script_refuses_bad_usage_with_exit_2_before_reading_any_input(
        arguments: list[str], said: str, tmp_path: Path) -> None:
    arguments = [str(tmp_path / "missing.html") if a == "MISSING" else a for a in arguments]
    done = subprocess.run([str(BIN / "cleanwire"), "extract", *arguments],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2 and done.stdout == ""
    assert said.replace("MISSING", str(tmp_path / "missing.html")) in done.stderr.splitlines()[-1]
    assert "Traceback" not in done.stderr


def test_a_missing_file_is_one_line() -> None:
    done = subprocess.run([str(BIN / "cleanwire"), "extract", "no-such-page.html"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert (done.returncode, done.stderr) == (2, "cleanwire: not a file: no-such-page.html\n")


def test_extract_returns_the_typed_article() -> None:
    truth = TRUTH["/herald/world/iceland-village-evacuated.html"]
    article = cleanwire.extract(ARTICLE.read_bytes(), url="https://herald.example/world/iceland-village-evacuated.html")
    assert article.text.split("\n\n") == truth["body"]
    assert article.title == truth["title"]
    assert article.authors == truth["authors"]
    assert cleanwire.extract(ARTICLE.read_text(encoding="utf-8")).text == article.text  # str works too
    with pytest.raises(ExtractionError):
        cleanwire.extract(b"")


def test_an_unknown_format_is_a_cleanwire_error() -> None:
    with pytest.raises(OptionError, match="unknown body format bogus") as refused:
        cleanwire.extract(ARTICLE.read_bytes(), formats=["markdown", "bogus"])
    assert isinstance(refused.value, CleanwireError) and isinstance(refused.value, ValueError)


def test_the_user_agent_names_the_package_version() -> None:
    """As a crawl sees it: the project settings, then the add-on they enable."""
    from scrapy import Spider
    from scrapy.utils.test import get_crawler

    import cleanwire.settings as project

    settings = {name: getattr(project, name) for name in dir(project) if name.isupper()}
    crawler = get_crawler(Spider, {**settings, "FEEDS": {"out.jsonl": {"format": "jsonlines"}}})
    assert crawler.settings["USER_AGENT"].startswith(f"cleanwire/{cleanwire.__version__} (+https://")


def _package_imports() -> dict[str, set[str]]:
    """Which subpackages of cleanwire each one imports (absolute ``cleanwire.X`` imports)."""
    import ast

    graph: dict[str, set[str]] = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        # hidden folders are local ones (.venv, .venv-latest, .git), never the package's
        if parts[0] in ("tests", "bench", "demo", "setup.py") or parts[0].startswith(".") or len(parts) == 1:
            continue
        imported = graph.setdefault(parts[0], set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else (
                [alias.name for alias in node.names] if isinstance(node, ast.Import) else [])
            for name in names:
                pieces = name.split(".")
                if pieces[0] == "cleanwire" and len(pieces) > 1 and pieces[1] != parts[0]:
                    imported.add(pieces[1])
    return graph


def test_packages_depend_one_way() -> None:
    graph = _package_imports()
    assert set(graph) == {"spiders", "pipelines", "extensions", "commands", "extraction", "state"}
    assert graph["extraction"] <= {"errors"}, "the pure extractor depends on nothing else of ours"

    def reaches(start: str, goal: str, seen: frozenset[str] = frozenset()) -> bool:
        return any(nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt}))
                   for nxt in graph.get(start, ()) if nxt in graph)

    cycles = sorted(package for package in graph if reaches(package, package))
    assert not cycles, f"import cycles through {cycles}: {graph}"
