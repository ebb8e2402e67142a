"""Schema validation: nothing reaches the output that the published JSON Schema of its version rejects."""

from __future__ import annotations

import json
import logging
from importlib import resources
from typing import TYPE_CHECKING, Any

from jsonschema import Draft202012Validator
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from cleanwire.items import SCHEMA_VERSION

if TYPE_CHECKING:
    from importlib.abc import Traversable  # deprecated at run time from 3.12 on; importlib.resources.abc is 3.11+

logger = logging.getLogger(__name__)


def schema_file(version: int = SCHEMA_VERSION) -> Traversable:
    """Where the package ships the schema of a version: every version ever published stays there,
    unchanged (README "Schema versions"), so a consumer can validate old lines too."""
    return resources.files("cleanwire.pipelines").joinpath(f"schema/article-v{version}.schema.json")


def load_schema(version: int = SCHEMA_VERSION) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(schema_file(version).read_text("utf-8"))
    return schema


class SchemaValidationPipeline:
    """Drops, with a reason and the stat ``cleanwire/skipped/invalid_item``, any invalid item."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.validator = Draft202012Validator(load_schema())

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SchemaValidationPipeline:
        return cls(crawler)

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        error = next(iter(sorted(self.validator.iter_errors(item), key=lambda e: e.path)), None)
        if error is None:
            return item
        self.stats.inc_value("cleanwire/skipped/invalid_item")
        where = "/".join(str(p) for p in error.absolute_path) or "(item)"
        raise DropItem(f"invalid item {item.get('url')}: {where}: {error.message}", log_level="WARNING")
