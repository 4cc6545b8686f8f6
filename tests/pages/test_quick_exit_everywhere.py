"""The quick exit is on every page a person can open: the site's own pages, the error
pages, the admin (its sign-in page included) and the API docs. Walked over every URL
pattern, as an anonymous visitor, as site staff and as an operator's superuser account."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import settings
from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.test import Client

from accounts.models import User
from accounts.services import user_grant_staff_views
from tests.accounts.support import sign_in
from tests.factories import UserFactory
from tests.pages.support import Page
from tests.urlwalk import every_path

pytestmark = pytest.mark.django_db


def _body(response: HttpResponseBase) -> str:
    if isinstance(response, StreamingHttpResponse):
        return response.getvalue().decode()
    assert isinstance(response, HttpResponse)
    return response.content.decode()


def _missing(page: Page) -> list[str]:
    """What a page lacks of the quick exit (the link, its behaviour, its look)."""
    problems = []
    links = [attrs for tag, attrs in page.elements if tag == "a" and "data-quick-exit" in attrs]
    if len(links) != 1:
        problems.append(f"{len(links)} quick-exit links instead of 1")
    for link in links:
        if link.get("href") != settings.QUICK_EXIT_URL:
            problems.append(f"the quick exit goes to {link.get('href')!r}")
        if link.get("rel") != "noreferrer":
            problems.append("the quick exit sends a Referer (no rel=noreferrer)")
    scripts = [attrs.get("src") for tag, attrs in page.elements if tag == "script"]
    if "/static/js/quick-exit.js" not in scripts:
        problems.append("quick-exit.js is not loaded")
    styles = [attrs.get("href") for tag, attrs in page.elements if tag == "link"]
    if "/static/css/quick-exit.css" not in styles:
        problems.append("quick-exit.css is not loaded")
    return problems


def _walk(client: Client, user: User | None) -> tuple[set[str], list[str]]:
    """The names of the URL patterns that rendered an HTML page, and what each lacks."""
    paths = every_path({"object_id": str(user.pk)} if user else None)
    pages: set[str] = set()
    report: list[str] = []
    for site_path in paths:
        response = client.get(site_path.path)
        body = _body(response)
        if not response.get("Content-Type", "").startswith("text/html") or not body.strip():
            continue  # JSON, scripts, redirects, bodiless refusals: not a page to leave from
        pages.add(site_path.name or site_path.pattern)
        report += [
            f"{site_path.path} ({site_path.pattern}, HTTP {response.status_code}): {problem}"
            for problem in _missing(Page(body))
        ]
    return pages, report


def _staff() -> User:
    staff = UserFactory(username="staff", public_name="Staff", is_staff=True)
    user_grant_staff_views(user=staff)
    return staff


def _operator() -> User:
    return UserFactory(
        username="operator", public_name="Operator", is_staff=True, is_superuser=True
    )


@pytest.mark.parametrize(
    "make_user",
    [
        pytest.param(None, id="anonymous"),
        pytest.param(_staff, id="site-staff"),
        pytest.param(_operator, id="operator"),
    ],
)
def test_every_page_has_the_quick_exit(make_user: Callable[[], User] | None) -> None:
    client = Client(raise_request_exception=False)
    user = make_user() if make_user else None
    if user:
        sign_in(client, user, mfa=True)

    pages, report = _walk(client, user)

    assert report == []
    # Signed in, the admin's index opens; signed out, the visitor signs in on the site's
    # own sign-in page (the admin's login goes through it, second factor included).
    assert {"pages:home", "api-docs", "admin:index" if user else "account_login"} <= pages


def test_the_admin_keeps_its_own_look_around_the_quick_exit() -> None:
    """The admin's stylesheets still load; the site's layout stylesheet does not."""
    staff = UserFactory(is_staff=True)
    user_grant_staff_views(user=staff)
    client = Client()
    sign_in(client, staff, mfa=True)
    page = Page(client.get("/admin/").content.decode())
    styles = [attrs.get("href") for tag, attrs in page.elements if tag == "link"]

    assert "/static/admin/css/base.css" in styles
    assert "/static/css/site.css" not in styles
    assert page.find("a", class_="quick-exit")["data-quick-exit"] is None
