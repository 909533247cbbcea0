"""Short actor profiles for chat: who it is, the cited role, a couple of key links; and the answers for
names the store does not know. Everything fits Discord's limits; article text is shown literally."""

from __future__ import annotations

import discord

from bot.render import KIND_NAMES
from bot.resolve import Candidate
from bot.store import ActorProfile, Citation, RelatedActor
from bot.text import CONTENT_LIMIT, EMBED_TITLE_LIMIT, EMBED_TOTAL_LIMIT, cite, escape, fitting, truncate

MAX_PROFILES = 5  # profiles in one answer; more actors are listed by name
MAX_RELATIONS = 2
ROLE_LIMIT = 300
NAME_LIMIT = 100
SUBJECT_LIMIT = 80
RELATION_PRIORITY = ("leads", "member_of", "backs", "opposes", "ally_of")
EXAMPLE = "who is Haftar?"
NO_SUBJECT = f"Ask me about someone in the articles, e.g. “{EXAMPLE}”"
NONE_FOUND = "I found no actor I know in that message."


def short_profile(profile: ActorProfile) -> discord.Embed:
    """Name, kind and cited role, then the best-attested links ("leads **Libyan National Army**")."""
    lines = [f"**{KIND_NAMES[profile.kind][0]}**"]
    if profile.roles:
        role = profile.roles[0]
        lines[0] += f" · {escape(truncate(role.role, ROLE_LIMIT))}{_source(role.citation)}"
    lines += [
        f"• {label} **{escape(truncate(other.name, NAME_LIMIT))}**{_source(other.citations[0])}"
        for label, other in key_relations(profile)
    ]
    embed = discord.Embed(title=truncate(profile.name, EMBED_TITLE_LIMIT), description="\n".join(lines))
    articles = profile.total_documents
    embed.set_footer(text=f"Mentioned {_count(profile.mentions, 'time')} in {_count(articles, 'article')}")
    return embed


def key_relations(profile: ActorProfile, limit: int = MAX_RELATIONS) -> list[tuple[str, RelatedActor]]:
    """The links that say most about who an actor is (leads, member of, backs … before allies), best
    attested first, each other actor once; as (label, other actor)."""
    links = sorted(
        ((group, other) for group in profile.relations for other in group.actors if other.citations),
        key=lambda link: (RELATION_PRIORITY.index(link[0].type), -link[1].strength),
    )
    chosen: dict[str, tuple[str, RelatedActor]] = {}
    for group, other in links:
        chosen.setdefault(other.name, (group.label, other))
    return list(chosen.values())[:limit]


def profiles_answer(
    profiles: list[ActorProfile], others: list[str]
) -> tuple[str | None, list[discord.Embed]]:
    """(content, embeds): a profile each within the 6,000 characters all embeds of a message share; the
    actors left over, and ``others`` (found but not fetched), named in the content."""
    embeds = fitting([short_profile(profile) for profile in profiles], EMBED_TOTAL_LIMIT)
    rest = [escape(truncate(name, NAME_LIMIT)) for name in [p.name for p in profiles[len(embeds) :]] + others]
    content = truncate(f"Also named: {', '.join(rest)}", CONTENT_LIMIT) if rest else None
    return content, embeds


def unknown_answer(subject: str, suggestions: list[Candidate]) -> str:
    """What to say when ``subject`` is no actor I know: the closest names, or how to ask."""
    shown = escape(truncate(subject, SUBJECT_LIMIT))
    if suggestions:
        names = ", ".join(f"**{escape(s.name)}**" for s in suggestions)
        return truncate(f"I don't know “{shown}”. Closest matches: {names}.", CONTENT_LIMIT)
    return f"I don't know “{shown}”. Ask me about someone in the articles, e.g. “{EXAMPLE}”, or see /help."


def _source(citation: Citation | None) -> str:
    return f" — *{escape(cite(citation))}*" if citation is not None else ""


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
