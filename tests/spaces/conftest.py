"""The fixed cast of a decision space, and the proofs each of them can bring.

rosa facilitates the Northside space; marcus sits on its board; dee is in its
electorate; olu edits for the Outreach Collective; sam is site staff; nobody has no role.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import pytest
import time_machine
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.authority import Actor
from accounts.models import User
from core.clock import clock_set
from organisations.models import Organisation
from spaces.models import DecisionSpace, Membership
from tests.accounts.support import sign_in as accounts_sign_in
from tests.factories import (
    DecisionSpaceFactory,
    MembershipFactory,
    OrganisationEditorFactory,
    OrganisationFactory,
    UserFactory,
)


@dataclass
class Cast:
    space: DecisionSpace
    other_space: DecisionSpace
    organisation: Organisation
    rosa: User  # facilitator
    marcus: User  # board member
    dee: User  # electorate
    olu: User  # organisation editor
    sam: User  # site staff
    newcomer: User  # no role anywhere
    marcus_board: Membership
    dee_vote: Membership


@pytest.fixture
def cast(db: None) -> Cast:
    space = DecisionSpaceFactory(name="Northside", slug="northside")
    other = DecisionSpaceFactory(name="Riverside", slug="riverside")
    rosa = UserFactory(username="rosa", public_name="Rosa")
    marcus = UserFactory(username="marcus", public_name="Marcus")
    dee = UserFactory(username="dee", public_name="Dee")
    olu = UserFactory(username="olu", public_name="Olu")
    sam = UserFactory(username="sam", public_name="Sam", is_staff=True)
    newcomer = UserFactory(username="newcomer", public_name="Newcomer")
    MembershipFactory(space=space, user=rosa, role="facilitator")
    board = MembershipFactory(
        space=space, user=marcus, role="board", lived_experience="Peer worker, 10 years."
    )
    vote = MembershipFactory(space=space, user=dee, role="electorate")
    organisation = OrganisationFactory(name="Outreach Collective", slug="outreach")
    OrganisationEditorFactory(organisation=organisation, user=olu)
    return Cast(
        space=space,
        other_space=other,
        organisation=organisation,
        rosa=rosa,
        marcus=marcus,
        dee=dee,
        olu=olu,
        sam=sam,
        newcomer=newcomer,
        marcus_board=board,
        dee_vote=vote,
    )


# The columns of every permission matrix: who acts, and with what proof.
ACTORS = (
    "anonymous",
    "member",
    "editor",
    "board",
    "facilitator_no_mfa",
    "facilitator_mfa",
    "staff_mfa",
    "facilitator_token",
)


def actor_for(cast: Cast, who: str) -> Actor:
    """The ``Actor`` a request would prove, built directly."""
    strong = {"mfa": True, "recently_authenticated": True}
    return {
        "anonymous": lambda: Actor.anonymous(),
        "member": lambda: Actor(user=cast.dee, **strong),
        "editor": lambda: Actor(user=cast.olu, **strong),
        "board": lambda: Actor(user=cast.marcus, **strong),
        "facilitator_no_mfa": lambda: Actor(user=cast.rosa, recently_authenticated=True),
        "facilitator_mfa": lambda: Actor(user=cast.rosa, **strong),
        "staff_mfa": lambda: Actor(user=cast.sam, **strong),
        "facilitator_token": lambda: Actor(user=cast.rosa, via_token=True),
    }[who]()


def sign_in(
    client: Client,
    user: User,
    *,
    mfa: bool,
    reauthenticated: bool = False,
    at: float | None = None,
) -> None:
    """A browser session as allauth leaves it after sign-in (see tests/accounts/support.py)."""
    accounts_sign_in(client, user, mfa=mfa, reauthenticated=reauthenticated, at=at)


def api_client_for(cast: Cast, who: str) -> APIClient:
    client = APIClient()
    user = {
        "member": cast.dee,
        "editor": cast.olu,
        "board": cast.marcus,
        "facilitator_no_mfa": cast.rosa,
        "facilitator_mfa": cast.rosa,
        "staff_mfa": cast.sam,
        "facilitator_token": cast.rosa,
    }.get(who)
    if user is None:
        return client
    if who == "facilitator_token":
        _row, token = AuthToken.objects.create(user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return client
    sign_in(client, user, mfa=who != "facilitator_no_mfa")
    return client


@contextmanager
def travel(moment: datetime) -> Iterator[None]:
    """Move the whole clock, the database's included, to ``moment`` (frozen there).

    time-machine moves only this process's clock; memberships are stamped with the
    database's (``db_now``), which ``clock_set`` moves."""
    with time_machine.travel(moment, tick=False), clock_set(moment):
        yield
