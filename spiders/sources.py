"""What to crawl: spider arguments and named jobs in a TOML file, resolved to one plan."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from w3lib.url import safe_url_string

from cleanwire.errors import JobConfigError, UnknownName

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

SOURCE_KINDS = ("url", "feed", "sitemap", "site")
DEFAULT_DEPTH = 3
DEFAULT_MAX_PAGES = 500


@dataclass(frozen=True)
class Argument:
    """What a spider argument, or the same key in a jobs file, takes: ``urls`` (one http(s) URL,
    several separated by commas, or a TOML list), ``text`` (a path or a name), ``count`` (an
    integer, ``minimum`` or more)."""

    kind: str
    minimum: int = 0


# Every argument the news spider (and ``scrapy seed``) takes; any other name is refused.
ARGUMENTS = {
    **{kind: Argument("urls") for kind in SOURCE_KINDS},
    "urls_file": Argument("text"),
    "state": Argument("text"),
    "output": Argument("text"),
    "depth": Argument("count"),
    "max_pages": Argument("count", minimum=1),
    "jobs": Argument("text"),
    "job": Argument("text"),
}
JOB_KEYS = tuple(name for name in ARGUMENTS if name not in ("jobs", "job"))
"""What a job of a jobs file (or its ``[defaults]``) may set."""
JOBS_FILE_TABLES = ("defaults", "jobs")
SCRAPYD_ARGUMENTS = frozenset({"_job", "_version"})
"""Scrapyd passes these to every job it runs: not ours, accepted and ignored."""
# A comma separates two URLs only where the next one starts: a comma inside a URL stays in it.
_URL_SEPARATOR_RE = re.compile(r",\s*(?=https?://)", re.IGNORECASE)


@dataclass
class CrawlPlan:
    """Start URLs by kind, and where the run keeps its state and writes its output."""

    sources: dict[str, list[str]] = field(default_factory=lambda: {kind: [] for kind in SOURCE_KINDS})
    state: str | None = None
    output: str | None = None
    depth: int = DEFAULT_DEPTH
    max_pages: int = DEFAULT_MAX_PAGES
    name: str = "news"

    @property
    def empty(self) -> bool:
        return not any(self.sources.values())

    @property
    def lone_page(self) -> bool:
        """The run fetches one article page (``-a url=`` with one URL) and nothing else."""
        return len(self.sources["url"]) == 1 and not any(urls for kind, urls in self.sources.items() if kind != "url")


def split_urls(value: str | list[str]) -> list[str]:
    """``URL,URL`` or ``["URL", "URL"]`` as a list of URLs. A comma splits only before
    ``http://`` or ``https://``, so ``https://example.com/a,b.html`` stays one URL."""
    items = _URL_SEPARATOR_RE.split(value) if isinstance(value, str) else value
    return [u.strip() for u in items if u.strip()]


def read_url_list(path: str) -> list[str]:
    """One URL a line; blank lines and ``#`` comments ignored."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise JobConfigError(f"cannot read urls_file {path}: {error.strerror}") from error
    urls = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    bad = [url for url in urls if not is_web_url(url)]
    if bad:
        raise JobConfigError(f"urls_file {path}: not an http(s) URL: {', '.join(bad)}")
    return urls


def read_job(path: str, name: str) -> dict[str, Any]:
    """Job ``name`` of a jobs file: ``[jobs.NAME]`` tables over an optional ``[defaults]``, each
    key checked as the same spider argument would be."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise JobConfigError(f"cannot read jobs file {path}: {error.strerror}") from error
    except tomllib.TOMLDecodeError as error:
        raise JobConfigError(f"jobs file {path} is not valid TOML: {error}") from error
    for table in data:
        if table not in JOBS_FILE_TABLES:
            raise UnknownName("table", table, JOBS_FILE_TABLES, where=path)
    jobs = data.get("jobs", {})
    if not isinstance(jobs, dict):
        raise JobConfigError(f"{path}: jobs is not a table of [jobs.NAME] tables")
    if name not in jobs:
        raise JobConfigError(f"no job {name!r} in {path}; jobs: {', '.join(sorted(jobs)) or 'none'}")
    job: dict[str, Any] = {}
    for where, table in ((f"{path} [defaults]", data.get("defaults", {})), (f"{path} [jobs.{name}]", jobs[name])):
        if not isinstance(table, dict):
            raise JobConfigError(f"{where}: not a table of keys")
        job.update(check_arguments(table, JOB_KEYS, "key", where))
    return job


def is_web_url(url: str) -> bool:
    """An http(s) URL with a host that a Request accepts (``http://host:port:x`` is not one)."""
    if not url.startswith(("http://", "https://")):
        return False
    try:
        return bool(urlsplit(safe_url_string(url)).hostname)
    except ValueError:
        return False


def check_arguments(given: dict[str, Any], known: tuple[str, ...], what: str, where: str = "",
                    ignored: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Arguments (or a jobs table) as the plan takes them: URLs as lists, counts as integers.
    A name not in ``known`` (nor ``ignored``) or a value its ``Argument`` refuses is a
    ``JobConfigError`` of one line; ``None`` counts as not given (a caller of
    ``CrawlerProcess.crawl`` may pass it)."""
    checked = {}
    for name, value in given.items():
        if value is None or name in ignored:
            continue
        if name not in known:
            raise UnknownName(what, name, known, where)
        try:
            checked[name] = _argument_value(ARGUMENTS[name], value)
        except ValueError as error:
            raise JobConfigError(f"{where}{': ' if where else ''}{what} {name}: {error}") from None
    return checked


def _argument_value(argument: Argument, value: Any) -> list[str] | str | int:
    if argument.kind == "urls":
        if not (isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))):
            raise ValueError(f"not a URL or a list of URLs: {value!r}")
        urls = split_urls(value)
        bad = [url for url in urls if not is_web_url(url)]
        if bad or not urls:
            raise ValueError(f"not an http(s) URL: {', '.join(bad) or repr(value)}")
        return urls
    if argument.kind == "count":
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise ValueError(f"not an integer: {value!r}")
        try:
            number = int(value)
        except ValueError:
            raise ValueError(f"not an integer: {value!r}") from None
        if number < argument.minimum:
            raise ValueError(f"{number} is less than {argument.minimum}")
        return number
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"not a path or a name: {value!r}")
    return value


def build_plan(args: dict[str, Any], seeded: bool = False) -> CrawlPlan:
    """Resolve spider arguments (``-a``), reading the jobs file and URL list they name; every
    name and value is checked first. ``seeded``: the crawl's sources may all come from Redis,
    none need be given here."""
    given = check_arguments(args, tuple(ARGUMENTS), "argument", ignored=SCRAPYD_ARGUMENTS)
    plan = CrawlPlan()
    if "jobs" in given or "job" in given:
        if not ("jobs" in given and "job" in given):
            raise JobConfigError("-a jobs=FILE and -a job=NAME go together")
        plan.name = given["job"]
        given = {**read_job(given["jobs"], plan.name), **given}
    for kind in SOURCE_KINDS:
        plan.sources[kind] = list(given.get(kind, []))
    if "urls_file" in given:
        plan.sources["url"] += read_url_list(given["urls_file"])
    plan.state = given.get("state")
    plan.output = given.get("output")
    plan.depth = given.get("depth", DEFAULT_DEPTH)
    plan.max_pages = given.get("max_pages", DEFAULT_MAX_PAGES)
    if plan.empty and not seeded:
        raise JobConfigError("nothing to crawl: give -a url=, urls_file=, feed=, sitemap=, site= or jobs= with job=")
    return plan
