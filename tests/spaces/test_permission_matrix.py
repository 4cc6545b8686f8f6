"""Who may do what: every organisation, space, membership and rulebook action, for every
role and proof, through the services (an ``Actor`` built directly) and through the API
(a real session with or without a second factor, or a personal token).

The table is written out by hand, not derived from the rules: it is the specification
the rules are checked against. A refusal must change nothing at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from core.errors import NotPermitted
from history.models import Event
from notifications.models import Notification
from organisations import services as organisation_services
from organisations.models import EditorInvitation, Organisation, OrganisationEditor
from spaces import services
from spaces.models import (
    DecisionSpace,
    Invitation,
    JoinRequest,
    LeaveOfAbsence,
    Membership,
    Rulebook,
)
from tests.factories import OrganisationEditorFactory
from tests.spaces.conftest import ACTORS, Cast, actor_for, api_client_for

pytestmark = pytest.mark.django_db

Y, N = True, False

# fmt: off
MATRIX = {
    # columns: anonymous, member, editor, board, facilitator without MFA, facilitator with MFA,
    # staff with MFA, facilitator with a personal token (tests/spaces/conftest.py ACTORS)
    #                            anon      member editor board fac-mfa    fac+mfa staff+mfa token
    "organisation_register":     (N,        Y,     Y,     Y,    Y,         Y,      Y,        Y),
    "organisation_approve":      (N,        N,     N,     N,    N,         N,      Y,        N),
    "organisation_reject":       (N,        N,     N,     N,    N,         N,      Y,        N),
    "organisation_editor_invite":(N,        N,     Y,     N,    N,         N,      N,        N),
    "organisation_editor_remove":(N,        N,     Y,     N,    N,         N,      N,        N),
    "space_create":              (N,        N,     N,     N,    N,         N,      Y,        N),
    "membership_add":            (N,        N,     N,     N,    N,         Y,      N,        N),
    "membership_end":            (N,        N,     N,     N,    N,         Y,      N,        N),
    "leave_start":               (N,        N,     N,     Y,    N,         Y,      N,        N),
    "leave_end":                 (N,        N,     N,     Y,    N,         Y,      N,        N),
    "invitation_create":         (N,        N,     N,     N,    N,         Y,      N,        N),
    "join_request_create":       (N,        Y,     Y,     Y,    Y,         Y,      Y,        Y),
    "join_request_approve":      (N,        N,     N,     N,    N,         Y,      N,        N),
    "join_request_decline":      (N,        N,     N,     N,    N,         Y,      N,        N),
    "rulebook_change":           (N,        N,     N,     N,    N,         Y,      N,        N),
}
# fmt: on


@dataclass
class Action:
    """How to prepare an action, run it through a service, and send it to the API."""

    prepare: Callable[[Cast], Any]
    service: Callable[[Any, Cast, Any], Any]
    api: Callable[[Cast, Any], tuple[str, dict[str, Any]]]


def _second_editor(cast: Cast) -> OrganisationEditor:
    return OrganisationEditorFactory(organisation=cast.organisation, user=cast.newcomer)


def _leave(cast: Cast) -> LeaveOfAbsence:
    return LeaveOfAbsence.objects.create(membership=cast.marcus_board)


def _join_request(cast: Cast) -> JoinRequest:
    return JoinRequest.objects.create(space=cast.space, user=cast.newcomer, role="electorate")


def _nothing(cast: Cast) -> None:
    return None


def _approved(cast: Cast) -> None:
    """Only the editors of an approved organisation invite editors."""
    Organisation.objects.filter(pk=cast.organisation.pk).update(
        status=Organisation.Status.APPROVED, approved_at=timezone.now()
    )
    cast.organisation.refresh_from_db()


SPACE = "/api/v1/spaces/northside"
ORGANISATION = "/api/v1/organisations/outreach"

ACTIONS: dict[str, Action] = {
    "organisation_register": Action(
        _nothing,
        lambda actor, cast, _x: organisation_services.organisation_register(
            actor=actor, name="Harbour Project"
        ),
        lambda cast, _x: ("/api/v1/organisations/", {"name": "Harbour Project"}),
    ),
    "organisation_approve": Action(
        _nothing,
        lambda actor, cast, _x: organisation_services.organisation_approve(
            actor=actor, organisation=cast.organisation
        ),
        lambda cast, _x: (f"{ORGANISATION}/approve/", {}),
    ),
    "organisation_reject": Action(
        _nothing,
        lambda actor, cast, _x: organisation_services.organisation_reject(
            actor=actor, organisation=cast.organisation, reason="Not a harm-reduction group."
        ),
        lambda cast, _x: (f"{ORGANISATION}/reject/", {"reason": "Not a harm-reduction group."}),
    ),
    "organisation_editor_invite": Action(
        _approved,
        lambda actor, cast, _x: organisation_services.editor_invitation_create(
            actor=actor, organisation=cast.organisation
        ),
        lambda cast, _x: (f"{ORGANISATION}/editor-invitations/", {}),
    ),
    "organisation_editor_remove": Action(
        _second_editor,
        lambda actor, cast, row: organisation_services.organisation_editor_remove(
            actor=actor, editor=row
        ),
        lambda cast, row: (f"{ORGANISATION}/editors/{row.pk}/remove/", {}),
    ),
    "space_create": Action(
        _nothing,
        lambda actor, cast, _x: services.space_create(
            actor=actor, name="Eastside", facilitators=[cast.rosa]
        ),
        lambda cast, _x: ("/api/v1/spaces/", {"name": "Eastside", "facilitators": ["rosa"]}),
    ),
    "membership_add": Action(
        _nothing,
        lambda actor, cast, _x: services.membership_add(
            actor=actor, space=cast.space, user=cast.newcomer, role="electorate"
        ),
        lambda cast, _x: (
            f"{SPACE}/memberships/",
            {"username": "newcomer", "role": "electorate"},
        ),
    ),
    "membership_end": Action(
        _nothing,
        lambda actor, cast, _x: services.membership_end(actor=actor, membership=cast.dee_vote),
        lambda cast, _x: (f"{SPACE}/memberships/{cast.dee_vote.pk}/end/", {"confirm": True}),
    ),
    "leave_start": Action(
        _nothing,
        lambda actor, cast, _x: services.leave_start(actor=actor, membership=cast.marcus_board),
        lambda cast, _x: (f"{SPACE}/memberships/{cast.marcus_board.pk}/leave/start/", {}),
    ),
    "leave_end": Action(
        _leave,
        lambda actor, cast, _x: services.leave_end(actor=actor, membership=cast.marcus_board),
        lambda cast, _x: (f"{SPACE}/memberships/{cast.marcus_board.pk}/leave/end/", {}),
    ),
    "invitation_create": Action(
        _nothing,
        lambda actor, cast, _x: services.invitation_create(
            actor=actor, space=cast.space, role="board"
        ),
        lambda cast, _x: (f"{SPACE}/invitations/", {"role": "board"}),
    ),
    "join_request_create": Action(
        _nothing,
        lambda actor, cast, _x: services.join_request_create(
            actor=actor, space=cast.other_space, role="electorate"
        ),
        lambda cast, _x: ("/api/v1/spaces/riverside/join-requests/", {"role": "electorate"}),
    ),
    "join_request_approve": Action(
        _join_request,
        lambda actor, cast, row: services.join_request_approve(actor=actor, join_request=row),
        lambda cast, row: (f"{SPACE}/join-requests/{row.pk}/approve/", {}),
    ),
    "join_request_decline": Action(
        _join_request,
        lambda actor, cast, row: services.join_request_decline(actor=actor, join_request=row),
        lambda cast, row: (f"{SPACE}/join-requests/{row.pk}/decline/", {}),
    ),
    "rulebook_change": Action(
        _nothing,
        lambda actor, cast, _x: services.rulebook_change(
            actor=actor, space=cast.space, review_window_days=21
        ),
        lambda cast, _x: (f"{SPACE}/rulebook/", {"review_window_days": 21}),
    ),
}

CASES = [
    pytest.param(action, who, allowed, id=f"{action}-{who}")
    for action, row in MATRIX.items()
    for who, allowed in zip(ACTORS, row, strict=True)
]


def everything() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table an action could touch, to prove a refusal touched none."""
    models = [
        Organisation,
        OrganisationEditor,
        EditorInvitation,
        DecisionSpace,
        Membership,
        LeaveOfAbsence,
        Invitation,
        JoinRequest,
        Rulebook,
        Event,
        Notification,
    ]
    return {
        model.__name__: sorted(model._default_manager.values_list(), key=repr) for model in models
    }


