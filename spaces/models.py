"""Decision spaces, who belongs to them, and the rules each one decides by.

Memberships are periods (``joined_at``/``left_at``), never deleted, so the board and the
electorate at any past moment can be reconstructed. Rulebooks are versions: each change
is a new row and the newest is current, so a running round or vote can keep the version
it opened with. The rulebook's floors are CHECK constraints: a raw UPDATE below a floor
fails in the database, not only in Python.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import Exact, GreaterThan, LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import OneTimeInvitation, one_time_constraints
from core.money import CURRENCIES, DEFAULT_CURRENCY, currency_choices
from core.text import NOTE_MAX_LENGTH
from spaces import rulebook as rb


class DecisionSpace(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short address"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True)
    # ISO 4217: the currency of the costs its proposals state (core/money.py).
    currency = models.CharField(
        _("currency"),
        max_length=3,
        choices=currency_choices(),
        default=DEFAULT_CURRENCY,
        help_text=_("The currency of the costs its proposals state."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("decision space")
        verbose_name_plural = _("decision spaces")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(name="") & ~Q(slug=""), name="spaces_space_named"),
            models.CheckConstraint(
                condition=Q(currency__in=list(CURRENCIES)), name="spaces_space_currency_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("spaces:detail", kwargs={"slug": self.slug})


class Role(models.TextChoices):
    FACILITATOR = "facilitator", _("facilitator")
    BOARD = "board", _("advisory board member")
    ELECTORATE = "electorate", _("voter")


class MembershipQuerySet(models.QuerySet["Membership"]):
    """The one spelling of "held now" and of each role held now."""

    def open(self) -> MembershipQuerySet:
        """Held now: not ended. A leave of absence does not end a membership."""
        return self.filter(left_at__isnull=True)

    def board(self) -> MembershipQuerySet:
        """Seats on the advisory board held now (members on leave included)."""
        return self.open().filter(role=Role.BOARD)

    def facilitators(self) -> MembershipQuerySet:
        """Facilitator memberships held now."""
        return self.open().filter(role=Role.FACILITATOR)


class Membership(models.Model):
    """One period during which a person held one role in one space."""

    space = models.ForeignKey(DecisionSpace, on_delete=models.PROTECT, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Private: shown to the space's facilitators only, never on a public page, in a
    # public API response or in history event data.
    lived_experience = models.TextField(_("lived experience (private)"), blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["space", "user", "role"],
                condition=Q(left_at__isnull=True),
                name="spaces_membership_one_open_per_role",
            ),
            models.CheckConstraint(
                condition=Q(left_at__isnull=True) | Q(left_at__gt=F("joined_at")),
                name="spaces_membership_leaves_after_joining",
            ),
            models.CheckConstraint(
                condition=Q(role__in=["facilitator", "board", "electorate"]),
                name="spaces_membership_role_known",
            ),
            models.CheckConstraint(
                condition=Q(role="board") | Q(lived_experience=""),
                name="spaces_membership_lived_experience_board_only",
            ),
        ]
        indexes = [models.Index(fields=["space", "role", "joined_at"])]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) @ {self.space}"

    @property
    def is_open(self) -> bool:
        return self.left_at is None


class LeaveOfAbsence(models.Model):
    """A board member's leave: while it is open they do not count toward a quorum."""

    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="leaves")
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("leave of absence")
        verbose_name_plural = _("leaves of absence")
        ordering = ["started_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership"],
                condition=Q(ended_at__isnull=True),
                name="spaces_leave_one_open_per_membership",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gt=F("started_at")),
                name="spaces_leave_ends_after_starting",
            ),
        ]

    def __str__(self) -> str:
        return f"leave of {self.membership}"


