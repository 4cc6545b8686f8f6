"""What pages, the API and feeds read about proposals. One rule runs through all of it:
a proposal never submitted is visible only to its authors and co-signers
(``proposals_visible_to``), and what the public reads of a submitted proposal is its
current version, never the working copy an author is revising.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import rules
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.authority import Actor
from accounts.models import User
from core.errors import DomainError
from organisations.models import Organisation, OrganisationEditor
from proposals.findings import FieldFinding, field_findings, stored_texts
from proposals.models import (
    CosignInvitation,
    Proposal,
    ProposalContent,
    ProposalCosigner,
    ProposalDraft,
    ProposalVersion,
    content_hash,
    counting_vote,
)
from proposals.rules import (
    edit_refusal,
    invite_cosigner_refusal,
    is_asked_to_cosign,
    withdraw_refusal,
)
from proposals.visibility import asked_to_cosign, authored_by, visible_to
from spaces.models import DecisionSpace, Membership

# The "on behalf of" value of a draft for the community (no organisation).
COMMUNITY = "community"


def proposals_visible_to(actor: Actor, space: DecisionSpace | None = None) -> QuerySet[Proposal]:
    """The proposals (of ``space``, or of every space) that ``actor`` may see: every
    proposal ever submitted, and unsubmitted drafts only to their authors, their
    co-signers and the people asked to co-sign (until they decline)."""
    proposals = Proposal.objects.all() if space is None else Proposal.objects.filter(space=space)
    return with_shown_state(
        proposals.filter(visible_to(actor)).select_related(
            "space", "draft", "current_version", "organisation"
        )
    )


def _counting() -> Exists:
    return Exists(Proposal.objects.filter(counting_vote(), pk=OuterRef("pk")))


def with_shown_state(proposals: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """``proposals`` with what ``Proposal.shown_state`` needs to tell "counting" (a vote
    past its close, not yet finalised) from "voting" without a query per row: a
    subquery on the database clock, in the same query."""
    return proposals.annotate(vote_counting=_counting())


def in_shown_state(proposals: QuerySet[Proposal], state: str) -> QuerySet[Proposal]:
    """The proposals shown in ``state`` (a value of ``Proposal.SHOWN_STATES``): "counting"
    and "voting" split the stored "voting" by whether the vote's close has come."""
    if state == Proposal.COUNTING:
        return proposals.filter(_counting())
    if state == Proposal.State.VOTING:
        return proposals.filter(state=state).exclude(_counting())
    return proposals.filter(state=state)


def drafts_of(actor: Actor) -> QuerySet[Proposal]:
    """What ``actor`` has to write: the proposals they author that are a draft or back
    with their authors in revision, most recently started first."""
    if actor.user is None:
        return Proposal.objects.none()
    return (
        proposals_visible_to(actor)
        .filter(authored_by(actor.user))
        .filter(state__in=(Proposal.State.DRAFT, Proposal.State.REVISION))
        .order_by("-created_at", "-pk")
    )


def cosign_requests_for(actor: Actor) -> QuerySet[Proposal]:
    """The drafts ``actor`` is asked to co-sign and has not answered, newest first."""
    if actor.user is None:
        return Proposal.objects.none()
    cosigning = ProposalCosigner.objects.filter(proposal_id=OuterRef("pk"), user=actor.user)
    return (
        proposals_visible_to(actor)
        .filter(asked_to_cosign(actor.user))
        .exclude(authored_by(actor.user))
        .exclude(Exists(cosigning))
        .order_by("-created_at", "-pk")
    )


def _shown(lookup: str, value: Any) -> Q:
    """Match ``lookup`` on what a reader is shown: the current version once submitted, the
    draft before (which only its authors and co-signers can see at all)."""
    return Q(**{f"current_version__{lookup}": value}) | Q(
        current_version__isnull=True, **{f"draft__{lookup}": value}
    )


