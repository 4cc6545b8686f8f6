"""The demo's advisory rounds show every situation a round can be in (open with sealed
reviews and a thread, overdue, passed with its response, not passed), through the
services only, and leave a decision history that verifies and reads forward in time."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from accounts.authority import Actor
from accounts.models import User
from advisory.models import Answer, Message, Response, Review, Round, Seat
from advisory.outcomes import review_message
from advisory.selectors import current_round, round_view
from advisory.services import review_give
from demo.advisory import NOT_PASSED, OWN_SEALED_REVIEW_LOGIN, PASSED, RECUSAL_REASON_LOGIN
from demo.proposals import COMMUNITY, SUBMITTED_ONCE, TWO_VERSIONS, WITHDRAWN
from history.models import Event
from history.verification import verify
from proposals.language import check_text
from proposals.models import Proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings: Any, capsys: pytest.CaptureFixture[str]) -> str:
    """Loads the demo and returns what it printed."""
    settings.DEBUG = True
    call_command("load_demo")
    return capsys.readouterr().out


def _round(title: str) -> Round:
    found = current_round(Proposal.objects.get(draft__title=title))
    assert found is not None
    return found


def _person(username: str) -> User:
    return User.objects.get(username=username)


def test_the_demo_has_a_round_in_every_situation(demo: str) -> None:
    rounds = {
        title: (_round(title).outcome or "open", _round(title).proposal.state)
        for title in (SUBMITTED_ONCE.title, COMMUNITY.title, PASSED.title, NOT_PASSED.title)
    }

    assert rounds == {
        SUBMITTED_ONCE.title: ("open", Proposal.State.ADVISORY_REVIEW),
        COMMUNITY.title: ("open", Proposal.State.ADVISORY_REVIEW),
        PASSED.title: (Round.Outcome.PASSED, Proposal.State.AWAITING_VOTE),
        NOT_PASSED.title: (Round.Outcome.NOT_PASSED, Proposal.State.REVISION),
    }
    machines = Proposal.objects.get(draft__title=TWO_VERSIONS.title)
    assert list(machines.rounds.order_by("version__number").values_list("outcome", flat=True)) == [
        Round.Outcome.SUPERSEDED,
        "",
    ]
    van = Proposal.objects.get(draft__title=WITHDRAWN.title)
    assert van.rounds.get().outcome == Round.Outcome.WITHDRAWN
    for title in (PASSED.title, NOT_PASSED.title):
        assert title in demo


def test_the_open_round_keeps_its_reviews_sealed_but_shows_its_thread(demo: str) -> None:
    buses = _round(SUBMITTED_ONCE.title)
    public = round_view(Actor.anonymous(), buses)
    own = round_view(Actor(user=_person(OWN_SEALED_REVIEW_LOGIN)), buses)

    assert not public.overdue
    assert not public.closing
    assert public.tally.answers == 2
    assert public.reviews == []
    assert public.own_review is None
    assert own.own_review is not None
    assert own.own_review.verdict == Review.Verdict.ENDORSE_WITH_CONDITIONS
    assert f"sign in as {OWN_SEALED_REVIEW_LOGIN!r}" in demo
    # A thread between the board and the authors, one post shown as "an advisory member".
    roles = [message.role for message in public.messages]
    assert len(roles) >= 4
    assert {Message.Role.AUTHOR, Message.Role.BOARD_MEMBER} <= set(roles)
    assert any(message.shown_as_advisory_member for message in public.messages)
    # The reviews' events wait for the close.
    assert not Event.objects.filter(
        kind="advisory.review_published", subject_id=str(buses.proposal_id)
    ).exists()


def test_the_recusal_is_public_and_its_reason_only_for_facilitators(demo: str) -> None:
    buses = _round(SUBMITTED_ONCE.title)
    declared = Seat.objects.get(round=buses, recused_at__isnull=False, recused_automatically=False)

    assert declared.recusal_reason
    public = round_view(Actor.anonymous(), buses)
    assert declared.pk in [seat.pk for seat in public.recusals]
    assert all(seat.recusal_reason == "" for seat in public.recusals)
    facilitator = round_view(
        Actor(user=_person(RECUSAL_REASON_LOGIN), mfa=True, recently_authenticated=True), buses
    )
    assert facilitator.show_recusal_reasons
    assert declared.recusal_reason in [seat.recusal_reason for seat in facilitator.recusals]


def test_the_overdue_round_is_past_its_deadline_without_quorum_until_board1_answers(
    demo: str,
) -> None:
    line = _round(COMMUNITY.title)
    view = round_view(Actor.anonymous(), line)

    assert view.overdue
    assert view.tally.answers == view.quorum_needed - 1
    assert line.overdue_reminder_sent_at is not None
    assert line.opened_at < line.deadline_at < line.overdue_reminder_sent_at
    assert line.messages.exists()

    # Four reviews at least (the demo's rulebook); half of the five seats left after the
    # authors' two recusals would be three.
    assert (view.quorum_needed, view.tally.seats_remaining) == (4, 5)

    # As the README says: board1's answer brings the quorum, and the round closes at once,
    # because the quorum came after the deadline (demo-board7 never answered).
    given = review_give(
        actor=Actor(user=_person("board1")),
        round=line,
        verdict=Review.Verdict.ENDORSE,
        rationale="Late, with apologies: I endorse it.",
    )
    line.refresh_from_db()
    assert line.outcome == Round.Outcome.PASSED
    assert given.round.close_reason == "quorum_after_deadline"
    message = review_message(given)
    assert "every member" not in message
    assert "past its deadline without a quorum; with this answer it has one" in message


def test_the_passed_round_has_every_answer_and_its_published_response(demo: str) -> None:
    housing = _round(PASSED.title)
    reviews = list(Review.objects.filter(round=housing))

    assert len(reviews) == housing.board_size == 7
    verdicts = [review.verdict for review in reviews]
    assert verdicts.count(Review.Verdict.ENDORSE_WITH_CONDITIONS) == 1
    assert verdicts.count(Review.Verdict.REQUEST_CHANGES) == 1
    assert verdicts.count(Review.Verdict.ABSTAIN) == 1
    with_conditions = next(
        review for review in reviews if review.verdict == Review.Verdict.ENDORSE_WITH_CONDITIONS
    )
    assert len(with_conditions.conditions) == 2
    # One review is shown as from "an advisory member": its event names nobody.
    assert sum(review.shown_as_advisory_member for review in reviews) == 1
    published = Event.objects.filter(
        kind="advisory.review_published", subject_id=str(housing.proposal_id)
    )
    assert published.count() == 7
    assert published.filter(actor_id="").count() == 1

    response = Response.objects.get(round=housing)
    decisions = sorted(
        (answer.condition_index, answer.decision, bool(answer.text))
        for answer in response.answers.all()
        if answer.condition_index is not None
    )
    assert decisions == [(0, Answer.Decision.ACCEPTED, True), (1, Answer.Decision.DECLINED, True)]
    request = response.answers.get(condition_index__isnull=True)
    assert request.decision == Answer.Decision.ANSWERED
    assert request.text
    assert Event.objects.filter(
        kind="advisory.response_published", subject_id=str(housing.proposal_id)
    ).exists()
    # The dissent travels as a minority report.
    assert len(round_view(Actor.anonymous(), housing).minority_report) == 1


def test_the_round_not_passed_had_a_dissenting_majority(demo: str) -> None:
    pharmacies = _round(NOT_PASSED.title)
    verdicts = list(Review.objects.filter(round=pharmacies).values_list("verdict", flat=True))
    dissent = [v for v in verdicts if v in (Review.Verdict.REQUEST_CHANGES, Review.Verdict.OPPOSE)]

    assert len(verdicts) == pharmacies.board_size
    assert Review.Verdict.OPPOSE in dissent
    assert Review.Verdict.REQUEST_CHANGES in dissent
    assert len(dissent) > len(verdicts) / 2
    assert not Response.objects.filter(round=pharmacies).exists()
    closed = Event.objects.get(kind="advisory.round_closed", subject_id=str(pharmacies.proposal_id))
    assert closed.content.data is not None


def test_the_history_verifies_and_reads_forward_in_time(demo: str) -> None:
    """The demo is loaded on a timeline (rounds opened weeks ago), in the order things
    happened: each event's time is no earlier than the one before it."""
    result = verify()

    assert result.ok, str(result)
    times = list(Event.objects.order_by("seq").values_list("occurred_at", flat=True))
    assert times == sorted(times)
    closes = Event.objects.filter(kind="advisory.round_closed")
    # Superseded, withdrawn, passed, not passed, and the five before demo.voting's votes.
    assert closes.count() == 9
    assert Event.objects.filter(kind="advisory.member_recused").count() == 1
    assert Event.objects.filter(kind="advisory.review_published").count() == 14 + 5 * 7


def test_the_demo_reviews_threads_and_response_use_person_first_language(demo: str) -> None:
    texts: list[str] = []
    for review in Review.objects.all():
        texts += [review.rationale, *review.conditions]
    texts += list(Message.objects.values_list("body", flat=True))
    texts += list(Answer.objects.values_list("text", flat=True))
    texts += list(Response.objects.values_list("statement", flat=True))
    texts += list(Seat.objects.values_list("recusal_reason", flat=True))

    for text in texts:
        assert check_text(text, "en") == [], text
