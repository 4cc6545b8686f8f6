"""How the advisory API shows rounds, reviews, recusals, the thread and the response.

Read shapes are filled from ``advisory.selectors.round_view`` by ``advisory.api``, which
decides what the caller may see (sealed reviews, recusal reasons); these classes only
name and document the fields. A person appears only by public name, never by e-mail, and
a review or message shown as from "an advisory member" carries no name at all.

Write shapes check types only: the services validate the content, with the pages'
messages, and their refusals are turned into per-field 400s.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from advisory.models import Answer, Review, Round
from proposals.serializers import ExplainedChoiceField


def _unknown_verdict(value: str) -> str:
    return _("There is no verdict “%(value)s”. Use one of: %(choices)s.") % {
        "value": value,
        "choices": ", ".join(Review.Verdict.values),
    }


def _unknown_decision(value: str) -> str:
    return _("There is no decision “%(value)s”. Use “accepted” or “declined”.") % {"value": value}


# --- Request shapes -----------------------------------------------------------------------------


class ReviewWriteSerializer(serializers.Serializer[Any]):
    verdict = ExplainedChoiceField(
        choices=Review.Verdict.choices,
        allow_blank=True,
        required=False,
        default="",
        refusal=_unknown_verdict,
    )
    rationale = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        trim_whitespace=False,
        help_text="The reasons for the review (required; at most 10,000 characters).",
    )
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
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        trim_whitespace=False,
        help_text="Optional; shown only to the space's facilitators (at most 2,000 characters).",
    )


class MessageWriteSerializer(serializers.Serializer[Any]):
    body = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        trim_whitespace=False,
        help_text="Plain text, public at once (at most 5,000 characters).",
    )
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
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        trim_whitespace=False,
        help_text="Reasons for declining, or the answer to a request for changes.",
    )


class ResponseWriteSerializer(serializers.Serializer[Any]):
    statement = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        trim_whitespace=False,
        help_text="An optional general statement (at most 5,000 characters).",
    )
    answers = serializers.DictField(
        child=AnswerWriteSerializer(),
        required=False,
        default=dict,
        help_text='One answer per item to answer, keyed by the item\'s key ("12-c0" for '
        "review 12's first condition, \"12-request\" for review 12's request for changes). "
        "Every item must be answered; errors name the item's key.",
    )


# --- Response shapes ----------------------------------------------------------------------------


class ReviewSerializer(serializers.Serializer[Any]):
    number = serializers.IntegerField(
        allow_null=True,
        help_text="The review's place in the round's published order (by verdict, then by its "
        "text; never the order given); null while the round is sealed.",
    )
    reviewer = serializers.CharField(
        allow_null=True,
        help_text='The reviewer\'s public name; null when shown as from "an advisory member".',
    )
    shown_as = serializers.CharField(
        help_text='How the review is signed: the public name, or "an advisory member".'
    )
    shown_as_advisory_member = serializers.BooleanField()
    verdict = serializers.ChoiceField(choices=Review.Verdict.choices)
    verdict_label = serializers.CharField()
    rationale = serializers.CharField()
    conditions = serializers.ListField(child=serializers.CharField())


class OwnReviewSerializer(ReviewSerializer):
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class RecusalSerializer(serializers.Serializer[Any]):
    public_name = serializers.CharField()
    recused_at = serializers.DateTimeField()
    automatic = serializers.BooleanField(
        help_text="Recused automatically as an author or co-signer of the proposal."
    )
    reason = serializers.CharField(
        allow_null=True,
        help_text="Only for the space's facilitators (a session with a second factor, never "
        "a personal token); null for everyone else. The member who steps aside gets it "
        "back once, in the answer to their recusal.",
    )


class RoundStateSerializer(serializers.Serializer[Any]):
    """The round just after an answer, as the service reports it."""

    closed = serializers.BooleanField(help_text="Closed by this answer.")
    closed_because = serializers.ChoiceField(
        choices=["", "all_answered", "quorum_after_deadline", "deadline"],
        allow_blank=True,
        help_text='Empty while open; "all_answered" (every member of the frozen board '
        'answered), "quorum_after_deadline" (the quorum came after the deadline) or '
        '"deadline".',
    )
    passed = serializers.BooleanField(allow_null=True, help_text="Null while open.")
    answered = serializers.IntegerField(help_text="Members who answered, recusals included.")
    board_size = serializers.IntegerField()
    quorum_needed = serializers.IntegerField()
    unreachable = serializers.BooleanField(
        help_text="Open, and too few members can still answer for it ever to reach its quorum."
    )


class ReviewGivenSerializer(OwnReviewSerializer):
    round_state = RoundStateSerializer()
    message = serializers.CharField(help_text="What happened, in words, as the page says it.")


class RecusalDeclaredSerializer(RecusalSerializer):
    round_state = RoundStateSerializer()
    message = serializers.CharField(help_text="What happened, in words, as the page says it.")


class MessageSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    author = serializers.CharField(
        allow_null=True,
        help_text='The public name; null when posted as "an advisory member".',
    )
    shown_as = serializers.CharField()
    role = serializers.CharField(
        help_text='Posted as "board_member" or as "author" (authors and co-signers).'
    )
    body = serializers.CharField()
    posted_at = serializers.DateTimeField()


class AnswerSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(help_text="The item's key, as in items_to_answer.")
    review = serializers.IntegerField(help_text="The number of the review answered.")
    kind = serializers.CharField(help_text='"condition" or "request" (for changes).')
    condition = serializers.CharField(
        allow_null=True, help_text="The condition answered; null for a request for changes."
    )
    request = serializers.CharField(
        allow_null=True,
        help_text="The request for changes answered (its review's rationale); null for a "
        "condition.",
    )
    decision = serializers.ChoiceField(choices=Answer.Decision.choices)
    decision_label = serializers.CharField()
    text = serializers.CharField(allow_blank=True)


class ResponseSerializer(serializers.Serializer[Any]):
    statement = serializers.CharField(allow_blank=True)
    published_at = serializers.DateTimeField()
    answers = AnswerSerializer(many=True)


class ResponsePublishedSerializer(ResponseSerializer):
    """The response just published, and the vote its publication scheduled."""

    vote_opens_at = serializers.DateTimeField(
        help_text="When the vote it scheduled opens (a facilitator may bring it forward)."
    )
    message = serializers.CharField(help_text="What happened, in words, for the person.")


class ItemToAnswerSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(help_text='The key to answer it under, such as "2-c0".')
    review = serializers.IntegerField(help_text="The number of the review it comes from.")
    kind = serializers.CharField(help_text='"condition" or "request" (for changes).')
    text = serializers.CharField(help_text="The condition, or the request for changes.")


class RoundActionsSerializer(serializers.Serializer[Any]):
    """What the caller may do in this round now, as the proposal page offers it."""

    review = serializers.BooleanField()
    recuse = serializers.BooleanField()
    post = serializers.BooleanField()
    post_as_advisory_member = serializers.BooleanField()
    respond = serializers.BooleanField()


class RoundSerializer(serializers.Serializer[Any]):
    """One advisory review round. Reviews are sealed until the close: before it, the
    counts by verdict, quorum_met and reviews are null or empty, and only how many have
    answered is public; own_review is the caller's own review at any time."""

    url = serializers.URLField()
    version = serializers.IntegerField(help_text="The number of the version reviewed.")
    content_hash = serializers.CharField()
    opened_at = serializers.DateTimeField()
    deadline_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    outcome = serializers.ChoiceField(
        choices=Round.Outcome.choices, allow_blank=True, help_text="Empty while open."
    )
    outcome_label = serializers.CharField(allow_blank=True)
    overdue = serializers.BooleanField(
        help_text="Open, past its deadline without a quorum: it stays open until one."
    )
    closing = serializers.BooleanField(
        help_text="Open, but due to close (deadline passed with a quorum, or every member "
        "answered): the sweep closes it within a minute."
    )
    unreachable = serializers.BooleanField(
        help_text="Open, and too few members of its board can still answer for it ever to "
        "reach its quorum: it never passes with fewer reviews, and the space's facilitators "
        "are told the board needs members."
    )
    board_size = serializers.IntegerField(help_text="The board frozen at opening.")
    answered = serializers.IntegerField(help_text="Members who answered, recusals included.")
    answers = serializers.IntegerField(help_text="Answers other than recusals.")
    quorum = serializers.CharField(
        help_text='The share of the board, recusals aside, that must answer: "1/2".'
    )
    quorum_needed = serializers.IntegerField(
        help_text="Answers (recusals aside) needed: the quorum's share of the frozen board "
        "minus its recusals, and at least minimum_reviews."
    )
    minimum_reviews = serializers.IntegerField(
        help_text="The fewest reviews the round needs, from the rulebook frozen onto it."
    )
    consent_threshold = serializers.CharField(
        help_text='The consent share needed: "2/3" (at least), or "1/2 (more than)".'
    )
    quorum_met = serializers.BooleanField(allow_null=True, help_text="Null until the close.")
    endorse = serializers.IntegerField(allow_null=True, help_text="Null until the close.")
    endorse_with_conditions = serializers.IntegerField(allow_null=True)
    request_changes = serializers.IntegerField(allow_null=True)
    oppose = serializers.IntegerField(allow_null=True)
    abstain = serializers.IntegerField(allow_null=True)
    recused = serializers.IntegerField(allow_null=True)
    reviews = ReviewSerializer(many=True, help_text="Empty until the close.")
    own_review = OwnReviewSerializer(allow_null=True)
    recusals = RecusalSerializer(
        many=True,
        help_text="Members who stepped aside by choice; facilitators also see the automatic ones.",
    )
    automatic_recusals = serializers.IntegerField(
        help_text="Authors and co-signers on the board, recused automatically at opening."
    )
    minority_report = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="The numbers of the dissenting reviews (request changes, oppose), after the "
        "close.",
    )
    messages = MessageSerializer(many=True)
    response = ResponseSerializer(allow_null=True)
    items_to_answer = ItemToAnswerSerializer(
        many=True, help_text="What the response must answer; listed for its authors only."
    )
    actions = RoundActionsSerializer()


class WaitingReviewSerializer(serializers.Serializer[Any]):
    proposal = serializers.IntegerField(help_text="The proposal's id.")
    proposal_title = serializers.CharField()
    space = serializers.CharField(help_text="The space's slug.")
    version = serializers.IntegerField()
    deadline_at = serializers.DateTimeField()
    reviewed = serializers.BooleanField(help_text="Reviewed already (changeable until the close).")
    url = serializers.URLField(help_text="The round in this API.")


class AdvisoryIndexSerializer(serializers.Serializer[Any]):
    proposal_rounds = serializers.CharField(help_text="URI template of a proposal's rounds.")
    reviews_waiting = serializers.URLField(help_text="The caller's open seats.")
