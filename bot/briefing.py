"""A server's daily briefing, composed from the store's material as plain data, then as one embed.

Everything is a pure function of the :class:`Material` (shared by all servers in a tick) and one server's
:class:`ServerState`, so a preview, the scheduled post and a retry of the same day agree. The actor and
the statement of the day rotate: deterministic for a server and day, and none repeats until every one
has been shown, after which the cycle starts again.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import discord

from bot.extract.model import PartialDate
from bot.render import KIND_NAMES, said, speaker_name
from bot.store.briefings import (
    ActorItem,
    ArticleOpening,
    DatedEvent,
    ItemType,
    Material,
    NewEvent,
    News,
    ShownItem,
)
from bot.store.models import Citation, QuoteFact
from bot.text import (
    EMBED_DESCRIPTION_LIMIT,
    EMBED_TITLE_LIMIT,
    EMBED_TOTAL_LIMIT,
    FIELD_VALUE_LIMIT,
    cite,
    fitting,
    format_date,
    literal,
    truncate,
)

MAX_ARTICLES = 5
MAX_EVENTS = 5
MAX_NEW_ACTORS = 8
MAX_NEW_EVENTS = 8
MAX_STATEMENTS = 3
STATEMENT_LIMIT = 280
URL_LIMIT = 300
UPCOMING_DAYS = 3  # distinct month-days in "Coming up"
MAX_UPCOMING = 5
GIST_LIMIT = 300
GIST_MIN = 120  # a first sentence shorter than this gets the next one too
TITLE_LIMIT = 150
SUMMARY_LIMIT = 220
QUOTE_LIMIT = 600
NAME_LIMIT = 100  # an author, actor or speaker
CITE_LIMIT = 160
MORE_RESERVE = 24  # room for "\n…and N more."
_BYLINE_WORDS = 8


@dataclass(frozen=True)
class ServerState:
    guild_id: int
    day: date  # the local date the briefing is for
    since: str | None = None  # last_briefing_at: articles ingested after it are new; None: first briefing
    shown: Mapping[ItemType, Mapping[str, date]] = field(default_factory=dict)


@dataclass(frozen=True)
class Article:
    title: str
    author: str | None
    gist: str
    citation: Citation
    source: str | None = None
    published: PartialDate | None = None
    url: str | None = None


@dataclass(frozen=True)
class Briefing:
    day: date
    first: bool  # no briefing before: the articles are the latest ones, not "new since"
    articles: tuple[Article, ...]
    more_articles: int  # new ones left out
    on_this_day: tuple[DatedEvent, ...]
    more_on_this_day: int
    actor: ActorItem | None  # of the day, on a day with nothing new
    quote: QuoteFact | None  # of the day, on a day with nothing new
    coming_up: tuple[tuple[date, DatedEvent], ...]  # (next anniversary, event)
    shown: tuple[ShownItem, ...]  # to record once posted
    mark: str | None  # the next briefing's ``since``
    new_actors: tuple[ActorItem, ...] = ()
    more_new_actors: int = 0
    new_events: tuple[NewEvent, ...] = ()
    more_new_events: int = 0
    statements: tuple[QuoteFact, ...] = ()
    more_statements: int = 0

    @property
    def quiet(self) -> bool:
        """Nothing came in since the last briefing (or the store is empty)."""
        return not self.articles and not self.more_articles


# -- composing -------------------------------------------------------------------------------------------


def compose(material: Material, state: ServerState) -> Briefing:
    """The briefing for one server and day: what is new since its last briefing (``material.news`` was
    read for ``state.since``), then the look back and ahead; on a day with nothing new, the actor and the
    statement of the day instead of the news."""
    articles, more = new_articles(material, state.since)
    on_this_day = anniversaries_on(material.events, state.day)
    actors = {actor.name: actor for actor in material.actors}
    quotes = {quote_key(quote): quote for quote in material.quotes}
    quiet = not articles and not more
    picks: dict[ItemType, tuple[str, bool] | None] = {
        "actor": rotate(list(actors), state.shown.get("actor", {}), state) if quiet else None,
        "quote": rotate(list(quotes), state.shown.get("quote", {}), state) if quiet else None,
    }
    news = material.news if not quiet else News()
    statements = key_statements(news.statements)
    return Briefing(
        day=state.day,
        first=state.since is None,
        articles=articles,
        more_articles=more,
        on_this_day=tuple(on_this_day[:MAX_EVENTS]),
        more_on_this_day=max(0, len(on_this_day) - MAX_EVENTS),
        actor=actors[picks["actor"][0]] if picks["actor"] else None,
        quote=quotes[picks["quote"][0]] if picks["quote"] else None,
        coming_up=coming_up(material.events, state.day),
        shown=tuple(ShownItem(kind, *pick) for kind, pick in picks.items() if pick),
        mark=material.ingest_times[-1] if material.ingest_times else state.since,
        new_actors=news.actors[:MAX_NEW_ACTORS],
        more_new_actors=max(0, news.actor_count - MAX_NEW_ACTORS),
        new_events=news.events[:MAX_NEW_EVENTS],
        more_new_events=max(0, news.event_count - min(MAX_NEW_EVENTS, len(news.events))),
        statements=statements,
        more_statements=max(0, news.statement_count - len(statements)),
    )


def key_statements(statements: Sequence[QuoteFact], limit: int = MAX_STATEMENTS) -> tuple[QuoteFact, ...]:
    """The first statements (named and verbatim ones come first) by different speakers."""
    chosen: list[QuoteFact] = []
    speakers: set[str | None] = set()
    for quote in statements:
        if quote.speaker not in speakers:
            chosen.append(quote)
            speakers.add(quote.speaker)
        if len(chosen) == limit:
            break
    return tuple(chosen)


def new_articles(material: Material, since: str | None) -> tuple[tuple[Article, ...], int]:
    """Articles ingested after ``since`` and how many more there are; the latest few for a first briefing."""
    fresh = [opening for opening in material.latest if since is None or opening.ingested_at > since]
    articles = tuple(article for opening in fresh[:MAX_ARTICLES] if (article := summarize(opening)))
    if since is None:
        return articles, 0
    newer = len(material.ingest_times) - bisect_right(material.ingest_times, since)
    return articles, max(0, newer - len(articles))


def summarize(opening: ArticleOpening) -> Article | None:
    """Title, author and a gist from the article's own first sentences (a byline is not a sentence),
    cited at the paragraph the gist comes from; None for an article without text."""
    sentences = [(n, text) for n, text in opening.sentences if not _is_byline(text, opening.author)]
    if not sentences:
        return None
    paragraph = sentences[0][0]
    words = [text for n, text in sentences if n == paragraph]
    gist = words[0]
    if len(gist) < GIST_MIN and len(words) > 1:
        gist = f"{gist} {words[1]}"
    citation = Citation(opening.key, opening.title, paragraph)
    return Article(
        opening.title,
        opening.author,
        truncate(gist, GIST_LIMIT),
        citation,
        opening.source,
        opening.published,
        opening.url,
    )


def _is_byline(text: str, author: str | None) -> bool:
    """ "By Samuel Ramani": a short line starting with "By" that is no sentence, or the author's name."""
    line = text.strip()
    if author and line.rstrip(".").lower() in (author.lower(), f"by {author.lower()}"):
        return True
    return (
        line.lower().startswith("by ")
        and len(line.split()) <= _BYLINE_WORDS
        and not line.endswith((".", "!", "?", "”", '"'))
    )


