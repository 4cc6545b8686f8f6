"""Make rulebook versions immutable in the database itself, on PostgreSQL and SQLite.

A running review round or vote keeps the rulebook version it opened with, so a version
must never change: a change of rules is a new row (``spaces.services.rulebook_change``).
Any UPDATE of a rulebook row is refused with an integrity error (SQLSTATE 23001 on
PostgreSQL, a constraint abort on SQLite), so Django reports an IntegrityError, as it
does for the floors' CHECK constraints.
"""

from django.db import migrations

from core.migration_sql import RefusalTrigger, refusal_trigger

RULEBOOK_NEVER_CHANGES = RefusalTrigger(
    name="spaces_rulebook_immutable",
    table="spaces_rulebook",
    events=("UPDATE",),
    message="a rulebook version never changes: adopt a new version instead",
    subject=("rulebook", "OLD.id"),
    errcode="restrict_violation",
    function="spaces_rulebook_refuse_update",
)


class Migration(migrations.Migration):
    dependencies = [("spaces", "0001_initial")]

    operations = [refusal_trigger(RULEBOOK_NEVER_CHANGES)]
