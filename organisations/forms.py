from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import NewAtSlugForm, RefusalForm, text_area
from core.text import DESCRIPTION_MAX_LENGTH, NOTE_MAX_LENGTH


class OrganisationRegisterForm(NewAtSlugForm):
    description = text_area(_("What the organisation does"), max_length=DESCRIPTION_MAX_LENGTH)


class EditorInvitationRedeemForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_("The one-time code an editor of the organisation gave you."),
    )


class RejectForm(RefusalForm):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=NOTE_MAX_LENGTH)
