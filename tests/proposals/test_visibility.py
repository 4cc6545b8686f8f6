"""Drafts are private to their authors and co-signers; everything submitted is public."""

from __future__ import annotations

import rules

from accounts.authority import Actor
from proposals import selectors, services
from proposals.models import Proposal
from tests.proposals.conftest import Cast, actor


def _visible(who: Actor, cast: Cast) -> set[int]:
    return set(selectors.proposals_visible_to(who, cast.space).values_list("pk", flat=True))


def test_a_draft_is_invisible_to_people_who_neither_wrote_nor_cosigned_it(
    cast: Cast, draft: Proposal
) -> None:
    assert _visible(Actor.anonymous(), cast) == set()
    assert _visible(actor(cast.dee), cast) == set()
    assert _visible(actor(cast.ngozi), cast) == set()


def test_a_draft_is_visible_to_its_authors_and_cosigners(cast: Cast, draft: Proposal) -> None:
    from tests.factories import OrganisationEditorFactory, UserFactory

    fellow = UserFactory(username="fellow")
    OrganisationEditorFactory(organisation=cast.organisation, user=fellow)
    services.proposal_cosign(actor=actor(cast.marcus), proposal=draft)
    for who in (cast.olu, fellow, cast.marcus):
        assert _visible(actor(who), cast) == {draft.pk}


def test_a_submitted_proposal_is_public_for_ever(cast: Cast, draft: Proposal) -> None:
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    services.proposal_withdraw(actor=actor(cast.olu), proposal=draft, reason="Funded elsewhere")
    assert _visible(Actor.anonymous(), cast) == {draft.pk}
    assert _visible(actor(cast.dee), cast) == {draft.pk}


def test_each_proposal_is_listed_once(cast: Cast, draft: Proposal) -> None:
    services.proposal_cosign(actor=actor(cast.ngozi), proposal=draft)
    services.proposal_cosign(actor=actor(cast.marcus), proposal=draft)
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    assert list(selectors.proposals_visible_to(actor(cast.olu), cast.space)) == [draft]


def test_the_view_rule_and_the_lists_agree_for_everyone(cast: Cast, draft: Proposal) -> None:
    """Asked, co-signing, authoring, declined, submitted: whoever the list shows a
    proposal to, the ``proposals.view`` rule lets see it, and no one else."""
    asked = services.proposal_create_draft(
        actor=actor(cast.olu), space=cast.space, organisation=cast.organisation, title="Asked"
    )
    services.proposal_invite_cosigner(actor=actor(cast.olu), proposal=asked, user=cast.ngozi)
    services.proposal_invite_cosigner(actor=actor(cast.olu), proposal=asked, user=cast.marcus)
    services.proposal_decline_cosign(actor=actor(cast.marcus), proposal=asked)
    cosigned = services.proposal_create_draft(
        actor=actor(cast.olu), space=cast.space, organisation=cast.organisation, title="Signed"
    )
    services.proposal_cosign(actor=actor(cast.ngozi), proposal=cosigned)
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    people = [Actor.anonymous()] + [
        actor(person) for person in (cast.olu, cast.ngozi, cast.marcus, cast.dee, cast.pat)
    ]

    for who in people:
        listed = _visible(who, cast)
        for proposal in (draft, asked, cosigned):
            assert rules.test_rule("proposals.view", who, proposal) == (proposal.pk in listed)
    assert _visible(actor(cast.ngozi), cast) == {draft.pk, asked.pk, cosigned.pk}
    assert _visible(actor(cast.marcus), cast) == {draft.pk}
