"""Vote receipts and the two files a finalised vote publishes. Standard library only.

A voter's receipt R is 128 random bits, shown once in the response to the cast (and
downloadable then). The ballot row stores ``ballot_hash(R)`` = SHA-256("ballot" ‖ R),
the participation row ``voter_hash(R)`` = SHA-256("voter" ‖ R), both as lowercase hex.
The different prefixes keep the two apart: neither can be computed from the other, and
a ballot hash never equals a participation hash. Only the voter holds R.

How a receipt is written
------------------------
R followed by 12 check bits (the first 12 bits of SHA-256("check" ‖ R)) makes a 140-bit
number, written in base 32 with the RFC 4648 alphabet (A-Z, 2-7), most significant
digit first: 28 characters, shown in seven groups of four, ``ABCD-EFGH-…-WXYZ``.

- Base 32 rather than hex: 28 characters instead of 32, in even groups of four. The
  alphabet has no 0, 1, 8 or 9, so nothing reads as O, I or B; a typed 0 is taken as O
  and a typed 1 as I. Case, spaces and dashes do not matter when a receipt is typed.
- The check bits catch a typing mistake (all but one in 4096): a mistyped receipt is
  refused as mistyped, instead of looking like a ballot missing from the published
  list, which would be a false alarm about the count.

The published files
-------------------
The receipts list (``receipts_csv``) is UTF-8 text with LF line ends and no BOM. Its
first line is the header ``receipt_hash,choice``, or ``receipt_hash`` when the rulebook
publishes hashes only; then one line per ballot, ``<ballot hash>,<choice>`` (choice is
approve, reject or abstain) or ``<ballot hash>``, sorted by hash (so the order says
nothing about when anyone voted); every line ends with LF. Nothing is quoted: no value
needs it. The same ballots always give the same bytes.

The result summary (``result_json``) is a JSON object, UTF-8, indented by two spaces,
keys sorted, ending with LF::

    format            "realvoice-result/1"
    vote_id           the vote's public id (text)
    proposal          the proposal as the site names it (title and version)
    electorate        size of the electorate snapshot taken when the vote opened
    turnout           number of ballots = approve + reject + abstain
    counts            {"approve": n, "reject": n, "abstain": n}
    outcome           the outcome as the site states it
    rule              the rule that decided it, in words
    choices_published true when the receipts list has the choice column
    receipts_sha256   SHA-256 of the receipts list's bytes, lowercase hex

``scripts/recount.py`` reads both files with nothing but Python; it repeats the few
definitions it needs, so keep the two in step (the tests check that they agree).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Iterable, Mapping

RECEIPT_BITS = 128
CHECK_BITS = 12
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
RECEIPT_LENGTH = 28  # (128 + 12) / 5 characters
GROUP = 4

CHOICES = ("approve", "reject", "abstain")
HEADER_WITH_CHOICES = "receipt_hash,choice"
HEADER_HASH_ONLY = "receipt_hash"
RESULT_FORMAT = "realvoice-result/1"

_HASH = re.compile(r"[0-9a-f]{64}")
# Spaces and dashes a person (or a PDF, or a phone) may put between the groups.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]")
_TYPED_AS = str.maketrans({"0": "O", "1": "I"})


class ReceiptError(ValueError):
    """A receipt that is not one: the message says what is wrong, never the receipt.
    ``code`` (empty, alphabet, length, check) and ``details`` let the site say the same
    in the reader's language."""

    def __init__(self, message: str, *, code: str, **details: object) -> None:
        super().__init__(message)
        self.code = code
        self.details = details


def _check(raw: bytes) -> int:
    return int.from_bytes(hashlib.sha256(b"check" + raw).digest()[:2], "big") >> (16 - CHECK_BITS)


def _encode(raw: bytes) -> str:
    number = int.from_bytes(raw, "big") << CHECK_BITS | _check(raw)
    digits = "".join(ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(RECEIPT_LENGTH)))
    return "-".join(digits[i : i + GROUP] for i in range(0, RECEIPT_LENGTH, GROUP))


