"""Scrapy extensions of cleanwire: the run's state store and its end-of-run summary."""
