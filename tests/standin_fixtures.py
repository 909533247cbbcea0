"""Fixtures for the Discord stand-in (filled in by the stand-in work)."""
