"""A fetched web page as an article: main text and metadata by trafilatura, then the article file format.

Pure and synchronous (tens of milliseconds on a big page): callers run it off the event loop. Nothing here
touches the network: trafilatura is only given the HTML text, never a URL to download.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import trafilatura

_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?!\d)")
_PROSE_WORDS = 8  # a page whose every line is shorter holds menus or captions, not an article
# publication dates from the markup only: the extensive search takes dates of events in the story
_DATE_PARAMS = {"original_date": True, "extensive_search": False}


class PageError(ValueError):
    """The page cannot become an article; the message says why in one line."""


@dataclass(frozen=True)
class Page:
    title: str | None
    author: str | None
    published: str | None  # YYYY-MM-DD, YYYY-MM or YYYY, as the page gives it
    site: str | None
    url: str | None
    text: str  # the main text, paragraphs separated by blank lines


def page_from_html(html: str, url: str | None) -> Page:
    """The article in an HTML page: boilerplate, menus, related links and comments left out.

    Raises :class:`PageError` when the page has no main text.
    """
    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,  # a page of links gives nothing rather than its menu
        date_extraction_params=_DATE_PARAMS,
    )
    text = getattr(document, "text", None) if document is not None else None
    if not text or not text.strip():
        raise PageError("no article text found on the page")
    title = _clean(document.title)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if title and lines and _words(lines[0]) == _words(title):
        lines = lines[1:]  # the headline, already the title
    if not any(len(line.split()) >= _PROSE_WORDS for line in lines):
        raise PageError("no article text found on the page")
    return Page(
        title=title,
        author=_clean(document.author),
        published=_iso_date(document.date),
        site=_clean(document.sitename),
        url=url or _clean(document.url),
        text="\n\n".join(lines),
    )


def page_from_text(text: str, url: str | None) -> Page:
    """A text/plain page: its text is the article (the ingest reads a title or byline from it)."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise PageError("the page has no text")
    return Page(title=None, author=None, published=None, site=None, url=url, text=text)


def article_text(page: Page) -> str:
    """The article file for the ingest: ``---`` front matter (title, author, published, source, url),
    then the text. Values are put on one line and quoted when the front-matter reader would strip a
    quote of theirs; the front matter is always written, so a text starting with ``---`` stays text."""
    fields = {
        "title": page.title,
        "author": page.author,
        "published": _iso_date(page.published),
        "source": page.site,
        "url": page.url,
    }
    lines = ["---"]
    for key, value in fields.items():
        value = _clean(value)
        if value:
            lines.append(f"{key}: {_quoted(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n\n" + page.text.strip() + "\n"


def _clean(value: str | None) -> str | None:
    """One line, single spaces; ``None`` for nothing."""
    return (" ".join(value.split()) or None) if value else None


def _quoted(value: str) -> str:
    # the reader strips one pair of matching outer quotes, so a value that starts or ends with a quote
    # gets a pair of its own to lose
    return f'"{value}"' if value[0] in "'\"" or value[-1] in "'\"" else value


def _words(line: str) -> list[str]:
    return re.findall(r"\w+", line.casefold())


def _iso_date(value: str | None) -> str | None:
    """``YYYY[-MM[-DD]]`` from the start of an ISO date or time stamp, if it is a real date."""
    match = _ISO_DATE.match(value.strip()) if value else None
    if match is None:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        dt.date(year, month or 1, day or 1)  # type: ignore[arg-type]
    except ValueError:
        return None
    return match.group(0)
