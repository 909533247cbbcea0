"""``python -m bench``: every benchmark; ``python -m bench NAME [ARGS...]``: one, with its own options."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

# Modules of this package, each with ``main(argv) -> int``.
BENCHMARKS = ("ingest", "commands", "briefing", "extraction", "questions", "resolve", "scale", "feeds")


def main(argv: Sequence[str]) -> int:
    if argv and argv[0] in BENCHMARKS:
        return importlib.import_module(f"bench.{argv[0]}").main(argv[1:])
    if argv:
        print(f"error: unknown benchmark {argv[0]!r} (known: {', '.join(BENCHMARKS)})", file=sys.stderr)
        return 1
    return max(importlib.import_module(f"bench.{name}").main([]) for name in BENCHMARKS)


sys.exit(main(sys.argv[1:]))
