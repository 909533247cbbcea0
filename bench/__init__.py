"""Benchmarks, run with ``python -m bench [NAME ...]``; results are written to docs/benchmarks.md."""
