"""An organisation's proposals in every space, grouped by state: its editors see its
private drafts too, everyone else only what was submitted."""

from __future__ import annotations

import pytest
from django.test import Client

from proposals import services
from proposals.models import Proposal
from tests.accounts.support import sign_in
from tests.factories import DecisionSpaceFactory
from tests.pages.support import Page
from tests.proposals.conftest import COMPLETE, Cast, actor

pytestmark = pytest.mark.django_db

DASHBOARD = "/organisations/harbour-outreach/proposals/"


@pytest.fixture
def two_spaces(cast: Cast, draft: Proposal) -> Proposal:
    """The draft stays private in the city; a proposal in another space is submitted."""
    elsewhere = DecisionSpaceFactory(slug="riverside", name="Riverside")
    proposal = services.proposal_create_draft(
        actor=actor(cast.olu), space=elsewhere, organisation=cast.organisation, title="Drop-in"
    )
    services.proposal_update_draft(actor=actor(cast.olu), proposal=proposal, **COMPLETE)
    services.proposal_submit(actor=actor(cast.olu), proposal=proposal)
    return proposal


def test_everyone_sees_the_submitted_proposals_in_every_space_grouped_by_state(
    cast: Cast, two_spaces: Proposal
) -> None:
    response = Client().get(DASHBOARD)

    assert response.status_code == 200
    page = Page(response.content.decode())
    assert "In advisory review" in page.text
    assert "Drop-in" in page.text
    assert "Riverside" in page.text
    assert "Naloxone on the night bus" not in page.text
    assert page.find("a", href=f"/spaces/riverside/proposals/{two_spaces.pk}/") is not None
    assert page.find("h2", id="state-advisory_review") is not None
    assert page.find_all("h2", id="state-draft") == []


def test_editors_also_see_their_drafts(cast: Cast, two_spaces: Proposal, draft: Proposal) -> None:
    page = Page(sign_in(Client(), cast.olu).get(DASHBOARD).content.decode())

    assert "Naloxone on the night bus" in page.text
    assert "Drop-in" in page.text
    assert page.find("h2", id="state-draft") is not None
    assert "As an editor you also see the organisation's private drafts." in page.text
    other = Page(sign_in(Client(), cast.ngozi).get(DASHBOARD).content.decode())
    assert "Naloxone on the night bus" not in other.text


def test_a_pending_organisation_has_no_public_dashboard(cast: Cast) -> None:
    assert Client().get("/organisations/pending-collective/proposals/").status_code == 404
    assert (
        sign_in(Client(), cast.pat).get("/organisations/pending-collective/proposals/").status_code
        == 200
    )
    assert Client().get("/organisations/nobody/proposals/").status_code == 404


def test_the_organisation_and_space_pages_link_to_the_proposals(cast: Cast) -> None:
    organisation = Page(Client().get("/organisations/harbour-outreach/").content.decode())
    space = Page(Client().get("/spaces/city/").content.decode())

    assert organisation.find("a", href=DASHBOARD) is not None
    assert space.find("a", href="/spaces/city/proposals/") is not None
