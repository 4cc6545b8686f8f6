"""What the spaces app plugs into the apps below it, registered from
``SpacesConfig.ready()``: its share of the minute sweep."""

from __future__ import annotations

from core import sweep


def invitations_sweep_step() -> str:
    from spaces.services import invitations_sweep

    return f"expired invitation addresses erased: {invitations_sweep()}"


def register() -> None:
    sweep.steps.register("spaces", invitations_sweep_step, order=30)
