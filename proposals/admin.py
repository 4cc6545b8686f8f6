"""Proposals in the admin: for looking, never for changing.

Every change to a proposal goes through ``proposals.services``, which checks who may act,
guards the state and writes the history. So the admin adds, changes and deletes nothing
here: every field is read-only (the workflow fields are listed explicitly so that a
field added to the model later stays read-only too), and versions and co-signers are
shown read-only beside their proposal.

A draft never submitted is private to its authors and co-signers, so it is not listed
here either; nor is the working copy, which stays the authors' until they submit it.
Site staff see what the public sees, plus the record of who submitted what.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.selectors import display_name
from core.admin import LookOnly
from proposals.models import CONTENT_FIELDS, Proposal, ProposalCosigner, ProposalVersion

# The fields only the services set.
WORKFLOW_FIELDS = (
    "state",
    "current_version",
    "first_submitted_at",
    "space",
    "organisation",
    "created_by",
)


class ShowsSubmitter:
    """A version's submitter, by the name the site shows for them."""

    @admin.display(description=_("submitted by"))
    def submitted_by_name(self, obj: ProposalVersion) -> str:
        return display_name(obj.submitted_by)


class VersionInline(ShowsSubmitter, LookOnly, admin.TabularInline):
    model = ProposalVersion
    fields = ("number", "title", "content_hash", "submitted_by_name", "submitted_at")
    readonly_fields = fields
    ordering = ("number",)
    show_change_link = True
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProposalVersion]:
        return super().get_queryset(request).select_related("submitted_by")


class CosignerInline(LookOnly, admin.TabularInline):
    model = ProposalCosigner
    fields = ("person", "joined_at")
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProposalCosigner]:
        return super().get_queryset(request).select_related("user")

    @admin.display(description=_("co-signer"))
    def person(self, obj: ProposalCosigner) -> str:
        return display_name(obj.user)


@admin.register(Proposal)
class ProposalAdmin(LookOnly, admin.ModelAdmin):
    list_display = ("title", "space", "organisation_name", "state", "first_submitted_at")
    list_filter = ("state", "space")
    list_select_related = ("space", "organisation", "current_version")
    # The current version only: the working copy is the authors' until submitted.
    search_fields = ("current_version__title",)
    ordering = ("-first_submitted_at", "pk")
    date_hierarchy = "first_submitted_at"
    fields = (
        "title",
        "state",
        "space",
        "organisation_name",
        "author",
        "created_at",
        "first_submitted_at",
        "current_version",
    )
    # ``organisation`` and ``created_by`` are shown through the display methods, with
    # public names only; they are read-only like every other field.
    readonly_fields = (*WORKFLOW_FIELDS, "title", "organisation_name", "author", "created_at")
    inlines = (VersionInline, CosignerInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Proposal]:
        # Never-submitted drafts (and drafts withdrawn before submission) stay private.
        return super().get_queryset(request).filter(first_submitted_at__isnull=False)

    @admin.display(description=_("title"), ordering="current_version__title")
    def title(self, obj: Proposal) -> str:
        # What the public reads: the current version (every listed proposal has one).
        version = obj.current_version
        return version.title if version is not None else str(obj)

    @admin.display(description=_("organisation"), ordering="organisation__name")
    def organisation_name(self, obj: Proposal) -> str:
        if obj.organisation is None:
            return str(_("the community (drafted by an advisory board member)"))
        return obj.organisation.name

    @admin.display(description=_("created by"))
    def author(self, obj: Proposal) -> str:
        return display_name(obj.created_by)


@admin.register(ProposalVersion)
class ProposalVersionAdmin(ShowsSubmitter, LookOnly, admin.ModelAdmin):
    """Versions are frozen in the database too (a trigger refuses UPDATE and DELETE)."""

    list_display = ("title", "number", "proposal_title", "submitted_at", "content_hash")
    list_select_related = ("proposal__current_version",)
    search_fields = ("title",)
    ordering = ("-submitted_at", "-number")
    fields = (
        "proposal",
        "number",
        "content_hash",
        "submitted_by_name",
        "submitted_at",
        *CONTENT_FIELDS,
    )
    readonly_fields = fields

    @admin.display(description=_("proposal (current title)"))
    def proposal_title(self, obj: ProposalVersion) -> str:
        current = obj.proposal.current_version
        return current.title if current is not None else str(obj.proposal)
