"""The migrated database has exactly the triggers the migrations register, by name and
table, on the database in use (``core.migration_sql.registered_triggers``). On SQLite a
later migration that alters a table rebuilds it and drops its triggers without a word;
this is what would notice. A trigger created without being registered is noticed too."""

from __future__ import annotations

import pytest
from django.db import connection

from core.migration_sql import registered_triggers

pytestmark = pytest.mark.django_db


def _installed() -> set[tuple[str, str]]:
    """(trigger, table) for every trigger in the database, but PostgreSQL's own (the
    foreign keys' internal triggers)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT t.tgname, c.relname FROM pg_trigger t"
                " JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal"
            )
        else:
            cursor.execute("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'")
        return set(cursor.fetchall())


def _registered() -> set[tuple[str, str]]:
    return set(registered_triggers(connection.vendor).items())


def test_the_registry_knows_the_triggers_of_each_app() -> None:
    tables = {table for _name, table in _registered()}
    assert {
        "proposals_proposal",
        "proposals_proposalversion",
        "spaces_rulebook",
        "advisory_round",
        "voting_ballot",
    } <= tables
    if connection.vendor == "postgresql":
        assert ("history_event_append_only", "history_event") in _registered()


def test_every_registered_trigger_is_installed() -> None:
    missing = _registered() - _installed()
    assert not missing, f"registered but not in the database: {sorted(missing)}"


def test_no_trigger_is_installed_that_the_registry_does_not_know() -> None:
    unknown = _installed() - _registered()
    assert not unknown, f"in the database but never registered: {sorted(unknown)}"
