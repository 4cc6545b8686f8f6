"""How the advisory API shows rounds, reviews, recusals, the thread and the response.

Each answer is one serializer over the read model the pages use, which decides what the
caller may see (sealed reviews, recusal reasons). A person appears only by public name,
never by e-mail, and a review or message shown as from "an advisory member" carries no
name at all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.selectors import display_name
from accounts.serializers import DisplayNameField
from advisory.models import Answer, Review, Round, Seat
from advisory.outcomes import RoundState
from advisory.selectors import RoundView, WaitingReview
from api.serializers import SubjectSerializer

# Each reads the read model the pages use (``advisory.selectors``: ``RoundView``,
# ``ResponseShown``, ``AnswerShown``, ``WaitingReview``; the outcomes of the services), so
# the answer and the schema come from one declaration.


def advisory_member_words() -> str:
    return _("an advisory member")


class SignatureField(serializers.CharField):
    """Who wrote a review or a message (``person`` names the attribute): their public
    name, or, for one shown as from "an advisory member", ``anonymous()``."""

    def __init__(self, *, person: str, anonymous: Callable[[], str | None], **kwargs: Any):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)
        self.person = person
        self.anonymous = anonymous

    def to_representation(self, value: Any) -> str | None:  # type: ignore[override]
        if value.shown_as_advisory_member:
            return self.anonymous()
        return display_name(getattr(value, self.person))


class ReviewSerializer(serializers.Serializer[Any]):
    number = serializers.IntegerField(
        allow_null=True,
        help_text="The review's place in the round's published order (by verdict, then by its "
        "text; never the order given); null while the round is sealed.",
    )
    reviewer = SignatureField(
        person="user",
        anonymous=lambda: None,
        allow_null=True,
        help_text='The reviewer\'s public name; null when shown as from "an advisory member".',
    )
    shown_as = SignatureField(
        person="user",
        anonymous=advisory_member_words,
        help_text='How the review is signed: the public name, or "an advisory member".',
    )
    shown_as_advisory_member = serializers.BooleanField()
    verdict = serializers.ChoiceField(choices=Review.Verdict.choices)
    verdict_label = serializers.CharField(source="get_verdict_display")
    rationale = serializers.CharField()
    conditions = serializers.ListField(child=serializers.CharField())


class OwnReviewSerializer(ReviewSerializer):
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class RecusalSerializer(serializers.Serializer[Any]):
    """A seat stepped aside. Its reason is shown only to the space's facilitators, signed
    in with their second factor."""

    # The reason only with ``show_recusal_reasons`` in the context.

    public_name = DisplayNameField(source="user")
    recused_at = serializers.DateTimeField()
    automatic = serializers.BooleanField(
        source="recused_automatically",
        help_text="Recused automatically as an author or co-signer of the proposal.",
    )
    reason = serializers.SerializerMethodField(
        help_text="Only for the space's facilitators (a session with a second factor, never "
        "a personal token); null for everyone else. The member who steps aside gets it "
        "back once, in the answer to their recusal.",
    )

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_reason(self, seat: Seat) -> str | None:
        return seat.recusal_reason if self.context.get("show_recusal_reasons") else None


class RoundStateSerializer(serializers.Serializer[Any]):
    """The round just after an answer: whether the answer closed it and why, or how many
    of its seats have answered."""

    # Over ``advisory.outcomes.RoundState``, as the service reports it.

    closed = serializers.BooleanField(source="closed_now", help_text="Closed by this answer.")
    closed_because = serializers.ChoiceField(
        source="close_reason",
        choices=["", "all_answered", "quorum_after_deadline", "deadline"],
        allow_blank=True,
        help_text='Empty while open; "all_answered" (every member of the frozen board '
        'answered), "quorum_after_deadline" (the quorum came after the deadline) or '
        '"deadline".',
    )
    passed = serializers.SerializerMethodField(help_text="Null while open.")
    answered = serializers.IntegerField(help_text="Members who answered, recusals included.")
    board_size = serializers.IntegerField()
    quorum_needed = serializers.IntegerField()
    unreachable = serializers.BooleanField(
        help_text="Open, and too few members can still answer for it ever to reach its quorum."
    )

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_passed(self, state: RoundState) -> bool | None:
        return state.passed if state.closed_now else None


class RoundAfterSerializer(SubjectSerializer):
    """What a member's answer did: its subject, the round as it stands after it and the
    message the page shows."""

    own_fields = ("round_state", "message")

    round_state = RoundStateSerializer(source="round")
    message = serializers.CharField(help_text="What happened, in words, as the page says it.")


class ReviewGivenSerializer(RoundAfterSerializer, OwnReviewSerializer):
    """The caller's review as given, with the round as it stands after it and the message
    the page shows."""

    # Over ``advisory.outcomes.ReviewGiven``.

    subject = "review"


class RecusalDeclaredSerializer(RoundAfterSerializer, RecusalSerializer):
    """A member's stepping aside, with the round as it stands after it and the message
    the page shows."""

    # Over ``advisory.outcomes.RecusalDeclared``.

    subject = "seat"


class MessageSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    author = SignatureField(
        person="author",
        anonymous=lambda: None,
        allow_null=True,
        help_text='The public name; null when posted as "an advisory member".',
    )
    shown_as = SignatureField(person="author", anonymous=advisory_member_words)
    role = serializers.CharField(
        help_text='Posted as "board_member" or as "author" (authors and co-signers).'
    )
    body = serializers.CharField()
    posted_at = serializers.DateTimeField()


class AnswerSerializer(serializers.Serializer[Any]):
    """The authors' answer to one condition or request for changes."""

    # Over ``advisory.selectors.AnswerShown``.

    key = serializers.CharField(help_text="The item's key, as in items_to_answer.")
    review = serializers.IntegerField(
        source="number", help_text="The number of the review answered."
    )
    kind = serializers.CharField(help_text='"condition" or "request" (for changes).')
    condition = serializers.CharField(
        allow_null=True, help_text="The condition answered; null for a request for changes."
    )
    request = serializers.CharField(
        allow_null=True,
        help_text="The request for changes answered (its review's rationale); null for a "
        "condition.",
    )
    decision = serializers.ChoiceField(source="answer.decision", choices=Answer.Decision.choices)
    decision_label = serializers.CharField(source="answer.get_decision_display")
    text = serializers.CharField(source="answer.text", allow_blank=True)


