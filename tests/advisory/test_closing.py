"""Closing a round: early once the whole board has answered, at the deadline with a
quorum (by the sweep), never without a quorum; the sealed reviews become public events
only at the close; the sweep is safe to run twice; and each notification goes to the
people who should act on it, once."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any
from unittest.mock import patch

import pytest
from django.test import Client
from django.urls import reverse

from accounts.authority import Actor
from advisory import services
from advisory.models import Review, Round
from advisory.selectors import round_view
from advisory.tasks import sweep_rounds
from core.clock import clock_set
from core.errors import Conflict
from history.chain import decode_data
from history.models import Event
from history.services import actor_reference
from history.verification import verify
from notifications.models import Notification
from proposals import services as proposal_services
from proposals.models import Proposal
from tests.advisory.conftest import Board, review
from tests.factories import MembershipFactory, UserFactory
from tests.proposals.conftest import COMPLETE, Cast, actor

MINUTE = datetime.timedelta(minutes=1)


def _at(moment: datetime.datetime) -> Any:
    """The deadline is frozen by a trigger, so the services' database clock moves instead."""
    return clock_set(moment)


def _notified(kind: str) -> list[str]:
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


def _data(event: Event) -> dict[str, Any]:
    data = decode_data(event.content.data)
    assert data is not None
    return data


def _state(proposal: Proposal) -> str:
    proposal.refresh_from_db()
    return proposal.state


@pytest.fixture(autouse=True)
def _the_chain_verifies_after_each_scenario(db: None) -> Iterator[None]:
    yield
    result = verify()
    assert result.ok, str(result)


# --- Early close ---


@pytest.mark.parametrize(
    ("verdicts", "outcome", "state"),
    [
        (["endorse", "endorse", "oppose"], Round.Outcome.PASSED, "awaiting_vote"),
        (["endorse", "request_changes", "oppose"], Round.Outcome.NOT_PASSED, "revision"),
        (["abstain", "abstain", "abstain"], Round.Outcome.NOT_PASSED, "revision"),
    ],
    ids=["2 of 3 in favour: passed", "1 of 3 in favour: back for revision", "all abstain"],
)
def test_the_round_closes_as_soon_as_the_whole_board_has_answered(
    board: Board, draft: Proposal, open_round: Round, verdicts: list[str], outcome: str, state: str
) -> None:
    for who, verdict in zip(board.members[:2], verdicts[:2], strict=True):
        review(who, open_round, verdict=verdict)
    assert Round.objects.get(pk=open_round.pk).is_open

    review(board.ben, open_round, verdict=verdicts[2])

    open_round.refresh_from_db()
    assert open_round.outcome == outcome
    assert open_round.closed_at is not None
    assert _state(draft) == state
    closed = Event.objects.get(kind="advisory.round_closed")
    assert _data(closed)["closed_because"] == "all_answered"


def test_reviews_become_public_events_only_at_the_close_and_then_the_close_itself(
    board: Board, open_round: Round
) -> None:
    before = Event.objects.order_by("-seq").first()
    assert before is not None
    review(board.marcus, open_round, verdict="endorse")
    review(
        board.ama,
        open_round,
        verdict="endorse_with_conditions",
        conditions=["Kits are checked weekly"],
        shown_as_advisory_member=True,
    )
    # Sealed: two reviews given, nothing in the public chain.
    assert Event.objects.filter(seq__gt=before.seq).count() == 0

    review(board.ben, open_round, verdict="oppose")

    appended = list(Event.objects.filter(seq__gt=before.seq).order_by("seq"))
    assert [event.kind for event in appended] == [
        "advisory.review_published",
        "advisory.review_published",
        "advisory.review_published",
        "advisory.round_closed",
    ]
    marcus_event, ama_event, ben_event = appended[:3]
    assert marcus_event.actor_id == actor_reference(board.marcus)
    assert ben_event.actor_id == actor_reference(board.ben)
    # Shown as from "an advisory member": the role is kept, the person is not.
    assert ama_event.actor_id == ""
    assert ama_event.actor_role == "board_member"
    assert _data(ama_event)["verdict"] == "endorse_with_conditions"
    assert actor_reference(board.ama) not in str(_data(ama_event))


# --- At the deadline, with and without a quorum ---


def test_past_the_deadline_with_a_quorum_the_sweep_closes_the_round(
    board: Board, draft: Proposal, open_round: Round
) -> None:
    review(board.marcus, open_round)
    review(board.ama, open_round)
    with _at(open_round.deadline_at - MINUTE):
        assert services.rounds_sweep().closed == 0
    assert Round.objects.get(pk=open_round.pk).is_open

    with _at(open_round.deadline_at + MINUTE):
        assert sweep_rounds() == {"closed": 1, "reminded": 0}

    open_round.refresh_from_db()
    assert open_round.outcome == Round.Outcome.PASSED
    assert _state(draft) == "awaiting_vote"
    assert Event.objects.filter(kind="advisory.review_published").count() == 2


