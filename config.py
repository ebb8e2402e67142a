"""The ``CLEANWIRE_*`` settings as data: each name and the value it takes, checked before a crawl
starts. A misspelt name would be ignored and a bad value would end in a traceback deep in a
component; either is one line and exit 2 instead. Defaults stay in the components that read them.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass

from scrapy.settings import BaseSettings
from scrapy.utils.misc import load_object

from cleanwire.errors import JobConfigError, UnknownName
from cleanwire.extraction.formats import BODY_FORMATS, body_formats
from cleanwire.extraction.siterules import site_rule_folders

PREFIX = "CLEANWIRE_"
LOOKALIKE = 0.85  # difflib's ratio from which a setting's name is taken for a misspelling of ours
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")  # what redis-py's from_url reads


@dataclass(frozen=True)
class Setting:
    """What a setting takes. ``kind``: ``bool``, ``int`` and ``float`` (``minimum`` or more; above
    it when ``above``), ``path``, ``choice`` (one of ``choices``), ``class`` (an importable class),
    ``formats`` (body format names), ``redis_url``, ``folders`` (existing folders, comma-separated; none is fine)."""

    kind: str
    minimum: float = 0
    above: bool = False
    choices: tuple[str, ...] = ()

    def describe(self) -> str:
        """What it takes, in words: the README's table of settings says the same."""
        if self.kind in ("int", "float"):
            bound = f"{'more than' if self.above else 'at least'} {self.minimum:g}"
            return f"an integer, {bound}" if self.kind == "int" else f"a number, {bound}"
        if self.kind == "choice":
            return " or ".join(self.choices)
        return _KIND_WORDS[self.kind]


_KIND_WORDS = {
    "bool": "a boolean (1/0, true/false)",
    "path": "a path",
    "class": "a class (its import path)",
    "folders": "folders that exist, comma-separated",
    "formats": f"format names, comma-separated ({', '.join(BODY_FORMATS)})",
    "redis_url": f"a Redis URL ({', '.join(REDIS_SCHEMES)})",
}

SETTINGS = {
    "CLEANWIRE_STATE_PATH": Setting("path"),
    "CLEANWIRE_STATE_BACKEND": Setting("class"),
    "CLEANWIRE_EXTRACT_MIN_CHARS": Setting("int"),
    "CLEANWIRE_EXTRACT_FAVOR_PRECISION": Setting("bool"),
    "CLEANWIRE_EXTRACT_LEARN_TEMPLATES": Setting("bool"),
    "CLEANWIRE_EXPLAIN": Setting("bool"),
    "CLEANWIRE_SITE_RULES": Setting("folders"),
    "CLEANWIRE_SITE_RULES_MAX_PAGES": Setting("int", minimum=1),
    "CLEANWIRE_BODY_FORMATS": Setting("formats"),
    "CLEANWIRE_EXTRACT_WORKERS": Setting("int"),
    "CLEANWIRE_EXTRACT_TIMEOUT": Setting("float", above=True),
    "CLEANWIRE_SYNDICATION_ENABLED": Setting("bool"),
    "CLEANWIRE_SYNDICATION_DROP": Setting("bool"),
    "CLEANWIRE_SYNDICATION_MAX_AGE_DAYS": Setting("float"),
    "CLEANWIRE_CHECKPOINT_ITEMS": Setting("int"),
    "CLEANWIRE_CHECKPOINT_SECONDS": Setting("float"),
    "CLEANWIRE_SUMMARY_ENABLED": Setting("bool"),
    "CLEANWIRE_STATS_FILE": Setting("path"),
    "CLEANWIRE_REDIS_URL": Setting("redis_url"),
    "CLEANWIRE_REDIS_DRAINED": Setting("choice", choices=("exit", "wait")),
    "CLEANWIRE_REDIS_IDLE_SECONDS": Setting("int"),
    "CLEANWIRE_REDIS_LEASE": Setting("float", above=True),
}


def check_settings(settings: BaseSettings) -> None:
    """Every ``CLEANWIRE_*`` name (or near miss) known and every value usable, or a ``JobConfigError`` of one
    line naming the first that is not (a misspelt name with the closest known one)."""
    names = sorted(name for name in settings if isinstance(name, str) and _ours(name))
    for name in names:
        if name not in SETTINGS:
            raise UnknownName("setting", name, SETTINGS)
    for name in names:
        if settings.get(name) is None:  # not set: the component's default
            continue
        if not _usable(settings, name, SETTINGS[name]):
            raise JobConfigError(f"{name}={settings.get(name)}: takes {SETTINGS[name].describe()}")


def _ours(name: str) -> bool:
    """A ``CLEANWIRE_*`` name, or a near miss of one (``CLEANWIR_EXPLAIN``); no Scrapy setting
    comes within ``LOOKALIKE`` of ours, and another component's own names are left alone."""
    return name.startswith(PREFIX) or bool(difflib.get_close_matches(name, SETTINGS, n=1, cutoff=LOOKALIKE))


def _usable(settings: BaseSettings, name: str, setting: Setting) -> bool:
    """Whether the value is one its component can use, read with the getter the component uses."""
    value = settings.get(name)
    try:
        if setting.kind == "bool":
            settings.getbool(name)
        elif setting.kind in ("int", "float"):
            number = settings.getint(name) if setting.kind == "int" else settings.getfloat(name)
            return number > setting.minimum if setting.above else number >= setting.minimum
        elif setting.kind == "choice":
            return value in setting.choices
        elif setting.kind == "class":
            return isinstance(load_object(value), type)
        elif setting.kind == "formats":
            body_formats(settings.getlist(name))
        elif setting.kind == "folders":
            site_rule_folders(settings.getlist(name))
        elif setting.kind == "redis_url":
            return isinstance(value, str) and value.startswith(REDIS_SCHEMES)
        else:  # path
            return isinstance(value, os.PathLike) or (isinstance(value, str) and bool(value.strip()))
    except (ImportError, NameError, TypeError, ValueError, JobConfigError):
        return False
    return True