def test_the_matrix_covers_every_action() -> None:
    assert set(MATRIX) == set(ACTIONS)


@pytest.mark.parametrize(("action", "who", "allowed"), CASES)
def test_services_allow_exactly_what_the_matrix_says(
    cast: Cast, action: str, who: str, allowed: bool
) -> None:
    spec = ACTIONS[action]
    target = spec.prepare(cast)
    before = everything()
    events = Event.objects.count()

    if allowed:
        spec.service(actor_for(cast, who), cast, target)
        assert Event.objects.count() > events  # each change is in the history
    else:
        with pytest.raises(NotPermitted):
            spec.service(actor_for(cast, who), cast, target)
        assert everything() == before


@pytest.mark.parametrize(("action", "who", "allowed"), CASES)
def test_the_api_allows_exactly_what_the_matrix_says(
    cast: Cast, action: str, who: str, allowed: bool
) -> None:
    spec = ACTIONS[action]
    target = spec.prepare(cast)
    client = api_client_for(cast, who)
    path, body = spec.api(cast, target)
    before = everything()

    response = client.post(path, body, format="json")

    if allowed:
        assert response.status_code in (200, 201), response.content
    else:
        assert response.status_code in (401, 403), response.content
        assert set(response.json()) == {"error"}
        assert everything() == before


