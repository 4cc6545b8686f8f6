"""Site staff can look at proposals in the admin, behind a second factor, and change
nothing there: proposals change only through the services. Even a superuser cannot add,
change or delete a proposal, a version or a co-signer, and never-submitted drafts stay
private."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User
from history.models import Event
from proposals import services
from proposals.models import Proposal, ProposalCosigner, ProposalVersion
from tests.accounts.support import sign_in
from tests.factories import UserFactory
from tests.proposals.conftest import Cast, actor

pytestmark = pytest.mark.django_db

PROPOSALS = "/admin/proposals/proposal/"
VERSIONS = "/admin/proposals/proposalversion/"


@pytest.fixture
def superuser(db: None) -> User:
    """Site staff with every permission Django knows: the admin must still refuse."""
    return UserFactory.create(username="sam", public_name="Sam", is_staff=True, is_superuser=True)


@pytest.fixture
def staff(superuser: User) -> Client:
    return sign_in(Client(), superuser, mfa=True, reauthenticated=True)


@pytest.fixture
def submitted(cast: Cast, draft: Proposal) -> Proposal:
    """Co-signed by Marcus, then submitted by Olu."""
    services.proposal_cosign(actor=actor(cast.marcus), proposal=draft)
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    draft.refresh_from_db()
    return draft


def test_staff_with_a_second_factor_can_open_the_proposal_list_and_change_page(
    staff: Client, cast: Cast, submitted: Proposal
) -> None:
    listing = staff.get(PROPOSALS)
    assert listing.status_code == 200
    assert "Naloxone on the night bus" in listing.content.decode()

    page = staff.get(f"{PROPOSALS}{submitted.pk}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    assert submitted.current_version is not None
    assert submitted.current_version.content_hash in text
    assert cast.marcus.public_name in text  # the co-signer, by public name
    assert f"{VERSIONS}{submitted.current_version.pk}/change/" in text


def test_the_proposal_admin_shows_people_by_public_name_and_never_an_email_address(
    staff: Client, cast: Cast, submitted: Proposal
) -> None:
    text = staff.get(f"{PROPOSALS}{submitted.pk}/change/").content.decode()

    assert cast.olu.public_name in text
    for person in (cast.olu, cast.marcus):
        assert person.email
        assert person.email not in text


def test_staff_without_a_second_factor_cannot_open_the_proposal_admin(
    superuser: User, submitted: Proposal
) -> None:
    client = sign_in(Client(), superuser, mfa=False)

    response = client.get(f"{PROPOSALS}{submitted.pk}/change/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_proposal_list_searches_by_title_and_filters_by_state(
    staff: Client, submitted: Proposal
) -> None:
    title = "Naloxone on the night bus"
    assert title in staff.get(PROPOSALS, {"q": "night bus"}).content.decode()
    assert title not in staff.get(PROPOSALS, {"q": "housing"}).content.decode()
    assert (
        "Naloxone on the night bus"
        not in staff.get(PROPOSALS, {"state__exact": "withdrawn"}).content.decode()
    )


def test_posting_a_changed_state_through_the_admin_changes_nothing(
    staff: Client, cast: Cast, submitted: Proposal
) -> None:
    events = Event.objects.count()

    response = staff.post(
        f"{PROPOSALS}{submitted.pk}/change/",
        {
            "state": "adopted",
            "first_submitted_at_0": "2020-01-01",
            "first_submitted_at_1": "00:00:00",
            "space": cast.space.pk,
            "organisation": cast.other_organisation.pk,
            "created_by": cast.dee.pk,
            "current_version": "",
        },
    )

    assert response.status_code == 403
    stored = Proposal.objects.get(pk=submitted.pk)
    assert stored.state == Proposal.State.ADVISORY_REVIEW
    assert stored.first_submitted_at == submitted.first_submitted_at
    assert stored.current_version_id == submitted.current_version_id
    assert stored.organisation_id == cast.organisation.pk
    assert stored.created_by_id == cast.olu.pk
    assert Event.objects.count() == events


def test_the_proposal_change_page_has_no_editable_field(staff: Client, submitted: Proposal) -> None:
    text = staff.get(f"{PROPOSALS}{submitted.pk}/change/").content.decode()

    for field in (
        "state",
        "current_version",
        "first_submitted_at",
        "space",
        "organisation",
        "created_by",
    ):
        assert f'name="{field}' not in text
    assert 'name="draft-0-title"' not in text
    assert 'name="versions-0-title"' not in text
    assert 'name="_save"' not in text


def test_posting_a_changed_version_title_through_the_admin_changes_nothing(
    staff: Client, submitted: Proposal
) -> None:
    version = ProposalVersion.objects.get(proposal=submitted)

    response = staff.post(
        f"{VERSIONS}{version.pk}/change/",
        {"title": "Something else entirely", "number": 7, "content_hash": "0" * 64},
    )

    assert response.status_code == 403
    stored = ProposalVersion.objects.get(pk=version.pk)
    assert (stored.title, stored.number, stored.content_hash) == (
        "Naloxone on the night bus",
        1,
        version.content_hash,
    )


def test_the_version_page_opens_read_only(staff: Client, submitted: Proposal) -> None:
    version = ProposalVersion.objects.get(proposal=submitted)

    page = staff.get(f"{VERSIONS}{version.pk}/change/")

    assert page.status_code == 200
    text = page.content.decode()
    assert version.content_hash in text
    assert 'name="title"' not in text


def test_the_admin_refuses_to_add_or_delete_versions(staff: Client, submitted: Proposal) -> None:
    version = ProposalVersion.objects.get(proposal=submitted)

    assert staff.get(f"{VERSIONS}add/").status_code == 403
    assert staff.post(f"{VERSIONS}add/", {"title": "Forged"}).status_code == 403
    assert staff.get(f"{VERSIONS}{version.pk}/delete/").status_code == 403
    assert staff.post(f"{VERSIONS}{version.pk}/delete/", {"post": "yes"}).status_code == 403
    assert list(ProposalVersion.objects.values_list("pk", flat=True)) == [version.pk]


def test_the_admin_refuses_to_add_or_delete_proposals(staff: Client, submitted: Proposal) -> None:
    assert staff.get(f"{PROPOSALS}add/").status_code == 403
    assert staff.get(f"{PROPOSALS}{submitted.pk}/delete/").status_code == 403
    assert staff.post(f"{PROPOSALS}{submitted.pk}/delete/", {"post": "yes"}).status_code == 403
    response = staff.post(
        PROPOSALS, {"action": "delete_selected", "_selected_action": [submitted.pk], "post": "yes"}
    )
    assert response.status_code in (200, 302)
    assert Proposal.objects.filter(pk=submitted.pk).exists()


def test_co_signers_cannot_be_added_or_removed_through_the_proposal_admin(
    staff: Client, cast: Cast, submitted: Proposal
) -> None:
    staff.post(
        f"{PROPOSALS}{submitted.pk}/change/",
        {
            "cosigners-TOTAL_FORMS": "2",
            "cosigners-INITIAL_FORMS": "1",
            "cosigners-0-id": ProposalCosigner.objects.get().pk,
            "cosigners-0-DELETE": "on",
            "cosigners-1-user": cast.dee.pk,
        },
    )

    assert list(ProposalCosigner.objects.values_list("user_id", flat=True)) == [cast.marcus.pk]
    page = staff.get(f"{PROPOSALS}{submitted.pk}/change/").content.decode()
    assert 'name="cosigners-0-DELETE"' not in page
    assert 'name="cosigners-__prefix__-user"' not in page


def test_a_never_submitted_draft_is_not_in_the_admin(
    staff: Client, cast: Cast, draft: Proposal
) -> None:
    """Private to its authors and co-signers, site staff included."""
    services.proposal_cosign(actor=actor(cast.marcus), proposal=draft)

    assert "Naloxone on the night bus" not in staff.get(PROPOSALS).content.decode()
    page = staff.get(f"{PROPOSALS}{draft.pk}/change/", follow=True)
    assert "Naloxone on the night bus" not in page.content.decode()
    assert "Naloxone on the night bus" not in staff.get(VERSIONS).content.decode()


def test_an_unsubmitted_revision_stays_the_authors_own_in_the_admin(
    staff: Client, cast: Cast, submitted: Proposal
) -> None:
    services.proposal_update_draft(
        actor=actor(cast.olu), proposal=submitted, summary="A revision nobody has seen yet."
    )
    text = staff.get(f"{PROPOSALS}{submitted.pk}/change/").content.decode()
    assert "A revision nobody has seen yet." not in text
