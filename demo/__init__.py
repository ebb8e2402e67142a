"""Bundled offline demo news site used by `make run` and the crawl tests."""
