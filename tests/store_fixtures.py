"""Fixtures for the knowledge store (filled in by the store work)."""
