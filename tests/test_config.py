"""Settings from the environment and ``.env``: every variable, its default, a clear error for a bad value."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.config import DEFAULT_API_BASE, ConfigError, Settings, load_settings, read_env_file


def load(env_file: Path | None = None, **environ: str) -> Settings:
    return load_settings(environ, env_file=env_file)


def test_defaults_with_nothing_set() -> None:
    settings = load()
    assert settings == Settings(
        token=None,
        api_base=DEFAULT_API_BASE,
        db_path=Path("data/briefing.db"),
        articles_dir=Path("data", "articles"),  # the default; this test reads nothing there
        dev_guild_id=None,
        log_level="INFO",
        shard_count=None,
        shard_ids=None,
        message_content=False,
    )
    assert not settings.api_base_is_custom


def test_every_variable_is_read() -> None:
    settings = load(
        DISCORD_TOKEN="t0k3n",
        DISCORD_API_BASE="http://127.0.0.1:8080/api/v10/",
        BRIEFING_DB="/srv/bot/store.db",
        BRIEFING_ARTICLES="/srv/bot/articles",
        DEV_GUILD_ID="123456789012345678",
        LOG_LEVEL="debug",
        SHARD_COUNT="4",
        SHARD_IDS="2, 3",
        MESSAGE_CONTENT_INTENT="true",
        PLAYGROUND_TIMEZONE="Africa/Tripoli",
    )
    assert settings == Settings(
        token="t0k3n",
        api_base="http://127.0.0.1:8080/api/v10",
        db_path=Path("/srv/bot/store.db"),
        articles_dir=Path("/srv/bot/articles"),
        dev_guild_id=123456789012345678,
        log_level="DEBUG",
        shard_count=4,
        shard_ids=[2, 3],
        message_content=True,
        playground_timezone="Africa/Tripoli",
    )
    assert settings.api_base_is_custom


@pytest.mark.parametrize("word", ["1", "true", "True", "YES", "on"])
def test_message_content_intent_on(word: str) -> None:
    assert load(MESSAGE_CONTENT_INTENT=word).message_content is True


@pytest.mark.parametrize("word", ["", "0", "false", "No", "off"])
def test_message_content_intent_off(word: str) -> None:
    assert load(MESSAGE_CONTENT_INTENT=word).message_content is False


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("MESSAGE_CONTENT_INTENT", "maybe", "MESSAGE_CONTENT_INTENT must be true or false, got 'maybe'"),
        ("SHARD_COUNT", "four", "SHARD_COUNT must be a whole number, got 'four'"),
        ("SHARD_COUNT", "0", "SHARD_COUNT must be 1 or more, got 0"),
        ("DEV_GUILD_ID", "my-server", "DEV_GUILD_ID must be a whole number, got 'my-server'"),
        ("LOG_LEVEL", "loud", "LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, got 'LOUD'"),
        (
            "DISCORD_API_BASE",
            "discord.com/api",
            "DISCORD_API_BASE must be an http(s) URL, got 'discord.com/api'",
        ),
    ],
)
def test_a_bad_value_is_refused_with_the_variable_named(variable: str, value: str, says: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(says)):
        load(**{variable: value})


@pytest.mark.parametrize(
    ("shards", "says"),
    [
        ({"SHARD_IDS": "0,1"}, "SHARD_IDS needs SHARD_COUNT as well"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "0,x"}, "SHARD_IDS must be comma-separated numbers, got '0,x'"),
        (
            {"SHARD_COUNT": "2", "SHARD_IDS": "1,2"},
            "every SHARD_IDS entry must be between 0 and SHARD_COUNT - 1",
        ),
        (
            {"SHARD_COUNT": "2", "SHARD_IDS": "-1"},
            "every SHARD_IDS entry must be between 0 and SHARD_COUNT - 1",
        ),
    ],
)
def test_inconsistent_shards_are_refused(shards: dict[str, str], says: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(says)):
        load(**shards)


def test_env_file_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        "# a comment\n"
        "\n"
        "DISCORD_TOKEN='from file'\n"
        'export BRIEFING_DB="/from/file.db"\n'
        "LOG_LEVEL=warning\n"
        "MESSAGE_CONTENT_INTENT=yes\n"
        "not a setting\n",
        encoding="utf-8",
    )
    settings = load(env_file, LOG_LEVEL="ERROR")
    assert (settings.token, settings.db_path, settings.log_level, settings.message_content) == (
        "from file",
        Path("/from/file.db"),
        "ERROR",
        True,
    )


def test_an_empty_variable_in_the_environment_means_the_default(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("BRIEFING_DB=/from/file.db\n", encoding="utf-8")
    assert load(tmp_path / ".env", BRIEFING_DB="").db_path == Path("data/briefing.db")


def test_a_missing_env_file_is_no_error(tmp_path: Path) -> None:
    assert load(tmp_path / "absent.env").token is None


def test_env_example_lists_every_variable_and_loads() -> None:
    example = Path(".env.example")
    names = set(read_env_file(example))
    assert names == {
        "DISCORD_TOKEN",
        "DISCORD_API_BASE",
        "BRIEFING_DB",
        "BRIEFING_ARTICLES",
        "DEV_GUILD_ID",
        "LOG_LEVEL",
        "SHARD_COUNT",
        "SHARD_IDS",
        "MESSAGE_CONTENT_INTENT",
        "PLAYGROUND_TIMEZONE",
        "SERVER_ARTICLE_LIMIT",
        "SERVER_FEED_LIMIT",
        "FEED_POLL_MINUTES",
        "ALLOW_PRIVATE_URLS",
    }
    assert load(example) == load()


@pytest.mark.parametrize("name", ["SERVER_ARTICLE_LIMIT", "SERVER_FEED_LIMIT", "FEED_POLL_MINUTES"])
def test_limits_are_positive_whole_numbers(name: str) -> None:
    assert getattr(load(**{name: "7"}), name.lower()) == 7
    for bad in ("0", "-3", "many"):
        with pytest.raises(ConfigError, match=name):
            load(**{name: bad})


def test_private_urls_are_refused_unless_allowed() -> None:
    assert load().allow_private_urls is False
    assert load(ALLOW_PRIVATE_URLS="true").allow_private_urls is True
    with pytest.raises(ConfigError, match="ALLOW_PRIVATE_URLS"):
        load(ALLOW_PRIVATE_URLS="sometimes")


def test_the_token_is_never_in_the_settings_repr() -> None:
    assert "t0k3n" not in repr(load(DISCORD_TOKEN="t0k3n"))
    assert "t0k3n" not in str(load(DISCORD_TOKEN="t0k3n"))


def test_the_cli_answers_a_bad_value_with_one_line_and_exit_code_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    monkeypatch.setenv("SHARD_COUNT", "four")
    assert main(["stats"]) == 1
    assert capsys.readouterr().err == "error: SHARD_COUNT must be a whole number, got 'four'\n"
