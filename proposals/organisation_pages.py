"""An organisation's proposals, in every space: the page (organisations/<slug>/proposals/)
and the API (/api/v1/organisations/<slug>/proposals/). The proposals app owns them; the
organisations app below it knows nothing of proposals."""

from __future__ import annotations

import rules
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics

from accounts.authority import Actor
from organisations.api import organisation_visible
from organisations.models import Organisation
from organisations.selectors import organisation_page
from proposals import selectors
from proposals.models import Proposal, ProposalContent
from proposals.serializers import ProposalSummarySerializer
from proposals.views import shown_content


@require_GET
def organisation_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """Mounted at organisations/<slug>/proposals/. Its editors see its drafts too; everyone
    else sees what was submitted. A pending organisation is there only for its editors and
    site staff, as on its own page."""
    organisation = organisation_page().filter(slug=slug).first()
    if organisation is None:
        raise Http404
    actor = Actor.from_request(request)
    is_editor = rules.test_rule("organisations.manage_editors", actor, organisation)
    if organisation.status != Organisation.Status.APPROVED and not (
        is_editor or rules.test_rule("organisations.decide", actor)
    ):
        raise Http404
    by_state: dict[str, list[tuple[Proposal, ProposalContent]]] = {}
    for proposal in selectors.organisation_proposals(actor, organisation):
        by_state.setdefault(proposal.shown_state, []).append((proposal, shown_content(proposal)))
    groups = [
        (value, label, by_state[value])
        for value, label in Proposal.SHOWN_STATES
        if value in by_state
    ]
    return render(
        request,
        "proposals/dashboard.html",
        {"organisation": organisation, "groups": groups, "is_editor": is_editor},
    )


@extend_schema_view(
    get=extend_schema(
        tags=["organisations", "proposals"],
        summary="An organisation's proposals, in every space",
        description="Submitted proposals for everyone; its editors and co-signers also see "
        "its drafts never submitted.",
    )
)
class OrganisationProposalList(generics.ListAPIView[Proposal]):
    queryset = Proposal.objects.none()  # for the schema; get_queryset applies visibility
    serializer_class = ProposalSummarySerializer

    def get_queryset(self) -> QuerySet[Proposal]:
        organisation = organisation_visible(self.request, self.kwargs["slug"])
        return selectors.organisation_proposals(Actor.from_request(self.request), organisation)
