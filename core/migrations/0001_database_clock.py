"""The database clock, ``realvoice_now()`` (see core/clock.py).

On PostgreSQL a one-row table holds the clock's setting (none: the database's own time)
and two functions read it: ``realvoice_now()``, the current statement's time, and
``realvoice_transaction_start()``, the current transaction's, so a trigger can check
that a row was stamped inside the transaction writing it. SQLite's ``realvoice_now()``
is given to each connection by core.apps; it has no transaction start.
"""

from django.db import migrations

from core.migration_sql import vendor_sql

POSTGRES_CREATE = """
CREATE TABLE realvoice_clock (
    id smallint PRIMARY KEY CHECK (id = 1),
    frozen_at timestamptz,
    "offset" interval NOT NULL DEFAULT interval '0'
);
INSERT INTO realvoice_clock (id) VALUES (1);

CREATE OR REPLACE FUNCTION realvoice_now() RETURNS timestamptz
LANGUAGE sql STABLE AS $$
    SELECT COALESCE(
        (SELECT frozen_at FROM realvoice_clock WHERE id = 1),
        statement_timestamp()
            + COALESCE((SELECT "offset" FROM realvoice_clock WHERE id = 1), interval '0')
    )
$$;

CREATE OR REPLACE FUNCTION realvoice_transaction_start() RETURNS timestamptz
LANGUAGE sql STABLE AS $$
    SELECT COALESCE(
        (SELECT frozen_at FROM realvoice_clock WHERE id = 1),
        transaction_timestamp()
            + COALESCE((SELECT "offset" FROM realvoice_clock WHERE id = 1), interval '0')
    )
$$;
"""
POSTGRES_DROP = """
DROP FUNCTION IF EXISTS realvoice_transaction_start();
DROP FUNCTION IF EXISTS realvoice_now();
DROP TABLE IF EXISTS realvoice_clock;
"""


class Migration(migrations.Migration):
    initial = True
    dependencies: list[tuple[str, str]] = []

    operations = [vendor_sql({"postgresql": POSTGRES_CREATE}, {"postgresql": POSTGRES_DROP})]
