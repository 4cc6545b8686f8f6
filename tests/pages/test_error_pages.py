"""Errors show a page in the site's layout that says what happened and what to do."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.pages.support import Page

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.pages.urls")]


@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [
        ("/test/400/", 400, "We could not understand that request"),
        ("/test/403/", 403, "You cannot open this page"),
        ("/no-such-page/", 404, "We could not find that page"),
        ("/test/500/", 500, "Something went wrong on our side"),
    ],
)
def test_an_error_page_is_shown_in_the_layout(path: str, status: int, heading: str) -> None:
    """The layout's skip link, quick exit, landmarks and language switcher are there,
    so a person can leave quickly or find their way from an error too."""
    response = Client(raise_request_exception=False).get(path)

    assert response.status_code == status
    page = Page(response.content.decode())
    assert page.find_all("h1")
    assert heading in page.text
    assert page.find("a", class_="quick-exit")
    assert page.find("a", class_="skip-link")["href"] == "#main"
    assert page.find("main")["id"] == "main"
    assert page.find("form", class_="language-switcher")
    assert "Go to the home page" in page.text
    assert response["Content-Security-Policy"]


def test_an_error_page_comes_in_the_visitors_language() -> None:
    response = Client().get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="es")

    assert "No encontramos esa página" in Page(response.content.decode()).text


def test_an_expired_form_explains_how_to_send_it_again() -> None:
    """A POST without a valid CSRF token gets the site's own 403 page, not Django's."""
    response = Client(enforce_csrf_checks=True).post("/test/form/", {})

    assert response.status_code == 403
    page = Page(response.content.decode())
    assert "This form has expired" in page.text
    assert "reload the page" in page.text
    assert page.find("a", class_="quick-exit")