def proposal_list(
    actor: Actor,
    space: DecisionSpace,
    *,
    state: str = "",
    tag: str = "",
    organisation: str = "",
    query: str = "",
) -> QuerySet[Proposal]:
    """A space's proposals as ``actor`` may see them, filtered. Each filter is optional;
    the caller validates the values (an unknown state or tag simply matches nothing)."""
    proposals = proposals_visible_to(actor, space)
    if state:
        proposals = in_shown_state(proposals, state)
    if tag:
        # Tags are stored as a JSON list of fixed slugs; matching the quoted slug in the
        # JSON text works the same on PostgreSQL and SQLite (no slug contains another
        # in quotes).
        proposals = proposals.filter(_shown("spectrum_tags__icontains", f'"{tag}"'))
    if organisation:
        proposals = proposals.filter(organisation__slug=organisation)
    query = query.strip()
    if query:
        proposals = proposals.filter(
            _shown("title__icontains", query)
            | _shown("summary__icontains", query)
            | _shown("body__icontains", query)
        )
    return proposals.order_by("-first_submitted_at", "-created_at", "-pk")


def visible_proposal(actor: Actor, *, space_slug: str, pk: int) -> Proposal | None:
    """One proposal of a space if ``actor`` may see it, else None (callers answer 404 so
    a draft's existence is not revealed)."""
    return (
        proposals_visible_to(actor)
        .filter(space__slug=space_slug, pk=pk)
        .select_related("created_by")
        .first()
    )


def visible_proposal_or_404(actor: Actor, *, space_slug: str, pk: int) -> Proposal:
    """``visible_proposal``, for pages and API views: 404 for a proposal ``actor`` may
    not see, so a draft leaves no trace."""
    proposal = visible_proposal(actor, space_slug=space_slug, pk=pk)
    if proposal is None:
        raise Http404
    return proposal


def versions_of(proposal: Proposal) -> QuerySet[ProposalVersion]:
    """Every submitted version, oldest first, without their long texts."""
    return (
        ProposalVersion.objects.filter(proposal=proposal)
        .only("id", "proposal_id", "number", "title", "content_hash", "submitted_at")
        .order_by("number")
    )


def version_of(proposal: Proposal, number: int) -> ProposalVersion | None:
    return ProposalVersion.objects.filter(proposal=proposal, number=number).first()


def cosigners_of(proposal: Proposal) -> list[ProposalCosigner]:
    return list(proposal.cosigners.select_related("user").order_by("joined_at", "pk"))


def open_cosign_invitations(proposal: Proposal) -> list[CosignInvitation]:
    """Who has been asked to co-sign and has not answered yet (for the authors)."""
    return list(
        proposal.cosign_invitations.filter(declined_at__isnull=True)
        .exclude(user__cosigned__proposal=proposal)
        .select_related("user")
    )


def cosign_candidates(proposal: Proposal) -> QuerySet[User]:
    """The people an author may ask to co-sign: current board members of the space and
    current editors of other approved organisations, who neither author nor co-sign and
    were not asked before. Ordered by public name."""
    board = Membership.objects.board().filter(space_id=proposal.space_id).values("user_id")
    editors = OrganisationEditor.objects.filter(
        left_at__isnull=True, organisation__status=Organisation.Status.APPROVED
    )
    authors = Q(pk=proposal.created_by_id) if proposal.organisation_id is None else Q(pk__in=[])
    if proposal.organisation_id is not None:
        editors = editors.exclude(organisation_id=proposal.organisation_id)
        authors |= Q(
            editor_rows__organisation_id=proposal.organisation_id, editor_rows__left_at__isnull=True
        )
    return (
        User.objects.filter(is_active=True, deleted_at__isnull=True)
        .filter(Q(pk__in=board) | Q(pk__in=editors.values("user_id")))
        .exclude(authors)
        .exclude(cosigned__proposal=proposal)
        # Asked already, whether they answered or not: nobody is asked twice.
        .exclude(pk__in=CosignInvitation.objects.filter(proposal=proposal).values("user_id"))
        .order_by("public_name", "pk")
    )


