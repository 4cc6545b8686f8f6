"""Receipts (voting.receipts) and the standalone recount script (scripts/recount.py).

The script is run as a person would run it, in a separate Python with no site-packages
(``-I -S``), on files built by voting.receipts: so it reads the files the site will
publish, and it cannot lean on Django or anything else outside the standard library.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from voting import receipts
from voting.receipts import (
    ReceiptError,
    ballot_hash,
    ballot_hash_matches,
    new_receipt,
    normalise_receipt,
    receipt_bytes,
    receipts_csv,
    result_json,
    voter_hash,
    voter_hash_matches,
)

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "recount.py"
SHOWN = re.compile(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){6}")
# A known R and its receipt, so that the tests below do not depend on chance.
FIXED = bytes(range(16))
FIXED_RECEIPT = "AAAQ-EAYE-AUDA-OCAJ-BIFQ-YDIO-B6A4"


@pytest.fixture
def fixed_receipt() -> str:
    return FIXED_RECEIPT


def c(approve: int, reject: int, abstain: int) -> dict[str, int]:
    return {"approve": approve, "reject": reject, "abstain": abstain}


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("recount", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Receipts


def test_a_receipt_carries_128_random_bits_in_seven_groups_of_four() -> None:
    receipt = new_receipt()
    assert SHOWN.fullmatch(receipt)
    assert len(receipt_bytes(receipt)) * 8 == 128


def test_receipts_are_distinct() -> None:
    made = [new_receipt() for _ in range(2000)]
    assert len(set(made)) == len(made)
    assert len({receipt_bytes(r) for r in made}) == len(made)


def test_a_receipt_is_bits_from_secrets_in_base32_then_check_characters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first 25 characters are R in RFC 4648 base 32 (125 of its 128 bits)."""
    monkeypatch.setattr(receipts.secrets, "token_bytes", lambda n: FIXED[:n])
    assert new_receipt() == FIXED_RECEIPT
    assert receipt_bytes(FIXED_RECEIPT) == FIXED
    assert FIXED_RECEIPT.replace("-", "")[:25] == base64.b32encode(FIXED).decode()[:25]


@pytest.mark.parametrize(
    "typed",
    [
        "AAAQ-EAYE-AUDA-OCAJ-BIFQ-YDIO-B6A4",
        "aaaq-eaye-auda-ocaj-bifq-ydio-b6a4",
        "AAAQ EAYE AUDA OCAJ BIFQ YDIO B6A4",
        "AAAQEAYEAUDAOCAJBIFQYDIOB6A4",
        "  aaaq \u2013 eaye\u2014auda\tocaj bifq-ydio-b6a4\n",  # en and em dashes
        "AAAQ-EAYE-AUDA-0CAJ-BIFQ-YD1O-B6A4",  # 0 typed for O, 1 for I
    ],
)
def test_normalisation_accepts_the_ways_a_person_types_a_receipt(
    fixed_receipt: str, typed: str
) -> None:
    assert normalise_receipt(typed) == fixed_receipt
    assert normalise_receipt(normalise_receipt(typed)) == fixed_receipt


def test_normalisation_round_trips_fresh_receipts() -> None:
    for _ in range(200):
        receipt = new_receipt()
        assert normalise_receipt(receipt.lower().replace("-", " ")) == receipt


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "empty"),
        (" - - ", "empty"),
        ("AAAQ-EAYE-AUDA-OCAJ-BIFQ-YDIO-B6A", "28 letters and digits"),
        ("AAAQ-EAYE-AUDA-OCAJ-BIFQ-YDIO-B6A4A", "28 letters and digits"),
        ("AAAQ-EAYE-AUDA-OCAJ-BIFQ-YDIO-B6A9", "'9'"),
        ("AAAQ-EAYE-AUDA-OCAJ-BIFQ-YDIO-B6A!", "'!'"),
        ("AAAQ-EAYE-AUDA-OCAJ-BIFQ-YDIO-B6AQ", "typing mistake"),  # last character
        ("AAAQ-EAYE-AUDB-OCAJ-BIFQ-YDIO-B6A4", "typing mistake"),  # one in the middle
        ("AAAQ-EAYE-AUDA-OCAJ-BIFQ-YDIO-6BA4", "typing mistake"),  # two swapped
    ],
)
def test_normalisation_refuses_a_malformed_receipt_without_repeating_it(
    fixed_receipt: str, typed: str, says: str
) -> None:
    with pytest.raises(ReceiptError, match=re.escape(says)) as raised:
        normalise_receipt(typed)
    assert isinstance(raised.value, ValueError)
    assert "AAAQ" not in str(raised.value)


