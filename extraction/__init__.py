"""Article extraction: a pure function of (page bytes, URL, options).

No Scrapy in here, no I/O, no state: the same inputs give the same article, in any process.
That is what lets the pipeline run it in worker processes and the benchmark run it alone.
"""

from __future__ import annotations

from .domclean import Removal
from .extractor import Extraction, ExtractionOptions, extract_article
from .formats import BODY_FORMATS, body_formats

__all__ = ["BODY_FORMATS", "Extraction", "ExtractionOptions", "Removal", "body_formats", "extract_article"]
