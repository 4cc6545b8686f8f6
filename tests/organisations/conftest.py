"""The same fixed cast as the space tests (tests/spaces/conftest.py)."""

from tests.spaces.conftest import cast

__all__ = ["cast"]
