"""How events are encoded and hashed. Pure functions, shared by append and verify.

Anyone can re-implement these to check the chain: the published export carries every
field used here (see docs/decision-history.md).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

EVENT_HASH_DOMAIN = "realvoice-event-v1"


def encode_data(data: dict[str, Any]) -> bytes:
    """Canonical bytes of an event's data: sorted keys, no spaces, UTF-8."""
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, cls=DjangoJSONEncoder
    ).encode("utf-8")


def decode_data(stored: bytes | memoryview | None) -> dict[str, Any] | None:
    if stored is None:
        return None
    loaded: dict[str, Any] = json.loads(bytes(stored))
    return loaded


def content_hash(salt: bytes, data: bytes) -> str:
    return hashlib.sha256(salt + data).hexdigest()


def canonical_time(moment: datetime) -> str:
    """UTC, microseconds always present: the same string on PostgreSQL and SQLite."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


# The fields the event hash covers, in the order it covers them: the export, the API and
# verify() all read the envelope in this order.
ENVELOPE = (
    "seq",
    "occurred_at",
    "kind",
    "subject_type",
    "subject_id",
    "actor_id",
    "actor_role",
    "content_hash",
    "prev_hash",
)


def event_hash(envelope: Sequence[Any]) -> str:
    """SHA-256 over the envelope's values in ``ENVELOPE`` order, ``occurred_at`` as
    :func:`canonical_time`; each field is length-prefixed so none can bleed into another.

    Written out field by field rather than in a loop: verify() calls it for every event.
    """
    (
        seq, occurred_at, kind, subject_type, subject_id, actor_id, actor_role,
        content_hash, prev_hash,
    ) = envelope  # fmt: skip
    number = str(seq)
    payload = (
        f"{EVENT_HASH_DOMAIN}|{len(number)}:{number}|{len(occurred_at)}:{occurred_at}"
        f"|{len(kind)}:{kind}|{len(subject_type)}:{subject_type}|{len(subject_id)}:{subject_id}"
        f"|{len(actor_id)}:{actor_id}|{len(actor_role)}:{actor_role}"
        f"|{len(content_hash)}:{content_hash}|{len(prev_hash)}:{prev_hash}"
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
