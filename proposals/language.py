"""The language check: finds stigmatising phrases in a draft and offers person-first wording.

It only warns; nothing here blocks a save. The phrases live in
`proposals/data/stigmatising_phrases.csv` so that people who are not programmers can
edit them (see "Language check" in README.md). The file is read and compiled once per
process, into one regular expression per language.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

PHRASES_FILE = Path(__file__).resolve().parent / "data" / "stigmatising_phrases.csv"

REQUIRED_COLUMNS = ("language", "phrase", "suggestion", "why")
OPTIONAL_COLUMNS = ("unless_previous", "unless_next")

# Words in a phrase may be split by spaces or tabs, by one line break (never a blank
# line, which ends a paragraph), or by a hyphen ("meth head" finds "meth-head").
_SEPARATOR = r"(?:[^\S\n]*\n[^\S\n]*|[^\S\n]+|-)"
# In a look-behind the width must be fixed: one or two whitespace characters (this
# covers a space, a line break and a Windows line break) or a hyphen.
_BEHIND_SEPARATORS = (r"[\s-]", r"\s\s")
_VOWELS = {
    "a": "aáàâä",
    "e": "eéèêë",
    "i": "iíìîï",
    "o": "oóòôö",
    "u": "uúùûü",
}
_COMBINING_MARK = "[\u0300-\u036f]?"
_PHRASE_SHAPE = re.compile(r"\w(?:[\w'\u2019-]|(?<=\S) (?=\S))*(?<=\w)")
_LANGUAGE_SHAPE = re.compile(r"[a-z]{2,3}")


class PhraseListError(ValueError):
    """The phrase file cannot be used; the message names the file and the line."""


@dataclass(frozen=True)
class Rule:
    """One row of the phrase file."""

    language: str
    phrase: str
    suggestion: str
    why: str
    unless_previous: tuple[str, ...] = ()
    unless_next: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Finding:
    """A phrase found in a text; `text[start:end] == phrase`."""

    phrase: str
    start: int
    end: int
    suggestion: str
    why: str
    language: str
    listed_phrase: str


@dataclass(frozen=True)
class LanguageMatcher:
    """The compiled pattern for one language and the row behind each of its groups."""

    pattern: re.Pattern[str]
    rules: dict[str, Rule]


def check_text(text: str, language: str | None = None) -> list[Finding]:
    """Every stigmatising phrase in `text`, in reading order, without overlaps.

    `language` is a language code ("en", "es", "es-mx"); None checks every language
    in the phrase file. An unknown language raises ValueError.
    """
    matchers = _matchers()
    if language is None:
        selected = list(matchers.items())
    else:
        code = language.lower().replace("_", "-").split("-")[0]
        if code not in matchers:
            known = ", ".join(sorted(matchers))
            raise ValueError(f"No phrases for language {language!r}; known: {known}.")
        selected = [(code, matchers[code])]

    found: list[Finding] = []
    for code, matcher in selected:
        for match in matcher.pattern.finditer(text):
            name = match.lastgroup
            assert name is not None
            rule = matcher.rules[name]
            start, end = match.span()
            found.append(
                Finding(
                    phrase=text[start:end],
                    start=start,
                    end=end,
                    suggestion=rule.suggestion,
                    why=rule.why,
                    language=code,
                    listed_phrase=rule.phrase,
                )
            )
    if len(selected) == 1:
        return found
    return _without_overlaps(found)


def load_rules(path: Path = PHRASES_FILE) -> list[Rule]:
    """Read and validate the phrase file; raises PhraseListError naming the bad line."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return _parse(csv.reader(handle), path.name)
    except UnicodeDecodeError as error:
        raise PhraseListError(f"{path.name}: not UTF-8 text ({error.reason}).") from error
    except csv.Error as error:
        raise PhraseListError(f"{path.name}: {error}") from error


def compile_rules(rules: Iterable[Rule]) -> dict[str, LanguageMatcher]:
    """One compiled pattern per language.

    Phrases are grouped by their first letter so that the engine tries only the few
    that can start at a word; within a group longer phrases come first. Each phrase
    ends with an empty named group that tells which row matched.
    """
    by_language: dict[str, list[Rule]] = {}
    for rule in rules:
        by_language.setdefault(rule.language, []).append(rule)
    matchers = {}
    for language, language_rules in by_language.items():
        ordered = sorted(language_rules, key=lambda rule: (-len(rule.phrase), rule.phrase))
        names = {f"r{index}": rule for index, rule in enumerate(ordered)}
        by_first: dict[str, list[str]] = {}
        for name, rule in names.items():
            by_first.setdefault(_character(rule.phrase[0], fixed_width=True), []).append(
                _rule_pattern(name, rule)
            )
        groups = "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in by_first.items())
        pattern = re.compile(rf"(?<!\w)(?:{groups})", re.IGNORECASE)
        matchers[language] = LanguageMatcher(pattern=pattern, rules=names)
    return matchers


