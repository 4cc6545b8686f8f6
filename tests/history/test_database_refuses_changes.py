"""On PostgreSQL the database itself keeps the history append-only."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from history.models import Event
from history.verification import verify
from tests.history.tampering import build_chain

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def run_sql(sql: str, params: list[int]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE history_event SET kind = 'proposal.adopted' WHERE seq = %s",
        "UPDATE history_event SET occurred_at = occurred_at - interval '1 day' WHERE seq = %s",
        "DELETE FROM history_event WHERE seq = %s",
    ],
)
def test_raw_sql_cannot_change_or_delete_an_envelope(sql: str) -> None:
    build_chain(3)
    before = list(Event.objects.values_list("seq", "kind", "occurred_at", "event_hash"))
    with pytest.raises(IntegrityError, match="append-only"):
        run_sql(sql, [2])
    assert list(Event.objects.values_list("seq", "kind", "occurred_at", "event_hash")) == before


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE history_eventcontent SET data = convert_to('{}', 'UTF8') WHERE event_id = %s",
        "UPDATE history_eventcontent SET salt = convert_to('x', 'UTF8') WHERE event_id = %s",
        "UPDATE history_eventcontent SET event_id = 99 WHERE event_id = %s",
        "DELETE FROM history_eventcontent WHERE event_id = %s",
    ],
)
def test_raw_sql_cannot_change_content_other_than_by_redaction(sql: str) -> None:
    build_chain(3)
    with pytest.raises(IntegrityError, match="can only be redacted"):
        run_sql(sql, [2])
    assert verify().ok


def test_raw_sql_may_redact_content_and_verification_then_asks_for_the_redaction_event() -> None:
    build_chain(3)
    run_sql("UPDATE history_eventcontent SET data = NULL, salt = NULL WHERE event_id = %s", [2])
    result = verify()
    assert result.failed_at == 2
    assert "redaction event" in result.reason
