"""Reads shaped for one page or endpoint, with a query count that does not grow with data."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from organisations.models import Organisation, OrganisationEditor


def approved_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(status=Organisation.Status.APPROVED).order_by("name")


def pending_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(status=Organisation.Status.PENDING).order_by(
        "registered_at", "pk"
    )


def organisation_page() -> QuerySet[Organisation]:
    """Organisations with their current editors (two queries for any number of them)."""
    return Organisation.objects.prefetch_related(
        Prefetch(
            "editors",
            queryset=OrganisationEditor.objects.filter(left_at__isnull=True).select_related("user"),
            to_attr="current_editors",
        )
    )
