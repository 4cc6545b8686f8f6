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
# What a phrase like "they are clean" is about. A word in this list, just before the
# phrase, stands for something named earlier ("We hand out new needles. They are clean.");
# in Spanish a phrase may also open its clause with no subject at all ("Están limpias.").
# The check then reads back through that sentence and the one before it, inside the
# paragraph, for the nearest word that names a person or one of the row's
# ``unless_previous`` words (things, such as needles): when the nearest is a thing, the
# phrase is about it and is not flagged; when it is a person, or nothing, it is.
_POINTERS = {
    "en": frozenset({"they", "these", "those", "which", "both", "all", "each"}),
    "es": frozenset(
        {"ellas", "ellos", "estas", "estos", "esas", "esos", "todas", "todos", "ambas", "ambos"}
        | {"que", "cuales"}
    ),
}
_PEOPLE = {
    "en": frozenset(
        [
            "person",
            "persons",
            "people",
            "someone",
            "somebody",
            "anyone",
            "anybody",
            "everyone",
            "everybody",
            "nobody",
            "he",
            "she",
            "him",
            "her",
            "man",
            "men",
            "woman",
            "women",
            "client",
            "clients",
            "participant",
            "participants",
            "resident",
            "residents",
            "member",
            "members",
            "patient",
            "patients",
            "user",
            "users",
            "friend",
            "friends",
            "partner",
            "partners",
            "mother",
            "father",
            "parent",
            "parents",
            "son",
            "daughter",
            "child",
            "children",
            "worker",
            "workers",
            "volunteer",
            "volunteers",
            "peer",
            "peers",
            "who",
        ]
    ),
    "es": frozenset(
        [
            "persona",
            "personas",
            "gente",
            "alguien",
            "nadie",
            "todos",
            "él",
            "ella",
            "hombre",
            "hombres",
            "mujer",
            "mujeres",
            "usuario",
            "usuarios",
            "usuaria",
            "usuarias",
            "participante",
            "participantes",
            "residente",
            "residentes",
            "paciente",
            "pacientes",
            "miembro",
            "miembros",
            "amigo",
            "amigos",
            "amiga",
            "amigas",
            "madre",
            "padre",
            "hijo",
            "hija",
            "hijos",
            "hijas",
            "trabajador",
            "trabajadores",
            "trabajadora",
            "trabajadoras",
            "quien",
            "quienes",
        ]
    ),
}
_WORD = re.compile(r"[^\W\d_]+")
_SENTENCE_END = re.compile(r"[.!?;:]+(?=\s|$)")
_PARAGRAPH_END = re.compile(r"\n[^\S\n]*\n")
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
            if rule.unless_previous and _about_a_thing(text, start, rule, code):
                continue
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


def _plain(word: str) -> str:
    """A word without case or accents, for comparing words as a reader would."""
    decomposed = unicodedata.normalize("NFD", word.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _about_a_thing(text: str, start: int, rule: Rule, language: str) -> bool:
    """Whether the phrase at ``start`` points back (see ``_POINTERS``) to one of the
    row's ``unless_previous`` things rather than to a person."""
    pointers = _POINTERS.get(language, frozenset())
    before = text[:start]
    paragraph = max((m.end() for m in _PARAGRAPH_END.finditer(before)), default=0)
    before = before[paragraph:]
    words = list(_WORD.finditer(before))
    last = words[-1] if words else None
    sentence_ends = [m.end() for m in _SENTENCE_END.finditer(before)]
    if last is not None and _plain(last.group()) in pointers:
        point = last.start()
    elif language == "es" and (
        not before.strip() or (sentence_ends and not before[sentence_ends[-1] :].strip())
    ):
        point = len(before)  # a clause with no subject: "Están limpias."
    else:
        return False
    ends = [end for end in sentence_ends if end <= point]
    context = before[ends[-2] if len(ends) >= 2 else 0 : point]
    things = {_plain(entry) for entry in rule.unless_previous if " " not in entry} - {
        _plain(word) for word in ("it", "this", "that", "everything")
    }
    people = {_plain(word) for word in _PEOPLE.get(language, frozenset())}
    for word in reversed(_WORD.findall(context)):
        plain = _plain(word)
        if plain in people:
            return False
        if plain in things:
            return True
    return False


def _without_overlaps(findings: list[Finding]) -> list[Finding]:
    kept: list[Finding] = []
    for finding in sorted(findings, key=lambda f: (f.start, -(f.end - f.start))):
        if kept and finding.start < kept[-1].end:
            continue
        kept.append(finding)
    return kept