def test_a_review_after_the_deadline_with_a_quorum_is_refused_as_closing(
    board: Board, open_round: Round
) -> None:
    review(board.marcus, open_round)
    review(board.ama, open_round, verdict="oppose")
    events = Event.objects.count()

    with _at(open_round.deadline_at + MINUTE):
        with pytest.raises(Conflict, match="closing"):
            review(board.ben, open_round)
        with pytest.raises(Conflict, match="closing"):
            review(board.ama, open_round, verdict="endorse")
        with pytest.raises(Conflict, match="closing"):
            services.recusal_declare(actor=actor(board.ben), round=open_round)

    assert not Review.objects.filter(round=open_round, user=board.ben).exists()
    assert Review.objects.get(round=open_round, user=board.ama).verdict == "oppose"
    assert Event.objects.count() == events


def test_past_the_deadline_with_a_quorum_the_review_pages_refuse_on_the_services_clock(
    board: Board, open_round: Round
) -> None:
    """The pages judge the deadline on the clock the services use (the database's), so a
    page never offers a form the service would refuse, nor refuses one it would take."""
    review(board.marcus, open_round)
    review(board.ama, open_round, verdict="oppose")
    proposal = open_round.proposal
    address = {"space_slug": proposal.space.slug, "pk": proposal.pk, "version": 1}
    client = Client()
    client.force_login(board.ben)

    with _at(open_round.deadline_at + MINUTE):
        pages = [
            client.get(reverse(name, kwargs=address))
            for name in ("advisory:review", "advisory:recuse")
        ]

    for page in pages:
        assert page.status_code == 409
        assert "this round is closing" in page.content.decode()


def test_without_a_quorum_the_round_stays_open_and_overdue_and_the_proposal_stays(
    board: Board, draft: Proposal, open_round: Round
) -> None:
    review(board.marcus, open_round, verdict="oppose")
    late = open_round.deadline_at + datetime.timedelta(days=30)

    with _at(late):
        assert services.rounds_sweep().closed == 0
        assert not services.round_close_if_due(round=open_round)

    open_round.refresh_from_db()
    assert open_round.is_open
    assert _state(draft) == "advisory_review"
    view = round_view(Actor.anonymous(), open_round, now=late)
    assert view.overdue
    assert not view.closing
    assert view.reviews == []  # still sealed


def test_an_overdue_round_closes_the_moment_a_review_brings_the_quorum(
    board: Board, draft: Proposal, open_round: Round
) -> None:
    review(board.marcus, open_round, verdict="request_changes")
    with _at(open_round.deadline_at + datetime.timedelta(days=10)):
        services.rounds_sweep()
        review(board.ama, open_round, verdict="oppose")

    open_round.refresh_from_db()
    assert open_round.outcome == Round.Outcome.NOT_PASSED
    assert _state(draft) == "revision"
    closed = Event.objects.get(kind="advisory.round_closed")
    # Not at its deadline, when it had no quorum: the quorum came after it.
    assert _data(closed)["closed_because"] == "quorum_after_deadline"


def test_recusals_alone_never_close_a_round_nor_move_the_proposal(
    board: Board, draft: Proposal, open_round: Round
) -> None:
    for who in board.members:
        services.recusal_declare(actor=actor(who), round=open_round)
    with _at(open_round.deadline_at + datetime.timedelta(days=60)):
        services.rounds_sweep()

    open_round.refresh_from_db()
    assert open_round.is_open
    assert _state(draft) == "advisory_review"


def test_running_the_sweep_twice_closes_once_and_notifies_once(
    board: Board, open_round: Round
) -> None:
    review(board.marcus, open_round)
    review(board.ama, open_round)
    with _at(open_round.deadline_at + MINUTE):
        first = services.rounds_sweep()
        second = services.rounds_sweep()
        assert not services.round_close_if_due(round=open_round)

    assert (first.closed, second.closed) == (1, 0)
    assert Event.objects.filter(kind="advisory.round_closed").count() == 1
    assert Event.objects.filter(kind="advisory.review_published").count() == 2
    assert _notified("advisory.round_closed") == ["olu"]


# --- Notifications ---


def test_opening_notifies_the_seated_board_but_not_those_recused_or_on_no_seat(
    cast: Cast, board: Board, draft: Proposal
) -> None:
    proposal_services.proposal_cosign(actor=actor(board.ama), proposal=draft)
    proposal_services.proposal_submit(actor=actor(cast.olu), proposal=draft)

    # Ama co-signs, so she is recused automatically; Olu is an author, not on the board.
    assert _notified("advisory.round_opened") == ["ben", "marcus"]


