"""The invitation pages an invitee sees: the e-mailed link (accept or decline) and the
one-time code typed while signed in. Each try counts against a rate limit (per account
and per keyed hash of the client, as sign-in does) before anything is looked up."""

from __future__ import annotations

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.authority import Actor
from accounts.forms import JoinCodeForm
from core.errors import DomainError
from core.onetime import CODE_ACTION
from core.views import code_page, too_many_tries
from spaces import selectors, services

# Accepting or declining by an e-mailed link, signed in or not (pages and API).
LINK_ACTION = "invitation_link"


def link_limited(request: HttpRequest) -> bool:
    """Count one try with an invitation link; True when past the limit."""
    user = request.user if request.user.is_authenticated else None
    return not ratelimit.consume(request, action=LINK_ACTION) or (
        user is not None and not ratelimit.consume(request, action=CODE_ACTION, user=user)
    )


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The page an e-mail invitation links to: sign in (or sign up), then accept or
    decline."""
    if request.method == "POST" and link_limited(request):
        return render(request, "spaces/invitation.html", {"error": too_many_tries()}, status=429)
    try:
        invitation = selectors.invitation_check_token(token=token)
    except DomainError as error:
        return render(request, "spaces/invitation.html", {"error": error.message}, status=400)
    if request.method == "POST" and request.user.is_authenticated:
        try:
            services.invitation_redeem(invitation=invitation, user=request.user)
        except DomainError as error:
            return render(request, "spaces/invitation.html", {"error": error.message}, status=400)
        messages.success(request, _("Welcome. You are now a member of this space."))
        return redirect(invitation.space)
    return render(request, "spaces/invitation.html", {"invitation": invitation, "token": token})


@never_cache
@require_POST
def invitation_decline(request: HttpRequest, token: str) -> HttpResponse:
    """Say no to an e-mailed invitation, with or without an account: it can no longer be
    used, and the address it was sent to is erased."""
    if link_limited(request):
        return render(request, "spaces/invitation.html", {"error": too_many_tries()}, status=429)
    try:
        invitation = selectors.invitation_check_token(token=token)
        services.invitation_decline(invitation=invitation)
    except DomainError as error:
        return render(request, "spaces/invitation.html", {"error": error.message}, status=400)
    messages.success(
        request, _("You declined the invitation. The address it was sent to is erased.")
    )
    return redirect("pages:home")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def invitation_redeem_code(request: HttpRequest) -> HttpResponse:
    """A signed-in person types the one-time code a facilitator gave them."""
    # The same code as joining with one when signing up (spaces/join_views.py).
    form = JoinCodeForm(request.POST or None)

    def redeem(code: str) -> HttpResponse:
        membership = services.invitation_redeem_code(actor=Actor.from_request(request), code=code)
        messages.success(request, _("Welcome. You are now a member of this space."))
        return redirect(membership.space)

    return code_page(request, form, "spaces/invitation_code.html", redeem, refusal_field="code")
