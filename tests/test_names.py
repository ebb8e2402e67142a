"""Every name is checked: an unknown spider argument, jobs-file key or ``CLEANWIRE_*`` setting,
and every value these take that their tables refuse, stops the run with one line and exit 2.

The cases come from the data the code checks against (``ARGUMENTS`` and ``SETTINGS``), and the
README's tables are checked to list exactly those names: a name added to either is tested here.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from scrapy.crawler import Crawler

from cleanwire.config import SETTINGS, Setting, check_settings
from cleanwire.errors import JobConfigError, UnknownName
from cleanwire.spiders.news import NewsSpider
from cleanwire.spiders.sources import ARGUMENTS, JOB_KEYS, JOBS_FILE_TABLES, Argument, build_plan

from .conftest import ROOT, STRICT_PYTHON, run_crawl

README = (ROOT / "README.md").read_text(encoding="utf-8")
URL = "https://news.example/world/story.html"

# Values each kind refuses (and, below, takes): by kind, so a new name of a known kind is covered.
BAD_SETTING_VALUES: dict[str, list[Any]] = {
    "bool": ["yes", "on", "maybe"],
    "int": ["abc", "1.5", "-1", ""],
    "float": ["abc", "-1", "1,5"],
    "choice": ["bogus", ""],
    "class": ["nope.Nope", "cleanwire.state.sqlite.Nope", "nodots", "cleanwire.state.DEFAULT_REDIS_PREFIX"],
    "formats": ["text,pdf", "markdwon"],
    "redis_url": ["localhost:6379", "http://localhost:6379/0"],
    "path": [""],
    "folders": ["/no/such/folder/of-rules", "tests,/no/such/folder"],
}
GOOD_SETTING_VALUES: dict[str, list[Any]] = {
    "bool": ["1", "0", "true", "False", True],
    "int": ["0", "4", 7],
    "float": ["0.5", "30", 2],
    "class": ["cleanwire.state.sqlite.SqliteStateStore"],
    "formats": ["text", "text,markdown,html", ["markdown"]],
    "redis_url": ["redis://localhost:6379/0", "unix:///run/redis.sock"],
    "path": ["state/news.sqlite", Path("stats.json")],
    "folders": ["", str(ROOT / "tests"), f"{ROOT / 'tests'},{ROOT / 'demo'}"],
}
BAD_ARGUMENT_VALUES: dict[str, list[Any]] = {  # as -a gives them: strings
    "urls": ["notaurl", "ftp://files.example/a.xml", "http://host:80:x/feed.xml", f"notaurl,{URL}", ""],
    "count": ["abc", "-1", "1.5", ""],
    "text": [""],
}
BAD_JOB_VALUES: dict[str, list[Any]] = {  # as TOML gives them: any type
    "urls": [5, [URL, 3], ["notaurl"], []],
    "count": [True, 1.5, "abc", -1],
    "text": [5, ["a"], ""],
}


def misspelt(name: str) -> str:
    """The name with its middle letter dropped: ``state`` -> ``stte``."""
    return name[:len(name) // 2] + name[len(name) // 2 + 1:]


def bad_setting_values(setting: Setting) -> list[Any]:
    below = [f"{setting.minimum:g}"] if setting.above else [f"{setting.minimum - 1:g}"]
    return list(dict.fromkeys(BAD_SETTING_VALUES[setting.kind] + (below if setting.kind in ("int", "float") else [])))


def good_setting_values(setting: Setting) -> list[Any]:
    """The kind's good values that this setting's bound admits too."""
    values = GOOD_SETTING_VALUES.get(setting.kind, list(setting.choices))
    if setting.kind not in ("int", "float"):
        return values
    return [v for v in values if (float(v) > setting.minimum if setting.above else float(v) >= setting.minimum)]


def bad_argument_values(argument: Argument, table: dict[str, list[Any]]) -> list[Any]:
    below = [str(argument.minimum - 1)] if argument.kind == "count" else []
    return table[argument.kind] + [value for value in below if value not in table[argument.kind]]


def spider(settings: dict[str, Any] | None = None, /, **arguments: Any) -> NewsSpider:
    """The spider as a crawl builds it: every check runs in ``from_crawler``."""
    return NewsSpider.from_crawler(Crawler(NewsSpider, settings or {}), **arguments)


def assert_one_line(error: pytest.ExceptionInfo[JobConfigError], *words: str) -> None:
    message = str(error.value)
    assert "\n" not in message and all(word in message for word in words), message


# --- names ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(ARGUMENTS))
def test_a_misspelt_argument_is_refused_naming_the_closest(name: str) -> None:
    with pytest.raises(UnknownName) as refused:
        spider(**{misspelt(name): URL, "url": URL})
    assert refused.value.suggestion == name
    assert_one_line(refused, repr(misspelt(name)), repr(name))


@pytest.mark.parametrize("name", JOB_KEYS)
@pytest.mark.parametrize("table", ["defaults", "jobs.news"])
def test_a_misspelt_jobs_file_key_is_refused_naming_the_closest(name: str, table: str, tmp_path: Path) -> None:
    jobs = tmp_path / "jobs.toml"
    typo = f'{misspelt(name)} = "x"\n'
    jobs.write_text(f'[defaults]\n{typo}\n[jobs.news]\nfeed = "{URL}"\n' if table == "defaults"
                    else f'[jobs.news]\nfeed = "{URL}"\n{typo}', encoding="utf-8")
    with pytest.raises(UnknownName) as refused:
        build_plan({"jobs": str(jobs), "job": "news"})
    assert refused.value.suggestion == name
    assert_one_line(refused, str(jobs), f"[{table}]", repr(misspelt(name)))


@pytest.mark.parametrize("name", JOBS_FILE_TABLES)
def test_a_misspelt_jobs_file_table_is_refused_naming_the_closest(name: str, tmp_path: Path) -> None:
    jobs = tmp_path / "jobs.toml"
    jobs.write_text(f'[jobs.news]\nfeed = "{URL}"\n\n[{misspelt(name)}.x]\nstate = "s"\n', encoding="utf-8")
    with pytest.raises(UnknownName) as refused:
        build_plan({"jobs": str(jobs), "job": "news"})
    assert refused.value.suggestion == name


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_a_misspelt_setting_is_refused_naming_the_closest(name: str) -> None:
    with pytest.raises(UnknownName) as refused:
        spider({misspelt(name): "1"}, url=URL)
    assert refused.value.suggestion == name
    assert_one_line(refused, misspelt(name), name)


# --- values --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "value"), [
    (name, value) for name, setting in sorted(SETTINGS.items()) for value in bad_setting_values(setting)])
def test_a_bad_setting_value_is_refused_in_one_line(name: str, value: Any) -> None:
    with pytest.raises(JobConfigError) as refused:
        spider({name: value}, url=URL)
    assert_one_line(refused, f"{name}={value}", SETTINGS[name].describe())


@pytest.mark.parametrize(("name", "value"), [
    (name, value) for name, setting in sorted(SETTINGS.items())
    for value in good_setting_values(setting)])
def test_every_kind_of_setting_takes_its_good_values(name: str, value: Any) -> None:
    settings = Crawler(NewsSpider, {name: value}).settings
    check_settings(settings)


def test_the_project_settings_pass_their_own_check() -> None:
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("cleanwire.settings", priority="project")
    check_settings(settings)


@pytest.mark.parametrize(("name", "value"), [
    (name, value) for name, argument in sorted(ARGUMENTS.items())
    for value in bad_argument_values(argument, BAD_ARGUMENT_VALUES)])
def test_a_bad_argument_value_is_refused_in_one_line(name: str, value: Any) -> None:
    with pytest.raises(JobConfigError) as refused:
        spider(**{"url": URL, name: value})
    assert_one_line(refused, f"argument {name}: ")


@pytest.mark.parametrize(("name", "value"), [
    (name, value) for name in JOB_KEYS for value in bad_argument_values(ARGUMENTS[name], BAD_JOB_VALUES)])
def test_a_bad_jobs_file_value_is_refused_in_one_line(name: str, value: Any, tmp_path: Path) -> None:
    import json

    jobs = tmp_path / "jobs.toml"
    feed = "" if name == "feed" else f'feed = "{URL}"\n'
    jobs.write_text(f"[jobs.news]\n{feed}{name} = {json.dumps(value)}\n", encoding="utf-8")
    with pytest.raises(JobConfigError) as refused:
        build_plan({"jobs": str(jobs), "job": "news"})
    assert_one_line(refused, f"{jobs} [jobs.news]: key {name}: ")


def test_good_arguments_and_jobs_values_make_the_plan(tmp_path: Path) -> None:
    jobs = tmp_path / "jobs.toml"
    jobs.write_text(f'[defaults]\noutput = "out"\ndepth = 1\n\n[jobs.news]\nsite = ["{URL}"]\nmax_pages = "20"\n',
                    encoding="utf-8")
    plan = build_plan({"jobs": str(jobs), "job": "news", "depth": "2", "_job": "scrapyd-job-id", "_version": "r1"})
    assert (plan.sources["site"], plan.output, plan.depth, plan.max_pages) == ([URL], "out", 2, 20)


# --- the README's tables are the same names ------------------------------------------------------

def _table_names(heading: str) -> set[str]:
    """Names in backticks in the first column of the first table after ``heading``."""
    section = README[README.index(heading):]
    table = re.search(r"^\|.*\|\n\|[-|]+\|\n((?:\|.*\|\n)+)", section, re.MULTILINE)
    assert table is not None
    return {name for row in table.group(1).splitlines() for name in re.findall(r"`([^`]+)`", row.split("|")[1])}


# Set by cleanwire itself for a Redis crawl (spiders/frontier.use_redis), never by a user.
INTERNAL_SETTINGS = {"CLEANWIRE_REDIS_PREFIX"}


def test_every_setting_the_code_reads_is_a_checked_name() -> None:
    """A setting read somewhere but missing from SETTINGS would be refused as unknown when set."""
    package = [path for folder in ("spiders", "pipelines", "extensions", "extraction", "state", "commands")
               for path in (ROOT / folder).glob("*.py")] + list(ROOT.glob("*.py"))
    read = {name for path in package for name in re.findall(r"\bCLEANWIRE_[A-Z_]+\b", path.read_text(encoding="utf-8"))}
    assert read - INTERNAL_SETTINGS == set(SETTINGS)


def test_the_readme_tables_list_exactly_the_names_the_code_checks() -> None:
    assert _table_names("Scheduled runs, emitting only what is new") == set(ARGUMENTS)
    assert _table_names("## Settings") == set(SETTINGS)
    for name, setting in SETTINGS.items():
        assert f"| `{name}` | {setting.describe()} |" in README, name
    for name, argument in ARGUMENTS.items():
        if argument.kind == "count":
            assert re.search(rf"^\| `{name}` \| .*an integer, {argument.minimum} or more", README, re.MULTILINE), name


# --- whole runs: one line on stderr, exit 2 ------------------------------------------------------

def _refusal_line(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr[-3000:]
    lines = [line for line in stderr.splitlines() if line.startswith("cleanwire:")]
    assert len(lines) == 1, stderr[-3000:]
    return lines[0]


@pytest.mark.parametrize(("arguments", "said"), [
    (["-a", "stat=state.sqlite"], "unknown argument 'stat' (did you mean 'state'?)"),
    (["-a", "ouput=out"], "unknown argument 'ouput' (did you mean 'output'?)"),
    (["-s", "CLEANWIRE_EXPLIAN=1"], "unknown setting 'CLEANWIRE_EXPLIAN' (did you mean 'CLEANWIRE_EXPLAIN'?)"),
    (["-s", "CLEANWIRE_EXPLAIN=yes"], "CLEANWIRE_EXPLAIN=yes: takes a boolean"),
    (["-s", "CLEANWIRE_EXTRACT_WORKERS=abc"], "CLEANWIRE_EXTRACT_WORKERS=abc: takes an integer"),
    (["-s", "CLEANWIRE_STATE_BACKEND=nope.Nope"], "CLEANWIRE_STATE_BACKEND=nope.Nope: takes a class"),
    (["-a", "depth=deep"], "argument depth: not an integer: 'deep'"),
])
def test_a_crawl_refuses_a_typo_or_a_bad_value_with_one_line_and_exit_2(
        arguments: list[str], said: str, tmp_path: Path) -> None:
    result = run_crawl("-a", "url=http://127.0.0.1:9/story.html", *arguments, "-O", str(tmp_path / "o.jsonl"),
                       workdir=tmp_path, check=False)
    assert result.returncode == 2
    assert said in _refusal_line(result.stderr)
    assert result.outputs == []


def test_a_scheduled_job_refuses_a_misspelt_key_with_one_line_and_exit_2(tmp_path: Path) -> None:
    jobs = tmp_path / "jobs.toml"
    jobs.write_text('[jobs.news]\nfeed = "http://127.0.0.1:9/feed.xml"\nouput = "out"\n', encoding="utf-8")
    result = run_crawl("-a", f"jobs={jobs}", "-a", "job=news", workdir=tmp_path, check=False)
    assert result.returncode == 2
    assert "[jobs.news]: unknown key 'ouput' (did you mean 'output'?)" in _refusal_line(result.stderr)


def test_seed_refuses_a_misspelt_setting_before_reaching_redis() -> None:
    done = subprocess.run([*STRICT_PYTHON, "scrapy", "seed", "-s", "CLEANWIRE_REDIS_URL=redis://127.0.0.1:9/0",
                           "-s", "CLEANWIRE_REDIS_LEAS=5", "-a", "feed=http://127.0.0.1:9/feed.xml"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2
    assert "did you mean 'CLEANWIRE_REDIS_LEASE'?" in _refusal_line(done.stderr)