class ResponseSerializer(serializers.Serializer[Any]):
    """The authors' published response to the board: their statement and an answer to
    each condition and request for changes."""

    # Over ``advisory.selectors.ResponseShown``.

    statement = serializers.CharField(source="response.statement", allow_blank=True)
    published_at = serializers.DateTimeField(source="response.published_at")
    answers = AnswerSerializer(many=True)


class ResponsePublishedSerializer(SubjectSerializer, ResponseSerializer):
    """The response just published, and the vote its publication scheduled."""

    subject = "shown"
    own_fields = ("vote_opens_at", "message")

    vote_opens_at = serializers.DateTimeField(
        help_text="When the vote it scheduled opens (a facilitator may bring it forward)."
    )
    message = serializers.CharField(help_text="What happened, in words, for the person.")


class ItemToAnswerSerializer(serializers.Serializer[Any]):
    """One item the response must answer: a condition of an endorsement, or a request for
    changes."""

    key = serializers.CharField(help_text='The key to answer it under, such as "2-c0".')
    review = serializers.IntegerField(
        source="review.number", help_text="The number of the review it comes from."
    )
    kind = serializers.SerializerMethodField(help_text='"condition" or "request" (for changes).')
    text = serializers.CharField(help_text="The condition, or the request for changes.")

    @extend_schema_field(serializers.CharField())
    def get_kind(self, item: Any) -> str:
        return "request" if item.condition_index is None else "condition"


class RoundActionsSerializer(serializers.Serializer[Any]):
    """What the caller may do in this round now, as the proposal page offers it."""

    review = serializers.BooleanField(source="may_review")
    recuse = serializers.BooleanField(source="may_recuse")
    post = serializers.BooleanField(source="may_post")
    post_as_advisory_member = serializers.BooleanField(source="may_post_anonymously")
    respond = serializers.BooleanField(source="may_respond")


# Counts by verdict would unseal the reviews: null until a close with a verdict.
SEALED_UNTIL_PUBLISHED = (
    "quorum_met",
    "endorse",
    "endorse_with_conditions",
    "request_changes",
    "oppose",
    "abstain",
    "recused",
)


