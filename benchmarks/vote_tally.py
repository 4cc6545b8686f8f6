"""Benchmark: tally N ballots (target: 1,000,000 in under 1 s on PostgreSQL), then
finalise the vote (the tally, the ballots rewritten in random order, the result and its
event, in one transaction).

Run against a scratch database loaded with the demo, never a real one:

    createdb -h 127.0.0.1 -U postgres realvoice_bench_votes
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/realvoice_bench_votes
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_demo
    .venv/bin/python benchmarks/vote_tally.py --ballots 1000000

It adds N ballots to the demo's open vote (bulk-inserted with random hashes, as casting
them one by one would take hours) and widens its electorate snapshot to match; the tally
and the finalisation are the code paths the site uses.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402

from core.clock import clock_set  # noqa: E402
from voting import selectors, services  # noqa: E402
from voting.models import Ballot, Vote  # noqa: E402

BATCH = 20_000


def add_ballots(vote: Vote, count: int) -> None:
    chooser = random.Random(1)
    for first in range(0, count, BATCH):
        Ballot.objects.bulk_create(
            Ballot(
                id=uuid.uuid4(),
                vote_id=vote.pk,
                ballot_hash=secrets.token_hex(32),
                choice=chooser.choice(["approve", "approve", "reject", "abstain"]),
                on_board=chooser.random() < 0.05,
            )
            for _ in range(min(BATCH, count - first))
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=1_000_000)
    args = parser.parse_args()
    vote = (
        Vote.objects.filter(opened_at__isnull=False, finalised_at__isnull=True)
        .order_by("-close_at")
        .first()
    )
    if vote is None or vote.electorate_size is None or vote.close_at is None:
        sys.exit("No open vote: run this against a scratch database loaded with the demo.")
    if Ballot.objects.filter(vote=vote).count() > 1_000:
        sys.exit("This vote already has the benchmark's ballots: start from a fresh demo.")

    began = time.perf_counter()
    add_ballots(vote, args.ballots)
    Vote.objects.filter(pk=vote.pk).update(electorate_size=vote.electorate_size + args.ballots)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE voting_ballot")
    built = time.perf_counter()
    print(f"added {args.ballots:,} ballots in {built - began:.1f} s")

    tallies = []
    for _ in range(3):
        started = time.perf_counter()
        everyone, bloc = selectors.ballot_counts(vote)
        tallies.append(time.perf_counter() - started)
    print(f"tally: {everyone} (advisory bloc {bloc})")
    runs = ", ".join(f"{seconds:.3f}" for seconds in tallies)
    print(f"tally time, best of 3: {min(tallies):.3f} s (runs: {runs})")

    vote.refresh_from_db()
    assert vote.close_at is not None
    started = time.perf_counter()
    after_close = vote.close_at + timedelta(minutes=1)
    with (
        clock_set(after_close),
        mock.patch("voting.services.closing.notify_many"),  # no e-mail to the demo's people
    ):
        services.vote_finalise_if_due(vote=vote)
    finalised = time.perf_counter() - started
    vote.refresh_from_db()
    print(f"finalised as {vote.outcome} ({vote.rule}) in {finalised:.1f} s")
    print(f"tally / finalisation: {min(tallies) / finalised:.3f}")


if __name__ == "__main__":
    main()
