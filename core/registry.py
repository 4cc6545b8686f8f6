"""Explicit registries: how a higher app plugs into a lower one without the lower one
importing it.

A lower app declares a ``Registry`` of a typed callable; each higher app registers its
entry from its ``AppConfig.ready()``. Entries run in a fixed order (``order``, then
name), never in import order, and a second entry under a name already taken raises, so a
typo or a double registration is found at start-up, not in production. Callers run the
entries in their own transaction: there are no signals in between.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


class AlreadyRegistered(ValueError):
    pass


@dataclass
class Registry(Generic[T]):
    """Named entries of one type, in a deterministic order."""

    what: str
    _entries: dict[str, tuple[int, T]] = field(default_factory=dict)

    def register(self, name: str, entry: T, *, order: int) -> T:
        taken = self._entries.get(name)
        if taken is not None and taken[1] is not entry:
            raise AlreadyRegistered(f"{self.what}: an entry named {name!r} is already registered.")
        self._entries[name] = (order, entry)
        return entry

    def entries(self) -> list[T]:
        """Every entry, by ``order`` and then by name."""
        return [
            entry
            for _name, (_order, entry) in sorted(
                self._entries.items(), key=lambda item: (item[1][0], item[0])
            )
        ]

    def names(self) -> list[str]:
        return [name for name, _ in sorted(self._entries.items(), key=lambda i: (i[1][0], i[0]))]


@dataclass
class Slot(Generic[T]):
    """One entry that a higher app must provide (one, never two)."""

    what: str
    _entry: T | None = None

    def register(self, entry: T) -> T:
        if self._entry is not None and self._entry is not entry:
            raise AlreadyRegistered(f"{self.what} is already registered.")
        self._entry = entry
        return entry

    def get(self) -> T:
        if self._entry is None:
            raise LookupError(f"{self.what} is not registered: is its app installed?")
        return self._entry
