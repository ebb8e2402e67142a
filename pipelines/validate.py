"""Schema validation: nothing reaches the output that the published JSON Schema rejects."""

from __future__ import annotations

import json
import logging
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

logger = logging.getLogger(__name__)


def load_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(
        resources.files("cleanwire.pipelines").joinpath("schema/article-v1.schema.json").read_text("utf-8"))
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
