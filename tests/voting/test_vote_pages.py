"""The vote's pages, as the people using them see them: the ballot page before, during
and after the vote; a receipt shown once and never kept; a ballot changed only with its
receipt; the turnout while open and no running tally; "counting" between the close and
the count; the result with its chart, table and files; checking a receipt; the printed
record; a person's open votes; and refusals that say why, with the service's status.

The electorate is Dee and the board of three (Marcus, Ama, Ben); Olu, Ngozi and Pat are
outside it. The pages read the database clock through ``voting.selectors`` and the
services through ``voting.services.base``: the tests move both (``_clock``)."""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

import pytest
from django.contrib.messages import get_messages
from django.http import HttpResponse, HttpResponseBase
from django.test import Client
from django.utils import timezone

from accounts.authority import Actor
from accounts.models import User
from advisory import services as advisory_services
from advisory.models import Round
from core.clock import clock_set
from history.models import Event
from proposals import services as proposal_services
from proposals.models import Proposal
from spaces import services as space_services
from tests.accounts.support import sign_in
from tests.advisory.conftest import review
from tests.factories import MembershipFactory, UserFactory
from tests.pages.support import Page
from tests.voting.conftest import Board, Cast, actor
from voting import services
from voting.models import Ballot, Participation, Vote
from voting.receipts import ballot_hash, new_receipt
from voting.selectors import receipts_list, result_document

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
MINUTE = datetime.timedelta(minutes=1)
SHOWN = re.compile(r"[A-Z2-7]{4}(?:-[A-Z2-7]{4}){6}")


@contextmanager
def _clock(moment: datetime.datetime) -> Iterator[None]:
    """Move the database clock the pages (selectors) and the services read."""
    with clock_set(moment):
        yield


def _during(vote: Vote) -> AbstractContextManager[None]:
    """An hour after ``vote`` opened."""
    assert vote.opened_at is not None
    return _clock(vote.opened_at + HOUR)


def _after_close(vote: Vote) -> AbstractContextManager[None]:
    """A minute after ``vote`` closed, before the sweep counts it."""
    assert vote.close_at is not None
    return _clock(vote.close_at + MINUTE)


def _url(vote: Vote, action: str = "") -> str:
    return f"/spaces/city/proposals/{vote.proposal_id}/vote/{action}"


def _text(response: HttpResponseBase) -> str:
    assert isinstance(response, HttpResponse)
    return Page(response.content.decode()).text


def _cast_by_service(who: User, vote: Vote, choice: str) -> str:
    with _during(vote):
        return services.vote_cast(actor=actor(who), vote=vote, choice=choice).receipt


def _finalise(vote: Vote) -> None:
    with _after_close(vote):
        assert services.vote_finalise_if_due(vote=vote)
    vote.refresh_from_db()


def _facilitator(cast: Cast) -> User:
    user = UserFactory(username="fay", public_name="Fay")
    MembershipFactory(space=cast.space, user=user, role="facilitator")
    return user


@pytest.fixture
def single_majority(cast: Cast) -> None:
    """The space's rulebook without dual majority, adopted before the vote opens, so a
    board of three does not fail the advisory bloc's floor."""
    space_services.rulebook_change(
        actor=Actor(user=_facilitator(cast), mfa=True, recently_authenticated=True),
        space=cast.space,
        dual_majority=False,
    )


# --- Before the vote opens --------------------------------------------------------------------


