"""The advisory review API: parity with the proposal page, the seal kept until the close,
recusal reasons for facilitators only (never through a personal token), the authors'
response, the thread and the caller's open seats, all in the schema."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import User
from advisory import selectors
from advisory.models import Message, Response, Review, Round, Seat
from proposals import services as proposal_services
from proposals.models import Proposal
from tests.accounts.support import sign_in
from tests.advisory.conftest import Board, review
from tests.api.support import error_of
from tests.factories import MembershipFactory, UserFactory
from tests.proposals.api_support import client_for, url
from tests.proposals.conftest import Cast, actor
from voting.models import Vote

VERDICT_COUNTS = (
    "quorum_met",
    "endorse",
    "endorse_with_conditions",
    "request_changes",
    "oppose",
    "abstain",
    "recused",
)


def rounds_url(proposal: Proposal, suffix: str = "") -> str:
    return url(proposal, f"rounds/{suffix}")


def round_url(round: Round, suffix: str = "") -> str:
    return rounds_url(round.proposal, f"{round.version.number}/{suffix}")


def facilitator(cast: Cast) -> User:
    """Rosa facilitates the space (her powers need a session with a second factor)."""
    rosa: User = UserFactory.create(username="rosa", public_name="Rosa")
    MembershipFactory(space=cast.space, user=rosa, role="facilitator")
    return rosa


def facilitator_client(user: User, *, mfa: bool = True) -> APIClient:
    client = APIClient()
    sign_in(client, user, mfa=mfa)
    return client


def close_by_every_answer(board: Board, in_round: Round, **marcus: Any) -> None:
    """Marcus (as given), Ama (endorses) and Ben (abstains) answer: the board is complete,
    so the round closes."""
    review(board.marcus, in_round, **marcus)
    review(board.ama, in_round)
    review(board.ben, in_round, verdict="abstain", rationale="Not my area.")
    in_round.refresh_from_db()
    assert in_round.closed_at is not None


# --- Reading: sealed until the close ------------------------------------------------------------


def test_an_open_round_is_sealed_for_everyone_but_each_author_of_a_review(
    cast: Cast, board: Board, open_round: Round
) -> None:
    review(board.marcus, open_round, verdict="oppose", rationale="Too few peer workers.")

    for who in (None, cast.dee, board.ama, cast.olu):
        data = client_for(who).get(round_url(open_round)).json()
        assert data["version"] == 1
        assert data["closed_at"] is None
        assert data["outcome"] == ""
        assert data["board_size"] == 3
        assert data["answered"] == 1
        assert data["answers"] == 1
        assert data["quorum"] == "1/2"
        assert data["quorum_needed"] == 2
        assert data["consent_threshold"] == "2/3"
        assert data["reviews"] == []
        assert data["minority_report"] == []
        assert data["own_review"] is None
        for name in VERDICT_COUNTS:
            assert data[name] is None, name
        assert "oppose" not in str(data["messages"])
        assert "Too few peer workers" not in str(data)

    own = client_for(board.marcus).get(round_url(open_round))
    assert own.json()["own_review"]["verdict"] == "oppose"
    assert own.json()["own_review"]["rationale"] == "Too few peer workers."
    assert own.json()["reviews"] == []
    assert own.json()["actions"]["review"] is True
    assert "no-store" in own["Cache-Control"]


def test_the_rounds_list_shows_each_round_as_its_own_address_does(
    cast: Cast, board: Board, open_round: Round
) -> None:
    response = client_for(None).get(rounds_url(open_round.proposal))

    assert response.status_code == 200
    [listed] = response.json()
    assert listed == client_for(None).get(round_url(open_round)).json()
    assert listed["url"] == "http://testserver" + round_url(open_round)


def test_a_closed_round_publishes_every_review_and_its_counts(
    cast: Cast, board: Board, open_round: Round
) -> None:
    review(
        board.ama,
        open_round,
        verdict="request_changes",
        rationale="Say who refills the kits.",
        shown_as_advisory_member=True,
    )
    review(board.marcus, open_round)
    review(board.ben, open_round, verdict="abstain", rationale="Not my area.")

    data = client_for(None).get(round_url(open_round)).json()

    # One endorsement against one request for changes: below consent (2/3).
    assert data["outcome"] == "not_passed"
    assert data["closed_at"] is not None
    assert (data["endorse"], data["request_changes"], data["abstain"], data["oppose"]) == (
        1,
        1,
        1,
        0,
    )
    assert data["quorum_met"] is True
    assert data["recused"] == 0
    by_verdict = {item["verdict"]: item for item in data["reviews"]}
    assert by_verdict["endorse"]["reviewer"] == board.marcus.public_name
    assert by_verdict["endorse"]["shown_as"] == board.marcus.public_name
    anonymous = by_verdict["request_changes"]
    assert anonymous["reviewer"] is None
    assert anonymous["shown_as"] == "an advisory member"
    assert anonymous["rationale"] == "Say who refills the kits."
    assert board.ama.public_name not in str(data)
    assert data["minority_report"] == [anonymous["number"]]
    for person in (board.marcus, board.ama, board.ben, cast.olu):
        assert person.email
        assert person.email not in str(data)


def test_a_round_of_a_version_that_has_none_is_a_404_and_a_private_draft_leaves_no_trace(
    cast: Cast, board: Board, draft: Proposal
) -> None:
    # Never submitted: private to its authors, and without rounds.
    assert client_for(cast.dee).get(rounds_url(draft)).status_code == 404
    assert client_for(cast.olu).get(rounds_url(draft)).json() == []
    assert client_for(cast.olu).get(rounds_url(draft, "1/")).status_code == 404

    proposal_services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    missing = client_for(cast.dee).get(rounds_url(draft, "2/"))
    assert missing.status_code == 404
    assert "rounds" in str(error_of(missing)["message"])
    assert client_for(None).get(rounds_url(draft, "99999999999/")).status_code == 404


# --- Reviewing ----------------------------------------------------------------------------------


def test_a_board_member_gives_then_changes_a_review_with_put(
    cast: Cast, board: Board, open_round: Round
) -> None:
    client = client_for(board.marcus)
    assert client.get(round_url(open_round, "review/")).status_code == 404

    given = client.put(
        round_url(open_round, "review/"),
        {"verdict": "endorse", "rationale": "Meets people where they are."},
        format="json",
    )
    assert given.status_code == 200
    assert given.json()["verdict"] == "endorse"
    assert "no-store" in given["Cache-Control"]

    changed = client.put(
        round_url(open_round, "review/"),
        {
            "verdict": "endorse_with_conditions",
            "rationale": "Good, with checks.",
            "conditions": ["Kits are checked weekly"],
            "shown_as_advisory_member": True,
        },
        format="json",
    )
    assert changed.status_code == 200
    body = changed.json()
    assert body["conditions"] == ["Kits are checked weekly"]
    assert body["shown_as_advisory_member"] is True
    assert body["shown_as"] == "an advisory member"
    assert Review.objects.filter(round=open_round).count() == 1
    assert client.get(round_url(open_round, "review/")).json()["conditions"] == body["conditions"]
    assert body["number"] is None  # numbered only when published


def test_a_personal_token_may_review(cast: Cast, board: Board, open_round: Round) -> None:
    response = client_for(board.ama, token=True).put(
        round_url(open_round, "review/"),
        {"verdict": "abstain", "rationale": "Not my area."},
        format="json",
    )

    assert response.status_code == 200
    assert Review.objects.filter(round=open_round, user=board.ama).exists()


def test_only_the_rounds_board_reviews_and_a_refusal_writes_nothing(
    cast: Cast, board: Board, open_round: Round
) -> None:
    body = {"verdict": "oppose", "rationale": "No."}

    for who in (cast.dee, cast.olu, cast.ngozi):
        refused = client_for(who).put(round_url(open_round, "review/"), body, format="json")
        assert refused.status_code == 403, who
        assert error_of(refused)["code"] == "permission_denied"
    anonymous = client_for(None).put(round_url(open_round, "review/"), body, format="json")
    assert anonymous.status_code == 401
    assert client_for(None).get(round_url(open_round, "review/")).status_code == 401
    assert not Review.objects.exists()


def test_a_review_is_checked_field_by_field(cast: Cast, board: Board, open_round: Round) -> None:
    client = client_for(board.marcus)

    bad = client.put(
        round_url(open_round, "review/"), {"verdict": "maybe", "rationale": "x"}, format="json"
    )
    assert bad.status_code == 400
    assert "verdict" in error_of(bad)["fields"]

    empty = client.put(
        round_url(open_round, "review/"),
        {"verdict": "endorse_with_conditions", "rationale": "  "},
        format="json",
    )
    assert empty.status_code == 400
    fields = error_of(empty)["fields"]
    assert isinstance(fields, dict)
    assert set(fields) == {"rationale", "conditions"}

    stray = client.put(
        round_url(open_round, "review/"),
        {"verdict": "endorse", "rationale": "Fine.", "conditions": ["Only on Sundays"]},
        format="json",
    )
    assert stray.status_code == 400
    assert "conditions" in error_of(stray)["fields"]
    assert not Review.objects.exists()


def test_the_round_of_an_earlier_version_takes_no_review(
    cast: Cast, board: Board, open_round: Round, draft: Proposal
) -> None:
    proposal_services.proposal_update_draft(
        actor=actor(cast.olu), proposal=draft, summary="Peer workers, now five evenings a week."
    )
    proposal_services.proposal_submit(actor=actor(cast.olu), proposal=draft)

    refused = client_for(board.marcus).put(
        round_url(open_round, "review/"),
        {"verdict": "endorse", "rationale": "Fine."},
        format="json",
    )

    assert refused.status_code == 409
    assert error_of(refused)["code"] == "conflict"
    assert not Review.objects.filter(round=open_round).exists()
    listed = client_for(None).get(rounds_url(draft)).json()
    assert [item["version"] for item in listed] == [1, 2]
    assert listed[0]["outcome"] == "superseded"


def test_a_closed_round_takes_no_more_reviews(cast: Cast, board: Board, open_round: Round) -> None:
    close_by_every_answer(board, open_round)

    refused = client_for(board.marcus).put(
        round_url(open_round, "review/"), {"verdict": "oppose", "rationale": "No."}, format="json"
    )

    assert refused.status_code == 409
    assert Review.objects.get(round=open_round, user=board.marcus).verdict == "endorse"


# --- Recusals -----------------------------------------------------------------------------------


def test_a_recusal_is_public_and_its_reason_is_for_facilitators_only(
    cast: Cast, board: Board, open_round: Round
) -> None:
    rosa = facilitator(cast)
    declared = client_for(board.ben).post(
        round_url(open_round, "recusal/"), {"reason": "I work for the applicant."}, format="json"
    )
    assert declared.status_code == 201
    assert declared.json()["public_name"] == board.ben.public_name
    assert Seat.objects.get(round=open_round, user=board.ben).recused_at is not None

    def recusals(client: APIClient) -> list[dict[str, Any]]:
        data: list[dict[str, Any]] = client.get(round_url(open_round)).json()["recusals"]
        return data

    assert recusals(facilitator_client(rosa))[0]["reason"] == "I work for the applicant."
    # No second factor, or a personal token: no facilitator powers, so no reason.
    for client in (
        facilitator_client(rosa, mfa=False),
        client_for(rosa, token=True),
        client_for(None),
        client_for(board.marcus),
        client_for(cast.olu),
    ):
        [shown] = recusals(client)
        assert shown["public_name"] == board.ben.public_name
        assert shown["reason"] is None
        assert "I work for the applicant" not in str(client.get(rounds_url(open_round.proposal)))

    again = client_for(board.ben).post(round_url(open_round, "recusal/"), {}, format="json")
    assert again.status_code == 409


def test_a_member_who_reviewed_changes_the_review_instead_of_recusing(
    cast: Cast, board: Board, open_round: Round
) -> None:
    review(board.marcus, open_round)

    refused = client_for(board.marcus).post(round_url(open_round, "recusal/"), {}, format="json")

    assert refused.status_code == 409
    assert Seat.objects.get(round=open_round, user=board.marcus).recused_at is None
    assert client_for(cast.dee).post(round_url(open_round, "recusal/")).status_code == 403
    assert client_for(None).post(round_url(open_round, "recusal/")).status_code == 401


# --- The thread ---------------------------------------------------------------------------------


def test_board_members_and_authors_discuss_in_the_thread(
    cast: Cast, board: Board, open_round: Round
) -> None:
    anonymous = client_for(board.marcus).post(
        round_url(open_round, "messages/"),
        {"body": "Who refills the kits?", "shown_as_advisory_member": True},
        format="json",
    )
    assert anonymous.status_code == 201
    assert anonymous.json()["author"] is None
    assert anonymous.json()["shown_as"] == "an advisory member"

    answer = client_for(cast.olu).post(
        round_url(open_round, "messages/"), {"body": "Our two peer workers."}, format="json"
    )
    assert answer.status_code == 201
    assert answer.json()["role"] == "author"

    as_board = client_for(cast.olu).post(
        round_url(open_round, "messages/"),
        {"body": "Hidden?", "shown_as_advisory_member": True},
        format="json",
    )
    assert as_board.status_code == 400
    assert "shown_as_advisory_member" in error_of(as_board)["fields"]
    empty = client_for(board.ama).post(
        round_url(open_round, "messages/"), {"body": "  "}, format="json"
    )
    assert "body" in error_of(empty)["fields"]
    assert (
        client_for(cast.dee)
        .post(round_url(open_round, "messages/"), {"body": "Me too"}, format="json")
        .status_code
        == 403
    )
    assert (
        client_for(None)
        .post(round_url(open_round, "messages/"), {"body": "Me too"}, format="json")
        .status_code
        == 401
    )

    thread = client_for(None).get(round_url(open_round, "messages/")).json()
    assert [(m["shown_as"], m["body"]) for m in thread] == [
        ("an advisory member", "Who refills the kits?"),
        (cast.olu.public_name, "Our two peer workers."),
    ]
    assert board.marcus.public_name not in str(thread)
    assert Message.objects.count() == 2


# --- The response -------------------------------------------------------------------------------


def _passed_with_items(board: Board, in_round: Round) -> dict[str, str]:
    """Marcus endorses with two conditions, Ama requests changes, Ben endorses: passed."""
    review(
        board.marcus,
        in_round,
        verdict="endorse_with_conditions",
        conditions=["Kits are checked weekly", "Publish the numbers"],
    )
    review(board.ama, in_round, verdict="request_changes", rationale="Say who refills the kits.")
    review(board.ben, in_round)
    in_round.refresh_from_db()
    assert in_round.outcome == "passed"
    items = {item.text: item.key for item in selectors.items_to_answer(in_round)}
    return {
        "first": items["Kits are checked weekly"],
        "second": items["Publish the numbers"],
        "request": items["Say who refills the kits."],
    }


def test_the_authors_publish_their_response_answering_every_item(
    cast: Cast, board: Board, open_round: Round
) -> None:
    keys = _passed_with_items(board, open_round)
    author = client_for(cast.olu)
    assert author.get(round_url(open_round, "response/")).status_code == 404

    items = author.get(round_url(open_round)).json()["items_to_answer"]
    assert [item["key"] for item in items] == [keys["first"], keys["second"], keys["request"]]
    assert items[0]["text"] == "Kits are checked weekly"
    assert items[2]["kind"] == "request"
    # Only the authors are asked to answer.
    assert client_for(None).get(round_url(open_round)).json()["items_to_answer"] == []
    assert client_for(None).get(round_url(open_round)).json()["actions"]["respond"] is False

    published = author.post(
        round_url(open_round, "response/"),
        {
            "statement": "Thank you.",
            "answers": {
                keys["first"]: {"decision": "accepted"},
                keys["second"]: {"decision": "declined", "text": "Numbers are in the report."},
                keys["request"]: {"text": "Our two peer workers refill them."},
            },
        },
        format="json",
    )

    assert published.status_code == 201, published.json()
    body = published.json()
    assert body["statement"] == "Thank you."
    assert [(a["key"], a["decision"]) for a in body["answers"]] == [
        (keys["first"], "accepted"),
        (keys["second"], "declined"),
        (keys["request"], "answered"),
    ]
    assert body["answers"][0]["condition"] == "Kits are checked weekly"
    assert body["answers"][2]["request"] == "Say who refills the kits."
    # Publishing scheduled the vote: the answer says when it opens, in words too.
    vote = Vote.objects.get(round=open_round)
    assert body.pop("vote_opens_at") == vote.opens_at.isoformat().replace("+00:00", "Z")
    opens = vote.opens_at
    assert body.pop("message") == (
        "Your response is published and the board is told. The vote is scheduled: it "
        f"opens on {opens.day} {opens:%B %Y, %H:%M} (UTC)."
    )
    assert client_for(None).get(round_url(open_round, "response/")).json() == body
    assert client_for(None).get(round_url(open_round)).json()["response"] == body
    again = author.post(round_url(open_round, "response/"), {"answers": {}}, format="json")
    assert again.status_code == 409


def test_a_response_names_each_item_left_unanswered(
    cast: Cast, board: Board, open_round: Round
) -> None:
    keys = _passed_with_items(board, open_round)

    refused = client_for(cast.olu).post(
        round_url(open_round, "response/"),
        {
            "answers": {
                keys["first"]: {"decision": "declined"},
                "999-c0": {"decision": "accepted"},
            }
        },
        format="json",
    )

    assert refused.status_code == 400
    fields = error_of(refused)["fields"]
    assert isinstance(fields, dict)
    assert {keys["first"], keys["second"], keys["request"], "answers"} <= set(fields)
    assert not Response.objects.exists()


def test_only_the_authors_respond_and_only_to_a_passed_round(
    cast: Cast, board: Board, open_round: Round
) -> None:
    early = client_for(cast.olu).post(round_url(open_round, "response/"), {}, format="json")
    assert early.status_code == 409

    _passed_with_items(board, open_round)
    for who in (board.marcus, cast.dee, cast.ngozi):
        refused = client_for(who).post(round_url(open_round, "response/"), {}, format="json")
        assert refused.status_code == 403, who
    assert client_for(None).post(round_url(open_round, "response/"), {}).status_code == 401
    assert not Response.objects.exists()


# --- The caller's open seats --------------------------------------------------------------------


def test_a_board_member_lists_the_rounds_waiting_for_their_review(
    cast: Cast, board: Board, open_round: Round
) -> None:
    client = client_for(board.marcus)

    [waiting] = client.get("/api/v1/reviews/waiting/").json()
    assert waiting == {
        "proposal": open_round.proposal_id,
        "proposal_title": "Naloxone on the night bus",
        "space": "city",
        "version": 1,
        "deadline_at": waiting["deadline_at"],
        "reviewed": False,
        "url": "http://testserver" + round_url(open_round),
    }
    review(board.marcus, open_round)
    assert client.get("/api/v1/reviews/waiting/").json()[0]["reviewed"] is True
    assert client_for(cast.dee).get("/api/v1/reviews/waiting/").json() == []
    assert client_for(None).get("/api/v1/reviews/waiting/").status_code == 401


# --- The schema and the map ---------------------------------------------------------------------


def test_the_openapi_schema_describes_every_advisory_endpoint(db: None) -> None:
    out = io.StringIO()
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", stdout=out
    )
    schema = Client().get("/api/schema/?format=json").json()
    paths = schema["paths"]
    base = "/api/v1/spaces/{space_slug}/proposals/{id}/rounds/"

    expected = {
        base: {"get"},
        base + "{version}/": {"get"},
        base + "{version}/review/": {"get", "put"},
        base + "{version}/recusal/": {"post"},
        base + "{version}/messages/": {"get", "post"},
        base + "{version}/response/": {"get", "post"},
        "/api/v1/reviews/waiting/": {"get"},
        "/api/v1/advisory/": {"get"},
    }
    for path, methods in expected.items():
        assert path in paths, path
        assert set(paths[path]) == methods, path
    assert "requestBody" in paths[base + "{version}/review/"]["put"]
    assert "201" in paths[base + "{version}/response/"]["post"]["responses"]
    published_schema = schema["components"]["schemas"]["ResponsePublished"]["properties"]
    assert {"vote_opens_at", "message", "answers"} <= set(published_schema)
    round_schema = schema["components"]["schemas"]["Round"]["properties"]
    assert {"reviews", "own_review", "recusals", "minority_report", "items_to_answer"} <= set(
        round_schema
    )


def test_the_api_root_links_the_advisory_index(cast: Cast) -> None:
    links = client_for(None).get("/api/v1/").json()

    index = client_for(None).get(links["advisory"]).json()
    assert index["proposal_rounds"].endswith("/api/v1/spaces/{space_slug}/proposals/{id}/rounds/")
    assert index["reviews_waiting"] == "http://testserver/api/v1/reviews/waiting/"


@pytest.mark.parametrize("suffix", ["", "review/", "recusal/", "messages/", "response/"])
def test_every_round_address_of_an_unknown_proposal_is_a_404(cast: Cast, suffix: str) -> None:
    response = client_for(cast.marcus).get(f"/api/v1/spaces/city/proposals/999/rounds/1/{suffix}")

    assert response.status_code in (404, 405)
