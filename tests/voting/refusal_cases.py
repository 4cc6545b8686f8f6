"""The voting refusal table: see tests/refusals.py.

The vote is ``open_vote`` (tests/voting/fixtures.py): Dee and the board of three are in
its snapshot; Olu, who only edits the proposing organisation, is not. The page is the
ballot page's form (cast, change), the API the ballot endpoint (POST casts, PUT changes).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.proposals.conftest import Cast, actor
from tests.refusals import Attempt, RefusalCase, Request
from voting import services
from voting.models import Vote
from voting.receipts import new_receipt


def _page(vote: Vote, name: str) -> str:
    proposal = vote.proposal
    return reverse(f"voting:{name}", kwargs={"space_slug": proposal.space.slug, "pk": proposal.pk})


def _api(vote: Vote) -> str:
    proposal = vote.proposal
    return f"/api/v1/spaces/{proposal.space.slug}/proposals/{proposal.pk}/vote/ballot/"


def _arranged(request: pytest.FixtureRequest) -> tuple[Cast, Vote]:
    return request.getfixturevalue("cast"), request.getfixturevalue("open_vote")


def _cast_outside_the_electorate(request: pytest.FixtureRequest) -> Attempt:
    cast, vote = _arranged(request)
    return Attempt(
        user=cast.olu,
        service=lambda: services.vote_cast(actor=actor(cast.olu), vote=vote, choice="approve"),
        page=Request("post", _page(vote, "cast"), {"choice": "approve"}),
        api=Request("post", _api(vote), {"choice": "approve"}),
    )


def _cast_before_the_opening(request: pytest.FixtureRequest) -> Attempt:
    cast, vote = request.getfixturevalue("cast"), request.getfixturevalue("scheduled_vote")
    return Attempt(
        user=cast.dee,
        service=lambda: services.vote_cast(actor=actor(cast.dee), vote=vote, choice="approve"),
        page=Request("post", _page(vote, "cast"), {"choice": "approve"}),
        api=Request("post", _api(vote), {"choice": "approve"}),
    )


def _cast_twice(request: pytest.FixtureRequest) -> Attempt:
    cast, vote = _arranged(request)
    services.vote_cast(actor=actor(cast.dee), vote=vote, choice="approve")
    return Attempt(
        user=cast.dee,
        service=lambda: services.vote_cast(actor=actor(cast.dee), vote=vote, choice="reject"),
        page=Request("post", _page(vote, "cast"), {"choice": "reject"}),
        api=Request("post", _api(vote), {"choice": "reject"}),
    )


def _change_before_casting(request: pytest.FixtureRequest) -> Attempt:
    cast, vote = _arranged(request)
    receipt = new_receipt()  # well formed, and given to nobody
    form = {"receipt": receipt, "choice": "reject"}
    return Attempt(
        user=cast.dee,
        service=lambda: services.vote_change(
            actor=actor(cast.dee), vote=vote, receipt=receipt, choice="reject"
        ),
        page=Request("post", _page(vote, "change"), form),
        api=Request("put", _api(vote), form),
    )


def _change_outside_the_electorate(request: pytest.FixtureRequest) -> Attempt:
    cast, vote = _arranged(request)
    receipt = new_receipt()
    form = {"receipt": receipt, "choice": "reject"}
    return Attempt(
        user=cast.olu,
        service=lambda: services.vote_change(
            actor=actor(cast.olu), vote=vote, receipt=receipt, choice="reject"
        ),
        page=Request("post", _page(vote, "change"), form),
        api=Request("put", _api(vote), form),
    )


CASES: list[RefusalCase] = [
    RefusalCase("voting.cast", "someone outside the electorate", _cast_outside_the_electorate),
    RefusalCase("voting.cast", "a second cast", _cast_twice),
    RefusalCase("voting.cast", "before the vote opens", _cast_before_the_opening),
    RefusalCase("voting.change", "before one has cast", _change_before_casting),
    RefusalCase("voting.change", "someone outside the electorate", _change_outside_the_electorate),
]