def test_the_ballot_page_shows_what_is_voted_on_and_what_a_receipt_proves(
    cast: Cast, board: Board, open_round: Round
) -> None:
    """Ama opposes, Marcus and Ben endorse: the round passes with a minority report, which
    the ballot page shows with the response and the version's content hash."""
    review(board.ama, open_round, verdict="oppose", rationale="The night bus is the wrong place.")
    review(board.marcus, open_round)
    review(board.ben, open_round)
    advisory_services.response_publish(
        actor=actor(cast.olu), round=open_round, answers={}, statement="We hear the concern."
    )
    vote = Vote.objects.get(round=open_round)

    text = _text(Client().get(_url(vote)))

    assert vote.version.content_hash in text
    assert "Minority report" in text
    assert "The night bus is the wrong place." in text
    assert "We hear the concern." in text
    assert "Scheduled. It opens at" in text
    # What a receipt proves, and what the site cannot do.
    assert "check that your ballot was counted as you cast it" in text
    assert "cannot prove to anyone else how you voted" in text
    assert "It cannot show it again or recover it" in text
    assert "Cast your ballot" not in text


def test_a_facilitator_with_powers_brings_the_opening_forward(
    cast: Cast, scheduled_vote: Vote
) -> None:
    fay = _facilitator(cast)
    without_powers = sign_in(Client(), fay)
    assert "Open the vote earlier" not in _text(without_powers.get(_url(scheduled_vote)))
    earlier = (timezone.now() + datetime.timedelta(days=3)).replace(second=0, microsecond=0)
    typed = {"opens_at": earlier.strftime("%Y-%m-%dT%H:%M")}

    refused = without_powers.post(_url(scheduled_vote, "open-earlier/"), typed)
    assert refused.status_code == 403
    assert "Only the space's facilitators set an earlier opening." in _text(refused)
    scheduled_vote.refresh_from_db()
    assert scheduled_vote.opens_at != earlier

    with_powers = sign_in(Client(), fay, mfa=True)
    page = Page(with_powers.get(_url(scheduled_vote)).content.decode())
    assert page.find("input", name="opens_at")["type"] == "datetime-local"
    done = with_powers.post(_url(scheduled_vote, "open-earlier/"), typed, follow=True)

    scheduled_vote.refresh_from_db()
    assert scheduled_vote.opens_at == earlier
    assert f"The vote now opens at {earlier.day} {earlier:%B %Y, %H:%M} (UTC)." in _text(done)


def test_an_opening_before_the_floor_after_the_response_is_refused_on_the_form(
    cast: Cast, scheduled_vote: Vote
) -> None:
    """The response was published just now: two days is the floor, so one day is refused,
    the form says why and from when, and nothing changes."""
    client = sign_in(Client(), _facilitator(cast), mfa=True)
    earliest = scheduled_vote.earliest_opening()
    offered = _text(client.get(_url(scheduled_vote)))
    assert "Never earlier than two days after the response was published" in offered
    too_soon = timezone.now() + datetime.timedelta(days=1)
    before = scheduled_vote.opens_at
    events = Event.objects.count()

    response = client.post(
        _url(scheduled_vote, "open-earlier/"), {"opens_at": too_soon.strftime("%Y-%m-%dT%H:%M")}
    )

    assert response.status_code == 400
    text = _text(response)
    assert "The opening was not changed" in text
    assert (
        "A vote opens at least 2 days after the response was published, so the electorate "
        f"has time to read it: choose {earliest.day} {earliest:%B %Y, %H:%M} (UTC) or later."
    ) in text
    scheduled_vote.refresh_from_db()
    assert scheduled_vote.opens_at == before
    assert Event.objects.count() == events


def test_a_later_opening_is_refused_on_the_form_with_nothing_changed(
    cast: Cast, scheduled_vote: Vote
) -> None:
    client = sign_in(Client(), _facilitator(cast), mfa=True)
    later = scheduled_vote.opens_at + datetime.timedelta(days=3)
    before = scheduled_vote.opens_at

    response = client.post(
        _url(scheduled_vote, "open-earlier/"), {"opens_at": later.strftime("%Y-%m-%dT%H:%M")}
    )

    assert response.status_code == 400
    assert "A vote can open earlier than scheduled, never later." in _text(response)
    scheduled_vote.refresh_from_db()
    assert scheduled_vote.opens_at == before


