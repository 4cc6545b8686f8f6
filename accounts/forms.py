"""Forms for the account pages and allauth's sign-up."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.translation import gettext_lazy as _

from accounts.services import (
    PUBLIC_NAME_MAX_LENGTH,
    TOKEN_NAME_MAX_LENGTH,
    public_name_missing,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PUBLIC_NAME_HELP = _(
    "Shown next to what you do on the site. Any name you like: it does not need to be "
    "your legal name."
)
SIGN_IN_NAME_HELP = _(
    "Private: only you use it, to sign in. Others never see it. Letters, digits and @ . + - _ only."
)


def public_name_field() -> forms.CharField:
    return forms.CharField(
        label=_("Public name"),
        max_length=PUBLIC_NAME_MAX_LENGTH,
        help_text=PUBLIC_NAME_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form with a public name, and plain labels for the private ones."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["public_name"] = public_name_field()
        self.fields["username"].label = _("Private sign-in name")
        self.fields["username"].help_text = SIGN_IN_NAME_HELP
        self.fields["email"].help_text = _(
            "Private: used to confirm your account and to reset your password. Never shown."
        )
        order = ["email", "public_name", "username", "password1", "password2"]
        self.order_fields([name for name in order if name in self.fields])

    def clean_public_name(self) -> str:
        name = " ".join(self.cleaned_data["public_name"].split())
        if not name:
            raise forms.ValidationError(public_name_missing())
        return name


class PublicNameForm(forms.Form):
    public_name = public_name_field()


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        help_text=_("Every e-mail the site sends you is written in this language."),
    )


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=TOKEN_NAME_MAX_LENGTH,
        help_text=_("So you can tell your tokens apart, e.g. the program that will use it."),
    )


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my account is deleted for good and cannot be restored."),
    )


class JoinCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Invitation code"),
        max_length=64,
        help_text=_("The code a facilitator gave you."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )


def new_password_field(label: StrOrPromise, *, with_rules: bool = False) -> forms.CharField:
    """A new password, typed (and typed again, without ``with_rules``) where a person
    chooses it; ``with_rules`` shows what the password validators ask for."""
    return forms.CharField(
        label=label,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html() if with_rules else "",
    )


class NewPasswordForm(forms.Form):
    """A form with a new password typed twice (``password1``, ``password2``, each a
    ``new_password_field``, declared by the form where it wants them): refused when the
    two differ. It declares no field itself, so the form's order is its own."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords are not the same."))
        return data


class JoinAccountForm(NewPasswordForm):
    public_name = public_name_field()
    username = forms.CharField(
        label=_("Private sign-in name"),
        max_length=150,
        help_text=SIGN_IN_NAME_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password1 = new_password_field(_("Password"), with_rules=True)
    password2 = new_password_field(_("Password (again)"))

    def clean_username(self) -> str:
        from allauth.account.adapter import get_adapter

        return str(get_adapter().clean_username(self.cleaned_data["username"].strip()))


class RecoverForm(NewPasswordForm):
    username = forms.CharField(
        label=_("Private sign-in name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    code = forms.CharField(
        label=_("Recovery code"),
        max_length=40,
        help_text=_("One of the codes you saved when you joined. Each works once."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    password1 = new_password_field(_("New password"), with_rules=True)
    password2 = new_password_field(_("New password (again)"))
