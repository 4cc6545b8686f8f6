from __future__ import annotations

from dataclasses import dataclass

from history.models import Event


@dataclass(frozen=True)
class ChainHead:
    """The newest event's sequence number and hash, as published on pages and feeds."""

    seq: int
    event_hash: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.event_hash}"

    @classmethod
    def parse(cls, text: str) -> ChainHead:
        """Read a head written as ``SEQ:HASH``."""
        seq_text, _, hash_text = text.strip().partition(":")
        hash_text = hash_text.lower()
        if (
            not seq_text.isdigit()
            or int(seq_text) < 1
            or len(hash_text) != 64
            or any(c not in "0123456789abcdef" for c in hash_text)
        ):
            raise ValueError("A chain head looks like 123:<64 hexadecimal characters>.")
        return cls(seq=int(seq_text), event_hash=hash_text)


def chain_head() -> ChainHead | None:
    last = Event.objects.order_by("-seq").values_list("seq", "event_hash").first()
    return ChainHead(seq=last[0], event_hash=last[1]) if last else None
