"""The main navigation: decision spaces and organisations for everyone, the staff's
review and create pages for site staff only, in English and Spanish."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from tests.accounts.support import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_restored() -> Iterator[None]:
    """Requests here ask for Spanish; the next test starts in the default language again."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def nav_links(client: Client, path: str = "/", language: str = "en") -> dict[str, str]:
    """The main navigation's links, as {address: link text}."""
    html = client.get(path, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S)
    assert nav is not None
    return {
        href: " ".join(text.split())
        for href, text in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', nav.group(0), re.S)
    }


def test_everyone_finds_the_spaces_and_the_organisations() -> None:
    links = nav_links(Client())

    assert links["/spaces/"] == "Spaces"
    assert links["/organisations/"] == "Organisations"
    assert "/organisations/review/" not in links
    assert "/spaces/new/" not in links


def test_a_signed_in_person_without_staff_status_sees_no_staff_links() -> None:
    client = sign_in(Client(), UserFactory(username="alice", public_name="Alice"))

    links = nav_links(client)

    assert {"/spaces/", "/organisations/"} <= set(links)
    assert "/organisations/review/" not in links
    assert "/spaces/new/" not in links


def test_site_staff_also_find_the_review_and_create_pages() -> None:
    client = sign_in(Client(), UserFactory(username="sam", public_name="Sam", is_staff=True))

    links = nav_links(client)

    assert links["/organisations/review/"] == "Review organisations"
    assert links["/spaces/new/"] == "Create a space"


def test_the_navigation_is_in_spanish_too() -> None:
    client = sign_in(Client(), UserFactory(username="sam", public_name="Sam", is_staff=True))

    links = nav_links(client, language="es")

    assert links["/spaces/"] == "Espacios"
    assert links["/organisations/"] == "Organizaciones"
    assert links["/organisations/review/"] == "Revisar organizaciones"
    assert links["/spaces/new/"] == "Crear un espacio"


def test_the_current_section_is_marked_in_the_navigation() -> None:
    html = Client().get("/spaces/").content.decode()

    assert '<a href="/spaces/" aria-current="page">' in html


def test_the_spaces_list_offers_creating_a_space_to_site_staff_only() -> None:
    staff = sign_in(Client(), UserFactory(username="sam", public_name="Sam", is_staff=True))
    member = sign_in(Client(), UserFactory(username="alice", public_name="Alice"))

    def main(client: Client) -> str:
        html = client.get("/spaces/").content.decode()
        return html[html.index("<main") :]

    assert 'href="/spaces/new/"' in main(staff)
    assert 'href="/spaces/new/"' not in main(member)
    assert 'href="/spaces/new/"' not in main(Client())
