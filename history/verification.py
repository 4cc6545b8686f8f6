"""Check the whole chain, or stop at the first event that does not hold."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import connection
from django.db.models import F
from django.db.models.expressions import RawSQL

from history import chain
from history.models import GENESIS_HASH, REDACTION_KIND, Event
from history.selectors import ChainHead

REDACTION_SUBJECT = Event._meta.label_lower

# chain.canonical_time() computed by PostgreSQL: parsing a million timestamps in Python
# would take a third of the verification time.
_CANONICAL_TIME_SQL = RawSQL(
    """to_char(history_event.occurred_at AT TIME ZONE 'UTC',"""
    """ 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')""",
    [],
)


@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    head: ChainHead | None
    failed_at: int | None = None
    reason: str = ""

    def __str__(self) -> str:
        if self.ok:
            return f"The chain verifies: {self.checked} events, head {self.head}."
        return f"The chain breaks at event {self.failed_at}: {self.reason}"


def verify(*, expected_head: ChainHead | None = None, chunk_size: int = 20_000) -> Verification:
    """Recompute every hash and link, in sequence order.

    Finds: a changed envelope field or content (at that event), a deleted event (at
    its number), an inserted or reordered event (at the first event whose link or hash
    no longer holds), content erased without a redaction event, and, given the head
    published earlier, a chain cut short or rebuilt from some point on.
    """
    on_postgres = connection.vendor == "postgresql"
    rows = (
        Event.objects.order_by("seq")
        .annotate(occurred_text=_CANONICAL_TIME_SQL if on_postgres else F("occurred_at"))
        .values_list(
            *("occurred_text" if name == "occurred_at" else name for name in chain.ENVELOPE),
            "event_hash",
            "content__event_id",
            "content__data",
            "content__salt",
        )
        .iterator(chunk_size=chunk_size)
    )
    expected_seq, prev = 1, GENESIS_HASH
    erased: set[int] = set()
    sha256, canonical, fields = hashlib.sha256, chain.canonical_time, len(chain.ENVELOPE)

    def failed(at: int, reason: str) -> Verification:
        # Content erased before the break can no longer be vouched for by a redaction
        # event after it, so the first such event is the first one that does not hold.
        if erased and min(erased) < at:
            at, reason = (
                min(erased),
                (
                    f"its content was erased, and the chain breaks at event {at} before any "
                    "redaction event for it can be trusted."
                ),
            )
        return Verification(False, expected_seq - 1, _head(expected_seq - 1, prev), at, reason)

    for row in rows:
        (
            seq, occurred_at, kind, subject_type, subject_id, _actor_id, _actor_role,
            content_hash, prev_hash, event_hash, content_id, data, salt,
        ) = row  # fmt: skip
        if seq != expected_seq:
            return failed(expected_seq, f"event {expected_seq} is missing (found {seq} next).")
        if prev_hash != prev:
            return failed(seq, "it does not link to the event before it.")
        # The row starts with the envelope in ENVELOPE order (occurred_at second); SQLite
        # gives the time as a datetime, PostgreSQL as the canonical text already.
        envelope = row[:fields] if on_postgres else (seq, canonical(occurred_at), *row[2:fields])
        computed = chain.event_hash(envelope)
        if computed != event_hash:
            return failed(seq, "its envelope does not match its hash.")
        if content_id is None:
            return failed(seq, "its content row is missing.")
        if data is None:
            erased.add(seq)
        # psycopg and sqlite3 both return bytes here; bytes() would copy a million times.
        elif salt is None or sha256(salt + data).hexdigest() != content_hash:
            return failed(seq, "its content does not match its hash.")
        if kind == REDACTION_KIND and subject_type == REDACTION_SUBJECT:
            erased.discard(int(subject_id))
        if (
            expected_head is not None
            and seq == expected_head.seq
            and event_hash != expected_head.event_hash
        ):
            return failed(seq, "it does not match the expected head.")
        expected_seq, prev = seq + 1, event_hash

    checked = expected_seq - 1
    if erased:
        first = min(erased)
        return Verification(
            False, checked, _head(checked, prev), first,
            "its content was erased without a redaction event.",
        )  # fmt: skip
    if expected_head is not None and checked < expected_head.seq:
        return Verification(
            False, checked, _head(checked, prev), checked + 1,
            f"the chain ends at event {checked}, before the expected head {expected_head.seq}.",
        )  # fmt: skip
    return Verification(True, checked, _head(checked, prev))


def _head(seq: int, event_hash: str) -> ChainHead | None:
    return ChainHead(seq=seq, event_hash=event_hash) if seq >= 1 else None
