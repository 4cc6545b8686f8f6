"""Every change to proposals: drafting, co-signing, submitting and withdrawing. Each
service checks the actor's permission (proposals/rules.py), locks the proposal, checks
its state, writes in one transaction and appends its history event last in that same
transaction. A refusal raises a ``core.errors.DomainError`` and changes nothing.

Drafts are private, so their history events carry no content; submission publishes the
version number and its content hash.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import rules
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.authority import Actor
from accounts.models import User
from accounts.selectors import display_name
from core.errors import Conflict, DomainError, Invalid, NotPermitted
from core.links import with_link
from core.rules import require
from core.text import NOTE_MAX_LENGTH, has_control_characters, require_fits
from history.models import ActorRole
from history.services import append
from notifications.services import notify
from organisations.models import Organisation
from proposals import registry
from proposals.models import (
    CONTENT_FIELDS,
    CosignInvitation,
    Proposal,
    ProposalCosigner,
    ProposalDraft,
    ProposalVersion,
    SpectrumTag,
    content_hash,
)
from proposals.outcomes import Withdrawal
from proposals.rules import DraftTarget
from spaces.models import DecisionSpace, Membership

EDITABLE_STATES = Proposal.EDITABLE_STATES
SUBMITTABLE_STATES = Proposal.EDITABLE_STATES
COSIGNABLE_STATES = Proposal.COSIGNABLE_STATES


class ProposalInvalid(Invalid):
    """Content that cannot be saved or submitted."""


def _is_private(proposal: Proposal) -> bool:
    """A draft never submitted is private to its authors and co-signers: what happens to
    it leaves no event in the public history, which would reveal that it exists and who
    supports it. Its first submission records the authors' and co-signers' part."""
    return proposal.first_submitted_at is None


def _lock(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().get(pk=proposal.pk)


def _author_role(proposal: Proposal) -> ActorRole:
    return ActorRole.BOARD_MEMBER if proposal.organisation_id is None else ActorRole.EDITOR


# --- Content validation -----------------------------------------------------------------------


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


# Long enough for any program; short enough that comparing two versions stays quick.
MAX_LENGTH = {"body": 50_000, "summary": 5_000, "people_served": 5_000, "risks_and_harms": 5_000}
MAX_OUTCOMES = 50
MAX_OUTCOME_LENGTH = 500


def _clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Validate and normalise the given content fields; raise ProposalInvalid listing every
    problem. A field given must be valid; completeness is checked at submission."""
    unknown = sorted(set(fields) - set(CONTENT_FIELDS))
    if unknown:
        raise ProposalInvalid(
            {unknown[0]: [_("%(name)s is not a proposal field.") % {"name": unknown[0]}]}
        )
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
        value = _text(fields[name])
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
                if not isinstance(item, dict) or not _text(item.get("outcome")):
                    problem = _("Each well-being outcome needs a description.")
                    break
                if has_control_characters(f"{item.get('outcome')}{item.get('measure') or ''}"):
                    problem = _("Remove the control characters from the well-being outcomes.")
                    break
                if max(len(_text(item.get("outcome"))), len(_text(item.get("measure")))) > (
                    MAX_OUTCOME_LENGTH
                ):
                    problem = _(
                        "Keep each outcome and each measure to %(limit)s characters or fewer."
                    ) % {"limit": MAX_OUTCOME_LENGTH}
                    break
                if not _text(item.get("measure")):
                    problem = _("Say how the outcome “%(outcome)s” will be measured.") % {
                        "outcome": _text(item.get("outcome"))
                    }
                    break
                cleaned.append(
                    {"outcome": _text(item["outcome"]), "measure": _text(item["measure"])}
                )
        if problem:
            errors["wellbeing_outcomes"] = [problem]
        else:
            clean["wellbeing_outcomes"] = cleaned
    if "cost" in fields:
        cost = fields["cost"]
        if cost is None or cost == "":
            clean["cost"] = None
        else:
            try:
                amount = Decimal(str(cost)).quantize(Decimal("0.01"))
            except (InvalidOperation, ValueError):
                errors["cost"] = [_("Give the cost as an amount, such as 12500.00.")]
            else:
                if not amount.is_finite() or amount < 0 or amount.adjusted() >= 12:
                    errors["cost"] = [_("Give a cost of zero or more, below a trillion.")]
                else:
                    clean["cost"] = amount
    if "review_date" in fields:
        review = fields["review_date"]
        if review is None or review == "":
            clean["review_date"] = None
        elif isinstance(review, datetime.datetime):
            errors["review_date"] = [_("Give the review date as a date, without a time.")]
        elif isinstance(review, datetime.date):
            clean["review_date"] = review
        else:
            try:
                clean["review_date"] = datetime.date.fromisoformat(str(review))
            except ValueError:
                errors["review_date"] = [_("Give the review date as YYYY-MM-DD.")]
    if errors:
        raise ProposalInvalid(errors)
    return clean