def anniversary(when: date, year: int) -> date:
    """``when``'s month and day in ``year``; 29 February falls on the 28th in other years."""
    try:
        return when.replace(year=year)
    except ValueError:  # 29 February in a common year
        return date(year, 2, 28)


def anniversaries_on(events: Sequence[DatedEvent], day: date) -> list[DatedEvent]:
    """Events whose anniversary is ``day`` (or that happened on it), oldest first."""
    return [e for e in events if e.date <= day and anniversary(e.date, day.year) == day]


def coming_up(events: Sequence[DatedEvent], day: date) -> tuple[tuple[date, DatedEvent], ...]:
    """The anniversaries of the next UPCOMING_DAYS month-days after ``day`` (at most MAX_UPCOMING)."""
    ahead = []
    for event in events:
        when = anniversary(event.date, day.year)
        if when <= day:
            when = anniversary(event.date, day.year + 1)
        if event.date < when:
            ahead.append((when, event))
    ahead.sort(key=lambda pair: (pair[0], pair[1].date))
    days = sorted({when for when, _ in ahead})[:UPCOMING_DAYS]
    return tuple(pair for pair in ahead if pair[0] in days)[:MAX_UPCOMING]


def quote_key(quote: QuoteFact) -> str:
    """A statement's identity across re-ingests: its sentence and a digest of its words."""
    digest = hashlib.sha256(quote.text.encode()).hexdigest()[:12]
    where = quote.citation
    return f"{where.document}:{where.paragraph}:{where.sentence}:{digest}"


