"""The space pages. Every change goes through spaces.services; every permission is a rule
from spaces/rules.py, the same one the API tests."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlencode

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_http_methods, require_POST

from accounts.authority import Actor
from core.errors import DomainError, NotPermitted
from core.forms import RefusalForm
from core.views import attempt, needs_powers, new_at_slug_page
from spaces import selectors, services
from spaces.forms import (
    InvitationForm,
    JoinRequestForm,
    MemberAddForm,
    MemberSearchForm,
    ReasonForm,
    RulebookForm,
    SpaceCreateForm,
)
from spaces.models import DecisionSpace, JoinRequest, Membership
from spaces.words import rulebook_sentences

POWERS_MESSAGE = gettext_noop(
    "This page is for the space's facilitators, signed in with their second factor "
    "(an authenticator app). Sign in again with it, then come back."
)


REAUTHENTICATE_MESSAGE = gettext_noop(
    "This needs a facilitator who confirmed their identity in the last few minutes. "
    "Confirm it is you again (sign in again) and try once more."
)


def _reauthenticate_first(
    request: HttpRequest, space: DecisionSpace, back_to: str
) -> HttpResponseBase | None:
    """Send a facilitator whose sign-in is not recent to allauth's page for confirming it
    is them, and from there back to ``back_to``; None when no detour is needed. Only the
    space's facilitators with their powers are sent: anyone else gets the refusal."""
    actor = Actor.from_request(request)
    if actor.recently_authenticated or not rules.test_rule("spaces.manage_members", actor, space):
        return None
    messages.info(request, _(REAUTHENTICATE_MESSAGE))
    return redirect(f"{reverse('account_reauthenticate')}?{urlencode({'next': back_to})}")


def space_list(request: HttpRequest) -> HttpResponse:
    return render(request, "spaces/list.html", {"spaces": selectors.space_list()})


def space_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors.space_page(slug=slug)
    if page is None:
        raise Http404
    actor = Actor.from_request(request)
    own_board = None
    if actor.user is not None:
        own_board = (
            Membership.objects.board()
            .filter(space=page.space, user=actor.user)
            .prefetch_related("leaves")
            .first()
        )
    context = {
        "page": page,
        "rules": rulebook_sentences(page.rulebook),
        "can_manage": rules.test_rule("spaces.manage_members", actor, page.space),
        "is_facilitator": actor.user is not None
        and any(person.pk == actor.user.pk for person in page.facilitators),
        "join_form": JoinRequestForm() if actor.user is not None else None,
        "own_board": own_board,
        "own_board_on_leave": own_board is not None
        and any(leave.ended_at is None for leave in own_board.leaves.all()),
    }
    return render(request, "spaces/detail.html", context)


@login_required
def space_create(request: HttpRequest) -> HttpResponseBase:
    actor = Actor.from_request(request)
    # Checked before the form, which looks up sign-in names.
    if not rules.test_rule("spaces.create", actor):
        return needs_powers(
            request,
            _("Only site staff, signed in with their second factor, can create decision spaces."),
        )
    form = SpaceCreateForm(request.POST or None)
    return new_at_slug_page(
        request,
        form,
        "spaces/create.html",
        lambda: services.space_create(actor=actor, **form.cleaned_data),
        _("The space was created."),
    )


def _managing(
    view: Callable[[HttpRequest, DecisionSpace, Actor], HttpResponse],
) -> Callable[[HttpRequest, str], HttpResponse]:
    """A members page's view, given the space and the actor, for those who may manage its
    members; anyone else gets the page that says which powers it needs (403)."""

    @wraps(view)
    def managed(request: HttpRequest, slug: str) -> HttpResponse:
        space = get_object_or_404(DecisionSpace, slug=slug)
        actor = Actor.from_request(request)
        if not rules.test_rule("spaces.manage_members", actor, space):
            return needs_powers(request, _(POWERS_MESSAGE))
        return view(request, space, actor)

    return managed


