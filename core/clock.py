"""The database clock: windows and deadlines are decided by one clock, not each server's."""

from __future__ import annotations

from datetime import datetime

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
