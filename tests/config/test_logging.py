"""Logs keep no visitor addresses and no paths that may carry a secret (a password-reset
or invitation link holds its key in the path)."""

from __future__ import annotations

import re
import runpy
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from tests.config.subprocess_env import BASE_DIR, clean_environment

GUNICORN_CONF = BASE_DIR / "platform" / "gunicorn.conf.py"

# gunicorn access-log atoms that would write the address, the path or query, the whole
# request line, the referrer or the browser (see gunicorn's "access_log_format").
REVEALING = {"h", "r", "U", "q", "f", "a", "u"}


def test_the_access_log_format_names_no_address_path_or_query() -> None:
    access_log_format = runpy.run_path(str(GUNICORN_CONF))["access_log_format"]
    atoms = set(re.findall(r"%\(([^)]+)\)s", access_log_format))

    assert atoms & REVEALING == set()
    assert not any(atom.startswith("{") for atom in atoms), "no request or response header"
    assert {"m", "s", "B", "M"} <= atoms  # method, status, size, duration


def test_gunicorn_accepts_its_configuration() -> None:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    result = subprocess.run(
        [str(gunicorn), "--check-config", "-c", str(GUNICORN_CONF), "config.wsgi:application"],
        cwd=BASE_DIR,
        env=clean_environment({}),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_djangos_request_log_leaves_out_the_paths_of_refused_requests() -> None:
    """Django names the path of every 404 it logs; only server errors are kept."""
    assert settings.LOGGING["loggers"]["django.request"]["level"] == "ERROR"
