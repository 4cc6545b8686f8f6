"""Every kind of e-mail the site sends carries only absolute links that start with
SITE_URL, and each link answers 200 for the person the e-mail went to.

The demo loads most of the site's e-mails through its services; the few kinds it does not
cause are caused here, on the demo's data, through the same services and pages. A second
test reads every ``notify`` call in the code, so a new kind of e-mail cannot be added
without being checked here.
"""

from __future__ import annotations

import ast
import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.test import Client

from accounts.authority import Actor
from accounts.models import User
from advisory import services as advisory_services
from advisory.models import Round
from core.clock import clock_set
from notifications.models import Notification
from organisations import services as organisation_services
from organisations.models import Organisation
from spaces import services as space_services
from spaces.models import DecisionSpace, Membership
from tests.accounts.support import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SITE = "https://vote.example.org"
BASE_DIR = Path(__file__).resolve().parents[2]

# Every kind ``notify``/``notify_many``/``notify_address`` is called with in the code.
KINDS = {
    "advisory.round_opened",
    "advisory.round_closed",
    "advisory.round_overdue",
    "advisory.deadline_near",
    "advisory.response_published",
    "advisory.board_needs_members",
    "space.facilitator_appointed",
    "space.membership_added",
    "space.membership_ended",
    "space.join_requested",
    "space.join_request_decided",
    "space.rulebook_changed",
    "space.invitation",
    "proposal.cosign_requested",
    "organisation.decided",
    "organisation.editor_joined",
    "account-mfa-reset",
    "vote.opened",
    "vote.result",
    "vote.closing_soon",
}
# allauth's e-mails that carry a link (the others, such as "your password was changed",
# carry none); each reaches the outbox through accounts/adapter.py.
ACCOUNT_KINDS = {
    "account.email_confirmation_signup",
    "account.email_confirmation",
    "account.password_reset_key",
    "account.unknown_account",
    "account.account_already_exists",
}
LINK = re.compile(r"https?://[^\s<>\"')]+")
# A site path written without SITE_URL in front of it.
BARE_PATH = re.compile(r"(?<![\w/.:])/(spaces|accounts|account|organisations|votes|reviews)/")


def _strong(user: User) -> Actor:
    return Actor(user=user, mfa=True, recently_authenticated=True)


def _cause_what_the_demo_does_not() -> None:
    facilitator = User.objects.get(username="facilitator")
    staff = User.objects.get(username="admin")
    space = DecisionSpace.objects.get(slug="northside")

    # A review whose deadline is near: the services' clock moves (the deadline is frozen).
    open_round = next(r for r in Round.objects.filter(closed_at__isnull=True) if r.is_open)
    moment = open_round.deadline_at - datetime.timedelta(hours=47)
    with clock_set(moment):
        assert advisory_services.round_remind_if_due(round=open_round) == "deadline"

    # Members step aside from that round until too few seats remain for its quorum: the
    # facilitators are told the board needs members.
    answered = set(open_round.reviews.values_list("user_id", flat=True))
    free_seats = open_round.seats.filter(recused_at__isnull=True).exclude(user_id__in=answered)
    for seat in free_seats.select_related("user"):
        stepped = advisory_services.recusal_declare(actor=Actor(user=seat.user), round=open_round)
        if stepped.round.unreachable:
            break
    assert stepped.round.unreachable

    # A request to join, and its answer; a membership that ends.
    newcomer = UserFactory(username="newcomer", public_name="Newcomer", email="new@example.org")
    request = space_services.join_request_create(
        actor=Actor(user=newcomer), space=space, role="electorate"
    )
    space_services.join_request_approve(actor=_strong(facilitator), join_request=request)
    voter = Membership.objects.filter(space=space, role="electorate", left_at__isnull=True).get(
        user__username="voter2"
    )
    space_services.membership_end(actor=_strong(facilitator), membership=voter, reason="moved")

    # An e-mailed invitation, to an address with no account.
    space_services.invitation_create(
        actor=_strong(facilitator), space=space, role="board", email="friend@example.org"
    )

    # An editor invitation redeemed: its maker is told.
    organisation = Organisation.objects.get(status=Organisation.Status.APPROVED)
    editor = organisation.editors.filter(left_at__isnull=True).first()
    assert editor is not None
    _row, code = organisation_services.editor_invitation_create(
        actor=_strong(editor.user), organisation=organisation
    )
    organisation_services.editor_invitation_redeem(actor=Actor(user=newcomer), code=code)

    # Staff reset someone's lost authenticator.
    from accounts.services import mfa_reset_by_staff

    mfa_reset_by_staff(actor=_strong(staff), person=facilitator, reason="asked in person")

    # allauth's e-mails, from its pages.
    client = Client()
    password = "a long new passphrase"
    signup = {"public_name": "River", "password1": password, "password2": password}
    client.post("/accounts/signup/", {**signup, "email": "river@example.org", "username": "river"})
    client.post("/accounts/signup/", {**signup, "email": "new@example.org", "username": "river2"})
    voter1 = User.objects.get(username="voter1")
    EmailAddress.objects.update_or_create(
        user=voter1, email=voter1.email, defaults={"verified": True, "primary": True}
    )
    Client().post("/accounts/password/reset/", {"email": voter1.email})
    Client().post("/accounts/password/reset/", {"email": "nobody@example.org"})
    river = Client()
    sign_in(river, User.objects.get(username="river"))
    river.post("/accounts/email/", {"action_add": "", "email": "river2@example.org"})


