"""Advisory review rounds and the board frozen onto each.

A round is opened by a submission and bound to that one version; it freezes the board
(members at opening, minus those on leave) as seats, and the space's rulebook as it was
then (rulebook rows never change, so the reference is the freeze). The database keeps
the gate: a proposal cannot be awaiting a vote, or later, unless a round for its current
version passed (migration 0002), and a closed round never changes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Round(models.Model):
    class Outcome(models.TextChoices):
        PASSED = "passed", _("passed")
        NOT_PASSED = "not_passed", _("not passed")
        # A newer version was submitted while this one was under review.
        SUPERSEDED = "superseded", _("superseded by a newer version")
        WITHDRAWN = "withdrawn", _("ended: the proposal was withdrawn")

    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.PROTECT, related_name="rounds"
    )
    version = models.OneToOneField(
        "proposals.ProposalVersion", on_delete=models.PROTECT, related_name="round"
    )
    rulebook = models.ForeignKey("spaces.Rulebook", on_delete=models.PROTECT, related_name="+")
    board_size = models.PositiveIntegerField(_("board size at opening"))
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    deadline_at = models.DateTimeField(_("deadline"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Empty while open.
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    # The sweep's reminders, each sent once (the overdue one again every week).
    deadline_reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The facilitators were told, once, that too few seats remain for the quorum.
    unreachable_notice_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("advisory review round")
        verbose_name_plural = _("advisory review rounds")
        ordering = ["opened_at", "pk"]
        constraints = [
            # At most one round open per proposal: the one for its current version.
            models.UniqueConstraint(
                fields=["proposal"],
                condition=Q(closed_at__isnull=True),
                name="advisory_round_one_open_per_proposal",
            ),
            # Closed exactly when it has an outcome.
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True, outcome="")
                | Q(
                    closed_at__isnull=False,
                    outcome__in=["passed", "not_passed", "superseded", "withdrawn"],
                ),
                name="advisory_round_closed_with_outcome",
            ),
            models.CheckConstraint(
                condition=Q(deadline_at__gt=models.F("opened_at")),
                name="advisory_round_deadline_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return f"round for {self.version}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def passed(self) -> bool:
        return self.outcome == self.Outcome.PASSED


class Seat(models.Model):
    """One board member of a round's frozen board. Authors and co-signers on the board
    are recused automatically; a recusal's reason is for facilitators only."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="seats")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recused_at = models.DateTimeField(_("recused"), null=True, blank=True)
    recused_automatically = models.BooleanField(
        _("recused as an author or co-signer"), default=False
    )
    recusal_reason = models.TextField(_("reason for recusal (facilitators only)"), blank=True)

    class Meta:
        verbose_name = _("seat on a round's board")
        verbose_name_plural = _("seats on a round's board")
        ordering = ["round", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="advisory_seat_once_per_round"),
            models.CheckConstraint(
                condition=Q(recused_automatically=False) | Q(recused_at__isnull=False),
                name="advisory_seat_automatic_recusal_is_a_recusal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.round}"


class Review(models.Model):
    """One board member's answer in one round, changeable until the round closes and
    sealed until then: its history event is appended at the close."""

    class Verdict(models.TextChoices):
        ENDORSE = "endorse", _("endorse")
        ENDORSE_WITH_CONDITIONS = "endorse_with_conditions", _("endorse with conditions")
        REQUEST_CHANGES = "request_changes", _("request changes")
        OPPOSE = "oppose", _("oppose")
        ABSTAIN = "abstain", _("abstain")

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="reviews")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    verdict = models.CharField(_("verdict"), max_length=30, choices=Verdict.choices)
    rationale = models.TextField(_("rationale"))
    # Each condition a short text; present exactly for "endorse with conditions".
    conditions = models.JSONField(_("conditions"), default=list, blank=True)
    shown_as_advisory_member = models.BooleanField(
        _('shown as from "an advisory member"'), default=False
    )
    created_at = models.DateTimeField(_("given"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)

    # Not stored: its place in the round's published order, set by
    # ``advisory.selectors.published_reviews``.
    number: int | None = None

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["round", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "user"], name="advisory_review_once_per_round"
            ),
            models.CheckConstraint(
                condition=Q(
                    verdict__in=[
                        "endorse",
                        "endorse_with_conditions",
                        "request_changes",
                        "oppose",
                        "abstain",
                    ]
                ),
                name="advisory_review_verdict_known",
            ),
            models.CheckConstraint(
                condition=~Q(rationale=""), name="advisory_review_has_rationale"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_verdict_display()} in {self.round}"


class Message(models.Model):
    """A post in a round's public thread, between the board and the authors."""

    class Role(models.TextChoices):
        BOARD_MEMBER = "board_member", _("advisory board member")
        AUTHOR = "author", _("author")

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("posted as"), max_length=20, choices=Role.choices)
    body = models.TextField(_("message"))
    shown_as_advisory_member = models.BooleanField(
        _('shown as from "an advisory member"'), default=False
    )
    posted_at = models.DateTimeField(_("posted"), default=timezone.now)

    class Meta:
        verbose_name = _("message in a round's thread")
        verbose_name_plural = _("messages in rounds' threads")
        ordering = ["round", "posted_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="advisory_message_has_body"),
            models.CheckConstraint(
                condition=Q(role__in=["board_member", "author"]), name="advisory_message_role"
            ),
            # Only a board member's post may be anonymous within the board.
            models.CheckConstraint(
                condition=Q(shown_as_advisory_member=False) | Q(role="board_member"),
                name="advisory_message_anonymous_only_for_board",
            ),
        ]

    def __str__(self) -> str:
        return f"message {self.pk} in {self.round}"


class Response(models.Model):
    """The authors' published answer to a passed round: every condition accepted as a
    commitment or declined with reasons, every request for changes answered. Published
    once, whole, and never changed; a vote can be scheduled only after it."""

    round = models.OneToOneField(Round, on_delete=models.PROTECT, related_name="response")
    statement = models.TextField(_("general statement"), blank=True)
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("response to the board")
        verbose_name_plural = _("responses to the board")
        ordering = ["published_at", "pk"]

    def __str__(self) -> str:
        return f"response to {self.round}"


class Answer(models.Model):
    """One answer in a response: to one condition of an endorsement with conditions
    (accepted or declined), or to one request for changes (answered)."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("accepted as a commitment")
        DECLINED = "declined", _("declined")
        ANSWERED = "answered", _("answered")

    response = models.ForeignKey(Response, on_delete=models.PROTECT, related_name="answers")
    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="answers")
    # The condition's position in the review's list; empty for a request for changes.
    condition_index = models.PositiveIntegerField(null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    text = models.TextField(_("reasons or answer"), blank=True)

    class Meta:
        verbose_name = _("answer to the board")
        verbose_name_plural = _("answers to the board")
        ordering = ["response", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "review", "condition_index"],
                condition=Q(condition_index__isnull=False),
                name="advisory_answer_once_per_condition",
            ),
            models.UniqueConstraint(
                fields=["response", "review"],
                condition=Q(condition_index__isnull=True),
                name="advisory_answer_once_per_request",
            ),
            # A condition is accepted or declined; a request for changes is answered.
            models.CheckConstraint(
                condition=Q(condition_index__isnull=False, decision__in=["accepted", "declined"])
                | Q(condition_index__isnull=True, decision="answered"),
                name="advisory_answer_decision_fits",
            ),
            # Declining and answering need words; accepting is itself the commitment.
            models.CheckConstraint(
                condition=Q(decision="accepted") | ~Q(text=""),
                name="advisory_answer_has_reasons",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} in {self.response}"
