"""The registries through which a higher app plugs into a lower one."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from advisory import registry as advisory_registry
from core import sweep
from core.registry import AlreadyRegistered, Registry, Slot
from proposals import registry as proposals_registry


def test_entries_run_by_their_order_then_their_name_never_by_registration() -> None:
    steps: Registry[Callable[[], str]] = Registry("steps")
    steps.register("later", lambda: "later", order=20)
    steps.register("b", lambda: "b", order=10)
    steps.register("a", lambda: "a", order=10)

    assert [step() for step in steps.entries()] == ["a", "b", "later"]


def test_a_second_entry_under_a_taken_name_is_refused() -> None:
    steps: Registry[Callable[[], str]] = Registry("steps")
    steps.register("rounds", lambda: "one", order=10)

    with pytest.raises(AlreadyRegistered):
        steps.register("rounds", lambda: "two", order=10)


def test_a_slot_takes_one_entry_and_says_when_it_has_none() -> None:
    slot: Slot[Callable[[], str]] = Slot("the message")
    with pytest.raises(LookupError):
        slot.get()
    slot.register(lambda: "one")

    with pytest.raises(AlreadyRegistered):
        slot.register(lambda: "two")
    assert slot.get()() == "one"


def test_each_app_plugs_its_work_in_where_the_lower_apps_call_it() -> None:
    """The sweep runs rounds, votes, invitations, then the outbox; a submission opens the
    round; a withdrawal ends the round, then the vote; the page shows both in that order;
    a response schedules the vote."""
    assert sweep.steps.names() == ["advisory", "voting", "spaces", "notifications"]
    assert proposals_registry.on_submitted.names() == ["advisory"]
    assert proposals_registry.on_withdrawn.names() == ["advisory", "voting"]
    assert proposals_registry.page_sections.names() == ["advisory", "voting"]
    proposals_registry.submission_message.get()
    advisory_registry.vote_scheduler.get()
