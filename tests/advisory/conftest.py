"""The proposals cast (tests/proposals/conftest.py) serves the advisory tests too."""

from tests.proposals.conftest import _quick_password_hashing, cast, draft  # noqa: F401
