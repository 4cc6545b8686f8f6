"""The advisory round's pages: the round on the proposal page (sealed while open,
published after the close, recusal reasons for facilitators only, overdue shown), the
review, recusal, thread and response forms going through their services, refusals with
the service's status and nothing written, and the reviews waiting for a board member."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from advisory import selectors, services
from advisory.models import Answer, Message, Response, Review, Round, Seat
from proposals import services as proposal_services
from proposals.models import Proposal
from tests.accounts.support import sign_in
from tests.advisory.conftest import Board, review
from tests.factories import MembershipFactory
from tests.pages.support import Page
from tests.proposals.conftest import Cast, actor
from voting.models import Vote

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _names(cast: Cast, board: Board) -> None:
    """Public names that are not prefixes of one another, so the text checks are exact."""
    for person, name in (
        (cast.marcus, "Marcus Reed"),
        (board.ama, "Ama Owusu"),
        (board.ben, "Ben Tran"),
        (cast.olu, "Olu Ade"),
    ):
        User.objects.filter(pk=person.pk).update(public_name=name)
        person.public_name = name


def _detail(proposal: Proposal) -> str:
    return f"/spaces/city/proposals/{proposal.pk}/"


def _round_url(in_round: Round, action: str) -> str:
    return f"{_detail(in_round.proposal)}rounds/{in_round.version.number}/{action}/"


def _page(client: Client, path: str) -> tuple[str, Page]:
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.content.decode()
    return html, Page(html)


def _checked(page: Page, name: str) -> str | None:
    """The value of the checked radio button named ``name``."""
    [found] = [attrs for attrs in page.find_all("input", name=name) if "checked" in attrs]
    return found["value"]


def _closed_with_three_reviews(board: Board, in_round: Round) -> Round:
    """Marcus endorses with conditions as "an advisory member", Ama opposes, Ben endorses:
    consent is 2 of 3 (at least 2/3), and the last answer closes the round as passed."""
    review(
        board.marcus,
        in_round,
        verdict="endorse_with_conditions",
        rationale="Good plan; the kits need checking.",
        conditions=["Kits are checked weekly", "Peer workers are paid"],
        shown_as_advisory_member=True,
    )
    review(board.ama, in_round, verdict="oppose", rationale="The night bus is the wrong place.")
    review(board.ben, in_round, verdict="endorse", rationale="Meets people where they are.")
    in_round.refresh_from_db()
    assert in_round.outcome == Round.Outcome.PASSED
    return in_round


# --- The round on the proposal page -----------------------------------------------------------


def test_while_open_each_member_sees_only_their_own_review(
    cast: Cast, board: Board, open_round: Round
) -> None:
    review(board.marcus, open_round, rationale="Marcus thinks it is sound.")
    review(board.ama, open_round, verdict="oppose", rationale="Ama has doubts about the route.")

    _html, marcus = _page(sign_in(Client(), board.marcus), _detail(open_round.proposal))
    assert "Marcus thinks it is sound." in marcus.text
    assert "Ama has doubts" not in marcus.text
    assert "Change your review" in marcus.text
    assert "2 of 3 board members have answered." in marcus.text
    assert "The quorum needs at least 2 answers" in marcus.text

    for client in (Client(), sign_in(Client(), cast.olu), sign_in(Client(), board.ben)):
        _html, other = _page(client, _detail(open_round.proposal))
        assert "Marcus thinks" not in other.text
        assert "Ama has doubts" not in other.text
        assert "2 of 3 board members have answered." in other.text


def test_after_the_close_every_review_is_published_under_the_name_its_author_chose(
    cast: Cast, board: Board, open_round: Round
) -> None:
    _closed_with_three_reviews(board, open_round)

    html, page = _page(Client(), _detail(open_round.proposal))

    assert "Outcome: passed" in page.text
    assert "an advisory member: endorse with conditions" in page.text
    assert "Kits are checked weekly" in page.text
    assert "Ama Owusu: oppose" in page.text
    assert "Ben Tran: endorse" in page.text
    # Marcus chose to be "an advisory member": his name is nowhere on the page.
    assert "Marcus Reed" not in page.text
    assert (
        "3 answers; 2 needed (at least 1/2 of the board without those who stepped aside, "
        "and at least 2)"
    ) in page.text
    assert "2 of 3 in favour (abstentions aside); the threshold is at least 2/3" in page.text
    minority = html.split('id="minority-report-heading"', 1)[1].split("</section>", 1)[0]
    assert "The night bus is the wrong place." in minority
    assert "Meets people where they are." not in minority
    for person in (*board.members, cast.olu):
        assert person.email
        assert person.email not in html


def test_a_recusal_is_public_and_its_reason_is_shown_to_facilitators_only(
    cast: Cast, board: Board, open_round: Round
) -> None:
    rosa = User.objects.create(username="rosa", public_name="Rosa Diaz")
    MembershipFactory(space=cast.space, user=rosa, role="facilitator")
    services.recusal_declare(
        actor=actor(board.ben), round=open_round, reason="My sister runs this program."
    )

    for client in (
        Client(),
        sign_in(Client(), board.marcus),
        sign_in(Client(), cast.olu),
        # A facilitator without a second factor has no powers, so no reasons either.
        sign_in(Client(), rosa),
    ):
        _html, page = _page(client, _detail(open_round.proposal))
        assert "Ben Tran" in page.text
        assert "My sister" not in page.text

    _html, facilitator = _page(sign_in(Client(), rosa, mfa=True), _detail(open_round.proposal))
    assert "Ben Tran" in facilitator.text
    assert "My sister runs this program." in facilitator.text


def test_a_round_past_its_deadline_without_quorum_is_shown_as_overdue(
    board: Board, open_round: Round
) -> None:
    _html, before = _page(Client(), _detail(open_round.proposal))
    assert "Overdue." not in before.text

    with time_machine.travel(open_round.deadline_at + timedelta(days=1)):
        _html, after = _page(Client(), _detail(open_round.proposal))
        assert "Overdue." in after.text
        # One answer is no quorum of three: the round stays open.
        review(board.marcus, open_round)
        _html, still = _page(Client(), _detail(open_round.proposal))
        assert "Overdue." in still.text
        assert "1 of 3 board members have answered." in still.text


def test_the_page_with_a_round_makes_as_many_queries_however_long_its_thread(
    cast: Cast, board: Board, open_round: Round
) -> None:
    def count() -> int:
        client = Client()
        client.get(_detail(open_round.proposal))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_detail(open_round.proposal)).status_code == 200
        return len(captured)

    services.message_post(actor=actor(cast.olu), round=open_round, body="Questions welcome.")
    few = count()
    for n in range(20):
        services.message_post(actor=actor(board.ama), round=open_round, body=f"Point {n}")
    assert count() == few


# --- Reviewing through the form ---------------------------------------------------------------


def test_a_board_member_reviews_through_the_form_and_changes_it(
    board: Board, open_round: Round
) -> None:
    client = sign_in(Client(), board.marcus)
    url = _round_url(open_round, "review")
    _html, empty = _page(client, url)
    assert "Give your review" in empty.text

    response = client.post(
        url,
        {
            "verdict": "endorse_with_conditions",
            "rationale": "Sound, with two conditions.",
            "conditions": "Kits are checked weekly\n\nPeer workers are paid\n",
            "shown_as_advisory_member": "on",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"{_detail(open_round.proposal)}#advisory-round"
    given = Review.objects.get(round=open_round, user=board.marcus)
    assert given.verdict == "endorse_with_conditions"
    assert given.conditions == ["Kits are checked weekly", "Peer workers are paid"]
    assert given.shown_as_advisory_member

    html, filled = _page(client, url)
    assert "Change your review" in filled.text
    assert "Kits are checked weekly\nPeer workers are paid</textarea>" in html
    assert _checked(filled, "verdict") == "endorse_with_conditions"

    client.post(url, {"verdict": "abstain", "rationale": "On reflection, I abstain."})
    changed = Review.objects.get(round=open_round, user=board.marcus)
    assert (changed.verdict, changed.conditions) == ("abstain", [])
    assert not changed.shown_as_advisory_member


def test_the_review_form_shows_the_services_errors_on_their_fields(
    board: Board, open_round: Round
) -> None:
    client = sign_in(Client(), board.marcus)

    response = client.post(
        _round_url(open_round, "review"), {"verdict": "endorse_with_conditions", "rationale": " "}
    )

    assert response.status_code == 400
    page = Page(response.content.decode())
    assert "Your review was not saved" in page.text
    assert "Give the reasons for your review." in page.text
    assert "List each condition of your endorsement." in page.text
    assert not Review.objects.exists()


def test_someone_off_the_frozen_board_is_refused_with_403_and_nothing_is_written(
    cast: Cast, board: Board, open_round: Round
) -> None:
    url = _round_url(open_round, "review")
    for person in (cast.dee, cast.olu):
        client = sign_in(Client(), person)
        assert client.get(url).status_code == 403
        response = client.post(url, {"verdict": "endorse", "rationale": "Let me in."})
        assert response.status_code == 403
        assert "members of the advisory board when this round opened" in response.content.decode()
    signed_out = Client().post(url, {"verdict": "endorse", "rationale": "Let me in."})
    assert signed_out.status_code == 302
    assert "/accounts/login/" in signed_out["Location"]
    assert not Review.objects.exists()


def test_a_review_of_an_earlier_version_is_refused(
    cast: Cast, board: Board, open_round: Round
) -> None:
    proposal = open_round.proposal
    proposal_services.proposal_update_draft(
        actor=actor(cast.olu), proposal=proposal, title="Naloxone on the day bus"
    )
    proposal_services.proposal_submit(actor=actor(cast.olu), proposal=proposal)
    client = sign_in(Client(), board.marcus)

    response = client.post(
        _round_url(open_round, "review"), {"verdict": "endorse", "rationale": "Fine."}
    )

    assert response.status_code == 409
    assert not Review.objects.filter(round=open_round).exists()
    # The current version's round takes reviews, and the page lists the earlier round.
    current = Round.objects.get(proposal=proposal, closed_at__isnull=True)
    assert client.get(_round_url(current, "review")).status_code == 200
    _html, page = _page(Client(), _detail(proposal))
    assert "Advisory review of version 2" in page.text
    assert "superseded by a newer version" in page.text


def test_a_closed_round_offers_no_review_form(board: Board, open_round: Round) -> None:
    _closed_with_three_reviews(board, open_round)
    client = sign_in(Client(), board.ben)

    response = client.post(
        _round_url(open_round, "review"), {"verdict": "oppose", "rationale": "Too late."}
    )

    assert response.status_code == 409
    assert "This round is closed" in response.content.decode()
    assert Review.objects.get(round=open_round, user=board.ben).verdict == "endorse"


def test_a_member_steps_aside_through_the_page(board: Board, open_round: Round) -> None:
    client = sign_in(Client(), board.ben)
    url = _round_url(open_round, "recuse")
    _html, confirm = _page(client, url)
    assert "only the space's facilitators see it" in confirm.text

    response = client.post(url, {"reason": "I work for the organisation."})

    assert response.status_code == 302
    seat = Seat.objects.get(round=open_round, user=board.ben)
    assert seat.recused_at is not None
    assert seat.recusal_reason == "I work for the organisation."
    assert client.get(_round_url(open_round, "review")).status_code == 409
    # A member who reviewed changes the review instead.
    review(board.ama, open_round)
    assert sign_in(Client(), board.ama).post(url, {"reason": ""}).status_code == 409


# --- The thread -------------------------------------------------------------------------------


def test_a_thread_post_appears_with_the_name_and_role_chosen(
    cast: Cast, board: Board, open_round: Round
) -> None:
    url = _round_url(open_round, "messages")
    member = sign_in(Client(), board.ama)
    _html, page = _page(member, _detail(open_round.proposal))
    assert "Show as from “an advisory member”" in page.text

    response = member.post(
        url, {"body": "How often do the buses run?", "shown_as_advisory_member": "on"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#round-thread")
    author = sign_in(Client(), cast.olu)
    _html, authors_view = _page(author, _detail(open_round.proposal))
    assert "Show as from" not in authors_view.text  # an author speaks as an author
    author.post(url, {"body": "Every twenty minutes."})

    html, _public = _page(Client(), _detail(open_round.proposal))
    thread = Page(html.split('id="round-thread"', 1)[1]).text
    assert "an advisory member (advisory board member)" in thread
    assert "How often do the buses run?" in thread
    assert "Olu Ade (author)" in thread
    assert "Ama Owusu" not in thread
    assert Message.objects.count() == 2


def test_the_thread_refuses_an_empty_message_and_people_outside_it(
    cast: Cast, board: Board, open_round: Round
) -> None:
    url = _round_url(open_round, "messages")

    empty = sign_in(Client(), board.ama).post(url, {"body": "  "})
    outsider = sign_in(Client(), cast.dee).post(url, {"body": "Can I join in?"})

    assert empty.status_code == 400
    assert "Write a message." in empty.content.decode()
    assert outsider.status_code == 403
    assert not Message.objects.exists()


# --- The authors' response ----------------------------------------------------------------------


def _condition_keys(in_round: Round) -> tuple[str, str]:
    """The form keys of Marcus's two conditions ("12-c0", "12-c1")."""
    items = {item.text: item.key for item in selectors.items_to_answer(in_round)}
    return items["Kits are checked weekly"], items["Peer workers are paid"]


