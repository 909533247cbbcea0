"""Shared fixtures. Stand-in fixtures live in tests/standin_fixtures.py, store fixtures in tests/store_fixtures.py."""

pytest_plugins = ["tests.standin_fixtures", "tests.store_fixtures"]
