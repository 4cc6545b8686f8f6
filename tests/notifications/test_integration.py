"""A real Celery worker delivers the outbox, and a Redis outage delays e-mail but loses none.

These tests run only when REDIS_URL is set (CI's second pass, on PostgreSQL). The contract
with whoever starts the run:

Shared worker, for ``test_a_committed_notification_is_delivered_by_the_running_worker``,
started before pytest on the same Redis and on pytest's *test* database, without beat
(``-B``): no sweep runs on the shared Redis, so that test proves the task queued at commit
is delivered, not a sweep's later copy::

    DATABASE_URL=postgres://…/test_<name>    # pytest-django's test database for DATABASE_URL
    DB_CONN_MAX_AGE=0                        # so pytest can drop that database at the end
    REDIS_URL=<the same URL pytest gets>
    EMAIL_URL=file://$REALVOICE_WORKER_MAIL_DIR
    celery -A config worker

pytest gets ``REDIS_URL``, ``DATABASE_URL`` and ``REALVOICE_WORKER_MAIL_DIR`` (the folder the
worker writes e-mails to). A missing variable or a worker that does not answer a ping
fails the test; it never skips.

``test_e_mail_written_during_a_redis_outage_is_delivered_once_redis_is_back`` brings its
own ``redis-server`` (``REDIS_SERVER``, default /usr/bin/redis-server) on a free port and
its own worker with embedded beat (a sweep every second) on that Redis and the test
database, so it can kill Redis without disturbing anything else. While it runs, it asks
the shared worker to stop consuming (and resumes it after): nothing should queue this
test's row on the shared Redis, but should anything do so (a shared worker started with
``-B`` after all), that worker must not deliver the row into its own folder.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO
from urllib.parse import quote

import pytest
import redis
from celery import Celery
from django.conf import settings
from django.db import transaction
from django.test import Client

from accounts.models import User
from config.celery import app as celery_app
from notifications.models import Notification
from notifications.services import notify
from tests.factories import UserFactory
from tests.notifications.support import broker_connection_attempts

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

REDIS_SERVER = os.environ.get("REDIS_SERVER", "/usr/bin/redis-server")
SHARED_WORKER_DELIVERY_SECONDS = 30
RECOVERY_SECONDS = 60
WORKER_START_SECONDS = 30


def wait_for(condition: Callable[[], object], seconds: float, every: float = 0.2) -> bool:
    """Poll ``condition`` until it is true or ``seconds`` pass; return whether it held."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return bool(condition())


def mail_files_naming(folder: Path, address: str) -> list[Path]:
    if not folder.is_dir():
        return []
    return [path for path in folder.iterdir() if address in path.read_text(errors="replace")]


@contextmanager
def control_app(broker_url: str) -> Iterator[Celery]:
    """A bare Celery app for remote control on ``broker_url``.

    Not the site's app: its control messages go out through a cached producer pool bound
    to the broker it first used, whatever connection one passes.
    """
    probe = Celery("realvoice-probe", broker=broker_url, set_as_current=False)
    try:
        yield probe
    finally:
        probe.close()


def ping(broker_url: str, timeout: float) -> list[str]:
    """The first worker on ``broker_url`` to answer within ``timeout`` seconds, if any."""
    with control_app(broker_url) as probe:
        replies = probe.control.ping(timeout=timeout, limit=1) or []
    return [name for reply in replies for name in reply]


def unique_person() -> tuple[User, str]:
    address = f"outbox-{uuid.uuid4().hex[:12]}@example.org"
    return UserFactory(email=address), address


# --- Shared worker ----------------------------------------------------------------------


def test_a_committed_notification_is_delivered_by_the_running_worker() -> None:
    mail_dir = os.environ.get("REALVOICE_WORKER_MAIL_DIR")
    if not mail_dir:
        pytest.fail(
            "REALVOICE_WORKER_MAIL_DIR is not set: give pytest the folder the worker writes"
            " e-mails to (the worker's EMAIL_URL=file://<that folder>)."
        )
    assert settings.REDIS_URL
    workers = ping(settings.REDIS_URL, timeout=5)
    if not workers:
        pytest.fail(
            f"No Celery worker answered a ping on {settings.REDIS_URL}. Start one on the"
            f" test database first: DATABASE_URL=<…/{settings.DATABASES['default']['NAME']}>"
            " celery -A config worker (see this module's docstring)."
        )
    person, address = unique_person()
    started = time.monotonic()

    with transaction.atomic():
        row = notify(recipient=person, kind="round-opened", body="A review round is open.")
    assert row is not None

    delivered = wait_for(
        lambda: (
            Notification.objects.filter(pk=row.pk).exclude(sent_at=None).exists()
            and mail_files_naming(Path(mail_dir), address)
        ),
        SHARED_WORKER_DELIVERY_SECONDS,
    )
    row.refresh_from_db()
    assert delivered, (
        f"Not delivered within {SHARED_WORKER_DELIVERY_SECONDS} s by {workers}:"
        f" sent_at={row.sent_at}, attempts={row.attempts}, last_error={row.last_error!r},"
        f" mail files naming the address: {mail_files_naming(Path(mail_dir), address)}"
    )
    logging.getLogger(__name__).info("delivered in %.1f s", time.monotonic() - started)


