"""The voting refusal table: see tests/refusals.py.

The vote is ``open_vote`` (tests/voting/fixtures.py): Dee and the board of three are in
its snapshot; Olu, who only edits the proposing organisation, is not. The page is the
ballot page's form (cast, change), the API the ballot endpoint (POST casts, PUT changes).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import User
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


def _a_cast(user: User, vote: Vote, choice: str) -> Attempt:
    """``user`` casts ``choice`` in ``vote``, on each surface."""
    return Attempt(
        user=user,
        service=lambda: services.vote_cast(actor=actor(user), vote=vote, choice=choice),
        page=Request("post", _page(vote, "cast"), {"choice": choice}),
        api=Request("post", _api(vote), {"choice": choice}),
    )


def _a_change(user: User, vote: Vote) -> Attempt:
    """``user`` changes a ballot in ``vote`` with a well-formed receipt given to nobody."""
    receipt = new_receipt()
    form = {"receipt": receipt, "choice": "reject"}
    return Attempt(
        user=user,
        service=lambda: services.vote_change(
            actor=actor(user), vote=vote, receipt=receipt, choice="reject"
        ),
        page=Request("post", _page(vote, "change"), form),
        api=Request("put", _api(vote), form),
    )


def _cast_outside_the_electorate(request: pytest.FixtureRequest) -> Attempt:
    cast, vote = _arranged(request)
    return _a_cast(cast.olu, vote, "approve")


def _cast_before_the_opening(request: pytest.FixtureRequest) -> Attempt:
    cast, vote = request.getfixturevalue("cast"), request.getfixturevalue("scheduled_vote")
    return _a_cast(cast.dee, vote, "approve")


def _cast_twice(request: pytest.FixtureRequest) -> Attempt:
    cast, vote = _arranged(request)
    services.vote_cast(actor=actor(cast.dee), vote=vote, choice="approve")
    return _a_cast(cast.dee, vote, "reject")


def _change_before_casting(request: pytest.FixtureRequest) -> Attempt:
    cast, vote = _arranged(request)
    return _a_change(cast.dee, vote)


def _change_outside_the_electorate(request: pytest.FixtureRequest) -> Attempt:
    cast, vote = _arranged(request)
    return _a_change(cast.olu, vote)


CASES: list[RefusalCase] = [
    RefusalCase("voting.cast", "someone outside the electorate", _cast_outside_the_electorate),
    RefusalCase("voting.cast", "a second cast", _cast_twice),
    RefusalCase("voting.cast", "before the vote opens", _cast_before_the_opening),
    RefusalCase("voting.change", "before one has cast", _change_before_casting),
    RefusalCase("voting.change", "someone outside the electorate", _change_outside_the_electorate),
]
