"""Reading feeds (RSS 2.0, Atom, relative links, undated and malformed entries) and when to ask again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.feeds import (
    MAX_BACKOFF,
    FeedError,
    Health,
    after_failure,
    after_success,
    html_text,
    item_article,
    parse_feed,
)

BASE = "https://observer.example/feeds/world.xml"

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Horn Observer: World</title><link>/world</link>
<item><title>Older: talks open in Kismayo</title><link>/news/talks-open?utm_source=rss</link>
  <guid isPermaLink="false">obs-101</guid><pubDate>Mon, 01 Mar 2021 07:30:00 GMT</pubDate>
  <description>&lt;p&gt;Delegates from Jubaland met on Monday.&lt;/p&gt;</description></item>
<item><title>Newer: talks stall</title><link>news/talks-stall</link>
  <guid isPermaLink="false">obs-102</guid><pubDate>Tue, 02 Mar 2021 09:00:00 GMT</pubDate></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://desk.example/">
<title>Sahel Desk</title><link href="https://desk.example/"/><id>urn:desk</id><updated>2021-05-04T10:00:00Z</updated>
<entry><title>Mali: a convoy is attacked near Gao</title><link href="/2021/05/convoy"/><id>urn:desk:7</id>
  <updated>2021-05-04T10:00:00Z</updated>
  <content type="html">&lt;p&gt;Colonel Assimi Goita said on Tuesday that the convoy was attacked.&lt;/p&gt;
  </content></entry>
<entry><title>Niger: a ceasefire holds</title><link href="/2021/05/ceasefire"/><id>urn:desk:8</id>
  <updated>2021-05-05T06:00:00Z</updated><summary>Quiet for a third day.</summary></entry>
</feed>"""


def test_rss_items_come_newest_first_with_links_resolved_against_the_feed() -> None:
    feed = parse_feed(RSS, BASE)
    assert feed.title == "Horn Observer: World"
    assert [item.title for item in feed.items] == ["Newer: talks stall", "Older: talks open in Kismayo"]
    newer, older = feed.items
    assert newer.url == "https://observer.example/feeds/news/talks-stall"  # relative to the feed's address
    assert older.url_key == "https://observer.example/news/talks-open"  # tracking parameters stripped
    assert older.published == datetime(2021, 3, 1, 7, 30, tzinfo=UTC)
    assert html_text(older.content) == "Delegates from Jubaland met on Monday."


def test_atom_entries_with_xml_base_and_content() -> None:
    feed = parse_feed(ATOM, "https://desk.example/atom")
    assert feed.title == "Sahel Desk"
    assert [item.url for item in feed.items] == [
        "https://desk.example/2021/05/ceasefire",
        "https://desk.example/2021/05/convoy",
    ]
    article = item_article(feed.items[1], feed.title)
    assert "Assimi Goita" in article and "title: Mali: a convoy is attacked near Gao" in article
    assert "published: 2021-05-04" in article and "source: Sahel Desk" in article


def test_entries_without_dates_keep_the_feeds_order() -> None:
    body = b"""<rss version="2.0"><channel><title>T</title>
    <item><title>first</title><link>http://a.example/1</link></item>
    <item><title>second</title><link>http://a.example/2</link>
      <pubDate>Tue, 02 Mar 2021 09:00:00 GMT</pubDate></item>
    <item><title>third</title><link>http://a.example/3</link></item></channel></rss>"""
    titles = [item.title for item in parse_feed(body, "http://a.example/rss").items]
    assert titles == ["first", "second", "third"]


def test_malformed_xml_with_entries_is_read_and_a_page_is_refused() -> None:
    broken = b"""<rss version="2.0"><channel><title>Broken & Co</title>
    <item><title>Still readable</title><link>http://a.example/ok</link></item><item><title>cut"""
    assert [item.title for item in parse_feed(broken, "http://a.example/rss").items] == ["Still readable"]
    pages = (
        b"<html><body><p>Welcome to our site</p></body></html>",
        b"",
        b"\x89PNG\r\n\x1a\n",
        b"/etc/passwd",
    )
    for body in pages:
        with pytest.raises(FeedError, match="not an RSS or Atom feed"):
            parse_feed(body, "http://a.example/")


def test_the_same_item_twice_is_one_item_and_items_without_links_are_left_out() -> None:
    body = b"""<rss version="2.0"><channel><title>T</title>
    <item><title>a</title><link>http://a.example/x?utm_medium=rss</link></item>
    <item><title>a again</title><link>http://a.example/x</link></item>
    <item><title>no link</title><description>text</description></item></channel></rss>"""
    assert [item.title for item in parse_feed(body, "http://a.example/rss").items] == ["a"]


def test_an_items_content_hash_changes_with_its_text() -> None:
    before = parse_feed(RSS, BASE).items[1].content_hash
    after = parse_feed(RSS.replace(b"met on Monday", b"met on Tuesday"), BASE).items[1].content_hash
    assert before != after


NOW = datetime(2021, 3, 2, 12, 0, tzinfo=UTC)
EVERY = timedelta(minutes=30)
FRESH = Health("active", 0, None, NOW, None)


def test_success_and_304_come_back_after_the_interval_and_forget_failures() -> None:
    failing = Health("active", 3, NOW - timedelta(hours=2), NOW, "HTTP 503")
    assert after_success(failing, NOW, EVERY) == Health("active", 0, None, NOW + EVERY, None)


@pytest.mark.parametrize(
    ("failures", "wait"),
    [(0, EVERY), (1, 2 * EVERY), (2, 4 * EVERY), (3, 8 * EVERY), (10, MAX_BACKOFF)],
)
def test_failures_back_off_exponentially_up_to_a_cap(failures: int, wait: timedelta) -> None:
    health = Health("active", failures, NOW if failures else None, NOW, None)
    after = after_failure(health, NOW, EVERY, "HTTP 500")
    assert (after.next_poll_at - NOW, after.failures, after.state) == (wait, failures + 1, "active")


def test_retry_after_is_honoured_up_to_a_day() -> None:
    assert after_failure(FRESH, NOW, EVERY, "429", retry_after=7200).next_poll_at == NOW + timedelta(hours=2)
    assert after_failure(FRESH, NOW, EVERY, "429", retry_after=60).next_poll_at == NOW + EVERY
    assert after_failure(FRESH, NOW, EVERY, "429", retry_after=10**9).next_poll_at == NOW + timedelta(days=1)


def test_a_feed_failing_for_a_day_is_paused() -> None:
    health = after_failure(FRESH, NOW, EVERY, "timeout")
    assert (health.state, health.first_failure_at) == ("active", NOW)
    later = after_failure(health, NOW + timedelta(hours=23), EVERY, "timeout")
    assert later.state == "active"
    day = after_failure(later, NOW + timedelta(hours=24), EVERY, "timeout")
    assert (day.state, day.last_error, day.first_failure_at) == ("paused", "timeout", NOW)