def test_ballot_and_voter_hashes_are_domain_separated_sha256(fixed_receipt: str) -> None:
    assert ballot_hash(fixed_receipt) == hashlib.sha256(b"ballot" + FIXED).hexdigest()
    assert voter_hash(fixed_receipt) == hashlib.sha256(b"voter" + FIXED).hexdigest()
    assert ballot_hash(fixed_receipt) != voter_hash(fixed_receipt)


def test_hashes_are_stable_however_the_receipt_is_typed(fixed_receipt: str) -> None:
    typed = fixed_receipt.lower().replace("-", " ")
    assert ballot_hash(typed) == ballot_hash(fixed_receipt)
    assert voter_hash(typed) == voter_hash(fixed_receipt)
    others = [new_receipt() for _ in range(50)]
    hashes = {ballot_hash(r) for r in others} | {voter_hash(r) for r in others}
    assert len(hashes) == 100


def test_matching_a_stored_hash(fixed_receipt: str) -> None:
    other = new_receipt()
    assert ballot_hash_matches(fixed_receipt, ballot_hash(fixed_receipt))
    assert voter_hash_matches(fixed_receipt.lower(), voter_hash(fixed_receipt))
    assert not ballot_hash_matches(fixed_receipt, voter_hash(fixed_receipt))
    assert not voter_hash_matches(other, voter_hash(fixed_receipt))
    with pytest.raises(ReceiptError):
        ballot_hash_matches("not a receipt", ballot_hash(fixed_receipt))


def test_the_script_and_the_site_hash_receipts_alike() -> None:
    script = load_script()
    for _ in range(20):
        receipt = new_receipt()
        assert script.ballot_hash(receipt.lower()) == ballot_hash(receipt)
    assert script.CHOICES == receipts.CHOICES
    assert script.RESULT_FORMAT == receipts.RESULT_FORMAT
    assert set(script.HEADERS) == {receipts.HEADER_WITH_CHOICES, receipts.HEADER_HASH_ONLY}


# The published files


def test_the_receipts_list_is_sorted_with_a_header_and_lf_line_ends() -> None:
    pairs = [("b" * 64, "reject"), ("a" * 64, "approve"), ("c" * 64, "abstain")]
    assert (
        receipts_csv(pairs, with_choices=True)
        == (
            f"receipt_hash,choice\n{'a' * 64},approve\n{'b' * 64},reject\n{'c' * 64},abstain\n"
        ).encode()
    )
    assert (
        receipts_csv(pairs, with_choices=False)
        == (f"receipt_hash\n{'a' * 64}\n{'b' * 64}\n{'c' * 64}\n").encode()
    )
    assert receipts_csv([], with_choices=True) == b"receipt_hash,choice\n"


@pytest.mark.parametrize(
    ("pairs", "says"),
    [
        ([("A" * 64, "approve")], "Not a ballot hash"),
        ([("a" * 63, "approve")], "Not a ballot hash"),
        ([("a" * 64, "yes")], "Not a choice"),
        ([("a" * 64, "approve"), ("a" * 64, "reject")], "appears twice"),
    ],
)
def test_the_receipts_list_refuses_a_bad_row(pairs: list[tuple[str, str]], says: str) -> None:
    with pytest.raises(ValueError, match=says):
        receipts_csv(pairs, with_choices=True)


def test_the_result_refuses_counts_the_list_does_not_bear_out() -> None:
    listed = receipts_csv([("a" * 64, "approve"), ("b" * 64, "reject")], with_choices=True)
    hashes_only = receipts_csv([("a" * 64, "approve")], with_choices=False)
    common = {"vote_id": "v", "proposal": "p", "outcome": "o", "rule": "r"}
    with pytest.raises(ValueError, match="tally"):
        result_json(**common, electorate=9, counts=c(2, 0, 0), receipts=listed)
    with pytest.raises(ValueError, match="1 ballots"):
        result_json(**common, electorate=9, counts=c(1, 1, 0), receipts=hashes_only)
    with pytest.raises(ValueError, match="electorate"):
        result_json(**common, electorate=1, counts=c(1, 1, 0), receipts=listed)
    with pytest.raises(ValueError, match="whole number"):
        result_json(**common, electorate=9, counts={"approve": 2}, receipts=listed)


