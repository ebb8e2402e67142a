"""Page templates of the three demo sites, keyed by the URL prefix they live under.

Each module provides SITE_NAME, PREFIX (CSS class prefix), SECTIONS (slug to label),
shell(lang, head, main) for whole pages and render(article, site) for article pages.
"""

from __future__ import annotations

from types import ModuleType

from demo.templates import aggregator, herald, zeitung

TEMPLATES: dict[str, ModuleType] = {"herald": herald, "zeitung": zeitung, "aggregator": aggregator}
