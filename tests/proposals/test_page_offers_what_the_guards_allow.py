"""The proposal page offers an author's action exactly when its guard would let the
service do it: editing, withdrawing and asking co-signers, in each stage of a proposal."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from proposals import services
from proposals.models import Proposal
from proposals.rules import edit_refusal, invite_cosigner_refusal, withdraw_refusal
from tests.proposals.conftest import Cast, actor

pytestmark = pytest.mark.django_db


def _submitted(cast: Cast, draft: Proposal) -> None:
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)


def _withdrawn(cast: Cast, draft: Proposal) -> None:
    _submitted(cast, draft)
    services.proposal_withdraw(actor=actor(cast.olu), proposal=draft, reason="Funded elsewhere.")


STAGES: dict[str, Callable[[Cast, Proposal], None]] = {
    "a draft": lambda cast, draft: None,
    "in advisory review": _submitted,
    "withdrawn": _withdrawn,
}
ACTIONS = {
    "edit": (edit_refusal, "proposals:edit"),
    "withdraw": (withdraw_refusal, "proposals:withdraw"),
    "ask co-signers": (invite_cosigner_refusal, "proposals:cosign_request"),
}


@pytest.mark.parametrize("stage", STAGES.values(), ids=STAGES.keys())
@pytest.mark.parametrize("action", ACTIONS.values(), ids=ACTIONS.keys())
def test_the_author_is_offered_an_action_only_when_its_guard_allows_it(
    stage: Callable[[Cast, Proposal], None],
    action: tuple[Callable[..., object], str],
    cast: Cast,
    draft: Proposal,
) -> None:
    stage(cast, draft)
    draft.refresh_from_db()
    guard, url_name = action
    client = Client()
    client.force_login(cast.olu)

    page = client.get(draft.get_absolute_url()).content.decode()

    address = reverse(url_name, kwargs={"space_slug": draft.space.slug, "pk": draft.pk})
    assert (f'"{address}"' in page) == (guard(actor=actor(cast.olu), proposal=draft) is None)