def drafting_choices(actor: Actor, space: DecisionSpace) -> list[tuple[str, str]]:
    """On whose behalf this person may start a draft in ``space``: the approved
    organisations they edit now, and the community if they sit on its board (two
    queries). Each choice is checked again by the service."""
    if actor.user is None:
        return []
    editing = (
        OrganisationEditor.objects.filter(
            user=actor.user,
            left_at__isnull=True,
            organisation__status=Organisation.Status.APPROVED,
        )
        .select_related("organisation")
        .order_by("organisation__name")
    )
    choices = [(row.organisation.slug, row.organisation.name) for row in editing]
    if Membership.objects.board().filter(space=space, user=actor.user).exists():
        choices.append((COMMUNITY, gettext("the community (as an advisory board member)")))
    return choices


def drafting_organisation(actor: Actor, slug: str) -> Organisation | None:
    """The organisation a new draft names by ``slug``, if ``actor`` may know of it: an
    approved one, or one not yet approved that they edit (as in the organisations API).
    Whether they may draft for it is the service's to say."""
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is not None and (
        organisation.status == Organisation.Status.APPROVED
        or (
            actor.user is not None
            and organisation.editors.filter(user=actor.user, left_at__isnull=True).exists()
        )
    ):
        return organisation
    return None


def organisation_proposals(actor: Actor, organisation: Organisation) -> QuerySet[Proposal]:
    """An organisation's proposals in every space, as ``actor`` may see them: its editors
    see its drafts too."""
    return (
        proposals_visible_to(actor)
        .filter(organisation=organisation)
        .order_by("state", "-created_at", "-pk")
    )


# --- The step indicator -----------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    label: Any
    status: str  # "done", "current" or "upcoming"


_PATH = (
    (Proposal.State.DRAFT, _("Draft")),
    (Proposal.State.ADVISORY_REVIEW, _("Advisory review")),
    (Proposal.State.AWAITING_VOTE, _("Awaiting vote")),
    (Proposal.State.VOTING, _("Voting")),
    ("decided", _("Decided")),
)


def lifecycle_steps(proposal: Proposal) -> list[Step]:
    """The lifecycle as steps, for the indicator on the proposal page. Revision counts as
    a return to advisory review (it ends in a resubmission); a final state is "decided"
    but for a withdrawal, which ends the path wherever it happened."""
    state = proposal.state
    order = [key for key, _label in _PATH]
    if state == Proposal.State.REVISION:
        current = order.index(Proposal.State.ADVISORY_REVIEW)
    elif state in (Proposal.State.ADOPTED, Proposal.State.REJECTED, Proposal.State.FAILED):
        current = order.index("decided")
    elif state == Proposal.State.WITHDRAWN:
        reached = 1 if proposal.first_submitted_at is not None else 0
        steps = [Step(label, "done") for _key, label in _PATH[: reached + 1]]
        return [*steps, Step(_("Withdrawn"), "current")]
    else:
        current = order.index(state)
    steps = []
    counting = proposal.shown_state == Proposal.COUNTING
    for index, (key, label) in enumerate(_PATH):
        if counting and key == Proposal.State.VOTING:
            label = _("Counting")
        if index < current:
            status = "done"
        elif index == current:
            status = "current"
        else:
            status = "upcoming"
        steps.append(Step(label, status))
    return steps


# --- The proposal page ------------------------------------------------------------------------


