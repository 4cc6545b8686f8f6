"""Reads shaped for one page or endpoint, with a query count that does not grow with data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from core import onetime
from core.errors import Conflict, DomainError
from spaces.models import (
    DecisionSpace,
    Invitation,
    JoinRequest,
    LeaveOfAbsence,
    Membership,
    Role,
    Rulebook,
)


def _open_at(moment: datetime) -> Q:
    return Q(joined_at__lte=moment) & (Q(left_at__isnull=True) | Q(left_at__gt=moment))


def members_at(*, space: DecisionSpace, role: str, moment: datetime) -> QuerySet[User]:
    """The people who held ``role`` in ``space`` at ``moment`` (any past moment)."""
    user_ids = Membership.objects.filter(_open_at(moment), space=space, role=role).values("user_id")
    return User.objects.filter(pk__in=user_ids).order_by("public_name", "pk")


# Who is in a space's electorate: every voter and every advisory board member (on leave
# or not), each person once. Votes snapshot it at their opening (``electorate_at``);
# the space page and the API count it now (``space_page``, ``space_list``), the same way.
ELECTORATE_ROLES = (Role.ELECTORATE, Role.BOARD)


def in_an_electorate(roles: set[str]) -> bool:
    """Whether ``roles`` (as ``current_roles`` reads them) put a person in some space's
    electorate now: a voter's or a board member's role (``ELECTORATE_ROLES``)."""
    return any(role in roles for role in ELECTORATE_ROLES)


def electorate_at(*, space: DecisionSpace, moment: datetime) -> QuerySet[User]:
    """The space's electorate at ``moment``: everyone who held a voter's or a board
    member's role then, each once (see ``ELECTORATE_ROLES``)."""
    user_ids = Membership.objects.filter(
        _open_at(moment), space=space, role__in=ELECTORATE_ROLES
    ).values("user_id")
    return User.objects.filter(pk__in=user_ids).order_by("public_name", "pk")


def _on_leave_at(moment: datetime) -> Exists:
    return Exists(
        LeaveOfAbsence.objects.filter(
            Q(ended_at__isnull=True) | Q(ended_at__gt=moment),
            membership=OuterRef("pk"),
            started_at__lte=moment,
        )
    )


def board_for_quorum(*, space: DecisionSpace, moment: datetime) -> QuerySet[User]:
    """The people who count toward a quorum at ``moment``: on the board then, not on
    leave then. A round freezes them as its board."""
    user_ids = (
        Membership.objects.filter(_open_at(moment), space=space, role=Role.BOARD)
        .exclude(_on_leave_at(moment))
        .values("user_id")
    )
    return User.objects.filter(pk__in=user_ids).order_by("public_name", "pk")


def board_size_for_quorum(*, space: DecisionSpace, moment: datetime) -> int:
    """How many board members count toward a quorum at ``moment``: those on the board then,
    minus those on leave then."""
    return (
        Membership.objects.filter(_open_at(moment), space=space, role=Role.BOARD)
        .exclude(_on_leave_at(moment))
        .count()
    )


def rulebook_current(*, space: DecisionSpace) -> Rulebook:
    rulebook = space.rulebooks.order_by("-version").first()
    if rulebook is None:  # every space gets v1 at creation; this is a broken database
        raise Conflict(_("This space has no rulebook."))
    return rulebook


@dataclass(frozen=True)
class SpacePage:
    space: DecisionSpace
    rulebook: Rulebook
    board_size: int
    on_leave: int
    electorate_size: int
    facilitators: list[User]

    @property
    def bloc_size(self) -> int:
        """The board members a vote opened now would count as its advisory bloc: the
        board minus those on leave, as for a round's quorum."""
        return self.board_size - self.on_leave

    @property
    def bloc_too_small(self) -> bool:
        """With dual majority on, a vote opened now would have a bloc below the minimum
        group size, and so be decided by the whole electorate (``voting.arithmetic``)."""
        return self.rulebook.dual_majority and self.bloc_size < self.rulebook.min_group_size


def space_page(*, slug: str) -> SpacePage | None:
    """Everything the public space page shows, in four queries whatever the space's size:
    the space, its current rulebook, the member counts, the facilitators' names."""
    space = DecisionSpace.objects.filter(slug=slug).first()
    if space is None:
        return None
    rulebook = space.rulebooks.order_by("-version").first()
    assert rulebook is not None
    # One query over the open memberships themselves, never joined with their leaves: a
    # join would repeat a member once per past leave and multiply the counts.
    board = Q(role=Role.BOARD)
    counts = (
        Membership.objects.open()
        .filter(space=space)
        .aggregate(
            board=Count("pk", filter=board),
            # People, not memberships: a voter who also sits on the board counts once.
            electorate=Count("user_id", filter=Q(role__in=ELECTORATE_ROLES), distinct=True),
            on_leave=Count(
                "pk",
                filter=board
                & Q(
                    Exists(
                        LeaveOfAbsence.objects.filter(
                            membership=OuterRef("pk"), ended_at__isnull=True
                        )
                    )
                ),
            ),
        )
    )
    facilitators = list(
        User.objects.filter(
            memberships__space=space,
            memberships__role=Role.FACILITATOR,
            memberships__left_at__isnull=True,
        ).order_by("public_name")
    )
    return SpacePage(
        space=space,
        rulebook=rulebook,
        board_size=counts["board"],
        on_leave=counts["on_leave"],
        electorate_size=counts["electorate"],
        facilitators=facilitators,
    )


