"""Who may act at the advisory gate, in every state of a proposal: submit (which opens a
round), review, recuse, post in the round's thread and publish the response, for every
role, through the services (an ``Actor`` built directly) and through the API (a real
session; facilitators and staff with a second factor).

The tables are written out by hand, not derived from the rules: they are the
specification the services and the API are checked against. A cell is ``ok`` (allowed),
``403`` (refused with NotPermitted), ``409`` (refused with Conflict) or ``-`` (there is
no round to act on: a draft was never submitted; the API answers 404). Through the API
a ``403`` is a 401 for someone not signed in and a 404 for a draft the caller may not
see, as the proposals API hides drafts. A refusal must change nothing at all.

The cast (tests/proposals/conftest.py and tests/advisory/conftest.py), around Olu's
organisation's proposal in the space "city":

- anonymous: nobody signed in;                       voter: Dee (electorate);
- author: Olu, editor of the proposing organisation;
- cosigner: Ngozi, editor of another organisation, co-signed the draft;
- board_cosigner: Cara, on the board, co-signed the draft (so recused automatically);
- other_editor: Nia, also an editor of Ngozi's organisation, not co-signing;
- board: Ama, on the board, seated, has not answered;
- recused: Rex, on the board, stepped aside from the round;
- on_leave: Leo, on the board but on leave since before the round opened (no seat);
- facilitator: Fay, the space's facilitator, with a second factor;
- staff: Sam, site staff, with a second factor.

Marcus and Ben, on the board, are seated too: with Ama they are the three reviewers who
close the round (it has five seats: Marcus, Ama, Ben, Cara and Rex).

Each state is reached as a proposal really gets there: submitted for advisory review;
to revision by the three reviewers opposing; to awaiting a vote by the three endorsing;
to voting, adopted, rejected or failed by a raw update after that passed round (the
gate in the database allows it); withdrawn by Olu during the review. Each cell runs in
a savepoint rolled back afterwards, so the cells of one state share one build.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.authority import Actor
from accounts.models import User
from advisory import services
from advisory.models import Answer, Message, Response, Review, Round, Seat
from core.errors import Conflict, DomainError, NotPermitted
from history.models import Event
from notifications.models import Notification
from proposals import services as proposal_services
from proposals.models import Proposal, ProposalVersion
from spaces.models import LeaveOfAbsence
from tests.accounts.support import sign_in
from tests.advisory.conftest import Board, review
from tests.factories import MembershipFactory, OrganisationEditorFactory, UserFactory
from tests.proposals.api_support import client_for, url
from tests.proposals.conftest import Cast, actor

pytestmark = pytest.mark.django_db

# fmt: off
MATRIX: dict[str, str] = {
    "submit": """
                    draft  review  revision  awaiting  voting  adopted  rejected  failed  withdrawn
    anonymous       403    403     403       403       403     403      403       403     403
    voter           403    403     403       403       403     403      403       403     403
    author          ok     ok      ok        409       409     409      409       409     409
    cosigner        403    403     403       403       403     403      403       403     403
    board_cosigner  403    403     403       403       403     403      403       403     403
    other_editor    403    403     403       403       403     403      403       403     403
    board           403    403     403       403       403     403      403       403     403
    recused         403    403     403       403       403     403      403       403     403
    on_leave        403    403     403       403       403     403      403       403     403
    facilitator     403    403     403       403       403     403      403       403     403
    staff           403    403     403       403       403     403      403       403     403
    """,
    # A closed round answers 409 to every signed-in person before asking who they are:
    # advisory.rules.answer_refusal checks the round's state, then the seat.
    "review": """
                    draft  review  revision  awaiting  voting  adopted  rejected  failed  withdrawn
    anonymous       -      403     403       403       403     403      403       403     403
    voter           -      403     409       409       409     409      409       409     409
    author          -      403     409       409       409     409      409       409     409
    cosigner        -      403     409       409       409     409      409       409     409
    board_cosigner  -      409     409       409       409     409      409       409     409
    other_editor    -      403     409       409       409     409      409       409     409
    board           -      ok      409       409       409     409      409       409     409
    recused         -      409     409       409       409     409      409       409     409
    on_leave        -      403     409       409       409     409      409       409     409
    facilitator     -      403     409       409       409     409      409       409     409
    staff           -      403     409       409       409     409      409       409     409
    """,
    "recuse": """
                    draft  review  revision  awaiting  voting  adopted  rejected  failed  withdrawn
    anonymous       -      403     403       403       403     403      403       403     403
    voter           -      403     409       409       409     409      409       409     409
    author          -      403     409       409       409     409      409       409     409
    cosigner        -      403     409       409       409     409      409       409     409
    board_cosigner  -      409     409       409       409     409      409       409     409
    other_editor    -      403     409       409       409     409      409       409     409
    board           -      ok      409       409       409     409      409       409     409
    recused         -      409     409       409       409     409      409       409     409
    on_leave        -      403     409       409       409     409      409       409     409
    facilitator     -      403     409       409       409     409      409       409     409
    staff           -      403     409       409       409     409      409       409     409
    """,
    # The thread is open from the round's opening to the proposal's end; board members
    # (also one on leave, or one who stepped aside) and authors and co-signers post.
    "post": """
                    draft  review  revision  awaiting  voting  adopted  rejected  failed  withdrawn
    anonymous       -      403     403       403       403     403      403       403     403
    voter           -      403     403       403       403     403      403       403     403
    author          -      ok      ok        ok        ok      409      409       409     409
    cosigner        -      ok      ok        ok        ok      409      409       409     409
    board_cosigner  -      ok      ok        ok        ok      409      409       409     409
    other_editor    -      403     403       403       403     403      403       403     403
    board           -      ok      ok        ok        ok      409      409       409     409
    recused         -      ok      ok        ok        ok      409      409       409     409
    on_leave        -      ok      ok        ok        ok      409      409       409     409
    facilitator     -      403     403       403       403     403      403       403     403
    staff           -      403     403       403       403     403      403       403     403
    """,
    "respond": """
                    draft  review  revision  awaiting  voting  adopted  rejected  failed  withdrawn
    anonymous       -      403     403       403       403     403      403       403     403
    voter           -      403     403       403       403     403      403       403     403
    author          -      409     409       ok        409     409      409       409     409
    cosigner        -      403     403       403       403     403      403       403     403
    board_cosigner  -      403     403       403       403     403      403       403     403
    other_editor    -      403     403       403       403     403      403       403     403
    board           -      403     403       403       403     403      403       403     403
    recused         -      403     403       403       403     403      403       403     403
    on_leave        -      403     403       403       403     403      403       403     403
    facilitator     -      403     403       403       403     403      403       403     403
    staff           -      403     403       403       403     403      403       403     403
    """,
}
# fmt: on

# The tables' columns: each a state of the proposal.
COLUMNS = {
    "draft": "draft",
    "review": "advisory_review",
    "revision": "revision",
    "awaiting": "awaiting_vote",
    "voting": "voting",
    "adopted": "adopted",
    "rejected": "rejected",
    "failed": "failed",
    "withdrawn": "withdrawn",
}
STATES = list(COLUMNS.values())
ROLES = [
    "anonymous",
    "voter",
    "author",
    "cosigner",
    "board_cosigner",
    "other_editor",
    "board",
    "recused",
    "on_leave",
    "facilitator",
    "staff",
]
# Who sees a draft never submitted (and so gets past the API's 404 to the refusal).
DRAFT_READERS = {"author", "cosigner", "board_cosigner"}
REFUSALS: dict[str, type[DomainError]] = {"403": NotPermitted, "409": Conflict}


def parse(table: str) -> dict[tuple[str, str], str]:
    """(role, state) -> cell, from one of the tables above."""
    header, *rows = [line.split() for line in table.strip().splitlines()]
    cells = {}
    for role, *row in rows:
        assert len(row) == len(header), f"row {role} has {len(row)} cells"
        cells.update(
            {(role, COLUMNS[column]): cell for column, cell in zip(header, row, strict=True)}
        )
    return cells


EXPECTED = {action: parse(table) for action, table in MATRIX.items()}


def test_every_table_covers_every_role_and_state_with_a_known_cell() -> None:
    for action, cells in EXPECTED.items():
        assert sorted(cells) == sorted((role, state) for role in ROLES for state in STATES), action
        assert set(cells.values()) <= {"ok", "403", "409", "-"}, action


# --- The world, in one state --------------------------------------------------------------------


@dataclass
class World:
    state: str
    proposal: Proposal
    round: Round | None
    people: dict[str, User | None]

    def actor(self, role: str) -> Actor:
        user = self.people[role]
        if role in ("facilitator", "staff"):
            return Actor(user=user, mfa=True, recently_authenticated=True)
        return Actor(user=user)


def _build(cast: Cast, board: Board, draft: Proposal, state: str) -> World:
    space = cast.space
    cara = MembershipFactory.create(
        space=space, user=UserFactory.create(username="cara"), role="board"
    ).user
    rex = MembershipFactory.create(
        space=space, user=UserFactory.create(username="rex"), role="board"
    ).user
    leave = MembershipFactory.create(
        space=space, user=UserFactory.create(username="leo"), role="board"
    )
    LeaveOfAbsence.objects.create(membership=leave, started_at=timezone.now())
    nia = OrganisationEditorFactory.create(
        organisation=cast.other_organisation, user=UserFactory.create(username="nia")
    ).user
    fay = MembershipFactory.create(
        space=space, user=UserFactory.create(username="fay"), role="facilitator"
    ).user
    sam = UserFactory.create(username="sam", is_staff=True)
    proposal_services.proposal_cosign(actor=actor(cast.ngozi), proposal=draft)
    proposal_services.proposal_cosign(actor=actor(cara), proposal=draft)
    people: dict[str, User | None] = {
        "anonymous": None,
        "voter": cast.dee,
        "author": cast.olu,
        "cosigner": cast.ngozi,
        "board_cosigner": cara,
        "other_editor": nia,
        "board": board.ama,
        "recused": rex,
        "on_leave": leave.user,
        "facilitator": fay,
        "staff": sam,
    }
    if state == "draft":
        return World(state, draft, None, people)

    proposal_services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    opened = Round.objects.get(proposal=draft)
    assert set(Seat.objects.filter(round=opened).values_list("user__username", flat=True)) == {
        "marcus",
        "ama",
        "ben",
        "cara",
        "rex",
    }
    services.recusal_declare(actor=actor(rex), round=opened, reason="I work there.")
    if state == "withdrawn":
        proposal_services.proposal_withdraw(
            actor=actor(cast.olu), proposal=draft, reason="Funding fell through."
        )
    elif state == "revision":
        for member in board.members:
            review(member, opened, verdict="oppose", rationale="Not like this.")
    elif state != "advisory_review":
        for member in board.members:
            review(member, opened)
        if state != "awaiting_vote":
            Proposal.objects.filter(pk=draft.pk).update(state=state)
    if state in ("advisory_review", "revision"):
        # Something new to submit: the same text again would be refused as unchanged.
        proposal_services.proposal_update_draft(
            actor=actor(cast.olu), proposal=draft, title="Naloxone on every night bus"
        )
    draft.refresh_from_db()
    opened.refresh_from_db()
    assert draft.state == state
    assert opened.is_open is (state == "advisory_review")
    return World(state, draft, opened, people)


@pytest.fixture(params=STATES)
def world(request: pytest.FixtureRequest, cast: Cast, board: Board, draft: Proposal) -> World:
    return _build(cast, board, draft, request.param)


# --- The actions --------------------------------------------------------------------------------

REVIEW: dict[str, Any] = {
    "verdict": "endorse",
    "rationale": "Meets people where they are.",
    "conditions": [],
    "shown_as_advisory_member": False,
}


@dataclass(frozen=True)
class Action:
    service: Callable[[Actor, World], object]
    method: str
    path: Callable[[World], str]
    body: dict[str, Any]
    # Whether the allowed action left its mark for this person.
    done: Callable[[World, User], bool]


def _round_path(suffix: str) -> Callable[[World], str]:
    return lambda world: url(world.proposal, f"rounds/1/{suffix}")


def _on_round(call: Callable[..., object]) -> Callable[[Actor, World], object]:
    def run(who: Actor, world: World) -> object:
        assert world.round is not None
        return call(actor=who, round=world.round)

    return run


ACTIONS: dict[str, Action] = {
    "submit": Action(
        service=lambda who, world: proposal_services.proposal_submit(
            actor=who, proposal=world.proposal
        ),
        method="post",
        path=lambda world: url(world.proposal, "submit/"),
        body={"confirm": True},
        done=lambda world, user: (
            Round.objects.filter(
                proposal=world.proposal, closed_at__isnull=True, version__submitted_by=user
            )
            .exclude(pk=world.round.pk if world.round is not None else 0)
            .exists()
        ),
    ),
    "review": Action(
        service=_on_round(lambda **kw: services.review_give(**kw, **REVIEW)),
        method="put",
        path=_round_path("review/"),
        body=REVIEW,
        done=lambda world, user: Review.objects.filter(round=world.round, user=user).exists(),
    ),
    "recuse": Action(
        service=_on_round(lambda **kw: services.recusal_declare(**kw, reason="A conflict.")),
        method="post",
        path=_round_path("recusal/"),
        body={"reason": "A conflict."},
        done=lambda world, user: Seat.objects.filter(
            round=world.round, user=user, recused_at__isnull=False
        ).exists(),
    ),
    "post": Action(
        service=_on_round(lambda **kw: services.message_post(**kw, body="When do kits arrive?")),
        method="post",
        path=_round_path("messages/"),
        body={"body": "When do kits arrive?"},
        done=lambda world, user: Message.objects.filter(round=world.round, author=user).exists(),
    ),
    "respond": Action(
        service=_on_round(
            lambda **kw: services.response_publish(**kw, answers={}, statement="Thank you.")
        ),
        method="post",
        path=_round_path("response/"),
        body={"statement": "Thank you.", "answers": {}},
        done=lambda world, user: Response.objects.filter(
            round=world.round, published_by=user
        ).exists(),
    ),
}


def test_every_table_has_its_action() -> None:
    assert set(MATRIX) == set(ACTIONS)


Rows = dict[str, list[tuple[Any, ...]]]


def everything() -> Rows:
    """Every row an action could write, to prove that a refusal wrote none."""
    models = [
        Proposal,
        ProposalVersion,
        Round,
        Seat,
        Review,
        Message,
        Response,
        Answer,
        Event,
        Notification,
    ]
    return {
        model.__name__: sorted(model._default_manager.values_list(), key=repr) for model in models
    }


def _attempt(check: Callable[..., str | None], *args: Any) -> str | None:
    """Run one cell in a savepoint that is always rolled back: what it returns, or raises."""
    with transaction.atomic():
        try:
            return check(*args)
        finally:
            transaction.set_rollback(True)


# --- Through the services -----------------------------------------------------------------------


def _service_cell(world: World, before: Rows, action: str, role: str) -> str | None:
    """None if the service did what the table says; otherwise what went wrong."""
    spec, expected = ACTIONS[action], EXPECTED[action][(role, world.state)]
    if expected == "-":
        return None if world.round is None else "a round exists"
    try:
        spec.service(world.actor(role), world)
    except DomainError as refused:
        if expected == "ok":
            return f"refused: {type(refused).__name__}: {refused.message}"
        if type(refused) is not REFUSALS[expected]:
            return f"{type(refused).__name__} instead of {expected}: {refused.message}"
        return None if everything() == before else "refused, but something changed"
    if expected != "ok":
        return f"allowed instead of {expected}"
    user = world.people[role]
    assert user is not None
    return None if spec.done(world, user) else "allowed, but nothing was written"


def test_the_services_allow_and_refuse_as_the_tables_say(world: World) -> None:
    before = everything()  # as every cell starts: each one is rolled back
    wrong = {
        f"{action} by {role} in {world.state}": outcome
        for action in ACTIONS
        for role in ROLES
        if (outcome := _attempt(_service_cell, world, before, action, role)) is not None
    }
    assert not wrong, "\n".join(f"{cell}: {outcome}" for cell, outcome in wrong.items())


# --- Through the API ----------------------------------------------------------------------------


def _client(world: World, role: str) -> APIClient:
    user = world.people[role]
    if role in ("facilitator", "staff"):
        assert user is not None
        client = APIClient()
        sign_in(client, user, mfa=True, reauthenticated=True)
        return client
    return client_for(user)


def _statuses(expected: str, role: str, state: str) -> set[int]:
    if expected == "ok":
        return {200, 201}
    if role == "anonymous":
        return {401}
    if expected == "-" or (state == "draft" and role not in DRAFT_READERS):
        return {404}
    return {int(expected)}


def _api_cell(world: World, before: Rows, client: APIClient, action: str, role: str) -> str | None:
    spec, expected = ACTIONS[action], EXPECTED[action][(role, world.state)]
    response = getattr(client, spec.method)(spec.path(world), spec.body, format="json")
    wanted = _statuses(expected, role, world.state)
    if response.status_code not in wanted:
        return f"{response.status_code} instead of {sorted(wanted)}: {response.content[:200]!r}"
    if expected == "ok":
        user = world.people[role]
        assert user is not None
        return None if spec.done(world, user) else "answered ok, but nothing was written"
    error = response.json().get("error", {})
    if not error.get("message"):
        return f"a refusal without a message: {response.content[:200]!r}"
    return None if everything() == before else "refused, but something changed"


def test_the_api_allows_and_refuses_as_the_tables_say(world: World) -> None:
    clients = {role: _client(world, role) for role in ROLES}
    before = everything()  # as every cell starts: each one is rolled back
    wrong = {
        f"{action} by {role} in {world.state}": outcome
        for action in ACTIONS
        for role in ROLES
        if (outcome := _attempt(_api_cell, world, before, clients[role], action, role)) is not None
    }
    assert not wrong, "\n".join(f"{cell}: {outcome}" for cell, outcome in wrong.items())