def test_the_response_form_publishes_an_answer_to_every_condition(
    cast: Cast, board: Board, open_round: Round
) -> None:
    _closed_with_three_reviews(board, open_round)
    client = sign_in(Client(), cast.olu)
    url = _round_url(open_round, "response")
    _html, form = _page(client, url)
    assert "Kits are checked weekly" in form.text
    assert "Peer workers are paid" in form.text
    weekly, paid = _condition_keys(open_round)

    response = client.post(
        url,
        {
            f"{weekly}-decision": "accepted",
            f"{paid}-decision": "declined",
            f"{paid}-text": "Volunteers are paid expenses; wages are not in the budget.",
            "statement": "Thank you to the board.",
        },
    )

    assert response.status_code == 302
    published = Response.objects.get(round=open_round)
    assert published.statement == "Thank you to the board."
    # The message says what happened: the vote is scheduled, and when it opens.
    opens = Vote.objects.get(round=open_round).opens_at
    _html, told = _page(client, response["Location"])
    assert (
        "Your response is published and the board is told. The vote is scheduled: it opens "
        f"on {opens.day} {opens:%B %Y, %H:%M} (UTC)."
    ) in told.text
    assert sorted(Answer.objects.values_list("decision", flat=True)) == ["accepted", "declined"]
    _html, page = _page(Client(), _detail(open_round.proposal))
    assert "The authors' response to the board" in page.text
    assert "Accepted as a commitment" in page.text
    assert "Volunteers are paid expenses" in page.text
    # Published once: the form is gone.
    assert client.get(url).status_code == 409


