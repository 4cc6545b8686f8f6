"""Every path that could skip or weaken the advisory gate, one test each: each is refused
with a clear message, and nothing changes (the proposal's state and version, the round,
its reviews, seats, thread and response, the history and the outbox).

tests/advisory/test_the_gate_in_the_database.py covers raw updates of an advisory review;
these extend it to the states before and after it and to the services' own paths."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.utils import timezone

from accounts.authority import Actor
from accounts.models import User
from advisory import services
from advisory.models import Answer, Message, Response, Review, Round, Seat
from core.clock import clock_set
from core.errors import Conflict, NotPermitted
from history.models import Event
from history.verification import verify
from notifications.models import Notification
from proposals import services as proposal_services
from proposals.models import Proposal, ProposalVersion
from spaces.models import LeaveOfAbsence, Membership, Rulebook
from spaces.services import rulebook_change
from tests.accounts.support import sign_in
from tests.advisory.conftest import Board, review
from tests.factories import MembershipFactory, OrganisationEditorFactory, UserFactory
from tests.proposals.conftest import COMPLETE, Cast, actor

PAST_THE_GATE = ["awaiting_vote", "voting", "adopted"]


@dataclass(frozen=True)
class Snapshot:
    """Everything a refused path must leave as it was."""

    proposals: list[tuple[Any, ...]]
    rounds: list[tuple[Any, ...]]
    reviews: list[tuple[Any, ...]]
    seats: list[tuple[Any, ...]]
    messages: int
    responses: int
    answers: int
    rulebooks: list[tuple[Any, ...]]
    events: int
    notifications: int

    @classmethod
    def take(cls) -> Snapshot:
        return cls(
            proposals=list(
                Proposal.objects.order_by("pk").values_list("pk", "state", "current_version_id")
            ),
            rounds=list(
                Round.objects.order_by("pk").values_list(
                    "pk", "version_id", "rulebook_id", "board_size", "closed_at", "outcome"
                )
            ),
            reviews=list(
                Review.objects.order_by("pk").values_list("pk", "user_id", "verdict", "rationale")
            ),
            seats=list(
                Seat.objects.order_by("pk").values_list(
                    "pk", "user_id", "recused_at", "recusal_reason"
                )
            ),
            messages=Message.objects.count(),
            responses=Response.objects.count(),
            answers=Answer.objects.count(),
            rulebooks=list(
                Rulebook.objects.order_by("pk").values_list(
                    "pk", "version", "advisory_quorum_num", "advisory_quorum_den", "consent_num"
                )
            ),
            events=Event.objects.count(),
            notifications=Notification.objects.count(),
        )


def refused(attempt: Callable[[], object], error: type[Exception], message: str) -> None:
    """``attempt`` raises ``error`` with ``message``, and nothing changes."""
    before = Snapshot.take()
    with pytest.raises(error, match=message), transaction.atomic():
        attempt()
    assert Snapshot.take() == before


def _raw(sql: str, params: list[Any]) -> Callable[[], None]:
    def run() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)

    return run


def _at(moment: datetime.datetime) -> Any:
    """The deadline is frozen by a trigger, so the services' database clock moves instead."""
    return clock_set(moment)


GATE = "advisory gate"


@pytest.fixture(autouse=True)
def _the_chain_verifies_after_each_path(db: None) -> Iterator[None]:
    yield
    result = verify()
    assert result.ok, str(result)


@pytest.fixture
def passed(board: Board, draft: Proposal, open_round: Round) -> Round:
    """The whole board endorses: passed, the proposal awaits its vote."""
    for who in board.members:
        review(who, open_round)
    open_round.refresh_from_db()
    draft.refresh_from_db()
    assert open_round.passed
    assert draft.state == "awaiting_vote"
    return open_round


@pytest.fixture
def not_passed(board: Board, draft: Proposal, open_round: Round) -> Round:
    for who in board.members:
        review(who, open_round, verdict="oppose")
    open_round.refresh_from_db()
    draft.refresh_from_db()
    assert open_round.outcome == "not_passed"
    assert draft.state == "revision"
    return open_round


