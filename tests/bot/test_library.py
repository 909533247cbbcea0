"""``/article add|list|remove`` through the stand-in: a server's own articles, seen only in that server,
beside the operator's articles that every server sees."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.standin import StandIn
from bot.standin.model import ADMINISTRATOR, Channel, User
from tests.store_fixtures import REPO

SOMALIA = REPO / "tests" / "articles" / "somalia-port.txt"
YEMEN = REPO / "tests" / "articles" / "yemen-prisoner-swap.txt"
SLOW = 120.0  # the first article starts the extraction worker (spaCy loads in it)


class Other:
    """A second server with its own admin and channel."""

    def __init__(self, standin: StandIn) -> None:
        self.admin: User = standin.add_user("other-admin")
        guild = standin.add_guild("Other Guild", owner=self.admin)
        standin.add_member(guild, self.admin, [standin.add_role(guild, "Admin", ADMINISTRATOR)])
        self.channel: Channel = standin.add_channel(guild, "desk")


@pytest.fixture
def other(standin: StandIn) -> Other:
    return Other(standin)


async def add_file(standin: StandIn, path: Path, *, name: str | None = None, user: User | None = None, **kw):
    owner = user or standin.find_user("owner")
    attachment = (name or path.name, path.read_bytes())
    return await standin.slash("article add", {"file": attachment}, user=owner, timeout=SLOW, **kw)


def text_of(result) -> str:
    parts = [result.content]
    for embed in result.embeds:
        parts += [embed.get("title", ""), embed.get("description", "")]
        parts += [f"{f['name']} {f['value']}" for f in embed.get("fields", [])]
        parts.append(embed.get("footer", {}).get("text", ""))
    return "\n".join(parts)


async def test_an_added_file_is_learned_and_seen_only_in_its_server(
    other: Other, bot, standin: StandIn
) -> None:
    added = await add_file(standin, SOMALIA)
    assert added.ephemeral and added.rejections == []
    shown = text_of(added)
    assert "Added:" in shown and "statement" in shown and "Aden Duale" in shown
    assert "no date found" in shown  # the file gives no date, and says so

    here = await standin.slash("actor", {"name": "Aden Duale"})
    assert here.embeds and "Aden Duale" in here.embeds[0]["title"]
    there = await standin.slash("actor", {"name": "Aden Duale"}, channel=other.channel, user=other.admin)
    assert not there.embeds or "Aden Duale" not in text_of(there)

    # the operator's articles are seen in both servers
    for channel, user in ((None, None), (other.channel, other.admin)):
        haftar = await standin.slash("actor", {"name": "Khalifa Haftar"}, channel=channel, user=user)
        assert "Haftar" in haftar.embeds[0]["title"]

    found = await standin.slash("search", {"text": "Kismayo"})
    assert "Kismayo" in text_of(found)
    missing = await standin.slash("search", {"text": "Kismayo"}, channel=other.channel, user=other.admin)
    assert "No sentence in the articles uses those words" in missing.content

    suggestions = await standin.autocomplete("actor", {"name": "Duale"}, "name")
    assert any("Aden Duale" in c["name"] for c in suggestions.choices)
    elsewhere = await standin.autocomplete(
        "actor", {"name": "Duale"}, "name", channel=other.channel, user=other.admin
    )
    assert not any("Duale" in c["name"] for c in elsewhere.choices)

    sources = await standin.autocomplete("source", {"article": "somalia"}, "article")
    assert [c["value"] for c in sources.choices if c["value"].startswith("somalia-port-")]
    other_sources = await standin.autocomplete(
        "source", {"article": "somalia"}, "article", channel=other.channel, user=other.admin
    )
    assert other_sources.choices == []

    quotes = await standin.slash("quote", {"speaker": "Ahmed Madobe"})
    assert "al-Shabaab will return" in text_of(quotes)
    help_here = text_of(await standin.slash("help"))
    help_there = text_of(await standin.slash("help", channel=other.channel, user=other.admin))
    assert "**2** articles" in help_here and "**1** article" in help_there
    assert "deleted 30 days later" in help_here

    # the message menu and briefings: the article is news here, and nothing of it shows there
    said_here = standin.user_message("Aden Duale met Haftar")
    menu_here = await standin.message_command("Look up actors", said_here)
    assert "Aden Duale" in text_of(menu_here)
    said_there = standin.user_message("Aden Duale met Haftar", channel=other.channel, author=other.admin)
    menu_there = await standin.message_command("Look up actors", said_there, user=other.admin)
    assert "Aden Duale" not in text_of(menu_there) and "Haftar" in text_of(menu_there)
    brief_here = text_of(await standin.slash("briefing preview", user=standin.find_user("owner")))
    brief_there = text_of(await standin.slash("briefing preview", channel=other.channel, user=other.admin))
    assert "Aden Duale" in brief_here or "Kenya" in brief_here
    for word in ("Duale", "Kismayo", "Madobe", "somalia", "Somalia"):
        assert word not in brief_there


async def test_list_and_remove_with_confirmation(bot, standin: StandIn) -> None:
    owner = standin.find_user("owner")
    await add_file(standin, SOMALIA)
    listed = await standin.slash("article list", user=owner)
    listing = text_of(listed)
    assert "somalia" in listing.casefold() or "Kenya" in listing
    assert f"<@{owner.id}>" in listing and "1 article" in listing

    choices = await standin.autocomplete("article remove", {"article": "som"}, "article", user=owner)
    key = choices.choices[0]["value"]
    asked = await standin.slash("article remove", {"article": key}, user=owner)
    assert asked.ephemeral and "Remove **" in asked.content
    cancelled = await standin.click(asked.message, "article:cancel", user=owner)
    assert cancelled.rejections == []
    assert (await standin.slash("actor", {"name": "Aden Duale"})).embeds  # still there

    asked = await standin.slash("article remove", {"article": key}, user=owner)
    await standin.click(asked.message, "article:remove", user=owner)
    await asked.wait_for(lambda r: r.content.startswith("Removed"), timeout=10)
    gone = await standin.slash("actor", {"name": "Aden Duale"})
    assert not gone.embeds or "Aden Duale" not in gone.embeds[0].get("title", "")
    assert "No articles added yet" in text_of(await standin.slash("article list", user=owner))


async def test_the_operators_articles_cannot_be_removed_from_a_server(bot, standin: StandIn) -> None:
    owner = standin.find_user("owner")
    documents = await bot.store.documents(library=0)
    result = await standin.slash("article remove", {"article": documents[0].key}, user=owner)
    assert "This server has no article by that name" in result.content
    assert await bot.store.documents(library=0) == documents


async def test_adding_needs_manage_server(bot, standin: StandIn) -> None:
    member = standin.find_user("member")
    with pytest.raises(PermissionError):
        await add_file(standin, SOMALIA, user=member)
    # a server that opened the command to everyone (Integrations settings) still gets the run-time check
    standin.find_command("article", None)["default_member_permissions"] = None
    result = await add_file(standin, SOMALIA, user=member)
    assert (result.ephemeral, result.content) == (True, "You need the Manage Server permission to do that.")
    listed = await standin.slash("article list", user=member)  # listing changes nothing: open to all then
    assert "No articles added yet" in text_of(listed)
    assert await bot.store.documents(library=standin.default_channel.guild_id) == []


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("report.pdf", b"%PDF-1.7 ...", "PDF is not supported"),
        ("photo.png", b"\x89PNG\r\n", "not a text file"),
        ("empty.txt", b"   \n", "empty"),
        ("binary.txt", b"abc\x00def" * 10, "not text"),
        ("latin.txt", "Caf\u00e9 in Mogadishu".encode("latin-1"), "not UTF-8"),
        ("huge.txt", b"word " * 1_100_000, "too large"),
    ],
)
async def test_refused_files_say_why_in_one_line(bot, standin: StandIn, name: str, data: bytes, reason: str):
    owner = standin.find_user("owner")
    result = await standin.slash("article add", {"file": (name, data)}, user=owner, timeout=SLOW)
    assert reason in result.content and "\n" not in result.content
    assert result.content.startswith("Not added") or "Manage" not in result.content
    assert await bot.store.documents(library=standin.default_channel.guild_id) == []


async def test_the_same_article_twice_is_refused(bot, standin: StandIn) -> None:
    await add_file(standin, SOMALIA)
    again = await add_file(standin, SOMALIA, name="copy-of-port.md")
    assert again.content.startswith("Not added: already there")
    assert len(await bot.store.documents(library=standin.default_channel.guild_id)) == 1


@pytest.mark.settings(server_article_limit=1)
async def test_a_full_library_is_refused(bot, standin: StandIn) -> None:
    await add_file(standin, SOMALIA)
    refused = await add_file(standin, YEMEN)
    assert "library is full (1 articles)" in refused.content


async def test_neither_or_both_options_is_refused(bot, standin: StandIn) -> None:
    owner = standin.find_user("owner")
    result = await standin.slash("article add", user=owner)
    assert "Give either a file or a url" in result.content


# -- pages -----------------------------------------------------------------------------------------------

PAGE = """<!doctype html><html><head><title>Port talks stall | Horn Observer</title>
<meta name="author" content="Amina Warsame"><meta property="article:published_time" content="2021-03-02">
<meta property="og:site_name" content="Horn Observer"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/subscribe">Subscribe today</a></nav>
<article><h1>Port talks stall in Kismayo</h1>
<p>Aden Duale, Kenya's defence minister, said on Tuesday that Kenyan troops would stay in Somalia until
al-Shabaab was defeated, as talks over the port of Kismayo stalled for a second week.</p>
<p>Sheikh Ahmed Madobe, the leader of the Jubaland administration, warned that "al-Shabaab will return the
moment the soldiers leave," according to officials present at the meeting in the city.</p>
<p>Two days later, al-Shabaab fighters attacked a base near Kismayo, killing four soldiers and wounding
several more, the regional administration said in a statement issued that evening.</p>
</article>
<section class="comments"><p>Great article! Subscribe to my channel for more news every day.</p>
</section>
<footer>Copyright Horn Observer. All rights reserved. Cookie settings and privacy policy.</footer>
</body></html>"""


@pytest.fixture
async def site():
    from tests.web_site import LocalSite

    async with LocalSite() as local:
        local.page("/news/port-talks", PAGE)
        local.redirect("/short", "/news/port-talks?utm_source=feed")
        local.redirect("/to-loopback", "http://127.0.0.1:9/admin")
        local.page("/picture", b"\x89PNG", content_type="image/png")
        yield local


async def add_url(standin: StandIn, url: str):
    owner = standin.find_user("owner")
    return await standin.slash("article add", {"url": url}, user=owner, timeout=SLOW)


@pytest.mark.settings(allow_private_urls=True)
async def test_a_page_is_fetched_and_its_main_text_learned(site, bot, standin: StandIn) -> None:
    added = await add_url(standin, site.url("/news/port-talks"))
    shown = text_of(added)
    assert "Port talks stall" in shown and "2 Mar 2021" in shown and "Aden Duale" in shown
    guild_id = standin.default_channel.guild_id
    [document] = await bot.store.documents(library=guild_id)
    assert (document.author, document.source) == ("Amina Warsame", "Horn Observer")
    assert document.url and document.url.endswith("/news/port-talks")
    for boilerplate in ("subscribe", "cookie", "copyright"):  # menus, comments and footer stayed out
        assert "No sentence" in (await standin.slash("search", {"text": boilerplate})).content
    assert "Kismayo" in text_of(await standin.slash("search", {"text": "Kismayo"}))
    again = await add_url(standin, site.url("/short"))  # redirects to the same page, tracking stripped
    assert again.content.startswith("Not added: already there")
    assert len(await bot.store.documents(library=guild_id)) == 1
    same = await add_url(standin, site.url("/news/port-talks#comments"))  # known before any fetch
    assert same.content.startswith("Not added: already there") and site.hits["/news/port-talks"] == 2


@pytest.mark.settings(allow_private_urls=True)
async def test_pages_that_cannot_be_articles_are_refused(site, bot, standin: StandIn) -> None:
    assert "image/png" in (await add_url(standin, site.url("/picture"))).content
    assert "404" in (await add_url(standin, site.url("/missing"))).content
    assert "http:// and https://" in (await add_url(standin, "ftp://example.org/file.txt")).content


async def test_internal_addresses_are_refused_without_the_setting(site, bot, standin: StandIn) -> None:
    refused = await add_url(standin, site.url("/news/port-talks"))
    assert refused.content.startswith("Not added:") and "\n" not in refused.content
    assert site.hits["/news/port-talks"] == 0
    assert await bot.store.documents(library=standin.default_channel.guild_id) == []


# -- when the bot leaves a server ------------------------------------------------------------------------


async def test_a_server_the_bot_left_is_forgotten_after_30_days_unless_it_comes_back(
    other: Other, bot, standin: StandIn, clock
) -> None:
    from datetime import timedelta

    guild = standin.world.guilds[other.channel.guild_id]
    added = await add_file(standin, SOMALIA, user=other.admin, channel=other.channel)
    assert added.embeds, added.content
    await standin.slash("lookup on", user=other.admin, channel=other.channel)
    upkeep = bot.get_cog("Upkeep")

    async def departures() -> list[tuple]:
        async with bot.store.transaction() as conn:
            return [
                tuple(row) for row in await conn.execute_fetchall("SELECT guild_id FROM guild_departures")
            ]

    standin.remove_bot(guild)
    await bot.wait_for("guild_remove", timeout=5)
    for _ in range(50):  # the listener writes right after the event
        if await departures():
            break
        await asyncio.sleep(0.05)
    assert await departures() == [(guild.id,)]
    clock.now += timedelta(days=29)
    await upkeep.forget_loop()
    assert len(await bot.store.documents(library=guild.id)) == 1  # kept: it may come back

    standin.readd_bot(guild)
    await bot.wait_for("guild_join", timeout=5)
    for _ in range(50):
        if not await departures():
            break
        await asyncio.sleep(0.05)
    assert await departures() == []

    standin.remove_bot(guild)
    await bot.wait_for("guild_remove", timeout=5)
    await asyncio.sleep(0.2)
    clock.now += timedelta(days=31)
    await upkeep.forget_loop()
    assert await bot.store.documents(library=guild.id) == []
    assert not await bot.store.actor("Aden Duale", guild=guild.id)
    async with bot.store.transaction() as conn:
        settings = list(
            await conn.execute_fetchall("SELECT 1 FROM guild_settings WHERE guild_id = ?", (guild.id,))
        )
    assert settings == []


async def test_the_weekly_integrity_check_reports_a_sound_store_and_names_damage(
    bot, standin: StandIn, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    import logging
    import shutil

    from cogs.upkeep import store_problems
    from tests.test_ingest import search_segments, wreck_page_of

    split = search_segments(bot.store.path)
    with caplog.at_level(logging.INFO, logger="cogs.upkeep"):
        await bot.get_cog("Upkeep").check_loop()
    assert "weekly integrity check of the store: sound" in caplog.text
    assert split > 1 and search_segments(bot.store.path) == 1  # a sound store's indexes merged
    copy = tmp_path / "copy.db"
    async with bot.store.transaction():
        shutil.copy(bot.store.path, copy)
    assert store_problems(copy) == []
    wreck_page_of(copy, "sentences_fts_data")
    assert store_problems(copy)
