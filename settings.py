"""Scrapy settings of cleanwire's standalone layout (this repository, Scrapyd's egg): the
cleanwire add-on (``addon.py``: components and safe defaults) and what only a project can say.
Everything cleanwire adds is prefixed ``CLEANWIRE_``; every such name is declared, with what it
takes, in ``config.SETTINGS`` and the README's table, since an undeclared one stops the run.
Each component reads its own settings, with its default in its code, written once.
"""

import os

BOT_NAME = "cleanwire"
SPIDER_MODULES = ["cleanwire.spiders"]
NEWSPIDER_MODULE = "cleanwire.spiders"
# `scrapy crawl` with exit codes cron, systemd and Scrapyd act on, and `scrapy seed`
COMMANDS_MODULE = "cleanwire.commands"
ADDONS = {"cleanwire.Addon": 0}
# read when logging starts, before any add-on runs
LOG_LEVEL = "INFO"

# From the environment, as `scrapy seed` and every worker of a distributed crawl read them:
# folders of site-config files in the FiveFilters format, your own first (README "Site rules"),
# and a redis://host:6379/0 that puts the crawl on Redis (README "Past one machine").
CLEANWIRE_SITE_RULES = os.environ.get("CLEANWIRE_SITE_RULES", "")
CLEANWIRE_REDIS_URL = os.environ.get("CLEANWIRE_REDIS_URL") or None