def test_a_withdrawn_proposal_s_vote_says_it_will_not_open(
    cast: Cast, scheduled_vote: Vote
) -> None:
    proposal_services.proposal_withdraw(
        actor=actor(cast.olu), proposal=scheduled_vote.proposal, reason="Funding ended."
    )

    assert "This vote will not open." in _text(Client().get(_url(scheduled_vote)))


def test_a_draft_or_a_proposal_without_a_vote_has_no_vote_page(
    cast: Cast, draft: Proposal, open_round: Round
) -> None:
    other = proposal_services.proposal_create_draft(
        actor=actor(cast.olu), space=cast.space, organisation=cast.organisation, title="Later"
    )
    olu = sign_in(Client(), cast.olu)

    assert olu.get(f"/spaces/city/proposals/{other.pk}/vote/").status_code == 404
    assert Client().get(f"/spaces/city/proposals/{other.pk}/vote/").status_code == 404
    # Submitted and in review: public, but no vote yet.
    assert Client().get(f"/spaces/city/proposals/{draft.pk}/vote/").status_code == 404
    assert Client().get(f"/spaces/city/proposals/{draft.pk}/vote/result/").status_code == 404


# --- While the vote is open -------------------------------------------------------------------


def test_casting_shows_the_receipt_once_and_keeps_it_nowhere(cast: Cast, open_vote: Vote) -> None:
    client = sign_in(Client(), cast.dee)
    with _during(open_vote):
        ballot = Page(client.get(_url(open_vote)).content.decode())
        assert ballot.find("input", name="choice", value="approve")["type"] == "radio"
        response = client.post(_url(open_vote, "cast/"), {"choice": "approve"})

    assert response.status_code == 200  # the receipt page itself, not a redirect
    assert "no-store" in response["Cache-Control"]
    [receipt] = SHOWN.findall(_text(response))
    assert "it is shown only this once" in _text(response).lower()
    [stored] = Ballot.objects.filter(vote=open_vote)
    assert stored.ballot_hash == ballot_hash(receipt)
    # Neither the session nor the messages hold it.
    session = client.session
    assert all(receipt not in str(value) for value in session.values())
    assert list(get_messages(response.wsgi_request)) == []

    # The download is a form that carries it back, once more, as a text file.
    page = Page(response.content.decode())
    assert page.find("input", name="receipt", type="hidden")["value"] == receipt
    download = client.post(_url(open_vote, "receipt/"), {"receipt": receipt})
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/plain")
    assert download["Content-Disposition"].startswith("attachment;")
    assert "no-store" in download["Cache-Control"]
    body = download.content.decode()
    assert receipt in body
    assert ballot_hash(receipt) in body
    assert "cannot show it again" in body

    # The ballot page now says so, and shows the change form instead.
    with _during(open_vote):
        text = _text(client.get(_url(open_vote)))
    assert "You have voted." in text
    assert "Change your ballot" in text
    assert receipt not in text


def test_a_second_cast_is_refused_with_the_reason_and_409(cast: Cast, open_vote: Vote) -> None:
    _cast_by_service(cast.dee, open_vote, "approve")
    client = sign_in(Client(), cast.dee)

    with _during(open_vote):
        response = client.post(_url(open_vote, "cast/"), {"choice": "reject"})

    assert response.status_code == 409
    assert "You have voted in this vote. To change your ballot, use your receipt." in _text(
        response
    )
    assert list(Ballot.objects.values_list("choice", flat=True)) == ["approve"]


def test_a_cast_without_a_choice_asks_for_one(cast: Cast, open_vote: Vote) -> None:
    with _during(open_vote):
        response = sign_in(Client(), cast.dee).post(_url(open_vote, "cast/"), {})

    assert response.status_code == 400
    assert "Choose approve, reject or abstain." in _text(response)
    assert not Participation.objects.exists()


