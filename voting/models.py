"""Votes on proposals the advisory board let through, with the secrecy design the brief
asks for (docs/ballot-secrecy.md says what it guarantees and what it does not).

Who voted and what was chosen live in two tables with no key between them:

- ``Participation``: who cast a ballot in a vote, with H("voter" ‖ R) of their receipt R;
- ``Ballot``: a random UUID key, H("ballot" ‖ R) and the choice; no person, no time.

Only the voter holds R, so only they can link the two rows (to change their ballot).
"""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from spaces import rulebook as rb
from voting import arithmetic

if TYPE_CHECKING:
    from spaces.models import Rulebook


class Choice(models.TextChoices):
    APPROVE = "approve", _("approve")
    REJECT = "reject", _("reject")
    ABSTAIN = "abstain", _("abstain")


# A vote a withdrawal ended, as lists of decisions show it (``Vote.shown_outcome``).
WITHDRAWN = "withdrawn"
WITHDRAWN_LABEL = pgettext_lazy("vote outcome", "withdrawn")


class Stage:
    SCHEDULED = "scheduled"
    OPEN = "open"
    COUNTING = "counting"
    FINALISED = "finalised"


class Outcome(models.TextChoices):
    # In context: in Spanish an outcome agrees with "la propuesta", as its states do.
    ADOPTED = arithmetic.Outcome.ADOPTED, pgettext_lazy("vote outcome", "adopted")
    REJECTED = arithmetic.Outcome.REJECTED, pgettext_lazy("vote outcome", "rejected")
    FAILED = arithmetic.Outcome.FAILED, pgettext_lazy("vote outcome", "failed")


class Rule(models.TextChoices):
    PASSED = arithmetic.Rule.PASSED, _("the turnout quorum and the approval threshold were met")
    NO_QUORUM = arithmetic.Rule.NO_QUORUM, _("the turnout quorum was not met")
    NO_ADVISORY_QUORUM = (
        arithmetic.Rule.NO_ADVISORY_QUORUM,
        _("too few advisory board members voted (no advisory quorum)"),
    )
    THRESHOLD = arithmetic.Rule.THRESHOLD, _("the approval share did not pass the threshold")
    ADVISORY_BLOC_THRESHOLD = (
        arithmetic.Rule.ADVISORY_BLOC_THRESHOLD,
        _("the advisory board's approval share did not pass the threshold"),
    )


# The floor of the rulebook's "vote opens after the response" delay: an opening brought
# forward keeps it, so the electorate always has time to read the response.
OPENING_FLOOR = datetime.timedelta(days=rb.DAY_FLOORS["vote_delay_days"])