# --- Raw updates past the gate, from the states before and after a review ---


@pytest.mark.parametrize("state", PAST_THE_GATE)
def test_a_draft_never_submitted_cannot_be_moved_past_the_gate(draft: Proposal, state: str) -> None:
    refused(
        _raw("UPDATE proposals_proposal SET state = %s WHERE id = %s", [state, draft.pk]),
        IntegrityError,
        GATE,
    )


@pytest.mark.parametrize("state", PAST_THE_GATE)
def test_a_proposal_sent_back_for_revision_cannot_be_moved_past_the_gate(
    draft: Proposal, not_passed: Round, state: str
) -> None:
    refused(
        _raw("UPDATE proposals_proposal SET state = %s WHERE id = %s", [state, draft.pk]),
        IntegrityError,
        GATE,
    )


def test_another_proposals_passed_version_opens_no_gate(
    cast: Cast, draft: Proposal, passed: Round
) -> None:
    other = proposal_services.proposal_create_draft(
        actor=actor(cast.olu), space=cast.space, organisation=cast.organisation, title="Another"
    )
    proposal_services.proposal_update_draft(actor=actor(cast.olu), proposal=other, **COMPLETE)
    proposal_services.proposal_submit(actor=actor(cast.olu), proposal=other)
    refused(
        _raw(
            "UPDATE proposals_proposal SET state = 'awaiting_vote', current_version_id = %s "
            "WHERE id = %s",
            [passed.version_id, other.pk],
        ),
        IntegrityError,
        GATE,
    )


# --- A change of text after a round passed ---


def test_the_text_cannot_be_edited_after_a_round_passed(
    cast: Cast, draft: Proposal, passed: Round
) -> None:
    refused(
        lambda: proposal_services.proposal_update_draft(
            actor=actor(cast.olu), proposal=draft, title="Quietly changed"
        ),
        Conflict,
        "only before a round has passed",
    )


def test_a_passed_proposal_cannot_be_resubmitted_for_a_new_round(
    cast: Cast, draft: Proposal, passed: Round
) -> None:
    refused(
        lambda: proposal_services.proposal_submit(actor=actor(cast.olu), proposal=draft),
        Conflict,
        "submitted only from draft",
    )


def test_the_current_version_cannot_be_moved_under_a_passed_proposal(
    cast: Cast, board: Board, draft: Proposal
) -> None:
    first = proposal_services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    proposal_services.proposal_update_draft(actor=actor(cast.olu), proposal=draft, title="v2")
    second = proposal_services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    second_round = Round.objects.get(version=second)
    for who in board.members:
        review(who, second_round)
    draft.refresh_from_db()
    assert draft.state == "awaiting_vote"

    # The passed second version swapped for the first, never reviewed to the end.
    refused(
        _raw(
            "UPDATE proposals_proposal SET current_version_id = %s WHERE id = %s",
            [first.pk, draft.pk],
        ),
        IntegrityError,
        GATE,
    )
    assert ProposalVersion.objects.filter(proposal=draft).count() == 2


# --- Reviews that must not count ---


def test_a_review_in_a_round_for_a_version_that_is_no_longer_current_is_refused(
    cast: Cast, board: Board, draft: Proposal
) -> None:
    first = proposal_services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    proposal_services.proposal_update_draft(actor=actor(cast.olu), proposal=draft, title="v2")
    proposal_services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    current = Round.objects.get(proposal=draft, closed_at__isnull=True)
    # The current version pointed back at the first by hand (still in review, so allowed):
    # the open round no longer reviews the current text.
    Proposal.objects.filter(pk=draft.pk).update(current_version=first)

    refused(lambda: review(board.marcus, current), Conflict, "earlier version")


@pytest.mark.parametrize(
    "who",
    ["someone not on the board", "a member who joined after opening"],
)
def test_a_review_by_someone_without_a_seat_is_refused(
    cast: Cast, open_round: Round, who: str
) -> None:
    if who == "someone not on the board":
        person: User = cast.dee
    else:
        person = MembershipFactory.create(
            space=cast.space, user=UserFactory.create(), role="board"
        ).user
    refused(lambda: review(person, open_round), NotPermitted, "when this round opened")