# --- Redis outage, end to end -------------------------------------------------------------


class RedisServer:
    """A throwaway redis-server on one port, keeping nothing on disk."""

    def __init__(self, port: int, log: IO[bytes]) -> None:
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        if not Path(REDIS_SERVER).exists():
            pytest.fail(f"redis-server not found at {REDIS_SERVER} (set REDIS_SERVER).")
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                *("--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no"),
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)

        def answers() -> bool:
            try:
                return bool(client.ping())
            except redis.RedisError:
                return False

        if not wait_for(answers, 10):
            pytest.fail(f"redis-server did not start on port {self.port}")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


def database_url_for_worker() -> str:
    """A DATABASE_URL naming the test database this pytest run writes to."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{database['NAME']}"
    user = quote(database.get("USER") or "")
    password = database.get("PASSWORD") or ""
    credentials = f"{user}:{quote(password)}@" if password else (f"{user}@" if user else "")
    host = database.get("HOST") or "localhost"
    port = f":{database['PORT']}" if database.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{quote(database['NAME'])}"


@contextmanager
def worker_process(*, broker_url: str, mail_dir: Path, workdir: Path) -> Iterator[str]:
    """A Celery worker with embedded beat (sweep every second) on ``broker_url``."""
    name = f"outage-{uuid.uuid4().hex[:8]}@%h"
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_worker(),
        "REDIS_URL": broker_url,
        "EMAIL_URL": f"file://{mail_dir}",
        "SWEEP_INTERVAL_SECONDS": "1",
    }
    log_path = workdir / "worker.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "config", "worker", "-B"),
                *("--pool=solo", "--loglevel=INFO", "--without-mingle", "--without-gossip"),
                *("-n", name, "--schedule", str(workdir / "celerybeat-schedule")),
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            # Only this worker listens on this Redis.
            if not wait_for(lambda: ping(broker_url, 1), WORKER_START_SECONDS, 0):
                pytest.fail(f"The test's own worker did not start:\n{tail(log_path)}")
            yield str(log_path)
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def tail(path: Path, lines: int = 40) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


@contextmanager
def shared_workers_paused() -> Iterator[None]:
    """Stop the shared worker consuming tasks, so that it cannot take our row, whatever
    queued it on the shared Redis."""
    assert settings.REDIS_URL
    queue = celery_app.conf.task_default_queue
    with control_app(settings.REDIS_URL) as probe:
        replies = probe.control.cancel_consumer(queue, reply=True, timeout=2) or []
        names = [name for reply in replies for name in reply]

        def idle() -> bool:
            inspect = probe.control.inspect(names, timeout=1)
            busy = [*(inspect.active() or {}).values(), *(inspect.reserved() or {}).values()]
            return not any(busy)

        try:
            if names and not wait_for(idle, 15):
                pytest.fail(f"The shared worker {names} did not finish its running tasks.")
            yield
        finally:
            if names:
                probe.control.add_consumer(queue, reply=True, timeout=2, destination=names)


@contextmanager
def in_process_broker(url: str) -> Iterator[None]:
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}
    celery_app.conf.update(broker_url=url, task_always_eager=False)
    try:
        yield
    finally:
        celery_app.conf.update(saved)


@pytest.mark.urls("tests.notifications.urls")
def test_e_mail_written_during_a_redis_outage_is_delivered_once_redis_is_back(
    tmp_path: Path, client: Client, caplog: pytest.LogCaptureFixture, closed_port: int
) -> None:
    caplog.set_level(logging.WARNING, logger="notifications")
    person, address = unique_person()
    client.force_login(person)
    mail_dir = tmp_path / "mail"
    port = closed_port

    with (
        (tmp_path / "redis.log").open("wb") as redis_log,
        shared_workers_paused(),
    ):
        server = RedisServer(port, redis_log)
        try:
            server.start()
            with worker_process(broker_url=server.url, mail_dir=mail_dir, workdir=tmp_path):
                server.kill()

                with in_process_broker(server.url), broker_connection_attempts() as attempts:
                    response = client.post("/notify-me/")

                assert response.status_code == 200
                # The request tried Redis once and did not retry, so it did not wait on it.
                assert attempts.call_count == 1
                assert "the outbox sweep will retry" in caplog.text
                row = Notification.objects.get(recipient=person)
                # A few sweep intervals pass with Redis down: the e-mail waits.
                time.sleep(3)
                row.refresh_from_db()
                assert row.status == Notification.Status.PENDING
                assert mail_files_naming(mail_dir, address) == []

                server.start()
                recovered = time.monotonic()
                delivered = wait_for(
                    lambda: (
                        Notification.objects.filter(pk=row.pk).exclude(sent_at=None).exists()
                        and mail_files_naming(mail_dir, address)
                    ),
                    RECOVERY_SECONDS,
                )
                row.refresh_from_db()
                assert delivered, (
                    f"Not delivered {RECOVERY_SECONDS} s after Redis came back:"
                    f" sent_at={row.sent_at}, attempts={row.attempts},"
                    f" last_error={row.last_error!r}\n{tail(tmp_path / 'worker.log')}"
                )
                assert row.attempts == 1
                logging.getLogger(__name__).info(
                    "delivered %.1f s after Redis came back", time.monotonic() - recovered
                )
        finally:
            server.kill()
