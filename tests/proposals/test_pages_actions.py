"""Submitting, co-signing and withdrawing from the proposal page: each goes through its
service, and a refusal comes back as a message on the page, changing nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from proposals import services
from proposals.models import Proposal, ProposalCosigner, ProposalVersion
from tests.accounts.support import sign_in
from tests.pages.support import Page
from tests.proposals.conftest import Cast, actor

pytestmark = pytest.mark.django_db


def _url(pk: int, action: str = "") -> str:
    return f"/spaces/city/proposals/{pk}/{action + '/' if action else ''}"


def confirm_submission(client: Client, pk: int) -> Any:
    """Open the confirmation step and confirm the working copy it shows."""
    page = Page(client.get(_url(pk, "submit")).content.decode())
    digest = page.find("input", name="content_hash")["value"]
    return client.post(_url(pk, "submit"), {"confirm": "yes", "content_hash": digest}, follow=True)


def _buttons(client: Client, pk: int) -> set[str | None]:
    page = Page(client.get(_url(pk)).content.decode())
    return {attrs.get("action") for attrs in page.find_all("form", method="post")} | {
        attrs.get("href") for attrs in page.find_all("a")
    }


def test_the_page_offers_each_person_only_the_actions_they_may_take(
    cast: Cast, draft: Proposal
) -> None:
    olu = _buttons(sign_in(Client(), cast.olu), draft.pk)
    assert {_url(draft.pk, "edit"), _url(draft.pk, "submit"), _url(draft.pk, "withdraw")} <= olu
    assert _url(draft.pk, "cosign") not in olu

    services.proposal_cosign(actor=actor(cast.ngozi), proposal=draft)
    ngozi = _buttons(sign_in(Client(), cast.ngozi), draft.pk)  # already co-signs
    assert not {_url(draft.pk, a) for a in ("edit", "submit", "withdraw", "cosign")} & ngozi

    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    for who in (None, cast.dee, cast.marcus):
        client = sign_in(Client(), who) if who else Client()
        assert not {_url(draft.pk, a) for a in ("edit", "submit", "withdraw", "cosign")} & _buttons(
            client, draft.pk
        )


def test_submitting_from_the_page_freezes_a_version_and_says_so(
    cast: Cast, draft: Proposal
) -> None:
    client = sign_in(Client(), cast.olu)

    response = confirm_submission(client, draft.pk)

    draft.refresh_from_db()
    assert draft.state == Proposal.State.ADVISORY_REVIEW
    assert draft.current_version is not None
    assert draft.current_version.number == 1
    text = Page(response.content.decode()).text
    assert "Version 1 is submitted and public." in text
    assert "Private draft" not in text


def test_an_incomplete_submission_lists_each_missing_part_with_a_link_to_it(cast: Cast) -> None:
    proposal = services.proposal_create_draft(
        actor=actor(cast.olu), space=cast.space, organisation=cast.organisation, title="Sketch"
    )
    client = sign_in(Client(), cast.olu)

    response = client.post(_url(proposal.pk, "submit"), follow=True)

    page = Page(response.content.decode())
    assert "The proposal cannot be submitted yet." in page.text
    assert "Write a plain-language summary." in page.text
    assert "Choose at least one spectrum tag." in page.text
    links = {attrs["href"] for attrs in page.find_all("a")}
    assert f"{_url(proposal.pk, 'edit')}#id_summary" in links
    assert f"{_url(proposal.pk, 'edit')}#id_outcome_0" in links
    assert not ProposalVersion.objects.exists()


def test_someone_who_is_not_an_author_cannot_submit_and_is_told_why(
    cast: Cast, draft: Proposal
) -> None:
    services.proposal_cosign(actor=actor(cast.marcus), proposal=draft)
    client = sign_in(Client(), cast.marcus)

    response = client.post(_url(draft.pk, "submit"), follow=True)

    assert "Only the proposal's authors can submit it." in Page(response.content.decode()).text
    draft.refresh_from_db()
    assert draft.state == Proposal.State.DRAFT


def test_cosigning_from_the_page_adds_the_person_by_public_name(
    cast: Cast, draft: Proposal
) -> None:
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    # Stands in for the advisory round, which sends a proposal back for revision.
    Proposal.objects.filter(pk=draft.pk).update(state=Proposal.State.REVISION)
    client = sign_in(Client(), cast.marcus)
    assert _url(draft.pk, "cosign") in _buttons(client, draft.pk)

    response = client.post(_url(draft.pk, "cosign"), follow=True)

    assert ProposalCosigner.objects.filter(proposal=draft, user=cast.marcus).exists()
    text = Page(response.content.decode()).text
    assert "You now co-sign this proposal." in text
    assert cast.marcus.public_name in text
    assert cast.marcus.email is not None
    assert cast.marcus.email not in response.content.decode()


def test_a_refused_cosignature_shows_a_message(cast: Cast, draft: Proposal) -> None:
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)  # now in advisory review
    client = sign_in(Client(), cast.marcus)

    response = client.post(_url(draft.pk, "cosign"), follow=True)

    assert (
        "can be co-signed only before it is submitted or during revision"
        in Page(response.content.decode()).text
    )
    assert not ProposalCosigner.objects.exists()
    voter = sign_in(Client(), cast.dee)
    response = voter.post(_url(draft.pk, "cosign"), follow=True)
    assert "can co-sign" in Page(response.content.decode()).text
    assert not ProposalCosigner.objects.exists()


def test_withdrawing_asks_for_a_public_reason_then_withdraws(cast: Cast, draft: Proposal) -> None:
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    client = sign_in(Client(), cast.olu)

    form = Page(client.get(_url(draft.pk, "withdraw")).content.decode())
    assert "required" in form.find("textarea", name="reason")
    assert form.find("label", **{"for": "id_reason"}) is not None
    assert client.post(_url(draft.pk, "withdraw"), {"reason": "  "}).status_code == 400
    draft.refresh_from_db()
    assert draft.state == Proposal.State.ADVISORY_REVIEW

    response = client.post(_url(draft.pk, "withdraw"), {"reason": "Funded elsewhere"}, follow=True)

    draft.refresh_from_db()
    assert draft.state == Proposal.State.WITHDRAWN
    text = Page(response.content.decode()).text
    assert "The proposal is withdrawn." in text
    assert "Withdrawn (current step)" in text


def test_others_cannot_withdraw_and_a_withdrawn_proposal_cannot_be_withdrawn_again(
    cast: Cast, draft: Proposal
) -> None:
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    for person in (cast.dee, cast.marcus, cast.ngozi):
        client = sign_in(Client(), person)
        assert client.get(_url(draft.pk, "withdraw")).status_code == 403
        assert client.post(_url(draft.pk, "withdraw"), {"reason": "x"}).status_code == 403
    draft.refresh_from_db()
    assert draft.state == Proposal.State.ADVISORY_REVIEW

    services.proposal_withdraw(actor=actor(cast.olu), proposal=draft, reason="Done")
    olu = sign_in(Client(), cast.olu)
    response = olu.post(_url(draft.pk, "withdraw"), {"reason": "Again"}, follow=True)
    assert "it cannot be withdrawn" in Page(response.content.decode()).text


def test_the_actions_accept_only_post(cast: Cast, draft: Proposal) -> None:
    client = sign_in(Client(), cast.olu)

    assert client.get(_url(draft.pk, "cosign")).status_code == 405
    assert client.get(_url(draft.pk, "preview")).status_code == 405
    draft.refresh_from_db()
    assert draft.state == Proposal.State.DRAFT
