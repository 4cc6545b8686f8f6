"""Every trigger the migrations create is in the migrated database, on the database in
use. On SQLite a later migration that alters a table rebuilds it and drops its
triggers without a word; this is what would notice."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db

TRIGGER = re.compile(r"CREATE TRIGGER\s+(\w+)", re.IGNORECASE)


def _trigger_migrations() -> list[str]:
    base = Path(settings.BASE_DIR)
    return sorted(
        ".".join(path.relative_to(base).with_suffix("").parts)
        for path in base.glob("*/migrations/0*.py")
        if TRIGGER.search(path.read_text())
    )


def _created(module_name: str) -> set[str]:
    """The triggers a migration creates on the database in use: from its
    ``POSTGRES_CREATE``/``SQLITE_CREATE``, or a PostgreSQL-only ``CREATE``."""
    module = importlib.import_module(module_name)
    if connection.vendor == "postgresql":
        sql = getattr(module, "POSTGRES_CREATE", "") or getattr(module, "CREATE", "")
    else:
        sql = getattr(module, "SQLITE_CREATE", "")
    text = sql if isinstance(sql, str) else "\n".join(sql)
    return set(TRIGGER.findall(text))


def _installed() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {row[0] for row in cursor.fetchall()}


def test_the_trigger_migrations_are_found() -> None:
    assert "voting.migrations.0003_a_finalised_vote_never_changes" in _trigger_migrations()
    assert "advisory.migrations.0002_the_gate" in _trigger_migrations()
    assert "history.migrations.0002_append_only_triggers" in _trigger_migrations()


@pytest.mark.parametrize("module_name", _trigger_migrations())
def test_each_trigger_a_migration_creates_is_installed(module_name: str) -> None:
    expected = _created(module_name)
    if module_name.startswith("history.") and connection.vendor != "postgresql":
        pytest.skip("the history's triggers are PostgreSQL's (SQLite has no redaction rule)")
    assert expected, f"{module_name} creates no trigger on {connection.vendor}"
    assert expected <= _installed(), f"missing: {sorted(expected - _installed())}"
