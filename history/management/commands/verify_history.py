from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from history.selectors import ChainHead
from history.verification import verify


class Command(BaseCommand):
    help = "Verify the decision history chain; exits non-zero naming the first bad event."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--expected-head",
            metavar="SEQ:HASH",
            help="a head published earlier (log page, feed, printed record): catches a "
            "chain that was cut short or rebuilt",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        expected = None
        if options["expected_head"]:
            try:
                expected = ChainHead.parse(options["expected_head"])
            except ValueError as exc:
                raise CommandError(str(exc)) from None
        result = verify(expected_head=expected)
        if not result.ok:
            raise CommandError(str(result))
        self.stdout.write(str(result))
