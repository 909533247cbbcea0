"""Turn an article's raw text into a :class:`Document`: front matter, byline, dateline, paragraphs.

Articles arrive in many shapes. This module keeps what describes the story (title, author, date,
source) as metadata and the story itself as paragraphs, and drops what is not part of the story: the
byline, a wire dateline prefix, the author's bio at the end and web boilerplate ("Related Articles").
"""

from __future__ import annotations

import hashlib
import re

from bot.extract import lexicon
from bot.extract.dates import find_header_date, parse_published
from bot.extract.model import Document, PartialDate

FRONT_MATTER_KEYS = ("title", "author", "published", "source", "url")
_LEXICON = lexicon.load("document")
_BOILERPLATE = re.compile(
    r"^(?:" + "|".join(re.escape(line) for line in _LEXICON["boilerplate_lines"]) + r")\W*$", re.IGNORECASE
)
_BYLINE = re.compile(r"^by\s+(?P<names>[^\d,|]{2,120}?)\s*(?:(?:,|\||—|-)\s*(?P<rest>.*))?$", re.IGNORECASE)
# "TRIPOLI, Libya (Reuters) - ", "MOSCOW, April 12 (AFP) — ", "BENGHAZI (AP) -- "
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z .'’-]{2,40}(?:,\s*[A-Z][\w .'’-]{1,40})?)\s*"
    r"(?:,\s*(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?))?\s*"
    r"(?:\((?P<agency>[^)]{2,40})\))?\s*(?:-{1,2}|—|–)\s+"
)
_NAME_LIST = re.compile(
    r"^[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|and|&|de|da|van|von|bin|ibn|(?:al|el)-\w+))*$"
)
_MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\([^)]+\)")
_MARKDOWN_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")
_WRAPPED_LINE_LENGTH = 150  # lines shorter than this inside a block are hard-wrapped parts of one paragraph


class ArticleError(ValueError):
    """The article cannot be ingested; the message says why in one line."""


def parse_document(key: str, text: str, path: str | None = None) -> Document:
    """Parse an article (front matter optional) into a :class:`Document`. Raises :class:`ArticleError`."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ArticleError("the file is empty")
    meta, body = split_front_matter(text)
    lines = [_clean_markdown(line) for line in body.split("\n")]
    paragraphs = _paragraphs(lines)

    title = meta.get("title")
    author = meta.get("author")
    source = meta.get("source")
    published = _published_from_meta(meta)

    untitled_first_line = title is None and bool(paragraphs) and _looks_like_title(paragraphs[0], body)
    if paragraphs and (paragraphs[0].startswith("#") or untitled_first_line):
        heading = paragraphs.pop(0).lstrip("# ").strip()
        title = title or heading
    header_date = find_header_date(paragraphs[:3])
    paragraphs, byline_author = _strip_byline(paragraphs)
    author = author or byline_author
    if published is None:
        published = header_date
    paragraphs, agency = _strip_dateline(paragraphs)
    source = source or agency
    paragraphs = _strip_trailer(paragraphs, author)
    if not paragraphs:
        raise ArticleError("the file has no article text after its metadata")
    return Document(
        key=key,
        title=title,
        author=author,
        published=published,
        source=source,
        url=meta.get("url"),
        paragraphs=paragraphs,
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        path=path,
    )


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split ``---``-fenced ``key: value`` front matter from the body. Unknown keys are kept but unused."""
    if not text.startswith("---"):
        return {}, text
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return {}, text
    try:
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() in {"---", "..."})
    except StopIteration:
        raise ArticleError("front matter starts with '---' but is never closed") from None
    meta: dict[str, str] = {}
    for number, line in enumerate(lines[1:end], start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if not sep or not key.strip() or " " in key.strip():
            raise ArticleError(f"front matter line {number} is not 'key: value': {line.strip()[:60]!r}")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        if value:
            meta[key.strip().lower()] = value
    return meta, "\n".join(lines[end + 1 :])


def _published_from_meta(meta: dict[str, str]) -> PartialDate | None:
    value = meta.get("published") or meta.get("date")
    if value is None:
        return None
    try:
        return parse_published(value)
    except ValueError as error:
        raise ArticleError(f"front matter 'published' is not a date: {error}") from None


def _clean_markdown(line: str) -> str:
    line = _MARKDOWN_LINK.sub(r"\1", line)
    return _MARKDOWN_EMPHASIS.sub(r"\2", line).rstrip()


def _paragraphs(lines: list[str]) -> list[str]:
    """Blank lines separate blocks; a block of long lines is a paragraph per line, else one wrapped one."""
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(line.strip())
        elif blocks[-1]:
            blocks.append([])
    paragraphs: list[str] = []
    for block in blocks:
        if not block:
            continue
        if len(block) > 1 and max(len(line) for line in block[:-1]) >= _WRAPPED_LINE_LENGTH:
            paragraphs.extend(block)
        else:
            paragraphs.append(re.sub(r"\s+", " ", " ".join(block)))
    return [p for p in paragraphs if not re.fullmatch(r"[-*_=#\s]+", p)]


def _looks_like_title(first: str, body: str) -> bool:
    """A short first line with no closing punctuation, not a byline or a date, reads as a title."""
    if first.startswith("#"):
        return True
    if len(first) > 150 or first.endswith((".", ":", ";", ",")) or _BYLINE.match(first):
        return False
    if find_header_date([first]) is not None and len(first.split()) <= 8:
        return False
    return 2 <= len(first.split()) <= 20 and body.count("\n") > 2


def _strip_byline(paragraphs: list[str]) -> tuple[list[str], str | None]:
    for index, paragraph in enumerate(paragraphs[:3]):
        match = _BYLINE.match(paragraph)
        if match and len(paragraph) <= 160 and _NAME_LIST.match(match["names"].strip()):
            names = re.split(r"\s+(?:and|&)\s+|,\s*", match["names"].strip())
            return paragraphs[:index] + paragraphs[index + 1 :], " and ".join(n for n in names if n)
    return paragraphs, None


def _strip_dateline(paragraphs: list[str]) -> tuple[list[str], str | None]:
    """Drop a date-only line and a wire dateline prefix ("TRIPOLI (Reuters) - "); keep the agency."""
    result = list(paragraphs)
    while result and len(result[0]) <= 60 and find_header_date([result[0]]) is not None:
        result.pop(0)
    if not result:
        return result, None
    match = _DATELINE.match(result[0])
    if not match or not (match["agency"] or match["place"].isupper()):
        return result, None
    result[0] = result[0][match.end() :]
    return result, match["agency"]


def _strip_trailer(paragraphs: list[str], author: str | None) -> list[str]:
    """Drop trailing boilerplate and an author bio ("Samuel Ramani is a PhD candidate ...")."""
    result = list(paragraphs)
    while result:
        last = result[-1]
        if _BOILERPLATE.match(last) or (author and _is_author_bio(last, author)):
            result.pop()
        else:
            break
    return result


def _is_author_bio(paragraph: str, author: str) -> bool:
    first_author = author.split(" and ")[0].strip()
    return paragraph.startswith(first_author) and bool(
        re.match(re.escape(first_author) + r"\s+(?:is|was|has|writes|covers|teaches)\b", paragraph)
    )
