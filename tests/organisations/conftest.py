"""The same fixed cast as the space tests (tests/spaces/conftest.py)."""

from tests.spaces.conftest import _quick_password_hashing, cast

__all__ = ["_quick_password_hashing", "cast"]
