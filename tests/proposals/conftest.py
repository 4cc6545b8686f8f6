"""The cast for proposals: Olu edits for an approved organisation, Ngozi edits for
another one, Marcus sits on the board of the space, Dee is only a voter, Pat edits for an
organisation still pending approval."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from accounts.authority import Actor
from accounts.models import User
from organisations.models import Organisation
from proposals import services
from proposals.models import Proposal
from spaces.models import DecisionSpace
from tests.factories import (
    DecisionSpaceFactory,
    MembershipFactory,
    OrganisationEditorFactory,
    OrganisationFactory,
    UserFactory,
)

COMPLETE: dict[str, Any] = {
    "summary": "Peer workers hand out naloxone kits and show people how to use them.",
    "body": "## Plan\n\nTwo peer workers, four evenings a week.",
    "people_served": "People who use opioids in the city centre.",
    "spectrum_tags": ["safer_use", "health"],
    "wellbeing_outcomes": [
        {"outcome": "Fewer fatal overdoses", "measure": "Coroner figures, yearly"}
    ],
    "risks_and_harms": "Kits may run out; we keep a two-week reserve.",
    "cost": "12500.00",
    "review_date": "2027-06-30",
}


@pytest.fixture(autouse=True)
def _quick_password_hashing(settings: Any) -> None:
    """The cast's passwords are never checked here; hashing them slowly is wasted time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Cast:
    space: DecisionSpace
    organisation: Organisation
    other_organisation: Organisation
    pending_organisation: Organisation
    olu: User
    ngozi: User
    marcus: User
    dee: User
    pat: User


def actor(user: User) -> Actor:
    return Actor(user=user)


@pytest.fixture
def cast(db: None) -> Cast:
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
