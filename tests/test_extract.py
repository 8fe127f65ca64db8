"""The trafilatura wrapper: article text and metadata, or a clear NoArticle."""

from __future__ import annotations

from datetime import date

import pytest

from factwatch.extract.article import NoArticle, extract_article, prose_chars
from factwatch.cli.storyserver import demo_story_versions, fill_chrome


def test_demo_page_gives_title_text_dates_and_canonical_url():
    article = extract_article(fill_chrome(demo_story_versions()[0], 1), "http://127.0.0.1/x")
    assert article.title == "Ferry capsizes on Lake Tanganyika, killing at least 13"
    assert article.published == date(2024, 3, 14)
    assert article.canonical_url == "https://courier.example/world/2024/03/14/ferry-capsizes-lake-tanganyika"
    assert "At least 13 people were killed" in article.text
    for chrome in ("Most read", "comments", "cookies", "Newsletter", "Sponsored", "Advertisement"):
        assert chrome not in article.text


@pytest.mark.parametrize("html", [
    "",
    "   ",
    "<html><body></body></html>",
    "<html><body><nav>" + "".join(f"<a href='/s{i}'>Section {i}</a><br>" for i in range(60)) + "</nav></body></html>",
    "<html><body><ul>" + "".join(f"<li><a href='/s{i}'>Breaking: item {i}</a></li>" for i in range(40)) + "</ul></body></html>",
])
def test_pages_without_prose_are_no_article(html):
    with pytest.raises(NoArticle):
        extract_article(html)


@pytest.mark.parametrize("text,expected", [
    ("Section 1\nSection 2\nHome", 0),
    ("At least 13 people were killed when the ferry capsized, officials said.", 71),
    ("翱翔于距地球数千公里的太空中，进入广袤漆黑的未知领域，是一项艰苦卓绝的工作。这让人感到巨大压力。", 48),
])
def test_prose_chars_counts_sentences_in_any_script(text, expected):
    assert prose_chars(text) == expected
