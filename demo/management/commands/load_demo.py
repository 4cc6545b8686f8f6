from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import User
from accounts.services import user_create, user_grant_staff_views
from demo.advisory import (
    ADVISORY_PROPOSALS,
    OWN_SEALED_REVIEW_LOGIN,
    PASSED,
    RECUSAL_REASON_LOGIN,
    load_closed_and_overdue_rounds,
    load_open_round,
)
from demo.cast import Cast
from demo.clock import FIRST_PROPOSALS, SPACE_SET_UP, demo_clock
from demo.proposals import DEMO_PROPOSALS, PRIVATE_DRAFT, PRIVATE_DRAFT_LOGIN, load_proposals
from demo.voting import (
    OPEN,
    OPEN_VOTE_LOGINS,
    OPEN_VOTE_VOTED_LOGIN,
    VOTING_PROPOSALS,
    vote_timeline,
)
from notifications.models import Notification
from organisations.models import Organisation
from organisations.services import organisation_approve, organisation_register
from spaces.services import (
    invitation_check_code,
    invitation_create,
    invitation_redeem,
    membership_add,
    rulebook_change,
    space_create,
)

DEMO_PASSWORD = "demo passphrase 2026"  # noqa: S105 - printed for the demo on purpose

# The demo cast. Public names only: nobody on Real Voice is asked for a legal name.
PEOPLE = [
    ("admin", "Site staff (demo)", True, "site staff: reads the history and outbox in the admin"),
    ("facilitator", "Rosa, facilitator", False, "runs the Northside decision space (TOTP set up)"),
    ("facilitator2", "Jo, facilitator", False, "also runs Northside (TOTP set up)"),
    ("editor", "Outreach Collective editor", False, "drafts proposals for an organisation"),
    ("board1", "Marcus", False, "advisory board member"),
    ("board2", "Ines", False, "advisory board member, peer worker"),
    ("board3", "T.", False, "advisory board member, joined by a facilitator's one-time code"),
    ("voter1", "Dee", False, "voter in the Northside electorate"),
    ("voter2", "Ahmed", False, "voter in the Northside electorate"),
]

# A fixed TOTP secret for the demo's staff and facilitator accounts, printed so that a
# demo user can add it to an authenticator app: facilitator and staff powers need a second
# factor. Never a secret anywhere but the demo (load_demo refuses to run without DEBUG).
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105
WITH_TOTP = ("admin", "facilitator", "facilitator2")

# Members without a login of their own (no usable password), so the board has 7 people
# and the electorate 40.
EXTRA_BOARD = 4
EXTRA_VOTERS = 38
EXTRA_PEOPLE = EXTRA_BOARD + EXTRA_VOTERS


FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"


def site_url() -> str:
    """The address the demo serves, as every link it prints names it: SITE_URL (which
    ``make demo`` sets from PORT), else the development server's default."""
    url = getattr(settings, "SITE_URL", "") or os.environ.get("SITE_URL", "")
    return (url or "http://127.0.0.1:8000").rstrip("/")


CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"


def mail_folder() -> Path | None:
    """Where the demo's e-mails go: EMAIL_URL's folder when it names one (``make demo``
    sets file://…/var/demo-mail); var/demo-mail in the checkout instead of the console, so
    they are never printed among the logins; None for any other backend (SMTP, or the
    tests' memory)."""
    if settings.EMAIL_BACKEND == FILE_BACKEND:
        return Path(getattr(settings, "EMAIL_FILE_PATH", ""))
    if settings.EMAIL_BACKEND == CONSOLE_BACKEND:
        return Path(settings.BASE_DIR) / "var" / "demo-mail"
    return None


