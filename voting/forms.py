"""Forms of the vote pages. They read and shape input; the services decide what is
allowed (voting/services/), and their refusals come back onto the form."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from voting.models import Choice
from voting.receipts import ReceiptError, normalise_receipt
from voting.services import receipt_problem

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Lazy: translated when a form shows the error, in that request's language.
CHOOSE_A_CHOICE = _("Choose approve, reject or abstain.")
CHOICE_ERRORS = {"required": CHOOSE_A_CHOICE, "invalid_choice": CHOOSE_A_CHOICE}


def _choice_field(label: StrOrPromise) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=Choice.choices,
        widget=forms.RadioSelect,
        error_messages=CHOICE_ERRORS,
    )


class ReceiptField(forms.CharField):
    """A receipt as typed (any case, with or without spaces and dashes), cleaned to the
    form it was shown in. A typed receipt is never shown back in an error."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("label", _("Your receipt"))
        kwargs.setdefault("max_length", 80)
        kwargs.setdefault("error_messages", {"required": _("Type your receipt.")})
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.widget.attrs.update(
            {"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        )

    def clean(self, value: object) -> str:
        text = super().clean(value)
        try:
            return normalise_receipt(text)
        except ReceiptError as error:
            raise forms.ValidationError(receipt_problem(error), code="invalid") from None


class CastForm(forms.Form):
    choice = _choice_field(_("Your ballot"))


class ChangeForm(forms.Form):
    receipt = ReceiptField(
        help_text=_("The receipt you were given when you voted, e.g. ABCD-EFGH-…"),
    )
    choice = _choice_field(_("Your new ballot"))


class ReceiptDownloadForm(forms.Form):
    receipt = ReceiptField()


class ReceiptCheckForm(forms.Form):
    receipt = ReceiptField(
        help_text=_("Nothing you type here is stored. The site only compares its hash."),
    )


class BringForwardForm(forms.Form):
    opens_at = forms.DateTimeField(
        label=_("Open the vote at (UTC)"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Earlier than scheduled, never later, and not in the past. Times are in UTC."),
        error_messages={
            "required": _("Give a date and time, in UTC."),
            "invalid": _("Give a date and time, in UTC, like 2027-03-01 18:00."),
        },
    )

    def clean_opens_at(self) -> datetime.datetime:
        # What was typed is UTC, whatever the site's time zone (the pages show UTC).
        value: datetime.datetime = self.cleaned_data["opens_at"]
        return timezone.make_naive(value).replace(tzinfo=datetime.UTC)
