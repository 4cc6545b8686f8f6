"""Every page of the site carries the security headers, and its CSP allows no inline
script: walked over every URL pattern of the site (admin and API docs included, and
every page added to it), as an anonymous visitor and as a signed-in operator."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.test import Client

from accounts.models import User
from tests.accounts.support import sign_in
from tests.factories import UserFactory
from tests.urlwalk import every_path

pytestmark = pytest.mark.django_db

# Script types a browser executes; any other type (application/json, ld+json) is data.
JAVASCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts.append(dict(attrs))


def _body(response: HttpResponseBase) -> str:
    if isinstance(response, StreamingHttpResponse):
        return response.getvalue().decode()
    assert isinstance(response, HttpResponse)
    return response.content.decode()


def _problems(path: str, response: HttpResponseBase) -> list[str]:
    """What is wrong with one response's security headers and scripts."""
    problems: list[str] = []
    headers = response.headers
    if headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if not headers.get("Referrer-Policy"):
        problems.append("no Referrer-Policy")
    if not headers.get("Cross-Origin-Opener-Policy"):
        problems.append("no Cross-Origin-Opener-Policy")
    if not headers.get("Permissions-Policy"):
        problems.append("no Permissions-Policy")
    csp = headers.get("Content-Security-Policy", "")
    if headers.get("X-Frame-Options") != "DENY" and "frame-ancestors 'none'" not in csp:
        problems.append("framing allowed: neither X-Frame-Options DENY nor frame-ancestors 'none'")

    if not headers.get("Content-Type", "").startswith("text/html"):
        return problems
    if not csp:
        return [*problems, "an HTML response without Content-Security-Policy"]
    for unsafe in ("'unsafe-inline'", "'unsafe-eval'"):
        if unsafe in csp:
            problems.append(f"CSP allows {unsafe}")
    nonces = re.findall(r"'nonce-([^']+)'", csp)
    parser = _Scripts()
    parser.feed(_body(response))
    for script in parser.scripts:
        if (script.get("type") or "").lower() not in JAVASCRIPT_TYPES:
            continue
        src = script.get("src")
        if src:
            parts = urlsplit(src)
            if parts.scheme or parts.netloc:
                problems.append(f"script from another origin: {src}")
        elif not script.get("nonce") or script.get("nonce") not in nonces:
            problems.append(f"inline script without the response's nonce: {script}")
    return problems


@pytest.fixture
def operator(db: None) -> User:
    """The operator's superuser account: every admin page renders in full for it."""
    return UserFactory(
        username="operator", public_name="Operator", is_staff=True, is_superuser=True
    )


def _walk(client: Client, operator: User) -> tuple[int, list[str]]:
    paths = every_path({"object_id": str(operator.pk)})
    html = 0
    report: list[str] = []
    for site_path in paths:
        response = client.get(site_path.path)
        if response.status_code >= 500:
            report.append(f"{site_path.path} ({site_path.pattern}): HTTP {response.status_code}")
            continue
        html += response.headers.get("Content-Type", "").startswith("text/html")
        report += [
            f"{site_path.path} ({site_path.pattern}): {problem}"
            for problem in _problems(site_path.path, response)
        ]
    return html, report


def test_every_page_an_anonymous_visitor_opens_is_protected(operator: User) -> None:
    """Each URL pattern, requested without signing in: security headers on every
    response; on HTML, a CSP without unsafe-inline or unsafe-eval, and only same-origin
    or nonced scripts."""
    html, report = _walk(Client(raise_request_exception=False), operator)

    assert report == []
    assert html >= 3  # at least the home page, the admin login and the API docs


def test_every_page_an_operator_opens_is_protected(operator: User) -> None:
    """The same walk signed in as the operator, which reaches every admin page."""
    client = Client(raise_request_exception=False)
    sign_in(client, operator, mfa=True)  # the admin needs a second factor

    html, report = _walk(client, operator)

    assert report == []
    assert html >= 10  # the admin index, change lists and change forms among them


def test_the_walk_covers_the_admin_the_api_docs_and_the_home_page() -> None:
    """Guards the walker itself: the home page, the admin and the API docs, which every
    visitor and operator can reach, are among the patterns it walks."""
    names = {site_path.name for site_path in every_path()}

    assert {"pages:home", "admin:index", "admin:accounts_user_changelist", "api-docs"} <= names
    assert "api:root" in names
