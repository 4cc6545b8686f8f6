"""Serve the demo as the product runs: the development server, and beside it the minute
sweep, every SWEEP_INTERVAL_SECONDS, in a background thread, so a vote that closes while
the demo serves is counted within a minute, as its page promises, and a round past its
deadline with a quorum closes, without anyone running a command.

``make demo`` runs it (``make demo PORT=8123`` serves on 8123). The server runs without
its autoreloader: a reload would start a second process, and with it a second sweeper.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connections

from core.sweep import sweep_once

logger = logging.getLogger(__name__)


class Sweeper(threading.Thread):
    """Runs ``sweep`` every ``every`` seconds until stopped; the first run comes after
    the first interval, as beat's would. A failed run is logged and the next one comes
    as usual: one failure never stops the sweeps."""

    def __init__(
        self,
        *,
        every: float,
        sweep: Callable[[], str] | None = None,
        report: Callable[[str], None] = lambda line: None,
    ) -> None:
        super().__init__(name="demo-sweeper", daemon=True)
        self.every = every
        # The product's sweep (core.sweep), unless a test gives another.
        self.sweep = sweep or (lambda: sweep_once())
        self.report = report
        self.runs = 0
        self._stopped = threading.Event()

    def run(self) -> None:
        while not self._stopped.wait(self.every):
            close_old_connections()
            self.run_once()
            # The thread's own database connections, never left open between sweeps.
            connections.close_all()

    def run_once(self) -> None:
        try:
            self.report(self.sweep())
        except Exception:
            logger.exception("The demo's minute sweep failed; the next one runs as usual.")
        finally:
            self.runs += 1

    def stop(self) -> None:
        self._stopped.set()


class Command(BaseCommand):
    help = (
        "Serve the demo: runserver on ADDRPORT (default 127.0.0.1:8000) and the minute sweep"
        " every SWEEP_INTERVAL_SECONDS beside it."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        every = float(settings.SWEEP_INTERVAL_SECONDS)
        sweeper = Sweeper(
            every=every, report=lambda line: self.stdout.write(f"[minute sweep] {line}")
        )
        self.stdout.write(
            f"The minute sweep runs every {every:g} seconds while the demo serves "
            "(closing due rounds, counting closed votes, sending due e-mail)."
        )
        sweeper.start()
        try:
            call_command("runserver", options["addrport"], use_reloader=False)
        finally:
            sweeper.stop()