def _share_floor(
    prefix: str, floor: rb.Fraction, strict_field: str | None = None
) -> models.CheckConstraint:
    """0 < num ≤ den and num/den at least ``floor``, in integers (cross-multiplication).

    With a "more than" floor, a share exactly at the floor passes only if its own flag
    says "more than" too.
    """
    num, den = F(f"{prefix}_num"), F(f"{prefix}_den")
    condition = Q(**{f"{prefix}_num__gt": 0}) & Q(LessThanOrEqual(num, den))
    above = GreaterThan(num * floor.den, den * floor.num)
    equal = Exact(num * floor.den, den * floor.num)
    if floor.strict:
        assert strict_field is not None
        condition &= Q(above) | (Q(equal) & Q(**{strict_field: True}))
    else:
        condition &= Q(above) | Q(equal)
    return models.CheckConstraint(condition=condition, name=f"spaces_rulebook_{prefix}_floor")


def _at_least(field: str, least: int, rule: str) -> models.CheckConstraint:
    """``field`` at least ``least``: the floor of the rule ``rule``."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": least}), name=f"spaces_rulebook_{rule}_floor"
    )


class Rulebook(models.Model):
    """One version of a space's rules. Never updated: a change is a new version."""

    space = models.ForeignKey(DecisionSpace, on_delete=models.PROTECT, related_name="rulebooks")
    version = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("adopted"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    advisory_quorum_num = models.PositiveIntegerField(default=rb.DEFAULTS["advisory_quorum_num"])
    advisory_quorum_den = models.PositiveIntegerField(default=rb.DEFAULTS["advisory_quorum_den"])
    # However large the quorum's share, a round also needs this many reviews.
    minimum_reviews = models.PositiveIntegerField(default=rb.DEFAULTS["minimum_reviews"])
    consent_num = models.PositiveIntegerField(default=rb.DEFAULTS["consent_num"])
    consent_den = models.PositiveIntegerField(default=rb.DEFAULTS["consent_den"])
    consent_strict = models.BooleanField(default=rb.DEFAULTS["consent_strict"])
    review_window_days = models.PositiveIntegerField(default=rb.DEFAULTS["review_window_days"])
    vote_delay_days = models.PositiveIntegerField(default=rb.DEFAULTS["vote_delay_days"])
    voting_window_days = models.PositiveIntegerField(default=rb.DEFAULTS["voting_window_days"])
    turnout_quorum_num = models.PositiveIntegerField(default=rb.DEFAULTS["turnout_quorum_num"])
    turnout_quorum_den = models.PositiveIntegerField(default=rb.DEFAULTS["turnout_quorum_den"])
    approval_num = models.PositiveIntegerField(default=rb.DEFAULTS["approval_num"])
    approval_den = models.PositiveIntegerField(default=rb.DEFAULTS["approval_den"])
    approval_strict = models.BooleanField(default=rb.DEFAULTS["approval_strict"])
    dual_majority = models.BooleanField(default=rb.DEFAULTS["dual_majority"])
    min_group_size = models.PositiveIntegerField(default=rb.DEFAULTS["min_group_size"])
    publish_receipt_choices = models.BooleanField(default=rb.DEFAULTS["publish_receipt_choices"])

    class Meta:
        verbose_name = _("rulebook")
        verbose_name_plural = _("rulebooks")
        ordering = ["space", "-version"]
        get_latest_by = "version"
        constraints = [
            models.UniqueConstraint(fields=["space", "version"], name="spaces_rulebook_version"),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="spaces_rulebook_version_ge_1"
            ),
            _share_floor("advisory_quorum", rb.ADVISORY_QUORUM_FLOOR),
            _share_floor("consent", rb.CONSENT_FLOOR, "consent_strict"),
            _share_floor("turnout_quorum", rb.TURNOUT_QUORUM_FLOOR),
            _share_floor("approval", rb.APPROVAL_FLOOR, "approval_strict"),
            _at_least("review_window_days", 7, "review_window"),
            _at_least("vote_delay_days", 2, "vote_delay"),
            _at_least("voting_window_days", 3, "voting_window"),
            _at_least("min_group_size", 5, "min_group_size"),
            _at_least("minimum_reviews", 2, "minimum_reviews"),
        ]

    def __str__(self) -> str:
        return f"{self.space} rulebook v{self.version}"

    @property
    def advisory_quorum(self) -> rb.Fraction:
        return rb.Fraction(self.advisory_quorum_num, self.advisory_quorum_den)

    @property
    def consent_threshold(self) -> rb.Fraction:
        return rb.Fraction(self.consent_num, self.consent_den, self.consent_strict)

    @property
    def turnout_quorum(self) -> rb.Fraction:
        return rb.Fraction(self.turnout_quorum_num, self.turnout_quorum_den)

    @property
    def approval_threshold(self) -> rb.Fraction:
        return rb.Fraction(self.approval_num, self.approval_den, self.approval_strict)

    def values(self) -> dict[str, object]:
        return {field: getattr(self, field) for field in rb.FIELDS}


