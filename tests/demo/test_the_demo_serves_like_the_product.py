"""The demo like the product: it serves on the address it is given and says that address,
runs the minute sweep itself while it serves (so a vote that closed is counted without
anyone running a command), keeps its e-mails out of what it prints, answers errors with
the site's own pages, and the site has its own favicon."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from django.contrib.staticfiles import finders
from django.core.handlers.exception import response_for_exception
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.views import debug

from core import error_pages
from demo.management.commands import serve_demo
from demo.management.commands.serve_demo import Sweeper
from demo.voting import COUNTING
from proposals.models import Proposal
from tests.notifications.support import deliver_all
from tests.pages.support import Page
from voting.models import Vote

# Long enough never to be reached in a passing run; a bound, not a timing assertion.
PATIENCE = 30


def test_the_sweeper_runs_the_sweep_each_interval_and_a_failure_never_stops_it() -> None:
    calls: list[int] = []
    third = threading.Event()

    def sweep() -> str:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the database was busy")
        if len(calls) == 3:
            third.set()
        return "swept"

    lines: list[str] = []
    sweeper = Sweeper(every=0.01, sweep=sweep, report=lines.append)
    sweeper.start()
    try:
        assert third.wait(PATIENCE), "the sweeper stopped sweeping"
    finally:
        sweeper.stop()
        sweeper.join(PATIENCE)
    assert not sweeper.is_alive()
    assert lines[:2] == ["swept", "swept"]


def test_serve_demo_serves_on_the_address_given_with_the_sweep_running_beside_it(
    settings: Any,
) -> None:
    settings.SWEEP_INTERVAL_SECONDS = 0.01
    swept = threading.Event()
    served: dict[str, Any] = {}

    def runserver(name: str, addrport: str, **options: Any) -> None:
        # While "serving", the sweep runs on its own.
        served.update(name=name, addrport=addrport, **options)
        served["swept while serving"] = swept.wait(PATIENCE)

    def sweep() -> str:
        swept.set()
        return "rounds closed: 0"

    with (
        patch.object(serve_demo, "call_command", runserver),
        patch.object(serve_demo, "sweep_once", sweep),
    ):
        call_command("serve_demo", "127.0.0.1:8123")

    assert served == {
        "name": "runserver",
        "addrport": "127.0.0.1:8123",
        "use_reloader": False,
        "swept while serving": True,
    }


@pytest.fixture
def demo(settings: Any, capsys: pytest.CaptureFixture[str], db: None) -> str:
    settings.DEBUG = True
    settings.SITE_URL = "http://127.0.0.1:8123"
    call_command("load_demo")
    return capsys.readouterr().out


def test_the_demos_sweep_counts_the_vote_that_closed_without_a_command(demo: str) -> None:
    vote = Vote.objects.get(proposal__draft__title=COUNTING.title)
    assert vote.finalised_at is None  # closed before the demo loaded: counting

    # One run of what serve_demo's thread runs every minute, in the same thread here.
    Sweeper(every=60).run_once()

    vote.refresh_from_db()
    assert vote.finalised_at is not None
    assert Proposal.objects.get(pk=vote.proposal_id).state in {"adopted", "rejected", "failed"}


def test_load_demo_names_the_address_it_serves_and_prints_no_e_mail(demo: str) -> None:
    assert "http://127.0.0.1:8123/spaces/northside/" in demo
    assert "8000" not in demo
    # The logins and a summary, not the e-mails themselves.
    assert "Demo logins" in demo
    assert "Subject:" not in demo
    assert "Content-Type:" not in demo
    assert demo.count("\n") < 80


def test_load_demo_writes_its_e_mails_to_the_folder_it_names(
    settings: Any,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    db: None,
) -> None:
    settings.DEBUG = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "demo-mail")

    call_command("load_demo")
    out = capsys.readouterr().out
    # The deliveries, in this process as the demo (no Redis) runs them at its commits; a
    # test's transaction never commits, and with Redis a worker could not see the rows.
    assert deliver_all() > 0

    files = list((tmp_path / "demo-mail").iterdir())
    assert files
    assert f"written to files in {tmp_path / 'demo-mail'}/" in out
    assert "Subject:" not in out
    assert any("Subject:" in file.read_text() for file in files)


# --- The site's own error pages, with DEBUG on ---------------------------------------------


@pytest.fixture
def site_error_pages(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """As the demo runs: DEBUG on, SITE_ERROR_PAGES on (Django's debug pages restored
    after the test)."""
    settings.DEBUG = True
    settings.SITE_ERROR_PAGES = True
    monkeypatch.setattr(debug, "technical_404_response", debug.technical_404_response)
    monkeypatch.setattr(debug, "technical_500_response", debug.technical_500_response)
    from django.apps import apps

    apps.get_app_config("core").ready()


@pytest.mark.django_db
def test_with_debug_on_a_missing_page_is_the_sites_own_404(site_error_pages: None) -> None:
    for path in ("/no-such-page/", "/spaces/no-such-space/"):
        response = Client().get(path)
        html = response.content.decode()
        assert response.status_code == 404
        assert "URLconf" not in html
        assert "Django tried these URL patterns" not in html
        assert 'rel="icon"' in html  # the site's own template


@pytest.mark.django_db
def test_with_debug_on_a_server_error_is_the_sites_own_500(site_error_pages: None) -> None:
    request = RequestFactory().get("/somewhere/")
    try:
        raise RuntimeError("something broke")
    except RuntimeError as error:
        with patch("django.core.handlers.exception.log_response"):
            response = response_for_exception(request, error)
    html = response.content.decode()
    assert response.status_code == 500
    assert "Traceback" not in html
    assert "something broke" not in html
    assert 'rel="icon"' in html


def test_without_the_setting_debug_keeps_djangos_pages(settings: Any) -> None:
    settings.DEBUG = True
    settings.SITE_ERROR_PAGES = False
    original = debug.technical_404_response
    from django.apps import apps

    apps.get_app_config("core").ready()
    assert debug.technical_404_response is original
    assert error_pages._site_not_found is not original


# --- The favicon -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_site_has_its_own_favicon_linked_from_every_page() -> None:
    page = Page(Client().get("/").content.decode())
    [icon] = [link for link in page.find_all("link") if link.get("rel") == "icon"]

    href = icon["href"]
    assert href is not None
    assert href.startswith("/static/")
    assert href.split("/")[-1].startswith("favicon")
    assert finders.find("favicon.svg")
    response = Client().get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == icon["href"]
