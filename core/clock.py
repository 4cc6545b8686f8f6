"""The database clock: windows and deadlines are decided by one clock, not each server's."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone


def db_now() -> datetime:
    """Current time according to the database: on PostgreSQL the start of the current
    statement, so successive calls in one transaction still move forward."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement_timestamp()")
            value: datetime = cursor.fetchone()[0]
            return value
    return timezone.now()


def after(moment: datetime) -> datetime:
    """Now on the database clock, or just after ``moment`` if the clock has not moved past
    it (a frozen test clock, or a coarse one): the CHECK constraints need an end strictly
    after a start. Memberships start and end on the database clock, the one rounds and
    votes are opened on, so who sat on a board at a round's opening never depends on
    which server's clock stamped the membership."""
    return max(db_now(), moment + timedelta(microseconds=1))
