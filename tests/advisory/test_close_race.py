"""Twenty processes race the deadline of one round: each gives its review while they all
try to close the round, through ``round_close_if_due`` and through the sweep. The round
closes once, with one outcome, the proposal moves once, and every review either got in
before the close (and is published by it) or was refused with a Conflict.

PostgreSQL only: the guard is row locks (``select_for_update``) and a guarded
``UPDATE … WHERE closed_at IS NULL`` between concurrent transactions; SQLite serialises
every writer and has no row locks, so there is no race to test there.

The deadline is frozen by a trigger, so the children move the clock instead: their
``advisory.services.base.db_now`` is the database clock shifted so that the round's
deadline passes the moment ``CROSS_AFTER`` of the racers' reviews are stored
(``RaceClock``).

With the guard removed this test fails (observed on PostgreSQL 15, 2026-11-26, in a
scratch copy of the repository; advisory/services.py itself was never edited):
  - both ``select_for_update`` in ``_lock`` and ``closed_at__isnull=True`` in
    ``_close_if_due``'s update removed (failed 9 runs of 9): 17 or 18 of the 20
    processes ended in IntegrityError "an advisory round keeps what it froze at
    opening, and never changes once closed": every closer (and every review crossing
    the deadline) read the round open, computed an outcome and overwrote the close;
    only the database trigger stopped a second close, rolling back those processes'
    reviews with it. The round was left not passed with 11 to 14 opposing reviews
    where the locked run always has exactly 10.
  - only the two locks removed (failed 6 runs of 6): no errors, but 19 of the 20
    racers' reviews were stored while the close published 4 to 6 fewer: "N stored
    reviews were never published" (reviews committed after the close had read them),
    and the outcome flipped from passed to not passed.
  - only the ``closed_at IS NULL`` condition removed (locks kept, 4 runs): the test
    passes. Under the row locks ``_close_if_due`` re-reads the round and returns early
    if it is already closed, so the condition on the update is a second line, as is
    the trigger.
"""

from __future__ import annotations

import datetime
import multiprocessing
import time
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from accounts.authority import Actor
from accounts.models import User
from advisory import services
from advisory.arithmetic import Tally
from advisory.models import Review, Round
from core.clock import db_now as database_now
from core.errors import Conflict
from history.chain import decode_data
from history.models import Event
from history.verification import verify
from organisations.models import Organisation
from proposals import services as proposal_services
from proposals.models import Proposal
from tests.concurrency import run_at_barrier
from tests.factories import (
    DecisionSpaceFactory,
    MembershipFactory,
    OrganisationEditorFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.proposals.conftest import COMPLETE

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="needs PostgreSQL (DATABASE_URL=postgres://…): the race is between row locks "
        "of concurrent transactions, and SQLite has neither (it serialises every writer)",
    ),
    pytest.mark.django_db(transaction=True),
]

RACERS = 20
# Board of 42: the default quorum (1/2, at least) is 21 answers, given before the race;
# the 20 racers never complete the board, so only the deadline closes the round.
BOARD = 42
QUORUM = 21
# The deadline passes once this many racers' reviews are stored (see RaceClock).
CROSS_AFTER = 10


class RaceClock:
    """``db_now`` for the children: the database clock, shifted so that the round's
    deadline is an hour away until ``CROSS_AFTER`` of the racers' reviews are stored, and
    passes at that moment. A clock driven by the race's progress, not by seconds, puts
    the deadline in the middle of the race whatever the machine's pace; the moment of
    crossing is shared between the forked processes, so they all read one clock."""

    def __init__(self, opened: Round) -> None:
        self.round_id = opened.pk
        self.deadline = opened.deadline_at
        self.base = database_now()
        self.crossed = multiprocessing.get_context("fork").Value("d", 0.0)

    def __call__(self) -> datetime.datetime:
        now = database_now()
        if not self.crossed.value:
            # In a review's transaction this counts its own review too.
            if Review.objects.filter(round_id=self.round_id).count() < QUORUM + CROSS_AFTER:
                return now + (self.deadline - datetime.timedelta(hours=1) - self.base)
            with self.crossed.get_lock():
                if not self.crossed.value:
                    self.crossed.value = now.timestamp()
        crossed = datetime.datetime.fromtimestamp(self.crossed.value, tz=datetime.UTC)
        return now + (self.deadline - crossed)


def _open_round_with_a_large_board() -> tuple[Round, list[User]]:
    space = DecisionSpaceFactory.create(slug="race")
    organisation = OrganisationFactory.create(
        slug="race-outreach", status=Organisation.Status.APPROVED, approved_at=timezone.now()
    )
    author = UserFactory.create(username="race-author")
    OrganisationEditorFactory.create(organisation=organisation, user=author)
    # Seated: members before the submission.
    board = [
        MembershipFactory.create(
            space=space, user=UserFactory.create(username=f"seat{n:02}"), role="board"
        ).user
        for n in range(BOARD)
    ]
    proposal = proposal_services.proposal_create_draft(
        actor=Actor(author), space=space, organisation=organisation, title="Drug checking"
    )
    proposal_services.proposal_update_draft(actor=Actor(author), proposal=proposal, **COMPLETE)
    proposal_services.proposal_submit(actor=Actor(author), proposal=proposal)
    opened = Round.objects.get(proposal=proposal)
    assert opened.board_size == BOARD
    return opened, board


