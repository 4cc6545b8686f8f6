"""Submitting opens the advisory round for that version: the board and the rules are
frozen at opening, authors and co-signers on the board step aside automatically, and a
newer version supersedes a round still open."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from advisory.models import Round, Seat
from history.models import Event
from history.verification import verify
from proposals import services
from proposals.models import Proposal
from spaces.models import LeaveOfAbsence, Membership
from tests.factories import MembershipFactory, UserFactory
from tests.proposals.conftest import COMPLETE, Cast, actor


def test_submission_opens_one_round_bound_to_the_version_with_the_board_frozen(
    cast: Cast, draft: Proposal
) -> None:
    on_leave = MembershipFactory(space=cast.space, user=UserFactory(), role="board")
    LeaveOfAbsence.objects.create(membership=on_leave, started_at=timezone.now())
    MembershipFactory(space=cast.space, user=UserFactory(), role="board")

    version = services.proposal_submit(actor=actor(cast.olu), proposal=draft)

    opened = Round.objects.get(proposal=draft)
    assert opened.version == version
    assert opened.is_open
    assert opened.outcome == ""
    # Marcus and the newer member; the one on leave does not count.
    assert opened.board_size == 2
    assert Seat.objects.filter(round=opened).count() == 2
    assert opened.rulebook == cast.space.rulebooks.get()
    window = cast.space.rulebooks.get().review_window_days
    assert opened.deadline_at - opened.opened_at == timedelta(days=window)
    event = Event.objects.filter(kind="advisory.round_opened").get()
    assert event.subject_id == str(draft.pk)


def test_joining_the_board_after_opening_gives_no_seat(cast: Cast, draft: Proposal) -> None:
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    late = MembershipFactory(space=cast.space, user=UserFactory(), role="board")

    opened = Round.objects.get(proposal=draft)

    assert not opened.seats.filter(user=late.user).exists()
    assert opened.board_size == 1


def test_authors_and_cosigners_on_the_board_are_recused_automatically(cast: Cast) -> None:
    community = services.proposal_create_draft(
        actor=actor(cast.marcus), space=cast.space, title="A peer-run line for people alone"
    )
    services.proposal_update_draft(actor=actor(cast.marcus), proposal=community, **COMPLETE)
    cosigner = UserFactory(username="ines")
    MembershipFactory(space=cast.space, user=cosigner, role="board")
    services.proposal_cosign(actor=actor(cosigner), proposal=community)
    neutral = MembershipFactory(space=cast.space, user=UserFactory(), role="board").user

    services.proposal_submit(actor=actor(cast.marcus), proposal=community)

    seats = {seat.user_id: seat for seat in Round.objects.get(proposal=community).seats.all()}
    assert seats[cast.marcus.pk].recused_automatically
    assert seats[cosigner.pk].recused_automatically
    assert seats[cast.marcus.pk].recused_at is not None
    assert not seats[neutral.pk].recused_automatically
    assert seats[neutral.pk].recused_at is None


def test_a_new_version_supersedes_the_round_still_open(cast: Cast, draft: Proposal) -> None:
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    services.proposal_update_draft(actor=actor(cast.olu), proposal=draft, title="Naloxone aboard")
    second = services.proposal_submit(actor=actor(cast.olu), proposal=draft)

    rounds = list(Round.objects.filter(proposal=draft).order_by("opened_at", "pk"))
    assert [r.outcome for r in rounds] == ["superseded", ""]
    assert rounds[1].version == second
    assert Event.objects.filter(kind="advisory.round_closed").count() == 1
    assert verify().ok


def test_leaving_the_board_later_keeps_the_frozen_board(cast: Cast, draft: Proposal) -> None:
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    Membership.objects.filter(user=cast.marcus).update(left_at=timezone.now())

    opened = Round.objects.get(proposal=draft)

    assert opened.seats.filter(user=cast.marcus).exists()
    assert opened.board_size == 1


def test_withdrawing_ends_the_open_round_without_a_verdict(cast: Cast, draft: Proposal) -> None:
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    services.proposal_withdraw(actor=actor(cast.olu), proposal=draft, reason="Funded elsewhere")

    ended = Round.objects.get(proposal=draft)

    assert ended.outcome == Round.Outcome.WITHDRAWN
    assert ended.closed_at is not None
    assert verify().ok