def rotate(keys: Sequence[str], shown: Mapping[str, date], state: ServerState) -> tuple[str, bool] | None:
    """Today's item and whether it restarts the cycle. The item already shown today stays (a preview or a
    retry agrees with the post); else the first unshown one in an order fixed by server and day; when all
    were shown, any but the last one shown, and the cycle restarts."""
    if not keys:
        return None
    today = [key for key in keys if shown.get(key) == state.day]
    if today:
        return _first(today, state), False
    fresh = [key for key in keys if key not in shown]
    if fresh:
        return _first(fresh, state), False
    latest = max(keys, key=lambda key: (shown[key], key))
    return _first([key for key in keys if key != latest] or list(keys), state), True


def _first(keys: Sequence[str], state: ServerState) -> str:
    def rank(key: str) -> bytes:
        return hashlib.sha256(f"{state.guild_id}:{state.day.isoformat()}:{key}".encode()).digest()

    return min(keys, key=rank)


# -- the embed -------------------------------------------------------------------------------------------


def briefing_embed(briefing: Briefing) -> discord.Embed:
    """One embed within Discord's limits: each section a field of at most 1,024 characters, the sections
    sharing the 6,000 an embed may hold; a section cut short says how many more and where to read them."""
    day = briefing.day
    title = truncate(f"Daily briefing · {day:%A} {day.day} {day:%B} {day.year}", EMBED_TITLE_LIMIT)
    description = truncate(_description(briefing), EMBED_DESCRIPTION_LIMIT)
    embed = discord.Embed(title=title, description=description, colour=discord.Colour.dark_teal())
    embed.set_footer(text=FOOTER)
    sections = _sections(briefing)
    room = EMBED_TOTAL_LIMIT - len(title) - len(description) - len(FOOTER) - EMBED_SLACK
    room -= sum(len(section.name) for section in sections)
    for section, limit in zip(sections, _shares(sections, room), strict=True):
        embed.add_field(name=section.name, value=section.value(limit), inline=False)
    return embed


FOOTER = "Every item cites its article and paragraph."
EMBED_SLACK = 40


@dataclass(frozen=True)
class _Section:
    """A field: its lines, how many more items there are, and where to read them."""

    name: str
    lines: tuple[str, ...]
    more: int = 0
    rest: str = ""  # e.g. "/timeline", shown after "…and N more"
    empty: str = ""  # the value when there are no lines

    def value(self, limit: int) -> str:
        if not self.lines:
            return truncate(self.empty, limit)
        return _join(list(self.lines), self.more, limit, self.rest)

    def wanted(self) -> int:
        return len(self.value(FIELD_VALUE_LIMIT))


