"""Benchmark: verify a chain of N events (target: 1,000,000 in under 10 s on PostgreSQL).

Run against a scratch database, never a real one; it refuses a non-empty history:

    createdb -h 127.0.0.1 -U postgres realvoice_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/realvoice_bench \
        .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/realvoice_bench \
        .venv/bin/python benchmarks/history_verify.py --events 1000000

The chain is built with the same hashing as append() but bulk-inserted, so building it
takes a minute rather than hours; verification is the code path the site uses.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from history import chain  # noqa: E402
from history.models import GENESIS_HASH, Event, EventContent  # noqa: E402
from history.verification import verify  # noqa: E402

BATCH = 10_000


def build(count: int) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    prev = GENESIS_HASH
    for first in range(1, count + 1, BATCH):
        events, contents = [], []
        for seq in range(first, min(first + BATCH, count + 1)):
            data = chain.encode_data({"proposal": seq // 7, "verdict": "endorse", "n": seq})
            salt = secrets.token_bytes(16)
            event = Event(
                seq=seq,
                occurred_at=start + timedelta(seconds=seq),
                kind="review.published",
                subject_type="proposals.proposal",
                subject_id=str(seq // 7),
                actor_id="00000000-0000-4000-8000-000000000000",
                actor_role="board_member",
                content_hash=chain.content_hash(salt, data),
                prev_hash=prev,
            )
            event.event_hash = prev = event.computed_hash()
            events.append(event)
            contents.append(EventContent(event_id=seq, data=data, salt=salt))
        Event.objects.bulk_create(events)
        EventContent.objects.bulk_create(contents)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args()
    if Event.objects.exists():
        sys.exit("The history is not empty: run this against a scratch database only.")
    began = time.perf_counter()
    build(args.events)
    built = time.perf_counter()
    result = verify()
    verified = time.perf_counter()
    print(f"built {args.events:,} events in {built - began:.1f} s")
    print(f"verify(): {result}")
    print(
        f"verified in {verified - built:.2f} s ({args.events / (verified - built):,.0f} events/s)"
    )


if __name__ == "__main__":
    main()
