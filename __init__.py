"""cleanwire: news pages in, the article and nothing else out.

For Scrapy users, the ``news`` spider (``SCRAPY_SETTINGS_MODULE=cleanwire.settings scrapy
crawl news ...``), or ``ADDONS = {"cleanwire.Addon": 0}`` in a project of their own. For everyone else, one function::

    import cleanwire
    article = cleanwire.extract(html, url="https://example.com/story.html")
    article.text, article.title, article.authors, article.published

and the command ``cleanwire extract FILE``. Every error cleanwire raises on purpose is a
``cleanwire.errors.CleanwireError``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cleanwire.extraction import Extraction

__version__ = "0.2.0"
__all__ = ["Addon", "__version__", "extract"]


def __getattr__(name: str) -> object:
    """``cleanwire.Addon``, imported when asked for: ``cleanwire.extract`` needs no Scrapy."""
    if name == "Addon":
        from cleanwire.addon import Addon  # noqa: PLC0415

        return Addon
    raise AttributeError(f"module 'cleanwire' has no attribute {name!r}")


def extract(html: str | bytes, url: str | None = None, *, favor_precision: bool | None = None,
            formats: Iterable[str] = ()) -> Extraction:
    """The article of one page: its clean text, metadata, and what was removed and why.

    ``html`` is the page as served (bytes, so the page's own charset declaration is used) or
    already decoded; ``url`` resolves relative links and the canonical URL; ``formats`` adds
    bodies besides text ("markdown", "html": ``Extraction.bodies``). Raises
    ``cleanwire.errors.ExtractionError`` when the input is not an HTML document,
    ``cleanwire.errors.OptionError`` for an unknown format.
    """
    from cleanwire.errors import OptionError  # noqa: PLC0415 (Scrapy's settings import this package)
    from cleanwire.extraction import ExtractionOptions, body_formats, extract_article  # noqa: PLC0415

    try:
        options = ExtractionOptions(body_formats=body_formats(formats))
    except ValueError as error:
        raise OptionError(str(error)) from None
    body = html.encode("utf-8") if isinstance(html, str) else html
    if favor_precision is not None:
        options = replace(options, favor_precision=favor_precision)
    return extract_article(body, url or "", options)
