"""What the notifications app plugs into core, registered from
``NotificationsConfig.ready()``: the outbox's share of the minute sweep, last, so that
e-mail the other steps queued goes out in the same sweep."""

from __future__ import annotations

from core import sweep


def outbox_sweep_step() -> str:
    from notifications.services import sweep_due

    return f"notifications queued: {sweep_due()}"


def register() -> None:
    sweep.steps.register("notifications", outbox_sweep_step, order=40)
