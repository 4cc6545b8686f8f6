"""The guard registry: one guard per action, and a refusal is raised as it was given."""

from __future__ import annotations

import pytest

from core import guards as guards_module
from core.errors import Conflict, DomainError
from core.guards import guard, guards, refuse_if


@pytest.fixture(autouse=True)
def empty_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guards_module, "_guards", {})


def test_a_second_guard_for_the_same_action_is_refused() -> None:
    @guard("tests.close")
    def close_refusal() -> DomainError | None:
        return None

    with pytest.raises(ValueError, match=r"tests\.close"):

        @guard("tests.close")
        def another_close_refusal() -> DomainError | None:
            return None


def test_the_registry_lists_each_action_with_its_guard() -> None:
    @guard("tests.open")
    def open_refusal() -> DomainError | None:
        return None

    assert guards() == {"tests.open": open_refusal}


def test_a_refusal_is_raised_as_the_guard_gave_it_and_none_is_not() -> None:
    refusal = Conflict("Closed already.")

    with pytest.raises(Conflict) as raised:
        refuse_if(refusal)
    refuse_if(None)

    assert raised.value is refusal
