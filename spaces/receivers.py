"""What a space does when an account is deleted (``accounts.signals.account_deleted``).

The signal is sent inside the deletion's transaction, so the memberships end with it or
not at all. The receiver only calls the service; the service is safe to run twice.
"""

from __future__ import annotations

from typing import Any

from accounts.models import User


def end_memberships_of_departing_person(sender: Any, *, user: User, **kwargs: Any) -> None:
    from spaces.services import memberships_end_for_departing_person

    memberships_end_for_departing_person(user=user)
