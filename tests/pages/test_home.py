"""The home page explains, in plain words, what Real Voice is and how a decision is made."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.pages.support import Page

pytestmark = pytest.mark.django_db


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


def test_the_home_page_uses_person_first_language() -> None:
    """No stigmatising labels for people: "people who use drugs", never "addicts"."""
    text = Page(Client().get("/").content.decode()).text.lower()

    for label in ("addict", "junkie", "drug user", "abuser", "substance abuse", "clean"):
        assert label not in text, label


def test_the_home_page_has_one_main_heading() -> None:
    page = Page(Client().get("/").content.decode())

    assert len(page.find_all("h1")) == 1
    assert page.find_all("h2")  # sections below it
