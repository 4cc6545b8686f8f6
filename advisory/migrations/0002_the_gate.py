"""The advisory gate, in the database itself, on PostgreSQL and SQLite.

1. A proposal cannot be awaiting a vote, voting, adopted, rejected or failed unless a
   round for its current version passed: any INSERT or UPDATE of a proposal that would
   break this is refused. Moving the current version on (a change of text) needs a new
   round for the new version, so it is refused past the gate too.
2. A round is never deleted and, once closed, never changes; while open, only its close
   (closed_at and outcome, set together) may be written. What it froze at opening (the
   proposal, the version, the rulebook, the board size, the times) never changes.
3. A seat is never deleted and never moves to another round or person.

Each refusal is an integrity error (SQLSTATE 23514 on PostgreSQL, a constraint abort on
SQLite), so Django raises IntegrityError on both.
"""

from django.db import migrations

from core.migration_sql import register_triggers, vendor_sql

GATED = "('awaiting_vote', 'voting', 'adopted', 'rejected', 'failed')"
GATE_MESSAGE = (
    "the advisory gate: a proposal reaches a vote only with a passed advisory round "
    "for its current version"
)
ROUND_MESSAGE = "an advisory round keeps what it froze at opening, and never changes once closed"
SEAT_MESSAGE = "a seat on the board of a round is never removed or moved"

NO_PASSED_ROUND = """NOT EXISTS (
    SELECT 1 FROM advisory_round r
    WHERE r.proposal_id = NEW.id
      AND r.version_id = NEW.current_version_id
      AND r.outcome = 'passed'
)"""

ROUND_FROZEN_CHANGED = """(
    OLD.closed_at IS NOT NULL
    OR NEW.proposal_id IS NOT OLD.proposal_id
    OR NEW.version_id IS NOT OLD.version_id
    OR NEW.rulebook_id IS NOT OLD.rulebook_id
    OR NEW.board_size IS NOT OLD.board_size
    OR NEW.opened_at IS NOT OLD.opened_at
    OR NEW.deadline_at IS NOT OLD.deadline_at
)"""

POSTGRES_CREATE = f"""
CREATE OR REPLACE FUNCTION advisory_gate_check() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.state IN {GATED} AND {NO_PASSED_ROUND} THEN
        RAISE EXCEPTION '{GATE_MESSAGE} (proposal %)', NEW.id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER advisory_gate
    BEFORE INSERT OR UPDATE ON proposals_proposal
    FOR EACH ROW EXECUTE FUNCTION advisory_gate_check();

CREATE OR REPLACE FUNCTION advisory_round_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR {ROUND_FROZEN_CHANGED.replace(" IS NOT ", " IS DISTINCT FROM ")} THEN
        RAISE EXCEPTION '{ROUND_MESSAGE} (round %)', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER advisory_round_guard
    BEFORE UPDATE OR DELETE ON advisory_round
    FOR EACH ROW EXECUTE FUNCTION advisory_round_guard();

CREATE OR REPLACE FUNCTION advisory_seat_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NEW.round_id IS DISTINCT FROM OLD.round_id
            OR NEW.user_id IS DISTINCT FROM OLD.user_id THEN
        RAISE EXCEPTION '{SEAT_MESSAGE} (seat %)', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER advisory_seat_guard
    BEFORE UPDATE OR DELETE ON advisory_seat
    FOR EACH ROW EXECUTE FUNCTION advisory_seat_guard();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS advisory_gate ON proposals_proposal;
DROP FUNCTION IF EXISTS advisory_gate_check();
DROP TRIGGER IF EXISTS advisory_round_guard ON advisory_round;
DROP FUNCTION IF EXISTS advisory_round_guard();
DROP TRIGGER IF EXISTS advisory_seat_guard ON advisory_seat;
DROP FUNCTION IF EXISTS advisory_seat_guard();
"""
SQLITE_CREATE = [
    f"""
CREATE TRIGGER advisory_gate_insert BEFORE INSERT ON proposals_proposal
WHEN NEW.state IN {GATED} AND {NO_PASSED_ROUND}
BEGIN
    SELECT RAISE(ABORT, '{GATE_MESSAGE}');
END;
""",
    f"""
CREATE TRIGGER advisory_gate_update BEFORE UPDATE ON proposals_proposal
WHEN NEW.state IN {GATED} AND {NO_PASSED_ROUND}
BEGIN
    SELECT RAISE(ABORT, '{GATE_MESSAGE}');
END;
""",
    f"""
CREATE TRIGGER advisory_round_no_change BEFORE UPDATE ON advisory_round
WHEN {ROUND_FROZEN_CHANGED}
BEGIN
    SELECT RAISE(ABORT, '{ROUND_MESSAGE}');
END;
""",
    f"""
CREATE TRIGGER advisory_round_no_delete BEFORE DELETE ON advisory_round
BEGIN
    SELECT RAISE(ABORT, '{ROUND_MESSAGE}');
END;
""",
    f"""
CREATE TRIGGER advisory_seat_no_move BEFORE UPDATE ON advisory_seat
WHEN NEW.round_id IS NOT OLD.round_id OR NEW.user_id IS NOT OLD.user_id
BEGIN
    SELECT RAISE(ABORT, '{SEAT_MESSAGE}');
END;
""",
    f"""
CREATE TRIGGER advisory_seat_no_delete BEFORE DELETE ON advisory_seat
BEGIN
    SELECT RAISE(ABORT, '{SEAT_MESSAGE}');
END;
""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS advisory_gate_insert;",
    "DROP TRIGGER IF EXISTS advisory_gate_update;",
    "DROP TRIGGER IF EXISTS advisory_round_no_change;",
    "DROP TRIGGER IF EXISTS advisory_round_no_delete;",
    "DROP TRIGGER IF EXISTS advisory_seat_no_move;",
    "DROP TRIGGER IF EXISTS advisory_seat_no_delete;",
]


# The triggers this migration creates, by name and table, for core.migration_sql's
# registry of every trigger the project installs.
register_triggers(
    postgresql={
        "advisory_gate": "proposals_proposal",
        "advisory_round_guard": "advisory_round",
        "advisory_seat_guard": "advisory_seat",
    },
    sqlite={
        "advisory_gate_insert": "proposals_proposal",
        "advisory_gate_update": "proposals_proposal",
        "advisory_round_no_change": "advisory_round",
        "advisory_round_no_delete": "advisory_round",
        "advisory_seat_no_move": "advisory_seat",
        "advisory_seat_no_delete": "advisory_seat",
    },
)


class Migration(migrations.Migration):
    dependencies = [("advisory", "0001_initial"), ("proposals", "0003_cosign_invitations")]

    operations = [
        vendor_sql(
            {"postgresql": POSTGRES_CREATE, "sqlite": SQLITE_CREATE},
            {"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP},
        )
    ]
