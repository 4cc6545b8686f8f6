"""The database clock: windows and deadlines are decided by one clock, not each server's.

The clock is one database function, ``realvoice_now()``, which the services read through
``db_now()`` and the triggers call to check a round's opening and a vote's opening,
bringing forward and close (advisory and voting migrations). It is the database's time,
unless it has been set (``clock_set``), which the tests and the demo do to move time:

- On PostgreSQL it is a stored function over the one-row table ``realvoice_clock``
  (core migration 0001): the statement's time plus the row's offset, or the row's frozen
  moment. Only the tables' owner may write the row; the site's runtime role may only
  read it (RUNBOOK §1.3), so the site cannot move its own clock.
- SQLite has no stored functions: each connection gets ``realvoice_now()`` from this
  module (``core.apps``), reading this process's setting, which ``clock_set`` changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

# This process's setting of SQLite's clock: a frozen moment, or an offset from now.
_sqlite_clock: dict[str, Any] = {"frozen_at": None, "offset": timedelta(0)}


def _sqlite_now() -> datetime:
    frozen: datetime | None = _sqlite_clock["frozen_at"]
    if frozen is not None:
        return frozen
    moment: datetime = timezone.now() + _sqlite_clock["offset"]
    return moment


def sqlite_realvoice_now() -> str:
    """``realvoice_now()`` on SQLite, as Django stores a datetime there (UTC, naive)."""
    return _sqlite_now().astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def install_sqlite_clock(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Give each new SQLite connection the clock function (``connection_created``)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("realvoice_now", 0, sqlite_realvoice_now)


def db_now() -> datetime:
    """Current time according to the database clock: on PostgreSQL from the start of the
    current statement, so successive calls in one transaction still move forward."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT realvoice_now()")
            value: datetime = cursor.fetchone()[0]
            return value
    return _sqlite_now()


def after(moment: datetime) -> datetime:
    """Now on the database clock, or just after ``moment`` if the clock has not moved past
    it (a frozen test clock, or a coarse one): the CHECK constraints need an end strictly
    after a start. Memberships start and end on the database clock, the one rounds and
    votes are opened on, so who sat on a board at a round's opening never depends on
    which server's clock stamped the membership."""
    return max(db_now(), moment + timedelta(microseconds=1))


@contextmanager
def clock_set(moment: datetime, *, tick: bool = False) -> Iterator[None]:
    """Run with the database clock at ``moment``: frozen there, or ticking on from it.
    For the tests and the demo, which move time; on a server the runtime role cannot
    write the clock's row, so this fails there. The clock's earlier setting comes back
    at the end (written in the current transaction, so a test's rollback undoes it too).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute('SELECT frozen_at, "offset" FROM realvoice_clock WHERE id = 1')
            before = cursor.fetchone()
            if tick:
                cursor.execute(
                    'UPDATE realvoice_clock SET frozen_at = NULL, "offset" = %s - '
                    "statement_timestamp() WHERE id = 1",
                    [moment],
                )
            else:
                cursor.execute("UPDATE realvoice_clock SET frozen_at = %s WHERE id = 1", [moment])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute(
                    'UPDATE realvoice_clock SET frozen_at = %s, "offset" = %s WHERE id = 1',
                    list(before),
                )
        return
    saved = dict(_sqlite_clock)
    if tick:
        _sqlite_clock.update(frozen_at=None, offset=moment - timezone.now())
    else:
        _sqlite_clock.update(frozen_at=moment)
    try:
        yield
    finally:
        _sqlite_clock.update(saved)
