"""Run manage.py in a fresh process with exactly the configuration a test chooses."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def clean_environment(env: dict[str, str]) -> dict[str, str]:
    """An environment holding ``env`` and nothing the machine set, except PATH and HOME.

    Starting from an empty environment, rather than removing a list of known names, means
    that no variable of this machine (DATABASE_URL, REDIS_URL, SECRET_KEY_FALLBACKS,
    TRUSTED_PROXY_COUNT, or a setting added after this file was written) can change the
    outcome of a check. The database is a scratch SQLite file unless ``env`` names one.
    """
    base = {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}
    base["DATABASE_URL"] = "sqlite:///" + str(Path(tempfile.gettempdir()) / "rv-check.sqlite3")
    return {**base, **env}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), *args],
        cwd=BASE_DIR,
        env=clean_environment(env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
