"""Forms of the advisory round's pages. They read and shape input; the services decide
what is allowed and valid (advisory/services/), and their errors (``ReviewInvalid``
with its ``fields``) come back onto the fields here. Their free text is optional here
(``text_area``): the service says what is missing or too long."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from advisory.models import Answer, Review
from advisory.selectors import ToAnswer
from core.forms import RefusalForm, text_area


class ReviewForm(RefusalForm):
    verdict = forms.ChoiceField(
        label=_("Your review"),
        choices=Review.Verdict.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _(
                "Choose your review: endorse, endorse with conditions, request "
                "changes, oppose or abstain."
            ),
            "invalid_choice": _("Choose one of the reviews listed."),
        },
    )
    rationale = text_area(
        _("Your reasons"),
        rows=6,
        help_text=_("Published with your review when the round closes."),
        strip=False,
    )
    conditions = text_area(
        _("Conditions (only for “endorse with conditions”)"),
        help_text=_(
            "One condition per line. The authors answer each one before any vote: they "
            "accept it as a commitment or decline it with reasons."
        ),
    )
    shown_as_advisory_member = forms.BooleanField(
        label=_("Show my review as from “an advisory member”"),
        required=False,
        help_text=_("Your public name is then not shown with this review."),
    )

    def __init__(self, *args: Any, review: Review | None = None, **kwargs: Any) -> None:
        if review is not None:
            kwargs.setdefault(
                "initial",
                {
                    "verdict": review.verdict,
                    "rationale": review.rationale,
                    "conditions": "\n".join(str(c) for c in review.conditions),
                    "shown_as_advisory_member": review.shown_as_advisory_member,
                },
            )
        super().__init__(*args, **kwargs)

    def condition_list(self) -> list[str]:
        return str(self.cleaned_data.get("conditions", "")).splitlines()


class RecusalForm(RefusalForm):
    reason = text_area(
        _("Reason (optional, seen only by the space's facilitators)"),
        help_text=_(
            "That you stepped aside is public. Your reason is never published; you do not "
            "have to give one."
        ),
    )


class MessageForm(RefusalForm):
    body = text_area(
        _("Your message"),
        help_text=_("Public: everyone who reads the proposal sees it."),
    )
    shown_as_advisory_member = forms.BooleanField(
        label=_("Show as from “an advisory member”"),
        required=False,
        help_text=_("Your public name is then not shown with this message."),
    )

    def __init__(self, *args: Any, anonymous_allowed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not anonymous_allowed:
            del self.fields["shown_as_advisory_member"]


DECISIONS = [
    (Answer.Decision.ACCEPTED.value, _("Accept it as a commitment")),
    (Answer.Decision.DECLINED.value, _("Decline it, with reasons")),
]


class ResponseForm(RefusalForm):
    """The authors' response: for each condition a decision and reasons, for each request
    for changes an answer, and an optional general statement. The fields of item ``key``
    are ``<key>-decision`` and ``<key>-text``."""

    statement = text_area(_("General statement (optional)"), rows=5)

    def __init__(self, *args: Any, items: list[ToAnswer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for number, item in enumerate(items, start=1):
            # Numbered, so that each label (and each line of the error summary) says
            # which item it is about.
            if item.condition_index is not None:
                self.fields[f"{item.key}-decision"] = forms.ChoiceField(
                    label=_("Your decision on item %(number)s") % {"number": number},
                    choices=DECISIONS,
                    required=False,
                    widget=forms.RadioSelect,
                )
                self.fields[f"{item.key}-text"] = text_area(
                    _("Reasons for item %(number)s (needed when you decline)") % {"number": number},
                    rows=3,
                )
            else:
                self.fields[f"{item.key}-text"] = text_area(
                    _("Your answer to item %(number)s") % {"number": number}
                )

    def rows(self) -> list[tuple[ToAnswer, forms.BoundField | None, forms.BoundField]]:
        """Each item with its decision field (None for a request) and its text field."""
        return [
            (
                item,
                self[f"{item.key}-decision"] if item.condition_index is not None else None,
                self[f"{item.key}-text"],
            )
            for item in self.items
        ]

    def answers(self) -> dict[str, dict[str, str]]:
        data = self.cleaned_data
        answers: dict[str, dict[str, str]] = {}
        for item in self.items:
            answer = {"text": data.get(f"{item.key}-text", "")}
            if item.condition_index is not None:
                answer["decision"] = data.get(f"{item.key}-decision", "")
            answers[item.key] = answer
        return answers

    def refusal_field(self, name: str) -> str | None:
        """An item's message goes to the part that needs attention: the decision while
        none is chosen, otherwise the text."""
        item = {item.key: item for item in self.items}.get(name)
        if item is None:
            return super().refusal_field(name)
        if item.condition_index is not None and self.cleaned_data.get(
            f"{item.key}-decision"
        ) not in (Answer.Decision.ACCEPTED, Answer.Decision.DECLINED):
            return f"{item.key}-decision"
        return f"{item.key}-text"
