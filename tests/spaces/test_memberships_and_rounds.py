"""Memberships start and end on the database clock, the clock a round freezes its board on;
and ending one says what it means for the rounds open now.

A web server whose clock runs ahead of or behind the database's must not decide who sits
on a round's board: a member added a moment before a submission is on its board, and one
removed (or who went on leave) a moment before is not. The server's clock is moved with
time-machine; the database's (PostgreSQL's ``realvoice_now()``) is not, so on
PostgreSQL these tests fail if a membership is stamped with the server's clock. On SQLite
the database clock is the server's, and they pass trivially.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db.models import F

from accounts.authority import Actor
from accounts.models import User
from advisory.models import Round
from core.clock import db_now
from proposals import services as proposal_services
from proposals.models import Proposal
from spaces import services
from spaces.models import Membership
from tests.factories import MembershipFactory, UserFactory
from tests.proposals.conftest import Cast, actor
from tests.proposals.fixtures import build_cast
from tests.spaces.test_permission_matrix import everything

# The server's clock this far ahead of the database's, or behind it.
SKEWS = [
    pytest.param(timedelta(hours=1), id="ahead"),
    pytest.param(-timedelta(hours=1), id="behind"),
]


@pytest.fixture
def cast(db: None) -> Cast:
    """The proposals cast, not this folder's: these tests follow a draft into its round."""
    return build_cast()


@pytest.fixture
def facilitator(cast: Cast) -> Actor:
    """rosa facilitates; the cast's memberships began a day ago, before any skew."""
    person = MembershipFactory(
        space=cast.space, user=UserFactory(username="rosa"), role="facilitator"
    ).user
    Membership.objects.update(joined_at=F("joined_at") - timedelta(days=1))
    return Actor(user=person, mfa=True, recently_authenticated=True)


def _board_of(proposal: Proposal) -> set[str]:
    opened = Round.objects.get(proposal=proposal)
    return {seat.user.username for seat in opened.seats.select_related("user")}


@pytest.mark.parametrize("skew", SKEWS)
def test_a_member_added_a_moment_before_a_submission_sits_on_its_board(
    cast: Cast,
    draft: Proposal,
    facilitator: Actor,
    skew: timedelta,
) -> None:
    kai = UserFactory(username="kai")
    with time_machine.travel(db_now() + skew, tick=True):
        services.membership_add(actor=facilitator, space=cast.space, user=kai, role="board")
        proposal_services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    assert _board_of(draft) == {"marcus", "kai"}


@pytest.mark.parametrize("skew", SKEWS)
def test_a_member_removed_a_moment_before_a_submission_has_no_seat(
    cast: Cast,
    draft: Proposal,
    facilitator: Actor,
    skew: timedelta,
) -> None:
    marcus_board = Membership.objects.get(space=cast.space, user=cast.marcus, role="board")
    with time_machine.travel(db_now() + skew, tick=True):
        services.membership_end(
            actor=facilitator, membership=marcus_board, reason="Moved away from Northside."
        )
        proposal_services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    assert _board_of(draft) == set()


@pytest.mark.parametrize("skew", SKEWS)
def test_a_member_who_went_on_leave_a_moment_before_a_submission_has_no_seat(
    cast: Cast,
    draft: Proposal,
    facilitator: Actor,
    skew: timedelta,
) -> None:
    marcus_board = Membership.objects.get(space=cast.space, user=cast.marcus, role="board")
    marcus: User = cast.marcus
    with time_machine.travel(db_now() + skew, tick=True):
        services.leave_start(actor=Actor(user=marcus), membership=marcus_board)
        proposal_services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    assert _board_of(draft) == set()


@pytest.mark.postgres
def test_membership_times_are_the_database_clocks(
    cast: Cast,
    facilitator: Actor,
) -> None:
    """Stamped with the database's time even when this server's clock is a day off."""
    kai = UserFactory(username="kai")
    before = db_now()
    with time_machine.travel(before + timedelta(days=1), tick=True):
        row = services.membership_add(actor=facilitator, space=cast.space, user=kai, role="board")
        services.leave_start(actor=facilitator, membership=row)
        services.leave_end(actor=facilitator, membership=row)
        services.membership_end(actor=facilitator, membership=row, reason="Stepped down.")
    row.refresh_from_db()
    leave = row.leaves.get()
    after = db_now()
    for moment in (row.joined_at, leave.started_at, leave.ended_at, row.left_at):
        assert moment is not None
        assert before <= moment <= after + timedelta(seconds=1)


# --- What an ending means for rounds open now ------------------------------------------------


def test_ending_a_board_membership_says_its_seats_in_open_rounds_stay(
    cast: Cast,
    draft: Proposal,
    facilitator: Actor,
) -> None:
    proposal_services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    membership = Membership.objects.get(user=cast.marcus, role="board")
    before = everything()

    preview = services.membership_end_preview(actor=facilitator, membership=membership)

    assert everything() == before
    name = cast.marcus.public_name
    assert (
        f"{name} has a seat in 1 review round open now. The round keeps the board it froze, "
        f"so the seat stays and counts toward its quorum, but {name} can no longer review "
        "there."
    ) in preview.changes
