"""What someone with direct write access to the database could do to the chain."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

from history import chain
from history.models import Event, EventContent
from history.services import append


def build_chain(length: int) -> list[Event]:
    kinds = ["space.created", "proposal.submitted", "round.closed", "vote.finalised"]
    return [
        append(
            kind=kinds[n % len(kinds)],
            actor=None,
            actor_role="system",
            data={"n": n, "note": f"event number {n} — ñ"},
        )
        for n in range(1, length + 1)
    ]


@contextmanager
def bypassing_triggers() -> Iterator[None]:
    """Write as a database superuser could: with the append-only triggers switched off."""
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute("SET session_replication_role = replica")
        try:
            yield
        finally:
            if postgres:
                cursor.execute("SET session_replication_role = origin")


def _move(seq: int, to: int) -> None:
    Event.objects.filter(seq=seq).update(seq=to)
    EventContent.objects.filter(event_id=seq).update(event_id=to)


def rehash(seq: int, *, prev_hash: str) -> str:
    """Recompute one event's hashes from its stored fields, as a careful forger would."""
    event = Event.objects.select_related("content").get(seq=seq)
    assert event.content.salt is not None
    assert event.content.data is not None
    event.content_hash = chain.content_hash(bytes(event.content.salt), bytes(event.content.data))
    event.prev_hash = prev_hash
    event.event_hash = event.computed_hash()
    Event.objects.filter(seq=seq).update(
        content_hash=event.content_hash, prev_hash=prev_hash, event_hash=event.event_hash
    )
    return event.event_hash


def delete_event(seq: int) -> None:
    with bypassing_triggers():
        EventContent.objects.filter(event_id=seq).delete()
        Event.objects.filter(seq=seq).delete()


def insert_forged_event(at: int) -> None:
    """Make room at ``at`` and slip in a well-formed event linked to the one before it."""
    last = Event.objects.order_by("-seq").values_list("seq", flat=True).first()
    assert last is not None
    before = Event.objects.get(seq=at - 1)
    with bypassing_triggers():
        for seq in range(last, at - 1, -1):
            _move(seq, seq + 1)
        forged = Event.objects.create(
            seq=at,
            occurred_at=before.occurred_at,
            kind="proposal.adopted",
            actor_role="system",
            content_hash="0" * 64,
            prev_hash="f" * 64,
            event_hash="e" * 64,
        )
        EventContent.objects.create(event=forged, data=b'{"forged":true}', salt=b"s" * 16)
        Event.objects.filter(seq=at + 1).update(prev_hash="d" * 64)  # free the unique link
        forged_hash = rehash(at, prev_hash=before.event_hash)
        Event.objects.filter(seq=at + 1).update(prev_hash=forged_hash)


def swap_events(first: int) -> None:
    parking = 10**12
    with bypassing_triggers():
        _move(first, parking)
        _move(first + 1, first)
        _move(parking, first + 1)


def rebuild_from(seq: int) -> None:
    """Change one event's content and recompute every hash after it: internally consistent."""
    last = Event.objects.order_by("-seq").values_list("seq", flat=True).first()
    assert last is not None
    with bypassing_triggers():
        EventContent.objects.filter(event_id=seq).update(data=b'{"rewritten":true}')
        prev = Event.objects.get(seq=seq - 1).event_hash if seq > 1 else "0" * 64
        for n in range(seq, last + 1):
            prev = rehash(n, prev_hash=prev)
