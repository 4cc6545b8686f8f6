"""Co-signing a proposal: co-signing, asking someone to, taking a request back and
declining one. Every change through proposals.services."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.selectors import display_name
from core.errors import NotPermitted
from core.views import attempt
from proposals import selectors, services
from proposals.forms import CosignRequestForm
from proposals.models import Proposal
from proposals.rules import invite_cosigner_refusal
from proposals.views import proposal_and_actor, refuse


def _to_proposal(space_slug: str, proposal: Proposal) -> HttpResponseBase:
    return redirect("proposals:detail", space_slug=space_slug, pk=proposal.pk)


@login_required
@require_POST
def proposal_cosign(request: HttpRequest, space_slug: str, pk: int) -> HttpResponseBase:
    proposal, actor = proposal_and_actor(request, space_slug, pk)
    attempt(
        request,
        lambda: services.proposal_cosign(actor=actor, proposal=proposal),
        _("You now co-sign this proposal."),
    )
    return _to_proposal(space_slug, proposal)


@login_required
@require_POST
def proposal_cosign_request(request: HttpRequest, space_slug: str, pk: int) -> HttpResponseBase:
    proposal, actor = proposal_and_actor(request, space_slug, pk)
    # Who may ask is checked before the form, which would tell who may be asked; the
    # state, after it, by the service.
    refusal = invite_cosigner_refusal(actor=actor, proposal=proposal)
    if isinstance(refusal, NotPermitted):
        return refuse(request, refusal.message)
    form = CosignRequestForm(request.POST, proposal=proposal)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for error in form.errors.get("person", [])))
        return _to_proposal(space_slug, proposal)
    person = form.cleaned_data["person"]
    attempt(
        request,
        lambda: services.proposal_invite_cosigner(actor=actor, proposal=proposal, user=person),
        _("%(name)s was asked to co-sign and can now read the proposal.")
        % {"name": display_name(person)},
    )
    return _to_proposal(space_slug, proposal)


@login_required
@require_POST
def proposal_cosign_request_revoke(
    request: HttpRequest, space_slug: str, pk: int, person: UUID
) -> HttpResponseBase:
    proposal, actor = proposal_and_actor(request, space_slug, pk)
    user = User.objects.filter(public_id=person).first()
    if user is None:
        messages.error(request, services.no_request_to_take_back())
    else:
        attempt(
            request,
            lambda: services.proposal_revoke_cosign_request(
                actor=actor, proposal=proposal, user=user
            ),
            _("The request to co-sign was taken back."),
        )
    return _to_proposal(space_slug, proposal)


@login_required
@require_POST
def proposal_cosign_decline(request: HttpRequest, space_slug: str, pk: int) -> HttpResponseBase:
    proposal, actor = proposal_and_actor(request, space_slug, pk)
    declined = attempt(
        request,
        lambda: services.proposal_decline_cosign(actor=actor, proposal=proposal),
        _("You declined to co-sign."),
    )
    if declined and (
        selectors.visible_proposal(actor, space_slug=space_slug, pk=proposal.pk) is None
    ):
        # A private draft is hidden from the person again.
        return redirect("proposals:list", space_slug=space_slug)
    return _to_proposal(space_slug, proposal)
