"""Proposals, their editable working copy and their frozen versions.

A proposal is private to its authors and co-signers until first submitted and public
forever after. Each submission freezes a ``ProposalVersion``: the database refuses any
UPDATE or DELETE of a version (migration 0002), so what the board reviewed and the
electorate voted on can never change afterwards.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The content fields a draft holds and a version freezes, in this order.
CONTENT_FIELDS = (
    "title",
    "summary",
    "body",
    "people_served",
    "spectrum_tags",
    "wellbeing_outcomes",
    "risks_and_harms",
    "cost",
    "review_date",
)
# The content fields that are free text: the diff shows them word by word, and the
# language check reads them.
TEXT_FIELDS = ("title", "summary", "body", "people_served", "risks_and_harms")


class SpectrumTag(models.TextChoices):
    SAFER_USE = "safer_use", _("safer use")
    MANAGED_USE = "managed_use", _("managed use")
    TREATMENT_ACCESS = "treatment_access", _("treatment access")
    ABSTINENCE_SUPPORT = "abstinence_support", _("abstinence support")
    HOUSING = "housing", _("housing")
    HEALTH = "health", _("health")
    LEGAL_SUPPORT = "legal_support", _("legal support")
    COMMUNITY = "community", _("community")

    @classmethod
    def words_for(cls, tags: list[str] | None) -> list[str]:
        """The tags as words in the current language (an unknown one as it is)."""
        words = dict(cls.choices)
        return [str(words.get(tag, tag)) for tag in tags or []]


def canonical_content(content: dict[str, Any]) -> bytes:
    """The content fields as canonical JSON: sorted keys, no spaces, UTF-8, dates in ISO
    form, the cost as a decimal string (or null)."""

    def plain(value: Any) -> Any:
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, date):
            return value.isoformat()
        return value

    data = {name: plain(content.get(name)) for name in CONTENT_FIELDS}
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def content_hash(content: dict[str, Any]) -> str:
    """SHA-256 hex of the canonical JSON of the content fields."""
    return hashlib.sha256(canonical_content(content)).hexdigest()


class ProposalContent(models.Model):
    """The fields a draft edits and a version freezes."""

    title = models.CharField(_("title"), max_length=200, blank=True)
    summary = models.TextField(_("plain-language summary"), blank=True)
    body = models.TextField(_("body (Markdown)"), blank=True)
    people_served = models.TextField(_("people served"), blank=True)
    spectrum_tags = models.JSONField(_("spectrum tags"), default=list, blank=True)
    wellbeing_outcomes = models.JSONField(_("well-being outcomes"), default=list, blank=True)
    risks_and_harms = models.TextField(_("risks and harms"), blank=True)
    cost = models.DecimalField(_("cost"), max_digits=14, decimal_places=2, null=True, blank=True)
    review_date = models.DateField(_("review date"), null=True, blank=True)

    class Meta:
        abstract = True

    def content(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in CONTENT_FIELDS}


class Proposal(models.Model):
    class State(models.TextChoices):
        # In context: in Spanish a state agrees with "la propuesta" (adoptada, rechazada),
        # where the same English word elsewhere may not.
        DRAFT = "draft", pgettext_lazy("proposal state", "draft")
        ADVISORY_REVIEW = "advisory_review", pgettext_lazy("proposal state", "in advisory review")
        REVISION = "revision", pgettext_lazy("proposal state", "in revision")
        AWAITING_VOTE = "awaiting_vote", pgettext_lazy("proposal state", "awaiting vote")
        VOTING = "voting", pgettext_lazy("proposal state", "voting")
        ADOPTED = "adopted", pgettext_lazy("proposal state", "adopted")
        REJECTED = "rejected", pgettext_lazy("proposal state", "rejected")
        FAILED = "failed", pgettext_lazy("proposal state", "failed (no quorum)")
        WITHDRAWN = "withdrawn", pgettext_lazy("proposal state", "withdrawn")

    # The state a reader is shown: the stored one, except that a vote past its close and
    # not yet finalised by the sweep shows as "counting" (derived at read time, never
    # stored: pages never write). ``proposals.selectors.proposals_visible_to`` annotates
    # it; ``shown_state`` reads it.
    COUNTING = "counting"
    SHOWN_STATES: list[tuple[str, Any]] = [
        *State.choices[: State.values.index("voting") + 1],
        (COUNTING, _("counting")),
        *State.choices[State.values.index("voting") + 1 :],
    ]

    FINAL_STATES = (State.ADOPTED, State.REJECTED, State.FAILED, State.WITHDRAWN)
    # Authors may prepare and submit a new version while one is in advisory review: the
    # new version supersedes the one under review and needs a round of its own.
    EDITABLE_STATES = (State.DRAFT, State.ADVISORY_REVIEW, State.REVISION)
    # Co-signers join while no round has frozen the board: before submission, or in revision.
    COSIGNABLE_STATES = (State.DRAFT, State.REVISION)

    space = models.ForeignKey(
        "spaces.DecisionSpace", on_delete=models.PROTECT, related_name="proposals"
    )
    # Null: drafted by an advisory board member for the community.
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    first_submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    current_version = models.ForeignKey(
        "proposals.ProposalVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    state__in=[
                        "draft",
                        "advisory_review",
                        "revision",
                        "awaiting_vote",
                        "voting",
                        "adopted",
                        "rejected",
                        "failed",
                        "withdrawn",
                    ]
                ),
                name="proposals_proposal_state_known",
            ),
            # Submitted exactly when a version exists: both or neither.
            models.CheckConstraint(
                condition=Q(first_submitted_at__isnull=True, current_version__isnull=True)
                | Q(first_submitted_at__isnull=False, current_version__isnull=False),
                name="proposals_proposal_submitted_with_version",
            ),
            # Only a draft (or a draft withdrawn before submission) was never submitted.
            models.CheckConstraint(
                condition=Q(state__in=["draft", "withdrawn"]) | Q(first_submitted_at__isnull=False),
                name="proposals_proposal_submitted_unless_draft",
            ),
            # A draft is never submitted: later edits happen in revision.
            models.CheckConstraint(
                condition=~Q(state="draft") | Q(first_submitted_at__isnull=True),
                name="proposals_proposal_draft_never_submitted",
            ),
        ]
        indexes = [models.Index(fields=["space", "state"])]

    def __str__(self) -> str:
        # Never the working copy's title: a draft, or a revision in progress, is private.
        version = self.current_version
        return version.title if version is not None else f"proposal {self.pk}"

    def get_absolute_url(self) -> str:
        """The proposal's page (its space's slug must be loaded, or it is one query)."""
        return reverse("proposals:detail", kwargs={"space_slug": self.space.slug, "pk": self.pk})

    @property
    def is_final(self) -> bool:
        return self.state in self.FINAL_STATES

    @property
    def shown_state(self) -> str:
        """The state as every page, list, filter, feed and API answer shows it: "counting"
        for a proposal whose vote has closed on the database clock and is not finalised
        yet, else the stored state. Read from the ``vote_counting`` annotation that
        ``proposals.selectors.with_shown_state`` adds (no query); without it, one query."""
        if self.state != self.State.VOTING:
            return self.state
        counting = getattr(self, "vote_counting", None)
        if counting is None:
            counting = Proposal.objects.filter(counting_vote(), pk=self.pk).exists()
        return self.COUNTING if counting else self.state

    def get_shown_state_display(self) -> str:
        """``shown_state`` in words, in the reader's language."""
        return str(dict(self.SHOWN_STATES)[self.shown_state])


