"""A refusal trigger described once refuses the same writes on PostgreSQL and SQLite,
and lets the others through; declaring it registers its triggers by name and table."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from core import migration_sql
from core.migration_sql import (
    RefusalTrigger,
    refusal_trigger,
    register_triggers,
    registered_triggers,
)
from core.registry import AlreadyRegistered


@pytest.fixture(autouse=True)
def separate_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """The triggers declared here are not the project's: they go to a registry of their
    own, so the project's stays what its migrations declare (loaded first, so that no
    migration registers its triggers in the test's registry)."""
    registered_triggers("postgresql")
    monkeypatch.setattr(migration_sql, "_registered", {"postgresql": {}, "sqlite": {}})


def _kept_note(**overrides: Any) -> RefusalTrigger:
    fields: dict[str, Any] = {
        "name": "core_probe_kept",
        "table": "core_probe",
        "events": ("UPDATE", "DELETE"),
        "condition": "OLD.state = 'final'",
        "message": "it's 100% final",
        "subject": ("probe", "OLD.id"),
    }
    return RefusalTrigger(**(fields | overrides))


def test_declaring_a_trigger_registers_it_on_both_databases() -> None:
    _kept_note()

    assert migration_sql._registered == {
        "postgresql": {"core_probe_kept": "core_probe"},
        "sqlite": {"core_probe_kept_update": "core_probe", "core_probe_kept_delete": "core_probe"},
    }


def test_sqlite_has_one_trigger_per_event_named_after_it_unless_named_otherwise() -> None:
    assert _kept_note().sqlite_trigger_names == ("core_probe_kept_update", "core_probe_kept_delete")
    assert _kept_note(events=("UPDATE",)).sqlite_trigger_names == ("core_probe_kept",)
    named = _kept_note(name="core_probe_named", sqlite_names=("core_probe_a", "core_probe_b"))
    assert named.sqlite_trigger_names == ("core_probe_a", "core_probe_b")


def test_a_name_registered_again_on_its_table_is_accepted_and_on_another_refused() -> None:
    register_triggers(postgresql={"core_probe_kept": "core_probe"})
    _kept_note()

    with pytest.raises(AlreadyRegistered):
        register_triggers(postgresql={"core_probe_kept": "core_elsewhere"})


@pytest.mark.parametrize(
    ("overrides", "complaint"),
    [
        ({"name": "Core_Probe"}, "lower-case"),
        ({"name": "core_" + "p" * 60}, "63 characters"),
        ({"events": ()}, "one or more"),
        ({"events": ("UPDATE", "UPDATE")}, "once each"),
        ({"events": ("TRUNCATE",)}, "among"),
        ({"sqlite_names": ("core_probe_a",)}, "one SQLite name per event"),
        ({"condition": {"postgresql": "OLD.state = 'final'"}}, "names both"),
    ],
)
def test_a_description_that_cannot_be_installed_as_written_is_refused(
    overrides: dict[str, object], complaint: str
) -> None:
    with pytest.raises(ValueError, match=complaint):
        _kept_note(**overrides)


def test_quotes_and_percent_signs_in_the_message_are_escaped() -> None:
    trigger = _kept_note()

    assert "'it''s 100%% final (probe %)', OLD.id" in trigger.postgresql_create()
    assert all("RAISE(ABORT, 'it''s 100% final')" in sql for sql in trigger.sqlite_create())


def test_a_condition_per_vendor_is_written_where_it_belongs() -> None:
    trigger = _kept_note(
        events=("UPDATE",),
        condition={
            "postgresql": "NEW.state IS DISTINCT FROM OLD.state",
            "sqlite": "NEW.state IS NOT OLD.state",
        },
    )

    assert "IF NEW.state IS DISTINCT FROM OLD.state THEN" in trigger.postgresql_create()
    assert "WHEN NEW.state IS NOT OLD.state\n" in trigger.sqlite_create()[0]


# --- On the database in use ---------------------------------------------------------------


def _install(trigger: RefusalTrigger, *, backwards: bool = False) -> None:
    operation = refusal_trigger(trigger)
    run = operation.reverse_code if backwards else operation.code
    assert run is not None
    # A stand-in schema editor: the operation reads only its connection.
    run(None, SimpleNamespace(connection=connection))  # type: ignore[arg-type]


def _execute(sql: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.rowcount


def _refused(sql: str) -> str:
    with pytest.raises(IntegrityError) as refusal, transaction.atomic():
        _execute(sql)
    return str(refusal.value)


@pytest.fixture
def probes() -> None:
    _execute("CREATE TABLE core_probe (id integer PRIMARY KEY, state varchar(10), note text)")
    _execute("INSERT INTO core_probe (id, state, note) VALUES (1, 'final', ''), (2, 'draft', '')")


@pytest.mark.django_db
@pytest.mark.usefixtures("probes")
def test_a_conditional_trigger_refuses_only_the_writes_its_condition_names() -> None:
    _install(_kept_note())

    message = _refused("UPDATE core_probe SET note = 'x' WHERE id = 1")
    assert "it's 100% final" in message
    _refused("DELETE FROM core_probe WHERE id = 1")
    # The others go through; a delete is done, not skipped by the trigger.
    assert _execute("UPDATE core_probe SET note = 'x' WHERE id = 2") == 1
    assert _execute("DELETE FROM core_probe WHERE id = 2") == 1


@pytest.mark.django_db
@pytest.mark.usefixtures("probes")
def test_a_trigger_without_a_condition_refuses_every_such_write_and_is_dropped_backwards() -> None:
    trigger = _kept_note(name="core_probe_fixed", events=("UPDATE",), condition=None)
    _install(trigger)

    _refused("UPDATE core_probe SET note = 'x' WHERE id = 2")
    assert _execute("INSERT INTO core_probe (id, state, note) VALUES (3, 'draft', '')") == 1
    _install(trigger, backwards=True)
    assert _execute("UPDATE core_probe SET note = 'x' WHERE id = 2") == 1


@pytest.mark.django_db
@pytest.mark.usefixtures("probes")
def test_a_delete_only_trigger_with_a_condition_lets_the_others_be_deleted() -> None:
    _install(_kept_note(name="core_probe_no_delete", events=("DELETE",)))

    _refused("DELETE FROM core_probe WHERE id = 1")
    assert _execute("DELETE FROM core_probe WHERE id = 2") == 1
