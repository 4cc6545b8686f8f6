"""What a closed round decided stays as it was, on PostgreSQL and SQLite: a published
response and its answers are never updated or deleted, and the seats of a closed round
(who recused) never change. Refusals are integrity errors, as in 0002."""

from django.db import migrations

from core.migration_sql import register_triggers, vendor_sql

RESPONSE_MESSAGE = "a published response to the board never changes"
SEAT_MESSAGE = "the seats of a closed round never change"

SEAT_ROUND_CLOSED = "(SELECT closed_at FROM advisory_round WHERE id = OLD.round_id) IS NOT NULL"

POSTGRES_CREATE = f"""
CREATE OR REPLACE FUNCTION advisory_response_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{RESPONSE_MESSAGE} (%)', TG_TABLE_NAME USING ERRCODE = 'check_violation';
END;
$$;
CREATE TRIGGER advisory_response_guard
    BEFORE UPDATE OR DELETE ON advisory_response
    FOR EACH ROW EXECUTE FUNCTION advisory_response_guard();
CREATE TRIGGER advisory_answer_guard
    BEFORE UPDATE OR DELETE ON advisory_answer
    FOR EACH ROW EXECUTE FUNCTION advisory_response_guard();

CREATE OR REPLACE FUNCTION advisory_closed_seat_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF {SEAT_ROUND_CLOSED} THEN
        RAISE EXCEPTION '{SEAT_MESSAGE} (seat %)', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER advisory_closed_seat_guard
    BEFORE UPDATE ON advisory_seat
    FOR EACH ROW EXECUTE FUNCTION advisory_closed_seat_guard();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS advisory_response_guard ON advisory_response;
DROP TRIGGER IF EXISTS advisory_answer_guard ON advisory_answer;
DROP FUNCTION IF EXISTS advisory_response_guard();
DROP TRIGGER IF EXISTS advisory_closed_seat_guard ON advisory_seat;
DROP FUNCTION IF EXISTS advisory_closed_seat_guard();
"""
SQLITE_CREATE = [
    f"""
CREATE TRIGGER advisory_{table}_no_{operation} BEFORE {operation.upper()} ON advisory_{table}
BEGIN
    SELECT RAISE(ABORT, '{RESPONSE_MESSAGE}');
END;
"""
    for table in ("response", "answer")
    for operation in ("update", "delete")
] + [
    f"""
CREATE TRIGGER advisory_closed_seat_no_update BEFORE UPDATE ON advisory_seat
WHEN {SEAT_ROUND_CLOSED}
BEGIN
    SELECT RAISE(ABORT, '{SEAT_MESSAGE}');
END;
"""
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS advisory_{table}_no_{operation};"
    for table in ("response", "answer")
    for operation in ("update", "delete")
] + ["DROP TRIGGER IF EXISTS advisory_closed_seat_no_update;"]


# The triggers this migration creates, by name and table, for core.migration_sql's
# registry of every trigger the project installs.
register_triggers(
    postgresql={
        "advisory_response_guard": "advisory_response",
        "advisory_answer_guard": "advisory_answer",
        "advisory_closed_seat_guard": "advisory_seat",
    },
    sqlite={
        "advisory_response_no_update": "advisory_response",
        "advisory_response_no_delete": "advisory_response",
        "advisory_answer_no_update": "advisory_answer",
        "advisory_answer_no_delete": "advisory_answer",
        "advisory_closed_seat_no_update": "advisory_seat",
    },
)


class Migration(migrations.Migration):
    dependencies = [("advisory", "0005_rounds_close_thread_response")]

    operations = [
        vendor_sql(
            {"postgresql": POSTGRES_CREATE, "sqlite": SQLITE_CREATE},
            {"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP},
        )
    ]
