"""Give or take site staff rights, from the server: the one way to change them.

``staff add <username>`` makes an existing account site staff (``staff_grant``),
``staff remove <username>`` takes every admin right away (``staff_revoke``), and
``staff list`` shows who has them. Each change is one transaction with its history event;
a refusal writes nothing.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from accounts.models import User
from accounts.services import STAFF_GROUP, staff_grant, staff_revoke
from core.errors import DomainError


def _person(username: str) -> User:
    # Sign-in names are unique whatever their case, so this finds at most one.
    person = User.objects.filter(username__iexact=username).first()
    if person is None:
        raise CommandError(
            f"No account has the sign-in name {username!r}. Nothing changed. The person "
            "signs up on the site first (with their e-mail address); then run this again."
        )
    return person


class Command(BaseCommand):
    help = "Give or take site staff rights (never superuser status): add, remove or list."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="add|remove|list")
        add = actions.add_parser(
            "add", help=f'make an account site staff, in the group "{STAFF_GROUP}"'
        )
        add.add_argument("username", help="the person's sign-in name")
        remove = actions.add_parser("remove", help="take every admin right from an account")
        remove.add_argument("username", help="the person's sign-in name")
        actions.add_parser("list", help="who is site staff or superuser")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            self._list()
            return
        username = options["username"]
        person = _person(username)
        change = staff_grant if options["action"] == "add" else staff_revoke
        try:
            change(person=person)
        except DomainError as error:
            raise CommandError(f"{person.username}: {error.message} Nothing changed.") from None
        if options["action"] == "add":
            self.stdout.write(
                f'{person.username} is site staff now, in the group "{STAFF_GROUP}". The '
                "admin asks them to set up two-factor authentication before it opens."
            )
        else:
            self.stdout.write(f"{person.username} has no admin rights any more.")

    def _list(self) -> None:
        people = User.objects.filter(Q(is_staff=True) | Q(is_superuser=True)).order_by("username")
        with_second_factor = set(
            Authenticator.objects.filter(user__in=people).values_list("user_id", flat=True)
        )
        for person in people:
            notes = []
            if person.is_superuser:
                notes.append("superuser")
            if person.pk not in with_second_factor:
                notes.append("no two-factor authentication yet")
            suffix = f" ({', '.join(notes)})" if notes else ""
            self.stdout.write(f"{person.username}: {person.public_name}{suffix}")
        if not people:
            self.stdout.write("Nobody is site staff.")
