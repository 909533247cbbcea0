"""Embeds for actor profiles, actor lists, timelines and statements: pure functions of the store's answers.

Every builder stays within Discord's limits whatever the data (long summaries, hundreds of events): text is
cut at a word with "…", fields that no longer fit are left out, and lists are split into pages for the
pager. Text from an article or a user is escaped, so it shows literally.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar

import discord

from bot.extract.model import ActorKind, PartialDate
from bot.store.models import (
    ActorDocument,
    ActorProfile,
    ActorSummary,
    DocumentInfo,
    EventFact,
    QuoteFact,
    RelatedActor,
    RoleFact,
)
from bot.text import (
    EMBED_DESCRIPTION_LIMIT,
    EMBED_FIELDS_LIMIT,
    EMBED_TITLE_LIMIT,
    EMBED_TOTAL_LIMIT,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    FOOTER_LIMIT,
    cite,
    escape,
    fitting,
    format_date,
    literal,
    truncate,
)

if TYPE_CHECKING:
    from bot.library import Added

KIND_NAMES: dict[ActorKind, tuple[str, str]] = {  # (one, many)
    "person": ("Person", "People"),
    "organization": ("Organization", "Organizations"),
    "country": ("Country", "Countries"),
    "armed_group": ("Armed group", "Armed groups"),
    "government": ("Government", "Governments"),
    "other": ("Other", "Other"),
}
KIND_COLOURS: dict[ActorKind, discord.Colour] = {
    "person": discord.Colour.blurple(),
    "organization": discord.Colour.teal(),
    "country": discord.Colour.green(),
    "armed_group": discord.Colour.red(),
    "government": discord.Colour.gold(),
    "other": discord.Colour.light_grey(),
}
TIMELINE_COLOUR = discord.Colour.dark_teal()
STATEMENTS_COLOUR = discord.Colour.purple()
EVENTS_PER_PAGE = 6
STATEMENTS_PER_PAGE = 5
ACTORS_PER_PAGE = 20
SUMMARY_LIMIT = 300
QUOTE_LIMIT = 500
MAX_RELATION_FIELDS = 15  # the store gives at most 9 (5 link types, both directions); room for 25 fields
_PAGE_TEXT_LIMIT = 3800  # a page's description, leaving room for title and footer within 6000
_PAGE_TOTAL_LIMIT = EMBED_TOTAL_LIMIT - 200  # a page's text before its footer ("Page 2/5 · 33 actors")

T = TypeVar("T")


def plural(count: int, one: str, many: str | None = None) -> str:
    """ "1 event", "3 events"."""
    return f"{count} {one if count == 1 else many or one + 's'}"


def lines_within(lines: Sequence[str], limit: int, more: str = "…and {n} more", *, hidden: int = 0) -> str:
    """As many whole ``lines`` as fit in ``limit`` characters, then a note of how many were left out
    (``hidden``: items not even among ``lines``)."""
    whole = "\n".join(lines)
    if len(whole) <= limit and not hidden:
        return whole
    longest_note = more.format(n=len(lines) + hidden)
    kept = fitting(lines, limit - len(longest_note) - 1, gap=1)
    if not kept:  # not even the first line fits whole: show what fits of it
        return truncate(whole, limit)
    return "\n".join([*kept, more.format(n=len(lines) - len(kept) + hidden)])


def add_field(embed: discord.Embed, name: str, value: str, *, inline: bool = False) -> bool:
    """Add a field cut to what still fits in the embed (value, field count, 6000 in all); False if none."""
    room = EMBED_TOTAL_LIMIT - len(embed)
    name = truncate(name, FIELD_NAME_LIMIT) or "—"
    if len(embed.fields) >= EMBED_FIELDS_LIMIT or room < len(name) + 20:
        return False
    value = truncate(value, min(FIELD_VALUE_LIMIT, room - len(name))) or "—"
    embed.add_field(name=name, value=value, inline=inline)
    return True


def _embed(title: str, description: str, colour: discord.Colour, footer: str | None = None) -> discord.Embed:
    embed = discord.Embed(
        title=truncate(title, EMBED_TITLE_LIMIT),
        description=truncate(description, EMBED_DESCRIPTION_LIMIT) or None,
        colour=colour,
    )
    if footer:
        embed.set_footer(text=truncate(footer, FOOTER_LIMIT))
    return embed


# -- one fact per line ----------------------------------------------------------------------------------


def event_line(event: EventFact) -> str:
    """ "**11 Apr 2019** — Haftar made a surprise visit to Moscow" and its citation on the next line."""
    summary = literal(event.summary, SUMMARY_LIMIT)
    return f"**{format_date(event.date)}** — {summary}\n*{literal(cite(event.citation), 200)}*"


REPORTED = " *(reported)*"


def said(quote: QuoteFact, limit: int = QUOTE_LIMIT) -> str:
    """The words of a statement in at most ``limit`` characters: a direct quote in quotation marks, a
    reported one marked so. Every answer that shows a statement shows it this way."""
    if quote.kind == "direct":
        return f"“{literal(quote.text, limit - 2)}”"
    return literal(quote.text, limit - len(REPORTED)) + REPORTED


def speaker_name(quote: QuoteFact, limit: int = 100) -> str:
    return literal(quote.speaker, limit) if quote.speaker else "Unnamed speaker"


def statement_line(quote: QuoteFact) -> str:
    """A statement attributed and dated, then its citation."""
    return (
        f"**{speaker_name(quote)}**, {format_date(quote.date)}: {said(quote)}\n"
        f"*{literal(cite(quote.citation), 200)}*"
    )


def role_line(role: RoleFact) -> str:
    source = f" — *{literal(cite(role.citation), 200)}*" if role.citation else ""
    return literal(role.role, 300) + source


def relation_line(other: RelatedActor) -> str:
    """A related actor with the first place the link is stated."""
    if other.citations:
        return f"{literal(other.name, 100)} (*{literal(cite(other.citations[0]), 150)}*)"
    return literal(other.name, 100)


def paragraph_ranges(numbers: Iterable[int]) -> str:
    """ "¶1–3, ¶5, ¶7–8" for paragraphs 1, 2, 3, 5, 7, 8."""
    runs: list[list[int]] = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(f"¶{run[0]}" if len(run) == 1 else f"¶{run[0]}–{run[-1]}" for run in runs)


def document_line(document: ActorDocument) -> str:
    paragraphs = paragraph_ranges(document.paragraphs)
    return f"*{literal(document.title, 150)}*: {plural(document.mentions, 'mention')} in {paragraphs}"


# -- actor profile --------------------------------------------------------------------------------------


def profile_embed(profile: ActorProfile) -> discord.Embed:
    """The actor's profile: kind, roles, aliases, relations, events, statements and where it is mentioned.

    Each section gets a fair share of the 6000 characters left (so a long list of roles cannot crowd out
    the events); a list cut short ends "…and N more", and the Timeline and Statements buttons show it all.
    """
    kind = KIND_NAMES[profile.kind][0]
    mentioned = plural(profile.mentions, "mention") + " in " + plural(profile.total_documents, "document")
    footer = "Sources: article title, ¶paragraph"
    embed = _embed(profile.name, f"**{kind}** · {mentioned}", KIND_COLOURS[profile.kind], footer)
    sections = _profile_sections(profile)
    for index, (name, lines, more, inline, hidden) in enumerate(sections):
        share = (EMBED_TOTAL_LIMIT - len(embed)) // (len(sections) - index) - len(name)
        value = lines_within(lines, min(FIELD_VALUE_LIMIT, share), more, hidden=hidden)
        add_field(embed, name, value, inline=inline)
    return embed


# field name, lines, "…and N more" note, inline, and how many more items the store has than ``lines``
_Section = tuple[str, list[str], str, bool, int]


def _first_lines(items: Sequence[T], line: Callable[[T], str]) -> tuple[list[str], int]:
    """Lines for the first ``items`` until they fill a field, and how many items were left unformatted:
    no field shows more, so a profile with hundreds of relations costs what it shows."""
    lines: list[str] = []
    used = 0
    for item in items:
        if used > FIELD_VALUE_LIMIT:
            break
        lines.append(line(item))
        used += len(lines[-1]) + 1
    return lines, len(items) - len(lines)


def _profile_sections(profile: ActorProfile) -> list[_Section]:
    more = "…and {n} more"
    sections: list[_Section] = [
        (
            "Role",
            [role_line(role) for role in profile.roles] or ["No role stated in the articles."],
            more,
            False,
            0,
        )
    ]
    if profile.aliases:
        sections.append(
            ("Also known as", [", ".join(literal(alias, 100) for alias in profile.aliases)], more, False, 0)
        )
    for group in profile.relations[:MAX_RELATION_FIELDS]:
        lines, unformatted = _first_lines(group.actors, relation_line)
        sections.append((group.label.capitalize(), lines, more, True, unformatted + group.more))
    if profile.events:
        lines, _ = _first_lines(profile.events, event_line)
        hidden = profile.total_events - len(lines)
        sections.append((f"Events ({profile.total_events})", lines, more + ": press Timeline", False, hidden))
    if profile.quotes:
        lines, _ = _first_lines(profile.quotes, statement_line)
        hidden = profile.total_quotes - len(lines)
        sections.append(
            (f"Statements ({profile.total_quotes})", lines, more + ": press Statements", False, hidden)
        )
    if profile.documents:
        lines, _ = _first_lines(profile.documents, document_line)
        sections.append(("Mentioned in", lines, more, False, profile.total_documents - len(lines)))
    return sections


# -- pages ----------------------------------------------------------------------------------------------


def _chunks(lines: Sequence[str], per_page: int, limit: int, separator: str) -> list[list[str]]:
    """Consecutive runs of at most ``per_page`` lines whose text, joined by ``separator``, fits ``limit``."""
    pages: list[list[str]] = [[]]
    size = 0
    for line in lines:
        line = truncate(line, limit)
        if pages[-1] and (len(pages[-1]) >= per_page or size + len(separator) + len(line) > limit):
            pages.append([])
            size = 0
        pages[-1].append(line)
        size += len(line) + len(separator)
    return pages


def _number(pages: list[discord.Embed], note: str) -> list[discord.Embed]:
    """Footers "Page 2/5 · 27 events" (only "27 events" on a single page)."""
    for number, page in enumerate(pages, start=1):
        prefix = f"Page {number}/{len(pages)} · " if len(pages) > 1 else ""
        page.set_footer(text=truncate(prefix + note, FOOTER_LIMIT))
    return pages


def line_pages(
    title: str, lines: Sequence[str], *, colour: discord.Colour, per_page: int, note: str, header: str = ""
) -> list[discord.Embed]:
    """``lines`` split into embeds, ``header`` (e.g. the filters) above each page's lines."""
    top = header + "\n\n" if header else ""
    limit = _PAGE_TEXT_LIMIT - len(top)
    chunks = _chunks(lines, per_page, limit, "\n\n")
    pages = [_embed(title, top + "\n\n".join(chunk), colour) for chunk in chunks]
    return _number(pages, note)


