"""The proposals cast as fixtures, for every folder (registered in tests/conftest.py):
the proposal tests, and the advisory, voting and page tests built on them."""

from __future__ import annotations

import pytest
from django.utils import timezone

from organisations.models import Organisation
from proposals import services
from proposals.models import Proposal
from tests.factories import (
    DecisionSpaceFactory,
    MembershipFactory,
    OrganisationEditorFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.proposals.conftest import COMPLETE, Cast, actor


@pytest.fixture
def cast(db: None) -> Cast:
    return build_cast()


def build_cast() -> Cast:
    """The cast, written to the database (for a folder whose own ``cast`` is another)."""
    space = DecisionSpaceFactory(slug="city")
    approved = {"status": Organisation.Status.APPROVED, "approved_at": timezone.now()}
    organisation = OrganisationFactory(slug="harbour-outreach", **approved)
    other = OrganisationFactory(slug="northside-housing", **approved)
    pending = OrganisationFactory(slug="pending-collective")
    olu = UserFactory(username="olu")
    ngozi = UserFactory(username="ngozi")
    marcus = UserFactory(username="marcus")
    dee = UserFactory(username="dee")
    pat = UserFactory(username="pat")
    OrganisationEditorFactory(organisation=organisation, user=olu)
    OrganisationEditorFactory(organisation=other, user=ngozi)
    OrganisationEditorFactory(organisation=pending, user=pat)
    MembershipFactory(space=space, user=marcus, role="board")
    MembershipFactory(space=space, user=dee, role="electorate")
    return Cast(space, organisation, other, pending, olu, ngozi, marcus, dee, pat)


@pytest.fixture
def draft(cast: Cast) -> Proposal:
    """Olu's organisation's draft, complete and ready to submit."""
    proposal = services.proposal_create_draft(
        actor=actor(cast.olu),
        space=cast.space,
        organisation=cast.organisation,
        title="Naloxone on the night bus",
    )
    services.proposal_update_draft(actor=actor(cast.olu), proposal=proposal, **COMPLETE)
    return proposal
