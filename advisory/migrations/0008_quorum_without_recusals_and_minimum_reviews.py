"""The quorum without recusals and with the rulebook's minimum number of reviews, in the
database's own check of a close too (0007's rule, replaced here on PostgreSQL and SQLite).

A round closes as passed or not passed only if, counting the reviews of members seated on
its frozen board who did not step aside:

    answers ≥ minimum_reviews  and  answers × den ≥ num × (board size − recusals)

with the rulebook frozen onto the round, the consent as before, and at or after its
deadline or with every seat answered: the same integer arithmetic as
advisory/arithmetic.py. The other checks of 0007 (a round opens open, who reviews, no
seat added) are unchanged. The round also records when its facilitators were told that it
can never reach its quorum, so they are told once.
"""

import importlib

from django.db import migrations, models

from core.migration_sql import register_triggers, vendor_sql

before = importlib.import_module("advisory.migrations.0007_a_closed_round_keeps_its_arithmetic")

OUTCOME_MESSAGE = before.OUTCOME_MESSAGE
OPENS_MESSAGE = before.OPENS_MESSAGE
ANSWERS = before.ANSWERS
RECUSED = before.RECUSED
CONSENT_GIVEN = before.CONSENT_GIVEN
DUE = before.DUE


def _rule(column: str) -> str:
    return f"(SELECT rb.{column} FROM spaces_rulebook rb WHERE rb.id = NEW.rulebook_id)"


SEATS_REMAINING = f"(NEW.board_size - {RECUSED})"
QUORUM_MET = (
    f"({SEATS_REMAINING} > 0 AND {ANSWERS} >= {_rule('minimum_reviews')}"
    f" AND {ANSWERS} * {_rule('advisory_quorum_den')}"
    f" >= {_rule('advisory_quorum_num')} * {SEATS_REMAINING})"
)
UNEARNED = (
    f"(NEW.outcome = 'passed' AND NOT ({QUORUM_MET} AND {CONSENT_GIVEN} AND {DUE}))"
    f" OR (NEW.outcome = 'not_passed' AND NOT ({QUORUM_MET} AND NOT {CONSENT_GIVEN} AND {DUE}))"
)


def _postgres_function(unearned: str) -> str:
    # The function replaced, and its trigger (the same as 0007's) set again on it.
    return f"""
CREATE OR REPLACE FUNCTION advisory_round_outcome_check() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.closed_at IS NOT NULL OR NEW.outcome <> '' THEN
            RAISE EXCEPTION '{OPENS_MESSAGE}' USING ERRCODE = 'check_violation';
        END IF;
    ELSIF NEW.outcome IN ('passed', 'not_passed') THEN
        IF {unearned} THEN
            RAISE EXCEPTION '{OUTCOME_MESSAGE} (round %)', NEW.id
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END;
$$;
DROP TRIGGER IF EXISTS advisory_round_outcome_check ON advisory_round;
CREATE TRIGGER advisory_round_outcome_check
    BEFORE INSERT OR UPDATE ON advisory_round
    FOR EACH ROW EXECUTE FUNCTION advisory_round_outcome_check();
"""


def _sqlite_trigger(unearned: str) -> list[str]:
    return [
        "DROP TRIGGER IF EXISTS advisory_round_outcome_earned;",
        f"""
CREATE TRIGGER advisory_round_outcome_earned BEFORE UPDATE ON advisory_round
WHEN {unearned}
BEGIN
    SELECT RAISE(ABORT, '{OUTCOME_MESSAGE}');
END;
""",
    ]


POSTGRES_CREATE = _postgres_function(UNEARNED)
SQLITE_CREATE = _sqlite_trigger(UNEARNED)


# The triggers this migration sets again (0007's), by name and table, for core.migration_sql's
# registry of every trigger the project installs.
register_triggers(
    postgresql={"advisory_round_outcome_check": "advisory_round"},
    sqlite={"advisory_round_outcome_earned": "advisory_round"},
)


class Migration(migrations.Migration):
    dependencies = [
        ("advisory", "0007_a_closed_round_keeps_its_arithmetic"),
        ("spaces", "0005_rulebook_minimum_reviews"),
    ]

    operations = [
        # Nullable without a default: SQLite adds the column in place, keeping the
        # table's triggers.
        migrations.AddField(
            model_name="round",
            name="unreachable_notice_sent_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        vendor_sql(
            {"postgresql": POSTGRES_CREATE, "sqlite": SQLITE_CREATE},
            {
                "postgresql": _postgres_function(before.UNEARNED),
                "sqlite": _sqlite_trigger(before.UNEARNED),
            },
        ),
    ]
