"""Benchmarks, run by hand: extraction quality (quality.py) and scheduled-run cost (scheduled.py)."""