def test_the_response_form_refuses_a_missing_answer_on_its_item(
    cast: Cast, board: Board, open_round: Round
) -> None:
    _closed_with_three_reviews(board, open_round)
    client = sign_in(Client(), cast.olu)
    weekly, paid = _condition_keys(open_round)

    response = client.post(
        _round_url(open_round, "response"),
        {f"{weekly}-decision": "accepted", f"{paid}-decision": "declined"},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Your response was not published" in html
    assert "Give the reasons for declining this condition." in html
    assert f'href="#id_{paid}-text"' in html
    # What was typed is kept.
    assert _checked(Page(html), f"{weekly}-decision") == "accepted"
    assert not Response.objects.exists()


def test_only_the_authors_may_respond(cast: Cast, board: Board, open_round: Round) -> None:
    _closed_with_three_reviews(board, open_round)
    for person in (board.marcus, cast.dee, cast.ngozi):
        assert sign_in(Client(), person).get(_round_url(open_round, "response")).status_code == 403
    assert not Response.objects.exists()


def test_a_response_is_not_offered_while_the_round_is_open(cast: Cast, open_round: Round) -> None:
    assert sign_in(Client(), cast.olu).get(_round_url(open_round, "response")).status_code == 409


# --- Reviews waiting ---------------------------------------------------------------------------


def test_the_waiting_page_lists_the_open_round_and_whether_it_is_reviewed(
    cast: Cast, board: Board, open_round: Round
) -> None:
    client = sign_in(Client(), board.marcus)
    _html, before = _page(client, "/reviews/waiting/")
    assert "Naloxone on the night bus" in before.text
    assert "not given yet" in before.text
    assert _round_url(open_round, "review") in {a.get("href") for a in before.find_all("a")}

    review(board.marcus, open_round)
    _html, after = _page(client, "/reviews/waiting/")
    assert "Change your review of “Naloxone on the night bus”" in after.text

    _html, nothing = _page(sign_in(Client(), cast.dee), "/reviews/waiting/")
    assert "No review is waiting for you." in nothing.text
    assert Client().get("/reviews/waiting/").status_code == 302


def test_board_members_find_their_waiting_reviews_in_the_navigation(cast: Cast) -> None:
    """Only people who sit on a board are offered the page (Dee only votes)."""
    assert 'href="/reviews/waiting/"' in sign_in(Client(), cast.marcus).get("/").content.decode()
    assert 'href="/reviews/waiting/"' not in sign_in(Client(), cast.dee).get("/").content.decode()
    assert 'href="/reviews/waiting/"' not in Client().get("/").content.decode()


def test_an_earlier_round_has_its_own_page_with_its_published_reviews(
    cast: Cast, board: Board, draft: Proposal, open_round: Round
) -> None:
    review(board.marcus, open_round, verdict="oppose", rationale="Not at night.")
    review(board.ama, open_round, verdict="request_changes", rationale="Add a second worker.")
    review(board.ben, open_round)  # all answered: not passed, back in revision
    proposal_services.proposal_update_draft(actor=actor(cast.olu), proposal=draft, title="Two")
    proposal_services.proposal_submit(actor=actor(cast.olu), proposal=draft)

    page = Client().get(reverse("proposals:detail", args=["city", draft.pk]))
    earlier = reverse("advisory:detail", args=["city", draft.pk, 1])
    assert earlier in page.content.decode()  # linked from the proposal page

    text = Client().get(earlier).content.decode()
    assert "Add a second worker." in text
    assert "Minority report" in text
    assert Client().get(reverse("advisory:detail", args=["city", draft.pk, 9])).status_code == 404
