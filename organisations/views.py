"""The organisation pages: the public list and page, registering, editors, staff review."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.authority import Actor
from core.errors import DomainError
from core.views import attempt, code_page, needs_powers, new_at_slug_page
from organisations import selectors, services
from organisations.forms import EditorInvitationRedeemForm, OrganisationRegisterForm, RejectForm
from organisations.models import Organisation, OrganisationEditor


def organisation_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "organisations/list.html", {"organisations": selectors.approved_organisations()}
    )


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_page().filter(slug=slug).first()
    if organisation is None:
        raise Http404
    actor = Actor.from_request(request)
    is_editor = rules.test_rule("organisations.manage_editors", actor, organisation)
    decides = rules.test_rule("organisations.decide", actor)
    if organisation.status != Organisation.Status.APPROVED and not (is_editor or decides):
        raise Http404
    return _detail_page(request, organisation, actor=actor, is_editor=is_editor)


def _detail_page(
    request: HttpRequest,
    organisation: Organisation,
    *,
    actor: Actor,
    is_editor: bool,
    new_code: str | None = None,
) -> HttpResponse:
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "is_editor": is_editor,
            "editors": organisation.current_editors,  # type: ignore[attr-defined]
            "can_invite": rules.test_rule("organisations.invite_editors", actor, organisation),
            "new_code": new_code,
        },
    )


@login_required
def organisation_register(request: HttpRequest) -> HttpResponseBase:
    form = OrganisationRegisterForm(request.POST or None)
    return new_at_slug_page(
        request,
        form,
        "organisations/register.html",
        lambda: services.organisation_register(
            actor=Actor.from_request(request), **form.cleaned_data
        ),
        _("Thank you. Site staff will review the organisation soon."),
    )


@login_required
@require_POST
def editor_invite(request: HttpRequest, slug: str) -> HttpResponseBase:
    """An editor makes a one-time code to hand to the person they invite."""
    organisation = selectors.organisation_page().filter(slug=slug).first()
    actor = Actor.from_request(request)
    if organisation is None or (
        organisation.status != Organisation.Status.APPROVED
        and not rules.test_rule("organisations.manage_editors", actor, organisation)
    ):
        raise Http404  # a pending organisation is not there for anyone else
    try:
        _invitation, code = services.editor_invitation_create(
            actor=actor, organisation=organisation
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(organisation)
    # Shown once, in this response only (never cached): only its hash is stored.
    response = _detail_page(request, organisation, actor=actor, is_editor=True, new_code=code)
    patch_cache_control(response, no_store=True, private=True)
    return response


@login_required
def editor_invitation_redeem(request: HttpRequest) -> HttpResponse:
    """The invitee types the code they were given and, by doing so, becomes an editor."""
    form = EditorInvitationRedeemForm(request.POST or None)

    def redeem(code: str) -> HttpResponse:
        row = services.editor_invitation_redeem(actor=Actor.from_request(request), code=code)
        messages.success(
            request, _("Welcome. You now edit for %(name)s.") % {"name": row.organisation.name}
        )
        return redirect(row.organisation)

    return code_page(request, form, "organisations/editor_invitation.html", redeem)


@login_required
@require_POST
def editor_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponseBase:
    row = get_object_or_404(OrganisationEditor, pk=pk, organisation__slug=slug)
    attempt(
        request,
        lambda: services.organisation_editor_remove(actor=Actor.from_request(request), editor=row),
        _("The editor was removed. The record keeps their time here."),
    )
    return redirect(row.organisation)


@login_required
def review(request: HttpRequest) -> HttpResponse:
    """Site staff: organisations waiting for approval."""
    actor = Actor.from_request(request)
    if not rules.test_rule("organisations.decide", actor):
        return needs_powers(
            request, _("Only site staff, signed in with their second factor, review organisations.")
        )
    return render(
        request,
        "organisations/review.html",
        {"organisations": selectors.pending_organisations(), "reject_form": RejectForm()},
    )


@login_required
@require_POST
def decide(request: HttpRequest, slug: str, decision: str) -> HttpResponseBase:
    organisation = get_object_or_404(Organisation, slug=slug)
    actor = Actor.from_request(request)
    try:
        if decision == "approve":
            services.organisation_approve(actor=actor, organisation=organisation)
            messages.success(request, _("The organisation was approved."))
        elif decision == "reject":
            form = RejectForm(request.POST)
            if not form.is_valid():
                # Nothing is decided on a reason the form refuses; the page says why.
                messages.error(request, " ".join(str(text) for text in form.errors["reason"]))
                return redirect("organisations:review")
            services.organisation_reject(
                actor=actor, organisation=organisation, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("The organisation was not approved."))
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("organisations:review")
