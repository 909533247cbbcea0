"""bot.pages: the article in a web page (trafilatura), and the article file the ingest reads back."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from bot.extract.document import parse_document, split_front_matter
from bot.extract.model import PartialDate
from bot.pages import Page, PageError, article_text, page_from_html, page_from_text

PAGES = Path(__file__).parent / "pages"
NEWS_URL = "https://hornledger.example/africa/2026/11/28/sudan-jeddah-talks?utm_source=feed"


def fixture(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def news() -> Page:
    return page_from_html(fixture("news-article.html"), NEWS_URL)


@pytest.fixture(scope="module")
def blog() -> Page:
    return page_from_html(fixture("analysis-blog.html"), "https://steppe.example/2025/03/frozen.html")


def test_a_news_page_gives_its_metadata(news):
    assert news.title == "Ceasefire talks: Khartoum and RSF envoys meet in Jeddah"
    assert news.author == "Amira Osman"
    assert news.published == "2026-11-28"
    assert news.site == "The Horn Ledger"
    assert news.url == NEWS_URL


def test_a_news_page_gives_its_paragraphs_and_nothing_else(news):
    paragraphs = news.text.split("\n\n")
    assert len(paragraphs) == 5
    assert paragraphs[0].startswith("Envoys of Sudan's army-led government")
    assert paragraphs[2] == (
        '"We came to listen, and we came to stop the killing," Hamdan told reporters outside the meeting. '
        "The army delegation did not comment."
    )
    assert paragraphs[4].endswith("invited to observe.")


@pytest.mark.parametrize(
    "boilerplate",
    [
        "cookies",  # the cookie banner
        "Middle East", "Newsletters", "Subscribe",  # the menu
        "Related stories", "El Fasher siege enters", "Famine declared",  # related links
        "Reader1975", "mark my words", "same hotel", "Good reporting",  # comments
        "Share this story", "All rights reserved", "Privacy policy",  # share tools, footer
        "By Amira Osman", "Ceasefire talks:",  # the byline, and the headline (it is the title)
    ],
)  # fmt: skip
def test_a_news_page_leaves_out_its_boilerplate(news, boilerplate):
    assert boilerplate not in news.text


def test_a_blog_post_gives_its_metadata_and_text(blog):
    assert blog.title == '"Frozen" --- or thawing? Notes on the Donbas line'
    assert (blog.author, blog.published, blog.site) == ("Petro Kovalenko", "2025-03-14", "Steppe Analysis")
    assert len(blog.text.split("\n\n")) == 4
    for boilerplate in ("Popular posts", "Ten maps", "weekly newsletter", "Powered by Blogger", "Donate"):
        assert boilerplate not in blog.text


def test_a_date_inside_the_story_is_not_taken_for_the_publication_date():
    html = (
        "<html><head><title>Talks resume</title></head><body><article><h1>Talks resume</h1>"
        "<p>Delegations met again in Doha to discuss the exchange of prisoners agreed on 12 January 2024 and "
        "the reopening of crossings.</p><p>Mediators said the next round would follow within weeks, and both "
        "sides called the meeting constructive.</p></article><footer>© 2024 Gulf Wire</footer></body></html>"
    )
    page = page_from_html(html, "https://gulfwire.example/talks-resume")
    assert page.published is None and "12 January 2024" in page.text


def test_without_an_address_the_page_gives_its_own(news):
    assert page_from_html(fixture("news-article.html"), None).url == (
        "https://hornledger.example/africa/2026/11/28/sudan-jeddah-talks"
    )


HEADLINE = "<li><a href='/s{n}'>Story {n} about the war in the east and the talks</a></li>"
SECTION_FRONT = (  # headlines that link to the stories, each long enough to pass for a paragraph
    "<html><body><main><ul>" + "".join(HEADLINE.format(n=n) for n in range(20)) + "</ul></main></body></html>"
)


@pytest.mark.parametrize(
    "html",
    [
        fixture("no-article.html"),
        "",
        "   ",
        "<html></html>",
        "<<<>>> not html at all",
        "<html><body><nav><a href='/'>Home</a> <a href='/a'>About</a></nav></body></html>",
        "<html><body><p>Too short to be an article.</p></body></html>",
        SECTION_FRONT,
        "\x00\x01\x02 binary \xff",
    ],
)
def test_a_page_without_article_text_is_refused_in_one_line(html):
    with pytest.raises(PageError) as caught:
        page_from_html(html, "https://example.org/x")
    assert str(caught.value) == "no article text found on the page"


def test_reading_a_page_never_touches_the_network(monkeypatch):
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("page_from_html tried the network")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    page = page_from_html(fixture("news-article.html"), NEWS_URL)
    assert page.author == "Amira Osman"


def test_a_text_page_is_its_text():
    page = page_from_text(
        "\ufeffTruce holds\r\n\r\nBy Jane Doe\r\n\r\nThe truce held.\r\n", "https://e.org/t"
    )
    text = "Truce holds\n\nBy Jane Doe\n\nThe truce held."
    assert page == Page(None, None, None, None, "https://e.org/t", text)
    with pytest.raises(PageError, match="the page has no text"):
        page_from_text(" \n\r\n ", None)


# --- the article file -------------------------------------------------------------------------------


def test_the_article_file_of_a_news_page(news):
    assert article_text(news).startswith(
        "---\n"
        "title: Ceasefire talks: Khartoum and RSF envoys meet in Jeddah\n"
        "author: Amira Osman\n"
        "published: 2026-11-28\n"
        "source: The Horn Ledger\n"
        f"url: {NEWS_URL}\n"
        "---\n\n"
        "Envoys of Sudan's"
    )


@pytest.mark.parametrize("page_name", ["news", "blog"])
def test_the_article_file_reads_back_through_the_ingest(page_name, request):
    page: Page = request.getfixturevalue(page_name)
    document = parse_document("k", article_text(page))
    assert (document.title, document.author, document.source, document.url) == (
        page.title, page.author, page.site, page.url,
    )  # fmt: skip
    assert document.published is not None and document.published.iso() == page.published
    assert document.paragraphs == page.text.split("\n\n")
    assert document.warnings == []


@pytest.mark.parametrize(
    "title",
    [
        "Ceasefire: what next?",
        '"Quoted headline"',
        "'Single quoted'",
        '"Starts quoted" then not',
        "Ends with a quote: 'no'",
        "A title\nover two lines\r\nand a third",
        "---",
        "Before\n---\nafter",
        "# not a comment",
        "key: value: more",
        "Line\u2028separator and\u0085next line",
        "  padded  ",
    ],
)
def test_awkward_titles_survive_the_front_matter(title):
    page = Page(title, "Jo O'Hara", None, 'Site: "The" One', "https://e.org/a?x=1#y", "Body text is here.")
    meta, body = split_front_matter(article_text(page))
    assert meta["title"] == " ".join(title.split())
    assert (meta["author"], meta["source"], meta["url"]) == (
        "Jo O'Hara",
        'Site: "The" One',
        "https://e.org/a?x=1#y",
    )
    assert body.strip() == "Body text is here."


@pytest.mark.parametrize(
    "published, written",
    [
        ("2026-11-28", "2026-11-28"),
        ("2026-11-28T09:15:00+00:00", "2026-11-28"),
        ("2026-11", "2026-11"),
        ("2026", "2026"),
        ("2026-02-30", None),
        ("20261128", None),
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_only_real_dates_are_written_as_published(published, written):
    meta, _ = split_front_matter(article_text(Page("T", None, published, None, None, "Body.")))
    assert meta.get("published") == written


def test_an_empty_page_writes_empty_front_matter_and_keeps_a_dashed_text_as_text():
    dashed = "---\nnot: front matter\n---\n\nThe story itself."
    text = article_text(Page(None, None, None, None, None, dashed))
    meta, body = split_front_matter(text)
    assert meta == {}
    assert "not: front matter" in body
    assert parse_document("k", text).published is None


def test_a_published_month_reads_back_as_a_month():
    document = parse_document("k", article_text(Page("T", None, "2026-11", None, None, "The story, told.")))
    assert document.published == PartialDate(2026, 11)
