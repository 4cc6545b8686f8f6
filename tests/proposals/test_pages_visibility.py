"""A never-submitted draft is answered with 404 on every proposal page for anyone but
its authors and co-signers, so its existence is never confirmed; once submitted it is
public, but the working copy of a revision stays with its authors."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User
from proposals import services
from proposals.models import Proposal
from tests.accounts.support import sign_in
from tests.pages.support import Page
from tests.proposals.conftest import Cast, actor

pytestmark = pytest.mark.django_db

SPACE = "/spaces/city/proposals"


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        sign_in(client, user)
    return client


def _get_pages(pk: int) -> list[str]:
    return [
        f"{SPACE}/{pk}/",
        f"{SPACE}/{pk}/edit/",
        f"{SPACE}/{pk}/versions/1/",
        f"{SPACE}/{pk}/diff/",
        f"{SPACE}/{pk}/diff/?from=1&to=1",
        f"{SPACE}/{pk}/withdraw/",
    ]


def _post_pages(pk: int) -> list[str]:
    return [
        f"{SPACE}/{pk}/preview/",
        f"{SPACE}/{pk}/submit/",
        f"{SPACE}/{pk}/cosign/",
        f"{SPACE}/{pk}/withdraw/",
        f"{SPACE}/{pk}/edit/",
    ]


@pytest.mark.parametrize("who", [None, "dee", "ngozi", "marcus", "pat"])
def test_every_page_of_a_draft_is_not_found_for_people_who_neither_wrote_nor_cosigned_it(
    cast: Cast, draft: Proposal, who: str | None
) -> None:
    client = _client(getattr(cast, who) if who else None)

    for path in _get_pages(draft.pk):
        response = client.get(path)
        # Anonymous people are sent to sign in for the pages that need it; that reveals
        # nothing either, since the same happens for a proposal that does not exist.
        if who is None and response.status_code == 302:
            assert "/accounts/login/" in response["Location"], path
            assert client.get(path.replace(str(draft.pk), "999999")).status_code == 302
            continue
        assert response.status_code == 404, path
    for path in _post_pages(draft.pk):
        response = client.post(path, {"reason": "x", "title": "Taken over"})
        assert response.status_code in (302, 404), path
        if response.status_code == 302:
            assert who is None, path
            assert "/accounts/login/" in response["Location"], path
    draft.refresh_from_db()
    assert draft.state == Proposal.State.DRAFT
    assert draft.draft.title == "Naloxone on the night bus"
    assert not draft.cosigners.exists()


def test_a_draft_is_absent_from_the_list_search_and_the_organisation_page_for_others(
    cast: Cast, draft: Proposal
) -> None:
    for who in (None, cast.dee, cast.ngozi, cast.marcus):
        client = _client(who)
        for path in (
            f"{SPACE}/",
            f"{SPACE}/?q=Naloxone",
            f"{SPACE}/?state=draft",
            f"{SPACE}/?organisation=harbour-outreach",
            f"{SPACE}/?tag=safer_use",
            "/organisations/harbour-outreach/proposals/",
        ):
            response = client.get(path)
            assert response.status_code == 200, path
            body = response.content.decode()
            assert "Naloxone on the night bus" not in body, (who, path)
            assert f"/proposals/{draft.pk}/" not in body, (who, path)


@pytest.mark.parametrize("who", ["olu", "cosigner", "fellow_editor"])
def test_authors_and_cosigners_see_the_draft_on_its_pages_the_list_and_search(
    cast: Cast, draft: Proposal, who: str
) -> None:
    from tests.factories import OrganisationEditorFactory, UserFactory

    if who == "cosigner":
        services.proposal_cosign(actor=actor(cast.marcus), proposal=draft)
        user = cast.marcus
    elif who == "fellow_editor":
        user = UserFactory(username="fellow")
        OrganisationEditorFactory(organisation=cast.organisation, user=user)
    else:
        user = cast.olu
    client = _client(user)

    page = client.get(f"{SPACE}/{draft.pk}/")
    assert page.status_code == 200
    text = Page(page.content.decode()).text
    assert "Naloxone on the night bus" in text
    assert (
        "Private draft — only its authors, its co-signers and the people asked to co-sign "
        "can see it." in text
    )
    for path in (
        f"{SPACE}/",
        f"{SPACE}/?q=night+bus",
        "/organisations/harbour-outreach/proposals/",
    ):
        assert "Naloxone on the night bus" in client.get(path).content.decode(), path


def test_a_cosigner_sees_the_draft_but_cannot_edit_or_preview_it(
    cast: Cast, draft: Proposal
) -> None:
    services.proposal_cosign(actor=actor(cast.marcus), proposal=draft)
    client = _client(cast.marcus)

    assert client.get(f"{SPACE}/{draft.pk}/edit/").status_code == 403
    assert client.post(f"{SPACE}/{draft.pk}/edit/", {"title": "Changed"}).status_code == 403
    assert client.post(f"{SPACE}/{draft.pk}/preview/", {"body": "x"}).status_code == 403
    assert client.get(f"{SPACE}/{draft.pk}/withdraw/").status_code == 403
    draft.refresh_from_db()
    assert draft.draft.title == "Naloxone on the night bus"


def test_a_submitted_proposal_is_public_but_its_revision_text_stays_with_its_authors(
    cast: Cast, draft: Proposal
) -> None:
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    # Stands in for the advisory round, which sends a proposal back for revision.
    Proposal.objects.filter(pk=draft.pk).update(state=Proposal.State.REVISION)
    services.proposal_update_draft(
        actor=actor(cast.olu),
        proposal=draft,
        title="Secret rework of the night bus",
        summary="Unsubmitted wording about mobile vans.",
    )
    anonymous = Client()

    for path in (
        f"{SPACE}/{draft.pk}/",
        f"{SPACE}/{draft.pk}/versions/1/",
        f"{SPACE}/",
        f"{SPACE}/?state=revision",
        "/organisations/harbour-outreach/proposals/",
    ):
        response = anonymous.get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        assert "Naloxone on the night bus" in body, path
        assert "Secret rework" not in body, path
        assert "mobile vans" not in body, path
    # Searching for the unsubmitted words finds nothing; the submitted words still match.
    assert (
        "Naloxone on the night bus" not in anonymous.get(f"{SPACE}/?q=mobile+vans").content.decode()
    )
    assert "Naloxone on the night bus" not in anonymous.get(f"{SPACE}/?q=Secret").content.decode()
    assert "Naloxone on the night bus" in anonymous.get(f"{SPACE}/?q=night+bus").content.decode()
    # A voter cannot open the working copy either.
    assert _client(cast.dee).get(f"{SPACE}/{draft.pk}/edit/").status_code == 403
    assert _client(cast.dee).post(f"{SPACE}/{draft.pk}/preview/", {}).status_code == 403


def test_a_proposal_of_another_space_is_not_found_under_this_space(
    cast: Cast, draft: Proposal
) -> None:
    from tests.factories import DecisionSpaceFactory

    DecisionSpaceFactory(slug="elsewhere")
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)

    assert Client().get(f"{SPACE}/{draft.pk}/").status_code == 200
    assert Client().get(f"/spaces/elsewhere/proposals/{draft.pk}/").status_code == 404
    assert Client().get("/spaces/nowhere/proposals/").status_code == 404
