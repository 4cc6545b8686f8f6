"""Raw SQL per database vendor in migrations (triggers the ORM cannot express).

``vendor_sql(create, drop)`` is a RunPython operation that runs, for the database in
use, the statements in ``create`` forwards and those in ``drop`` backwards; each maps a
vendor ("postgresql", "sqlite") to one SQL text or a list of statements.

Refusal triggers
----------------
A rule the database keeps by refusing a write ("a version never changes", "a final state
is final") is described once, in the migration that installs it, and this module writes
both databases' SQL from the description. For example::

    from core.migration_sql import RefusalTrigger, refusal_trigger

    FINAL_STATE_KEPT = RefusalTrigger(
        name="proposals_final_state_kept",
        table="proposals_proposal",
        events=("UPDATE",),
        condition={
            "postgresql": "OLD.state = 'adopted' AND NEW.state IS DISTINCT FROM OLD.state",
            "sqlite": "OLD.state = 'adopted' AND NEW.state IS NOT OLD.state",
        },
        message="an adopted proposal keeps its state",
        subject=("proposal", "OLD.id"),
    )

    class Migration(migrations.Migration):
        operations = [refusal_trigger(FINAL_STATE_KEPT)]

- On PostgreSQL: a PL/pgSQL function (named ``name``, or ``function``) that raises
  ``message`` with SQLSTATE ``errcode``, and one trigger ``name`` BEFORE all the
  ``events``; ``subject`` (a label and an SQL expression) names the refused row in the
  message, "... (proposal 12)". On SQLite: one trigger per event (a SQLite trigger has
  one), named ``name`` for a single event and ``<name>_<event>`` otherwise (or
  ``sqlite_names``), each ``SELECT RAISE(ABORT, message)``. Django reports either refusal
  as an IntegrityError.
- ``condition`` is an SQL boolean over NEW and OLD: the write is refused only when it
  holds (without one, every such write is refused). Give one text when it is valid on
  both databases, or one per vendor as above. On DELETE only OLD exists.
- The reverse drops the triggers (and the function).

Every trigger the project installs is registered by name and table: declaring a
``RefusalTrigger`` registers its triggers, and a migration whose SQL is written by hand
registers its own with ``register_triggers``. A test checks, on each database, that the
migrated schema has exactly the registered triggers. On SQLite a migration that rebuilds
a table (``AddField`` with a default, ``AlterField``) drops the table's triggers without
a word: set them again after it with ``reinstall_refusal_trigger(DESCRIPTION)``, the
description imported from the migration that declared it. A migration never changes once
it ran: a changed rule is a new one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db import migrations
from django.db.migrations.loader import MigrationLoader

from core.registry import AlreadyRegistered

VendorSQL = dict[str, str | list[str]]
Event = Literal["INSERT", "UPDATE", "DELETE"]

VENDORS = ("postgresql", "sqlite")
EVENTS: tuple[Event, ...] = ("INSERT", "UPDATE", "DELETE")
# Lower case and at most 63 characters, so PostgreSQL keeps the name as written.
IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def _run(schema_editor: Any, sql_by_vendor: VendorSQL) -> None:
    statements = sql_by_vendor.get(schema_editor.connection.vendor) or []
    if isinstance(statements, str):
        statements = [statements]
    # A plain cursor without parameters, so "%" in PL/pgSQL is not a placeholder.
    with schema_editor.connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def vendor_sql(create: VendorSQL, drop: VendorSQL) -> migrations.RunPython:
    return migrations.RunPython(
        lambda apps, schema_editor: _run(schema_editor, create),
        lambda apps, schema_editor: _run(schema_editor, drop),
    )


# --- The registry of installed triggers --------------------------------------------------

# vendor -> trigger name -> table. Filled as migration modules are imported.
_registered: dict[str, dict[str, str]] = {vendor: {} for vendor in VENDORS}


def register_triggers(
    *, postgresql: Mapping[str, str] | None = None, sqlite: Mapping[str, str] | None = None
) -> None:
    """Record the triggers a migration installs, name -> table, per database. The same
    name on the same table again (a trigger set again) is a no-op; on another table it
    raises, as the name is then ambiguous."""
    for vendor, triggers in (("postgresql", postgresql), ("sqlite", sqlite)):
        for name, table in (triggers or {}).items():
            known = _registered[vendor].setdefault(name, table)
            if known != table:
                raise AlreadyRegistered(
                    f"trigger {name!r} on {vendor} is registered on {known}, not {table}"
                )


def registered_triggers(vendor: str) -> dict[str, str]:
    """Every trigger the project's migrations install on ``vendor``, name -> table.

    Each migration registers its own when imported, so every migration is loaded first
    (as ``migrate`` loads them)."""
    MigrationLoader(None, ignore_no_migrations=True)
    return dict(_registered[vendor])


# --- Refusal triggers --------------------------------------------------------------------


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True)
class RefusalTrigger:
    """A write the database refuses: see the module's docstring. Declaring one registers
    its triggers."""

    name: str
    table: str
    events: tuple[Event, ...]
    message: str
    # One SQL boolean for both databases, or {"postgresql": ..., "sqlite": ...}.
    condition: str | Mapping[str, str] | None = field(default=None, hash=False)
    # PostgreSQL's message names the row: (label, SQL expression), e.g. ("version", "OLD.id").
    subject: tuple[str, str] | None = None
    errcode: str = "check_violation"
    # The PL/pgSQL function's name, when it is not the trigger's.
    function: str = ""
    # SQLite's trigger names, one per event in order, when not the default ones.
    sqlite_names: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        names = (self.name, self.table, self.postgresql_function, *self.sqlite_trigger_names)
        for identifier in names:
            if not IDENTIFIER.fullmatch(identifier):
                raise ValueError(f"{identifier!r}: a lower-case SQL name of 63 characters at most")
        if not self.events or len(set(self.events)) != len(self.events):
            raise ValueError(f"{self.name}: events must be one or more of {EVENTS}, once each")
        if not set(self.events) <= set(EVENTS):
            raise ValueError(f"{self.name}: events must be among {EVENTS}, not {self.events}")
        if self.sqlite_names and len(self.sqlite_names) != len(self.events):
            raise ValueError(f"{self.name}: one SQLite name per event")
        if isinstance(self.condition, Mapping) and set(self.condition) != set(VENDORS):
            # A vendor left out would refuse every write there.
            raise ValueError(f"{self.name}: a condition per vendor names both {VENDORS}")
        register_triggers(
            postgresql={self.name: self.table},
            sqlite=dict.fromkeys(self.sqlite_trigger_names, self.table),
        )

    @property
    def postgresql_function(self) -> str:
        return self.function or self.name

    @property
    def sqlite_trigger_names(self) -> tuple[str, ...]:
        if self.sqlite_names:
            return self.sqlite_names
        if len(self.events) == 1:
            return (self.name,)
        return tuple(f"{self.name}_{event.lower()}" for event in self.events)

    def condition_on(self, vendor: str) -> str | None:
        if isinstance(self.condition, Mapping):
            return self.condition[vendor]
        return self.condition

    # PostgreSQL -------------------------------------------------------------------------

    def _postgresql_raise(self) -> str:
        # RAISE's message is a format: "%" is a placeholder unless doubled.
        message = self.message.replace("%", "%%")
        if self.subject is None:
            return f"RAISE EXCEPTION {_literal(message)} USING ERRCODE = '{self.errcode}';"
        label, expression = self.subject
        message = f"{message} ({label.replace('%', '%%')} %)"
        return (
            f"RAISE EXCEPTION {_literal(message)}, {expression} USING ERRCODE = '{self.errcode}';"
        )

    def _postgresql_body(self) -> list[str]:
        refusal = self._postgresql_raise()
        condition = self.condition_on("postgresql")
        if condition is None:
            return [refusal]
        lines = [f"IF {condition} THEN", f"    {refusal}", "END IF;"]
        # A BEFORE DELETE trigger that returns NEW (NULL there) would skip the delete.
        if self.events == ("DELETE",):
            return [*lines, "RETURN OLD;"]
        if "DELETE" in self.events:
            lines += ["IF TG_OP = 'DELETE' THEN", "    RETURN OLD;", "END IF;"]
        return [*lines, "RETURN NEW;"]

    def _postgresql_trigger(self) -> str:
        return (
            f"CREATE TRIGGER {self.name}\n"
            f"    BEFORE {' OR '.join(self.events)} ON {self.table}\n"
            f"    FOR EACH ROW EXECUTE FUNCTION {self.postgresql_function}();"
        )

    def _postgresql_drop_trigger(self) -> str:
        return f"DROP TRIGGER IF EXISTS {self.name} ON {self.table};"

    def postgresql_create(self) -> str:
        body = "\n".join(f"    {line}" for line in self._postgresql_body())
        function = (
            f"CREATE OR REPLACE FUNCTION {self.postgresql_function}() RETURNS trigger\n"
            "LANGUAGE plpgsql AS $$\n"
            "BEGIN\n"
            f"{body}\n"
            "END;\n"
            "$$;"
        )
        return f"\n{function}\n\n{self._postgresql_trigger()}\n"

    def postgresql_drop(self) -> str:
        drop_function = f"DROP FUNCTION IF EXISTS {self.postgresql_function}();"
        return f"\n{self._postgresql_drop_trigger()}\n{drop_function}\n"

    def postgresql_reinstall(self) -> str:
        return f"\n{self._postgresql_drop_trigger()}\n{self._postgresql_trigger()}\n"

    # SQLite -----------------------------------------------------------------------------

    def sqlite_create(self) -> list[str]:
        condition = self.condition_on("sqlite")
        when = "" if condition is None else f"WHEN {condition}\n"
        return [
            f"\nCREATE TRIGGER {name} BEFORE {event} ON {self.table}\n"
            f"{when}"
            "BEGIN\n"
            f"    SELECT RAISE(ABORT, {_literal(self.message)});\n"
            "END;\n"
            for name, event in zip(self.sqlite_trigger_names, self.events, strict=True)
        ]

    def sqlite_drop(self) -> list[str]:
        return [f"DROP TRIGGER IF EXISTS {name};" for name in self.sqlite_trigger_names]

    # Both -------------------------------------------------------------------------------

    def create_sql(self) -> VendorSQL:
        return {"postgresql": self.postgresql_create(), "sqlite": self.sqlite_create()}

    def drop_sql(self) -> VendorSQL:
        return {"postgresql": self.postgresql_drop(), "sqlite": self.sqlite_drop()}

    def reinstall_sql(self) -> VendorSQL:
        return {
            "postgresql": self.postgresql_reinstall(),
            "sqlite": [*self.sqlite_drop(), *self.sqlite_create()],
        }


def refusal_trigger(trigger: RefusalTrigger) -> migrations.RunPython:
    """The operation that installs ``trigger`` on the database in use (and drops it
    backwards)."""
    return vendor_sql(trigger.create_sql(), trigger.drop_sql())


def reinstall_refusal_trigger(trigger: RefusalTrigger) -> migrations.RunPython:
    """The operation that sets ``trigger`` again on its table, after a migration that
    rebuilt the table on SQLite; PostgreSQL's function is kept. Backwards it does
    nothing: the migration that declared the trigger drops it."""
    return vendor_sql(trigger.reinstall_sql(), {})
