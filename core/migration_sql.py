"""Raw SQL per database vendor in migrations (triggers the ORM cannot express).

``vendor_sql(create, drop)`` is a RunPython operation that runs, for the database in
use, the statements in ``create`` forwards and those in ``drop`` backwards; each maps a
vendor ("postgresql", "sqlite") to one SQL text or a list of statements.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

VendorSQL = dict[str, str | list[str]]


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