@pytest.fixture
def every_email(settings: Any) -> list[Notification]:
    settings.DEBUG = True
    settings.SITE_URL = SITE
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    _cause_what_the_demo_does_not()
    return list(Notification.objects.select_related("recipient").order_by("pk"))


def _answer(notification: Notification, path: str, cache: dict[tuple[Any, str], int]) -> int:
    key = (notification.recipient_id, path)
    if key not in cache:
        client = Client()
        if notification.recipient is not None and not path.startswith("/accounts/"):
            sign_in(client, notification.recipient, mfa=True)
        cache[key] = client.get(path, follow=True).status_code
    return cache[key]


def test_every_kind_of_email_links_only_to_site_url_pages_that_answer_200_for_its_recipient(
    every_email: list[Notification],
) -> None:
    kinds = {row.kind for row in every_email}
    assert kinds >= KINDS | ACCOUNT_KINDS, sorted(KINDS | ACCOUNT_KINDS - kinds)
    answers: dict[tuple[Any, str], int] = {}
    problems = []
    for row in every_email:
        links = LINK.findall(row.body)
        if row.kind in KINDS | ACCOUNT_KINDS and not links:
            problems.append(f"{row.kind}: no link")
        if BARE_PATH.search(LINK.sub("", row.body)):
            problems.append(f"{row.kind}: a path without SITE_URL: {row.body!r}")
        for link in links:
            if not link.startswith(SITE + "/"):
                problems.append(f"{row.kind}: {link} does not start with SITE_URL")
                continue
            path = link.removeprefix(SITE)
            status = _answer(row, path, answers)
            if status != 200:
                who = row.recipient.username if row.recipient else "an address"
                problems.append(f"{row.kind}: {path} answers {status} for {who}")
    assert problems == []
    assert len(answers) >= len(KINDS | ACCOUNT_KINDS)  # each link was really opened


def _notify_kinds_in_the_code() -> set[str]:
    """The literal ``kind=`` of every call to notify, notify_many or notify_address."""
    found = set()
    # Each app's modules, those of its packages (``spaces/services/``) included.
    tops = [
        top
        for top in BASE_DIR.iterdir()
        if top.is_dir() and top.name not in {"tests", "benchmarks"} and not top.name.startswith(".")
    ]
    for path in (path for top in tops for path in top.rglob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name not in {"notify", "notify_many", "notify_address"}:
                continue
            for keyword in node.keywords:
                if keyword.arg == "kind" and isinstance(keyword.value, ast.Constant):
                    assert isinstance(keyword.value.value, str), ast.dump(keyword)
                    found.add(keyword.value.value)
    return found


def test_the_list_of_kinds_checked_is_every_kind_the_code_sends() -> None:
    assert _notify_kinds_in_the_code() == KINDS
