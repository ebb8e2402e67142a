"""``python -m tests.strict MODULE ARGS``: run MODULE as ``python -m`` would, cleanwire's warnings as errors.

A crawl under test fails on any warning our own code causes, and on any other warning that is no
deprecation. A third party's deprecation inside a third party (Scrapy passing arguments w3lib
deprecates) is printed, once per place, into the run's log, and not fatal: it changes nothing
the run does, and a new upstream release must not turn the suite red overnight.
"""

from __future__ import annotations

import runpy
import sys
import warnings

from scrapy.exceptions import ScrapyDeprecationWarning

DEPRECATIONS = (DeprecationWarning, PendingDeprecationWarning, ScrapyDeprecationWarning)
OWN_MODULES = r"cleanwire(\.|$)"


def strict_warnings() -> None:
    """The filters, last one winning: errors, third parties' deprecations shown, ours errors again."""
    warnings.simplefilter("error")
    for category in DEPRECATIONS:
        warnings.filterwarnings("default", category=category)
    warnings.filterwarnings("error", module=OWN_MODULES)


if __name__ == "__main__":
    strict_warnings()
    module, sys.argv = sys.argv[1], sys.argv[1:]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