def test_casting_is_refused_to_the_signed_out_and_to_people_outside_the_snapshot(
    cast: Cast, open_vote: Vote
) -> None:
    with _during(open_vote):
        anonymous = Client().post(_url(open_vote, "cast/"), {"choice": "approve"})
        olu = sign_in(Client(), cast.olu)
        page = _text(olu.get(_url(open_vote)))
        refused = olu.post(_url(open_vote, "cast/"), {"choice": "approve"})

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    assert "You are not in this vote's electorate." in page
    assert "Cast your ballot" not in page
    assert refused.status_code == 403
    assert "Only the people in the electorate when this vote opened" in _text(refused)
    assert not Ballot.objects.exists()
    assert not Participation.objects.exists()


def test_a_ballot_changes_with_its_receipt_and_the_message_does_not_tell_the_choice(
    cast: Cast, open_vote: Vote
) -> None:
    receipt = _cast_by_service(cast.dee, open_vote, "approve")
    client = sign_in(Client(), cast.dee)

    with _during(open_vote):
        response = client.post(
            _url(open_vote, "change/"), {"receipt": receipt.lower(), "choice": "reject"}
        )
        followed = client.get(response["Location"])

    assert response.status_code == 302
    assert response["Location"] == _url(open_vote)
    assert list(Ballot.objects.values_list("choice", flat=True)) == ["reject"]
    assert "Your ballot was changed." in _text(followed)
    assert "reject" not in str(dict(client.session))


def test_a_wrong_receipt_changes_nothing_and_says_why(cast: Cast, open_vote: Vote) -> None:
    _cast_by_service(cast.dee, open_vote, "approve")
    client = sign_in(Client(), cast.dee)

    with _during(open_vote):
        wrong = client.post(
            _url(open_vote, "change/"), {"receipt": new_receipt(), "choice": "reject"}
        )
        mistyped = client.post(
            _url(open_vote, "change/"), {"receipt": "ABCD-EFGH", "choice": "reject"}
        )

    assert wrong.status_code == 403
    assert "This receipt is not the one you were given when you voted." in _text(wrong)
    assert "no-store" in wrong["Cache-Control"]
    assert mistyped.status_code == 400
    assert "A receipt has 28 letters and digits" in _text(mistyped)
    assert list(Ballot.objects.values_list("choice", flat=True)) == ["approve"]


def test_while_open_the_turnout_shows_against_the_quorum_and_no_tally(
    cast: Cast, board: Board, open_vote: Vote
) -> None:
    _cast_by_service(cast.dee, open_vote, "approve")
    _cast_by_service(board.ama, open_vote, "approve")

    with _during(open_vote):
        ballot = Client().get(_url(open_vote))
        proposal = Client().get(f"/spaces/city/proposals/{open_vote.proposal_id}/")
        result = Client().get(_url(open_vote, "result/"))
        files = Client().get(_url(open_vote, "receipts.csv"))

    for response in (ballot, proposal):
        page = Page(response.content.decode())
        assert "2 of the electorate of 4 people have voted; the quorum is 1." in page.text
        meter = page.find("meter")
        assert (meter["value"], meter["max"], meter["low"]) == ("2", "4", "1")
        assert "Ballots by choice" not in page.text
    assert result.status_code == 200
    assert "no counts are shown before then" in _text(result)
    assert "Ballots by choice" not in _text(result)
    assert files.status_code == 404


def test_open_votes_lists_the_vote_for_people_in_the_snapshot_only(
    cast: Cast, board: Board, open_vote: Vote
) -> None:
    _cast_by_service(board.ama, open_vote, "approve")

    with _during(open_vote):
        dee = _text(sign_in(Client(), cast.dee).get("/votes/open/"))
        ama = _text(sign_in(Client(), board.ama).get("/votes/open/"))
        olu = _text(sign_in(Client(), cast.olu).get("/votes/open/"))
        anonymous = Client().get("/votes/open/")

    assert "Naloxone on the night bus" in dee
    assert "not cast yet" in dee
    assert "Naloxone on the night bus" in ama
    assert "not cast yet" not in ama
    assert "Naloxone on the night bus" not in olu
    assert "No vote is open for you now." in olu
    assert anonymous.status_code == 302


