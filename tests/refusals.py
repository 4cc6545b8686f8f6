"""The shape of one refusal table row, shared by every app's ``tests/<app>/refusal_cases.py``.

Each guard registered through ``core.guards`` has at least one row: someone who is refused
the action, in a state that refuses them, asked of the service, the page and the API.
``tests/test_refusals_agree.py`` walks the registry, runs every row and checks that the
three give the same message and status and that none of them writes anything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from accounts.models import User


@dataclass(frozen=True)
class Request:
    """How a page or the API is asked: the method, the address and the form or JSON body."""

    method: str
    path: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Attempt:
    """One refused attempt, arranged: who tries, and how each surface is asked."""

    user: User
    service: Callable[[], object]
    page: Request
    api: Request


@dataclass(frozen=True)
class RefusalCase:
    """A row of the table: the guarded action (its name in the registry), what the row is
    about, and how to arrange the attempt from the tests' fixtures."""

    action: str
    about: str
    arrange: Callable[[pytest.FixtureRequest], Attempt]

    @property
    def id(self) -> str:
        return f"{self.action}: {self.about}"
