"""Discord's payload limits, reported as Discord reports them (400, code 50035, nested field paths)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from bot.standin.errors import EMPTY_MESSAGE, ApiError, FormErrors

Path = tuple[str | int, ...]
Json = dict[str, Any]

CONTENT_MAX = 2000
EMBEDS_MAX = 10
EMBED_TOTAL_MAX = 6000
ACTION_ROWS_MAX = 5
ROW_ITEMS_MAX = 5
CUSTOM_ID_MAX = 100
BUTTON_LABEL_MAX = 80
CHOICES_MAX = 25
OPTIONS_MAX = 25
COMMAND_SIZE_MAX = 4000
COMPONENTS_V2 = 1 << 15
CHAT_INPUT, USER_COMMAND, MESSAGE_COMMAND = 1, 2, 3
SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING_OPTION = 3
BUTTON, LINK_STYLE = 2, 5
STRING_SELECT = 3
SELECT_TYPES = {STRING_SELECT, 5, 6, 7, 8}
# (path inside an embed, limit); field names and values are checked separately
EMBED_TEXT_LIMITS: tuple[tuple[tuple[str, ...], int], ...] = (
    (("title",), 256),
    (("description",), 4096),
    (("footer", "text"), 2048),
    (("author", "name"), 256),
)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _nested(data: Json, keys: tuple[str, ...]) -> str:
    node: Any = data
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    return _text(node)


def _check_length(errors: FormErrors, path: Path, value: Any, limit: int) -> None:
    if len(_text(value)) > limit:
        errors.max_length(path, limit)


def _check_bounded(errors: FormErrors, path: Path, value: Any, low: int, high: int) -> None:
    if not low <= len(_text(value)) <= high:
        errors.bad_length(path, low, high)


def embed_size(embed: Json) -> int:
    """The characters Discord counts towards the 6000 per message."""
    size = sum(len(_nested(embed, keys)) for keys, _ in EMBED_TEXT_LIMITS)
    for field in embed.get("fields") or []:
        size += len(_text(field.get("name"))) + len(_text(field.get("value")))
    return size


def _check_embed(errors: FormErrors, path: Path, embed: Json) -> None:
    for keys, limit in EMBED_TEXT_LIMITS:
        _check_length(errors, (*path, *keys), _nested(embed, keys), limit)
    fields = embed.get("fields") or []
    if len(fields) > 25:
        errors.max_length((*path, "fields"), 25)
    for index, field in enumerate(fields):
        for key, limit in (("name", 256), ("value", 1024)):
            value = _text(field.get(key))
            if not value.strip():
                errors.required((*path, "fields", index, key))
            _check_length(errors, (*path, "fields", index, key), value, limit)


def _check_embeds(errors: FormErrors, path: Path, embeds: Sequence[Json]) -> None:
    if len(embeds) > EMBEDS_MAX:
        errors.max_length((*path, "embeds"), EMBEDS_MAX)
    for index, embed in enumerate(embeds):
        _check_embed(errors, (*path, "embeds", index), embed)
    if sum(embed_size(embed) for embed in embeds) > EMBED_TOTAL_MAX:
        errors.add(
            (*path, "embeds"),
            "MAX_EMBED_SIZE_EXCEEDED",
            f"Embed size exceeds maximum size of {EMBED_TOTAL_MAX}",
        )


def _check_interactive(errors: FormErrors, path: Path, component: Json, seen: set[str]) -> None:
    """Rules for a button or select menu wherever it sits."""
    is_link = component.get("type") == BUTTON and component.get("style") == LINK_STYLE
    custom_id = component.get("custom_id")
    if custom_id is None and not is_link and component.get("type") in {BUTTON, *SELECT_TYPES}:
        errors.required((*path, "custom_id"))
    if custom_id is not None:
        _check_bounded(errors, (*path, "custom_id"), custom_id, 1, CUSTOM_ID_MAX)
        if custom_id in seen:
            errors.add(
                (*path, "custom_id"),
                "COMPONENT_CUSTOM_ID_DUPLICATED",
                "Component custom id cannot be duplicated",
            )
        seen.add(custom_id)
    if component.get("type") == BUTTON:
        _check_length(errors, (*path, "label"), component.get("label"), BUTTON_LABEL_MAX)
    if component.get("type") == STRING_SELECT:
        options = component.get("options") or []
        if len(options) > 25:
            errors.max_length((*path, "options"), 25)
        for index, option in enumerate(options):
            for key in ("label", "value", "description"):
                _check_length(errors, (*path, "options", index, key), option.get(key), 100)
    _check_length(errors, (*path, "placeholder"), component.get("placeholder"), 150)


def _check_rows(errors: FormErrors, path: Path, rows: Sequence[Json]) -> None:
    """Classic components: up to 5 action rows of up to 5 buttons, or one select menu per row."""
    if len(rows) > ACTION_ROWS_MAX:
        errors.max_length((*path, "components"), ACTION_ROWS_MAX)
    seen: set[str] = set()
    for row_index, row in enumerate(rows):
        row_path = (*path, "components", row_index)
        if row.get("type") != 1:
            errors.add(
                (*row_path, "type"), "UNION_TYPE_CHOICES", 'Value of field "type" must be one of (1,).'
            )
            continue
        items = row.get("components") or []
        if len(items) > ROW_ITEMS_MAX:
            errors.max_length((*row_path, "components"), ROW_ITEMS_MAX)
        if len(items) > 1 and any(item.get("type") in SELECT_TYPES for item in items):
            errors.add(
                (*row_path, "components"),
                "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                "The specified component exceeds the maximum width",
            )
        for item_index, item in enumerate(items):
            _check_interactive(errors, (*row_path, "components", item_index), item, seen)


def _check_layout(errors: FormErrors, path: Path, components: Sequence[Json]) -> None:
    """Components V2 (flag 1<<15): only the per-item rules are checked, not the layout limits."""
    seen: set[str] = set()
    stack: list[tuple[Path, Json]] = [((*path, "components", i), c) for i, c in enumerate(components)]
    while stack:
        item_path, item = stack.pop()
        _check_interactive(errors, item_path, item, seen)
        stack.extend(((*item_path, "components", i), c) for i, c in enumerate(item.get("components") or []))
        if isinstance(item.get("accessory"), dict):
            stack.append(((*item_path, "accessory"), item["accessory"]))


def check_message(data: Json, path: Path = ()) -> FormErrors:
    """Errors of a message-like payload (channel message, callback data, follow-up or edit)."""
    errors = FormErrors()
    _check_length(errors, (*path, "content"), data.get("content"), CONTENT_MAX)
    _check_embeds(errors, path, data.get("embeds") or [])
    components = data.get("components") or []
    if (data.get("flags") or 0) & COMPONENTS_V2:
        _check_layout(errors, path, components)
    else:
        _check_rows(errors, path, components)
    return errors


def check_not_empty(data: Json, file_count: int) -> None:
    """Discord refuses a new message with nothing to show (50006)."""
    parts = (
        data.get("content"),
        data.get("embeds"),
        data.get("components"),
        data.get("sticker_ids"),
        data.get("poll"),
    )
    if file_count == 0 and not any(parts):
        raise ApiError(400, EMPTY_MESSAGE, "Cannot send an empty message")


def check_autocomplete(data: Json) -> FormErrors:
    errors = FormErrors()
    choices = data.get("choices") or []
    if len(choices) > CHOICES_MAX:
        errors.max_length(("data", "choices"), CHOICES_MAX)
    for index, choice in enumerate(choices):
        _check_bounded(errors, ("data", "choices", index, "name"), choice.get("name"), 1, 100)
        if isinstance(choice.get("value"), str):
            _check_length(errors, ("data", "choices", index, "value"), choice["value"], 100)
    return errors


def check_modal(data: Json) -> FormErrors:
    errors = FormErrors()
    _check_bounded(errors, ("data", "title"), data.get("title"), 1, 45)
    _check_bounded(errors, ("data", "custom_id"), data.get("custom_id"), 1, CUSTOM_ID_MAX)
    if not 1 <= len(data.get("components") or []) <= 5:
        errors.bad_length(("data", "components"), 1, 5)
    return errors


def valid_chat_input_name(name: str) -> bool:
    """Discord's ``^[-_'\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]{1,32}$``, lowercase where a lowercase exists.

    Letters, digits and combining marks (for Devanagari and Thai) stand in for the Unicode classes.
    """
    if not 1 <= len(name) <= 32 or name != name.lower():
        return False
    return all(ch in "-_'" or unicodedata.category(ch)[0] in "LNM" for ch in name)


def _check_choices(errors: FormErrors, path: Path, option: Json) -> None:
    choices = option.get("choices") or []
    if len(choices) > CHOICES_MAX:
        errors.max_length((*path, "choices"), CHOICES_MAX)
    if choices and option.get("autocomplete"):
        errors.add(
            (*path, "autocomplete"),
            "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_WITH_CHOICES",
            "Autocomplete cannot be set for options with choices",
        )
    for index, choice in enumerate(choices):
        _check_bounded(errors, (*path, "choices", index, "name"), choice.get("name"), 1, 100)
        if option.get("type") == STRING_OPTION:
            _check_length(errors, (*path, "choices", index, "value"), choice.get("value"), 100)


def _check_options(errors: FormErrors, path: Path, options: Sequence[Json], depth: int) -> None:
    """Options of a command, subcommand group (depth 1) or subcommand (depth 2 at most)."""
    if len(options) > OPTIONS_MAX:
        errors.max_length((*path, "options"), OPTIONS_MAX)
    names: set[str] = set()
    seen_optional = False
    for index, option in enumerate(options):
        option_path = (*path, "options", index)
        name = _text(option.get("name"))
        if not valid_chat_input_name(name):
            errors.add((*option_path, "name"), "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
        if name in names:
            errors.add(
                (*option_path, "name"),
                "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
                "Option names must be unique",
            )
        names.add(name)
        _check_bounded(errors, (*option_path, "description"), option.get("description"), 1, 100)
        kind = option.get("type")
        if kind in (SUB_COMMAND, SUB_COMMAND_GROUP):
            allowed = depth == 0 or (depth == 1 and kind == SUB_COMMAND)
            if not allowed:
                errors.add(
                    (*option_path, "type"),
                    "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                    "Invalid option nesting",
                )
            _check_options(errors, option_path, option.get("options") or [], depth + 1)
            continue
        if option.get("required"):
            if seen_optional:
                errors.add(
                    (*option_path, "required"),
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            seen_optional = True
        _check_choices(errors, option_path, option)


def _command_size(command: Json) -> int:
    """Characters counted towards the 4000 per command: names, descriptions, choice names and values."""
    size = len(_text(command.get("name"))) + len(_text(command.get("description")))
    for choice in command.get("choices") or []:
        size += len(_text(choice.get("name"))) + len(str(choice.get("value", "")))
    return size + sum(_command_size(option) for option in command.get("options") or [])


def _check_command(errors: FormErrors, index: int, command: Json) -> None:
    kind = command.get("type", CHAT_INPUT)
    name = _text(command.get("name"))
    if kind == CHAT_INPUT:
        if not valid_chat_input_name(name):
            errors.add((index, "name"), "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
        _check_bounded(errors, (index, "description"), command.get("description"), 1, 100)
        _check_options(errors, (index,), command.get("options") or [], 0)
    else:
        _check_bounded(errors, (index, "name"), name, 1, 32)
        if command.get("description"):
            errors.add(
                (index, "description"),
                "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION",
                "Context menu commands cannot have a description",
            )
        if command.get("options"):
            errors.add(
                (index, "options"),
                "APPLICATION_COMMAND_CONTEXT_MENU_OPTIONS",
                "Context menu commands cannot have options",
            )
    if _command_size(command) > COMMAND_SIZE_MAX:
        errors.add(
            (index,), "APPLICATION_COMMAND_TOO_LARGE", f"Command exceeds maximum size ({COMMAND_SIZE_MAX})"
        )


def check_commands(commands: Sequence[Json]) -> FormErrors:
    """Errors of a bulk command overwrite, keyed by the command's index."""
    errors = FormErrors()
    seen: set[tuple[int, str]] = set()
    for index, command in enumerate(commands):
        _check_command(errors, index, command)
        key = (command.get("type", CHAT_INPUT), _text(command.get("name")))
        if key in seen:
            errors.add(
                (index, "name"),
                "APPLICATION_COMMANDS_DUPLICATE_NAME",
                "Application command names must be unique",
            )
        seen.add(key)
    if sum(1 for command in commands if command.get("type", CHAT_INPUT) == CHAT_INPUT) > 100:
        raise ApiError(400, 30032, "Maximum number of application commands reached (100)")
    return errors
