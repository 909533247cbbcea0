"""Interaction callbacks and the interaction webhook (``@original``, follow-ups) with Discord's timing."""

from __future__ import annotations

import time
from collections.abc import Callable

from bot.standin.core import Core
from bot.standin.errors import (
    ALREADY_ACKNOWLEDGED,
    INVALID_WEBHOOK_TOKEN,
    UNKNOWN_CHANNEL,
    UNKNOWN_MESSAGE,
    UNKNOWN_WEBHOOK,
    ApiError,
    FormErrors,
    not_found,
    unknown_interaction,
)
from bot.standin.interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    AUTOCOMPLETE_RESULT,
    CHANNEL_MESSAGE,
    DEFERRED_CHANNEL_MESSAGE,
    DEFERRED_UPDATE,
    MESSAGE_COMPONENT,
    MODAL,
    MODAL_SUBMIT,
    UPDATE_MESSAGE,
    InteractionResult,
    Rejection,
)
from bot.standin.limits import check_autocomplete, check_message, check_modal, check_not_empty
from bot.standin.messages import Upload
from bot.standin.model import EPHEMERAL, LOADING, Message
from bot.standin.payloads import Json, user_payload
from bot.standin.rest import Call, Router

MESSAGE_FLAGS = EPHEMERAL | (1 << 2) | (1 << 12) | (1 << 15)  # ephemeral, suppress embeds/notifications, V2
# callback type -> interaction types it may answer
VALID_FOR: dict[int, set[int]] = {
    CHANNEL_MESSAGE: {APPLICATION_COMMAND, MESSAGE_COMPONENT, MODAL_SUBMIT},
    DEFERRED_CHANNEL_MESSAGE: {APPLICATION_COMMAND, MESSAGE_COMPONENT, MODAL_SUBMIT},
    DEFERRED_UPDATE: {MESSAGE_COMPONENT, MODAL_SUBMIT},
    UPDATE_MESSAGE: {MESSAGE_COMPONENT, MODAL_SUBMIT},
    AUTOCOMPLETE_RESULT: {AUTOCOMPLETE},
    MODAL: {APPLICATION_COMMAND, MESSAGE_COMPONENT},
}
CHAT_INPUT_MESSAGE, CONTEXT_MENU_MESSAGE = 20, 23
Apply = Callable[[InteractionResult, Json, dict[int, Upload]], None]


def _flag(call: Call, name: str) -> bool:
    return call.request.query.get(name, "").lower() in ("1", "true")


