"""The account page (name, sign-in security, API tokens, data, deletion), and recovery
with a code for people without an e-mail address. Joining with a facilitator's code is
the spaces app's (``spaces/join_views.py``): it redeems a space's invitation."""

from __future__ import annotations

import json
from collections.abc import Callable

from allauth.account.decorators import reauthentication_required
from allauth.core import ratelimit
from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import services
from accounts.authority import Actor
from accounts.export import export_for
from accounts.forms import (
    DeleteAccountForm,
    LanguageForm,
    PublicNameForm,
    RecoverForm,
    TokenCreateForm,
)
from accounts.models import User
from accounts.selectors import personal_tokens
from core.errors import DomainError
from core.views import attempt


def _account_page(
    request: HttpRequest,
    *,
    bound: dict[str, forms.Form] | None = None,
    new_token: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """The account page; ``bound`` holds the forms sent back with their errors, by their
    name in the page ("name_form", "language_form", "token_form")."""
    user = request.user
    assert isinstance(user, User)
    context = {
        "name_form": PublicNameForm(initial={"public_name": user.public_name}),
        "language_form": LanguageForm(initial={"language": user.language}),
        "token_form": TokenCreateForm(),
        **(bound or {}),
        "tokens": personal_tokens(user=user),
        "new_token": new_token,
        "has_mfa": Authenticator.objects.filter(user=user).exists(),
        "has_email": bool(user.email),
        "unused_recovery_codes": user.recovery_codes.filter(used_at__isnull=True).count(),
    }
    return render(request, "accounts/account.html", context, status=status)


@never_cache
@login_required
@require_GET
def account(request: HttpRequest) -> HttpResponse:
    return _account_page(request)


def _setting_page(
    form_class: type[PublicNameForm | LanguageForm],
    change: Callable[..., object],
    done: str | Promise,
    form_key: str,
) -> Callable[[HttpRequest], HttpResponse]:
    """The POST that changes one setting of the account (the form's one field) through
    its service, ``change``: done, back to the account page with the message ``done``;
    refused by the form or the service, the account page again (400) with the message on
    the field, the form under ``form_key``."""

    @never_cache
    @login_required
    @require_POST
    def view(request: HttpRequest) -> HttpResponse:
        form = form_class(request.POST)
        (field,) = form.fields
        if form.is_valid():
            try:
                change(actor=Actor.from_request(request), **{field: form.cleaned_data[field]})
            except DomainError as error:
                form.add_error(field, error.message)
            else:
                messages.success(request, str(done))
                return redirect("accounts:account")
        return _account_page(request, bound={form_key: form}, status=400)

    return view


public_name = _setting_page(
    PublicNameForm,
    services.account_set_public_name,
    gettext_lazy("Your public name is changed."),
    form_key="name_form",
)
language = _setting_page(
    LanguageForm,
    services.account_set_language,
    gettext_lazy("Your e-mails will be written in this language."),
    form_key="language_form",
)


@never_cache
@login_required
@reauthentication_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenCreateForm(request.POST)
    if form.is_valid():
        try:
            _token, secret = services.token_create(
                actor=Actor.from_request(request), name=form.cleaned_data["name"]
            )
        except DomainError as error:
            form.add_error("name", error.message)
        else:
            # Shown in this response only: the site keeps a digest, never the token.
            return _account_page(request, new_token=secret)
    return _account_page(request, bound={"token_form": form}, status=400)


@never_cache
@login_required
@require_POST
def token_revoke(request: HttpRequest) -> HttpResponse:
    attempt(
        request,
        lambda: services.token_revoke(
            actor=Actor.from_request(request), token_key=request.POST.get("token", "")
        ),
        _("The token is revoked. Programs using it can no longer sign in."),
    )
    return redirect("accounts:account")


@never_cache
@login_required
@reauthentication_required
@require_GET
def data_download(request: HttpRequest) -> HttpResponse:
    """Everything the site holds about the signed-in person, as one JSON file."""
    user = request.user
    assert isinstance(user, User)
    response = HttpResponse(
        json.dumps(export_for(user), indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="real-voice-my-data.json"'
    return response


@never_cache
@login_required
@reauthentication_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_delete(actor=Actor.from_request(request))
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            logout(request)
            messages.success(request, _("Your account is deleted. Thank you for taking part."))
            return redirect("pages:home")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/delete.html", {"form": form}, status=status)


# --- Recovery without e-mail --------------------------------------------------------------


def _rate_limited(request: HttpRequest, action: str, key: str | None = None) -> bool:
    return not ratelimit.consume(request, action=action, key=key)


@never_cache
@login_required
@reauthentication_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New account recovery codes (the old ones stop working), shown once."""
    user = request.user
    assert isinstance(user, User)
    if request.method == "POST":
        codes = services.recovery_codes_issue(user=user)
        return render(request, "accounts/recovery_codes.html", {"codes": codes})
    return render(request, "accounts/recovery_codes_new.html")


@never_cache
@require_http_methods(["GET", "POST"])
def recover(request: HttpRequest) -> HttpResponse:
    """Sign-in name + one recovery code → a new password. Rate-limited per visitor and
    per sign-in name."""
    form = RecoverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"].strip().lower()
        if _rate_limited(request, "recover_account", key=username):
            form.add_error(None, _("Too many tries. Please wait a few minutes and try again."))
            return render(request, "accounts/recover.html", {"form": form}, status=429)
        try:
            services.account_recover_with_code(
                username=username,
                code=form.cleaned_data["code"],
                new_password=form.cleaned_data["password1"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Your password is changed. Sign in with your new password.")
            )
            return redirect("account_login")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/recover.html", {"form": form}, status=status)