def timeline_page(
    events: Sequence[EventFact], title: str, number: int, total: int, header: str = ""
) -> discord.Embed:
    """Page ``number`` (0-based) of a timeline of ``total`` events: these :data:`EVENTS_PER_PAGE` or
    fewer events (each page is read from the store when it is turned to), ``header`` above them."""
    pages = max(1, -(-total // EVENTS_PER_PAGE))
    top = header + "\n\n" if header else ""
    page = _embed(title, top + "\n\n".join(event_line(event) for event in events), TIMELINE_COLOUR)
    prefix = f"Page {number + 1}/{pages} · " if pages > 1 else ""
    page.set_footer(text=truncate(prefix + plural(total, "event"), FOOTER_LIMIT))
    return page


def statement_pages(quotes: Sequence[QuoteFact], title: str) -> list[discord.Embed]:
    lines = [statement_line(quote) for quote in quotes]
    note = plural(len(quotes), "statement")
    return line_pages(title, lines, colour=STATEMENTS_COLOUR, per_page=STATEMENTS_PER_PAGE, note=note)


def actor_line(actor: ActorSummary) -> str:
    role = f" — {literal(actor.role, 150)}" if actor.role else ""
    return f"**{literal(actor.name, 100)}**{role} · {plural(actor.mentions, 'mention')}"


def actor_page(
    actors: Sequence[ActorSummary],
    number: int,
    pages: int,
    counts: dict[str, int],
    kind: ActorKind | None = None,
) -> discord.Embed:
    """Page ``number`` (0-based) of ``pages`` of the actor list: these actors, a field per kind named with
    how many of that kind there are (``counts``)."""
    total = sum(counts.values())
    title = f"Actors: {KIND_NAMES[kind][1].lower()}" if kind else "Actors"
    page = _embed(title, "Use /actor with a name for the full profile.", KIND_COLOURS["other"])
    groups: dict[ActorKind, list[str]] = {}
    for actor in actors:
        groups.setdefault(actor.kind, []).append(actor_line(actor))
    for group_kind, lines in groups.items():
        for part, chunk in enumerate(_chunks(lines, ACTORS_PER_PAGE, FIELD_VALUE_LIMIT, "\n")):
            suffix = " (continued)" if part else f" ({counts.get(group_kind, len(lines))})"
            add_field(page, KIND_NAMES[group_kind][1] + suffix, "\n".join(chunk))
    prefix = f"Page {number + 1}/{pages} · " if pages > 1 else ""
    page.set_footer(text=truncate(prefix + plural(total, "actor"), FOOTER_LIMIT))
    return page


def date_span(start: PartialDate | None, end: PartialDate | None, on: PartialDate | None) -> str:
    """How the asked dates read in a header: "from Apr 2019 to 11 Apr 2019", "on 8 Apr 2019"."""
    parts = []
    if on:
        parts.append(f"on {format_date(on)}")
    if start:
        parts.append(f"from {format_date(start)}")
    if end:
        parts.append(f"to {format_date(end)}")
    return " ".join(parts)


# -- a server's library ---------------------------------------------------------------------------------

LIBRARY_COLOUR = discord.Colour.dark_teal()
ARTICLES_PER_PAGE = 10
NEW_ACTORS_SHOWN = 15


def added_embed(added: Added) -> discord.Embed:
    """What the store learned from an article just added to a server's library."""
    counts = added.counts
    learned = " · ".join(
        [plural(counts.actors, "actor"), plural(counts.events, "event"), plural(counts.quotes, "statement")]
    )
    published = f"Published {format_date(added.published)}" if added.published else "No publication date"
    embed = _embed(
        f"Added: {literal(added.title or added.key, 200)}",
        f"{published}\nLearned {learned}.",
        LIBRARY_COLOUR,
        footer=f"{added.key} · only this server sees it · /article list",
    )
    if added.new_actors:
        names = [escape(name) for name in added.new_actors]
        shown = ", ".join(names[:NEW_ACTORS_SHOWN])
        if len(names) > NEW_ACTORS_SHOWN:
            shown += f" and {len(names) - NEW_ACTORS_SHOWN} more"
        add_field(embed, f"New to this server ({len(names)})", shown)
    if added.warnings:
        add_field(embed, "Warnings", "\n".join(f"• {escape(w)}" for w in added.warnings))
    return embed


def library_line(document: DocumentInfo) -> str:
    """ "**Title** — 11 Apr 2019 · Reuters" and, below, who added it and when (a mention pings nobody)."""
    title = literal(document.title or document.key, 200)
    source = f" · {literal(document.source, 80)}" if document.source else ""
    who = f"<@{document.added_by}>" if document.added_by else "the operator"
    when = document.ingested_at[:10]
    return f"**{title}** — {format_date(document.published)}{source}\nadded by {who} on {when}"


def library_pages(documents: Sequence[DocumentInfo], shared: int) -> list[discord.Embed]:
    """A server's own articles, a page of ten at a time; ``shared`` is how many of the operator's it sees."""
    also = f"Also {plural(shared, 'article')} from the bot's own library (see /source)." if shared else ""
    if not documents:
        return [
            _embed("This server's library", f"No articles added yet: /article add.\n{also}", LIBRARY_COLOUR)
        ]
    pages = [
        _embed(
            "This server's library",
            "\n\n".join(library_line(d) for d in documents[start : start + ARTICLES_PER_PAGE])
            + f"\n\n{also}",
            LIBRARY_COLOUR,
        )
        for start in range(0, len(documents), ARTICLES_PER_PAGE)
    ]
    return _number(pages, plural(len(documents), "article"))
