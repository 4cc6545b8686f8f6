"""A space's proposal list: filters and search in a plain GET form, pages of 25, and a
way in to drafting for those who may; and the form that starts a draft."""

from __future__ import annotations

import pytest
from django.test import Client

from organisations.models import Organisation
from proposals import services
from proposals.models import Proposal
from tests.accounts.support import sign_in
from tests.factories import OrganisationEditorFactory, ProposalDraftFactory, ProposalFactory
from tests.pages.support import Page
from tests.proposals.conftest import COMPLETE, Cast, actor

pytestmark = pytest.mark.django_db

LIST = "/spaces/city/proposals/"


def _submitted(cast: Cast, title: str, **content: object) -> Proposal:
    """A proposal submitted by Olu's organisation (or Ngozi's, with ``by_ngozi``)."""
    by_ngozi = content.pop("by_ngozi", False)
    author = cast.ngozi if by_ngozi else cast.olu
    organisation = cast.other_organisation if by_ngozi else cast.organisation
    proposal = services.proposal_create_draft(
        actor=actor(author), space=cast.space, organisation=organisation, title=title
    )
    services.proposal_update_draft(
        actor=actor(author), proposal=proposal, **{**COMPLETE, **content}
    )
    services.proposal_submit(actor=actor(author), proposal=proposal)
    return proposal


def _titles(response_html: str) -> list[str]:
    page = Page(response_html)
    return [
        text
        for text in page.text_parts
        if text in {"Naloxone vans", "Housing first", "Drug checking", "Peer support"}
    ]


def test_each_row_shows_title_organisation_state_tags_and_version(cast: Cast) -> None:
    _submitted(cast, "Naloxone vans")

    text = Page(Client().get(LIST).content.decode()).text

    assert "Naloxone vans" in text
    assert cast.organisation.name in text
    assert "In advisory review" in text
    assert "safer use, health" in text
    assert "version 1" in text


def test_a_community_proposal_says_it_is_for_the_community(cast: Cast) -> None:
    proposal = services.proposal_create_draft(
        actor=actor(cast.marcus), space=cast.space, title="Peer support"
    )
    services.proposal_update_draft(actor=actor(cast.marcus), proposal=proposal, **COMPLETE)
    services.proposal_submit(actor=actor(cast.marcus), proposal=proposal)

    assert "for the community" in Page(Client().get(LIST).content.decode()).text


def test_filters_by_state_tag_and_organisation_and_search(cast: Cast) -> None:
    _submitted(cast, "Naloxone vans")
    _submitted(cast, "Housing first", spectrum_tags=["housing"], by_ngozi=True)
    checking = _submitted(cast, "Drug checking", summary="Testing substances for fentanyl.")
    services.proposal_withdraw(actor=actor(cast.olu), proposal=checking, reason="Merged")
    client = Client()

    assert set(_titles(client.get(LIST).content.decode())) == {
        "Naloxone vans",
        "Housing first",
        "Drug checking",
    }
    assert _titles(client.get(LIST, {"state": "withdrawn"}).content.decode()) == ["Drug checking"]
    assert _titles(client.get(LIST, {"tag": "housing"}).content.decode()) == ["Housing first"]
    assert set(
        _titles(client.get(LIST, {"organisation": "harbour-outreach"}).content.decode())
    ) == {"Naloxone vans", "Drug checking"}
    assert _titles(client.get(LIST, {"q": "fentanyl"}).content.decode()) == ["Drug checking"]
    assert (
        _titles(client.get(LIST, {"q": "fentanyl", "state": "advisory_review"}).content.decode())
        == []
    )
    assert (
        "No proposal matches these filters."
        in Page(client.get(LIST, {"q": "nothing like this"}).content.decode()).text
    )


def test_the_filter_form_has_a_label_for_every_control_and_keeps_the_choice(cast: Cast) -> None:
    page = Page(Client().get(LIST, {"state": "revision", "q": "vans"}).content.decode())

    form = page.find("form", role="search")
    assert form["method"] == "get"
    labelled = {attrs["for"] for attrs in page.find_all("label")}
    assert {"id_q", "id_state", "id_tag", "id_organisation"} <= labelled
    assert "selected" in page.find("option", value="revision")
    assert "selected" not in page.find("option", value="draft")
    assert page.find("input", name="q")["value"] == "vans"