def test_signed_in_people_find_their_open_votes_in_the_navigation(cast: Cast) -> None:
    html = sign_in(Client(), cast.dee).get("/").content.decode()
    assert '<a href="/votes/open/">Open votes</a>' in html
    assert "/votes/open/" not in Client().get("/").content.decode()


# --- After the close ---------------------------------------------------------------------------


def test_between_the_close_and_the_count_the_pages_say_counting(
    cast: Cast, open_vote: Vote
) -> None:
    _cast_by_service(cast.dee, open_vote, "approve")

    with _after_close(open_vote):
        ballot = _text(Client().get(_url(open_vote)))
        result = Client().get(_url(open_vote, "result/"))
        refused = sign_in(Client(), cast.dee).post(_url(open_vote, "cast/"), {"choice": "reject"})

    assert "The vote has closed and is being counted." in ballot
    assert result.status_code == 200
    assert "The vote has closed and is being counted." in _text(result)
    assert "Ballots by choice" not in _text(result)
    assert refused.status_code == 409
    # Pages never write: the vote is still waiting for the sweep.
    open_vote.refresh_from_db()
    assert open_vote.finalised_at is None


def test_the_result_shows_the_outcome_the_rule_the_counts_a_chart_and_a_table(
    cast: Cast, board: Board, single_majority: None, open_vote: Vote
) -> None:
    _cast_by_service(cast.dee, open_vote, "approve")
    _cast_by_service(board.ama, open_vote, "approve")
    _cast_by_service(board.ben, open_vote, "reject")
    _cast_by_service(board.marcus, open_vote, "abstain")
    _finalise(open_vote)

    response = Client().get(_url(open_vote, "result/"))
    html = response.content.decode()
    page = Page(html)

    assert response.status_code == 200
    assert "Outcome: adopted" in page.text
    assert "the turnout quorum and the approval threshold were met" in page.text
    assert "4 of the electorate of 4 people voted; the quorum needed 1" in page.text
    assert "2 of 3 who took a side approved (66 %); more than 1/2 was needed: passed" in page.text
    svg = page.find("svg", role="img")
    assert svg["aria-labelledby"] == "chart-title chart-desc"
    assert '<title id="chart-title">Ballots by choice</title>' in html
    assert 'style="' not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    table = html.split('<table class="versions vote-counts">', 1)[1].split("</table>", 1)[0]
    assert Page(table).text == (
        "Ballots by choice Choice Ballots approve 2 reject 1 abstain 1 All ballots (the turnout) 4"
    )
    # A group below the minimum size: no counts by group.
    assert "Counts by group (advisory board members and everyone else) are not published" in (
        page.text
    )
    assert "Advisory board members" not in page.text


def test_with_dual_majority_a_small_board_leaves_the_decision_to_the_whole_electorate(
    cast: Cast, board: Board, open_vote: Vote
) -> None:
    """The board of three is below the minimum group size: the ballot page says so before
    anyone votes, and the result and the record say the whole electorate decided."""
    with _during(open_vote):
        before = _text(sign_in(Client(), cast.dee).get(_url(open_vote)))
    assert "This vote is decided by the whole electorate." in before
    assert "the advisory board had 3 members not on leave, fewer than the minimum group" in (before)
    assert before.index("decided by the whole electorate") < before.index("Cast your ballot")
    assert Participation.objects.count() == 0

    _cast_by_service(cast.dee, open_vote, "approve")
    _cast_by_service(board.ama, open_vote, "reject")
    _cast_by_service(board.ben, open_vote, "approve")
    _finalise(open_vote)

    text = _text(Client().get(_url(open_vote, "result/")))
    assert "Outcome: adopted" in text
    assert "This vote is decided by the whole electorate." in text
    assert "no advisory quorum" not in text
    assert "board members had to vote" not in text
    # How many board members voted is never published below the group size.
    assert "board member voted" not in text
    record = _text(Client().get(_url(open_vote, "record/")))
    assert "This vote is decided by the whole electorate." in record


