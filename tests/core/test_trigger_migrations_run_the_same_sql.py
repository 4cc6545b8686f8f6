"""The trigger migrations run, statement for statement, the SQL they have always run.

``data/trigger_migrations_sql.json`` holds what each of them executed, forwards and
backwards, on each database, as first written by hand. A migration since rewritten with
``core.migration_sql.refusal_trigger`` (or given its triggers' names for the registry)
must still execute exactly those strings: a database migrated today has the same
triggers as one migrated then.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest
from django.db import migrations

RAN = json.loads((Path(__file__).parent / "data" / "trigger_migrations_sql.json").read_text())
VENDORS = ("postgresql", "sqlite")


class _RecordingConnection:
    """Stands in for the connection a RunPython operation is given: records each
    statement instead of running it."""

    def __init__(self, vendor: str) -> None:
        self.vendor = vendor
        self.executed: list[str] = []

    def cursor(self) -> _RecordingConnection:
        return self

    def __enter__(self) -> _RecordingConnection:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def execute(self, sql: str, params: Any = None) -> None:
        assert params is None, "trigger SQL runs without parameters"
        self.executed.append(sql)


class _RecordingSchemaEditor:
    def __init__(self, vendor: str) -> None:
        self.connection = _RecordingConnection(vendor)


def executed_sql(module_name: str, vendor: str) -> dict[str, list[str]]:
    """What a migration's RunPython operations execute on ``vendor``, forwards and
    (in reverse order, as Django unapplies them) backwards."""
    operations = [
        operation
        for operation in importlib.import_module(module_name).Migration.operations
        if isinstance(operation, migrations.RunPython)
    ]
    forwards, backwards = _RecordingSchemaEditor(vendor), _RecordingSchemaEditor(vendor)
    for operation in operations:
        operation.code(None, forwards)  # type: ignore[arg-type]  # records, runs nothing
    for operation in reversed(operations):
        if operation.reverse_code is not None:
            operation.reverse_code(None, backwards)  # type: ignore[arg-type]
    return {"forwards": forwards.connection.executed, "backwards": backwards.connection.executed}


@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize("module_name", sorted(RAN))
def test_a_trigger_migration_runs_the_sql_it_always_ran(module_name: str, vendor: str) -> None:
    assert executed_sql(module_name, vendor) == RAN[module_name][vendor]
