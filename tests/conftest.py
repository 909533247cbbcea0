"""Shared fixtures: the stand-in's in tests/standin_fixtures.py, the store's in tests/store_fixtures.py."""

pytest_plugins = ["tests.standin_fixtures", "tests.store_fixtures"]
