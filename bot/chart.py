"""A timeline picture (PNG) of dated events, drawn with matplotlib's Agg canvas in a worker process.

One row per event, labelled on the left, its mark placed on a shared date axis: day-precise events are
points, month- and year-precise ones bars spanning their month or year, so the picture claims no more
precision than the article gives. Rows never overlap, however close the dates.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.store.models import EventFact
from bot.text import format_date, truncate

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from bot.workers import Worker

FILENAME = "timeline.png"
MAX_ROWS = 40
LABEL_LIMIT = 60
_COLOUR = "#2a7f8f"
_WIDTH_INCHES = 11.0
_ROW_INCHES = 0.32
_DPI = 100
# Figures are independent, but matplotlib's font and text caches are shared: one render at a time.
_RENDER_LOCK = threading.Lock()


async def render_timeline(
    worker: Worker, events: Sequence[EventFact], title: str, total: int | None = None
) -> bytes:
    """The PNG of :func:`timeline_png`, drawn in ``worker``'s process: drawing holds the GIL for most of a
    second, and matplotlib and numpy would double the bot's memory for a command few use."""
    return await worker.run(timeline_png, list(events[:MAX_ROWS]), title, total or len(events))


def timeline_png(events: Sequence[EventFact], title: str, total: int | None = None) -> bytes:
    """A PNG of the first :data:`MAX_ROWS` ``events`` (of ``total``, when only the first were passed);
    blocking: async code calls :func:`render_timeline`."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    shown = list(events[:MAX_ROWS])
    total = len(events) if total is None else total
    if total > len(shown):
        title = f"{title} (first {len(shown)} of {total} events)"
    with _RENDER_LOCK:
        figure = Figure(figsize=(_WIDTH_INCHES, 1.4 + _ROW_INCHES * max(len(shown), 3)), dpi=_DPI)
        figure.set_layout_engine("constrained")
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        for row, event in enumerate(shown):
            _draw_event(axes, row, event)
        _style(axes, shown, title)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _draw_event(axes: Axes, row: int, event: EventFact) -> None:
    from matplotlib import dates as mdates

    start = mdates.date2num(event.date.first_day())
    if event.date.precision == "day":
        axes.plot([start + 0.5], [row], "o", color=_COLOUR, markersize=6)
    else:
        end = mdates.date2num(event.date.last_day() + dt.timedelta(days=1))
        axes.barh(row, end - start, left=start, height=0.5, color=_COLOUR, alpha=0.55)


def _style(axes: Axes, events: Sequence[EventFact], title: str) -> None:
    from matplotlib import dates as mdates

    labels = [f"{format_date(e.date)}  {truncate(e.summary, LABEL_LIMIT)}" for e in events]
    axes.set_yticks(range(len(events)), labels, fontsize=8)
    for label in axes.get_yticklabels():
        label.set_parse_math(False)  # "$" in a summary is text, not mathtext
    axes.set_ylim(len(events) - 0.5 if events else 0.5, -0.5)  # first event on top
    axes.grid(axis="x", color="#dddddd")
    axes.set_axisbelow(True)
    locator = mdates.AutoDateLocator()
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    for side in ("right", "top"):
        axes.spines[side].set_visible(False)
    axes.set_title(truncate(title, 120), parse_math=False)
