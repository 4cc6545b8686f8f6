#!/usr/bin/env python3
"""Recount a Real Voice vote from its two published files.

    python3 recount.py receipts.csv result.json
    python3 recount.py receipts.csv result.json --receipt        (asks for your receipt)
    python3 recount.py receipts.csv result.json --receipt ABCD-EFGH-...

Needs Python 3.11 or newer and nothing else; it only reads the two files. It checks
that every line of the receipts list is well formed, that no ballot hash appears twice
and the lines are sorted by hash, that the list gives the published counts (each
choice, when the list shows choices) and turnout, that the published numbers add up,
and that the list is byte for byte the one the result was published with (SHA-256).

With --receipt it also tells whether your ballot is in the list, and with which
choice, without printing your receipt. A receipt typed after --receipt stays in your
shell's history; give --receipt alone to be asked for it instead.

Exit status: 0 when everything matches; 1 at the first difference, which it names.
Both file formats are described in voting/receipts.py in the Real Voice source.
"""

import argparse
import getpass
import hashlib
import json
import re
import sys
from pathlib import Path

CHOICES = ("approve", "reject", "abstain")
HEADERS = {"receipt_hash,choice": True, "receipt_hash": False}  # header: shows choices?
RESULT_FORMAT = "realvoice-result/1"
HASH = re.compile(r"[0-9a-f]{64}")
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"  # base 32, RFC 4648


class Difference(Exception):
    """The first thing that does not match, in words."""


def ballot_hash(receipt: str) -> str:
    """SHA-256("ballot" + R) for a receipt as printed: 28 base-32 characters that
    carry R (128 bits) and 12 check bits; spaces, dashes and case do not matter."""
    text = re.sub(r"[\s\-\u2010-\u2015\u2212]", "", receipt).upper()
    text = text.translate(str.maketrans("01", "OI"))  # typed 0 and 1 read as O and I
    if len(text) != 28 or any(c not in ALPHABET for c in text):
        raise ValueError(
            "That is not a receipt: a receipt has 28 letters (A-Z) and digits (2-7), "
            "not counting spaces and dashes."
        )
    number = 0
    for c in text:
        number = number * 32 + ALPHABET.index(c)
    r = (number >> 12).to_bytes(16, "big")
    check = int.from_bytes(hashlib.sha256(b"check" + r).digest()[:2], "big") >> 4
    if number & 0xFFF != check:
        raise ValueError(
            "That receipt has a typing mistake (its check characters do not match). "
            "Compare it with the one you saved, character by character."
        )
    return hashlib.sha256(b"ballot" + r).hexdigest()


def read_result(path: Path) -> dict:
    try:
        result = json.loads(path.read_bytes())
    except (OSError, ValueError) as error:
        raise Difference(f"{path} cannot be read as JSON: {error}") from None
    if not isinstance(result, dict) or result.get("format") != RESULT_FORMAT:
        raise Difference(f"{path} is not a Real Voice result ({RESULT_FORMAT}).")
    counts = result.get("counts")
    if not isinstance(counts, dict) or sorted(counts) != sorted(CHOICES):
        raise Difference(f"{path}: 'counts' should give approve, reject and abstain.")
    for key, value in [*counts.items(), *((k, result.get(k)) for k in ("turnout", "electorate"))]:
        if type(value) is not int or value < 0:
            raise Difference(f"{path}: {key} should be a whole number, not {value!r}.")
    if type(result.get("choices_published")) is not bool:
        raise Difference(f"{path}: 'choices_published' should be true or false.")
    if not HASH.fullmatch(str(result.get("receipts_sha256"))):
        raise Difference(f"{path}: 'receipts_sha256' should be 64 characters 0-9, a-f.")
    return result


def read_receipts(path: Path, data: bytes) -> tuple[bool, dict[str, tuple[int, str]]]:
    """Whether the list shows choices, and each ballot hash's line number and choice."""
    try:
        lines = data.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        raise Difference(f"{path} is not UTF-8 text.") from None
    if not lines or lines[0] not in HEADERS:
        raise Difference(f"{path}, line 1: the header should be one of {', '.join(HEADERS)}.")
    with_choices = HEADERS[lines[0]]
    rows: dict[str, tuple[int, str]] = {}
    previous = ""
    for number, line in enumerate(lines[1:], start=2):
        where = f"{path}, line {number}"
        receipt_hash, comma, choice = line.partition(",")
        if not HASH.fullmatch(receipt_hash):
            raise Difference(f"{where}: {receipt_hash!r} is not a ballot hash (64 of 0-9, a-f).")
        if with_choices and choice not in CHOICES:
            raise Difference(f"{where}: the choice should be approve, reject or abstain.")
        if comma and not with_choices:
            raise Difference(f"{where}: this list has hashes only, but the line has more.")
        if receipt_hash in rows:
            raise Difference(
                f"{where} repeats the ballot hash of line {rows[receipt_hash][0]}: "
                f"one ballot would be counted twice."
            )
        if receipt_hash < previous:
            raise Difference(f"{where} is out of order: the list is sorted by ballot hash.")
        rows[receipt_hash] = (number, choice)
        previous = receipt_hash
    return with_choices, rows


