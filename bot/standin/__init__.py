"""A loopback Discord for tests: the unmodified discord.py client talks to it over real sockets (127.0.0.1).

Writing a cog test (the harness is ``bot/standin/testing.py``, the fixtures ``tests/standin_fixtures.py``;
``standin`` has "Test Guild" with #general and #briefings, users "owner" (guild owner, Admin role) and
"member"; drivers default to #general/"member")::

    from bot.standin.testing import run_bot

    @pytest.mark.standin(ack_deadline=0.5)          # optional StandInConfig overrides
    async def test_latest(standin):
        bot = BriefingBot(...)                      # any discord.Client / commands.(AutoSharded)Bot
        async with run_bot(bot, standin):           # login (setup_hook runs), gateway, READY + guilds
            await bot.tree.sync()                   # drivers only find commands the bot registered
            result = await standin.slash("brief latest", {"topic": "energy"})
        assert result.callback_type == 4 and not result.ephemeral
        assert result.embeds[0]["title"] == "Energy"

Drivers wait for the answer: the first callback (or its refusal), a deferred reply being filled, then
``config.settle`` s without activity; ``TimeoutError`` after ``config.response_timeout`` s.

- ``await slash(command, options=None, *, channel=None, user=None, dm=False, permissions=None,
  timeout=None)``: ``command`` is "name", "name sub" or "name group sub"; option values are
  str/int/float/bool, ``User``/``Channel``/``Role`` model objects, or ``(filename, bytes)`` for attachments.
  ``permissions`` overrides the member's computed channel permissions. Raises ``LookupError``,
  ``ValueError`` or ``PermissionError`` for what a Discord client would not send (unsynced command, unknown
  or missing options, hidden by ``default_member_permissions`` or contexts).
- ``await autocomplete(command, options, focused, ...)`` → ``result.choices``
- ``await click(message, custom_id, *, values=None, user=None)`` (button, or select ``values``)
- ``await message_command(name, target_message, *, user=None)``,
  ``await user_command(name, target_user, *, channel=None, user=None)``
- ``user_message(content, *, channel=None, author=None, dm=False, mention_bot=False, files=None) -> Message``:
  MESSAGE_CREATE; content reaches the bot only with the message_content intent, a mention, or in a DM.
- ``await wait_for_message(channel, condition=None, *, timeout=5.0, author=None) -> Message``
  (``author`` defaults to the bot)

``InteractionResult`` (live, keeps updating): ``callback_type`` (4 message, 5 deferred, 6 deferred update,
7 update, 8 autocomplete, 9 modal), ``message`` (the original response, or the clicked message; a ``Message``
with ``content``, ``embeds``, ``components``, ``attachments`` (filename, data, content_type), ``flags``,
``allowed_mentions``), ``content``, ``embeds``, ``ephemeral``, ``loading``, ``followups``, ``edits``
(PATCH bodies applied to the original), ``choices``, ``modal``, ``rejections`` (refused requests with
Discord's JSON error), ``dispatched_at``/``acked_at``/``ack_latency`` (``time.perf_counter``),
``await wait_for(condition, timeout)``.
After a deferred reply the first follow-up fills the original message, as on Discord.

World: ``add_user``, ``add_guild(name, owner=, shard_id=)``, ``add_role``, ``add_member``, ``add_channel``,
``find_guild``/``find_channel``/``find_user``, ``messages_in(channel)``, ``world`` (all objects),
``commands``, ``interactions``, ``requests`` (method, path, status, at, body),
``count_requests(method, path_regex)``, ``unknown_routes`` (should stay empty),
``default_channel``/``default_user``.

Faults: ``rate_limit(path_regex, times=1, retry_after=0.05, method=None, is_global=False)`` (429 discord.py
retries), ``deny(channel, permissions=SEND_MESSAGES)`` (403 50013), ``delete_channel(channel, notify=True)``
(404 10003), ``drop_connection(shard)`` (client RESUMEs), ``close_connection(shard, code=4009)`` and
``invalidate_session(shard)`` (client re-IDENTIFYs), ``request_reconnect(shard)``,
``await wait_for_gateway(kind, count=1)`` for identify/resume/invalid_session/connect/close records.

Enforced like Discord (400, code 50035, nested error paths) on channel messages, callbacks, follow-ups and
edits: see ``limits.py``; also the 3 s ack deadline (10062), one acknowledgement (40060) and 15 min
interaction tokens (401 50027).
"""

from bot.standin.core import RecordedRequest, StandInConfig
from bot.standin.interactions import InteractionResult, Rejection
from bot.standin.model import Attachment, Channel, Guild, Member, Message, Role, User
from bot.standin.server import StandIn

__all__ = [
    "Attachment",
    "Channel",
    "Guild",
    "InteractionResult",
    "Member",
    "Message",
    "RecordedRequest",
    "Rejection",
    "Role",
    "StandIn",
    "StandInConfig",
    "User",
]
