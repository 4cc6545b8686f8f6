"""Organisations: registered by anyone signed in, pending until site staff approve them,
with editors who keep a record of their time."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.authority import Actor
from core.errors import Conflict
from history.models import Event
from organisations import services
from organisations.models import Organisation, OrganisationEditor
from tests.pages.support import Page
from tests.spaces.conftest import Cast, actor_for, api_client_for, sign_in

pytestmark = pytest.mark.django_db


def test_a_registered_organisation_waits_for_approval_with_its_registrant_as_editor(
    cast: Cast,
) -> None:
    organisation = services.organisation_register(
        actor=actor_for(cast, "member"), name="Harbour Project"
    )

    assert organisation.status == Organisation.Status.PENDING
    assert organisation.slug == "harbour-project"
    assert list(organisation.editors.values_list("user__username", flat=True)) == ["dee"]
    assert Event.objects.filter(kind="organisation.registered").count() == 1


def test_a_pending_organisation_is_not_on_public_pages_until_approved(cast: Cast) -> None:
    assert Client().get("/organisations/outreach/").status_code == 404
    assert "Outreach" not in Client().get("/organisations/").content.decode()

    services.organisation_approve(
        actor=actor_for(cast, "staff_mfa"), organisation=cast.organisation
    )

    assert Client().get("/organisations/outreach/").status_code == 200
    assert "Outreach Collective" in Page(Client().get("/organisations/").content.decode()).text


def test_an_organisation_is_decided_once(cast: Cast) -> None:
    staff = actor_for(cast, "staff_mfa")
    services.organisation_reject(actor=staff, organisation=cast.organisation, reason="Unknown")

    with pytest.raises(Conflict, match="already decided"):
        services.organisation_approve(actor=staff, organisation=cast.organisation)


def test_the_database_refuses_an_approval_without_its_time(cast: Cast) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.filter(pk=cast.organisation.pk).update(status="approved")


def test_the_last_editor_cannot_be_removed(cast: Cast) -> None:
    row = OrganisationEditor.objects.get(user=cast.olu)

    with pytest.raises(Conflict, match="at least one editor"):
        services.organisation_editor_remove(actor=actor_for(cast, "editor"), editor=row)


def test_a_removed_editor_keeps_their_row_and_can_come_back(cast: Cast) -> None:
    services.organisation_approve(
        actor=actor_for(cast, "staff_mfa"), organisation=cast.organisation
    )
    editor = actor_for(cast, "editor")
    newcomer = Actor(user=cast.newcomer)

    _invitation, code = services.editor_invitation_create(
        actor=editor, organisation=cast.organisation
    )
    row = services.editor_invitation_redeem(actor=newcomer, code=code)
    services.organisation_editor_remove(actor=editor, editor=row)
    _invitation, code = services.editor_invitation_create(
        actor=editor, organisation=cast.organisation
    )
    services.editor_invitation_redeem(actor=newcomer, code=code)

    assert OrganisationEditor.objects.filter(user=cast.newcomer).count() == 2


def test_staff_with_a_second_factor_approve_from_the_review_page(cast: Cast) -> None:
    client = Client()
    sign_in(client, cast.sam, mfa=True)

    assert "Outreach Collective" in Page(client.get("/organisations/review/").content.decode()).text
    client.post("/organisations/outreach/approve/")

    cast.organisation.refresh_from_db()
    assert cast.organisation.status == Organisation.Status.APPROVED


def test_staff_without_a_second_factor_cannot_open_the_review_page(cast: Cast) -> None:
    client = Client()
    sign_in(client, cast.sam, mfa=False)

    assert client.get("/organisations/review/").status_code == 403


def test_registering_from_the_page(cast: Cast) -> None:
    client = Client()
    sign_in(client, cast.newcomer, mfa=False)

    response = client.post("/organisations/register/", {"name": "Street Care"})

    assert response.status_code == 302
    assert Organisation.objects.get(slug="street-care").registered_by == cast.newcomer


def test_the_organisation_page_query_count_does_not_grow_with_editors(cast: Cast) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import OrganisationEditorFactory

    services.organisation_approve(
        actor=actor_for(cast, "staff_mfa"), organisation=cast.organisation
    )
    client = Client()
    client.get("/organisations/outreach/")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/organisations/outreach/").status_code == 200
        return len(captured)

    few = queries()
    for _n in range(20):
        OrganisationEditorFactory(organisation=cast.organisation)
    # The organisation, and its current editors with their names.
    assert queries() == few == 2


def _staff_api(cast: Cast, proof: str) -> APIClient:
    client = APIClient()
    if proof == "token":
        _row, token = AuthToken.objects.create(cast.sam)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    else:
        sign_in(client, cast.sam, mfa=proof == "mfa")
    return client


@pytest.mark.parametrize(("proof", "sees"), [("mfa", True), ("no-mfa", False), ("token", False)])
def test_only_staff_who_may_decide_see_a_pending_organisation(
    cast: Cast, proof: str, sees: bool
) -> None:
    """Being staff is not enough: seeing a pending organisation is part of deciding it,
    which needs a second factor and never a personal token."""
    client = _staff_api(cast, proof)

    for path in ("/api/v1/organisations/outreach/", "/api/v1/organisations/outreach/editors/"):
        assert client.get(path).status_code == (200 if sees else 404)
    if proof != "token":
        assert client.get("/organisations/outreach/").status_code == (200 if sees else 404)


def test_a_pending_organisations_editor_still_sees_it(cast: Cast) -> None:
    client = Client()
    sign_in(client, cast.olu, mfa=False)

    assert client.get("/organisations/outreach/").status_code == 200
    assert api_client_for(cast, "editor").get("/api/v1/organisations/outreach/").status_code == 200
