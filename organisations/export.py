"""The person's own part of organisations in their data download (``accounts.export``):
the periods they could edit for an organisation. Nothing about the other editors."""

from __future__ import annotations

from typing import Any

from accounts.export import moment, register
from accounts.models import User
from organisations.models import OrganisationEditor


@register("organisation_editor_rows")
def editor_rows_section(user: User) -> list[dict[str, Any]]:
    rows = (
        OrganisationEditor.objects.filter(user=user)
        .select_related("organisation")
        .order_by("joined_at", "pk")
    )
    return [
        {
            "organisation": row.organisation.slug,
            "organisation_name": row.organisation.name,
            "joined_at": moment(row.joined_at),
            "left_at": moment(row.left_at),
        }
        for row in rows
    ]
