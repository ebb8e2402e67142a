"""Scrapy commands of cleanwire (COMMANDS_MODULE)."""