class RoundSerializer(serializers.Serializer[Any]):
    """One advisory review round. Reviews are sealed until the close: before it, the
    counts by verdict, quorum_met and reviews are null or empty, and only how many have
    answered is public; own_review is the caller's own review at any time."""

    # Over ``advisory.selectors.RoundView``; needs ``request`` in its context, for the
    # round's address.

    url = serializers.SerializerMethodField()
    version = serializers.IntegerField(
        source="round.version.number", help_text="The number of the version reviewed."
    )
    content_hash = serializers.CharField(source="round.version.content_hash")
    opened_at = serializers.DateTimeField(source="round.opened_at")
    deadline_at = serializers.DateTimeField(source="round.deadline_at")
    closed_at = serializers.DateTimeField(source="round.closed_at", allow_null=True)
    outcome = serializers.ChoiceField(
        source="round.outcome",
        choices=Round.Outcome.choices,
        allow_blank=True,
        help_text="Empty while open.",
    )
    outcome_label = serializers.CharField(source="round.get_outcome_display", allow_blank=True)
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
    board_size = serializers.IntegerField(
        source="round.board_size", help_text="The board frozen at opening."
    )
    answered = serializers.IntegerField(
        source="tally.answered", help_text="Members who answered, recusals included."
    )
    answers = serializers.IntegerField(
        source="tally.answers", help_text="Answers other than recusals."
    )
    quorum = serializers.CharField(
        source="round.rulebook.advisory_quorum",
        help_text='The share of the board, recusals aside, that must answer: "1/2".',
    )
    quorum_needed = serializers.IntegerField(
        help_text="Answers (recusals aside) needed: the quorum's share of the frozen board "
        "minus its recusals, and at least minimum_reviews."
    )
    minimum_reviews = serializers.IntegerField(
        source="round.rulebook.minimum_reviews",
        help_text="The fewest reviews the round needs, from the rulebook frozen onto it.",
    )
    consent_threshold = serializers.CharField(
        source="round.rulebook.consent_threshold",
        help_text='The consent share needed: "2/3" (at least), or "1/2 (more than)".',
    )
    quorum_met = serializers.BooleanField(allow_null=True, help_text="Null until the close.")
    endorse = serializers.IntegerField(
        source="tally.endorse", allow_null=True, help_text="Null until the close."
    )
    endorse_with_conditions = serializers.IntegerField(
        source="tally.endorse_with_conditions", allow_null=True
    )
    request_changes = serializers.IntegerField(source="tally.request_changes", allow_null=True)
    oppose = serializers.IntegerField(source="tally.oppose", allow_null=True)
    abstain = serializers.IntegerField(source="tally.abstain", allow_null=True)
    recused = serializers.IntegerField(source="tally.recused", allow_null=True)
    reviews = ReviewSerializer(many=True, help_text="Empty until the close.")
    own_review = OwnReviewSerializer(allow_null=True)
    recusals = RecusalSerializer(
        many=True,
        help_text="Members who stepped aside by choice; facilitators also see the automatic ones.",
    )
    automatic_recusals = serializers.IntegerField(
        help_text="Authors and co-signers on the board, recused automatically at opening."
    )
    minority_report = serializers.SerializerMethodField(
        help_text="The numbers of the dissenting reviews (request changes, oppose), after the "
        "close.",
    )
    messages = MessageSerializer(many=True)
    response = ResponseSerializer(source="response_shown", allow_null=True)
    items_to_answer = serializers.SerializerMethodField(
        help_text="What the response must answer; listed for its authors only."
    )
    actions = RoundActionsSerializer(source="*")

    @extend_schema_field(serializers.URLField())
    def get_url(self, view: RoundView) -> str:
        return round_url(self.context["request"], view.round)

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_minority_report(self, view: RoundView) -> list[int | None]:
        return [review.number for review in view.minority_report]

    @extend_schema_field(ItemToAnswerSerializer(many=True))
    def get_items_to_answer(self, view: RoundView) -> Any:
        items = view.items_to_answer if view.may_respond else []
        return ItemToAnswerSerializer(items, many=True, context=self.context).data

    def to_representation(self, view: RoundView) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(view)
        if not view.published:
            for name in SEALED_UNTIL_PUBLISHED:
                data[name] = None
        return data


def round_url(request: Any, round: Round) -> str:
    """The round's address in this API."""
    proposal = round.proposal
    return str(
        request.build_absolute_uri(
            reverse(
                "api:advisory:round",
                kwargs={
                    "space_slug": proposal.space.slug,
                    "pk": proposal.pk,
                    "version": round.version.number,
                },
            )
        )
    )


class WaitingReviewSerializer(serializers.Serializer[Any]):
    """A review the caller owes: the round, its proposal and its deadline."""

    # Over ``advisory.selectors.WaitingReview``; needs ``request`` in its context.

    proposal = serializers.IntegerField(source="proposal.pk", help_text="The proposal's id.")
    proposal_title = serializers.CharField(source="round.version.title")
    space = serializers.CharField(source="proposal.space.slug", help_text="The space's slug.")
    version = serializers.IntegerField(source="round.version.number")
    deadline_at = serializers.DateTimeField()
    reviewed = serializers.BooleanField(help_text="Reviewed already (changeable until the close).")
    url = serializers.SerializerMethodField(help_text="The round in this API.")

    @extend_schema_field(serializers.URLField())
    def get_url(self, waiting: WaitingReview) -> str:
        return round_url(self.context["request"], waiting.round)


class AdvisoryIndexSerializer(serializers.Serializer[Any]):
    proposal_rounds = serializers.CharField(help_text="URI template of a proposal's rounds.")
    reviews_waiting = serializers.URLField(help_text="The caller's open seats.")
