"""Forms of the proposal pages. They read and shape input; the services decide what is
allowed and what is valid (proposals/services/), and their errors come back onto the
fields here."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.selectors import display_name
from core.forms import RefusalForm, text_area
from core.money import currency_choices
from core.text import NOTE_MAX_LENGTH
from proposals.diff import LABELS
from proposals.models import TEXT_FIELDS, Proposal, ProposalDraft, SpectrumTag
from proposals.selectors import cosign_candidates

# Outcome rows beyond the stored ones, so a person can add outcomes without JavaScript.
EXTRA_OUTCOME_ROWS = 2
# A bound form never grows past this many rows, whatever the request claims.
MAX_OUTCOME_ROWS = 50
_OUTCOME_KEY = re.compile(r"^(outcome|measure)_(\d+)$")


def _choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


class SearchInput(forms.TextInput):
    input_type = "search"


class ProposalFilterForm(forms.Form):
    """The GET filters of a space's proposal list; every one optional."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200, widget=SearchInput)
    state = forms.ChoiceField(label=_("State"), required=False)
    tag = forms.ChoiceField(label=_("Spectrum tag"), required=False)
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)

    def __init__(self, *args: Any, organisations: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything: list[tuple[str, Any]] = [("", _("All"))]
        _choice_field(self, "state").choices = everything + Proposal.SHOWN_STATES
        _choice_field(self, "tag").choices = everything + list(SpectrumTag.choices)
        _choice_field(self, "organisation").choices = everything + organisations

    def filters(self) -> dict[str, str]:
        """The valid filters (an invalid one is shown as an error and not applied)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "query": data.get("q") or "",
            "state": data.get("state") or "",
            "tag": data.get("tag") or "",
            "organisation": data.get("organisation") or "",
        }


class ProposalCreateForm(RefusalForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    on_behalf_of = forms.ChoiceField(
        label=_("On behalf of"),
        help_text=_("An organisation you edit for, or the community if you sit on the board."),
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "on_behalf_of").choices = choices


class _PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return display_name(obj)


class CosignRequestForm(forms.Form):
    """Ask one person to co-sign: board members of the space and editors of other
    organisations, by public name (proposals.selectors.cosign_candidates)."""

    person = _PersonChoiceField(
        label=_("Ask someone to co-sign"),
        queryset=User.objects.none(),
        to_field_name="public_id",
        empty_label=_("Choose a person"),
        help_text=_(
            "They can read the draft until they co-sign or decline, and are told by e-mail."
        ),
        error_messages={
            "required": _("Choose the person to ask."),
            "invalid_choice": _("This person cannot be asked to co-sign this proposal."),
        },
    )

    def __init__(self, *args: Any, proposal: Proposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = cosign_candidates(proposal)
        field.widget.attrs["aria-describedby"] = "id_person-hint"


class WithdrawForm(RefusalForm):
    reason = text_area(
        _("Why are you withdrawing it? (public)"),
        required=True,
        max_length=NOTE_MAX_LENGTH,
        help_text=_("Everyone who reads the proposal's record will see this reason."),
    )


def _prose(name: str, *, rows: int, help_text: Any = "") -> forms.CharField:
    """A free-text field of the working copy: a text area, labelled as the diff labels it,
    that may be saved empty (the service asks for what a submission needs)."""
    return text_area(LABELS[name], rows=rows, help_text=help_text)


class ProposalEditForm(RefusalForm):
    """The working copy. Well-being outcomes are rows of outcome + measure fields
    (``outcome_0``, ``measure_0``, …): the stored ones plus two empty rows; a row left
    empty is ignored."""

    title = forms.CharField(label=LABELS["title"], max_length=200)
    summary = _prose("summary", rows=4, help_text=_("A few sentences anyone can understand."))
    body = _prose(
        "body",
        rows=14,
        help_text=_(
            "Markdown: # for a heading, * for a list, **bold**, [text](https://…) for a "
            "link. No images or raw HTML."
        ),
    )
    people_served = _prose("people_served", rows=3)
    spectrum_tags = forms.MultipleChoiceField(
        label=LABELS["spectrum_tags"],
        required=False,
        choices=SpectrumTag.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Where the program sits, from safer use to abstinence support."),
    )
    risks_and_harms = _prose(
        "risks_and_harms",
        rows=4,
        help_text=_(
            "Overdose, legal exposure, stigma, …: what could go wrong and how you reduce it."
        ),
    )
    cost = forms.DecimalField(
        label=_("Cost (optional)"),
        required=False,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        help_text=_("An amount, such as 12500.00."),
    )
    review_date = forms.DateField(
        label=_("Review date (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, draft: ProposalDraft, **kwargs: Any) -> None:
        if "initial" not in kwargs:
            kwargs["initial"] = _initial(draft)
        super().__init__(*args, **kwargs)
        self.draft = draft
        currency = draft.proposal.space.currency
        self.fields["cost"].help_text = _(
            "An amount in %(currency)s, this space's currency, such as 12500.00."
        ) % {"currency": dict(currency_choices()).get(currency, currency)}
        stored = len(draft.wellbeing_outcomes or [])
        if self.is_bound:
            posted = [
                int(match.group(2))
                for key in self.data
                if (match := _OUTCOME_KEY.match(key)) and len(match.group(2)) <= 3
            ]
            rows = max([stored, *(index + 1 for index in posted)])
        else:
            rows = stored + EXTRA_OUTCOME_ROWS
        self.outcome_rows = min(max(rows, 1), MAX_OUTCOME_ROWS)
        for index in range(self.outcome_rows):
            number = index + 1
            self.fields[f"outcome_{index}"] = forms.CharField(
                label=_("Outcome %(number)s") % {"number": number},
                required=False,
                max_length=500,
            )
            self.fields[f"measure_{index}"] = forms.CharField(
                label=_("How outcome %(number)s will be measured") % {"number": number},
                required=False,
                max_length=500,
            )

    # --- Shaping ------------------------------------------------------------------------

    def outcome_pairs(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"outcome_{i}"], self[f"measure_{i}"]) for i in range(self.outcome_rows)]

    def content_fields(self) -> list[forms.BoundField]:
        """The fields before the outcomes, in the order of the form."""
        return [self[name] for name in ("title", "summary", "body", "people_served")]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        outcomes = []
        for index in range(self.outcome_rows):
            outcome = (cleaned.get(f"outcome_{index}") or "").strip()
            measure = (cleaned.get(f"measure_{index}") or "").strip()
            if not outcome and not measure:
                continue  # an empty row
            if not outcome:
                self.add_error(f"outcome_{index}", _("Describe the outcome this measure is for."))
            elif not measure:
                self.add_error(f"measure_{index}", _("Say how this outcome will be measured."))
            outcomes.append({"outcome": outcome, "measure": measure})
        cleaned["wellbeing_outcomes"] = outcomes
        return cleaned

    def changed_content(self) -> dict[str, Any]:
        """The content fields whose value differs from the working copy; call after
        ``is_valid()``.

        Only what changed goes to ``proposal_update_draft``. The service refuses an empty
        title, summary, risks and harms, tag list or outcome list *when given*, while a
        draft may be saved incomplete (completeness is checked at submission). Sending
        only the changes gives both: a field never filled in and left empty is not sent,
        so an incomplete draft saves; clearing a field the service requires is sent, and
        its refusal appears on that field instead of the text silently coming back. The
        history event of a revision lists only what really changed, too.
        """
        data = self.cleaned_data
        # Browsers send line breaks in a textarea as CRLF; the stored text keeps LF, so
        # an untouched text compares equal and versions differ only where words did.
        new: dict[str, Any] = {
            name: (data.get(name) or "").replace("\r\n", "\n") for name in TEXT_FIELDS
        }
        new["spectrum_tags"] = [tag for tag in SpectrumTag.values if tag in data["spectrum_tags"]]
        new["wellbeing_outcomes"] = data["wellbeing_outcomes"]
        new["cost"] = data.get("cost")
        new["review_date"] = data.get("review_date")
        old = _initial(self.draft)
        old["wellbeing_outcomes"] = list(self.draft.wellbeing_outcomes or [])
        return {name: value for name, value in new.items() if value != old[name]}

    def refusal_field(self, name: str) -> str | None:
        """The outcomes' messages go on the first row."""
        if name == "wellbeing_outcomes":
            return "outcome_0"
        return super().refusal_field(name)

    # --- What the preview and the language check read -------------------------------------

    def shown_texts(self) -> dict[str, Any]:
        """The texts as typed, valid or not, for the preview (nothing is saved)."""
        texts: dict[str, Any] = {name: str(self.data.get(name, "")) for name in TEXT_FIELDS}
        texts["wellbeing_outcomes"] = [
            {
                "outcome": str(self.data.get(f"outcome_{i}", "")),
                "measure": str(self.data.get(f"measure_{i}", "")),
            }
            for i in range(self.outcome_rows)
        ]
        return texts


def _initial(draft: ProposalDraft) -> dict[str, Any]:
    initial: dict[str, Any] = {name: getattr(draft, name) or "" for name in TEXT_FIELDS}
    initial["spectrum_tags"] = list(draft.spectrum_tags or [])
    initial["cost"] = draft.cost
    initial["review_date"] = draft.review_date
    for index, item in enumerate(draft.wellbeing_outcomes or []):
        initial[f"outcome_{index}"] = item.get("outcome", "")
        initial[f"measure_{index}"] = item.get("measure", "")
    return initial


# Where each content field sits on the edit page, for links from a refused submission.
FIELD_ANCHORS = {
    "title": "id_title",
    "summary": "id_summary",
    "body": "id_body",
    "people_served": "id_people_served",
    "spectrum_tags": "id_spectrum_tags_0",
    "wellbeing_outcomes": "id_outcome_0",
    "risks_and_harms": "id_risks_and_harms",
    "cost": "id_cost",
    "review_date": "id_review_date",
}