# The recount script


VOTERS = [new_receipt() for _ in range(10)]
CHOSEN = ["approve"] * 6 + ["reject"] * 3 + ["abstain"]
COUNTS = c(6, 3, 1)


def publish(folder: Path, *, with_choices: bool = True) -> tuple[Path, Path]:
    """The two files as the site will publish them, for the ten ballots above."""
    listed = receipts_csv(
        [(ballot_hash(r), choice) for r, choice in zip(VOTERS, CHOSEN, strict=True)],
        with_choices=with_choices,
    )
    result = result_json(
        vote_id="4f1c",
        proposal="Peer workers in Northside's supported housing (v2)",
        electorate=40,
        counts=COUNTS,
        outcome="adopted",
        rule="passed",
        receipts=listed,
    )
    (folder / "receipts.csv").write_bytes(listed)
    (folder / "result.json").write_bytes(result)
    return folder / "receipts.csv", folder / "result.json"


def recount(
    folder: Path, *extra: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-I", "-S", str(SCRIPT), "receipts.csv", "result.json", *extra],
        cwd=folder,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=60,
        check=False,
    )


def edit_line(path: Path, number: int, change: str) -> None:
    """Line ``number`` (1 is the header) changed: 'drop', 'repeat' or a new text."""
    lines = path.read_text().splitlines(keepends=True)
    if change == "drop":
        del lines[number - 1]
    elif change == "repeat":
        lines.insert(number, lines[number - 1])
    else:
        lines[number - 1] = change + "\n"
    path.write_text("".join(lines))


def edit_result(path: Path, **changes: object) -> None:
    result = json.loads(path.read_text())
    for key, value in changes.items():
        if key in COUNTS:
            result["counts"][key] = value
        else:
            result[key] = value
    path.write_text(json.dumps(result, indent=2))


def test_the_recount_reproduces_the_published_result(tmp_path: Path) -> None:
    publish(tmp_path)
    run = recount(tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Everything matches" in run.stdout
    assert re.search(r"approve\s+6", run.stdout)
    assert re.search(r"turnout\s+10\s+of an electorate of 40 \(25.0%\)", run.stdout)
    assert "Outcome, as published: adopted" in run.stdout
    assert run.stderr == ""


def test_the_recount_of_a_hash_only_list_checks_the_turnout(tmp_path: Path) -> None:
    receipts_file, _ = publish(tmp_path, with_choices=False)
    run = recount(tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "hashes only" in run.stdout
    edit_line(receipts_file, 4, "drop")
    run = recount(tmp_path)
    assert run.returncode == 1
    assert "turnout: the receipts list has 9 ballots, the result says 10" in run.stdout


def test_the_recount_detects_a_changed_choice(tmp_path: Path) -> None:
    receipts_file, _ = publish(tmp_path)
    line = receipts_file.read_text().splitlines()[2]
    receipt_hash, choice = line.split(",")
    other = "reject" if choice != "reject" else "approve"
    edit_line(receipts_file, 3, f"{receipt_hash},{other}")
    run = recount(tmp_path)
    assert run.returncode == 1
    first = min(choice, other, key=receipts.CHOICES.index)  # counts are compared in order
    assert f"DIFFERENCE: {first}: the receipts list has" in run.stdout


def test_the_recount_detects_a_changed_hash(tmp_path: Path) -> None:
    receipts_file, _ = publish(tmp_path)
    line = receipts_file.read_text().splitlines()[4]
    digit = "0" if line[63] != "0" else "1"  # the last digit: the order stays right
    edit_line(receipts_file, 5, line[:63] + digit + line[64:])
    run = recount(tmp_path)
    assert run.returncode == 1
    assert "is not the list this result was published with: its SHA-256 is" in run.stdout


def test_the_recount_detects_a_removed_line(tmp_path: Path) -> None:
    receipts_file, _ = publish(tmp_path)
    choice = receipts_file.read_text().splitlines()[6].split(",")[1]
    edit_line(receipts_file, 7, "drop")
    run = recount(tmp_path)
    assert run.returncode == 1
    assert f"DIFFERENCE: {choice}: the receipts list has {COUNTS[choice] - 1}," in run.stdout


def test_the_recount_names_a_duplicated_line(tmp_path: Path) -> None:
    receipts_file, _ = publish(tmp_path)
    edit_line(receipts_file, 4, "repeat")
    run = recount(tmp_path)
    assert run.returncode == 1
    assert "receipts.csv, line 5 repeats the ballot hash of line 4" in run.stdout


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("", "'' is not a ballot hash"),
        ("xyz,approve", "'xyz' is not a ballot hash"),
        (f"{'f' * 64},maybe", "the choice should be approve, reject or abstain"),
        (f"{'0' * 64},approve", "is out of order"),
    ],
)
def test_the_recount_names_a_malformed_line(tmp_path: Path, line: str, says: str) -> None:
    receipts_file, _ = publish(tmp_path)
    edit_line(receipts_file, 6, line)
    run = recount(tmp_path)
    assert run.returncode == 1
    assert "receipts.csv, line 6" in run.stdout
    assert says in run.stdout


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"approve": 7}, "approve: the receipts list has 6, the result says 7"),
        ({"abstain": 0}, "abstain: the receipts list has 1, the result says 0"),
        ({"turnout": 11}, "turnout: the receipts list has 10 ballots, the result says 11"),
        ({"electorate": 9}, "turnout 10 is more than the electorate of 9"),
        ({"receipts_sha256": "0" * 64}, "is not the list this result was published with"),
        ({"choices_published": False}, "shows choices; result.json says the opposite"),
        ({"turnout": "10"}, "turnout should be a whole number"),
        ({"format": "other"}, "is not a Real Voice result"),
    ],
)
def test_the_recount_detects_a_changed_result(
    tmp_path: Path, changes: dict[str, object], says: str
) -> None:
    _, result_file = publish(tmp_path)
    edit_result(result_file, **changes)
    run = recount(tmp_path)
    assert run.returncode == 1
    assert says in run.stdout