@login_required
@_managing
def members(request: HttpRequest, space: DecisionSpace, actor: Actor) -> HttpResponse:
    return _members_page(request, space)


MEMBERS_PER_PAGE = 50


def _members_page(
    request: HttpRequest, space: DecisionSpace, *, status: int = 200, **forms: Any
) -> HttpResponse:
    search = MemberSearchForm(request.GET or None)
    wanted = search.cleaned_data["q"] if search.is_valid() else ""
    rows = selectors.open_memberships(space=space, search=wanted)
    page = Paginator(rows, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "space": space,
        "search_form": search,
        "searched": wanted,
        "page": page,
        "memberships": page.object_list,
        "search_query": urlencode({"q": wanted}) if wanted else "",
        "join_requests": selectors.pending_join_requests(space=space),
        "invitations": selectors.recent_invitations(space=space),
        "add_form": forms.get("add_form") or MemberAddForm(),
        "invitation_form": forms.get("invitation_form") or InvitationForm(),
        "new_code": forms.get("new_code"),
        "new_invitation": forms.get("new_invitation"),
    }
    return render(request, "spaces/members.html", context, status=status)


MembersForm = TypeVar("MembersForm", bound=RefusalForm)


def _members_form(
    request: HttpRequest,
    space: DecisionSpace,
    form_class: type[MembersForm],
    act: Callable[[MembersForm], HttpResponse],
    *,
    name: str,
) -> HttpResponse:
    """A form of the members page, posted: on valid input ``act`` calls the service and
    answers; what the service refuses comes back onto the form (``name`` in the page's
    context), on the members page (400)."""
    form = form_class(request.POST)
    if form.is_valid():
        try:
            return act(form)
        except DomainError as error:
            form.add_refusal(error)
    return _members_page(request, space, status=400, **{name: form})


@login_required
@require_POST
@_managing
def member_add(request: HttpRequest, space: DecisionSpace, actor: Actor) -> HttpResponse:
    def add(form: MemberAddForm) -> HttpResponse:
        services.membership_add(
            actor=actor,
            space=space,
            user=form.cleaned_data["username"],
            role=form.cleaned_data["role"],
            lived_experience=form.cleaned_data["lived_experience"],
        )
        messages.success(request, _("The member was added."))
        return redirect("spaces:members", slug=space.slug)

    return _members_form(request, space, MemberAddForm, add, name="add_form")


def _act(request: HttpRequest, slug: str, action: Any, done: str) -> HttpResponseBase:
    """Run one service for a POST from the members page; a refusal comes back as a message."""
    space = get_object_or_404(DecisionSpace, slug=slug)
    attempt(request, lambda: action(Actor.from_request(request), space), done)
    target = request.POST.get("next")
    if target == "space":
        return redirect(space)
    return redirect("spaces:members", slug=space.slug)


@login_required
@require_http_methods(["GET", "POST"])
def member_end(request: HttpRequest, slug: str, pk: int) -> HttpResponseBase:
    """Ending a membership is never one click: this page says what it changes, asks for
    the reason (required for a board member), and only its confirming POST ends it."""
    membership = get_object_or_404(
        Membership.objects.select_related("space", "user"), pk=pk, space__slug=slug
    )
    detour = _reauthenticate_first(request, membership.space, request.path)
    if detour is not None:
        return detour
    actor = Actor.from_request(request)
    try:
        preview = services.membership_end_preview(actor=actor, membership=membership)
    except NotPermitted as error:
        return needs_powers(request, error.message)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("spaces:members", slug=slug)
    confirmed = request.method == "POST" and request.POST.get("confirm") == "yes"
    form = ReasonForm(request.POST if confirmed else None, required=preview.reason_required)
    if confirmed and form.is_valid():
        try:
            services.membership_end(
                actor=actor, membership=membership, reason=form.cleaned_data["reason"]
            )
        except services.MembershipEndInvalid as error:
            form.add_refusal(error)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("spaces:members", slug=slug)
        else:
            messages.success(request, _("The membership has ended. It stays in the record."))
            return redirect("spaces:members", slug=slug)
    return render(
        request,
        "spaces/member_end.html",
        {"space": membership.space, "preview": preview, "form": form},
        status=400 if confirmed else 200,
    )


