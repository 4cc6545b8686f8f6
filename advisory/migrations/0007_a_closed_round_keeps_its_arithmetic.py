"""The gate's arithmetic, in the database too, on PostgreSQL and SQLite.

0002 lets a proposal past the gate only with a passed round for its current version;
this makes "passed" (and "not passed") impossible to write unless the round earned it:

1. A round is inserted open; it closes only by an update, checked here.
2. A round closes as passed only if, counting the reviews of members seated on its frozen
   board who did not step aside, the quorum of its frozen rulebook is met, the consent
   share reaches the threshold, and it closed at or after its deadline or with every
   seat answered; as not passed only with the same quorum and timing and without the
   consent. The same integer arithmetic as advisory/arithmetic.py.
3. A review is written only by a member seated on the round's board who did not step
   aside; no seat is added to a closed round or beyond the board size frozen at opening.

Each refusal is an integrity error, as in 0002.
"""

from django.db import migrations

from core.migration_sql import register_triggers, vendor_sql

OUTCOME_MESSAGE = "an advisory round closes as passed or not passed only by its own arithmetic"
OPENS_MESSAGE = "an advisory round opens open"
REVIEW_MESSAGE = "only a member seated on the board of a round, not stepped aside, reviews in it"
SEAT_MESSAGE = "no seat is added to a closed round or beyond the board frozen at its opening"


def _reviews(extra: str = "") -> str:
    return (
        "(SELECT COUNT(*) FROM advisory_review v JOIN advisory_seat s"
        " ON s.round_id = v.round_id AND s.user_id = v.user_id"
        f" WHERE v.round_id = NEW.id AND s.recused_at IS NULL{extra})"
    )


def _rule(column: str) -> str:
    return f"(SELECT rb.{column} FROM spaces_rulebook rb WHERE rb.id = NEW.rulebook_id)"


ANSWERS = _reviews()
IN_FAVOUR = _reviews(" AND v.verdict IN ('endorse', 'endorse_with_conditions')")
TAKING_A_SIDE = _reviews(" AND v.verdict <> 'abstain'")
RECUSED = (
    "(SELECT COUNT(*) FROM advisory_seat s WHERE s.round_id = NEW.id AND s.recused_at IS NOT NULL)"
)
QUORUM_MET = (
    f"(NEW.board_size > 0 AND {ANSWERS} * {_rule('advisory_quorum_den')}"
    f" >= {_rule('advisory_quorum_num')} * NEW.board_size)"
)
CONSENT_GIVEN = (
    f"({TAKING_A_SIDE} > 0 AND CASE WHEN {_rule('consent_strict')}"
    f" THEN {IN_FAVOUR} * {_rule('consent_den')} > {_rule('consent_num')} * {TAKING_A_SIDE}"
    f" ELSE {IN_FAVOUR} * {_rule('consent_den')} >= {_rule('consent_num')} * {TAKING_A_SIDE} END)"
)
DUE = f"(NEW.closed_at >= NEW.deadline_at OR {ANSWERS} + {RECUSED} >= NEW.board_size)"
UNEARNED = (
    f"(NEW.outcome = 'passed' AND NOT ({QUORUM_MET} AND {CONSENT_GIVEN} AND {DUE}))"
    f" OR (NEW.outcome = 'not_passed' AND NOT ({QUORUM_MET} AND NOT {CONSENT_GIVEN} AND {DUE}))"
)
UNSEATED = """NOT EXISTS (
    SELECT 1 FROM advisory_seat s
    WHERE s.round_id = NEW.round_id AND s.user_id = NEW.user_id AND s.recused_at IS NULL
)"""
SEAT_NOT_ADDABLE = """(
    (SELECT r.closed_at FROM advisory_round r WHERE r.id = NEW.round_id) IS NOT NULL
    OR (SELECT COUNT(*) FROM advisory_seat s WHERE s.round_id = NEW.round_id)
        >= (SELECT r.board_size FROM advisory_round r WHERE r.id = NEW.round_id)
)"""

