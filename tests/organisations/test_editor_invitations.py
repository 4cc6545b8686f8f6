"""Editors join by consent: an editor of an approved organisation makes a one-time code,
and the invitee redeems it while signed in. Nobody is made an editor by their sign-in name,
and nobody can learn whether a sign-in name exists through the organisation pages or API."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from accounts.authority import Actor
from core import onetime
from core.errors import Conflict, DomainError, NotPermitted
from history.models import Event
from organisations import services
from organisations.models import EditorInvitation, Organisation, OrganisationEditor
from tests.history.events import event_data
from tests.pages.support import Page
from tests.spaces.conftest import Cast, actor_for, api_client_for, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(cast: Cast) -> Cast:
    services.organisation_approve(
        actor=actor_for(cast, "staff_mfa"), organisation=cast.organisation
    )
    cast.organisation.refresh_from_db()
    return cast


def _code(cast: Cast) -> str:
    _invitation, code = services.editor_invitation_create(
        actor=actor_for(cast, "editor"), organisation=cast.organisation
    )
    return code


def test_a_code_is_stored_only_as_a_hash_and_makes_the_redeemer_an_editor_once(
    approved: Cast,
) -> None:
    invitation, code = services.editor_invitation_create(
        actor=actor_for(approved, "editor"), organisation=approved.organisation
    )
    normalised = code.replace("-", "")
    assert len(normalised) == onetime.CODE_LENGTH
    assert not EditorInvitation.objects.filter(secret_hash__icontains=normalised).exists()
    assert hashlib.sha256(normalised.encode()).hexdigest() != invitation.secret_hash

    row = services.editor_invitation_redeem(
        actor=Actor(user=approved.newcomer), code=code.lower().replace("-", " ")
    )

    assert (row.organisation, row.user, row.added_by) == (
        approved.organisation,
        approved.newcomer,
        approved.olu,
    )
    invitation.refresh_from_db()
    assert (invitation.used_by, invitation.editor) == (approved.newcomer, row)
    event = Event.objects.get(kind="organisation.editor_added")
    assert event.actor_id == str(approved.newcomer.public_id)
    assert event_data(event)["editor"] == str(approved.newcomer.public_id)
    with pytest.raises(DomainError, match="already been used"):
        services.editor_invitation_redeem(actor=Actor(user=approved.marcus), code=code)
    assert not OrganisationEditor.objects.filter(user=approved.marcus).exists()


def test_an_expired_code_is_refused(approved: Cast) -> None:
    code = _code(approved)
    later = timezone.now() + timedelta(days=services.EDITOR_INVITATION_DAYS, minutes=1)

    with time_machine.travel(later), pytest.raises(DomainError, match="expired"):
        services.editor_invitation_redeem(actor=Actor(user=approved.newcomer), code=code)
    assert not OrganisationEditor.objects.filter(user=approved.newcomer).exists()


@pytest.mark.parametrize("status", ["pending", "rejected"])
def test_only_the_editors_of_an_approved_organisation_invite(cast: Cast, status: str) -> None:
    Organisation.objects.filter(pk=cast.organisation.pk).update(status=status)

    with pytest.raises(NotPermitted, match="approved organisation"):
        services.editor_invitation_create(
            actor=actor_for(cast, "editor"), organisation=cast.organisation
        )
    assert not EditorInvitation.objects.exists()


def test_a_code_stops_working_when_its_inviter_no_longer_edits(approved: Cast) -> None:
    code = _code(approved)
    other = OrganisationEditor.objects.create(organisation=approved.organisation, user=approved.dee)
    services.organisation_editor_remove(
        actor=Actor(user=approved.dee), editor=OrganisationEditor.objects.get(user=approved.olu)
    )

    with pytest.raises(Conflict, match="no longer valid"):
        services.editor_invitation_redeem(actor=Actor(user=approved.newcomer), code=code)
    assert list(approved.organisation.editors.filter(left_at=None)) == [other]


def test_signing_in_is_needed_to_redeem(approved: Cast) -> None:
    code = _code(approved)

    with pytest.raises(NotPermitted):
        services.editor_invitation_redeem(actor=Actor.anonymous(), code=code)
    response = Client().post("/organisations/editor-invitations/", {"code": code})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    api = api_client_for(approved, "anonymous").post(
        "/api/v1/organisations/editor-invitations/redeem/", {"code": code}, format="json"
    )
    assert api.status_code in (401, 403)
    assert OrganisationEditor.objects.filter(organisation=approved.organisation).count() == 1


def test_the_editor_api_no_longer_adds_anyone_by_sign_in_name(approved: Cast) -> None:
    """The old path revealed whether a private sign-in name exists and its public name, and
    made the person an editor without asking them."""
    client = api_client_for(approved, "editor")

    response = client.post(
        "/api/v1/organisations/outreach/editors/", {"username": "newcomer"}, format="json"
    )

    assert response.status_code == 405
    assert "Newcomer" not in response.content.decode()
    assert not OrganisationEditor.objects.filter(user=approved.newcomer).exists()


def test_the_organisation_page_no_longer_adds_anyone_by_sign_in_name(approved: Cast) -> None:
    client = Client()
    sign_in(client, approved.olu, mfa=False)

    response = client.post("/organisations/outreach/editors/add/", {"username": "newcomer"})

    assert response.status_code == 404
    assert not OrganisationEditor.objects.filter(user=approved.newcomer).exists()
    page = client.get("/organisations/outreach/").content.decode()
    assert 'name="username"' not in page


def test_inviting_and_joining_through_the_api(approved: Cast) -> None:
    created = api_client_for(approved, "editor").post(
        "/api/v1/organisations/outreach/editor-invitations/", format="json"
    )
    assert created.status_code == 201
    assert "no-store" in created["Cache-Control"]
    code = created.json()["code"]

    joined = api_client_for(approved, "member").post(
        "/api/v1/organisations/editor-invitations/redeem/", {"code": code}, format="json"
    )

    assert joined.status_code == 201, joined.content
    assert joined.json()["organisation"] == "outreach"
    assert OrganisationEditor.objects.filter(user=approved.dee, left_at=None).exists()
    again = api_client_for(approved, "board").post(
        "/api/v1/organisations/editor-invitations/redeem/", {"code": code}, format="json"
    )
    assert again.status_code == 400
    assert set(again.json()) == {"error"}


def test_inviting_and_joining_through_the_pages(approved: Cast) -> None:
    editor = Client()
    sign_in(editor, approved.olu, mfa=False)

    made = editor.post("/organisations/outreach/editors/invite/")

    assert made.status_code == 200
    assert "no-store" in made["Cache-Control"]
    [code] = [
        part
        for part in Page(made.content.decode()).text.split()
        if len(part) == 14 and part.count("-") == 2
    ]
    assert code not in editor.get("/organisations/outreach/").content.decode()

    invitee = Client()
    sign_in(invitee, approved.newcomer, mfa=False)
    assert invitee.get("/organisations/editor-invitations/").status_code == 200
    joined = invitee.post("/organisations/editor-invitations/", {"code": code})

    assert joined["Location"] == "/organisations/outreach/"
    assert OrganisationEditor.objects.filter(user=approved.newcomer, left_at=None).exists()
    refused = invitee.post("/organisations/editor-invitations/", {"code": code})
    assert refused.status_code == 400
    assert "already been used" in Page(refused.content.decode()).text


def test_guessing_codes_on_the_page_is_slowed_and_a_blocked_try_redeems_nothing(
    approved: Cast,
) -> None:
    code = _code(approved)
    client = Client()
    sign_in(client, approved.newcomer, mfa=False)
    for _ in range(10):
        wrong = client.post("/organisations/editor-invitations/", {"code": "WRONG-GUESS-1"})
        assert wrong.status_code == 400

    blocked = client.post("/organisations/editor-invitations/", {"code": code})

    assert blocked.status_code == 429
    assert "Too many tries" in Page(blocked.content.decode()).text
    assert not OrganisationEditor.objects.filter(user=approved.newcomer).exists()


def test_guessing_codes_through_the_api_is_slowed_with_a_429(approved: Cast) -> None:
    code = _code(approved)
    client = api_client_for(approved, "member")
    url = "/api/v1/organisations/editor-invitations/redeem/"
    for _ in range(10):
        assert client.post(url, {"code": "WRONG-GUESS-1"}).status_code in (400, 404, 409)

    blocked = client.post(url, {"code": code})

    assert blocked.status_code == 429
    assert "Wait 60 seconds" in blocked.json()["error"]["message"]
    assert not OrganisationEditor.objects.filter(user=approved.dee).exists()
