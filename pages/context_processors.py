"""What the main navigation offers a person: only what they can use."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from spaces.models import Role
from spaces.selectors import current_roles, in_an_electorate


def navigation(request: HttpRequest) -> dict[str, Any]:
    """``nav.board`` for a current board member (reviews waiting), ``nav.electorate`` for
    someone in an electorate now, a voter or a board member (open votes); one query,
    made only when a page shows the navigation."""
    user = getattr(request, "user", None)

    def roles() -> dict[str, bool]:
        if user is None or not user.is_authenticated:
            return {"board": False, "electorate": False, "facilitator": False}
        held = current_roles(user=user)
        return {
            "board": Role.BOARD in held,
            "electorate": in_an_electorate(held),
            "facilitator": Role.FACILITATOR in held,
        }

    return {"nav": SimpleLazyObject(roles)}
