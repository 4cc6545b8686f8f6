"""Every change to decision spaces, their memberships, invitations, requests to join and
rulebooks. Each service checks the actor's permission (spaces/rules.py) and the current
state, locks what it changes, writes in one transaction and appends its history event in
that same transaction. A refusal raises a ``core.errors.DomainError`` and changes nothing.

Lived-experience notes never go into history event data or notifications.

One module per thing changed: ``spaces``, ``memberships`` (with leaves of absence),
``invitations``, ``join_requests``, ``rulebooks``; what they share, the database clock
included, is in ``base``. Callers import every service from here. Three reads are
selectors (the current rulebook, the invitation a code or a link belongs to); they are
named here too, for the callers that reach them through this package.
"""

from __future__ import annotations

from core.errors import NotPermitted
from spaces.selectors import invitation_check_code, invitation_check_token, rulebook_current
from spaces.services.invitations import (
    INVITATION_DAYS,
    invitation_create,
    invitation_decline,
    invitation_redeem,
    invitation_redeem_code,
    invitations_sweep,
)
from spaces.services.join_requests import (
    join_request_approve,
    join_request_create,
    join_request_decline,
)
from spaces.services.memberships import (
    END_MEMBERSHIP_MESSAGE,
    MembershipEndInvalid,
    leave_end,
    leave_start,
    membership_add,
    membership_end,
    membership_end_preview,
    memberships_end_for_departing_person,
)
from spaces.services.rulebooks import RulebookInvalid, rulebook_change
from spaces.services.spaces import RESERVED_SLUGS, SpaceInvalid, space_create

__all__ = [
    "END_MEMBERSHIP_MESSAGE",
    "INVITATION_DAYS",
    "RESERVED_SLUGS",
    "MembershipEndInvalid",
    "NotPermitted",
    "RulebookInvalid",
    "SpaceInvalid",
    "invitation_check_code",
    "invitation_check_token",
    "invitation_create",
    "invitation_decline",
    "invitation_redeem",
    "invitation_redeem_code",
    "invitations_sweep",
    "join_request_approve",
    "join_request_create",
    "join_request_decline",
    "leave_end",
    "leave_start",
    "membership_add",
    "membership_end",
    "membership_end_preview",
    "memberships_end_for_departing_person",
    "rulebook_change",
    "rulebook_current",
    "space_create",
]