# fmt: off
READ_MATRIX = {
    #                   anon      member editor board fac-mfa    fac+mfa staff+mfa fac-token
    "memberships":      (N,        N,     N,     N,    N,         Y,      N,        N),
    "invitations":      (N,        N,     N,     N,    N,         Y,      N,        N),
    "join-requests":    (N,        N,     N,     N,    N,         Y,      N,        N),
}
# fmt: on


@pytest.mark.parametrize(
    ("resource", "who", "allowed"),
    [
        pytest.param(resource, who, allowed, id=f"{resource}-{who}")
        for resource, row in READ_MATRIX.items()
        for who, allowed in zip(ACTORS, row, strict=True)
    ],
)
def test_only_facilitators_with_a_second_factor_read_the_private_lists(
    cast: Cast, resource: str, who: str, allowed: bool
) -> None:
    response = api_client_for(cast, who).get(f"{SPACE}/{resource}/")

    assert (response.status_code == 200) is allowed, response.content
    if not allowed:
        assert "Peer worker" not in response.content.decode()


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (f"{SPACE}/memberships/", {"username": "nobody-has-this", "role": "electorate"}),
        ("/api/v1/spaces/", {"name": "Eastside", "facilitators": ["nobody-has-this"]}),
    ],
)
def test_a_refused_caller_cannot_learn_whether_a_sign_in_name_exists(
    cast: Cast, path: str, body: dict[str, Any]
) -> None:
    """Sign-in names are private: without the permission, an unknown name and a known one
    get the same 403, never a 400 saying who exists."""
    client = api_client_for(cast, "member")

    unknown = client.post(path, body, format="json")
    known = client.post(path, {**body, "username": "rosa"} if "username" in body else body)

    assert unknown.status_code == known.status_code == 403
