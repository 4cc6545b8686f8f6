"""A vote's record, once written, stays as written, on PostgreSQL and SQLite:

- a finalised vote never changes, and no vote is ever deleted;
- a ballot is written (cast, changed, rewritten at finalisation) only while its vote is
  not finalised, and only its choice ever changes;
- participation rows and the electorate snapshot are never changed or deleted.

So no raw UPDATE can rewrite a published result or the ballots behind it. Refusals are
integrity errors, as in the advisory triggers."""

from django.db import migrations

from core.migration_sql import register_triggers, vendor_sql

VOTE = "a finalised vote never changes, and no vote is removed"
BALLOT = "a ballot changes only while its vote is not finalised, and only its choice"
KEPT = "who voted and who could vote are kept as written"

POSTGRES_CREATE = f"""
CREATE OR REPLACE FUNCTION voting_vote_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.finalised_at IS NOT NULL THEN
        RAISE EXCEPTION '{VOTE} (vote %)', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER voting_vote_guard
    BEFORE UPDATE OR DELETE ON voting_vote
    FOR EACH ROW EXECUTE FUNCTION voting_vote_guard();

CREATE OR REPLACE FUNCTION voting_ballot_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    row_vote bigint;
BEGIN
    IF TG_OP = 'UPDATE' AND (NEW.vote_id IS DISTINCT FROM OLD.vote_id
            OR NEW.ballot_hash IS DISTINCT FROM OLD.ballot_hash
            OR NEW.on_board IS DISTINCT FROM OLD.on_board) THEN
        RAISE EXCEPTION '{BALLOT} (ballot %)', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        row_vote := OLD.vote_id;
    ELSE
        row_vote := NEW.vote_id;
    END IF;
    IF (SELECT finalised_at FROM voting_vote WHERE id = row_vote) IS NOT NULL THEN
        RAISE EXCEPTION '{BALLOT} (vote %)', row_vote USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER voting_ballot_guard
    BEFORE INSERT OR UPDATE OR DELETE ON voting_ballot
    FOR EACH ROW EXECUTE FUNCTION voting_ballot_guard();

CREATE OR REPLACE FUNCTION voting_kept_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{KEPT} (%)', TG_TABLE_NAME USING ERRCODE = 'check_violation';
END;
$$;
CREATE TRIGGER voting_participation_guard
    BEFORE UPDATE OR DELETE ON voting_participation
    FOR EACH ROW EXECUTE FUNCTION voting_kept_guard();
CREATE TRIGGER voting_elector_guard
    BEFORE UPDATE OR DELETE ON voting_elector
    FOR EACH ROW EXECUTE FUNCTION voting_kept_guard();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS voting_vote_guard ON voting_vote;
DROP TRIGGER IF EXISTS voting_ballot_guard ON voting_ballot;
DROP TRIGGER IF EXISTS voting_participation_guard ON voting_participation;
DROP TRIGGER IF EXISTS voting_elector_guard ON voting_elector;
DROP FUNCTION IF EXISTS voting_vote_guard();
DROP FUNCTION IF EXISTS voting_ballot_guard();
DROP FUNCTION IF EXISTS voting_kept_guard();
"""


def _finalised(column: str) -> str:
    return f"(SELECT finalised_at FROM voting_vote WHERE id = {column}) IS NOT NULL"


SQLITE_CREATE = [
    f"""
CREATE TRIGGER voting_vote_update BEFORE UPDATE ON voting_vote
WHEN OLD.finalised_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, '{VOTE}');
END;
""",
    f"""
CREATE TRIGGER voting_vote_no_delete BEFORE DELETE ON voting_vote
BEGIN
    SELECT RAISE(ABORT, '{VOTE}');
END;
""",
    f"""
CREATE TRIGGER voting_ballot_insert BEFORE INSERT ON voting_ballot
WHEN {_finalised("NEW.vote_id")}
BEGIN
    SELECT RAISE(ABORT, '{BALLOT}');
END;
""",
    f"""
CREATE TRIGGER voting_ballot_update BEFORE UPDATE ON voting_ballot
WHEN {_finalised("OLD.vote_id")} OR NEW.vote_id IS NOT OLD.vote_id
    OR NEW.ballot_hash IS NOT OLD.ballot_hash OR NEW.on_board IS NOT OLD.on_board
BEGIN
    SELECT RAISE(ABORT, '{BALLOT}');
END;
""",
    f"""
CREATE TRIGGER voting_ballot_delete BEFORE DELETE ON voting_ballot
WHEN {_finalised("OLD.vote_id")}
BEGIN
    SELECT RAISE(ABORT, '{BALLOT}');
END;
""",
    *(
        f"""
CREATE TRIGGER {table}_kept_{operation.lower()} BEFORE {operation} ON {table}
BEGIN
    SELECT RAISE(ABORT, '{KEPT}');
END;
"""
        for table in ("voting_participation", "voting_elector")
        for operation in ("UPDATE", "DELETE")
    ),
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS voting_vote_update;",
    "DROP TRIGGER IF EXISTS voting_vote_no_delete;",
    "DROP TRIGGER IF EXISTS voting_ballot_insert;",
    "DROP TRIGGER IF EXISTS voting_ballot_update;",
    "DROP TRIGGER IF EXISTS voting_ballot_delete;",
    *(
        f"DROP TRIGGER IF EXISTS {table}_kept_{operation};"
        for table in ("voting_participation", "voting_elector")
        for operation in ("update", "delete")
    ),
]


# The triggers this migration creates, by name and table, for core.migration_sql's
# registry of every trigger the project installs.
register_triggers(
    postgresql={
        "voting_vote_guard": "voting_vote",
        "voting_ballot_guard": "voting_ballot",
        "voting_participation_guard": "voting_participation",
        "voting_elector_guard": "voting_elector",
    },
    sqlite={
        "voting_vote_update": "voting_vote",
        "voting_vote_no_delete": "voting_vote",
        "voting_ballot_insert": "voting_ballot",
        "voting_ballot_update": "voting_ballot",
        "voting_ballot_delete": "voting_ballot",
        "voting_participation_kept_update": "voting_participation",
        "voting_participation_kept_delete": "voting_participation",
        "voting_elector_kept_update": "voting_elector",
        "voting_elector_kept_delete": "voting_elector",
    },
)


class Migration(migrations.Migration):
    dependencies = [("voting", "0002_votes_are_finalised")]

    operations = [
        vendor_sql(
            {"postgresql": POSTGRES_CREATE, "sqlite": SQLITE_CREATE},
            {"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP},
        )
    ]
