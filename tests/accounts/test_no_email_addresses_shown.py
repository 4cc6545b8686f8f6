"""No page and no API response shows anyone's e-mail address but the viewer's own.

A populated world (an approved organisation with an editor, a decision space with a
facilitator, board members and electorate, an invitation sent by e-mail, a request to
join, the history events all of that wrote), every person with an address of their own,
and every URL pattern of the site walked with the ids and slugs of those objects: as an
anonymous visitor, as another member, and as the space's facilitator with a second
factor. Not even the facilitator who sent the invitation sees the invitee's address.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from allauth.account.models import EmailAddress
from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.test import Client

from accounts.authority import Actor
from accounts.models import User
from organisations import services as organisations
from organisations.models import Organisation
from spaces import services as spaces
from spaces.models import DecisionSpace
from tests.accounts.support import sign_in
from tests.factories import UserFactory
from tests.urlwalk import every_path

pytestmark = pytest.mark.django_db

SLUG = "northside"  # the space and the organisation share it: one value fills <slug>
INVITEE = "invitee.secret@example.net"


@dataclass
class World:
    space: DecisionSpace
    organisation: Organisation
    facilitator: User
    member: User
    people: list[User]
    invitation_token: str
    pks: dict[str, list[int]]  # kind of object -> ids that fill <pk>

    @property
    def addresses(self) -> list[str]:
        return [person.email for person in self.people if person.email] + [INVITEE]


def _person(username: str, **extra: object) -> User:
    person = UserFactory(
        username=username,
        public_name=username.title(),
        email=f"{username}.secret@example.net",
        **extra,
    )
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    return person


def _strong(user: User) -> Actor:
    return Actor(user=user, mfa=True, recently_authenticated=True)


@pytest.fixture
def world(db: None) -> World:
    staff = _person("staffer", is_staff=True)
    facilitator = _person("rosa")
    board = [_person("marcus"), _person("kim")]
    voters = [_person("dee"), _person("lee")]
    editor = _person("olu")
    asker = _person("jo")

    space = spaces.space_create(
        actor=_strong(staff), name="Northside", facilitators=[facilitator], slug=SLUG
    )
    memberships = [
        spaces.membership_add(
            actor=_strong(facilitator),
            space=space,
            user=person,
            role="board",
            lived_experience="Peer worker.",
        )
        for person in board
    ] + [
        spaces.membership_add(
            actor=_strong(facilitator), space=space, user=person, role="electorate"
        )
        for person in voters
    ]
    invitation, token = spaces.invitation_create(
        actor=_strong(facilitator), space=space, role="board", email=INVITEE
    )
    spaces.invitation_create(actor=_strong(facilitator), space=space, role="electorate")
    join_request = spaces.join_request_create(
        actor=_strong(asker), space=space, role="electorate", message="I would like to vote."
    )

    organisation = organisations.organisation_register(
        actor=_strong(editor), name="Northside Outreach", slug=SLUG
    )
    organisation = organisations.organisation_approve(
        actor=_strong(staff), organisation=organisation
    )
    organisations.editor_invitation_create(actor=_strong(editor), organisation=organisation)

    return World(
        space=space,
        organisation=organisation,
        facilitator=facilitator,
        member=voters[0],
        people=[staff, facilitator, *board, *voters, editor, asker],
        invitation_token=token,
        pks={
            "membership": [membership.pk for membership in memberships],
            "join request": [join_request.pk],
            "editor": list(organisation.editors.values_list("pk", flat=True)),
            "invitation": [invitation.pk],
        },
    )


def _body(response: HttpResponseBase) -> str:
    if isinstance(response, StreamingHttpResponse):
        return response.getvalue().decode(errors="replace")
    assert isinstance(response, HttpResponse)
    return response.content.decode(errors="replace")


def _leaks(client: Client, world: World, *, allowed: set[str]) -> tuple[list[str], int]:
    """Every address shown to this client but those ``allowed``; and how many pages were
    read (to show the walk reached real objects)."""
    watched = [address for address in world.addresses if address not in allowed]
    base = {
        "slug": SLUG,
        "token": world.invitation_token,
        "decision": "approve",
        "object_id": str(world.people[1].pk),
    }
    walks = [every_path(base)]
    for ids in world.pks.values():
        for pk in ids:
            # Only the patterns with a <pk> change from one id to the next.
            walks.append([p for p in every_path({**base, "pk": str(pk)}) if "pk>" in p.pattern])
    found = []
    pages = 0
    for site_path in (site_path for walk in walks for site_path in walk):
        response = client.get(site_path.path)
        if response.status_code == 200:
            pages += 1
        body = (_body(response) + str(response.headers)).lower()
        found += [
            f"{site_path.path} ({site_path.pattern}): {address}"
            for address in watched
            if address.lower() in body
        ]
    return found, pages


def test_an_anonymous_visitor_sees_no_email_address(world: World) -> None:
    found, pages = _leaks(Client(raise_request_exception=False), world, allowed=set())

    assert found == []
    assert pages > 20, pages


def test_a_signed_in_member_sees_only_their_own_address(world: World) -> None:
    member = world.member
    assert member.email is not None
    client = sign_in(Client(raise_request_exception=False), member, mfa=True, reauthenticated=True)

    found, _pages = _leaks(client, world, allowed={member.email})

    assert found == []
    assert member.email in client.get("/account/data.json").content.decode()


def test_a_facilitator_sees_only_their_own_address_not_even_their_invitees(
    world: World,
) -> None:
    facilitator = world.facilitator
    assert facilitator.email is not None
    client = sign_in(
        Client(raise_request_exception=False), facilitator, mfa=True, reauthenticated=True
    )
    members_page = client.get(f"/spaces/{SLUG}/members/")
    assert members_page.status_code == 200  # the private pages really open for them
    assert "Marcus" in members_page.content.decode()

    found, pages = _leaks(client, world, allowed={facilitator.email})

    assert found == []
    assert pages > 30, pages