class Invitation(OneTimeInvitation):
    """An invitation to one role in one space, by e-mail link or by one-time code.

    Only a SHA-256 hash of the secret (the code or the link's token) is stored; the
    secret itself is shown once, to the facilitator who created it. Single use.

    The address an e-mail invitation went to is erased once the invitation is used,
    declined or expired (the minute sweep erases expired ones): the database refuses a
    used or declined invitation that still holds it.
    """

    class Kind(models.TextChoices):
        EMAIL = "email", _("e-mail link")
        CODE = "code", _("one-time code")

    space = models.ForeignKey(DecisionSpace, on_delete=models.PROTECT, related_name="invitations")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    # Private: kept only while the invitation is open; never shown publicly.
    email = models.EmailField(_("e-mail address"), null=True, blank=True)  # noqa: DJ001
    # The e-mail that carries the link (the outbox row), so an invitation used or ended
    # before it went out stops it.
    notification = models.OneToOneField(
        "notifications.Notification",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    membership = models.OneToOneField(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="invitation"
    )
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["facilitator", "board", "electorate"]),
                name="spaces_invitation_role_known",
            ),
            models.CheckConstraint(
                # A code has no address; a link's address is kept only while it is open
                # (and the sweep erases it when it expires).
                condition=(Q(kind="code") & Q(email__isnull=True))
                | (Q(kind="email") & Q(email__isnull=True))
                | (
                    Q(kind="email")
                    & Q(email__isnull=False)
                    & Q(used_at__isnull=True)
                    & Q(declined_at__isnull=True)
                ),
                name="spaces_invitation_address_only_while_open",
            ),
            models.CheckConstraint(
                condition=Q(used_at__isnull=True) | Q(declined_at__isnull=True),
                name="spaces_invitation_used_or_declined_not_both",
            ),
            *one_time_constraints("spaces_invitation", "membership"),
        ]

    def __str__(self) -> str:
        return f"invitation to {self.space} ({self.role})"


class JoinRequest(models.Model):
    """A signed-in person asks to join a space's board or electorate."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        APPROVED = "approved", _("approved")
        DECLINED = "declined", _("declined")

    space = models.ForeignKey(DecisionSpace, on_delete=models.PROTECT, related_name="join_requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="join_requests"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    message = models.TextField(
        _("message to the facilitators"), blank=True, max_length=NOTE_MAX_LENGTH
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("request to join")
        verbose_name_plural = _("requests to join")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["space", "user", "role"],
                condition=Q(status="pending"),
                name="spaces_join_request_one_pending",
            ),
            # Nobody asks to facilitate: facilitators are appointed.
            models.CheckConstraint(
                condition=Q(role__in=["board", "electorate"]),
                name="spaces_join_request_role_open_to_requests",
            ),
            models.CheckConstraint(
                condition=(Q(status="pending") & Q(decided_at__isnull=True))
                | (Q(status__in=["approved", "declined"]) & Q(decided_at__isnull=False)),
                name="spaces_join_request_decision_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.space} ({self.role})"
