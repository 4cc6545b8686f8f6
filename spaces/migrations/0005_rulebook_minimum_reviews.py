"""The rulebook's minimum number of reviews: a round needs at least this many answers
(recusals aside), whatever the quorum's share of the board; default 3, floor 2, kept by
a CHECK constraint like the other floors.

On SQLite, adding a column with a default rebuilds the table, and the rebuilt table has
none of the old one's triggers, so this migration sets the immutability trigger of 0002
again on it (PostgreSQL adds the column in place and keeps its trigger; it is set again
there too, to the same function, so both databases end the same).
"""

import importlib

from django.db import migrations, models

from core.migration_sql import reinstall_refusal_trigger

RULEBOOK_NEVER_CHANGES = importlib.import_module(
    "spaces.migrations.0002_rulebook_versions_never_change"
).RULEBOOK_NEVER_CHANGES


class Migration(migrations.Migration):
    dependencies = [("spaces", "0004_space_currency")]

    operations = [
        migrations.AddField(
            model_name="rulebook",
            name="minimum_reviews",
            field=models.PositiveIntegerField(default=3),
        ),
        migrations.AddConstraint(
            model_name="rulebook",
            constraint=models.CheckConstraint(
                condition=models.Q(minimum_reviews__gte=2),
                name="spaces_rulebook_minimum_reviews_floor",
            ),
        ),
        reinstall_refusal_trigger(RULEBOOK_NEVER_CHANGES),
    ]