def recount(receipts: Path, result_path: Path) -> tuple[dict, bool, dict[str, tuple[int, str]]]:
    """The result, whether the list shows choices, and its rows; or the first Difference."""
    result = read_result(result_path)
    try:
        data = receipts.read_bytes()
    except OSError as error:
        raise Difference(f"{receipts} cannot be read: {error}") from None
    with_choices, rows = read_receipts(receipts, data)
    published = result["counts"]
    if with_choices != result["choices_published"]:
        shows = "shows" if with_choices else "does not show"
        raise Difference(f"{receipts} {shows} choices; {result_path} says the opposite.")
    if with_choices:
        for choice in CHOICES:
            listed = sum(1 for _, c in rows.values() if c == choice)
            if listed != published[choice]:
                raise Difference(
                    f"{choice}: the receipts list has {listed}, the result says "
                    f"{published[choice]}."
                )
    if len(rows) != result["turnout"]:
        raise Difference(
            f"turnout: the receipts list has {len(rows)} ballots, the result says "
            f"{result['turnout']}."
        )
    if sum(published.values()) != result["turnout"]:
        raise Difference(
            f"the result does not add up: approve + reject + abstain = "
            f"{sum(published.values())}, but turnout = {result['turnout']}."
        )
    if result["turnout"] > result["electorate"]:
        raise Difference(
            f"turnout {result['turnout']} is more than the electorate of {result['electorate']}."
        )
    digest = hashlib.sha256(data).hexdigest()
    if digest != result["receipts_sha256"]:
        raise Difference(
            f"{receipts} is not the list this result was published with: its SHA-256 is "
            f"{digest}, the result says {result['receipts_sha256']}. (Opening and saving "
            f"the list in another program changes it: download it again.)"
        )
    return result, with_choices, rows


def report(result: dict, with_choices: bool) -> None:
    counts, turnout, electorate = result["counts"], result["turnout"], result["electorate"]
    print(f"Vote {result.get('vote_id')}: {result.get('proposal')}")
    print(f"Receipts list: {turnout} ballots; SHA-256 as published: {result['receipts_sha256']}")
    if with_choices:
        for choice in CHOICES:
            print(f"  {choice:<8} {counts[choice]:>6}   counted from the list")
    else:
        print("  The list shows receipt hashes only (the rulebook does not publish choices):")
        print("  the number of ballots is checked; the count of each choice is not.")
        for choice in CHOICES:
            print(f"  {choice:<8} {counts[choice]:>6}   as published")
    part = f"{turnout / electorate:.1%}" if electorate else "-"
    print(f"  turnout  {turnout:>6}   of an electorate of {electorate} ({part})")
    voted = counts["approve"] + counts["reject"]
    if voted:
        share = f"{counts['approve'] / voted:.1%}"
        print(f"  approval share {counts['approve']}/{voted} = {share} (abstentions not counted)")
    print(f"Outcome, as published: {result.get('outcome')} (rule: {result.get('rule')})")
    checked = "counts" if with_choices else "turnout"
    print(f"Everything matches: the receipts list gives the published {checked}.")
    print("(The outcome also rests on the rulebook and, with a dual majority, on the")
    print(" advisory board's ballots, which this list does not single out.)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Recount a Real Voice vote.")
    parser.add_argument("receipts", type=Path, help="the downloaded receipts list (CSV)")
    parser.add_argument("result", type=Path, help="the downloaded result (JSON)")
    parser.add_argument(
        "--receipt",
        nargs="?",
        const="",
        metavar="R",
        help="also look up your ballot; give no value to be asked for the receipt",
    )
    args = parser.parse_args(argv)
    wanted = None
    if args.receipt is not None:
        typed = args.receipt
        if not typed:
            prompt = "Your receipt (it is not shown as you type): "
            typed = getpass.getpass(prompt) if sys.stdin.isatty() else sys.stdin.readline()
        try:
            wanted = ballot_hash(typed)
        except ValueError as error:
            print(error)
            return 1
    try:
        result, with_choices, rows = recount(args.receipts, args.result)
    except Difference as difference:
        print(f"DIFFERENCE: {difference}")
        return 1
    report(result, with_choices)
    if wanted is None:
        return 0
    if wanted not in rows:
        print("Your receipt's ballot is NOT in this list. Check that you typed the receipt")
        print("as you saved it; if you did, keep it: it shows a ballot that is missing.")
        return 1
    line, choice = rows[wanted]
    shown = f"counted as: {choice}" if with_choices else "this list does not show choices"
    print(f"Your receipt's ballot is in the list, on line {line} ({shown}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
