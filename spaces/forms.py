"""Forms of the space pages. They only read input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import NewAtSlugForm, RefusalForm, text_area
from core.money import DEFAULT_CURRENCY, currency_choices
from core.text import DESCRIPTION_MAX_LENGTH, NOTE_MAX_LENGTH
from spaces import rulebook as rb
from spaces.ending import reason_required_message
from spaces.models import Role


def person_by_sign_in_name(username: str) -> User:
    person = User.objects.filter(username=username.strip(), is_active=True).first()
    if person is None:
        raise forms.ValidationError(
            _("No one has the sign-in name %(name)s. Ask the person for theirs."),
            params={"name": username},
        )
    return person


class MemberAddForm(RefusalForm):
    username = forms.CharField(
        label=_("Sign-in name"),
        max_length=150,
        help_text=_("The private name the person signs in with. Ask them for it."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    lived_experience = text_area(
        _("Lived experience (board members only, private)"),
        rows=3,
        max_length=NOTE_MAX_LENGTH,
        help_text=_("Only this space's facilitators ever see this."),
    )

    def clean_username(self) -> User:
        return person_by_sign_in_name(self.cleaned_data["username"])


class MemberSearchForm(forms.Form):
    q = forms.CharField(label=_("Public name contains"), required=False, max_length=100)


class ReasonForm(RefusalForm):
    reason = text_area(
        _("Reason (public)"),
        rows=3,
        max_length=NOTE_MAX_LENGTH,
        help_text=_("Shown in the space's public history. Write nothing private."),
    )

    def __init__(self, *args: Any, required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
        if required:
            self.fields["reason"].error_messages["required"] = reason_required_message()


class InvitationForm(RefusalForm):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    email = forms.EmailField(
        label=_("E-mail address (optional)"),
        required=False,
        help_text=_("Leave empty to get a one-time code to hand over in person."),
    )


class JoinRequestForm(forms.Form):
    role = forms.ChoiceField(
        label=_("I would like to join"),
        choices=[
            (Role.ELECTORATE, _("the electorate (vote)")),
            (Role.BOARD, _("the advisory board")),
        ],
    )
    message = text_area(
        _("Message to the facilitators (optional)"), rows=3, max_length=NOTE_MAX_LENGTH
    )


class SpaceCreateForm(NewAtSlugForm):
    description = text_area(_("Description"), max_length=DESCRIPTION_MAX_LENGTH)
    currency = forms.ChoiceField(
        label=_("Currency"),
        choices=currency_choices,
        initial=DEFAULT_CURRENCY,
        help_text=_("The currency of the costs its proposals state."),
    )
    facilitators = forms.CharField(
        label=_("First facilitators"),
        help_text=_("Their sign-in names, separated by commas."),
    )

    def clean_facilitators(self) -> list[User]:
        names = [name.strip() for name in self.cleaned_data["facilitators"].split(",")]
        return [person_by_sign_in_name(name) for name in names if name]


class RulebookForm(RefusalForm):
    """Every rule, with the floors the database enforces, refused per field."""

    advisory_quorum_num = forms.IntegerField(label=_("Advisory quorum: top"), min_value=0)
    advisory_quorum_den = forms.IntegerField(label=_("Advisory quorum: bottom"), min_value=1)
    minimum_reviews = forms.IntegerField(
        label=_("Fewest reviews a round needs, whatever the board's size"), min_value=0
    )
    consent_num = forms.IntegerField(label=_("Consent threshold: top"), min_value=0)
    consent_den = forms.IntegerField(label=_("Consent threshold: bottom"), min_value=1)
    consent_strict = forms.BooleanField(
        label=_("Consent needs more than this share (not exactly it)"), required=False
    )
    review_window_days = forms.IntegerField(label=_("Review window (days)"), min_value=0)
    vote_delay_days = forms.IntegerField(label=_("Days from the response to the vote"), min_value=0)
    voting_window_days = forms.IntegerField(label=_("Voting window (days)"), min_value=0)
    turnout_quorum_num = forms.IntegerField(label=_("Turnout quorum: top"), min_value=0)
    turnout_quorum_den = forms.IntegerField(label=_("Turnout quorum: bottom"), min_value=1)
    approval_num = forms.IntegerField(label=_("Approval threshold: top"), min_value=0)
    approval_den = forms.IntegerField(label=_("Approval threshold: bottom"), min_value=1)
    approval_strict = forms.BooleanField(
        label=_("Approval needs more than this share (not exactly it)"), required=False
    )
    dual_majority = forms.BooleanField(
        label=_("Dual majority: the board's own votes must also pass"), required=False
    )
    min_group_size = forms.IntegerField(
        label=_("Smallest group whose counts are published"), min_value=0
    )
    publish_receipt_choices = forms.BooleanField(
        label=_("Publish each receipt with its choice"), required=False
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:
            for field, messages in rb.validate(cleaned).items():
                for message in messages:
                    self.add_error(field, message)
        return cleaned
