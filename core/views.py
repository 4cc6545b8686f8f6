"""Pages every app shares."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.core import ratelimit
from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.forms import NewAtSlugForm
from core.onetime import CODE_ACTION


def needs_powers(request: HttpRequest, message: str) -> HttpResponse:
    """A refusal that says what would make it work (403)."""
    return render(request, "core/needs_powers.html", {"message": message}, status=403)


def attempt(request: HttpRequest, act: Callable[[], object], done: str) -> bool:
    """Run one service call for a POST and leave its outcome for the next page: the
    refusal's message, or ``done``. True if it went through."""
    try:
        act()
    except DomainError as error:
        messages.error(request, error.message)
        return False
    messages.success(request, done)
    return True


def too_many_tries() -> str:
    return _("Too many tries. Please wait a minute and try again.")


def code_page(
    request: HttpRequest,
    form: forms.Form,
    template: str,
    redeem: Callable[[str], HttpResponse],
    *,
    refusal_field: str | None = None,
) -> HttpResponse:
    """The page where a signed-in person types a one-time code (``form``'s ``code``).

    Each POST counts against the codes' rate limit before anything is looked up: codes
    are short enough to type, so guessing them must be slow (429 past the limit).
    ``redeem(code)`` uses the code and answers (its message, where to go next); its
    refusal (a DomainError) is shown on the form, on ``refusal_field`` or above it (400).
    """
    if request.method == "POST" and not ratelimit.consume(request, action=CODE_ACTION):
        form.add_error(None, too_many_tries())
        return render(request, template, {"form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        try:
            return redeem(form.cleaned_data["code"])
        except DomainError as error:
            form.add_error(refusal_field, error.message)
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"form": form}, status=status)


def new_at_slug_page(
    request: HttpRequest,
    form: NewAtSlugForm,
    template: str,
    make: Callable[[], Any],
    done: str,
) -> HttpResponseBase:
    """The page that makes something with a short address of its own (``form``): on a
    valid POST ``make()`` calls the service, and the person is told ``done`` on the new
    thing's page; what the service refuses comes back onto the form."""
    if request.method == "POST" and form.is_valid():
        try:
            made = make()
        except DomainError as error:
            form.add_refusal(error)
        else:
            messages.success(request, done)
            return redirect(made)
    return render(request, template, {"form": form})
