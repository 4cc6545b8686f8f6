"""Authors ask people to co-sign a private draft; the person asked can read it, co-sign
or decline, and declining hides the draft from them again."""

from __future__ import annotations

import pytest
import rules
from django.utils import timezone

from core.errors import Conflict, DomainError, NotPermitted
from history.models import Event
from notifications.models import Notification
from proposals import selectors, services
from proposals.models import CosignInvitation, Proposal
from spaces.models import Membership
from tests.proposals.conftest import Cast, actor


def _sees(cast: Cast, who: str, proposal: Proposal) -> bool:
    visible = selectors.proposals_visible_to(actor(getattr(cast, who)), cast.space)
    return visible.filter(pk=proposal.pk).exists()


def test_a_board_member_asked_to_cosign_can_read_the_draft_and_cosign(
    cast: Cast, draft: Proposal
) -> None:
    assert not _sees(cast, "marcus", draft)
    events = Event.objects.count()

    services.proposal_invite_cosigner(actor=actor(cast.olu), proposal=draft, user=cast.marcus)

    assert _sees(cast, "marcus", draft)
    assert not _sees(cast, "dee", draft)
    note = Notification.objects.get(recipient=cast.marcus, kind="proposal.cosign_requested")
    assert draft.draft.title not in note.body  # the e-mail says who asked, not what
    # Its link is the person's own page, which lists the request once they sign in.
    assert f"/spaces/{draft.space.slug}/" not in note.body
    assert note.body.rstrip().endswith("/me/")
    services.proposal_cosign(actor=actor(cast.marcus), proposal=draft)
    assert draft.cosigners.filter(user=cast.marcus).exists()
    # Nothing about a private draft reaches the public history.
    assert Event.objects.count() == events


def test_declining_hides_the_draft_again_and_no_one_is_asked_twice(
    cast: Cast, draft: Proposal
) -> None:
    services.proposal_invite_cosigner(actor=actor(cast.olu), proposal=draft, user=cast.marcus)
    services.proposal_decline_cosign(actor=actor(cast.marcus), proposal=draft)
    assert not _sees(cast, "marcus", draft)
    with pytest.raises(Conflict, match="no open request"):
        services.proposal_decline_cosign(actor=actor(cast.marcus), proposal=draft)

    with pytest.raises(Conflict, match="will not be asked again"):
        services.proposal_invite_cosigner(actor=actor(cast.olu), proposal=draft, user=cast.marcus)
    assert not _sees(cast, "marcus", draft)
    assert Notification.objects.filter(recipient=cast.marcus).count() == 1


def test_an_author_takes_back_a_request_and_the_draft_is_hidden_again(
    cast: Cast, draft: Proposal
) -> None:
    services.proposal_invite_cosigner(actor=actor(cast.olu), proposal=draft, user=cast.marcus)
    with pytest.raises(NotPermitted):
        services.proposal_revoke_cosign_request(
            actor=actor(cast.ngozi), proposal=draft, user=cast.marcus
        )
    services.proposal_revoke_cosign_request(actor=actor(cast.olu), proposal=draft, user=cast.marcus)
    assert not _sees(cast, "marcus", draft)


def test_a_request_lapses_when_the_person_leaves_the_board(cast: Cast, draft: Proposal) -> None:
    services.proposal_invite_cosigner(actor=actor(cast.olu), proposal=draft, user=cast.marcus)
    assert _sees(cast, "marcus", draft)
    Membership.objects.filter(user=cast.marcus).update(left_at=timezone.now())
    assert not _sees(cast, "marcus", draft)
    assert not rules.test_rule("proposals.view", actor(cast.marcus), draft)


def test_a_person_asked_does_not_learn_who_else_cosigns_the_draft(
    cast: Cast, draft: Proposal
) -> None:
    services.proposal_cosign(actor=actor(cast.ngozi), proposal=draft)
    services.proposal_invite_cosigner(actor=actor(cast.olu), proposal=draft, user=cast.marcus)
    assert selectors.proposal_page(actor(cast.marcus), draft).cosigners == []
    assert len(selectors.proposal_page(actor(cast.olu), draft).cosigners) == 1


def test_only_people_who_may_cosign_can_be_asked(cast: Cast, draft: Proposal) -> None:
    for who in ("dee", "olu", "pat"):  # a voter; an author; a pending organisation's editor
        with pytest.raises(DomainError, match="cannot"):
            services.proposal_invite_cosigner(
                actor=actor(cast.olu), proposal=draft, user=getattr(cast, who)
            )
    assert not CosignInvitation.objects.exists()
    assert not _sees(cast, "dee", draft)


def test_only_authors_can_ask(cast: Cast, draft: Proposal) -> None:
    with pytest.raises(NotPermitted, match="Only the proposal's authors"):
        services.proposal_invite_cosigner(actor=actor(cast.ngozi), proposal=draft, user=cast.marcus)
    assert not CosignInvitation.objects.exists()


def test_asking_twice_or_asking_a_cosigner_is_refused(cast: Cast, draft: Proposal) -> None:
    services.proposal_invite_cosigner(actor=actor(cast.olu), proposal=draft, user=cast.marcus)
    with pytest.raises(Conflict, match="already been asked"):
        services.proposal_invite_cosigner(actor=actor(cast.olu), proposal=draft, user=cast.marcus)
    services.proposal_cosign(actor=actor(cast.marcus), proposal=draft)
    with pytest.raises(Conflict, match="already co-signs"):
        services.proposal_invite_cosigner(actor=actor(cast.olu), proposal=draft, user=cast.marcus)


def test_no_one_is_asked_once_a_round_has_frozen_the_board(cast: Cast, draft: Proposal) -> None:
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    with pytest.raises(Conflict, match="before submission or during revision"):
        services.proposal_invite_cosigner(actor=actor(cast.olu), proposal=draft, user=cast.ngozi)
    assert not CosignInvitation.objects.exists()


def test_the_candidates_are_board_members_and_other_editors_not_yet_asked(
    cast: Cast, draft: Proposal
) -> None:
    # Pat edits for an organisation not yet approved: registering one takes no consent.
    assert {person.username for person in selectors.cosign_candidates(draft)} == {
        "marcus",
        "ngozi",
    }
    services.proposal_invite_cosigner(actor=actor(cast.olu), proposal=draft, user=cast.marcus)
    assert "marcus" not in {person.username for person in selectors.cosign_candidates(draft)}
