"""The advisory API's request shapes. They check types only: the services validate the
content, with the pages' messages, and their refusals are turned into per-field 400s."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from advisory.models import Answer, Review
from proposals.serializers import ExplainedChoiceField


def _unknown_verdict(value: str) -> str:
    return _("There is no verdict “%(value)s”. Use one of: %(choices)s.") % {
        "value": value,
        "choices": ", ".join(Review.Verdict.values),
    }


def _unknown_decision(value: str) -> str:
    return _("There is no decision “%(value)s”. Use “accepted” or “declined”.") % {"value": value}


def _text(help_text: str) -> serializers.CharField:
    """Free text passed to the service as sent: optional and untrimmed here, so that the
    service decides what is missing or too long, with the pages' messages."""
    return serializers.CharField(
        required=False, allow_blank=True, default="", trim_whitespace=False, help_text=help_text
    )


class ReviewWriteSerializer(serializers.Serializer[Any]):
    verdict = ExplainedChoiceField(
        choices=Review.Verdict.choices,
        allow_blank=True,
        required=False,
        default="",
        refusal=_unknown_verdict,
    )
    rationale = _text("The reasons for the review (required; at most 10,000 characters).")
    conditions = serializers.ListField(
        child=serializers.CharField(allow_blank=True, trim_whitespace=False),
        required=False,
        default=list,
        max_length=100,
        help_text="Each condition, for an endorsement with conditions only (at most 20).",
    )
    shown_as_advisory_member = serializers.BooleanField(
        required=False,
        default=False,
        help_text='Publish the review, at the close, as from "an advisory member".',
    )


class RecusalWriteSerializer(serializers.Serializer[Any]):
    reason = _text("Optional; shown only to the space's facilitators (at most 2,000 characters).")


class MessageWriteSerializer(serializers.Serializer[Any]):
    body = _text("Plain text, public at once (at most 5,000 characters).")
    shown_as_advisory_member = serializers.BooleanField(
        required=False,
        default=False,
        help_text='Board members who do not author the proposal may post as "an advisory member".',
    )


class AnswerWriteSerializer(serializers.Serializer[Any]):
    decision = ExplainedChoiceField(
        choices=[
            (Answer.Decision.ACCEPTED.value, Answer.Decision.ACCEPTED.label),
            (Answer.Decision.DECLINED.value, Answer.Decision.DECLINED.label),
        ],
        required=False,
        allow_blank=True,
        default="",
        refusal=_unknown_decision,
        help_text='For a condition: "accepted" (a commitment) or "declined" (with reasons). '
        "Left out for a request for changes.",
    )
    text = _text("Reasons for declining, or the answer to a request for changes.")


class ResponseWriteSerializer(serializers.Serializer[Any]):
    statement = _text("An optional general statement (at most 5,000 characters).")
    answers = serializers.DictField(
        child=AnswerWriteSerializer(),
        required=False,
        default=dict,
        help_text='One answer per item to answer, keyed by the item\'s key ("12-c0" for '
        "review 12's first condition, \"12-request\" for review 12's request for changes). "
        "Every item must be answered; errors name the item's key.",
    )
