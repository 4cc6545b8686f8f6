"""The person's own part of organisations in their data download (``accounts.export``):
the periods they could edit for an organisation. Nothing about the other editors."""

from __future__ import annotations

from typing import Any

from accounts.export import register
from accounts.models import User
from organisations.models import OrganisationEditor


def _time(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


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
            "joined_at": _time(row.joined_at),
            "left_at": _time(row.left_at),
        }
        for row in rows
    ]
