"""Make proposal versions immutable in the database itself, on PostgreSQL and SQLite.

A version is what the board reviewed and the electorate voted on; a change of text is a
new version. Any UPDATE or DELETE of a version row is refused with an integrity error
(SQLSTATE 23001 on PostgreSQL, a constraint abort on SQLite), so Django reports an
IntegrityError, as it does for the rulebook (spaces migration 0002).
"""

from django.db import migrations

from core.migration_sql import vendor_sql

MESSAGE = "a proposal version never changes: submit a new version instead"

POSTGRES_CREATE = f"""
CREATE OR REPLACE FUNCTION proposals_version_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE} (version %)', OLD.id USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER proposals_version_immutable
    BEFORE UPDATE OR DELETE ON proposals_proposalversion
    FOR EACH ROW EXECUTE FUNCTION proposals_version_refuse_change();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS proposals_version_immutable ON proposals_proposalversion;
DROP FUNCTION IF EXISTS proposals_version_refuse_change();
"""
SQLITE_CREATE = [
    f"""
CREATE TRIGGER proposals_version_no_update BEFORE UPDATE ON proposals_proposalversion
BEGIN
    SELECT RAISE(ABORT, '{MESSAGE}');
END;
""",
    f"""
CREATE TRIGGER proposals_version_no_delete BEFORE DELETE ON proposals_proposalversion
BEGIN
    SELECT RAISE(ABORT, '{MESSAGE}');
END;
""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS proposals_version_no_update;",
    "DROP TRIGGER IF EXISTS proposals_version_no_delete;",
]


class Migration(migrations.Migration):
    dependencies = [("proposals", "0001_initial")]

    operations = [
        vendor_sql(
            {"postgresql": POSTGRES_CREATE, "sqlite": SQLITE_CREATE},
            {"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP},
        )
    ]
