from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from accounts.services import user_create, user_grant_staff_views

DEMO_PASSWORD = "demo passphrase 2026"  # noqa: S105 - printed for the demo on purpose

# The demo cast. Public names only: nobody on Real Voice is asked for a legal name.
PEOPLE = [
    ("admin", "Site staff (demo)", True, "site staff: reads the history and outbox in the admin"),
    ("facilitator", "Rosa, facilitator", False, "runs the Northside decision space"),
    ("editor", "Outreach Collective editor", False, "drafts proposals for an organisation"),
    ("board1", "Marcus", False, "advisory board member"),
    ("board2", "Ines", False, "advisory board member, peer worker"),
    ("board3", "T.", False, "advisory board member, joined without an e-mail address"),
    ("voter1", "Dee", False, "voter in the Northside electorate"),
    ("voter2", "Ahmed", False, "voter in the Northside electorate"),
]


class Command(BaseCommand):
    help = "Fill an empty database with demo data and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            # The demo accounts share one password, printed below and in the README.
            raise CommandError(
                "load_demo runs only with DEBUG=true: it creates a site staff account whose "
                "password is published, so it must never run on a server."
            )
        if User.objects.exists():
            self.stdout.write("The database already has people in it; demo data not loaded.")
        else:
            with transaction.atomic():
                for username, public_name, is_staff, _role in PEOPLE:
                    person = user_create(
                        username=username,
                        public_name=public_name,
                        email=None if username == "board3" else f"{username}@demo.invalid",
                        password=DEMO_PASSWORD,
                        is_staff=is_staff,
                    )
                    if is_staff:
                        user_grant_staff_views(user=person)
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD!r}):")
        for username, public_name, _is_staff, role in PEOPLE:
            self.stdout.write(f"  {username:<12} {public_name:<28} {role}")
        self.stdout.write("\nThe site: http://127.0.0.1:8000/  (admin: /admin/)\n")