class Command(BaseCommand):
    help = "Fill an empty database with demo data and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            # The demo accounts share one password, printed below and in the README.
            raise CommandError(
                "load_demo runs only with DEBUG=true: it creates a site staff account whose "
                "password is published, so it must never run on a server."
            )
        folder = mail_folder()
        if User.objects.exists():
            self.stdout.write("The database already has people in it; demo data not loaded.")
        else:
            # The e-mails the demo's steps send (about a hundred) go to files, never to
            # this output.
            # Nor a log line for each of their deliveries, which run in-process here.
            trace = logging.getLogger("celery.app.trace")
            level = trace.level
            trace.setLevel(logging.WARNING)
            try:
                if folder is None:
                    self._load()
                else:
                    with override_settings(EMAIL_BACKEND=FILE_BACKEND, EMAIL_FILE_PATH=str(folder)):
                        self._load()
            finally:
                trace.setLevel(level)
            sent = Notification.objects.filter(sent_at__isnull=False).count()
            where = f"written to files in {folder}/" if folder else "sent through EMAIL_URL"
            self.stdout.write(
                self.style.SUCCESS("Demo data loaded.") + f" Its {sent} e-mails were {where}."
            )
        self._print_guide(folder)

    def _load(self) -> None:
        # The demo happens on a timeline, in order, so that its rounds show their
        # deadlines passed or to come (see demo.clock.demo_clock).
        start = timezone.now()
        with transaction.atomic():
            with demo_clock(start - SPACE_SET_UP):
                for username, public_name, is_staff, _role in PEOPLE:
                    person = user_create(
                        username=username,
                        public_name=public_name,
                        email=None if username == "board3" else f"{username}@demo.invalid",
                        email_verified=True,
                        password=DEMO_PASSWORD,
                        is_staff=is_staff,
                    )
                    if is_staff:
                        user_grant_staff_views(user=person)
                load_organisations_and_spaces()
            # The votes run for weeks beside the rounds; their steps are put in
            # time order with the rounds' (see demo.voting).
            with vote_timeline(start=start):
                load_closed_and_overdue_rounds(start=start)
                with demo_clock(start - FIRST_PROPOSALS):
                    load_proposals()
                load_open_round(start=start)

    def _print_guide(self, folder: Path | None) -> None:
        site = site_url()
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD!r}):")
        for username, public_name, _is_staff, role in PEOPLE:
            self.stdout.write(f"  {username:<12} {public_name:<28} {role}")
        self.stdout.write(
            f"\nSecond factor for {', '.join(WITH_TOTP)}: add this TOTP secret to an "
            f"authenticator app: {DEMO_TOTP_SECRET}\n"
            f"  (or the URI otpauth://totp/Real%20Voice:demo?secret={DEMO_TOTP_SECRET}"
            "&issuer=Real%20Voice)"
        )
        self.stdout.write("\nProposals in Northside:")
        for proposal in DEMO_PROPOSALS + ADVISORY_PROPOSALS:
            self.stdout.write(f"  {proposal.title}: {proposal.shown}")
        self.stdout.write(
            f"  To see the private draft ({PRIVATE_DRAFT.title!r}), sign in as "
            f"{PRIVATE_DRAFT_LOGIN!r}.\n"
            f"  Reviews are sealed until a round closes: sign in as "
            f"{OWN_SEALED_REVIEW_LOGIN!r} to see your own in the night buses' round; as "
            f"{RECUSAL_REASON_LOGIN!r}, the reason a member gave for stepping aside."
        )
        self.stdout.write("\nVotes in Northside:")
        self.stdout.write(f"  {PASSED.title}: its vote is scheduled and opens in about six days")
        for proposal in VOTING_PROPOSALS:
            self.stdout.write(f"  {proposal.title}: {proposal.shown}")
        self.stdout.write(
            f"  To vote, sign in as {' or '.join(map(repr, OPEN_VOTE_LOGINS))} and open "
            f"{OPEN.title!r}; {OPEN_VOTE_VOTED_LOGIN!r} has voted and can change their "
            "ballot only with the receipt, which the demo did not keep."
        )
        self.stdout.write(
            f"\nThe site: {site}/  (Northside: {site}/spaces/northside/, organisations: "
            f"{site}/organisations/, admin: {site}/admin/)"
        )
        if folder is not None:
            self.stdout.write(
                f"E-mails the site sends while the demo serves are written to {folder}/ too."
            )
        self.stdout.write("")


def load_organisations_and_spaces() -> None:
    """Two organisations, the Northside space (board of 7, electorate of 40), one member
    who joined by a one-time code, and a rulebook change: all through the services."""
    from allauth.mfa.totp.internal.auth import TOTP

    cast = Cast()
    people = cast.people
    for username in WITH_TOTP:
        TOTP.activate(people[username], DEMO_TOTP_SECRET)

    staff = cast.strong("admin")
    outreach = organisation_register(
        actor=cast.strong("editor"),
        name="Outreach Collective",
        description="Street outreach, naloxone and drug checking in the north of the city.",
    )
    organisation_approve(actor=staff, organisation=outreach)
    organisation_register(
        actor=cast.strong("voter1"),
        name="Harbour Health Project",
        description="A clinic that would like to open a managed-use program.",
    )  # left pending: site staff can approve it at /organisations/review/
    assert Organisation.objects.count() == 2

    space = space_create(
        actor=staff,
        name="Northside",
        slug="northside",
        description="Harm-reduction programs for the north of the city, decided with the "
        "people they serve.",
        facilitators=[people["facilitator"], people["facilitator2"]],
    )
    rosa = cast.strong("facilitator")
    for username, note in (
        ("board1", "Used heroin for 15 years; on methadone now."),
        ("board2", "Peer worker; uses stimulants."),
    ):
        membership_add(
            actor=rosa, space=space, user=people[username], role="board", lived_experience=note
        )
    for number in range(4, 4 + EXTRA_BOARD):
        person = user_create(
            username=f"demo-board{number}", public_name=f"Board member {number}", password=None
        )
        membership_add(actor=rosa, space=space, user=person, role="board")
    # board3 has no e-mail address: a facilitator gave them a one-time code in person.
    _invitation, code = invitation_create(actor=rosa, space=space, role="board")
    invitation_redeem(invitation=invitation_check_code(code=code), user=people["board3"])

    for username in ("voter1", "voter2"):
        membership_add(actor=rosa, space=space, user=people[username], role="electorate")
    for number in range(3, 3 + EXTRA_VOTERS):
        person = user_create(
            username=f"demo-voter{number}", public_name=f"Voter {number}", password=None
        )
        membership_add(actor=rosa, space=space, user=person, role="electorate")

    # Four reviews at least, whatever the board's size after recusals: the community
    # line's round, with its two authors recused, stays overdue one answer short.
    rulebook_change(actor=rosa, space=space, voting_window_days=10, minimum_reviews=4)
