"""Run a function in many separate processes released together at a barrier.

Processes are forked from the test process after its database connections are closed,
so each child opens its own connection to the same test database. Use it from tests
marked ``django_db(transaction=True)``: children only see committed data.
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable
from typing import Any

from django.db import connections

CHILD_TIMEOUT = 120


def _child(
    barrier: Any, results: Any, index: int, work: Callable[[int], Any]
) -> None:  # pragma: no cover - runs in the child process
    try:
        barrier.wait(timeout=60)
        results.put((index, "ok", work(index)))
    except Exception as exc:
        results.put((index, "error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"))
    finally:
        connections.close_all()


def run_at_barrier(count: int, work: Callable[[int], Any]) -> list[tuple[int, str, Any]]:
    """Start ``count`` processes, release them at once, return (index, status, value) each."""
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(count)
    results = context.Queue()
    connections.close_all()
    processes = [
        context.Process(target=_child, args=(barrier, results, index, work))
        for index in range(count)
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=CHILD_TIMEOUT) for _ in processes]
    for process in processes:
        process.join(timeout=CHILD_TIMEOUT)
    return sorted(outcomes, key=lambda outcome: outcome[0])
