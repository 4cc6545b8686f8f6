"""The home page explains, in plain words, what Real Voice is and how a decision is made."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.pages.support import Page

pytestmark = pytest.mark.django_db

# Labels that reduce a person to their drug use, or judge it, in each language the site
# speaks. Person-first wording says "people who use drugs" / "personas que usan drogas".
STIGMATISING = {
    "en": ["addict", "junkie", "drug user", "abuser", "substance abuse", "clean"],
    "es": [
        r"\b(drog)?adict[oa]s?\b",  # "adicto", "drogadictas" (not "contradictorio")
        r"\btoxicóman[oa]s?\b",
        r"\byonquis?\b",
        r"\blimpi[oa]s?\b",  # as in "got clean"
        r"\babuso de (drogas|sustancias)\b",
    ],
}

# The pages written for people, in the site's layout (tests/pages/urls.py adds the errors).
PAGES = ["/", "/test/400/", "/test/403/", "/no-such-page/", "/test/500/"]


def test_the_home_page_explains_the_path_of_a_decision() -> None:
    """Proposal, then the advisory board of people who use or have used drugs, then the
    vote, then the open record, in that order."""
    response = Client().get("/")

    assert response.status_code == 200
    text = Page(response.content.decode()).text
    steps = ["A proposal.", "The advisory board.", "The vote.", "The open record."]
    positions = [text.index(step) for step in steps]
    assert positions == sorted(positions)
    assert "People who use drugs, or have used them" in text


@pytest.mark.urls("tests.pages.urls")
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("path", PAGES)
def test_the_pages_use_person_first_language(path: str, language: str) -> None:
    """No stigmatising labels for people, in English or in Spanish: "people who use
    drugs", never "addicts"; "personas que usan drogas", never "drogadictos"."""
    response = Client(raise_request_exception=False).get(path, HTTP_ACCEPT_LANGUAGE=language)
    assert response["Content-Language"] == language
    text = Page(response.content.decode()).text.lower()

    for label in STIGMATISING[language]:
        found = re.search(label, text) if language == "es" else label in text
        assert not found, label


def test_the_spanish_check_catches_the_labels_it_looks_for() -> None:
    """Guards the patterns themselves: each Spanish label is caught, and a word that merely
    contains one ("contradictorio", "limpieza") is not."""
    caught = "un adicto, drogadictas, toxicómanos, un yonqui, está limpia, abuso de sustancias"
    innocent = "es contradictorio; limpieza de jeringas"

    assert all(re.search(label, caught) for label in STIGMATISING["es"])
    assert not any(re.search(label, innocent) for label in STIGMATISING["es"])


def test_the_home_page_has_one_main_heading() -> None:
    page = Page(Client().get("/").content.decode())

    assert len(page.find_all("h1")) == 1
    assert page.find_all("h2")  # sections below it