def test_a_review_by_a_member_now_on_leave_is_refused(board: Board, open_round: Round) -> None:
    LeaveOfAbsence.objects.create(
        membership=Membership.objects.get(user=board.ama, role="board"), started_at=timezone.now()
    )
    refused(lambda: review(board.ama, open_round), Conflict, "on leave")


def test_a_review_by_a_member_removed_from_the_board_is_refused(
    board: Board, open_round: Round
) -> None:
    Membership.objects.filter(user=board.ama, role="board").update(left_at=timezone.now())
    refused(lambda: review(board.ama, open_round), NotPermitted, "no longer on this space")


def test_a_second_review_row_is_refused_by_the_database(board: Board, open_round: Round) -> None:
    review(board.ama, open_round)
    refused(
        _raw(
            "INSERT INTO advisory_review (round_id, user_id, verdict, rationale, conditions, "
            "shown_as_advisory_member, created_at, updated_at) "
            "VALUES (%s, %s, 'oppose', 'Again', '[]', %s, %s, %s)",
            [open_round.pk, board.ama.pk, False, timezone.now(), timezone.now()],
        ),
        IntegrityError,
        "advisory_review",
    )


def test_the_database_refuses_a_review_row_for_someone_without_a_seat(
    cast: Cast, board: Board, open_round: Round
) -> None:
    # Written past the services, an outsider's "review" could make a quorum or be
    # published as the board's: the database refuses it.
    for outsider in (cast.dee, cast.ngozi):
        with pytest.raises(IntegrityError, match="seated on the board"), transaction.atomic():
            Review.objects.create(
                round=open_round, user=outsider, verdict="endorse", rationale="Yes"
            )
    assert not Review.objects.filter(round=open_round).exists()


# --- Closing ---


def test_a_round_does_not_close_early_without_every_answer(board: Board, open_round: Round) -> None:
    review(board.marcus, open_round)
    review(board.ama, open_round)
    before = Snapshot.take()

    with _at(open_round.deadline_at - datetime.timedelta(minutes=1)):
        assert services.round_close_if_due(round=open_round) is False
    with _at(open_round.deadline_at - datetime.timedelta(days=3)):
        assert services.rounds_sweep().closed == 0

    assert Snapshot.take() == before


def test_a_round_does_not_close_without_a_quorum(
    board: Board, draft: Proposal, open_round: Round
) -> None:
    review(board.marcus, open_round)
    before = Snapshot.take()

    with _at(open_round.deadline_at + datetime.timedelta(days=90)):
        assert services.round_close_if_due(round=open_round) is False

    after = Snapshot.take()
    assert (after.proposals, after.rounds, after.events) == (
        before.proposals,
        before.rounds,
        before.events,
    )


# --- The rules frozen onto the round ---


def test_a_rulebook_change_during_a_round_leaves_the_round_on_its_rules(
    cast: Cast, open_round: Round
) -> None:
    facilitator = MembershipFactory.create(
        space=cast.space, user=UserFactory.create(), role="facilitator"
    ).user
    frozen = open_round.rulebook_id
    rulebook_change(
        actor=Actor(user=facilitator, mfa=True, recently_authenticated=True),
        space=cast.space,
        advisory_quorum_num=1,
        advisory_quorum_den=3,
    )
    assert Round.objects.get(pk=open_round.pk).rulebook_id == frozen

    newest = Rulebook.objects.filter(space=cast.space).order_by("-version").first()
    assert newest is not None
    # Pointing the round at the new rules, or lowering its own rules in place, is refused.
    refused(
        _raw(
            "UPDATE advisory_round SET rulebook_id = %s WHERE id = %s",
            [newest.pk, open_round.pk],
        ),
        IntegrityError,
        "keeps what it froze",
    )
    refused(
        _raw(
            "UPDATE spaces_rulebook SET advisory_quorum_num = 1, advisory_quorum_den = 3 "
            "WHERE id = %s",
            [frozen],
        ),
        IntegrityError,
        "never changes",
    )


