"""Submitting the working copy: its guard, asked again by the confirmation step of the
pages and the API, and the service that freezes a new version."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.authority import Actor
from core.errors import Conflict, DomainError
from core.guards import guard, refuse_if
from history.services import append
from proposals import registry
from proposals.models import Proposal, ProposalDraft, ProposalVersion, content_hash
from proposals.rules import refused
from proposals.services.base import SUBMITTABLE_STATES, author_role, lock
from proposals.services.content import ProposalInvalid, check_complete


@guard("proposals.submit")
def submission_refusal(
    *, actor: Actor, proposal: Proposal, draft: ProposalDraft | None = None
) -> DomainError | None:
    """Why ``actor`` cannot submit ``proposal``'s working copy now, or None. The one guard
    of a submission: the service raises it (under its lock), and the confirmation step of
    the pages and the API shows it before anyone is asked to confirm."""
    refusal = refused(
        "proposals.submit", actor, proposal, _("Only the proposal's authors can submit it.")
    )
    if refusal is not None:
        return refusal
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
        check_complete(draft)
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
    locked = lock(proposal)
    draft = ProposalDraft.objects.select_for_update().get(proposal=locked)
    refuse_if(submission_refusal(actor=actor, proposal=locked, draft=draft))
    assert actor.user is not None  # the guard requires a signed-in author
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
        actor_role=author_role(locked),
        subject=locked,
        data=data,
    )
    # Every submitted version goes to the board: advisory opens its round here, in this
    # transaction (proposals.registry.on_submitted).
    for started in registry.on_submitted.entries():
        started(proposal=locked, version=version)
    proposal.refresh_from_db()
    return version
