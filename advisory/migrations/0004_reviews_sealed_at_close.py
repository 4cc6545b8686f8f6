"""A review is written only while its round is open, on PostgreSQL and SQLite: INSERT
or UPDATE of a review in a closed round is refused, a review never moves to another
round or person, and none is deleted. Refusals are integrity errors, as in 0002."""

from django.db import migrations

from core.migration_sql import register_triggers, vendor_sql

MESSAGE = "a review changes only while its round is open, and is never removed or moved"

ROUND_CLOSED = "(SELECT closed_at FROM advisory_round WHERE id = NEW.round_id) IS NOT NULL"

POSTGRES_CREATE = f"""
CREATE OR REPLACE FUNCTION advisory_review_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION '{MESSAGE} (review %)', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'UPDATE' AND (NEW.round_id IS DISTINCT FROM OLD.round_id
            OR NEW.user_id IS DISTINCT FROM OLD.user_id) THEN
        RAISE EXCEPTION '{MESSAGE} (review %)', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    IF {ROUND_CLOSED} THEN
        RAISE EXCEPTION '{MESSAGE} (round %)', NEW.round_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER advisory_review_guard
    BEFORE INSERT OR UPDATE OR DELETE ON advisory_review
    FOR EACH ROW EXECUTE FUNCTION advisory_review_guard();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS advisory_review_guard ON advisory_review;
DROP FUNCTION IF EXISTS advisory_review_guard();
"""
SQLITE_CREATE = [
    f"""
CREATE TRIGGER advisory_review_insert BEFORE INSERT ON advisory_review
WHEN {ROUND_CLOSED}
BEGIN
    SELECT RAISE(ABORT, '{MESSAGE}');
END;
""",
    f"""
CREATE TRIGGER advisory_review_update BEFORE UPDATE ON advisory_review
WHEN {ROUND_CLOSED} OR NEW.round_id IS NOT OLD.round_id OR NEW.user_id IS NOT OLD.user_id
BEGIN
    SELECT RAISE(ABORT, '{MESSAGE}');
END;
""",
    f"""
CREATE TRIGGER advisory_review_no_delete BEFORE DELETE ON advisory_review
BEGIN
    SELECT RAISE(ABORT, '{MESSAGE}');
END;
""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS advisory_review_insert;",
    "DROP TRIGGER IF EXISTS advisory_review_update;",
    "DROP TRIGGER IF EXISTS advisory_review_no_delete;",
]


# The triggers this migration creates, by name and table, for core.migration_sql's
# registry of every trigger the project installs.
register_triggers(
    postgresql={
        "advisory_review_guard": "advisory_review",
    },
    sqlite={
        "advisory_review_insert": "advisory_review",
        "advisory_review_update": "advisory_review",
        "advisory_review_no_delete": "advisory_review",
    },
)


class Migration(migrations.Migration):
    dependencies = [("advisory", "0003_reviews")]

    operations = [
        vendor_sql(
            {"postgresql": POSTGRES_CREATE, "sqlite": SQLITE_CREATE},
            {"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP},
        )
    ]
