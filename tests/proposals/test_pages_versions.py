"""Each submitted version has its own read-only page with its full content hash, and any
two versions can be compared field by field, with removed and added words marked for
sight and for screen readers."""

from __future__ import annotations

import pytest
from django.test import Client

from proposals import services
from proposals.models import Proposal
from tests.pages.support import Page
from tests.proposals.conftest import Cast, actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def revised(cast: Cast, draft: Proposal) -> Proposal:
    """Version 1, then version 2 with a changed title and body."""
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    # Stands in for the advisory round, which sends a proposal back for revision.
    Proposal.objects.filter(pk=draft.pk).update(state=Proposal.State.REVISION)
    services.proposal_update_draft(
        actor=actor(cast.olu),
        proposal=draft,
        title="Naloxone on the day bus",
        body="## Plan\n\nThree peer workers, four evenings a week.",
    )
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    draft.refresh_from_db()
    return draft


def _url(pk: int, rest: str) -> str:
    return f"/spaces/city/proposals/{pk}/{rest}"


def test_a_version_page_shows_that_version_and_its_full_hash(revised: Proposal) -> None:
    first = revised.versions.get(number=1)

    response = Client().get(_url(revised.pk, "versions/1/"))

    assert response.status_code == 200
    text = Page(response.content.decode()).text
    assert "Naloxone on the night bus" in text
    assert "Two peer workers" in text
    assert "Three peer workers" not in text
    assert first.content_hash in text
    assert "The current version is 2." in text
    assert Client().get(_url(revised.pk, "versions/3/")).status_code == 404


def test_the_proposal_page_lists_versions_with_short_hashes_and_diff_links(
    revised: Proposal,
) -> None:
    page = Page(Client().get(_url(revised.pk, "")).content.decode())

    links = {attrs["href"] for attrs in page.find_all("a")}
    assert {_url(revised.pk, "versions/1/"), _url(revised.pk, "versions/2/")} <= links
    assert _url(revised.pk, "diff/?from=1&to=2") in links
    second = revised.versions.get(number=2)
    code = page.find("code", title=second.content_hash)
    assert code is not None
    assert second.content_hash[:12] in page.text
    current = page.find("li", aria_current="step")
    assert current["class"] == "step step-current"


def test_the_diff_shows_removed_and_added_words_with_hidden_labels(revised: Proposal) -> None:
    response = Client().get(_url(revised.pk, "diff/"))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<del><span class="visually-hidden">removed: </span>night </del>' in html
    assert '<ins><span class="visually-hidden">added: </span>day </ins>' in html
    assert '<del><span class="visually-hidden">removed: </span>Two </del>' in html
    assert '<ins><span class="visually-hidden">added: </span>Three </ins>' in html
    text = Page(html).text
    assert "Legend:" in text
    assert "Plain-language summary unchanged" in text
    assert "Title changed" in text


def test_any_two_versions_can_be_chosen_in_the_form(revised: Proposal) -> None:
    page = Page(Client().get(_url(revised.pk, "diff/?from=2&to=1")).content.decode())

    assert page.find("label", **{"for": "diff-from"}) is not None
    assert page.find("label", **{"for": "diff-to"}) is not None
    assert "From version 2 to version 1." in page.text
    same = Page(Client().get(_url(revised.pk, "diff/?from=2&to=2")).content.decode())
    assert "You chose the same version twice." in same.text


def test_bad_version_numbers_give_a_clear_400_and_missing_ones_a_404(revised: Proposal) -> None:
    bad = Client().get(_url(revised.pk, "diff/?from=one&to=2"))
    assert bad.status_code == 400
    assert "Choose the versions to compare by their numbers" in Page(bad.content.decode()).text
    assert Client().get(_url(revised.pk, "diff/?from=0&to=2")).status_code == 400
    assert Client().get(_url(revised.pk, "diff/?from=1&to=9")).status_code == 404
    huge = "9" * 25  # beyond any database integer: still a plain "not found"
    assert Client().get(_url(revised.pk, f"diff/?from=1&to={huge}")).status_code == 404
    assert Client().get(_url(revised.pk, f"versions/{huge}/")).status_code == 404


def test_a_proposal_with_one_version_has_nothing_to_compare(cast: Cast, draft: Proposal) -> None:
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)

    response = Client().get(_url(draft.pk, "diff/"))

    assert response.status_code == 200
    assert "There is only one version so far" in Page(response.content.decode()).text
