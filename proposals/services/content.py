"""What a proposal's content must be: each field checked and normalised as it is saved
(``clean_fields``), and everything a submission needs (``check_complete``). A problem
raises ``ProposalInvalid`` naming every field at fault.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from core.errors import Invalid
from core.text import has_control_characters
from proposals.models import CONTENT_FIELDS, ProposalDraft, SpectrumTag


class ProposalInvalid(Invalid):
    """Content that cannot be saved or submitted."""


def clean_text(value: Any) -> str:
    """A text field as saved: stripped, and empty for anything but a string."""
    return value.strip() if isinstance(value, str) else ""


# Long enough for any program; short enough that comparing two versions stays quick.
MAX_LENGTH = {"body": 50_000, "summary": 5_000, "people_served": 5_000, "risks_and_harms": 5_000}
MAX_OUTCOMES = 50
MAX_OUTCOME_LENGTH = 500


class _Refused(Exception):
    """One field's value refused, with the message the person is shown."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _clean_cost(cost: Any) -> Decimal:
    try:
        amount = Decimal(str(cost)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise _Refused(_("Give the cost as an amount, such as 12500.00.")) from None
    if not amount.is_finite() or amount < 0 or amount.adjusted() >= 12:
        raise _Refused(_("Give a cost of zero or more, below a trillion."))
    return amount


def _clean_review_date(review: Any) -> datetime.date:
    if isinstance(review, datetime.datetime):
        raise _Refused(_("Give the review date as a date, without a time."))
    if isinstance(review, datetime.date):
        return review
    try:
        return datetime.date.fromisoformat(str(review))
    except ValueError:
        raise _Refused(_("Give the review date as YYYY-MM-DD.")) from None


# The fields that may be left out of a proposal: empty (None or "") clears them.
OPTIONAL_VALUES: dict[str, Callable[[Any], Any]] = {
    "cost": _clean_cost,
    "review_date": _clean_review_date,
}


def not_a_proposal_field(name: str) -> str:
    """The refusal of a field name that is none of a proposal's content fields."""
    return _("%(name)s is not a proposal field.") % {"name": name}


def clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Validate and normalise the given content fields; raise ProposalInvalid listing every
    problem. A field given must be valid; completeness is checked at submission."""
    unknown = sorted(set(fields) - set(CONTENT_FIELDS))
    if unknown:
        raise ProposalInvalid({unknown[0]: [not_a_proposal_field(unknown[0])]})
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    required_text = {
        "title": _("Give the proposal a title."),
        "summary": _("Write a plain-language summary."),
        "risks_and_harms": _("Describe the risks and harms, and how they will be reduced."),
    }
    for name in ("title", "summary", "body", "people_served", "risks_and_harms"):
        if name not in fields:
            continue
        if fields[name] is not None and not isinstance(fields[name], str):
            errors[name] = [_("Write this as text.")]
            continue
        if fields[name] and has_control_characters(fields[name]):
            errors[name] = [_("Remove the control characters from this text.")]
            continue
        value = clean_text(fields[name])
        if name in required_text and not value:
            errors[name] = [required_text[name]]
        clean[name] = value
    if "title" in clean and len(clean["title"]) > 200:
        errors["title"] = [_("Keep the title to 200 characters or fewer.")]
    for name, limit in MAX_LENGTH.items():
        if name in clean and len(clean[name]) > limit:
            errors[name] = [
                _("Keep this to %(limit)s characters or fewer.") % {"limit": f"{limit:,}"}
            ]
    if "spectrum_tags" in fields:
        tags = fields["spectrum_tags"]
        if not isinstance(tags, list | tuple) or not tags:
            errors["spectrum_tags"] = [_("Choose at least one spectrum tag.")]
        else:
            unknown_tags = [str(tag) for tag in tags if tag not in SpectrumTag.values]
            if unknown_tags:
                errors["spectrum_tags"] = [
                    _("Unknown spectrum tag: %(tag)s. Choose from: %(choices)s.")
                    % {"tag": unknown_tags[0], "choices": ", ".join(SpectrumTag.values)}
                ]
            else:
                # Kept in the fixed order of the list, once each: the same tags hash the same.
                clean["spectrum_tags"] = [tag for tag in SpectrumTag.values if tag in tags]
    if "wellbeing_outcomes" in fields:
        outcomes = fields["wellbeing_outcomes"]
        cleaned: list[dict[str, str]] = []
        problem = ""
        if not isinstance(outcomes, list | tuple) or not outcomes:
            problem = _("Name at least one well-being outcome and how it will be measured.")
        elif len(outcomes) > MAX_OUTCOMES:
            problem = _("Name at most %(count)s well-being outcomes.") % {"count": MAX_OUTCOMES}
        else:
            for item in outcomes:
                if not isinstance(item, dict) or not clean_text(item.get("outcome")):
                    problem = _("Each well-being outcome needs a description.")
                    break
                if has_control_characters(f"{item.get('outcome')}{item.get('measure') or ''}"):
                    problem = _("Remove the control characters from the well-being outcomes.")
                    break
                longest = max(len(clean_text(item.get(key))) for key in ("outcome", "measure"))
                if longest > MAX_OUTCOME_LENGTH:
                    problem = _(
                        "Keep each outcome and each measure to %(limit)s characters or fewer."
                    ) % {"limit": MAX_OUTCOME_LENGTH}
                    break
                if not clean_text(item.get("measure")):
                    problem = _("Say how the outcome “%(outcome)s” will be measured.") % {
                        "outcome": clean_text(item.get("outcome"))
                    }
                    break
                cleaned.append(
                    {"outcome": clean_text(item["outcome"]), "measure": clean_text(item["measure"])}
                )
        if problem:
            errors["wellbeing_outcomes"] = [problem]
        else:
            clean["wellbeing_outcomes"] = cleaned
    for name, clean_value in OPTIONAL_VALUES.items():
        if name not in fields:
            continue
        if fields[name] is None or fields[name] == "":
            clean[name] = None
            continue
        try:
            clean[name] = clean_value(fields[name])
        except _Refused as refused:
            errors[name] = [refused.message]
    if errors:
        raise ProposalInvalid(errors)
    return clean


def check_complete(draft: ProposalDraft) -> None:
    """Everything a submission needs: the validation of every required field at once."""
    clean_fields(
        {
            name: getattr(draft, name)
            for name in (
                "title",
                "summary",
                "spectrum_tags",
                "wellbeing_outcomes",
                "risks_and_harms",
            )
        }
    )