def test_counts_by_group_are_published_when_each_group_reaches_the_minimum_size(
    cast: Cast, board: Board, scheduled_vote: Vote
) -> None:
    """Six on the board and six others, all in before the opening: with dual majority
    the bloc floor is 5, and each group's 6 ballots may be shown apart."""
    more_board = [
        MembershipFactory(space=cast.space, user=UserFactory(), role="board").user for _ in range(3)
    ]
    others = [
        MembershipFactory(space=cast.space, user=UserFactory(), role="electorate").user
        for _ in range(5)
    ]
    with clock_set(scheduled_vote.opens_at + MINUTE):
        assert services.vote_open_if_due(vote=scheduled_vote)
    vote = scheduled_vote
    vote.refresh_from_db()
    for person in [*board.members, *more_board]:
        _cast_by_service(person, vote, "approve")
    for person in [cast.dee, *others[:4]]:
        _cast_by_service(person, vote, "reject")
    _cast_by_service(others[4], vote, "approve")
    _finalise(vote)

    text = _text(Client().get(_url(vote, "result/")))

    assert "Outcome: adopted" in text
    assert "6 board members voted; at least 5 were needed" in text
    assert "6 of 6 board members who took a side approved (100 %)" in text
    assert "Advisory board members 6 0 0 Everyone else 1 5 0" in text


def test_a_vote_ended_by_a_withdrawal_is_published_marked_withdrawn(
    cast: Cast, single_majority: None, open_vote: Vote
) -> None:
    _cast_by_service(cast.dee, open_vote, "approve")
    with _during(open_vote):
        proposal_services.proposal_withdraw(
            actor=actor(cast.olu), proposal=open_vote.proposal, reason="Funding ended."
        )

    text = _text(Client().get(_url(open_vote, "result/")))

    assert "The vote ended early: the proposal was withdrawn." in text
    assert "as it stood, it would have given: adopted" in text
    assert "Outcome: adopted" not in text
    assert "1 of the electorate of 4 people voted" in text
    proposal_page = _text(Client().get(f"/spaces/city/proposals/{open_vote.proposal_id}/"))
    assert "The vote ended early: the proposal was withdrawn." in proposal_page
    assert "Outcome: adopted" not in proposal_page


def test_the_published_files_are_the_receipts_list_and_the_matching_summary(
    cast: Cast, board: Board, single_majority: None, open_vote: Vote
) -> None:
    receipt = _cast_by_service(cast.dee, open_vote, "approve")
    _cast_by_service(board.ama, open_vote, "reject")
    _finalise(open_vote)

    listing = Client().get(_url(open_vote, "receipts.csv"))
    summary = Client().get(_url(open_vote, "result.json"))

    assert listing["Content-Type"].startswith("text/csv")
    assert f"{ballot_hash(receipt)},approve" in listing.content.decode().splitlines()
    assert hashlib.sha256(listing.content).hexdigest() == open_vote.receipts_sha256
    assert summary["Content-Type"] == "application/json"
    assert summary.content == result_document(open_vote, receipts_list(open_vote))
    assert json.loads(summary.content)["receipts_sha256"] == open_vote.receipts_sha256