def test_an_unknown_filter_value_is_shown_as_an_error_not_a_crash(cast: Cast) -> None:
    _submitted(cast, "Naloxone vans")

    response = Client().get(LIST, {"state": "bogus", "tag": "nope"})

    assert response.status_code == 200
    assert "Select a valid choice." in Page(response.content.decode()).text
    assert _titles(response.content.decode()) == ["Naloxone vans"]


def test_the_list_is_paginated_by_25_and_keeps_the_filters(cast: Cast) -> None:
    for number in range(30):
        proposal = ProposalFactory(space=cast.space, created_by=cast.olu)
        ProposalDraftFactory(proposal=proposal, title=f"Bulk {number}")
    # They are drafts: Olu, who created them, sees them all.
    client = sign_in(Client(), cast.olu)

    first = Page(client.get(LIST, {"q": "Bulk"}).content.decode())
    second = Page(client.get(LIST, {"q": "Bulk", "page": "2"}).content.decode())

    assert sum(text.startswith("Bulk ") for text in first.text_parts) == 25
    assert sum(text.startswith("Bulk ") for text in second.text_parts) == 5
    assert "30 proposals" in first.text
    assert first.find("a", rel="next")["href"] == "?q=Bulk&page=2"
    assert "Page 2 of 2" in second.text


def test_the_draft_link_shows_only_for_people_who_may_draft(cast: Cast) -> None:
    def has_link(client: Client) -> bool:
        return "/spaces/city/proposals/new/" in client.get(LIST).content.decode()

    assert not has_link(Client())
    assert not has_link(sign_in(Client(), cast.dee))
    assert not has_link(sign_in(Client(), cast.pat))  # their organisation is not approved
    assert has_link(sign_in(Client(), cast.olu))
    assert has_link(sign_in(Client(), cast.marcus))  # for the community


def test_the_create_form_offers_the_approved_organisations_and_the_community(
    cast: Cast,
) -> None:
    OrganisationEditorFactory(organisation=cast.pending_organisation, user=cast.marcus)
    OrganisationEditorFactory(organisation=cast.other_organisation, user=cast.marcus)
    client = sign_in(Client(), cast.marcus)

    page = Page(client.get(f"{LIST}new/").content.decode())

    options = [attrs["value"] for attrs in page.find_all("option")]
    assert options == ["northside-housing", "community"]
    assert page.find("label", **{"for": "id_on_behalf_of"}) is not None


def test_creating_a_draft_goes_through_the_service_and_on_to_the_edit_form(cast: Cast) -> None:
    client = sign_in(Client(), cast.olu)

    response = client.post(
        f"{LIST}new/", {"title": "Night shelter", "on_behalf_of": "harbour-outreach"}
    )

    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}{proposal.pk}/edit/"
    assert proposal.organisation == cast.organisation
    assert proposal.draft.title == "Night shelter"
    assert proposal.state == Proposal.State.DRAFT


def test_a_board_member_drafts_for_the_community(cast: Cast) -> None:
    client = sign_in(Client(), cast.marcus)

    client.post(f"{LIST}new/", {"title": "Peer support", "on_behalf_of": "community"})

    assert Proposal.objects.get().organisation is None


def test_the_create_form_refuses_people_who_may_not_draft(cast: Cast) -> None:
    for person in (cast.dee, cast.pat):
        client = sign_in(Client(), person)
        assert client.get(f"{LIST}new/").status_code == 403
        assert (
            client.post(
                f"{LIST}new/", {"title": "X", "on_behalf_of": "pending-collective"}
            ).status_code
            == 403
        )
    assert Client().get(f"{LIST}new/").status_code == 302  # to sign in
    olu = sign_in(Client(), cast.olu)
    response = olu.post(f"{LIST}new/", {"title": "X", "on_behalf_of": "northside-housing"})
    assert response.status_code == 400  # not one of Olu's organisations
    assert not Proposal.objects.exists()
    assert Organisation.objects.count() == 3


def test_the_list_points_feed_readers_to_the_spaces_feed(cast: Cast) -> None:
    page = Page(Client().get(LIST).content.decode())

    assert page.find("link", rel="alternate")["href"] == "/spaces/city/proposals/feed/"
    assert page.find("a", href="/spaces/city/proposals/feed/") is not None
