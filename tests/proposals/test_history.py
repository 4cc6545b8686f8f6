"""Every proposal service appends its event, and the chain still verifies."""

from __future__ import annotations

from history.models import Event
from history.verification import verify
from proposals import services
from proposals.models import Proposal
from tests.history.events import event_data
from tests.proposals.conftest import Cast, actor


def test_the_lifecycle_appends_its_events_and_the_chain_verifies(
    cast: Cast, draft: Proposal
) -> None:
    services.proposal_cosign(actor=actor(cast.marcus), proposal=draft)
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    services.proposal_withdraw(actor=actor(cast.olu), proposal=draft, reason="Funded elsewhere")
    kinds = list(Event.objects.order_by("seq").values_list("kind", flat=True))
    # The private draft left nothing; from the first submission on, everything is public.
    assert kinds == [
        "proposal.submitted",
        "advisory.round_opened",
        "proposal.withdrawn",
        "advisory.round_closed",
    ]
    submitted = Event.objects.get(kind="proposal.submitted")
    assert event_data(submitted)["cosigners"] == [str(cast.marcus.public_id)]
    assert verify().ok


def test_a_private_draft_leaves_no_trace_in_the_public_history(cast: Cast, draft: Proposal) -> None:
    """Drafting, editing, co-signing and withdrawing a never-submitted draft."""
    before = Event.objects.count()
    services.proposal_update_draft(actor=actor(cast.olu), proposal=draft, summary="New words")
    services.proposal_cosign(actor=actor(cast.marcus), proposal=draft)
    services.proposal_withdraw(actor=actor(cast.olu), proposal=draft, reason="Changed our mind")
    assert Event.objects.count() == before
    assert not Event.objects.filter(subject_type="proposals.proposal").exists()