class Vote(models.Model):
    """The vote on one version that passed its advisory round. Scheduled when the
    authors publish their response; opened by the sweep at ``opens_at`` (when the
    voting rules are frozen and the electorate snapshotted); closes at ``close_at``."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.PROTECT, related_name="votes"
    )
    round = models.OneToOneField("advisory.Round", on_delete=models.PROTECT, related_name="vote")
    version = models.ForeignKey(
        "proposals.ProposalVersion", on_delete=models.PROTECT, related_name="+"
    )
    scheduled_at = models.DateTimeField(_("scheduled"), default=timezone.now)
    # The rulebook's delay after the response, or earlier if a facilitator says so.
    opens_at = models.DateTimeField(_("opens"))
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    close_at = models.DateTimeField(_("closes"), null=True, blank=True)
    # Frozen at opening.
    rulebook = models.ForeignKey(
        "spaces.Rulebook", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    electorate_size = models.PositiveIntegerField(null=True, blank=True)
    board_size = models.PositiveIntegerField(null=True, blank=True)
    # The 24-hour reminder to those in the snapshot who have not voted, sent once.
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    # Set once, by the finalisation (at or after ``close_at``) or by a withdrawal, which
    # ends the vote early: the tally, the outcome it gives and the rule that decided it.
    finalised_at = models.DateTimeField(_("finalised"), null=True, blank=True)
    withdrawn = models.BooleanField(_("ended by a withdrawal"), default=False)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    rule = models.CharField(_("deciding rule"), max_length=32, choices=Rule.choices, blank=True)
    approve = models.PositiveIntegerField(null=True, blank=True)
    reject = models.PositiveIntegerField(null=True, blank=True)
    abstain = models.PositiveIntegerField(null=True, blank=True)
    bloc_approve = models.PositiveIntegerField(null=True, blank=True)
    bloc_reject = models.PositiveIntegerField(null=True, blank=True)
    bloc_abstain = models.PositiveIntegerField(null=True, blank=True)
    # SHA-256 of the published receipts list, so a downloaded copy can be checked.
    receipts_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["opens_at", "pk"]
        constraints = [
            # Opening sets every frozen field at once, and a close after the opening.
            models.CheckConstraint(
                condition=Q(
                    opened_at__isnull=True,
                    close_at__isnull=True,
                    rulebook__isnull=True,
                    electorate_size__isnull=True,
                    board_size__isnull=True,
                )
                | Q(
                    opened_at__isnull=False,
                    close_at__gt=F("opened_at"),
                    rulebook__isnull=False,
                    electorate_size__isnull=False,
                    board_size__isnull=False,
                ),
                name="voting_vote_opened_whole",
            ),
            # Finalising writes the whole result at once, only on an opened vote, and
            # never before its close (a withdrawal moves the close to that moment).
            models.CheckConstraint(
                condition=Q(
                    finalised_at__isnull=True,
                    outcome="",
                    rule="",
                    approve__isnull=True,
                    reject__isnull=True,
                    abstain__isnull=True,
                    bloc_approve__isnull=True,
                    bloc_reject__isnull=True,
                    bloc_abstain__isnull=True,
                    receipts_sha256="",
                    withdrawn=False,
                )
                | Q(
                    finalised_at__isnull=False,
                    opened_at__isnull=False,
                    finalised_at__gte=F("close_at"),
                    approve__isnull=False,
                    reject__isnull=False,
                    abstain__isnull=False,
                    bloc_approve__lte=F("approve"),
                    bloc_reject__lte=F("reject"),
                    bloc_abstain__lte=F("abstain"),
                    receipts_sha256__regex=r"^[0-9a-f]{64}$",
                )
                & ~Q(outcome="")
                & ~Q(rule=""),
                name="voting_vote_finalised_whole",
            ),
        ]

    def __str__(self) -> str:
        return f"vote on {self.version}"

    @property
    def is_open(self) -> bool:
        return self.opened_at is not None

    @property
    def is_finalised(self) -> bool:
        return self.finalised_at is not None

    def stage(self, now: datetime.datetime) -> str:
        """Where the vote stands at ``now`` (the database clock): scheduled, open,
        counting (closed, not yet finalised by the sweep) or finalised."""
        if self.finalised_at is not None:
            return Stage.FINALISED
        if self.opened_at is None or self.close_at is None:
            return Stage.SCHEDULED
        if now < self.close_at:
            return Stage.OPEN
        return Stage.COUNTING

    @property
    def shown_outcome(self) -> str:
        """The outcome as lists of decisions show it: "withdrawn" when a withdrawal ended
        the vote (its count, published, is not the decision), else the count's."""
        return WITHDRAWN if self.withdrawn else str(self.outcome)

    def get_shown_outcome_display(self) -> str:
        """``shown_outcome`` in words, in the reader's language."""
        return str(WITHDRAWN_LABEL) if self.withdrawn else str(self.get_outcome_display())

    def counts(self) -> arithmetic.Counts:
        """Everyone's counts, once finalised."""
        return arithmetic.Counts(self.approve or 0, self.reject or 0, self.abstain or 0)

    def bloc_counts(self) -> arithmetic.Counts:
        """The advisory bloc's counts, once finalised (never published below the minimum
        group size: see ``arithmetic.publication``)."""
        return arithmetic.Counts(
            self.bloc_approve or 0, self.bloc_reject or 0, self.bloc_abstain or 0
        )

    def earliest_opening(self) -> datetime.datetime:
        """The earliest moment a facilitator may bring the opening to: the rulebook's
        floor for the delay after the response (``OPENING_FLOOR``, 2 days) after the
        response was published (one query unless the round's response is loaded)."""
        return self.round.response.published_at + OPENING_FLOOR

    @property
    def bloc_counted_apart(self) -> bool:
        """Once opened: whether the dual majority counts the advisory bloc apart (on, with
        a bloc of at least the minimum group size at the opening)."""
        if self.rulebook is None or self.board_size is None:
            return False
        return arithmetic.bloc_counted_apart(self.rules(), self.board_size)

    @property
    def whole_electorate(self) -> bool:
        """Once opened: dual majority is on, but the bloc at the opening is smaller than
        the minimum group size, so the whole electorate decides (the ballot page, the
        result, the record and the vote's events say so)."""
        if self.rulebook is None or self.board_size is None:
            return False
        return self.rulebook.dual_majority and not self.bloc_counted_apart

    @property
    def marks_bloc_ballots(self) -> bool:
        """Whether a bloc member's ballot is marked as the bloc's: only for a bloc of at
        least the minimum group size, since a smaller one's counts could never be
        published or decide anything, and marking them would keep how few people voted."""
        if self.rulebook is None or self.board_size is None:
            return False
        return arithmetic.bloc_keeps_secrets(self.rules(), self.board_size)

    def rules(self) -> arithmetic.Rules:
        """The voting rules frozen at opening."""
        assert self.rulebook is not None
        return voting_rules(self.rulebook)


def voting_rules(book: Rulebook) -> arithmetic.Rules:
    """A rulebook's voting rules, as the tally reads them."""
    return arithmetic.Rules(
        turnout_quorum=book.turnout_quorum,
        approval=book.approval_threshold,
        dual_majority=book.dual_majority,
        advisory_quorum=book.advisory_quorum,
        min_group_size=book.min_group_size,
    )


class Elector(models.Model):
    """One person in a vote's electorate, as snapshotted when it opened; ``on_board``
    marks the advisory bloc (board members then), for the dual majority."""

    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="electors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    on_board = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("elector")
        verbose_name_plural = _("electors")
        constraints = [
            models.UniqueConstraint(fields=["vote", "user"], name="voting_elector_once"),
        ]

    def __str__(self) -> str:
        return f"elector {self.pk} in {self.vote}"


class Participation(models.Model):
    """That a person voted (never what): one row per voter and vote, with the hash that
    lets them, and only them with their receipt, change their ballot. A random key, like
    the ballot's, so neither table's keys follow the order of casting."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    voter_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["vote", "user"], name="voting_participation_once"),
        ]

    def __str__(self) -> str:
        return f"participation {self.pk} in {self.vote}"


class Ballot(models.Model):
    """What was chosen (never by whom): a random key, the receipt's ballot hash and the
    choice. No person, no time, no sequential key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="ballots")
    ballot_hash = models.CharField(max_length=64)
    choice = models.CharField(max_length=10, choices=Choice.choices)
    # A board member's ballot counts in the advisory bloc too.
    on_board = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(fields=["vote", "ballot_hash"], name="voting_ballot_hash_once"),
            models.CheckConstraint(
                condition=Q(choice__in=["approve", "reject", "abstain"]),
                name="voting_ballot_choice_known",
            ),
        ]

    def __str__(self) -> str:
        return f"ballot in {self.vote}"
