"""Make rulebook versions immutable in the database itself, on PostgreSQL and SQLite.

A running review round or vote keeps the rulebook version it opened with, so a version
must never change: a change of rules is a new row (``spaces.services.rulebook_change``).
Any UPDATE of a rulebook row is refused with an integrity error (SQLSTATE 23001 on
PostgreSQL, a constraint abort on SQLite), so Django reports an IntegrityError, as it
does for the floors' CHECK constraints.
"""

from django.db import migrations

MESSAGE = "a rulebook version never changes: adopt a new version instead"

POSTGRES_CREATE = f"""
CREATE OR REPLACE FUNCTION spaces_rulebook_refuse_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE} (rulebook %)', OLD.id USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER spaces_rulebook_immutable
    BEFORE UPDATE ON spaces_rulebook
    FOR EACH ROW EXECUTE FUNCTION spaces_rulebook_refuse_update();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS spaces_rulebook_immutable ON spaces_rulebook;
DROP FUNCTION IF EXISTS spaces_rulebook_refuse_update();
"""
SQLITE_CREATE = f"""
CREATE TRIGGER spaces_rulebook_immutable BEFORE UPDATE ON spaces_rulebook
BEGIN
    SELECT RAISE(ABORT, '{MESSAGE}');
END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS spaces_rulebook_immutable;"


def _run(schema_editor, sql_by_vendor):
    sql = sql_by_vendor.get(schema_editor.connection.vendor)
    if sql:
        # A plain cursor without parameters, so "%" in PL/pgSQL is not a placeholder.
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)


def create_trigger(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRES_CREATE, "sqlite": SQLITE_CREATE})


def drop_trigger(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP})


class Migration(migrations.Migration):
    dependencies = [("spaces", "0001_initial")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
