"""A proposal in a final state (adopted, rejected, failed, withdrawn) stays as it is: its
state and its current version never change again, on PostgreSQL and SQLite. Without it a
raw update could bring a withdrawn proposal whose version once passed back to a vote.
Refusals are integrity errors."""

from django.db import migrations

from core.migration_sql import register_triggers, vendor_sql

FINAL = "('adopted', 'rejected', 'failed', 'withdrawn')"
MESSAGE = "a proposal in a final state keeps its state and its version"
CHANGED = (
    f"OLD.state IN {FINAL} AND (NEW.state IS NOT OLD.state"
    " OR NEW.current_version_id IS NOT OLD.current_version_id)"
)

POSTGRES_CREATE = f"""
CREATE OR REPLACE FUNCTION proposals_final_state_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF {CHANGED.replace(" IS NOT ", " IS DISTINCT FROM ")} THEN
        RAISE EXCEPTION '{MESSAGE} (proposal %)', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER proposals_final_state_guard
    BEFORE UPDATE ON proposals_proposal
    FOR EACH ROW EXECUTE FUNCTION proposals_final_state_guard();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS proposals_final_state_guard ON proposals_proposal;
DROP FUNCTION IF EXISTS proposals_final_state_guard();
"""
SQLITE_CREATE = f"""
CREATE TRIGGER proposals_final_state_guard BEFORE UPDATE ON proposals_proposal
WHEN {CHANGED}
BEGIN
    SELECT RAISE(ABORT, '{MESSAGE}');
END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS proposals_final_state_guard;"


# The triggers this migration creates, by name and table, for core.migration_sql's
# registry of every trigger the project installs.
register_triggers(
    postgresql={"proposals_final_state_guard": "proposals_proposal"},
    sqlite={"proposals_final_state_guard": "proposals_proposal"},
)


class Migration(migrations.Migration):
    dependencies = [("proposals", "0003_cosign_invitations")]

    operations = [
        vendor_sql(
            {"postgresql": POSTGRES_CREATE, "sqlite": SQLITE_CREATE},
            {"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP},
        )
    ]