def _close(index: int, opened: Round) -> int:
    """One closing attempt, alternating the direct call and the sweep; 1 if it closed."""
    if index % 2:
        report = services.rounds_sweep()
        if getattr(report, "failed", 0):
            # The sweep logs and counts a round it could not handle, and goes on.
            raise RuntimeError("The sweep failed on the round; its error is in the log.")
        return report.closed
    return int(services.round_close_if_due(round=opened))


def test_twenty_reviews_racing_the_deadline_and_the_closers_close_the_round_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened, board = _open_round_with_a_large_board()
    early, racers = board[:QUORUM], board[QUORUM : QUORUM + RACERS]
    for member in early:
        services.review_give(actor=Actor(member), round=opened, verdict="endorse", rationale="Yes")
    opened.refresh_from_db()
    assert opened.closed_at is None  # quorum met, but the deadline is two weeks away
    # Inherited by the forked children; the parent calls no service from here on.
    monkeypatch.setattr(services.base, "db_now", RaceClock(opened))

    def race(index: int) -> dict[str, Any]:
        closes = 0
        if index % 3 == 0:  # a third try to close before reviewing, all of them after
            closes += _close(index, opened)
        try:
            services.review_give(
                actor=Actor(racers[index]), round=opened, verdict="oppose", rationale="No"
            )
            review = "stored"
        except Conflict as refused:
            review = f"refused: {refused.message}"
        give_up = time.monotonic() + 30
        while time.monotonic() < give_up:
            closes += _close(index, opened)
            if Round.objects.filter(pk=opened.pk, closed_at__isnull=False).exists():
                break
            time.sleep(0.01)
        return {"review": review, "closes": closes}

    outcomes = run_at_barrier(RACERS, race)

    errors = [value for _, status, value in outcomes if status != "ok"]
    assert errors == [], "\n".join(errors)
    results = [value for _, _, value in outcomes]
    closed = Round.objects.get(pk=opened.pk)
    proposal = Proposal.objects.get(pk=opened.proposal_id)

    # Closed once, with one outcome, and at most one closer (the others, or a review that
    # crossed the deadline, found it closed).
    assert closed.closed_at is not None
    assert closed.outcome in (Round.Outcome.PASSED, Round.Outcome.NOT_PASSED)
    assert sum(result["closes"] for result in results) <= 1
    subject = {"subject_type": "proposals.proposal", "subject_id": str(proposal.pk)}
    close_events = list(Event.objects.filter(kind="advisory.round_closed", **subject))
    assert len(close_events) == 1
    close_event = close_events[0]

    # Each racer's review is stored exactly when it was not refused, and only with a
    # Conflict saying the round is closed or closing.
    stored = {
        racer.pk
        for racer, result in zip(racers, results, strict=True)
        if result["review"] == "stored"
    }
    refused = [result["review"] for result in results if result["review"] != "stored"]
    assert (
        set(Review.objects.filter(round=closed, user__in=racers).values_list("user", flat=True))
        == stored
    )
    assert len(stored) + len(refused) == RACERS
    assert all("clos" in message for message in refused), refused

    # Every stored review was in before the close: the close published each one, before
    # its own event, and counted exactly the stored reviews; none was written after it.
    reviews = list(Review.objects.filter(round=closed).select_related("user"))
    assert len(reviews) == QUORUM + len(stored)
    published = list(Event.objects.filter(kind="advisory.review_published", **subject))
    unpublished = {str(review.user.public_id) for review in reviews} - {
        event.actor_id for event in published
    }
    assert not unpublished, f"{len(unpublished)} stored reviews were never published"
    assert len(published) == len(reviews)
    assert all(event.seq < close_event.seq for event in published)
    assert all(review.updated_at <= close_event.occurred_at for review in reviews)
    data = decode_data(close_event.content.data)
    assert data is not None
    assert (data["endorse"], data["oppose"], data["outcome"]) == (
        QUORUM,
        len(stored),
        closed.outcome,
    )

    # Under the locks the review that makes CROSS_AFTER sees the deadline pass in its own
    # transaction and closes the round with it; every later one waited and found it closed.
    assert len(stored) == CROSS_AFTER

    # One resulting state, the one the stored reviews decide.
    tally = Tally(board_size=BOARD, endorse=QUORUM, oppose=len(stored))
    passed = tally.consent_given(closed.rulebook.consent_threshold)
    assert closed.passed is passed
    assert proposal.state == (Proposal.State.AWAITING_VOTE if passed else Proposal.State.REVISION)

    result = verify()
    assert result.ok, result
    print(f"race: {len(stored)} reviews in before the close, {len(refused)} refused")