def _check_complete(draft: ProposalDraft) -> None:
    """Everything a submission needs: the validation of every required field at once."""
    _clean_fields(
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


# --- Services ---------------------------------------------------------------------------------


@transaction.atomic
def proposal_create_draft(
    *,
    actor: Actor,
    space: DecisionSpace,
    title: str,
    organisation: Organisation | None = None,
) -> Proposal:
    """Start a private draft in a space, with an empty working copy but for its title.

    For an organisation: its current editors, once it is approved. For the community (no
    organisation): current board members of the space. Drafting needs no powers.
    """
    require(
        "proposals.create_draft",
        actor,
        DraftTarget(space=space, organisation=organisation),
        message=_(
            "Only current editors of an approved organisation, or advisory board members "
            "of this space, can draft a proposal here."
        )
        if organisation is None
        else _("Only current editors of this organisation can draft for it, once it is approved."),
    )
    assert actor.user is not None  # the rule requires a signed-in person
    clean = _clean_fields({"title": title})
    proposal = Proposal.objects.create(
        space=space, organisation=organisation, created_by=actor.user
    )
    ProposalDraft.objects.create(proposal=proposal, title=clean["title"])
    # No history event: a new draft is private (see _is_private).
    return proposal


@transaction.atomic
def proposal_update_draft(*, actor: Actor, proposal: Proposal, **fields: Any) -> ProposalDraft:
    """Change the working copy (authors only, in draft, advisory review or revision).

    Each field given must be valid; what is not given stays as it was. Submitted versions
    are never touched: the change reaches the public only at the next submission.
    """
    require(
        "proposals.edit",
        actor,
        proposal,
        message=_("Only the proposal's authors can edit it; co-signers support it."),
    )
    locked = _lock(proposal)
    if locked.state not in EDITABLE_STATES:
        raise Conflict(
            _(
                "A proposal can be edited only before a round has passed it: in draft, "
                "in advisory review or in revision. This one is %(state)s."
            )
            % {"state": locked.get_shown_state_display()}
        )
    clean = _clean_fields(fields)
    draft = ProposalDraft.objects.select_for_update().get(proposal=locked)
    for name, value in clean.items():
        setattr(draft, name, value)
    draft.updated_at = timezone.now()
    draft.save(update_fields=[*clean, "updated_at"])
    if _is_private(locked):
        return draft
    append(
        kind="proposal.draft_updated",
        actor=actor.user,
        actor_role=_author_role(locked),
        subject=locked,
        data={"fields": sorted(clean)},
    )
    return draft


@transaction.atomic
def proposal_cosign(*, actor: Actor, proposal: Proposal) -> ProposalCosigner:
    """Co-sign a proposal: board members of its space and editors of other organisations,
    before its first submission or during revision. Once per person."""
    require(
        "proposals.cosign",
        actor,
        proposal,
        message=_(
            "Advisory board members of this space and editors of other organisations can "
            "co-sign; authors cannot co-sign their own proposal."
        ),
    )
    assert actor.user is not None
    locked = _lock(proposal)
    if locked.state not in COSIGNABLE_STATES:
        raise Conflict(
            _("A proposal can be co-signed only before it is submitted or during revision.")
        )
    if ProposalCosigner.objects.filter(proposal=locked, user=actor.user).exists():
        raise Conflict(_("You already co-sign this proposal."))
    try:
        with transaction.atomic():
            cosigner = ProposalCosigner.objects.create(proposal=locked, user=actor.user)
    except IntegrityError:
        raise Conflict(_("You already co-sign this proposal.")) from None
    if _is_private(locked):
        return cosigner
    on_board = Membership.objects.board().filter(space_id=locked.space_id, user=actor.user).exists()
    append(
        kind="proposal.cosigned",
        actor=actor.user,
        actor_role=ActorRole.BOARD_MEMBER if on_board else ActorRole.EDITOR,
        subject=locked,
        data={},
    )
    return cosigner


@transaction.atomic
def proposal_invite_cosigner(*, actor: Actor, proposal: Proposal, user: User) -> CosignInvitation:
    """Ask one person to co-sign (authors only, while co-signing is open). The person must
    be someone who may co-sign: a board member of the space or an editor of another
    organisation. A private draft becomes visible to them until they decline; they are
    told by e-mail, and nothing is public (the co-signature itself is, from submission).
    Nobody is asked twice about the same proposal."""
    require(
        "proposals.edit",
        actor,
        proposal,
        message=_("Only the proposal's authors can ask people to co-sign it."),
    )
    assert actor.user is not None
    locked = _lock(proposal)
    if locked.state not in COSIGNABLE_STATES:
        raise Conflict(
            _("People can be asked to co-sign only before submission or during revision.")
        )
    invitee = Actor(user=user)
    if not user.is_active or not rules.test_rule("proposals.cosign", invitee, locked):
        raise Invalid(
            {
                "person": [
                    _(
                        "Only advisory board members of this space and editors of other "
                        "organisations can co-sign; %(name)s cannot."
                    )
                    % {"name": display_name(user)}
                ]
            }
        )
    if ProposalCosigner.objects.filter(proposal=locked, user=user).exists():
        raise Conflict(_("%(name)s already co-signs this proposal.") % {"name": display_name(user)})
    existing = (
        CosignInvitation.objects.select_for_update().filter(proposal=locked, user=user).first()
    )
    if existing is not None and existing.declined_at is None:
        raise Conflict(
            _("%(name)s has already been asked to co-sign.") % {"name": display_name(user)}
        )
    if existing is not None:
        # No is an answer: nobody is asked twice about the same proposal.
        raise Conflict(
            _("%(name)s was asked before and will not be asked again about this proposal.")
            % {"name": display_name(user)}
        )
    invitation = CosignInvitation.objects.create(
        proposal=locked, user=user, invited_by=actor.user, created_at=timezone.now()
    )
    # Says nothing of the proposal or who asked: others may read the person's e-mail, and
    # the outbox is readable by site staff, who must not learn of a private draft.
    notify(
        recipient=user,
        kind="proposal.cosign_requested",
        body=lambda: with_link(
            _(
                "Someone asked you to co-sign a proposal on Real Voice. Sign in to read it and "
                "decide: your page lists the requests waiting for you."
            ),
            # The person's own page, not the draft's: the link names no space and no
            # proposal, and after signing in it lists the request.
            reverse("pages:me"),
        ),
    )
    return invitation


@transaction.atomic
def proposal_revoke_cosign_request(
    *, actor: Actor, proposal: Proposal, user: User
) -> CosignInvitation:
    """Take back an unanswered request to co-sign (authors only). A private draft is
    hidden from the person again; the row stays, as declined, so they are not asked
    again by mistake."""
    require(
        "proposals.edit",
        actor,
        proposal,
        message=_("Only the proposal's authors can take back a request to co-sign."),
    )
    locked = _lock(proposal)
    invitation = (
        CosignInvitation.objects.select_for_update()
        .filter(proposal=locked, user=user, declined_at__isnull=True)
        .first()
    )
    if invitation is None or ProposalCosigner.objects.filter(proposal=locked, user=user).exists():
        raise Conflict(_("There is no open request to take back."))
    invitation.declined_at = timezone.now()
    invitation.save(update_fields=["declined_at"])
    return invitation


@transaction.atomic
def proposal_decline_cosign(*, actor: Actor, proposal: Proposal) -> CosignInvitation:
    """Turn down a request to co-sign. A private draft is hidden from the person again."""
    if actor.user is None:
        raise NotPermitted(_("Sign in to answer a request to co-sign."))
    locked = _lock(proposal)
    invitation = (
        CosignInvitation.objects.select_for_update()
        .filter(proposal=locked, user=actor.user, declined_at__isnull=True)
        .first()
    )
    if (
        invitation is None
        or ProposalCosigner.objects.filter(proposal=locked, user=actor.user).exists()
    ):
        raise Conflict(_("There is no open request for you to co-sign this proposal."))
    invitation.declined_at = timezone.now()
    invitation.save(update_fields=["declined_at"])
    return invitation


def submission_refusal(
    *, actor: Actor, proposal: Proposal, draft: ProposalDraft | None = None
) -> DomainError | None:
    """Why ``actor`` cannot submit ``proposal``'s working copy now, or None. The one guard
    of a submission: the service raises it (under its lock), and the confirmation step of
    the pages and the API shows it before anyone is asked to confirm."""
    if not rules.test_rule("proposals.submit", actor, proposal):
        if actor.is_anonymous:
            return NotPermitted(_("Sign in first."))
        return NotPermitted(_("Only the proposal's authors can submit it."))
    if proposal.state not in SUBMITTABLE_STATES:
        return Conflict(
            _(
                "A proposal can be submitted only from draft, advisory review or revision; "
                "this one is %(state)s."
            )
            % {"state": proposal.get_shown_state_display()}
        )
    draft = draft or proposal.draft
    try:
        _check_complete(draft)
    except ProposalInvalid as error:
        return error
    current = proposal.current_version
    if current is not None and current.content_hash == content_hash(draft.content()):
        return Conflict(
            _(
                "Nothing has changed since version %(number)s. Edit the proposal before "
                "submitting it again."
            )
            % {"number": current.number}
        )
    return None


@transaction.atomic
def proposal_submit(
    *, actor: Actor, proposal: Proposal, confirmed_hash: str | None = None
) -> ProposalVersion:
    """Submit the working copy for advisory review (authors only, from draft, advisory
    review or revision). Submitting during advisory review supersedes the version under
    review: every change of text is a new version and needs a round of its own.

    Guarantees: the content is complete; a new immutable version is frozen with the next
    number and the SHA-256 of its canonical content; the proposal points at it, is public
    from its first submission on, and is in advisory review, with a round opened for
    this version (a round still open for an earlier one is closed as superseded).

    The service asks for no confirmation: that the author saw the language check's
    warnings and knows the version becomes public for good is the pages' and the API's
    step before they call it (``submission_refusal`` tells them whether it can go ahead).
    With ``confirmed_hash`` (the content hash of the working copy the author confirmed),
    the working copy is compared with it under the draft's lock, so a co-author's edit in
    between is never made public unseen.
    """
    require(
        "proposals.submit",
        actor,
        proposal,
        message=_("Only the proposal's authors can submit it."),
    )
    assert actor.user is not None
    locked = _lock(proposal)
    draft = ProposalDraft.objects.select_for_update().get(proposal=locked)
    refusal = submission_refusal(actor=actor, proposal=locked, draft=draft)
    if refusal is not None:
        raise refusal
    content = draft.content()
    if confirmed_hash is not None and confirmed_hash != content_hash(content):
        raise Conflict(
            _(
                "The working copy changed after you confirmed it. Read it and its warnings "
                "again before you submit."
            )
        )
    last = locked.versions.order_by("-number").values_list("number", flat=True).first()
    now = timezone.now()
    version = ProposalVersion.objects.create(
        proposal=locked,
        number=(last or 0) + 1,
        content_hash=content_hash(content),
        submitted_by=actor.user,
        submitted_at=now,
        **content,
    )
    locked.current_version = version
    locked.state = Proposal.State.ADVISORY_REVIEW
    update_fields = ["current_version", "state"]
    data: dict[str, Any] = {
        "space": locked.space.slug,
        "version": version.number,
        "content_hash": version.content_hash,
    }
    if locked.first_submitted_at is None:
        # Public from now on, with who stands behind it: the draft left no events.
        locked.first_submitted_at = now
        update_fields.append("first_submitted_at")
        data["organisation"] = locked.organisation.slug if locked.organisation else None
        data["cosigners"] = sorted(
            str(public_id)
            for public_id in locked.cosigners.values_list("user__public_id", flat=True)
        )
    locked.save(update_fields=update_fields)
    append(
        kind="proposal.submitted",
        actor=actor.user,
        actor_role=_author_role(locked),
        subject=locked,
        data=data,
    )
    # Every submitted version goes to the board: advisory opens its round here, in this
    # transaction (proposals.registry.on_submitted).
    for started in registry.on_submitted.entries():
        started(proposal=locked, version=version)
    proposal.refresh_from_db()
    return version


@transaction.atomic
def proposal_withdraw(*, actor: Actor, proposal: Proposal, reason: str) -> Withdrawal:
    """Withdraw a proposal (authors only, with a public reason) from any state before a
    final one. Withdrawn is final; its submitted versions stay public. Reports what the
    withdrawal ended: an open round, an open vote (counted now), a scheduled vote."""
    require(
        "proposals.withdraw",
        actor,
        proposal,
        message=_("Only the proposal's authors can withdraw it."),
    )
    reason = _text(reason)
    if not reason:
        raise Invalid({"reason": [_("Give a reason for withdrawing the proposal.")]})
    require_fits(reason=(reason, NOTE_MAX_LENGTH))
    locked = _lock(proposal)
    if locked.is_final:
        raise Conflict(
            _("This proposal is already %(state)s; it cannot be withdrawn.")
            % {"state": locked.get_shown_state_display()}
        )
    previous = locked.state
    locked.state = Proposal.State.WITHDRAWN
    locked.save(update_fields=["state"])
    # A private draft had nothing under way to end.
    round_ended = vote_counted = vote_cancelled = False
    if not _is_private(locked):
        append(
            kind="proposal.withdrawn",
            actor=actor.user,
            actor_role=_author_role(locked),
            subject=locked,
            data={"from_state": previous, "reason": reason},
        )
        # The round, then the vote (proposals.registry.on_withdrawn), in this transaction.
        ended = [end(proposal=locked) for end in registry.on_withdrawn.entries()]
        round_ended = any(part.round_ended for part in ended)
        vote_counted = any(part.vote_counted for part in ended)
        vote_cancelled = any(part.vote_cancelled for part in ended)
    proposal.refresh_from_db()
    return Withdrawal(
        proposal=locked,
        round_ended=round_ended,
        vote_counted=vote_counted,
        vote_cancelled=vote_cancelled,
    )
