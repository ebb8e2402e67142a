"""What to crawl: spider arguments and named jobs in a TOML file, resolved to one plan."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from w3lib.url import safe_url_string

from cleanwire.errors import JobConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

SOURCE_KINDS = ("url", "feed", "sitemap", "site")
DEFAULT_DEPTH = 3
DEFAULT_MAX_PAGES = 500


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


def split_urls(value: str | list[str] | None) -> list[str]:
    """``a,b`` or ``["a", "b"]`` as a list of URLs."""
    if value is None:
        return []
    items = value if isinstance(value, list) else value.split(",")
    return [u.strip() for u in items if isinstance(u, str) and u.strip()]


def read_url_list(path: str) -> list[str]:
    """One URL a line; blank lines and ``#`` comments ignored."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise JobConfigError(f"cannot read urls_file {path}: {error.strerror}") from error
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def read_job(path: str, name: str) -> dict[str, Any]:
    """Job ``name`` of a jobs file: ``[jobs.NAME]`` tables over an optional ``[defaults]``."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise JobConfigError(f"cannot read jobs file {path}: {error.strerror}") from error
    except tomllib.TOMLDecodeError as error:
        raise JobConfigError(f"jobs file {path} is not valid TOML: {error}") from error
    jobs = data.get("jobs", {})
    if name not in jobs:
        raise JobConfigError(f"no job {name!r} in {path}; jobs: {', '.join(sorted(jobs)) or 'none'}")
    return {**data.get("defaults", {}), **jobs[name]}


def is_web_url(url: str) -> bool:
    """An http(s) URL with a host that a Request accepts (``http://host:port:x`` is not one)."""
    if not url.startswith(("http://", "https://")):
        return False
    try:
        return bool(urlsplit(safe_url_string(url)).hostname)
    except ValueError:
        return False


def build_plan(args: dict[str, Any], seeded: bool = False) -> CrawlPlan:
    """Resolve spider arguments (``-a``), reading the jobs file and URL list they name.
    ``seeded``: the crawl's sources may all come from Redis, none need be given here."""
    args = dict(args)
    plan = CrawlPlan()
    if args.get("jobs") or args.get("job"):
        if not (args.get("jobs") and args.get("job")):
            raise JobConfigError("-a jobs=FILE and -a job=NAME go together")
        plan.name = str(args["job"])
        args = {**read_job(str(args["jobs"]), plan.name), **{k: v for k, v in args.items() if v is not None}}
    for kind in SOURCE_KINDS:
        plan.sources[kind] = split_urls(args.get(kind))
    if args.get("urls_file"):
        plan.sources["url"] += read_url_list(str(args["urls_file"]))
    plan.state = args.get("state") or None
    plan.output = args.get("output") or None
    try:
        plan.depth = int(args.get("depth", DEFAULT_DEPTH))
        plan.max_pages = int(args.get("max_pages", DEFAULT_MAX_PAGES))
    except (TypeError, ValueError) as error:
        raise JobConfigError(f"depth and max_pages must be integers: {error}") from error
    bad = [u for urls in plan.sources.values() for u in urls if not is_web_url(u)]
    if bad:
        raise JobConfigError(f"not an http(s) URL: {', '.join(bad)}")
    if plan.empty and not seeded:
        raise JobConfigError("nothing to crawl: give -a url=, urls_file=, feed=, sitemap=, site= or jobs= with job=")
    return plan