def new_receipt() -> str:
    """A fresh receipt: 128 bits from ``secrets``, in the form shown to the voter."""
    return _encode(secrets.token_bytes(RECEIPT_BITS // 8))


def receipt_bytes(receipt: str) -> bytes:
    """The 16 random bytes a receipt carries; ``ReceiptError`` if it is malformed."""
    text = _SEPARATORS.sub("", receipt).upper().translate(_TYPED_AS)
    if not text:
        raise ReceiptError("The receipt is empty.", code="empty")
    wrong = sorted({c for c in text if c not in ALPHABET})
    if wrong:
        shown = " ".join(repr(c) for c in wrong)
        raise ReceiptError(
            f"A receipt has only the letters A to Z and the digits 2 to 7; it cannot "
            f"contain {shown}.",
            code="alphabet",
            wrong=shown,
        )
    if len(text) != RECEIPT_LENGTH:
        raise ReceiptError(
            f"A receipt has {RECEIPT_LENGTH} letters and digits, not counting spaces "
            f"and dashes; this one has {len(text)}.",
            code="length",
            expected=RECEIPT_LENGTH,
            found=len(text),
        )
    number = 0
    for c in text:
        number = number * 32 + ALPHABET.index(c)
    raw = (number >> CHECK_BITS).to_bytes(RECEIPT_BITS // 8, "big")
    if number & ((1 << CHECK_BITS) - 1) != _check(raw):
        raise ReceiptError(
            "This receipt has a typing mistake: its check characters do not match. "
            "Compare it with the one you saved, character by character.",
            code="check",
        )
    return raw


def normalise_receipt(text: str) -> str:
    """The receipt as shown to the voter (upper case, groups of four), from any typed form."""
    return _encode(receipt_bytes(text))


def ballot_hash(receipt: str) -> str:
    """SHA-256("ballot" ‖ R) as lowercase hex: what the ballot row stores and the list shows."""
    return hashlib.sha256(b"ballot" + receipt_bytes(receipt)).hexdigest()


def voter_hash(receipt: str) -> str:
    """SHA-256("voter" ‖ R) as lowercase hex: what the participation row stores."""
    return hashlib.sha256(b"voter" + receipt_bytes(receipt)).hexdigest()


def ballot_hash_matches(receipt: str, stored: str) -> bool:
    """Whether ``stored`` is this receipt's ballot hash, compared in constant time."""
    return hmac.compare_digest(ballot_hash(receipt).encode(), stored.encode())


def voter_hash_matches(receipt: str, stored: str) -> bool:
    """Whether ``stored`` is this receipt's participation hash, compared in constant time."""
    return hmac.compare_digest(voter_hash(receipt).encode(), stored.encode())


def receipts_csv(ballots: Iterable[tuple[str, str]], *, with_choices: bool) -> bytes:
    """The published receipts list for (ballot hash, choice) pairs, in the format above.

    Refuses (``ValueError``) a hash that is not 64 lowercase hex digits, an unknown
    choice, or a hash given twice: the list must stand for one ballot per line.
    """
    rows = sorted(ballots)
    seen: set[str] = set()
    lines = [HEADER_WITH_CHOICES if with_choices else HEADER_HASH_ONLY]
    for receipt_hash, choice in rows:
        if not _HASH.fullmatch(receipt_hash):
            raise ValueError(f"Not a ballot hash: {receipt_hash!r}.")
        if choice not in CHOICES:
            raise ValueError(f"Not a choice: {choice!r}; expected one of {', '.join(CHOICES)}.")
        if receipt_hash in seen:
            raise ValueError(f"Ballot hash {receipt_hash} appears twice.")
        seen.add(receipt_hash)
        lines.append(f"{receipt_hash},{choice}" if with_choices else receipt_hash)
    return "".join(line + "\n" for line in lines).encode()


def result_json(
    *,
    vote_id: str,
    proposal: str,
    electorate: int,
    counts: Mapping[str, int],
    outcome: str,
    rule: str,
    receipts: bytes,
) -> bytes:
    """The published result summary for the receipts list ``receipts`` (its exact bytes).

    Refuses (``ValueError``) counts that the list does not bear out: the number of lines
    must be the turnout and, when the list shows choices, each choice's count must be
    its number of lines. So a tally and a list that disagree are never published.
    """
    if set(counts) != set(CHOICES) or any(
        type(counts[c]) is not int or counts[c] < 0 for c in CHOICES
    ):
        raise ValueError(f"Counts must give a whole number >= 0 for each of {CHOICES}.")
    turnout = sum(counts[c] for c in CHOICES)
    if turnout > electorate:
        raise ValueError(f"Turnout {turnout} is more than the electorate of {electorate}.")
    header, *lines = receipts.decode().split("\n")[:-1] or [""]
    if header not in (HEADER_WITH_CHOICES, HEADER_HASH_ONLY):
        raise ValueError("Not a receipts list: pass the bytes receipts_csv() made.")
    with_choices = header == HEADER_WITH_CHOICES
    if len(lines) != turnout:
        raise ValueError(f"The receipts list has {len(lines)} ballots; the counts say {turnout}.")
    if with_choices:
        listed = dict.fromkeys(CHOICES, 0)
        for line in lines:
            listed[line.split(",")[1]] += 1
        if listed != {c: counts[c] for c in CHOICES}:
            raise ValueError(f"The receipts list counts {listed}; the tally says {dict(counts)}.")
    summary = {
        "format": RESULT_FORMAT,
        "vote_id": vote_id,
        "proposal": proposal,
        "electorate": electorate,
        "turnout": turnout,
        "counts": {c: counts[c] for c in CHOICES},
        "outcome": outcome,
        "rule": rule,
        "choices_published": with_choices,
        "receipts_sha256": hashlib.sha256(receipts).hexdigest(),
    }
    return (json.dumps(summary, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
