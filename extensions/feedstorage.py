"""Feed storage for local files that appear complete or not at all.

Items are written to ``<path>.part``; when the run ends the file is fsynced, the state store
commits the articles it holds (marking the file committed), and only then is it renamed to
its final name. A run killed before the commit leaves a ``.part`` file that the next run of
the job deletes; one killed between commit and rename has its rename finished next run. With a
store shared by several workers (Redis), a file whose commit is refused is deleted: its articles
are still unclaimed or claimed by a lapsed lease, and are emitted once, elsewhere or later.

At a checkpoint (``RunState``) the same happens on the way: the lines written so far are fsynced,
committed with their state under a numbered final name (``<name>.0001.jsonl``, ...), renamed,
and the run goes on writing a fresh ``.part``; the last part gets the next number when the
run ends. A run that reached no checkpoint writes one file under its plain name, as before.
"""

from __future__ import annotations

import io
import logging
import os
import shutil
from pathlib import Path
from typing import IO, Any, cast

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.extensions.feedexport import FileFeedStorage

from .runstate import RunState

logger = logging.getLogger(__name__)


class SegmentFile(io.BufferedIOBase):
    """The file the feed exporter writes to; a checkpoint swaps the file beneath it between two
    lines, so the exporter writes on without knowing."""

    def __init__(self, file: IO[bytes]) -> None:
        super().__init__()
        self._file = file

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        return self._file.write(data)

    def flush(self) -> None:
        self._file.flush()

    def fileno(self) -> int:
        return self._file.fileno()

    def swap(self, file: IO[bytes]) -> None:
        self._file.close()
        self._file = file

    def close(self) -> None:
        if not self.closed:
            super().close()  # flushes
            self._file.close()


class AtomicFileFeedStorage(FileFeedStorage):
    """FileFeedStorage that writes under a temporary name and renames when the run ends, or at
    each checkpoint."""

    def __init__(self, uri: str, *, feed_options: dict[str, Any] | None = None, crawler: Crawler) -> None:
        super().__init__(uri, feed_options=feed_options)
        self.state = RunState.of(crawler)
        self.final_path = Path(self.path)
        self.temp_path = self.final_path.with_name(self.final_path.name + ".part")
        self.discarded = False
        self.file: SegmentFile | None = None
        self.segments: list[tuple[Path, int]] = []
        """Files finished at checkpoints, with their article counts."""

    @classmethod
    def from_crawler(cls, crawler: Crawler, uri: str, *, feed_options: dict[str, Any] | None = None
                     ) -> AtomicFileFeedStorage:
        return cls(uri, feed_options=feed_options, crawler=crawler)

    def open(self, spider: Spider) -> IO[bytes]:
        self.final_path.parent.mkdir(parents=True, exist_ok=True)
        if self.write_mode == "ab" and self.final_path.exists():
            shutil.copyfile(self.final_path, self.temp_path)
        if self.state is not None:
            self.state.output_opened(self.temp_path, self.final_path, self)
        self.file = SegmentFile(self.temp_path.open(self.write_mode))
        return cast("IO[bytes]", self.file)  # a binary file as the exporters use one

    def checkpoint(self, items: int) -> bool:
        """Finish the lines written so far as a numbered file, committed with the state staged
        for them; go on in a new ``.part``. A refused commit leaves everything to the run's end."""
        assert self.state is not None and self.file is not None
        self.file.flush()
        os.fsync(self.file.fileno())
        finished = self._numbered(len(self.segments) + 1)
        self.state.output_opened(self.temp_path, finished)  # the name a killed run's rename finishes
        if not self.state.commit(self.temp_path, checkpoint=True):
            self.state.output_opened(self.temp_path, self.final_path)
            return False
        os.replace(self.temp_path, finished)
        _fsync_directory(finished.parent)
        self.state.output_renamed(self.temp_path)
        self.segments.append((finished, items))
        self.final_path = self._numbered(len(self.segments) + 1)
        self.state.output_opened(self.temp_path, self.final_path)
        self.file.swap(self.temp_path.open("wb"))
        logger.info("checkpoint: %s (%d articles)", finished, items)
        return True

    def _numbered(self, segment: int) -> Path:
        path = Path(self.path)
        return path.with_name(f"{path.stem}.{segment:04d}{path.suffix}")

    def store(self, file: IO[bytes]) -> None:
        file.flush()
        os.fsync(file.fileno())
        file.close()
        if self.state is not None:
            self.state.output_closed(self)
        committed = self.state.commit(self.temp_path) if self.state is not None else False
        if not committed and self.state is not None and self.state.shared is not None:
            self.temp_path.unlink()  # a shared store: another worker or the next round emits these, once
            self.discarded = True
            logger.error("output discarded: %s", self.final_path)
            return
        if self.segments and self.temp_path.stat().st_size == 0:  # the last checkpoint took every line
            self.temp_path.unlink()
        else:
            os.replace(self.temp_path, self.final_path)
            _fsync_directory(self.final_path.parent)
            logger.info("output: %s", self.final_path)
        if committed:
            assert self.state is not None
            self.state.output_renamed(self.temp_path)


def _fsync_directory(path: Path) -> None:
    """Make a rename durable: the directory entry is data too."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
