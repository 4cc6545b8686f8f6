"""Make proposal versions immutable in the database itself, on PostgreSQL and SQLite.

A version is what the board reviewed and the electorate voted on; a change of text is a
new version. Any UPDATE or DELETE of a version row is refused with an integrity error
(SQLSTATE 23001 on PostgreSQL, a constraint abort on SQLite), so Django reports an
IntegrityError, as it does for the rulebook (spaces migration 0002).
"""

from django.db import migrations

from core.migration_sql import RefusalTrigger, refusal_trigger

VERSION_NEVER_CHANGES = RefusalTrigger(
    name="proposals_version_immutable",
    table="proposals_proposalversion",
    events=("UPDATE", "DELETE"),
    message="a proposal version never changes: submit a new version instead",
    subject=("version", "OLD.id"),
    errcode="restrict_violation",
    function="proposals_version_refuse_change",
    sqlite_names=("proposals_version_no_update", "proposals_version_no_delete"),
)


class Migration(migrations.Migration):
    dependencies = [("proposals", "0001_initial")]

    operations = [refusal_trigger(VERSION_NEVER_CHANGES)]