def test_a_rulebook_below_the_floors_is_refused(cast: Cast) -> None:
    current = Rulebook.objects.get(space=cast.space)
    refused(
        lambda: Rulebook.objects.create(
            space=cast.space,
            version=current.version + 1,
            advisory_quorum_num=1,
            advisory_quorum_den=4,
        ),
        IntegrityError,
        "floor",
    )
    refused(
        lambda: Rulebook.objects.create(
            space=cast.space, version=current.version + 1, consent_num=1, consent_den=2
        ),
        IntegrityError,
        "floor",
    )


# --- A withdrawn proposal ---


def test_nothing_changes_on_a_withdrawn_proposal(
    cast: Cast, board: Board, draft: Proposal, open_round: Round
) -> None:
    review(board.marcus, open_round)
    proposal_services.proposal_withdraw(actor=actor(cast.olu), proposal=draft, reason="Funded")

    refused(lambda: review(board.ama, open_round), Conflict, "closed")
    refused(lambda: review(board.marcus, open_round, verdict="oppose"), Conflict, "closed")
    refused(
        lambda: services.recusal_declare(actor=actor(board.ben), round=open_round),
        Conflict,
        "closed",
    )
    refused(
        lambda: services.message_post(actor=actor(board.ben), round=open_round, body="Why?"),
        Conflict,
        "withdrawn",
    )
    refused(
        lambda: services.response_publish(actor=actor(cast.olu), round=open_round, answers={}),
        Conflict,
        "withdrawn",
    )
    before = Snapshot.take()
    with _at(open_round.deadline_at + datetime.timedelta(days=1)):
        assert services.round_close_if_due(round=open_round) is False
        services.rounds_sweep()
    assert Snapshot.take() == before


def test_a_withdrawn_proposal_that_had_passed_gets_no_response(
    cast: Cast, draft: Proposal, passed: Round
) -> None:
    proposal_services.proposal_withdraw(actor=actor(cast.olu), proposal=draft, reason="Funded")
    refused(
        lambda: services.response_publish(actor=actor(cast.olu), round=passed, answers={}),
        Conflict,
        "withdrawn",
    )


# --- The admin ---

ADVISORY_MODELS = ["round", "seat", "review", "message", "response", "answer"]


@pytest.fixture
def staff(db: None) -> Client:
    """A superuser with a second factor: every permission Django knows."""
    person = UserFactory.create(username="sam", is_staff=True, is_superuser=True)
    return sign_in(Client(), person, mfa=True, reauthenticated=True)


@pytest.mark.parametrize("model", ADVISORY_MODELS)
def test_the_admin_offers_no_write_on_rounds_or_reviews(
    staff: Client, board: Board, passed: Round, model: str
) -> None:
    objects = {
        "round": passed,
        "seat": Seat.objects.filter(round=passed).first(),
        "review": Review.objects.filter(round=passed).first(),
    }
    before = Snapshot.take()

    assert staff.get(f"/admin/advisory/{model}/add/").status_code in (403, 404)
    add = staff.post(f"/admin/advisory/{model}/add/", {"round": passed.pk, "outcome": "passed"})
    assert add.status_code in (403, 404)
    target = objects.get(model)
    if target is not None:
        for action in ("change", "delete"):
            answer = staff.post(
                f"/admin/advisory/{model}/{target.pk}/{action}/",
                {"outcome": "not_passed", "verdict": "oppose", "post": "yes"},
            )
            assert answer.status_code in (403, 404)

    assert Snapshot.take() == before


def test_a_member_who_became_an_author_after_opening_cannot_review_their_own_proposal(
    cast: Cast, board: Board, open_round: Round
) -> None:
    # Ben joins the organisation's editors mid-round: he would be endorsing his own work.
    OrganisationEditorFactory.create(organisation=cast.organisation, user=board.ben)
    refused(lambda: review(board.ben, open_round), Conflict, "author")
    # Stepping aside is still open to him.
    services.recusal_declare(actor=actor(board.ben), round=open_round)
