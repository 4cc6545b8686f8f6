"""The only writes to the decision history."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from django.db import connection, models, transaction

from core.clock import db_now
from core.errors import Conflict
from history import chain
from history.models import GENESIS_HASH, ActorRole, Event, EventContent

# Any fixed 64-bit key; every append takes this transaction-scoped lock on PostgreSQL.
_APPEND_LOCK_KEY = 0x5265616C566F6963  # "RealVoic"


def _lock_chain() -> None:
    """Serialise appends until the caller's transaction ends.

    PostgreSQL: an advisory transaction lock. SQLite: transactions begin IMMEDIATE
    (config/settings.py), so the caller already holds the only write lock.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_APPEND_LOCK_KEY])


def actor_reference(actor: Any | None) -> str:
    """The opaque id written for a person: their public_id, never a name or e-mail."""
    return "" if actor is None else str(actor.public_id)


@transaction.atomic
def append(
    *,
    kind: str,
    actor: Any | None,
    actor_role: ActorRole | str,
    data: dict[str, Any],
    subject: models.Model | None = None,
    occurred_at: datetime | None = None,
) -> Event:
    """Append one event to the chain, in the caller's transaction.

    Guarantees: sequence numbers are gap-free and each event has exactly one successor,
    even with concurrent writers on PostgreSQL or SQLite; the event is stored only if the
    caller's transaction commits. Call it last in a service, so the chain lock is held
    only for the commit. ``occurred_at`` defaults to the database clock.
    """
    if actor is None and actor_role != ActorRole.SYSTEM:
        raise ValueError("Only the system acts without an actor.")
    _lock_chain()
    last = Event.objects.order_by("-seq").values_list("seq", "event_hash").first()
    seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
    moment = occurred_at or db_now()

    stored = chain.encode_data(data)
    salt = secrets.token_bytes(16)
    envelope: dict[str, Any] = {
        "seq": seq,
        "kind": kind,
        "subject_type": subject._meta.label_lower if subject is not None else "",
        "subject_id": str(subject.pk) if subject is not None else "",
        "actor_id": actor_reference(actor),
        "actor_role": str(actor_role),
        "content_hash": chain.content_hash(salt, stored),
        "prev_hash": prev_hash,
    }
    event = Event(
        **envelope,
        occurred_at=moment,
        event_hash=chain.event_hash(occurred_at=chain.canonical_time(moment), **envelope),
    )
    event.save(force_insert=True)
    EventContent.objects.create(event=event, data=stored, salt=salt)
    return event


@transaction.atomic
def redact(
    *, event: Event, actor: Any, actor_role: ActorRole | str, reason: str, kept: dict[str, Any]
) -> Event:
    """Erase one event's content and record that it was erased, why, and by whom.

    Only the content row changes (data and salt set to NULL, which the PostgreSQL
    trigger allows and nothing else); the envelope and its hash stay, so the chain
    still verifies. ``kept`` is what stays public about the event (its kind, and for a
    review its verdict). Permission checks belong to the calling service.
    """
    if not reason.strip():
        raise Conflict("Give a public reason for the redaction.")
    updated = EventContent.objects.filter(event=event, data__isnull=False).update(
        data=None, salt=None
    )
    if updated != 1:
        raise Conflict("This event's content has already been redacted.")
    return append(
        kind="history.redacted",
        actor=actor,
        actor_role=actor_role,
        subject=event,
        data={"seq": event.seq, "kind": event.kind, "reason": reason.strip(), "kept": kept},
    )