class InteractionRoutes:
    def __init__(self, core: Core) -> None:
        self.core = core
        self._apply: dict[int, Apply] = {
            CHANNEL_MESSAGE: self._send,
            DEFERRED_CHANNEL_MESSAGE: self._defer,
            DEFERRED_UPDATE: lambda result, data, uploads: None,
            UPDATE_MESSAGE: self._update,
            AUTOCOMPLETE_RESULT: self._choices,
            MODAL: self._modal,
        }

    def register(self, router: Router) -> None:
        original = "/webhooks/{application_id}/{token}/messages/@original"
        followup = "/webhooks/{application_id}/{token}/messages/{message_id}"
        router.add("POST", "/interactions/{interaction_id}/{token}/callback", self.callback, needs_auth=False)
        router.add("POST", "/webhooks/{application_id}/{token}", self.create_followup, needs_auth=False)
        for template in (original, followup):
            router.add("GET", template, self.get_message, needs_auth=False)
            router.add("PATCH", template, self.edit_message, needs_auth=False)
            router.add("DELETE", template, self.delete_message, needs_auth=False)

    @staticmethod
    def _guard(call: Call, result: InteractionResult, action: Callable[[], Json | None]) -> Json | None:
        """Run ``action``; a refusal is also recorded on the interaction so tests can see it."""
        try:
            return action()
        except ApiError as error:
            rejection = Rejection(
                call.request.method, call.request.path, error.status, error.code, error.body()
            )
            result.rejections.append(rejection)
            result.touch()
            raise

    async def callback(self, call: Call) -> Json | None:
        result = self.core.book.by_id.get(call.int_param("interaction_id"))
        if result is None or result.token != call.params["token"]:
            raise unknown_interaction()
        return self._guard(call, result, lambda: self._acknowledge(call, result))

    def _acknowledge(self, call: Call, result: InteractionResult) -> Json | None:
        """10062 after the ack deadline, 40060 for a second answer, 50035 for a bad body; else apply it."""
        now = time.perf_counter()
        if now - (result.dispatched_at or result.created_at) > self.core.config.ack_deadline:
            raise unknown_interaction()
        if result.callback_type is not None:
            raise ApiError(400, ALREADY_ACKNOWLEDGED, "Interaction has already been acknowledged.")
        kind = call.json.get("type")
        if kind not in self._apply or result.type not in VALID_FOR[kind]:
            errors = FormErrors()
            errors.add(
                ("type",), "INTERACTION_RESPONSE_TYPE_INVALID", "Invalid response type for this interaction"
            )
            errors.raise_if_any()
        self._apply[kind](result, call.json.get("data") or {}, call.uploads)
        result.callback_type, result.acked_at = kind, now
        result.touch()
        return self._callback_response(result, kind) if _flag(call, "with_response") else None

    def _callback_response(self, result: InteractionResult, kind: int) -> Json:
        """The ``with_response`` body discord.py reads (``InteractionCallbackResponse``)."""
        message = (
            result.message if kind in (CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, UPDATE_MESSAGE) else None
        )
        interaction: Json = {
            "id": str(result.id),
            "type": result.type,
            "response_message_loading": kind == DEFERRED_CHANNEL_MESSAGE,
            "response_message_ephemeral": bool(message and message.ephemeral),
        }
        body: Json = {"interaction": interaction}
        if message is not None:
            interaction["response_message_id"] = str(message.id)
            body["resource"] = {"type": kind, "message": self.core.messages.payload(message)}
        return body

    def _new_message(
        self, result: InteractionResult, data: Json, uploads: dict[int, Upload], flags: int
    ) -> Message:
        channel = self.core.world.channels.get(result.channel_id)
        if channel is None:
            raise not_found(UNKNOWN_CHANNEL, "Channel")
        if result.type == APPLICATION_COMMAND:
            message_type = (
                CHAT_INPUT_MESSAGE if result.payload["data"].get("type", 1) == 1 else CONTEXT_MENU_MESSAGE
            )
        else:
            message_type = 0
        metadata = {
            "id": str(result.id),
            "type": result.type,
            "user": user_payload(result.user),
            "authorizing_integration_owners": result.payload["authorizing_integration_owners"],
        }
        return self.core.messages.create(
            channel,
            self.core.bot_user,
            data,
            uploads,
            flags=flags,
            message_type=message_type,
            webhook_id=self.core.application_id,
            interaction=metadata,
        )

    def _send(self, result: InteractionResult, data: Json, uploads: dict[int, Upload]) -> None:
        check_message(data, ("data",)).raise_if_any()
        check_not_empty(data, len(uploads))
        result.message = self._new_message(result, data, uploads, (data.get("flags") or 0) & MESSAGE_FLAGS)

    def _defer(self, result: InteractionResult, data: Json, uploads: dict[int, Upload]) -> None:
        flags = LOADING | ((data.get("flags") or 0) & EPHEMERAL)
        result.message = self._new_message(result, {}, {}, flags)

    def _update(self, result: InteractionResult, data: Json, uploads: dict[int, Upload]) -> None:
        check_message(data, ("data",)).raise_if_any()
        assert result.message is not None  # component interactions always carry their message
        self.core.messages.edit(result.message, data, uploads)
        result.edits.append(data)

    def _choices(self, result: InteractionResult, data: Json, uploads: dict[int, Upload]) -> None:
        check_autocomplete(data).raise_if_any()
        result.choices = data.get("choices") or []

    def _modal(self, result: InteractionResult, data: Json, uploads: dict[int, Upload]) -> None:
        check_modal(data).raise_if_any()
        result.modal = data

    def _webhook(self, call: Call) -> InteractionResult:
        """The interaction behind an interaction webhook URL: 10015 for a wrong app, 50027 for a bad token."""
        if call.int_param("application_id") != self.core.application_id:
            raise not_found(UNKNOWN_WEBHOOK, "Webhook")
        result = self.core.book.by_token.get(call.params["token"])
        if result is None:
            raise ApiError(401, INVALID_WEBHOOK_TOKEN, "Invalid Webhook Token")
        return result

    def _check_usable(self, result: InteractionResult) -> None:
        if time.perf_counter() - result.created_at > self.core.config.token_ttl:
            raise ApiError(401, INVALID_WEBHOOK_TOKEN, "Invalid Webhook Token")
        if result.callback_type is None:
            raise not_found(UNKNOWN_WEBHOOK, "Webhook")

    def _target(self, call: Call, result: InteractionResult) -> Message:
        """``@original`` or one of the interaction's follow-ups, by id."""
        self._check_usable(result)
        if "message_id" in call.params:
            wanted = call.int_param("message_id")
            message = next((m for m in result.all_messages() if m.id == wanted), None)
        else:
            message = result.message
        if message is None or message.deleted:
            raise not_found(UNKNOWN_MESSAGE, "Message")
        return message

    async def get_message(self, call: Call) -> Json | None:
        result = self._webhook(call)
        return self._guard(call, result, lambda: self.core.messages.payload(self._target(call, result)))

    async def edit_message(self, call: Call) -> Json | None:
        result = self._webhook(call)

        def edit() -> Json:
            message = self._target(call, result)
            check_message(call.json).raise_if_any()
            self.core.messages.edit(message, call.json, call.uploads)
            if message is result.message:
                result.edits.append(call.json)
            result.touch()
            return self.core.messages.payload(message)

        return self._guard(call, result, edit)

    async def delete_message(self, call: Call) -> None:
        result = self._webhook(call)

        def delete() -> None:
            self.core.messages.delete(self._target(call, result))
            result.touch()

        self._guard(call, result, delete)

    async def create_followup(self, call: Call) -> Json | None:
        result = self._webhook(call)
        return self._guard(call, result, lambda: self._followup(call, result))

    def _followup(self, call: Call, result: InteractionResult) -> Json | None:
        """A new message, except that the first one after a deferred reply fills the "thinking" original."""
        self._check_usable(result)
        check_message(call.json).raise_if_any()
        if result.loading and result.message is not None:
            message = result.message
            self.core.messages.edit(message, call.json, call.uploads)
        else:
            check_not_empty(call.json, len(call.uploads))
            flags = (call.json.get("flags") or 0) & MESSAGE_FLAGS
            message = self._new_message(result, call.json, call.uploads, flags)
            result.followups.append(message)
        result.touch()
        return self.core.messages.payload(message) if _flag(call, "wait") else None
