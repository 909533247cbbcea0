"""What the bot asks for when a server adds it: the OAuth2 scopes and the channel permissions, each with
its reason. The README's invite URL and table are checked against this module."""

from __future__ import annotations

import discord

SCOPES = ("bot", "applications.commands")
# (discord.Permissions attribute, name in Discord's UI, what the bot needs it for)
PERMISSIONS = (
    ("view_channel", "View Channels", "see the briefing channel and the messages that mention it"),
    ("send_messages", "Send Messages", "post the daily briefing and answer mentions and chat lookups"),
    ("send_messages_in_threads", "Send Messages in Threads", "answer mentions and lookups inside threads"),
    ("embed_links", "Embed Links", "briefings and chat answers are embeds"),
    ("read_message_history", "Read Message History", "answer a message as a reply to it"),
)


def required_permissions() -> discord.Permissions:
    return discord.Permissions(**{attribute: True for attribute, _, _ in PERMISSIONS})


def invite_url(client_id: int) -> str:
    """The link a server admin opens to add the bot (the Application ID is on the portal's General page)."""
    return discord.utils.oauth_url(client_id, permissions=required_permissions(), scopes=SCOPES)