def test_check_my_receipt_finds_the_ballot_and_stores_nothing(
    cast: Cast, single_majority: None, open_vote: Vote
) -> None:
    receipt = _cast_by_service(cast.dee, open_vote, "approve")
    _finalise(open_vote)
    client = Client()

    found = client.post(_url(open_vote, "result/check/"), {"receipt": receipt})
    missing = client.post(_url(open_vote, "result/check/"), {"receipt": new_receipt()})
    mistyped = client.post(_url(open_vote, "result/check/"), {"receipt": "nonsense"})

    assert found.status_code == 200
    assert "no-store" in found["Cache-Control"]
    assert "Your ballot is in the receipts list." in _text(found)
    assert "It was counted as: approve." in _text(found)
    assert ballot_hash(receipt) in _text(found)
    assert receipt not in found.content.decode()  # not written back into the page
    assert "No ballot with this receipt's hash is in the list." in _text(missing)
    assert mistyped.status_code == 400
    assert "A receipt has 28 letters and digits" in _text(mistyped)
    assert not client.session.keys()


def test_check_my_receipt_does_not_tell_a_choice_the_list_does_not_publish(
    cast: Cast, scheduled_vote: Vote
) -> None:
    # A rulebook that publishes hashes only, adopted before the vote opens.
    space_services.rulebook_change(
        actor=Actor(user=_facilitator(cast), mfa=True, recently_authenticated=True),
        space=cast.space,
        publish_receipt_choices=False,
    )
    vote = scheduled_vote
    with clock_set(vote.opens_at + MINUTE):
        assert services.vote_open_if_due(vote=vote)
    vote.refresh_from_db()
    receipt = _cast_by_service(cast.dee, vote, "approve")
    _finalise(vote)

    assert "This vote publishes the hashes only" in _text(Client().get(_url(vote)))
    text = _text(Client().post(_url(vote, "result/check/"), {"receipt": receipt}))

    assert "Your ballot is in the receipts list." in text
    assert "This list shows no choices" in text
    assert "counted as" not in text


def test_the_printable_record_tells_the_whole_decision(
    cast: Cast, board: Board, single_majority: None, open_vote: Vote
) -> None:
    _cast_by_service(cast.dee, open_vote, "approve")
    _finalise(open_vote)

    text = _text(Client().get(_url(open_vote, "record/")))

    assert "How this decision was made" in text
    assert open_vote.version.content_hash in text
    assert "The advisory review" in text
    assert "Thank you." in text  # the authors' response
    assert "Electorate (snapshot when it opened) 4" in text
    assert "Outcome: adopted" in text
    assert open_vote.receipts_sha256 in text
    assert "Head of the decision history" in text
    assert re.search(r"\b\d+:[0-9a-f]{64}\b", text)


def test_the_proposal_page_shows_the_vote_from_scheduled_to_counted(
    cast: Cast, single_majority: None, scheduled_vote: Vote
) -> None:
    detail = f"/spaces/city/proposals/{scheduled_vote.proposal_id}/"
    assert "Scheduled. It opens at" in _text(Client().get(detail))

    with clock_set(scheduled_vote.opens_at + MINUTE):
        services.vote_open_if_due(vote=scheduled_vote)
    scheduled_vote.refresh_from_db()
    with _during(scheduled_vote):
        dee = _text(sign_in(Client(), cast.dee).get(detail))
    assert "You can vote in it." in dee
    assert "0 of the electorate of 4 people have voted; the quorum is 1." in dee

    _cast_by_service(cast.dee, scheduled_vote, "approve")
    _finalise(scheduled_vote)
    text = _text(Client().get(detail))
    assert "Outcome: adopted" in text
    assert "The full result" in text


def test_no_vote_page_shows_an_e_mail_address(
    cast: Cast, board: Board, single_majority: None, open_vote: Vote
) -> None:
    _cast_by_service(cast.dee, open_vote, "approve")
    addresses = [address for address in User.objects.values_list("email", flat=True) if address]
    assert addresses
    with _during(open_vote):
        during = [
            sign_in(Client(), cast.dee).get(_url(open_vote)),
            sign_in(Client(), cast.dee).get("/votes/open/"),
        ]
    _finalise(open_vote)
    after = [Client().get(_url(open_vote, path)) for path in ("", "result/", "record/")]
    for response in during + after:
        body = response.content.decode()
        assert not any(address in body for address in addresses)
