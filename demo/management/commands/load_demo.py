from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User
from accounts.services import user_create

DEMO_PASSWORD = "demo passphrase 2026"  # noqa: S105 - printed for the demo on purpose

# The demo cast. Public names only: nobody on Real Voice is asked for a legal name.
PEOPLE = [
    ("admin", "Site staff (demo)", True, "looks after the site: approves organisations"),
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
        if User.objects.exists():
            self.stdout.write("The database already has people in it; demo data not loaded.")
        else:
            with transaction.atomic():
                for username, public_name, is_staff, _role in PEOPLE:
                    user_create(
                        username=username,
                        public_name=public_name,
                        email=None if username == "board3" else f"{username}@demo.invalid",
                        password=DEMO_PASSWORD,
                        is_staff=is_staff,
                    )
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD!r}):")
        for username, public_name, _is_staff, role in PEOPLE:
            self.stdout.write(f"  {username:<12} {public_name:<28} {role}")
        self.stdout.write("\nThe site: http://127.0.0.1:8000/  (admin: /admin/)\n")
