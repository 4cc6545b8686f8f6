"""Every page shares one accessible layout: a skip link, landmarks, a quick exit and a
language switcher, and loads only this site's own files."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from pytest_django import Settings

from tests.pages.support import Page

pytestmark = pytest.mark.django_db


@pytest.fixture
def home() -> Page:
    response = Client().get("/")
    assert response.status_code == 200
    return Page(response.content.decode())


def test_the_first_link_skips_to_the_main_content(home: Page) -> None:
    """The skip link comes before everything else and targets <main id="main">, which
    can take focus (tabindex=-1)."""
    first_link = home.find_all("a")[0]

    assert first_link["href"] == "#main"
    assert first_link["class"] == "skip-link"
    assert home.find("main") == {"id": "main", "tabindex": "-1"}


def test_the_page_has_header_navigation_main_and_footer_landmarks(home: Page) -> None:
    tags = [tag for tag, _ in home.elements]

    for landmark in ("header", "nav", "main", "footer"):
        assert tags.count(landmark) == 1, landmark
    assert home.find("nav")["aria-label"]
    assert tags.index("header") < tags.index("main") < tags.index("footer")


def test_the_page_says_its_language(home: Page) -> None:
    assert home.find("html") == {"lang": "en"}


def test_the_quick_exit_is_a_plain_link_to_the_neutral_site(home: Page) -> None:
    """Without JavaScript the link still leaves, and sends no Referer to the neutral site."""
    link = home.find("a", class_="quick-exit")

    assert link["href"] == settings.QUICK_EXIT_URL
    assert link["rel"] == "noreferrer"
    assert "data-quick-exit" in link
    assert "Quick exit" in home.text


def test_the_quick_exit_script_is_loaded_from_this_site(home: Page) -> None:
    """quick-exit.js is a same-origin file, so the CSP (script-src 'self') allows it."""
    sources = [script["src"] for script in home.find_all("script")]

    assert "/static/js/quick-exit.js" in sources


def test_the_quick_exit_follows_the_setting(settings: Settings) -> None:
    settings.QUICK_EXIT_URL = "https://weather.example/"

    page = Page(Client().get("/").content.decode())

    assert page.find("a", class_="quick-exit")["href"] == "https://weather.example/"


def test_the_language_switcher_posts_to_set_language_with_a_csrf_token(home: Page) -> None:
    form = home.find("form", class_="language-switcher")
    buttons = home.find_all("button", name="language")

    assert (form["action"], form["method"]) == ("/i18n/setlang/", "post")
    assert home.find("input", name="csrfmiddlewaretoken")["type"] == "hidden"
    assert home.find("input", name="next")["value"] == "/"
    assert [(b["value"], b["lang"]) for b in buttons] == [("en", "en"), ("es", "es")]
    assert "English" in home.text
    assert "Español" in home.text
    assert home.find("button", value="en")["aria-current"] == "true"


def test_the_page_loads_nothing_from_another_site(home: Page) -> None:
    """Stylesheets, scripts, images and icons all come from this origin."""
    for tag, attrs in home.elements:
        for attribute in ("src", "href"):
            url = attrs.get(attribute)
            if url and tag in {"script", "link", "img", "iframe", "source"}:
                parts = urlsplit(url)
                assert (parts.scheme, parts.netloc) == ("", ""), (tag, url)


def test_there_is_no_inline_script_or_style(home: Page) -> None:
    """The CSP forbids inline code, so the layout must not rely on it."""
    for tag, attrs in home.elements:
        assert "style" not in attrs, tag
        assert tag != "style"
        if tag == "script":
            assert attrs.get("src"), attrs
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
