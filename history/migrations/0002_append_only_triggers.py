"""On PostgreSQL, make the history append-only in the database itself.

Envelopes refuse every UPDATE and DELETE. Content rows refuse DELETE and every UPDATE
except redaction (data and salt both set to NULL, nothing else changed). The error is
raised with SQLSTATE 23001 (restrict_violation), so Django reports an IntegrityError.
TRUNCATE is not trapped (the test runner empties tables with it); a truncated or rebuilt
chain is caught by verifying against a published head instead.
"""

from django.db import migrations

from core.migration_sql import register_triggers

CREATE = """
CREATE OR REPLACE FUNCTION history_event_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'history events are append-only: % of event % refused', TG_OP, OLD.seq
        USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER history_event_append_only
    BEFORE UPDATE OR DELETE ON history_event
    FOR EACH ROW EXECUTE FUNCTION history_event_refuse_change();

CREATE OR REPLACE FUNCTION history_content_redaction_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.event_id = OLD.event_id
       AND NEW.data IS NULL
       AND NEW.salt IS NULL THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'history content can only be redacted: % of event % refused',
        TG_OP, OLD.event_id
        USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER history_content_redaction_only
    BEFORE UPDATE OR DELETE ON history_eventcontent
    FOR EACH ROW EXECUTE FUNCTION history_content_redaction_only();
"""

DROP = """
DROP TRIGGER IF EXISTS history_content_redaction_only ON history_eventcontent;
DROP FUNCTION IF EXISTS history_content_redaction_only();
DROP TRIGGER IF EXISTS history_event_append_only ON history_event;
DROP FUNCTION IF EXISTS history_event_refuse_change();
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(CREATE)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(DROP)


# The triggers this migration creates, by name and table, for core.migration_sql's
# registry of every trigger the project installs.
register_triggers(
    postgresql={
        "history_event_append_only": "history_event",
        "history_content_redaction_only": "history_eventcontent",
    },
)


class Migration(migrations.Migration):
    dependencies = [("history", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers, elidable=False)]