POSTGRES_CREATE = f"""
CREATE OR REPLACE FUNCTION advisory_round_outcome_check() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.closed_at IS NOT NULL OR NEW.outcome <> '' THEN
            RAISE EXCEPTION '{OPENS_MESSAGE}' USING ERRCODE = 'check_violation';
        END IF;
    ELSIF NEW.outcome IN ('passed', 'not_passed') THEN
        IF {UNEARNED} THEN
            RAISE EXCEPTION '{OUTCOME_MESSAGE} (round %)', NEW.id
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER advisory_round_outcome_check
    BEFORE INSERT OR UPDATE ON advisory_round
    FOR EACH ROW EXECUTE FUNCTION advisory_round_outcome_check();

CREATE OR REPLACE FUNCTION advisory_review_seated_check() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF {UNSEATED} THEN
        RAISE EXCEPTION '{REVIEW_MESSAGE} (round %)', NEW.round_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER advisory_review_seated_check
    BEFORE INSERT OR UPDATE ON advisory_review
    FOR EACH ROW EXECUTE FUNCTION advisory_review_seated_check();

CREATE OR REPLACE FUNCTION advisory_seat_addable_check() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF {SEAT_NOT_ADDABLE} THEN
        RAISE EXCEPTION '{SEAT_MESSAGE} (round %)', NEW.round_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER advisory_seat_addable_check
    BEFORE INSERT ON advisory_seat
    FOR EACH ROW EXECUTE FUNCTION advisory_seat_addable_check();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS advisory_round_outcome_check ON advisory_round;
DROP FUNCTION IF EXISTS advisory_round_outcome_check();
DROP TRIGGER IF EXISTS advisory_review_seated_check ON advisory_review;
DROP FUNCTION IF EXISTS advisory_review_seated_check();
DROP TRIGGER IF EXISTS advisory_seat_addable_check ON advisory_seat;
DROP FUNCTION IF EXISTS advisory_seat_addable_check();
"""
SQLITE_CREATE = [
    f"""
CREATE TRIGGER advisory_round_opens_open BEFORE INSERT ON advisory_round
WHEN NEW.closed_at IS NOT NULL OR NEW.outcome <> ''
BEGIN
    SELECT RAISE(ABORT, '{OPENS_MESSAGE}');
END;
""",
    f"""
CREATE TRIGGER advisory_round_outcome_earned BEFORE UPDATE ON advisory_round
WHEN {UNEARNED}
BEGIN
    SELECT RAISE(ABORT, '{OUTCOME_MESSAGE}');
END;
""",
]
SQLITE_CREATE += [
    f"""
CREATE TRIGGER advisory_review_seated_{operation} BEFORE {operation.upper()} ON advisory_review
WHEN {UNSEATED}
BEGIN
    SELECT RAISE(ABORT, '{REVIEW_MESSAGE}');
END;
"""
    for operation in ("insert", "update")
]
SQLITE_CREATE.append(
    f"""
CREATE TRIGGER advisory_seat_addable BEFORE INSERT ON advisory_seat
WHEN {SEAT_NOT_ADDABLE}
BEGIN
    SELECT RAISE(ABORT, '{SEAT_MESSAGE}');
END;
"""
)
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS advisory_round_opens_open;",
    "DROP TRIGGER IF EXISTS advisory_round_outcome_earned;",
    "DROP TRIGGER IF EXISTS advisory_review_seated_insert;",
    "DROP TRIGGER IF EXISTS advisory_review_seated_update;",
    "DROP TRIGGER IF EXISTS advisory_seat_addable;",
]


# The triggers this migration creates, by name and table, for core.migration_sql's
# registry of every trigger the project installs.
register_triggers(
    postgresql={
        "advisory_round_outcome_check": "advisory_round",
        "advisory_review_seated_check": "advisory_review",
        "advisory_seat_addable_check": "advisory_seat",
    },
    sqlite={
        "advisory_round_opens_open": "advisory_round",
        "advisory_round_outcome_earned": "advisory_round",
        "advisory_review_seated_insert": "advisory_review",
        "advisory_review_seated_update": "advisory_review",
        "advisory_seat_addable": "advisory_seat",
    },
)


class Migration(migrations.Migration):
    dependencies = [("advisory", "0006_responses_and_closed_seats_never_change")]

    operations = [
        vendor_sql(
            {"postgresql": POSTGRES_CREATE, "sqlite": SQLITE_CREATE},
            {"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP},
        )
    ]
