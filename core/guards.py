"""One guard per action: the single place that says why someone may not do it now.

A guard is a plain function that takes what the action acts on and returns the refusal
(a ``DomainError`` with its message, status and fields) or None. The service raises what
it returns, under the action's locks; a selector offers the action only when it returns
None; a page or the API shows its message. So the conditions, their order and their words
exist once, and a page can never offer what the service would refuse.

    @guard("garden.water")
    def water_refusal(*, actor: Actor, plant: Plant) -> DomainError | None:
        if not is_gardener(actor, plant.garden):
            return NotPermitted(_("Only the garden's gardeners water its plants."))
        return None

    # in the service, after taking its locks:
    refuse_if(water_refusal(actor=actor, plant=locked))

The registry lets a test walk every action and check that the service, the page and the
API give the same refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, overload

from core.errors import DomainError

P = ParamSpec("P")
Guard = Callable[..., DomainError | None]

_guards: dict[str, Guard] = {}


# The decorator's type is written out, not aliased: through an alias mypy would fix P
# when guard() is called, before it sees the function, and refuse every guard.
def guard(
    action: str,
) -> Callable[[Callable[P, DomainError | None]], Callable[P, DomainError | None]]:
    """Register the decorated function as the guard of ``action`` (``<app>.<verb>``)."""

    def register(function: Callable[P, DomainError | None]) -> Callable[P, DomainError | None]:
        if _guards.get(action, function) is not function:
            raise ValueError(f"The action {action!r} already has a guard.")
        _guards[action] = function
        return function

    return register


def refuse_if(refusal: DomainError | None) -> None:
    """Raise the guard's refusal, if it gave one."""
    if refusal is not None:
        raise refusal


def guards() -> dict[str, Guard]:
    """Every registered action and its guard, by action name."""
    return dict(sorted(_guards.items()))


class Offered:
    """A read model's ``may_<action>``: true exactly when the action's guard, whose
    refusal the model carries in its attribute ``refusal``, gave none. So a page offers
    an action only where the service would allow it (the round's and the vote's read models use it).

        may_review = Offered("review_refusal")
    """

    def __init__(self, refusal: str) -> None:
        self.refusal = refusal

    @overload
    def __get__(self, view: None, owner: type | None = None) -> Offered: ...

    @overload
    def __get__(self, view: object, owner: type | None = None) -> bool: ...

    def __get__(self, view: object | None, owner: type | None = None) -> Offered | bool:
        if view is None:
            return self
        return getattr(view, self.refusal) is None
