"""Spiders and their downloader middleware: where pages are fetched."""
