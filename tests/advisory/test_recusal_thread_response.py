"""Stepping aside, the round's public thread, and the authors' response to a passed round:
who may do each, when, and what the public record keeps."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from accounts.authority import Actor
from advisory import selectors, services
from advisory.models import Answer, Message, Response, Review, Round, Seat
from core.errors import Conflict, NotPermitted
from core.text import NOTE_MAX_LENGTH
from history.chain import decode_data
from history.models import Event
from history.services import actor_reference
from history.verification import verify
from notifications.models import Notification
from proposals import services as proposal_services
from proposals.models import Proposal
from tests.accounts.support import sign_in
from tests.advisory.conftest import Board, review
from tests.pages.support import Page
from tests.proposals.api_support import client_for, url
from tests.proposals.conftest import COMPLETE, Cast, actor


def _data(event: Event) -> dict[str, Any]:
    data = decode_data(event.content.data)
    assert data is not None
    return data


@pytest.fixture(autouse=True)
def _the_chain_verifies_after_each_scenario(db: None) -> Iterator[None]:
    yield
    result = verify()
    assert result.ok, str(result)


# --- Recusal ---


def test_a_recusal_is_public_and_its_reason_is_kept_out_of_the_record(
    board: Board, open_round: Round
) -> None:
    seat = services.recusal_declare(
        actor=actor(board.ben), round=open_round, reason="  My partner runs the service  "
    ).seat

    assert seat.recused_at is not None
    assert not seat.recused_automatically
    assert Seat.objects.get(pk=seat.pk).recusal_reason == "My partner runs the service"
    event = Event.objects.get(kind="advisory.member_recused")
    assert event.actor_id == actor_reference(board.ben)
    assert "partner" not in str(_data(event))
    assert "reason" not in _data(event)


def test_a_member_who_has_reviewed_changes_the_review_instead_of_recusing(
    board: Board, open_round: Round
) -> None:
    review(board.ben, open_round)
    events = Event.objects.count()

    with pytest.raises(Conflict, match="already reviewed"):
        services.recusal_declare(actor=actor(board.ben), round=open_round, reason="Second thoughts")

    seat = Seat.objects.get(round=open_round, user=board.ben)
    assert (seat.recused_at, seat.recusal_reason) == (None, "")
    assert Event.objects.count() == events


def test_a_recusal_is_final_for_the_round(board: Board, open_round: Round) -> None:
    services.recusal_declare(actor=actor(board.ben), round=open_round)
    recused_at = Seat.objects.get(round=open_round, user=board.ben).recused_at

    with pytest.raises(Conflict, match="stepped aside"):
        services.recusal_declare(actor=actor(board.ben), round=open_round, reason="Again")
    with pytest.raises(Conflict, match="stepped aside"):
        review(board.ben, open_round)

    assert Seat.objects.get(round=open_round, user=board.ben).recused_at == recused_at
    assert Event.objects.filter(kind="advisory.member_recused").count() == 1
    assert not Review.objects.filter(user=board.ben).exists()


def test_someone_without_a_seat_cannot_recuse(cast: Cast, open_round: Round) -> None:
    with pytest.raises(NotPermitted):
        services.recusal_declare(actor=actor(cast.dee), round=open_round)
    assert not Event.objects.filter(kind="advisory.member_recused").exists()


def test_a_recusal_that_completes_the_board_closes_the_round(
    board: Board, draft: Proposal, open_round: Round
) -> None:
    review(board.marcus, open_round)
    review(board.ama, open_round)
    services.recusal_declare(actor=actor(board.ben), round=open_round)

    open_round.refresh_from_db()
    assert open_round.outcome == Round.Outcome.PASSED
    draft.refresh_from_db()
    assert draft.state == "awaiting_vote"


def test_a_recusal_reason_must_be_plain_text_of_reasonable_length(
    board: Board, open_round: Round
) -> None:
    for reason in ["x" * 2_001, "bad\x00byte"]:
        with pytest.raises(services.ReviewInvalid) as refused:
            services.recusal_declare(actor=actor(board.ben), round=open_round, reason=reason)
        assert "reason" in refused.value.fields
    assert Seat.objects.get(round=open_round, user=board.ben).recused_at is None


def test_an_over_long_recusal_reason_is_refused_on_its_field_by_the_page_and_the_api(
    board: Board, open_round: Round
) -> None:
    too_long = "x" * (NOTE_MAX_LENGTH + 1)
    proposal, number = open_round.proposal, open_round.version.number
    page = sign_in(Client(), board.ben).post(
        reverse("advisory:recuse", args=[proposal.space.slug, proposal.pk, number]),
        {"reason": too_long},
    )
    api = client_for(board.ben).post(
        url(proposal, f"rounds/{number}/recusal/"),
        {"reason": too_long},
        format="json",
    )

    assert page.status_code == 400
    assert Page(page.content.decode()).find_all("textarea", name="reason", aria_invalid="true")
    assert api.status_code == 400
    assert list(api.json()["error"]["fields"]) == ["reason"]
    assert Seat.objects.get(round=open_round, user=board.ben).recused_at is None
    assert not Event.objects.filter(kind="advisory.member_recused").exists()


# --- The thread ---


def _post(
    who: Any, in_round: Round, body: str = "How will kits be restocked?", **kw: Any
) -> Message:
    return services.message_post(actor=actor(who), round=in_round, body=body, **kw)


def test_the_board_the_authors_and_the_co_signers_post_in_the_thread(
    cast: Cast, board: Board, draft: Proposal
) -> None:
    proposal_services.proposal_cosign(actor=actor(cast.ngozi), proposal=draft)
    proposal_services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    in_round = Round.objects.get(proposal=draft)

    by_board = _post(board.marcus, in_round)
    by_author = _post(cast.olu, in_round, "Weekly, from the pharmacy.")
    by_cosigner = _post(cast.ngozi, in_round, "We can share our stock.")

    assert [m.role for m in (by_board, by_author, by_cosigner)] == [
        "board_member",
        "author",
        "author",
    ]
    events = list(Event.objects.filter(kind="advisory.message_posted").order_by("seq"))
    assert [event.actor_id for event in events] == [
        actor_reference(board.marcus),
        actor_reference(cast.olu),
        actor_reference(cast.ngozi),
    ]
    assert [event.actor_role for event in events] == ["board_member", "editor", "editor"]
    assert _data(events[1])["body"] == "Weekly, from the pharmacy."


def test_a_board_member_who_co_signs_posts_as_an_author_in_the_board_role(
    cast: Cast, board: Board, draft: Proposal
) -> None:
    proposal_services.proposal_cosign(actor=actor(board.ama), proposal=draft)
    proposal_services.proposal_submit(actor=actor(cast.olu), proposal=draft)

    message = _post(board.ama, Round.objects.get(proposal=draft))

    assert message.role == "author"
    # Ama speaks for the proposal, but she is a board member, not an organisation's editor.
    assert Event.objects.get(kind="advisory.message_posted").actor_role == "board_member"


@pytest.mark.parametrize("who", ["dee", "pat", "nobody"])
def test_others_cannot_post_in_the_thread(cast: Cast, open_round: Round, who: str) -> None:
    poster = Actor.anonymous() if who == "nobody" else actor(getattr(cast, who))
    with pytest.raises(NotPermitted):
        services.message_post(actor=poster, round=open_round, body="Let me in")
    assert not Message.objects.exists()
    assert not Event.objects.filter(kind="advisory.message_posted").exists()


def test_no_posts_once_the_proposal_is_withdrawn(
    cast: Cast, board: Board, draft: Proposal, open_round: Round
) -> None:
    proposal_services.proposal_withdraw(actor=actor(cast.olu), proposal=draft, reason="Funded")
    for who in (board.marcus, cast.olu):
        with pytest.raises(Conflict, match="withdrawn"):
            _post(who, open_round)
    assert not Message.objects.exists()


def test_only_a_board_member_who_is_not_an_author_posts_as_an_advisory_member(
    cast: Cast, board: Board, draft: Proposal
) -> None:
    proposal_services.proposal_cosign(actor=actor(board.ama), proposal=draft)
    proposal_services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    in_round = Round.objects.get(proposal=draft)

    hidden = _post(board.marcus, in_round, shown_as_advisory_member=True)
    assert hidden.shown_as_advisory_member
    event = Event.objects.get(kind="advisory.message_posted")
    assert event.actor_id == ""
    assert event.actor_role == "board_member"

    for who in (cast.olu, board.ama):  # an author; a board member who co-signs
        with pytest.raises(services.ReviewInvalid) as refused:
            _post(who, in_round, shown_as_advisory_member=True)
        assert "shown_as_advisory_member" in refused.value.fields
    assert Message.objects.count() == 1


def test_an_empty_or_oversized_message_is_refused(board: Board, open_round: Round) -> None:
    for body in ["   ", "x" * 5_001]:
        with pytest.raises(services.ReviewInvalid):
            _post(board.marcus, open_round, body)
    assert not Message.objects.exists()


# --- The response ---


@pytest.fixture
def passed_round(board: Board, open_round: Round) -> Round:
    """Marcus endorses with two conditions, Ama endorses, Ben requests changes: 2 of 3."""
    review(
        board.marcus,
        open_round,
        verdict="endorse_with_conditions",
        conditions=["Kits are checked weekly", "Peer workers are paid"],
    )
    review(board.ama, open_round)
    review(board.ben, open_round, verdict="request_changes", rationale="Add night hours.")
    open_round.refresh_from_db()
    assert open_round.outcome == Round.Outcome.PASSED
    return open_round


def _keys(in_round: Round) -> list[str]:
    return [item.key for item in selectors.items_to_answer(in_round)]


def _complete(in_round: Round) -> dict[str, dict[str, str]]:
    first, second, request = _keys(in_round)
    return {
        first: {"decision": "accepted"},
        second: {"decision": "declined", "text": "Volunteers by their own choice."},
        request: {"text": "Night hours from the next quarter."},
    }


def _respond(who: Any, in_round: Round, answers: dict[str, dict[str, str]]) -> Response:
    return services.response_publish(
        actor=actor(who), round=in_round, answers=answers, statement="Thank you."
    ).response


def test_the_authors_answer_every_condition_and_request_once(
    cast: Cast, draft: Proposal, passed_round: Round
) -> None:
    assert not selectors.response_published(draft)

    response = _respond(cast.olu, passed_round, _complete(passed_round))

    assert selectors.response_published(draft)
    answers = list(Answer.objects.filter(response=response).order_by("pk"))
    assert [(a.condition_index, a.decision) for a in answers] == [
        (0, "accepted"),
        (1, "declined"),
        (None, "answered"),
    ]
    event = Event.objects.get(kind="advisory.response_published")
    assert event.actor_id == actor_reference(cast.olu)
    assert [item["decision"] for item in _data(event)["answers"]] == [
        "accepted",
        "declined",
        "answered",
    ]

    with pytest.raises(Conflict, match="already published"):
        _respond(cast.olu, passed_round, _complete(passed_round))
    assert Response.objects.count() == 1
    assert Event.objects.filter(kind="advisory.response_published").count() == 1


@pytest.mark.parametrize("who", ["marcus", "ngozi", "dee"])
def test_only_the_authors_respond(cast: Cast, passed_round: Round, who: str) -> None:
    with pytest.raises(NotPermitted):
        _respond(getattr(cast, who), passed_round, _complete(passed_round))
    assert not Response.objects.exists()


def _broken(in_round: Round, how: str) -> dict[str, dict[str, str]]:
    answers = _complete(in_round)
    first, second, request = _keys(in_round)
    if how == "a condition left unanswered":
        del answers[first]
    elif how == "a condition neither accepted nor declined":
        answers[first] = {"decision": "maybe", "text": "We will see."}
    elif how == "declined without reasons":
        answers[second] = {"decision": "declined", "text": "  "}
    elif how == "a request for changes left unanswered":
        answers[request] = {"text": ""}
    elif how == "an unknown key":
        answers["999-c0"] = {"decision": "accepted"}
    return answers


@pytest.mark.parametrize(
    "how",
    [
        "a condition left unanswered",
        "a condition neither accepted nor declined",
        "declined without reasons",
        "a request for changes left unanswered",
        "an unknown key",
    ],
)
def test_an_incomplete_response_is_refused_whole(
    cast: Cast, draft: Proposal, passed_round: Round, how: str
) -> None:
    events = Event.objects.count()
    with pytest.raises(services.ReviewInvalid):
        _respond(cast.olu, passed_round, _broken(passed_round, how))
    assert not Response.objects.exists()
    assert not Answer.objects.exists()
    assert Event.objects.count() == events
    assert not selectors.response_published(draft)


def test_no_response_to_an_open_round_or_one_that_did_not_pass(
    cast: Cast, board: Board, open_round: Round
) -> None:
    with pytest.raises(Conflict, match="round that passed"):
        _respond(cast.olu, open_round, {})
    for who in board.members:
        review(who, open_round, verdict="oppose")
    with pytest.raises(Conflict, match="round that passed"):
        _respond(cast.olu, open_round, {})
    assert not Response.objects.exists()


def test_no_response_once_the_proposal_is_withdrawn(
    cast: Cast, draft: Proposal, passed_round: Round
) -> None:
    proposal_services.proposal_withdraw(actor=actor(cast.olu), proposal=draft, reason="Funded")
    with pytest.raises(Conflict, match="withdrawn"):
        _respond(cast.olu, passed_round, _complete(passed_round))
    assert not Response.objects.exists()


def test_the_database_refuses_to_change_or_remove_a_published_response(
    cast: Cast, passed_round: Round
) -> None:
    response = _respond(cast.olu, passed_round, _complete(passed_round))
    answer = Answer.objects.filter(response=response).first()
    assert answer is not None

    statements: list[tuple[str, list[Any]]] = [
        ("UPDATE advisory_response SET statement = %s WHERE id = %s", ["Never mind", response.pk]),
        ("DELETE FROM advisory_response WHERE id = %s", [response.pk]),
        ("UPDATE advisory_answer SET decision = %s WHERE id = %s", ["declined", answer.pk]),
        ("UPDATE advisory_answer SET text = %s WHERE id = %s", ["", answer.pk]),
        ("DELETE FROM advisory_answer WHERE id = %s", [answer.pk]),
    ]
    for sql, params in statements:
        with (
            pytest.raises(IntegrityError, match="never changes"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, params)

    assert Response.objects.get(pk=response.pk).statement == "Thank you."
    assert Answer.objects.get(pk=answer.pk).decision == "accepted"
    assert Answer.objects.filter(response=response).count() == 3


def test_the_author_who_publishes_the_response_is_not_told_of_it(cast: Cast, board: Board) -> None:
    # A community proposal by Marcus, on the board: he holds a recused seat in its round.
    community = proposal_services.proposal_create_draft(
        actor=actor(board.marcus), space=cast.space, title="A peer-run line"
    )
    proposal_services.proposal_update_draft(
        actor=actor(board.marcus), proposal=community, **COMPLETE
    )
    proposal_services.proposal_submit(actor=actor(board.marcus), proposal=community)
    in_round = Round.objects.get(proposal=community)
    review(board.ama, in_round)
    review(board.ben, in_round)
    assert Round.objects.get(pk=in_round.pk).passed

    services.response_publish(actor=actor(board.marcus), round=in_round, answers={})

    told = Notification.objects.filter(kind="advisory.response_published")
    assert sorted(told.values_list("recipient__username", flat=True)) == ["ama", "ben"]
