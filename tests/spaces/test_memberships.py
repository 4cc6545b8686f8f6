"""Memberships are periods, never deleted: the board and electorate at any past moment can
be reconstructed, and a board member on leave does not count toward a quorum."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction

from accounts.authority import Actor
from core.errors import Conflict, NotPermitted
from history.models import Event
from spaces import selectors, services
from spaces.models import LeaveOfAbsence, Membership
from tests.factories import UserFactory
from tests.history.events import event_data, event_text
from tests.spaces.conftest import Cast, actor_for, travel

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_removing_and_re_adding_a_member_keeps_both_periods(cast: Cast) -> None:
    facilitator = actor_for(cast, "facilitator_mfa")
    with travel(MONDAY):
        first = services.membership_add(
            actor=facilitator, space=cast.space, user=cast.newcomer, role="board"
        )
    with travel(MONDAY + timedelta(days=10)):
        services.membership_end(actor=facilitator, membership=first, reason="Moved away.")
    with travel(MONDAY + timedelta(days=20)):
        second = services.membership_add(
            actor=facilitator, space=cast.space, user=cast.newcomer, role="board"
        )

    rows = Membership.objects.filter(user=cast.newcomer).order_by("joined_at")
    assert [(row.pk, row.left_at is None) for row in rows] == [(first.pk, False), (second.pk, True)]

    def board_at(days: int) -> bool:
        moment = MONDAY + timedelta(days=days)
        return cast.newcomer in selectors.members_at(space=cast.space, role="board", moment=moment)

    assert [board_at(day) for day in (-1, 0, 5, 10, 15, 20, 30)] == [
        False,
        True,
        True,
        False,
        False,
        True,
        True,
    ]


def test_the_database_allows_one_open_membership_per_person_and_role(cast: Cast) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(space=cast.space, user=cast.dee, role="electorate")


def test_the_database_refuses_a_membership_that_ends_before_it_starts(cast: Cast) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(pk=cast.dee_vote.pk).update(
            left_at=cast.dee_vote.joined_at - timedelta(seconds=1)
        )


def test_the_database_refuses_a_lived_experience_note_outside_the_board(cast: Cast) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(pk=cast.dee_vote.pk).update(lived_experience="private")


def test_the_database_allows_one_open_leave_per_membership(cast: Cast) -> None:
    LeaveOfAbsence.objects.create(membership=cast.marcus_board)
    with pytest.raises(IntegrityError), transaction.atomic():
        LeaveOfAbsence.objects.create(membership=cast.marcus_board)


def test_a_board_member_on_leave_does_not_count_toward_the_quorum(cast: Cast) -> None:
    extra = UserFactory()
    with travel(MONDAY):
        services.membership_add(
            actor=actor_for(cast, "facilitator_mfa"), space=cast.space, user=extra, role="board"
        )
        board = Membership.objects.get(user=extra, role="board")
    Membership.objects.filter(pk=cast.marcus_board.pk).update(joined_at=MONDAY)
    with travel(MONDAY + timedelta(days=3)):
        services.leave_start(actor=actor_for(cast, "board"), membership=cast.marcus_board)
    with travel(MONDAY + timedelta(days=6)):
        services.leave_end(actor=actor_for(cast, "facilitator_mfa"), membership=cast.marcus_board)

    def size(days: int) -> int:
        return selectors.board_size_for_quorum(
            space=cast.space, moment=MONDAY + timedelta(days=days)
        )

    assert [size(1), size(4), size(7)] == [2, 1, 2]
    assert board.is_open


def test_a_board_member_cannot_start_a_leave_for_someone_else(cast: Cast) -> None:
    other = UserFactory()
    membership = Membership.objects.create(space=cast.space, user=other, role="board")

    with pytest.raises(NotPermitted):
        services.leave_start(actor=actor_for(cast, "board"), membership=membership)

    assert not LeaveOfAbsence.objects.exists()


def test_ending_a_membership_needs_a_recent_sign_in(cast: Cast) -> None:
    stale = Actor(user=cast.rosa, mfa=True, recently_authenticated=False)

    with pytest.raises(NotPermitted, match=r"Confirm it is you again \(sign in again\)"):
        services.membership_end(actor=stale, membership=cast.dee_vote)

    cast.dee_vote.refresh_from_db()
    assert cast.dee_vote.left_at is None


def test_the_last_facilitator_cannot_be_removed(cast: Cast) -> None:
    own = Membership.objects.get(user=cast.rosa, role="facilitator")

    with pytest.raises(Conflict, match="at least one facilitator"):
        services.membership_end(actor=actor_for(cast, "facilitator_mfa"), membership=own)


def test_the_lived_experience_note_never_reaches_the_history(cast: Cast) -> None:
    services.membership_add(
        actor=actor_for(cast, "facilitator_mfa"),
        space=cast.space,
        user=cast.newcomer,
        role="board",
        lived_experience="Used opioids for twelve years.",
    )
    services.leave_start(actor=actor_for(cast, "board"), membership=cast.marcus_board)
    services.membership_end(
        actor=actor_for(cast, "facilitator_mfa"), membership=cast.marcus_board, reason="Moved away."
    )

    for event in Event.objects.select_related("content"):
        data = event_text(event)
        assert "twelve years" not in data
        assert "Peer worker" not in data
    assert Event.objects.filter(kind__startswith="membership.").count() == 3


def test_membership_events_name_people_by_their_opaque_id(cast: Cast) -> None:
    services.membership_add(
        actor=actor_for(cast, "facilitator_mfa"),
        space=cast.space,
        user=cast.newcomer,
        role="electorate",
    )

    event = Event.objects.get(kind="membership.added")
    data = event_data(event)
    assert data["member"] == str(cast.newcomer.public_id)
    assert event.actor_id == str(cast.rosa.public_id)
    assert "newcomer" not in event_text(event)


def test_a_departing_person_leaves_every_space_organisation_and_leave(cast: Cast) -> None:
    from organisations.models import OrganisationEditor

    Membership.objects.create(space=cast.other_space, user=cast.marcus, role="electorate")
    OrganisationEditor.objects.create(organisation=cast.organisation, user=cast.marcus)
    LeaveOfAbsence.objects.create(membership=cast.marcus_board)

    ended = services.memberships_end_for_departing_person(user=cast.marcus)

    assert ended == 3
    assert not Membership.objects.filter(user=cast.marcus, left_at__isnull=True).exists()
    assert not OrganisationEditor.objects.filter(user=cast.marcus, left_at__isnull=True).exists()
    assert not LeaveOfAbsence.objects.filter(ended_at__isnull=True).exists()
    assert Membership.objects.filter(user=cast.marcus).count() == 2  # kept, not deleted


def test_deleting_an_account_ends_its_memberships_in_the_same_transaction(cast: Cast) -> None:
    """accounts.services.account_delete sends account_deleted inside its transaction."""
    from accounts.models import User
    from accounts.signals import account_deleted

    account_deleted.send(sender=User, user=cast.marcus, actor=None)
    account_deleted.send(sender=User, user=cast.marcus, actor=None)  # twice: no harm

    assert not Membership.objects.filter(user=cast.marcus, left_at__isnull=True).exists()
    assert Event.objects.filter(kind="membership.ended").count() == 1


def test_ending_a_membership_blanks_its_lived_experience_note(cast: Cast) -> None:
    services.membership_end(
        actor=actor_for(cast, "facilitator_mfa"), membership=cast.marcus_board, reason="Moved away."
    )

    cast.marcus_board.refresh_from_db()
    assert cast.marcus_board.left_at is not None
    assert cast.marcus_board.lived_experience == ""


def test_a_departing_person_leaves_no_private_note_or_message_behind(cast: Cast) -> None:
    from spaces.models import JoinRequest

    ended = Membership.objects.create(
        space=cast.other_space, user=cast.marcus, role="board", lived_experience="Old note."
    )
    Membership.objects.filter(pk=ended.pk).update(left_at=ended.joined_at + timedelta(days=1))
    services.join_request_create(
        actor=Actor(user=cast.marcus), space=cast.other_space, role="electorate", message="Hi"
    )
    answered = JoinRequest.objects.create(
        space=cast.space, user=cast.marcus, role="electorate", message="Earlier, answered."
    )
    services.join_request_decline(actor=actor_for(cast, "facilitator_mfa"), join_request=answered)

    services.memberships_end_for_departing_person(user=cast.marcus)

    assert set(
        Membership.objects.filter(user=cast.marcus).values_list("lived_experience", flat=True)
    ) == {""}
    assert set(JoinRequest.objects.filter(user=cast.marcus).values_list("message", flat=True)) == {
        ""
    }


def test_a_departing_persons_waiting_requests_are_each_declined_in_the_history(
    cast: Cast,
) -> None:
    from spaces.models import JoinRequest

    for space, role in ((cast.other_space, "electorate"), (cast.other_space, "board")):
        services.join_request_create(
            actor=Actor(user=cast.dee), space=space, role=role, message="Private words"
        )

    services.memberships_end_for_departing_person(user=cast.dee)

    requests = JoinRequest.objects.filter(user=cast.dee).order_by("pk")
    assert [request.status for request in requests] == ["declined", "declined"]
    events = Event.objects.filter(kind="join_request.declined").select_related("content")
    assert len(events) == 2
    for event in events:
        assert event.actor_role == "system"
        assert event.actor_id in ("", None)
        data = event_data(event)
        assert data["space"] == "riverside"
        assert "Private words" not in event_text(event)
    assert {event_data(e)["role"] for e in events} == {"electorate", "board"}
