"""Interactions the stand-in sent, and everything the bot answered to each of them."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.standin.model import EPHEMERAL, LOADING, Message, User

APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 2, 3, 4, 5
CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE = 4, 5, 6, 7
AUTOCOMPLETE_RESULT, MODAL = 8, 9


class Pulse:
    """Wakes every waiter on each change so it can re-check its condition."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def fire(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait_until(self, condition: Callable[[], bool], timeout: float) -> None:
        """Return once ``condition()`` holds; ``TimeoutError`` after ``timeout`` seconds."""
        async with asyncio.timeout(timeout):
            while True:
                event = self._event
                if condition():
                    return
                await event.wait()


@dataclass(frozen=True)
class Rejection:
    """A request about this interaction that the stand-in refused, with Discord's error body."""

    method: str
    path: str
    status: int
    code: int
    body: dict[str, Any]


@dataclass(eq=False)
class InteractionResult:
    """One interaction and the bot's answers; the drivers return it, live (it keeps updating).

    ``message`` is the original response (for a component interaction: the message the component is on),
    ``followups`` the separate follow-up messages, ``edits`` each PATCH body applied to the original.
    After a deferred response (type 5) the first follow-up fills the original message, as on Discord.
    """

    id: int
    token: str
    type: int
    user: User
    channel_id: int
    guild_id: int | None
    payload: dict[str, Any]
    created_at: float = field(default_factory=time.perf_counter)
    dispatched_at: float | None = None
    acked_at: float | None = None
    callback_type: int | None = None
    message: Message | None = None
    followups: list[Message] = field(default_factory=list)
    edits: list[dict[str, Any]] = field(default_factory=list)
    choices: list[dict[str, Any]] | None = None
    modal: dict[str, Any] | None = None
    rejections: list[Rejection] = field(default_factory=list)
    last_activity: float = field(default_factory=time.perf_counter)
    _pulse: Pulse = field(default_factory=Pulse, repr=False)

    @property
    def ephemeral(self) -> bool:
        return self.message is not None and bool(self.message.flags & EPHEMERAL)

    @property
    def content(self) -> str:
        """The original response's current text ("" if there is none)."""
        return self.message.content if self.message else ""

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return self.message.embeds if self.message else []

    @property
    def deferred(self) -> bool:
        return self.callback_type in (DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE)

    @property
    def loading(self) -> bool:
        """A deferred "thinking…" response that has not been filled in yet."""
        return self.message is not None and bool(self.message.flags & LOADING)

    @property
    def ack_latency(self) -> float | None:
        """Seconds from INTERACTION_CREATE written to the socket to the callback arriving."""
        if self.dispatched_at is None or self.acked_at is None:
            return None
        return self.acked_at - self.dispatched_at

    def all_messages(self) -> list[Message]:
        return ([self.message] if self.message else []) + self.followups

    def mark_sent(self, at: float) -> None:
        if self.dispatched_at is None:
            self.dispatched_at = at

    def touch(self) -> None:
        self.last_activity = time.perf_counter()
        self._pulse.fire()

    async def wait_for(
        self, condition: Callable[[InteractionResult], bool], timeout: float = 5.0
    ) -> InteractionResult:
        """Wait until ``condition(self)`` holds, e.g. ``lambda r: len(r.followups) == 2``."""
        await self._pulse.wait_until(lambda: condition(self), timeout)
        return self

    async def settle(self, timeout: float, quiet: float) -> InteractionResult:
        """Wait for the first answer (or refusal), for a deferred reply to be filled, then ``quiet`` s."""
        deadline = time.perf_counter() + timeout
        try:
            await self.wait_for(lambda r: r.callback_type is not None or bool(r.rejections), timeout)
            await self.wait_for(lambda r: not r.loading or bool(r.rejections), deadline - time.perf_counter())
        except TimeoutError:
            state = "no answer" if self.callback_type is None else "a deferred answer that was never filled"
            raise TimeoutError(f"interaction {self.id}: {state} within {timeout:.1f}s") from None
        while (idle := time.perf_counter() - self.last_activity) < quiet:
            await asyncio.sleep(quiet - idle)
        return self


class InteractionBook:
    """Every interaction by id and by token."""

    def __init__(self) -> None:
        self.by_id: dict[int, InteractionResult] = {}
        self.by_token: dict[str, InteractionResult] = {}

    def add(self, result: InteractionResult) -> None:
        self.by_id[result.id] = result
        self.by_token[result.token] = result

    def all(self) -> list[InteractionResult]:
        return list(self.by_id.values())
