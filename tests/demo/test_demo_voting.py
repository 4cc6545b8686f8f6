"""The demo's votes show every stage a vote can be in (scheduled, open, counting, and
finalised as adopted, rejected and failed), made through the services only: their
results recount from the published files, the history verifies and reads forward in
time, and a demo login can vote in the open vote.

The demo is loaded once for this module (it takes a while), inside a transaction that
is rolled back after the last test; each test runs in a savepoint of its own."""

from __future__ import annotations

import hashlib
import importlib.util
import json
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from types import ModuleType

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from pytest_django import DjangoDbBlocker

from accounts.authority import Actor
from accounts.models import User
from demo.advisory import PASSED
from demo.voting import (
    ADOPTED,
    COUNTING,
    FAILED,
    OPEN,
    OPEN_VOTE_LOGINS,
    OPEN_VOTE_VOTED_LOGIN,
    REJECTED,
    VOTING_PROPOSALS,
)
from history.models import Event
from history.verification import verify
from proposals.language import check_text
from proposals.models import Proposal
from tests.accounts.support import sign_in
from voting.models import Ballot, Participation, Rule, Stage, Vote
from voting.receipts import receipts_csv
from voting.selectors import receipts_list, result_document, vote_of, vote_view

pytestmark = pytest.mark.django_db

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "recount.py"


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[str]:
    """Loads the demo once for the module and returns what it printed."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = StringIO()
        with override_settings(DEBUG=True):
            call_command("load_demo", stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)


def _vote(title: str) -> Vote:
    found = vote_of(Proposal.objects.get(draft__title=title))
    assert found is not None, title
    return found


def _load_recount() -> ModuleType:
    spec = importlib.util.spec_from_file_location("recount", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_demo_has_a_vote_in_every_stage(demo: str) -> None:
    stages = {}
    for title in (PASSED.title, *(proposal.title for proposal in VOTING_PROPOSALS)):
        vote = _vote(title)
        view = vote_view(Actor.anonymous(), vote)
        stages[title] = (view.stage, vote.proposal.state, vote.outcome, vote.rule)

    assert stages == {
        PASSED.title: (Stage.SCHEDULED, Proposal.State.AWAITING_VOTE, "", ""),
        OPEN.title: (Stage.OPEN, Proposal.State.VOTING, "", ""),
        # Closed and left for the sweep, which the demo has not run.
        COUNTING.title: (Stage.COUNTING, Proposal.State.VOTING, "", ""),
        ADOPTED.title: (Stage.FINALISED, Proposal.State.ADOPTED, "adopted", Rule.PASSED),
        REJECTED.title: (
            Stage.FINALISED,
            Proposal.State.REJECTED,
            "rejected",
            Rule.ADVISORY_BLOC_THRESHOLD,
        ),
        FAILED.title: (Stage.FINALISED, Proposal.State.FAILED, "failed", Rule.NO_QUORUM),
    }
    # The rejected one: most of everyone approved, most of the advisory bloc did not.
    everyone, bloc = _vote(REJECTED.title).counts(), _vote(REJECTED.title).bloc_counts()
    assert everyone.approve > everyone.reject
    assert bloc.approve < bloc.reject
    # A realistic electorate: the 40 in the electorate and the board of 7.
    assert _vote(OPEN.title).electorate_size == 47
    assert _vote(OPEN.title).board_size == 7
    for proposal in VOTING_PROPOSALS:
        assert proposal.title in demo


def test_the_finalised_results_recount_from_their_published_files(
    demo: str, tmp_path: Path
) -> None:
    recount = _load_recount()
    for title in (ADOPTED.title, REJECTED.title, FAILED.title):
        vote = _vote(title)
        listed = receipts_list(vote)
        document = result_document(vote, listed)
        (tmp_path / "receipts.csv").write_bytes(listed)
        (tmp_path / "result.json").write_bytes(document)

        result, with_choices, rows = recount.recount(
            tmp_path / "receipts.csv", tmp_path / "result.json"
        )

        assert with_choices
        assert result["counts"] == {
            "approve": vote.approve,
            "reject": vote.reject,
            "abstain": vote.abstain,
        }
        assert len(rows) == Participation.objects.filter(vote=vote).count()
        assert result["outcome"] == vote.outcome
        # The list is the one the finalisation hashed when it stored the result.
        assert hashlib.sha256(listed).hexdigest() == vote.receipts_sha256
        assert json.loads(document)["receipts_sha256"] == vote.receipts_sha256
        assert listed == receipts_csv(
            Ballot.objects.filter(vote=vote).values_list("ballot_hash", "choice"),
            with_choices=True,
        )


def test_the_history_verifies_and_reads_forward_in_time(demo: str) -> None:
    """The votes run for weeks beside the advisory rounds; their steps are loaded in time
    order with the rounds', so the chain still reads forward in time."""
    result = verify()

    assert result.ok, str(result)
    times = list(Event.objects.order_by("seq").values_list("occurred_at", flat=True))
    assert times == sorted(times)
    kinds = list(Event.objects.filter(kind__startswith="vote.").values_list("kind", flat=True))
    assert sorted(kinds) == sorted(
        ["vote.scheduled"] * 6
        + ["vote.brought_forward"]
        + ["vote.opened"] * 5
        + ["vote.finalised"] * 3
    )


def test_a_demo_login_can_vote_in_the_open_vote(demo: str, client: Client) -> None:
    vote = _vote(OPEN.title)
    for username in OPEN_VOTE_LOGINS:
        view = vote_view(Actor(user=User.objects.get(username=username)), vote)
        assert view.accepts_ballots
        assert view.may_vote, username
        assert not view.has_voted, username
    voted = vote_view(Actor(user=User.objects.get(username=OPEN_VOTE_VOTED_LOGIN)), vote)
    assert voted.has_voted
    assert f"sign in as {OPEN_VOTE_LOGINS[0]!r}" in demo
    # Casting appends no event, and nobody's ballot is linked to them.
    assert (
        Ballot.objects.filter(vote=vote).count() == Participation.objects.filter(vote=vote).count()
    )

    page = f"/spaces/{vote.proposal.space.slug}/proposals/{vote.proposal_id}/vote/"
    assert client.get(page).status_code == 200
    sign_in(client, User.objects.get(username=OPEN_VOTE_LOGINS[0]))
    assert client.get(page).status_code == 200


def test_the_demo_proposals_put_to_a_vote_use_person_first_language(demo: str) -> None:
    for proposal in VOTING_PROPOSALS:
        version = _vote(proposal.title).version
        for text in (version.summary, version.body, version.people_served):
            assert check_text(text, "en") == [], (proposal.title, text)