def counting_vote() -> Q:
    """On ``Proposal``: in voting, with a vote past its close on the database clock that
    the sweep has not finalised yet (through the reverse relation, so this app does not
    import the voting app)."""
    return Q(
        state=Proposal.State.VOTING,
        votes__opened_at__isnull=False,
        votes__finalised_at__isnull=True,
        votes__close_at__lte=Now(),
    )


class ProposalCosigner(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="cosigners")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cosigned"
    )
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)

    class Meta:
        verbose_name = _("co-signer")
        verbose_name_plural = _("co-signers")
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "user"], name="proposals_cosigner_once_per_proposal"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} co-signs {self.proposal_id}"


class ProposalDraft(ProposalContent):
    """The editable working copy; one per proposal."""

    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="draft")
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("proposal draft")
        verbose_name_plural = _("proposal drafts")

    def __str__(self) -> str:
        return self.title or f"draft of proposal {self.proposal_id}"


class ProposalVersion(ProposalContent):
    """One submission, frozen: the database refuses UPDATE and DELETE of this table."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    content_hash = models.CharField(_("content hash"), max_length=64)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)

    class Meta:
        verbose_name = _("proposal version")
        verbose_name_plural = _("proposal versions")
        ordering = ["proposal", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "number"], name="proposals_version_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="proposals_version_number_positive"
            ),
            models.CheckConstraint(
                condition=~Q(title="") & ~Q(content_hash=""), name="proposals_version_complete"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"


class CosignInvitation(models.Model):
    """An author's request that one person co-sign. A private draft becomes visible to the
    person asked, so they can read it before deciding; declining hides it again."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, related_name="cosign_invitations"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)

    class Meta:
        verbose_name = _("co-signing request")
        verbose_name_plural = _("co-signing requests")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "user"], name="proposals_cosign_invitation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} asked to co-sign {self.proposal_id}"