def test_the_deadline_reminder_goes_once_to_seated_members_who_have_not_answered(
    board: Board, open_round: Round
) -> None:
    review(board.marcus, open_round)
    services.recusal_declare(actor=actor(board.ben), round=open_round, reason="I work there")

    with _at(open_round.deadline_at - datetime.timedelta(hours=49)):
        assert services.rounds_sweep().reminded == 0
    assert _notified("advisory.deadline_near") == []

    with _at(open_round.deadline_at - datetime.timedelta(hours=47)):
        assert services.rounds_sweep().reminded == 1
    with _at(open_round.deadline_at - datetime.timedelta(hours=1)):
        assert services.rounds_sweep().reminded == 0
        assert services.round_remind_if_due(round=open_round) == ""

    assert _notified("advisory.deadline_near") == ["ama"]


def test_the_overdue_reminder_goes_to_the_board_and_facilitators_and_again_after_a_week(
    cast: Cast, board: Board, open_round: Round
) -> None:
    MembershipFactory.create(
        space=cast.space, user=UserFactory.create(username="fola"), role="facilitator"
    )
    review(board.marcus, open_round)
    # Ben stepped aside: he is not asked again.
    services.recusal_declare(actor=actor(board.ben), round=open_round)
    overdue = open_round.deadline_at + MINUTE

    with _at(overdue):
        assert services.rounds_sweep().reminded == 1
    assert _notified("advisory.round_overdue") == ["ama", "fola", "marcus"]

    with _at(overdue + datetime.timedelta(days=6)):
        assert services.rounds_sweep().reminded == 0
    assert Notification.objects.filter(kind="advisory.round_overdue").count() == 3

    with _at(overdue + datetime.timedelta(days=7)):
        assert services.rounds_sweep().reminded == 1
    assert Notification.objects.filter(kind="advisory.round_overdue").count() == 6
    assert Round.objects.get(pk=open_round.pk).is_open


def test_no_reminder_for_a_closed_round(board: Board, open_round: Round) -> None:
    for who in board.members:
        review(who, open_round)
    with _at(open_round.deadline_at + MINUTE):
        assert services.rounds_sweep().reminded == 0
        assert services.round_remind_if_due(round=open_round) == ""
    assert _notified("advisory.round_overdue") == []
    assert _notified("advisory.deadline_near") == []


def test_the_close_notifies_the_authors(cast: Cast, board: Board, open_round: Round) -> None:
    for who in board.members:
        review(who, open_round)
    assert _notified("advisory.round_closed") == ["olu"]


def test_the_response_notifies_the_board(cast: Cast, board: Board, open_round: Round) -> None:
    for who in board.members:
        review(who, open_round)
    services.response_publish(actor=actor(cast.olu), round=open_round, answers={})

    assert _notified("advisory.response_published") == ["ama", "ben", "marcus"]


def test_a_round_past_its_deadline_with_a_quorum_is_closing_not_overdue(
    board: Board, open_round: Round
) -> None:
    review(board.marcus, open_round)
    review(board.ama, open_round)
    # Called on its own (the sweep would close it first): no "overdue" reminder is due.
    with _at(open_round.deadline_at + MINUTE):
        assert services.round_remind_if_due(round=open_round) == ""
    assert _notified("advisory.round_overdue") == []
    assert Round.objects.get(pk=open_round.pk).overdue_reminder_sent_at is None


def test_one_round_that_fails_to_close_does_not_stop_the_sweep(
    cast: Cast, board: Board, draft: Proposal, open_round: Round
) -> None:
    other = proposal_services.proposal_create_draft(
        actor=actor(cast.olu), space=cast.space, organisation=cast.organisation, title="Another"
    )
    proposal_services.proposal_update_draft(actor=actor(cast.olu), proposal=other, **COMPLETE)
    proposal_services.proposal_submit(actor=actor(cast.olu), proposal=other)
    second = Round.objects.get(proposal=other)
    for in_round in (open_round, second):
        review(board.marcus, in_round)
        review(board.ama, in_round)
    close = services.round_close_if_due

    def failing_for_the_first(*, round: Round) -> bool:
        if round.pk == open_round.pk:
            raise RuntimeError("lost the database connection")
        return close(round=round)

    latest = max(open_round.deadline_at, second.deadline_at) + MINUTE
    with _at(latest), patch.object(services.sweep, "round_close_if_due", failing_for_the_first):
        report = services.rounds_sweep()

    assert report.closed == 1
    assert Round.objects.get(pk=open_round.pk).is_open
    assert Round.objects.get(pk=second.pk).passed
    # The next sweep closes the one that failed.
    with _at(latest):
        assert services.rounds_sweep().closed == 1
    assert Round.objects.get(pk=open_round.pk).passed
