"""A timeline picture (PNG) of dated events, drawn with matplotlib's Agg canvas in a worker thread.

One row per event, labelled on the left, its mark placed on a shared date axis: day-precise events are
points, month- and year-precise ones bars spanning their month or year, so the picture claims no more
precision than the article gives. Rows never overlap, however close the dates.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.store.models import EventFact
from bot.text import format_date, truncate

if TYPE_CHECKING:
    from matplotlib.axes import Axes

FILENAME = "timeline.png"
MAX_ROWS = 40
LABEL_LIMIT = 60
_COLOUR = "#2a7f8f"
_WIDTH_INCHES = 11.0
_ROW_INCHES = 0.32
_DPI = 100
# Figures are independent, but matplotlib's font and text caches are shared: one render at a time.
_RENDER_LOCK = threading.Lock()


async def render_timeline(events: Sequence[EventFact], title: str) -> bytes:
    """The PNG of :func:`timeline_png`, rendered off the event loop (it can take around a second)."""
    return await asyncio.to_thread(timeline_png, events, title)


def timeline_png(events: Sequence[EventFact], title: str) -> bytes:
    """A PNG of the first :data:`MAX_ROWS` ``events``; blocking: async code calls :func:`render_timeline`."""
    # matplotlib is imported on the first chart, not at start: it doubles the bot's memory and few ask.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    shown = list(events[:MAX_ROWS])
    if len(events) > len(shown):
        title = f"{title} (first {len(shown)} of {len(events)} events)"
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
