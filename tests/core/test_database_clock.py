"""The database clock is one function, ``realvoice_now()``, that the services read and
the triggers call; the tests and the demo set it with ``clock_set``."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from core.clock import clock_set, db_now

pytestmark = pytest.mark.django_db

MOMENT = datetime.datetime(2031, 3, 4, 5, 6, 7, 890123, tzinfo=datetime.UTC)


def _sql_now() -> datetime.datetime:
    with connection.cursor() as cursor:
        cursor.execute("SELECT realvoice_now()")
        value = cursor.fetchone()[0]
    if isinstance(value, str):  # SQLite hands back the stored form
        return datetime.datetime.fromisoformat(value).replace(tzinfo=datetime.UTC)
    return value


def test_unset_the_clock_is_the_databases_own_time() -> None:
    before = timezone.now() - datetime.timedelta(seconds=5)
    assert before < db_now() < timezone.now() + datetime.timedelta(seconds=5)
    assert before < _sql_now() < timezone.now() + datetime.timedelta(seconds=5)


def test_a_frozen_clock_reads_the_same_in_the_services_and_in_sql() -> None:
    with clock_set(MOMENT):
        assert db_now() == MOMENT
        assert _sql_now() == MOMENT
    assert db_now() < MOMENT  # set back at the end


def test_a_ticking_clock_moves_on_from_its_moment() -> None:
    with clock_set(MOMENT, tick=True):
        first = db_now()
        second = _sql_now()
    assert MOMENT <= first <= second < MOMENT + datetime.timedelta(minutes=1)