@functools.cache
def _matchers() -> dict[str, LanguageMatcher]:
    return compile_rules(load_rules())


def _parse(reader: Iterable[list[str]], filename: str) -> list[Rule]:
    rows = iter(reader)
    header = [cell.strip().lower() for cell in next(rows, [])]
    known = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    if tuple(header[: len(REQUIRED_COLUMNS)]) != REQUIRED_COLUMNS or any(
        column not in known for column in header
    ):
        raise PhraseListError(
            f"{filename}, line 1: the header must start with {','.join(REQUIRED_COLUMNS)} "
            f"and may add {','.join(OPTIONAL_COLUMNS)}; found {','.join(header) or 'nothing'}."
        )
    rules: list[Rule] = []
    seen: dict[tuple[str, str], int] = {}
    line = 1
    for cells in rows:
        line = getattr(reader, "line_num", line + 1)
        if not any(cell.strip() for cell in cells):
            continue  # a blank line
        where = f"{filename}, line {line}"
        if len(cells) != len(header):
            raise PhraseListError(
                f"{where}: expected {len(header)} columns ({','.join(header)}), "
                f"found {len(cells)}. A comma inside a value needs the value in double quotes."
            )
        row = {column: " ".join(cell.split()) for column, cell in zip(header, cells, strict=True)}
        for column in REQUIRED_COLUMNS:
            if not row[column]:
                raise PhraseListError(f"{where}: the {column} column is empty.")
        language = row["language"].lower()
        if not _LANGUAGE_SHAPE.fullmatch(language):
            raise PhraseListError(
                f"{where}: language {row['language']!r} should be a code such as en or es."
            )
        phrase = _checked_phrase(row["phrase"], where, "phrase")
        key = (language, phrase.casefold())
        if key in seen:
            raise PhraseListError(
                f"{where}: {phrase!r} is already listed for {language} on line {seen[key]}."
            )
        seen[key] = line
        rules.append(
            Rule(
                language=language,
                phrase=phrase,
                suggestion=row["suggestion"],
                why=row["why"],
                unless_previous=_context_words(row.get("unless_previous", ""), where),
                unless_next=_context_words(row.get("unless_next", ""), where),
                line=line,
            )
        )
    if not rules:
        raise PhraseListError(f"{filename}: no phrases after the header.")
    return rules


def _checked_phrase(value: str, where: str, column: str) -> str:
    if not _PHRASE_SHAPE.fullmatch(value):
        raise PhraseListError(
            f"{where}: {column} {value!r} should be words (letters, digits, hyphens, "
            "apostrophes) separated by single spaces."
        )
    return value


def _context_words(value: str, where: str) -> tuple[str, ...]:
    if not value:
        return ()
    entries = [" ".join(entry.split()) for entry in value.split("|")]
    return tuple(_checked_phrase(entry, where, "context word") for entry in entries)


def _rule_pattern(name: str, rule: Rule) -> str:
    """The phrase after its first character, which `compile_rules` has already matched.

    The look-behinds run just after that first character, hence the `.` for it.
    """
    behind = "".join(
        rf"(?<!\b{_words(entry, fixed_width=True)}{separator}.)"
        for entry in rule.unless_previous
        for separator in _BEHIND_SEPARATORS
    )
    ahead = "".join(
        rf"(?!{_SEPARATOR}{_words(entry, fixed_width=False)}(?!\w))" for entry in rule.unless_next
    )
    first_mark = _COMBINING_MARK if _is_vowel(rule.phrase[0]) else ""
    rest = _words(rule.phrase[1:], fixed_width=False)
    return rf"{behind}{first_mark}{rest}(?!\w){ahead}(?P<{name}>)"


def _words(phrase: str, *, fixed_width: bool) -> str:
    separator = r"\s" if fixed_width else _SEPARATOR
    return separator.join(
        "".join(_character(char, fixed_width=fixed_width) for char in word)
        for word in phrase.split(" ")
    )


def _character(char: str, *, fixed_width: bool) -> str:
    """Accents are optional: "toxicomano" finds "toxicómano" and the other way round."""
    if char in "'\u2019":  # a straight or a typographic apostrophe
        return "['\u2019]"
    base = unicodedata.normalize("NFD", char)[0].lower()
    if base in _VOWELS:
        return f"[{_VOWELS[base]}]" + ("" if fixed_width else _COMBINING_MARK)
    return re.escape(char)


def _is_vowel(char: str) -> bool:
    return unicodedata.normalize("NFD", char)[0].lower() in _VOWELS


def _without_overlaps(findings: list[Finding]) -> list[Finding]:
    kept: list[Finding] = []
    for finding in sorted(findings, key=lambda f: (f.start, -(f.end - f.start))):
        if kept and finding.start < kept[-1].end:
            continue
        kept.append(finding)
    return kept