@dataclass
class ProposalPage:
    proposal: Proposal
    # What the page shows: the current version once submitted, else the private draft.
    content: ProposalContent
    versions: list[ProposalVersion]
    cosigners: list[ProposalCosigner]
    steps: list[Step]
    is_author: bool
    can_edit: bool
    can_submit: bool
    can_cosign: bool
    can_withdraw: bool
    # Asked to co-sign and not yet answered: the page offers co-sign and decline.
    is_asked_to_cosign: bool
    can_invite: bool
    viewer: Actor

    @property
    def is_draft(self) -> bool:
        return self.proposal.current_version_id is None

    @cached_property
    def working_copy(self) -> ProposalDraft | None:
        """The working copy, for the proposal's authors and co-signers only."""
        if rules.test_rule("proposals.view_working_copy", self.viewer, self.proposal):
            return self.proposal.draft
        return None

    @cached_property
    def warnings(self) -> list[FieldFinding] | None:
        """The language check over the working copy, for its authors only."""
        return field_findings(stored_texts(self.proposal.draft)) if self.is_author else None


def proposal_page(actor: Actor, proposal: Proposal) -> ProposalPage:
    """Everything the proposal page shows; ``proposal`` comes from ``visible_proposal``."""
    content: ProposalContent = proposal.current_version or proposal.draft
    editable = proposal.state in Proposal.EDITABLE_STATES
    # The same rule for editing, withdrawing and asking co-signers: asked once, given to
    # each action's guard, so the page offers what the services would allow.
    is_author = rules.test_rule("proposals.edit", actor, proposal)
    cosigners = cosigners_of(proposal)
    is_cosigner = actor.user is not None and any(c.user_id == actor.user.pk for c in cosigners)
    return ProposalPage(
        proposal=proposal,
        content=content,
        versions=list(versions_of(proposal)),
        # Before the first submission, who co-signs is known only to the authors and the
        # co-signers themselves, not to someone merely asked.
        cosigners=cosigners
        if proposal.first_submitted_at is not None or is_author or is_cosigner
        else [],
        steps=lifecycle_steps(proposal),
        is_author=is_author,
        can_edit=edit_refusal(actor=actor, proposal=proposal, authored=is_author) is None,
        can_submit=is_author and editable,
        can_cosign=proposal.state in Proposal.COSIGNABLE_STATES
        and not is_author
        and not is_cosigner
        and rules.test_rule("proposals.cosign", actor, proposal),
        can_withdraw=withdraw_refusal(actor=actor, proposal=proposal, authored=is_author) is None,
        is_asked_to_cosign=not is_author and bool(is_asked_to_cosign(actor, proposal)),
        can_invite=invite_cosigner_refusal(actor=actor, proposal=proposal, authored=is_author)
        is None,
        viewer=actor,
    )


def proposal_authors(proposal: Proposal) -> list[User]:
    """Who speaks for a proposal and is told about it: its organisation's current editors,
    or, for a proposal drafted for the community, the board member who drafted it."""
    if proposal.organisation_id is None:
        return [proposal.created_by] if proposal.created_by_id else []
    return [
        editor.user
        for editor in OrganisationEditor.objects.filter(
            organisation_id=proposal.organisation_id, left_at__isnull=True
        ).select_related("user")
    ]


# --- The confirmation before a submission -----------------------------------------------------


@dataclass(frozen=True)
class SubmissionCheck:
    """What the confirmation step shows before a submission: why it cannot go ahead (or
    None), the number the new version would take, whether it is the first submission
    (the proposal becomes public), and the hash of the working copy being confirmed, so
    a confirmation given for one text never submits another."""

    refusal: DomainError | None
    number: int
    first: bool
    content_hash: str


def submission_check(actor: Actor, proposal: Proposal) -> SubmissionCheck:
    # The services import these selectors (through advisory), so the guard is imported here.
    from proposals.services import submission_refusal

    draft = proposal.draft
    last = proposal.versions.order_by("-number").values_list("number", flat=True).first()
    return SubmissionCheck(
        refusal=submission_refusal(actor=actor, proposal=proposal, draft=draft),
        number=(last or 0) + 1,
        first=proposal.first_submitted_at is None,
        content_hash=content_hash(draft.content()),
    )
