"""The only writes to the decision history."""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.clock import db_now
from core.errors import Conflict
from history import chain
from history.models import GENESIS_HASH, REDACTION_KIND, ActorRole, Event, EventContent
from history.selectors import chain_head

# Any fixed 64-bit key; every append takes this transaction-scoped lock on PostgreSQL.
_APPEND_LOCK_KEY = 0x5265616C566F6963  # "RealVoic"
# Kinds read "area.happened", e.g. "proposal.submitted"; a typo would be kept forever.
_KIND = re.compile(r"[a-z][a-z_]*(\.[a-z][a-z_]*)+")


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


def subject_reference(subject: models.Model) -> str:
    """A subject's id as published: its public_id where it has one (people), else its key."""
    return str(getattr(subject, "public_id", subject.pk))


@transaction.atomic
def append(
    *,
    kind: str,
    actor: Any | None,
    actor_role: ActorRole | str,
    data: dict[str, Any],
    subject: models.Model | None = None,
    occurred_at: datetime | None = None,
    actor_shown: bool = True,
) -> Event:
    """Append one event to the chain, in the caller's transaction.

    Guarantees: sequence numbers are gap-free and each event has exactly one successor,
    even with concurrent writers on PostgreSQL or SQLite; the event is stored only if the
    caller's transaction commits. Call it last in a service, so the chain lock is held
    only for the commit. ``occurred_at`` defaults to the database clock.

    ``actor_shown=False`` records the role but not who acted (a review shown as from
    "an advisory member"): a published actor id would link it to the person's other acts.
    """
    role = ActorRole(actor_role)  # ValueError on an unknown role
    if actor is None and role != ActorRole.SYSTEM:
        raise ValueError("Only the system acts without an actor.")
    if not _KIND.fullmatch(kind):
        raise ValueError(f"An event kind reads like 'proposal.submitted'; got {kind!r}.")
    if occurred_at is not None and timezone.is_naive(occurred_at):
        raise ValueError("occurred_at must be timezone-aware.")
    _lock_chain()
    head = chain_head()
    stored = chain.encode_data(data)
    salt = secrets.token_bytes(16)
    event = Event(
        seq=head.seq + 1 if head else 1,
        prev_hash=head.event_hash if head else GENESIS_HASH,
        occurred_at=occurred_at or db_now(),
        kind=kind,
        subject_type=subject._meta.label_lower if subject is not None else "",
        subject_id=subject_reference(subject) if subject is not None else "",
        actor_id=actor_reference(actor) if actor_shown else "",
        actor_role=role.value,
        content_hash=chain.content_hash(salt, stored),
    )
    event.event_hash = event.computed_hash()
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
        raise Conflict(_("Give a public reason for the redaction."))
    _lock_chain()  # before the content row, in the same order as every append
    updated = EventContent.objects.filter(event=event, data__isnull=False).update(
        data=None, salt=None
    )
    if updated != 1:
        raise Conflict(_("This event's content has already been redacted."))
    return append(
        kind=REDACTION_KIND,
        actor=actor,
        actor_role=actor_role,
        subject=event,
        data={"seq": event.seq, "kind": event.kind, "reason": reason.strip(), "kept": kept},
    )
