"""The minute sweep closes due rounds: beat runs the advisory task, and `manage.py sweep`
runs the same work once where no beat runs (the embedded demo)."""

from __future__ import annotations

import datetime
from io import StringIO

from django.core.management import call_command

from advisory.models import Round
from advisory.tasks import sweep_rounds
from config.celery import app as celery_app
from core.clock import clock_set
from proposals.models import Proposal
from tests.advisory.conftest import Board, review
from voting.tasks import sweep_votes


def test_beat_runs_the_advisory_sweep_every_sweep_interval() -> None:
    celery_app.finalize(auto=True)
    entry = celery_app.conf.beat_schedule["close-due-advisory-rounds"]

    assert entry["task"] == "advisory.sweep_rounds"
    assert celery_app.tasks["advisory.sweep_rounds"].name == sweep_rounds.name


def test_the_sweep_command_closes_a_round_past_its_deadline_with_a_quorum(
    board: Board, open_round: Round
) -> None:
    review(board.marcus, open_round)
    review(board.ama, open_round, verdict="oppose", rationale="Not enough night staff.")
    after_deadline = open_round.deadline_at + datetime.timedelta(minutes=1)
    out = StringIO()

    with clock_set(after_deadline):
        call_command("sweep", stdout=out)

    open_round.refresh_from_db()
    assert open_round.outcome == Round.Outcome.NOT_PASSED  # 1 of 2 is below 2/3
    assert open_round.proposal.state == Proposal.State.REVISION
    assert "rounds closed: 1" in out.getvalue()


def test_beat_opens_due_votes_every_sweep_interval() -> None:
    celery_app.finalize(auto=True)
    entry = celery_app.conf.beat_schedule["open-due-votes"]

    assert entry["task"] == "voting.sweep_votes"
    assert celery_app.tasks["voting.sweep_votes"].name == sweep_votes.name
