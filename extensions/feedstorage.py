"""Feed storage for local files that appear complete or not at all.

Items are written to ``<path>.part``; when the run ends the file is fsynced, the state store
commits the articles it holds (marking the file committed), and only then is it renamed to
its final name. A run killed before the commit leaves a ``.part`` file that the next run of
the job deletes; one killed between commit and rename has its rename finished next run. With a
store shared by several workers (Redis), a file whose commit is refused is deleted: its articles
are still unclaimed or claimed by a lapsed lease, and are emitted once, elsewhere or later.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path
from typing import IO, Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.extensions.feedexport import FileFeedStorage

from .runstate import RunState

logger = logging.getLogger(__name__)


class AtomicFileFeedStorage(FileFeedStorage):
    """FileFeedStorage that writes under a temporary name and renames when the run ends."""

    def __init__(self, uri: str, *, feed_options: dict[str, Any] | None = None, crawler: Crawler) -> None:
        super().__init__(uri, feed_options=feed_options)
        self.state = RunState.of(crawler)
        self.final_path = Path(self.path)
        self.temp_path = self.final_path.with_name(self.final_path.name + ".part")
        self.discarded = False

    @classmethod
    def from_crawler(cls, crawler: Crawler, uri: str, *, feed_options: dict[str, Any] | None = None
                     ) -> AtomicFileFeedStorage:
        return cls(uri, feed_options=feed_options, crawler=crawler)

    def open(self, spider: Spider) -> IO[bytes]:
        self.final_path.parent.mkdir(parents=True, exist_ok=True)
        if self.write_mode == "ab" and self.final_path.exists():
            shutil.copyfile(self.final_path, self.temp_path)
        if self.state is not None:
            self.state.output_opened(self.temp_path, self.final_path)
        return self.temp_path.open(self.write_mode)

    def store(self, file: IO[bytes]) -> None:
        file.flush()
        os.fsync(file.fileno())
        file.close()
        committed = self.state.commit(self.temp_path) if self.state is not None else False
        if not committed and self.state is not None and self.state.shared is not None:
            self.temp_path.unlink()  # a shared store: another worker or the next round emits these, once
            self.discarded = True
            logger.error("output discarded: %s", self.final_path)
            return
        os.replace(self.temp_path, self.final_path)
        _fsync_directory(self.final_path.parent)
        if committed:
            assert self.state is not None
            self.state.output_renamed(self.temp_path)
        logger.info("output: %s", self.final_path)


def _fsync_directory(path: Path) -> None:
    """Make a rename durable: the directory entry is data too."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
