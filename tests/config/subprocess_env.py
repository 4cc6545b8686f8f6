"""Run manage.py in a fresh process with exactly the configuration a test chooses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]

# Everything settings.py reads, so that the machine's own configuration (CI exports
# DATABASE_URL and REDIS_URL) never leaks into a test of a chosen configuration.
CONFIG_VARIABLES = {
    "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "DATABASE_URL",
    "DB_CONN_MAX_AGE", "REDIS_URL", "EMAIL_URL", "DEFAULT_FROM_EMAIL", "SESSION_IDLE_MINUTES",
    "API_THROTTLE_ANON", "API_THROTTLE_USER", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
    "BEHIND_TLS_PROXY", "TIME_ZONE", "LOG_LEVEL", "QUICK_EXIT_URL", "SWEEP_INTERVAL_SECONDS",
    "CELERY_TASK_SOFT_TIME_LIMIT", "NOTIFICATION_MAX_ATTEMPTS", "NOTIFICATION_CLAIM_SECONDS",
    "DJANGO_SETTINGS_MODULE",
}  # fmt: skip


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in CONFIG_VARIABLES}
    base["DATABASE_URL"] = "sqlite:///" + str(
        Path(os.environ.get("TMPDIR", "/tmp")) / "rv-check.sqlite3"
    )
    return subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), *args],
        cwd=BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
