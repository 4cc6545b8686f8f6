from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from spaces.forms import person_by_sign_in_name


class OrganisationRegisterForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    slug = forms.SlugField(
        label=_("Short address"),
        max_length=60,
        required=False,
        help_text=_("Made from the name if empty."),
    )
    description = forms.CharField(
        label=_("What the organisation does"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class EditorAddForm(forms.Form):
    username = forms.CharField(
        label=_("Sign-in name"),
        max_length=150,
        help_text=_("The private name the person signs in with. Ask them for it."),
    )

    def clean_username(self) -> User:
        return person_by_sign_in_name(self.cleaned_data["username"])


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)