def _shares(sections: Sequence[_Section], room: int) -> list[int]:
    """Each section's limit: what it wants, up to 1,024, the longest cut so that all fit in ``room``."""
    limits = [min(section.wanted(), FIELD_VALUE_LIMIT) for section in sections]
    while sum(limits) > room:
        longest = max(range(len(limits)), key=limits.__getitem__)
        limits[longest] -= min(sum(limits) - room, max(1, limits[longest] // 4))
    return limits


def _description(briefing: Briefing) -> str:
    if briefing.first:
        if briefing.quiet:
            return "My first briefing here; I have no articles yet."
        return "My first briefing here: the latest articles I have, what they report, this day in the past."
    if briefing.quiet:
        return "Nothing new since the last briefing, so here is a look back instead."
    count = len(briefing.articles) + briefing.more_articles
    noun = "article" if count == 1 else "articles"
    return f"{count} new {noun} since the last briefing: what they report, then a look back and ahead."


def _sections(briefing: Briefing) -> list[_Section]:
    sections: list[_Section] = []
    if not briefing.quiet:
        name = "Latest articles" if briefing.first else "New articles"
        lines = tuple(_article_lines(a) for a in briefing.articles)
        sections.append(_Section(name, lines, briefing.more_articles, "/source lists them all"))
        if briefing.new_actors:
            lines = tuple(_actor_value(actor) for actor in briefing.new_actors)
            sections.append(_Section("New actors", lines, briefing.more_new_actors, "/actors"))
        if briefing.new_events:
            lines = tuple(_new_event_line(event) for event in briefing.new_events)
            sections.append(_Section("New events", lines, briefing.more_new_events, "/timeline"))
        if briefing.statements:
            lines = tuple(_quote_value(q, STATEMENT_LIMIT) for q in briefing.statements)
            sections.append(_Section("Key statements", lines, briefing.more_statements, "/quote"))
    elif briefing.first:
        sections.append(_Section("Latest articles", (), empty="My store has no articles yet."))
    day = briefing.day
    on_this_day = tuple(
        f"**{event.date.year}** · {_cited(event.summary, event.citation, SUMMARY_LIMIT)}"
        for event in briefing.on_this_day
    )
    sections.append(
        _Section(
            "On this day",
            on_this_day,
            briefing.more_on_this_day,
            empty=f"No event in my articles fell on {day.day} {day:%B}.",
        )
    )
    if briefing.actor is not None:
        sections.append(_Section("Actor of the day", (_actor_value(briefing.actor),)))
    if briefing.quote is not None:
        sections.append(_Section("Statement of the day", (_quote_value(briefing.quote, QUOTE_LIMIT),)))
    if briefing.coming_up:
        lines = tuple(_coming_up_line(when, event, briefing.day) for when, event in briefing.coming_up)
        sections.append(_Section("Coming up", lines))
    return sections


def _cited(text: str, citation: Citation, limit: int) -> str:
    """``text`` cut to fit ``limit`` with its citation (title shortened if need be) kept whole."""
    source = f" *({literal(cite(citation), CITE_LIMIT)})*"
    return literal(text, limit - len(source)) + source


def _join(lines: list[str], more: int, limit: int = FIELD_VALUE_LIMIT, rest: str = "") -> str:
    """As many whole lines as fit ``limit``, then "…and N more" (and where to read them) for the rest and
    ``more`` left out; a first line too long alone is cut at a word."""
    whole = "\n".join(lines)
    if not more and len(whole) <= limit:
        return whole
    tail = f" ({rest})" if rest else ""
    note = f"\n…and {more + len(lines)} more{tail}."
    kept = fitting(lines, limit - len(note), gap=1)
    if not kept:
        return truncate(lines[0], limit - len(note)) + (
            f"\n…and {more + len(lines) - 1} more{tail}." if more + len(lines) > 1 else ""
        )
    more += len(lines) - len(kept)
    return "\n".join(kept) + (f"\n…and {more} more{tail}." if more else "")


def _article_lines(article: Article) -> str:
    details = [literal(article.author, NAME_LIMIT)] if article.author else []
    if article.source:
        details.append(literal(article.source, NAME_LIMIT))
    if article.published:
        details.append(format_date(article.published))
    byline = f" — {' · '.join(details)}" if details else ""
    link = f" [link]({article.url})" if _linkable(article.url) else ""
    gist = _cited(article.gist, article.citation, GIST_LIMIT + TITLE_LIMIT)
    return f"**{literal(article.title, TITLE_LIMIT)}**{byline}\n{gist}{link}"


def _linkable(url: str | None) -> bool:
    """A web address safe inside ``[link](…)``: http(s), no spaces or brackets, not absurdly long."""
    return (
        bool(url)
        and url.startswith(("https://", "http://"))
        and len(url) <= 500
        and not any(c in url for c in " ()<>[]\n")
    )  # type: ignore[union-attr]


def _new_event_line(event: NewEvent) -> str:
    return f"**{format_date(event.date)}** · {_cited(event.summary, event.citation, SUMMARY_LIMIT)}"


def _actor_value(actor: ActorItem) -> str:
    kind = KIND_NAMES[actor.kind][0].lower()
    if actor.role:
        detail = actor.role[0].upper() + actor.role[1:]
    else:
        detail = f"Mentioned in {actor.documents} {'article' if actor.documents == 1 else 'articles'}"
    return f"**{literal(actor.name, NAME_LIMIT)}** · {kind}\n{_cited(detail, actor.citation, SUMMARY_LIMIT)}"


def _quote_value(quote: QuoteFact, limit: int) -> str:
    when = f", {format_date(quote.date)}" if quote.date else ""
    source = f"*({literal(cite(quote.citation), CITE_LIMIT)})*"
    return f"{said(quote, limit)}\n— {speaker_name(quote, NAME_LIMIT)}{when} {source}"


def _coming_up_line(when: date, event: DatedEvent, day: date) -> str:
    days = (when - day).days
    label = "tomorrow" if days == 1 else f"in {days} days"
    head = f"**{when.day} {when:%b}** ({label}) · {event.date.year}: "
    return head + _cited(event.summary, event.citation, SUMMARY_LIMIT)