def test_the_recount_refuses_a_list_saved_with_other_line_ends(tmp_path: Path) -> None:
    receipts_file, _ = publish(tmp_path)
    receipts_file.write_bytes(receipts_file.read_bytes().replace(b"\n", b"\r\n"))
    run = recount(tmp_path)
    assert run.returncode == 1
    assert "download it again" in run.stdout


def test_the_receipt_lookup_finds_a_ballot_without_printing_the_receipt(tmp_path: Path) -> None:
    receipts_file, _ = publish(tmp_path)
    mine = VOTERS[7]
    line = receipts_file.read_text().splitlines().index(f"{ballot_hash(mine)},reject") + 1
    run = recount(tmp_path, "--receipt", mine.lower().replace("-", " "))
    assert run.returncode == 0, run.stdout
    assert f"Your receipt's ballot is in the list, on line {line} (counted as: reject)." in (
        run.stdout
    )
    for form in (mine, mine.replace("-", ""), mine.lower().replace("-", " ")):
        assert form not in run.stdout


def test_the_receipt_lookup_asks_for_the_receipt_when_none_is_given(tmp_path: Path) -> None:
    publish(tmp_path, with_choices=False)
    run = recount(tmp_path, "--receipt", stdin=VOTERS[0] + "\n")
    assert run.returncode == 0, run.stdout
    assert "is in the list, on line" in run.stdout
    assert "this list does not show choices" in run.stdout


def test_the_receipt_lookup_reports_a_missing_ballot(tmp_path: Path) -> None:
    publish(tmp_path)
    run = recount(tmp_path, "--receipt", new_receipt())
    assert run.returncode == 1
    assert "Everything matches" in run.stdout
    assert "Your receipt's ballot is NOT in this list" in run.stdout


def test_the_receipt_lookup_reports_a_mistyped_receipt(tmp_path: Path) -> None:
    publish(tmp_path)
    mine = VOTERS[2]
    mistyped = mine[:-1] + ("A" if mine[-1] != "A" else "B")
    run = recount(tmp_path, "--receipt", mistyped)
    assert run.returncode == 1
    assert "typing mistake" in run.stdout
    run = recount(tmp_path, "--receipt", "hello")
    assert run.returncode == 1
    assert "That is not a receipt" in run.stdout
