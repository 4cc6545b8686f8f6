"""Appends from separate processes at the same instant still form one gap-free chain."""

from __future__ import annotations

import pytest
from django.db import transaction

from history.models import Event
from history.services import append
from history.verification import verify
from tests.concurrency import run_at_barrier

WRITERS = 20


def append_one(index: int) -> int:
    with transaction.atomic():
        return append(
            kind="review.published", actor=None, actor_role="system", data={"writer": index}
        ).seq


@pytest.mark.django_db(transaction=True)
def test_twenty_processes_appending_at_once_give_a_gap_free_chain_that_verifies() -> None:
    append(kind="space.created", actor=None, actor_role="system", data={})

    outcomes = run_at_barrier(WRITERS, append_one)

    failures = [value for _, status, value in outcomes if status != "ok"]
    assert failures == []
    assert sorted(value for _, _, value in outcomes) == list(range(2, WRITERS + 2))
    assert list(Event.objects.values_list("seq", flat=True)) == list(range(1, WRITERS + 2))
    writers = list(
        Event.objects.filter(kind="review.published").values_list("content__data", flat=True)
    )
    assert len(writers) == WRITERS
    result = verify()
    assert result.ok, result
    assert result.checked == WRITERS + 1
