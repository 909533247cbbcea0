"""Turn an article's raw text into a :class:`Document`: front matter, byline, dateline, paragraphs.

Articles arrive in many shapes. This module keeps what describes the story (title, author, date,
source) as metadata and the story itself as paragraphs, and drops what is not part of the story: the
byline, a wire dateline prefix, the author's bio at the end and web boilerplate ("Related Articles").
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass, field

from bot.extract import lexicon
from bot.extract.dates import find_dates, find_header_date, infer_default_year, parse_published
from bot.extract.model import Document, PartialDate

FRONT_MATTER_KEYS = ("title", "author", "published", "source", "url")
_FRONT_MATTER_ALIASES = ("date",)  # read as "published"
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
_HEADER_MAX_LINES = 8
_HEADER_MAX_WORDS = 25
_URL = re.compile(r"https?://\S+")
_URL_DATE = re.compile(r"/(?P<year>(?:19|20)\d\d)/?(?P<month>[01]\d)/?(?P<day>[0-3]\d)(?:/|\b)")
_SYMBOL = re.compile(r"[A-Z][A-Z0-9]*(?:[/.-][A-Z0-9]+)+")  # a document symbol: "SC/13399-PKO/741"
_TIME_STAMP = re.compile(r"\d{1,2}[:.]\d{2}\s*(?:[AaPp]\.?[Mm]\.?)?\s*(?:[A-Z]{2,5})?(?:\s*\(.*\))?")
_TIME_TAIL_OFF = re.compile(r"\s*\d{1,2}[:.]\d{2}.*$")
_YEARLESS_DATE_LINE = re.compile(
    r"^(?:\d{1,2}\s+[A-Z][a-z]{2,8}\.?|[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?)(?:,?\s+\d{1,2}[:.]\d{2}.*)?$"
)
_GLUED_TITLE = re.compile(r"\b((?:Dr|Mr|Mrs|Ms|Prof|Gen|Col|Lt|Sen|Rep|Gov)\.)(?=[A-Z][a-z])")  # "Dr.Omar"
_GLUED_DATELINE = re.compile(r"(\d{4})([A-Z]{3,})")  # "Feb 27th 2020KABUL"
# a transcript's speaker label: "MR. KIRBY:", "MODERATOR:", "SECRETARY BLINKEN:", "Q" (the questioner)
_SPEAKER = re.compile(
    r"^(?:Q(?:\s{2,}|:\s*|\s+(?=[A-Z]))|(?P<label>(?:(?:MR|MS|MRS|DR|GEN|ADM)\.\s+)?[A-Z][A-Z'’-]+"
    r"(?:\s+[A-Z][A-Z'’.-]+){0,2}):\s+)"
)
# a wire story's closing credit line: "Reporting by Jane Doe; Editing by John Roe"
_CREDITS = re.compile(
    r"^\(?(?:(?:additional\s+)?reporting|writing|editing|compiled|produced|translated)\s+by\b.{0,300}$",
    re.IGNORECASE,
)
_WRAPPED_LINE_LENGTH = 150  # lines shorter than this inside a block are hard-wrapped parts of one paragraph


class ArticleError(ValueError):
    """The article cannot be ingested; the message says why in one line."""


def parse_document(key: str, text: str, path: str | None = None) -> Document:
    """Parse an article (front matter optional) into a :class:`Document`. Raises :class:`ArticleError`."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ArticleError("the file is empty")
    meta, body = split_front_matter(text)
    warnings = _front_matter_warnings(meta)
    lines = [_clean_markdown(line) for line in body.split("\n")]
    header, paragraphs = _split_header([_GLUED_TITLE.sub(r"\1 ", p) for p in _paragraphs(lines)])
    paragraphs, dateline = _strip_dateline(paragraphs)
    paragraphs, speakers = _speaker_turns(paragraphs)
    paragraphs = _strip_trailer(paragraphs, meta.get("author") or header.author)
    if not paragraphs:
        raise ArticleError("the file has no article text after its metadata")
    published = _published_from_meta(meta) or header.published
    if published is None:
        published = _dated(dateline.date if dateline else None, header, paragraphs)
    return Document(
        key=key,
        title=meta.get("title") or header.title,
        author=meta.get("author") or header.author,
        published=published,
        source=meta.get("source") or (dateline.agency if dateline else None) or header.agency,
        url=meta.get("url") or header.url,
        paragraphs=paragraphs,
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        path=path,
        speakers=speakers,
        context=list(dict.fromkeys(line for line in (meta.get("title"), *header.lines) if line)),
        warnings=warnings,
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


@dataclass
class _Header:
    """What the lines above the story say about it: title, byline, date lines, address, symbols."""

    title: str | None = None
    author: str | None = None
    agency: str | None = None
    published: PartialDate | None = None
    yearless: str | None = None  # a date line without a year ("21 Jun. 14:30"), dated from the body
    url: str | None = None
    lines: list[str] = field(default_factory=list)  # the header's text lines (title, standfirst, venue)


@dataclass(frozen=True)
class _Dateline:
    date: str | None
    agency: str | None


def _front_matter_warnings(meta: dict[str, str]) -> list[str]:
    warnings = []
    for key in meta:
        if key in FRONT_MATTER_KEYS or key in _FRONT_MATTER_ALIASES:
            continue
        close = difflib.get_close_matches(key, FRONT_MATTER_KEYS, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else f" (known keys: {', '.join(FRONT_MATTER_KEYS)})"
        warnings.append(f"front matter key '{key}' is not used{hint}")
    return warnings


def _is_prose(paragraph: str) -> bool:
    closed = paragraph.rstrip('”"’)').endswith((".", "!", ":", ";"))
    return closed or len(paragraph.split()) > _HEADER_MAX_WORDS


def _split_header(paragraphs: list[str]) -> tuple[_Header, list[str]]:
    """The leading lines that are not story: title, rubric, standfirst, byline, date lines, address."""
    header = _Header()
    index = 0
    while index < min(len(paragraphs), _HEADER_MAX_LINES) and index < len(paragraphs) - 1:
        line = paragraphs[index]
        if _SPEAKER.match(line) or _DATELINE.match(line):
            break
        if not _read_header_line(header, line.lstrip("# ").strip()):
            break
        index += 1
    if header.title is None and header.lines:
        header.title = header.lines[0]
    return header, paragraphs[index:]


def _read_header_line(header: _Header, line: str) -> bool:
    """Take what a header line says into ``header``; ``False`` when the line is story, not header."""
    byline = _BYLINE.match(line)
    if byline and _NAME_LIST.match(byline["names"].strip()):
        names = re.split(r"\s+(?:and|&)\s+|,\s*", byline["names"].strip())
        header.author = header.author or " and ".join(n for n in names if n)
        rest = byline["rest"] or ""
        header.published = header.published or find_header_date([rest])
        agency = rest.split(",")[0].strip()
        if agency and not any(ch.isdigit() for ch in agency) and len(agency.split()) <= 4:
            header.agency = header.agency or agency
        return True
    if _URL.fullmatch(line):
        header.url = header.url or line
        header.published = header.published or _url_date(line)
        return True
    if _SYMBOL.fullmatch(line) or _TIME_STAMP.fullmatch(line):
        return True
    unglued = _GLUED_DATELINE.sub(r"\1 \2", line)
    date = find_header_date([unglued])
    if date is not None and len(line.split()) <= 8:
        header.published = header.published or date
        return True
    if _YEARLESS_DATE_LINE.match(line) and len(line.split()) <= 6:
        header.yearless = header.yearless or line
        return True
    if _is_prose(line):
        return False
    header.lines.append(line)
    if header.title is None and len(line.split()) >= 4:
        header.title = line
    return True


def _url_date(url: str) -> PartialDate | None:
    match = _URL_DATE.search(url)
    if match is None:
        return None
    try:
        return PartialDate(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return None


def _dated(dateline_date: str | None, header: _Header, paragraphs: list[str]) -> PartialDate | None:
    """The date of a story whose header gives no yeared date: a dateline's or date line's month and day,
    in the year the header implies or, failing that, the year the story's own dates point to."""
    for text in (dateline_date, header.yearless):
        if not text:
            continue
        date = find_header_date([text])
        if date is not None:
            return date
        year = infer_default_year(paragraphs)
        if year is not None and (date := find_header_date([text], default_year=year)) is not None:
            return date
        mentions = [m for m in find_dates(_TIME_TAIL_OFF.sub("", text)) if m.month and m.offset is None]
        if year is not None and mentions and mentions[0].year is None:
            try:
                return PartialDate(year, mentions[0].month, mentions[0].day)
            except ValueError:
                return None
    return None


def _speaker_turns(paragraphs: list[str]) -> tuple[list[str], list[str | None]]:
    """A transcript's speaker labels ("MR. KIRBY:", "Q") taken off its paragraphs: the label of each
    paragraph's turn (continuation paragraphs inherit it), or ``None`` everywhere for an ordinary story."""
    labels = [_SPEAKER.match(p) for p in paragraphs]
    if sum(1 for m in labels if m) < 2:
        return paragraphs, [None] * len(paragraphs)
    texts, speakers, current = [], [], None
    for paragraph, label in zip(paragraphs, labels, strict=True):
        if label:
            current = (label["label"] or "Q").strip()
            paragraph = paragraph[label.end() :].strip()
        if paragraph:
            texts.append(paragraph)
            speakers.append(current)
    return texts, speakers


def _strip_dateline(paragraphs: list[str]) -> tuple[list[str], _Dateline | None]:
    """Drop a wire dateline prefix ("TRIPOLI, Libya, Jan 9, 2020 (Reuters) - "): its date and agency
    describe the story, not what happened."""
    if not paragraphs:
        return paragraphs, None
    match = _DATELINE.match(paragraphs[0])
    if not match or not (match["agency"] or match["place"].split(",")[0].isupper()):
        return paragraphs, None
    return [paragraphs[0][match.end() :], *paragraphs[1:]], _Dateline(match["date"], match["agency"])


def _strip_trailer(paragraphs: list[str], author: str | None) -> list[str]:
    """Drop trailing boilerplate and an author bio ("Samuel Ramani is a PhD candidate ...")."""
    result = list(paragraphs)
    while result:
        last = result[-1]
        if _BOILERPLATE.match(last) or _CREDITS.match(last) or (author and _is_author_bio(last, author)):
            result.pop()
        else:
            break
    return result


def _is_author_bio(paragraph: str, author: str) -> bool:
    first_author = author.split(" and ")[0].strip()
    return paragraph.startswith(first_author) and bool(
        re.match(re.escape(first_author) + r"\s+(?:is|was|has|writes|covers|teaches)\b", paragraph)
    )