def space_list() -> QuerySet[DecisionSpace]:
    return DecisionSpace.objects.annotate(
        board_size=Count(
            "memberships",
            filter=Q(memberships__left_at__isnull=True, memberships__role=Role.BOARD),
        ),
        electorate_size=Count(
            "memberships__user",
            filter=Q(memberships__left_at__isnull=True, memberships__role__in=ELECTORATE_ROLES),
            distinct=True,
        ),
    ).order_by("name")


def open_memberships(*, space: DecisionSpace, search: str = "") -> QuerySet[Membership]:
    """Current members for the facilitators' page: with the person and any open leave;
    with ``search``, only those whose public name contains it (any case)."""
    rows = Membership.objects.open().filter(space=space)
    if search.strip():
        rows = rows.filter(user__public_name__icontains=search.strip())
    return (
        rows.select_related("user")
        .annotate(
            on_leave=Exists(
                LeaveOfAbsence.objects.filter(membership=OuterRef("pk"), ended_at__isnull=True)
            )
        )
        .order_by("role", "user__public_name", "pk")
    )


def pending_join_requests(*, space: DecisionSpace) -> QuerySet[JoinRequest]:
    return space.join_requests.filter(status=JoinRequest.Status.PENDING).select_related("user")


def recent_invitations(*, space: DecisionSpace) -> QuerySet[Invitation]:
    return space.invitations.select_related("used_by").order_by("-created_at", "-pk")[:50]


def invitation_secret_hash(secret: str) -> str:
    """What an invitation stores of its code or link token: the secret itself never."""
    return onetime.secret_hash(secret, purpose="invitation")


def invitation_used() -> str:
    """The refusal of an invitation someone has used already."""
    return _("This invitation has already been used. Ask a facilitator for a new one.")


def code_not_known() -> str:
    """The refusal of a one-time code that belongs to no invitation."""
    return _("This code is not known. Check it for typing mistakes, or ask a facilitator.")


def usable_invitation(invitation: Invitation) -> Invitation:
    """``invitation`` if it can still be used, or a DomainError saying why not (declined,
    used or expired): the guard every use and decline runs again on the locked row."""
    if invitation.declined_at is not None:
        raise DomainError(
            _("This invitation was declined. Ask a facilitator for a new one."),
            code="invitation_declined",
        )
    onetime.refuse_if_spent(
        invitation,
        used=invitation_used(),
        expired=_("This invitation has expired. Ask a facilitator for a new one."),
    )
    return invitation


def invitation_check_code(*, code: str) -> Invitation:
    """The unused, unexpired invitation a one-time code belongs to, or a DomainError
    saying what is wrong (unknown, used or expired). Changes nothing."""
    normalised = onetime.normalise_code(code)
    invitation = (
        Invitation.objects.select_related("space")
        .filter(kind=Invitation.Kind.CODE, secret_hash=invitation_secret_hash(normalised))
        .first()
        if normalised
        else None
    )
    if invitation is None:
        raise DomainError(code_not_known(), code="invitation_unknown")
    return usable_invitation(invitation)


def invitation_check_token(*, token: str) -> Invitation:
    """The unused, unexpired invitation an e-mail link's token belongs to."""
    invitation = (
        Invitation.objects.select_related("space")
        .filter(kind=Invitation.Kind.EMAIL, secret_hash=invitation_secret_hash(token))
        .first()
    )
    if invitation is None:
        raise DomainError(
            _("This invitation link is not valid. Ask a facilitator for a new one."),
            code="invitation_unknown",
        )
    return usable_invitation(invitation)


def spaces_facilitated_by(*, user: User) -> QuerySet[DecisionSpace]:
    return DecisionSpace.objects.filter(
        memberships__user=user,
        memberships__role=Role.FACILITATOR,
        memberships__left_at__isnull=True,
    ).distinct()


def join_requests_for_facilitator(*, user: User) -> QuerySet[JoinRequest]:
    """The requests to join waiting in the spaces ``user`` facilitates, oldest first."""
    return (
        JoinRequest.objects.filter(
            space__in=spaces_facilitated_by(user=user), status=JoinRequest.Status.PENDING
        )
        .select_related("space", "user")
        .order_by("created_at", "pk")
    )


def current_roles(*, user: User) -> set[str]:
    """The roles ``user`` holds now in any space (one query): what navigation offers."""
    return set(
        Membership.objects.open()
        .filter(user=user)
        .order_by()
        .values_list("role", flat=True)
        .distinct()
    )