def _leave_page(
    change: Callable[..., object], done: Promise
) -> Callable[[HttpRequest, str, int], HttpResponseBase]:
    """The members page's button that starts or ends a board member's leave through
    ``change`` (``services.leave_start`` or ``leave_end``), saying ``done``."""

    @login_required
    @require_POST
    def view(request: HttpRequest, slug: str, pk: int) -> HttpResponseBase:
        membership = get_object_or_404(Membership, pk=pk, space__slug=slug)
        return _act(
            request,
            slug,
            lambda actor, space: change(actor=actor, membership=membership),
            str(done),
        )

    return view


leave_start = _leave_page(services.leave_start, gettext_lazy("The leave of absence has started."))
leave_end = _leave_page(services.leave_end, gettext_lazy("The leave of absence has ended."))


@login_required
@require_POST
@_managing
def invitation_create(request: HttpRequest, space: DecisionSpace, actor: Actor) -> HttpResponse:
    def create(form: InvitationForm) -> HttpResponse:
        invitation, secret = services.invitation_create(
            actor=actor,
            space=space,
            role=form.cleaned_data["role"],
            email=form.cleaned_data["email"] or None,
        )
        # Shown once, in this response only (never cached): only its hash is stored.
        response = _members_page(
            request,
            space,
            new_invitation=invitation,
            new_code=secret if invitation.kind == "code" else None,
        )
        patch_cache_control(response, no_store=True, private=True)
        return response

    return _members_form(request, space, InvitationForm, create, name="invitation_form")


@login_required
@require_POST
def join_request_decide(
    request: HttpRequest, slug: str, pk: int, decision: str
) -> HttpResponseBase:
    join_request = get_object_or_404(JoinRequest, pk=pk, space__slug=slug)
    if decision not in ("approve", "decline"):
        raise Http404
    if decision == "approve":
        return _act(
            request,
            slug,
            lambda actor, space: services.join_request_approve(
                actor=actor, join_request=join_request
            ),
            _("The request was accepted."),
        )
    return _act(
        request,
        slug,
        lambda actor, space: services.join_request_decline(actor=actor, join_request=join_request),
        _("The request was declined."),
    )


@login_required
@require_POST
def join_request_create(request: HttpRequest, slug: str) -> HttpResponseBase:
    space = get_object_or_404(DecisionSpace, slug=slug)
    form = JoinRequestForm(request.POST)
    if not form.is_valid():
        # An over-long message is said as such; anything else is a missing role.
        problems = [str(text) for text in form.errors.get("message", [])]
        messages.error(
            request,
            " ".join(problems) or _("Choose whether to join the electorate or the board."),
        )
        return redirect(space)
    try:
        services.join_request_create(
            actor=Actor.from_request(request), space=space, **form.cleaned_data
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your request was sent to the facilitators."))
    return redirect(space)


@login_required
def rulebook_change(request: HttpRequest, slug: str) -> HttpResponseBase:
    space = get_object_or_404(DecisionSpace, slug=slug)
    actor = Actor.from_request(request)
    if not rules.test_rule("spaces.manage_members", actor, space):
        return needs_powers(request, _(POWERS_MESSAGE))
    detour = _reauthenticate_first(request, space, request.path)
    if detour is not None:
        return detour
    current = selectors.rulebook_current(space=space)
    form = RulebookForm(request.POST or None, initial=current.values())
    if request.method == "POST" and form.is_valid():
        try:
            services.rulebook_change(actor=actor, space=space, **form.cleaned_data)
        except DomainError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request, _("The new rulebook applies to rounds and votes opened from now on.")
            )
            return redirect(space)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "spaces/rulebook.html",
        {"space": space, "form": form, "current": current, "rules": rulebook_sentences(current)},
        status=status,
    )
