"""The person's own part of spaces in their data download (``accounts.export``).

Only rows that belong to the person: their memberships (with their own lived-experience
note and leaves) and their requests to join. Nothing about who else is in a space, and
no one else's name (not who added them or who decided).
"""

from __future__ import annotations

from typing import Any

from accounts.export import moment, register
from accounts.models import User
from spaces.models import JoinRequest, Membership


@register("space_memberships")
def memberships_section(user: User) -> list[dict[str, Any]]:
    rows = (
        Membership.objects.filter(user=user)
        .select_related("space")
        .prefetch_related("leaves")
        .order_by("joined_at", "pk")
    )
    return [
        {
            "space": row.space.slug,
            "space_name": row.space.name,
            "role": row.role,
            "joined_at": moment(row.joined_at),
            "left_at": moment(row.left_at),
            "lived_experience": row.lived_experience,
            "leaves": [
                {"started_at": moment(leave.started_at), "ended_at": moment(leave.ended_at)}
                for leave in row.leaves.all()
            ],
        }
        for row in rows
    ]


@register("space_join_requests")
def join_requests_section(user: User) -> list[dict[str, Any]]:
    rows = JoinRequest.objects.filter(user=user).select_related("space").order_by("created_at")
    return [
        {
            "space": row.space.slug,
            "space_name": row.space.name,
            "role": row.role,
            "message": row.message,
            "status": row.status,
            "created_at": moment(row.created_at),
            "decided_at": moment(row.decided_at),
        }
        for row in rows
    ]
