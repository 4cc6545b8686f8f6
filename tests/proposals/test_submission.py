"""Submitting freezes a version with the hash of its canonical content."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import Conflict, DomainError, NotPermitted
from history import chain
from history.models import Event
from proposals import services
from proposals.models import Proposal, ProposalVersion
from tests.proposals.conftest import COMPLETE, Cast, actor


def _expected_hash(title: str, **overrides: object) -> str:
    content = {**COMPLETE, "title": title, **overrides}
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def test_submitting_freezes_version_1_with_the_hash_of_its_canonical_content(
    cast: Cast, draft: Proposal
) -> None:
    version = services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    draft.refresh_from_db()
    assert version.number == 1
    assert version.content_hash == _expected_hash("Naloxone on the night bus")
    assert draft.state == Proposal.State.ADVISORY_REVIEW
    assert draft.current_version == version
    assert draft.first_submitted_at is not None
    event = Event.objects.get(kind="proposal.submitted")
    assert chain.decode_data(event.content.data) == {
        "space": "city",
        "version": 1,
        "content_hash": version.content_hash,
        "organisation": cast.organisation.slug,
        "cosigners": [],
    }


def test_a_revision_resubmitted_makes_version_2_and_leaves_version_1_unchanged(
    cast: Cast, draft: Proposal
) -> None:
    first = services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    first_submitted_at = Proposal.objects.get(pk=draft.pk).first_submitted_at
    Proposal.objects.filter(pk=draft.pk).update(state=Proposal.State.REVISION)
    services.proposal_update_draft(actor=actor(cast.olu), proposal=draft, title="Naloxone, revised")
    second = services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    draft.refresh_from_db()
    assert second.number == 2
    assert second.content_hash == _expected_hash("Naloxone, revised")
    assert second.content_hash != first.content_hash
    assert draft.current_version == second
    assert draft.first_submitted_at == first_submitted_at
    stored = ProposalVersion.objects.get(pk=first.pk)
    assert stored.title == "Naloxone on the night bus"
    assert stored.content_hash == _expected_hash("Naloxone on the night bus")


def test_an_incomplete_draft_cannot_be_submitted(cast: Cast) -> None:
    proposal = services.proposal_create_draft(
        actor=actor(cast.marcus), space=cast.space, title="Community fridge"
    )
    with pytest.raises(DomainError, match="Write a plain-language summary") as refused:
        services.proposal_submit(actor=actor(cast.marcus), proposal=proposal)
    assert isinstance(refused.value, services.ProposalInvalid)
    assert set(refused.value.fields) == {
        "summary",
        "spectrum_tags",
        "wellbeing_outcomes",
        "risks_and_harms",
    }
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.DRAFT
    assert not ProposalVersion.objects.exists()
    assert not Event.objects.filter(kind="proposal.submitted").exists()


@pytest.mark.parametrize("who", ["marcus", "ngozi", "dee"])
def test_only_authors_submit(cast: Cast, draft: Proposal, who: str) -> None:
    if who == "marcus":
        services.proposal_cosign(actor=actor(cast.marcus), proposal=draft)
    with pytest.raises(NotPermitted, match="Only the proposal's authors can submit it"):
        services.proposal_submit(actor=actor(getattr(cast, who)), proposal=draft)
    assert not ProposalVersion.objects.exists()


def test_resubmitting_unchanged_content_is_refused(cast: Cast, draft: Proposal) -> None:
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    with pytest.raises(Conflict, match="Nothing has changed since version 1"):
        services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    assert ProposalVersion.objects.count() == 1


def test_a_revision_submitted_during_advisory_review_supersedes_the_version_under_review(
    cast: Cast, draft: Proposal
) -> None:
    first = services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    services.proposal_update_draft(actor=actor(cast.olu), proposal=draft, title="Naloxone aboard")
    second = services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    draft.refresh_from_db()
    assert (first.number, second.number) == (1, 2)
    assert draft.current_version == second
    assert draft.state == Proposal.State.ADVISORY_REVIEW
    assert second.content_hash != first.content_hash


def test_the_database_refuses_a_submitted_state_without_a_version(draft: Proposal) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=draft.pk).update(
            state=Proposal.State.ADVISORY_REVIEW, first_submitted_at=timezone.now()
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=draft.pk).update(state=Proposal.State.VOTING)
