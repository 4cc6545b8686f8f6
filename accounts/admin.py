"""People in the admin, and the admin itself behind a second factor.

Staff powers need a browser session that passed a second factor (``Actor.can_use_powers``).
The admin site's ``has_permission`` asks exactly that, and its login view (reached
through allauth's ``secure_admin_login``, config/urls.py) sends a signed-in staff member
without it to set up an authenticator, or to confirm theirs.

What someone may sign in with and what they may do change only through the services,
which write the history: allauth's e-mail address and authenticator admins are taken back
(changing someone's address there, then asking for a password reset, would take the
account over; deleting an authenticator there would skip ``mfa_reset_by_staff``), and the
groups are read-only (a group's permissions are staff rights; ``staff_grant`` keeps the
"Site staff" group's).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.authority import Actor
from accounts.models import User
from accounts.services import mfa_reset_by_staff
from core.admin import LookOnly
from core.errors import DomainError


def admin_has_permission(request: HttpRequest) -> bool:
    """Active staff, in a session that passed a second factor (never a token)."""
    user = request.user
    return bool(user.is_active and user.is_staff and Actor.from_request(request).can_use_powers)


def second_factor_step_up(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wraps the admin's login view: a signed-in staff member whose session has no second
    factor is sent to set one up (none yet) or to confirm it, then back to the admin."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.is_staff and not admin_has_permission(request):
            back = request.GET.get("next") or reverse("admin:index")
            if Authenticator.objects.filter(user=user).exists():
                target = reverse("mfa_reauthenticate")
            else:
                messages.info(
                    request,
                    _("Site staff use the admin with two-factor authentication. Set it up here."),
                )
                target = reverse("mfa_activate_totp")
            return HttpResponseRedirect(f"{target}?{urlencode({'next': back})}")
        return view(request, *args, **kwargs)

    return wrapper


admin.site.has_permission = admin_has_permission  # type: ignore[method-assign]
admin.site.login = second_factor_step_up(admin.site.login)  # type: ignore[method-assign]

# This module runs after allauth's admin modules (``accounts`` comes after them in
# INSTALLED_APPS), so these registrations are there to take back. The user admin shows
# whether someone has a second factor and links to the logged reset.
for _model in (EmailAddress, EmailConfirmation, Authenticator):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


admin.site.unregister(Group)


@admin.register(Group)
class ReadOnlyGroupAdmin(LookOnly, GroupAdmin):
    """Groups and their permissions, to look at: ``staff_grant`` keeps "Site staff"'s."""


class MfaResetForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Kept in the public record, so give no personal details. For example: asked "
            "from the account's e-mail address; confirmed in person by a facilitator."
        ),
    )


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ("public_name", "username", "is_staff", "is_active", "date_joined")
    search_fields = ("public_name", "username")
    # Who someone is and what they may do change only through the services (sign-up,
    # account_set_public_name, account_delete, staff_grant, staff_revoke, …), which check
    # the rules and write the history; the admin shows these fields and never writes them.
    readonly_fields = (
        "public_id",
        "username",
        "email",
        "public_name",
        "is_active",
        "is_staff",
        "is_superuser",
        "groups",
        "user_permissions",
        "date_joined",
        "last_login",
        "password",
        "deleted_at",
        "two_factor",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Accounts are made by sign-up, joining with a code, or user_create; never here.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        # An account is closed by its owner (account_delete, logged), never removed here:
        # deleting the row would take its rights and second factors away unrecorded.
        return False

    @admin.display(description=gettext_lazy("two-factor authentication"))
    def two_factor(self, obj: User) -> str:
        if obj.pk is None or not Authenticator.objects.filter(user=obj).exists():
            return _("not set up")
        url = reverse("admin:accounts_user_mfa_reset", args=[obj.pk])
        return format_html(
            '{} <a href="{}">{}</a>', _("set up."), url, _("Reset it (lost authenticator)")
        )

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "<path:object_id>/reset-two-factor/",
                self.admin_site.admin_view(self.mfa_reset_view),
                name="accounts_user_mfa_reset",
            )
        ]
        return own + super().get_urls()

    def mfa_reset_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Staff reset a person's lost authenticator, with a reason (logged in the history)."""
        # Any staff member may open it; the service decides (staff, second factor, recent).
        person = get_object_or_404(User, pk=object_id)
        form = MfaResetForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                count = mfa_reset_by_staff(
                    actor=Actor.from_request(request),
                    person=person,
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                self.message_user(
                    request,
                    _("Removed %(count)d second factor(s). The person was told by e-mail.")
                    % {"count": count},
                    messages.SUCCESS,
                )
                return redirect("admin:accounts_user_change", person.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reset two-factor authentication"),
            "person": person,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/accounts/user/mfa_reset.html", context)
