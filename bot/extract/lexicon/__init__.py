"""Word lists and gazetteers the extraction rules are driven by (JSON files beside this module)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

_HERE = Path(__file__).parent


@cache
def load(name: str) -> Any:
    """The parsed contents of ``<name>.json`` in this folder (cached)."""
    return json.loads((_HERE / f"{name}.json").read_text(encoding="utf-8"))
