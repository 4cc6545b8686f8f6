"""The language check finds stigmatising phrases in context and suggests person-first wording."""

from __future__ import annotations

from pathlib import Path

import pytest

from proposals.language import (
    Finding,
    PhraseListError,
    Rule,
    check_text,
    compile_rules,
    load_rules,
)

RULES = load_rules()
SAMPLE = {"en": "In the draft: {} — as written.", "es": "En el borrador: {} — tal cual."}


def _listed(findings: list[Finding]) -> list[str]:
    return [finding.listed_phrase for finding in findings]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "phrases.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: f"{rule.language}:{rule.phrase}")
def test_every_listed_phrase_is_found_in_a_sentence_in_its_language(rule: Rule) -> None:
    text = SAMPLE[rule.language].format(rule.phrase)

    findings = check_text(text, rule.language)

    assert _listed(findings) == [rule.phrase]
    assert findings[0].phrase == rule.phrase
    assert findings[0].suggestion == rule.suggestion
    assert findings[0].why == rule.why


@pytest.mark.parametrize(
    ("rule", "context"),
    [(rule, f"{word} {rule.phrase}") for rule in RULES for word in rule.unless_previous]
    + [(rule, f"{rule.phrase} {word}") for rule in RULES for word in rule.unless_next],
    ids=lambda value: value if isinstance(value, str) else value.phrase,
)
def test_every_listed_exception_stops_its_phrase_from_being_flagged(
    rule: Rule, context: str
) -> None:
    findings = check_text(SAMPLE[rule.language].format(context), rule.language)

    assert rule.phrase not in _listed(findings)


def test_every_row_has_a_suggestion_and_a_reason() -> None:
    assert {rule.language for rule in RULES} == {"en", "es"}
    assert all(rule.suggestion and rule.why for rule in RULES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Most of our clients are addicts who sleep outside.", "addicts"),
        ("He was a drug addict for ten years before joining the board.", "drug addict"),
        ("Nobody should be called a junkie at the front desk.", "junkie"),
        ("The outreach van stops where drug users gather at night.", "drug users"),
        ("We will train staff to work with substance abusers.", "substance abusers"),
        ("The program targets drug abuse among young people.", "drug abuse"),
        ("Half of the participants got clean within a year.", "got clean"),
        ("She has been clean for six months.", "been clean"),
        ("Anyone with a dirty urine test loses their place.", "dirty urine"),
        ("His drug habit cost him his job.", "drug habit"),
        ("A crackhead broke the window last week.", "crackhead"),
        ("The shelter does not admit alcoholics.", "alcoholics"),
        ("Many residents are suffering from addiction.", "suffering from addiction"),
        ("The ward cares for addicted babies.", "addicted babies"),
        ("Tests of injecting drug users show high hepatitis C rates.", "injecting drug users"),
        # A pronoun standing for a person keeps the phrase flagged.
        ("People who use drugs told us they are clean now.", "are clean"),
        ("Our needles went to the residents; they are clean now.", "are clean"),
        ("They are clean now and back at work.", "are clean"),
        ("Las personas que están limpias vuelven al trabajo.", "están limpias"),
        ("Los adictos del barrio no tienen dónde ir.", "adictos"),
        ("Un drogadicto entró al centro de salud.", "drogadicto"),
        ("El servicio atiende a toxicómanos desde 1990.", "toxicómanos"),
        ("No queremos yonquis en la plaza.", "yonquis"),
        ("Los consumidores de drogas necesitan más apoyo.", "consumidores de drogas"),
        ("Desde enero está limpio y trabaja con nosotros.", "está limpio"),
        ("Una orina sucia no debería expulsar a nadie del programa.", "orina sucia"),
        ("El abuso de sustancias afecta a toda la familia.", "abuso de sustancias"),
        ("Dejó el vicio hace dos años.", "vicio"),
        ("La adicción no es una falta moral.", "adicción"),
        ("Hay muchos viciosos en la estación.", "viciosos"),
    ],
)
def test_a_realistic_sentence_finds_the_expected_phrase(text: str, expected: str) -> None:
    findings = check_text(text)

    assert [finding.phrase for finding in findings] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "We hand out clean needles and clean syringes every evening.",
        "Every site needs clean water, clean equipment and clean supplies.",
        "Volunteers keep the space clean and quiet.",
        "The water is clean and the kit is clean.",
        "We got clean needles from the pharmacy.",
        "Dirty needles spread hepatitis C; we collect them safely.",
        # "They" stands for the needles or the equipment named before it.
        "We hand out new needles; they are clean and sealed.",
        "The needles come from the pharmacy. They are clean and in date.",
        "We check the equipment every week, so all of it is new and they are clean.",
        "Repartimos jeringas nuevas. Están limpias y selladas.",
        "Las jeringas que están limpias se guardan aparte.",
        "The user interface must work on old phones.",
        "We did user research with people who use drugs.",
        "The complaint concerns an abuse of power by the police.",
        "Non-alcoholic drinks are served; Alcoholics Anonymous meets on Fridays.",
        "Hay agua limpia, jeringas limpias y material limpio en cada sala.",
        "El material está limpio y el agua está limpia.",
        "La denuncia describe un abuso de poder.",
        "Es un círculo vicioso de pobreza y castigo.",
        "El bar sirve bebidas alcohólicas; el contrato tiene un vicio de forma.",
        "People who use drugs run the advisory panel.",
        "Personas que consumen drogas forman parte del consejo.",
    ],
)
def test_innocent_uses_are_not_flagged(text: str) -> None:
    assert check_text(text) == []


def test_positions_slice_back_to_the_phrase_as_written() -> None:
    text = "Some Drug Addicts said: no queremos ser llamados DROGADICTOS.\n"

    findings = check_text(text)

    assert [(text[f.start : f.end], f.language) for f in findings] == [
        ("Drug Addicts", "en"),
        ("DROGADICTOS", "es"),
    ]
    assert all(text[f.start : f.end] == f.phrase for f in findings)


def test_case_does_not_matter() -> None:
    assert _listed(check_text("JUNKIE, Junkie, junkie", "en")) == ["junkie"] * 3


@pytest.mark.parametrize(
    "text", ["toxicómano", "toxicomano", "TOXICÓMANO", "toxico\u0301mano", "Toxicómano"]
)
def test_accents_are_optional_and_any_way_of_writing_them_is_found(text: str) -> None:
    findings = check_text(f"Lo llamaron {text}.", "es")

    assert _listed(findings) == ["toxicómano"]
    assert findings[0].phrase == text


def test_a_phrase_inside_a_longer_word_is_not_found() -> None:
    findings = check_text("addiction addictive addicted junkies", "en")

    assert [(f.listed_phrase, f.start, f.end) for f in findings] == [("junkies", 29, 36)]


@pytest.mark.parametrize(
    "text", ["a drug\naddict", "a drug\r\naddict", "a drug  \n  addict", "a drug-addict"]
)
def test_a_multi_word_phrase_is_found_across_a_line_break(text: str) -> None:
    findings = check_text(text, "en")

    assert _listed(findings) == ["drug addict"]
    assert findings[0].phrase == text[2:]


def test_a_multi_word_phrase_is_not_joined_across_paragraphs() -> None:
    assert _listed(check_text("one more drug\n\nuser guide", "en")) == []


def test_the_longest_listed_phrase_wins() -> None:
    assert _listed(check_text("an injecting drug user", "en")) == ["injecting drug user"]


def test_a_regional_language_code_uses_its_language() -> None:
    assert _listed(check_text("un adicto", "es-MX")) == ["adicto"]
    assert check_text("un adicto", "en") == []


def test_an_unknown_language_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="known: en, es"):
        check_text("text", "fr")


def test_a_malformed_line_gives_an_error_naming_the_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "language,phrase,suggestion,why\n"
        "en,addict,person who uses drugs,a label\n"
        "\n"
        "en,junkie,person who uses drugs, a slur, unquoted\n",
    )

    with pytest.raises(PhraseListError, match=r"phrases\.csv, line 4: expected 4 columns"):
        load_rules(path)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("en,,person,why", "line 3: the phrase column is empty"),
        ("english,junkie,person,why", "line 3: language 'english'"),
        ("en,junkie*,person,why", "line 3: phrase 'junkie\\*'"),
        ("en,Addict,person,why", "line 3: 'Addict' is already listed for en on line 2"),
    ],
)
def test_an_invalid_row_names_its_line_and_the_problem(
    tmp_path: Path, row: str, message: str
) -> None:
    path = _write(tmp_path, f"language,phrase,suggestion,why\nen,addict,person,why\n{row}\n")

    with pytest.raises(PhraseListError, match=message):
        load_rules(path)


def test_a_wrong_header_is_reported_on_line_1(tmp_path: Path) -> None:
    path = _write(tmp_path, "lang;phrase;suggestion;why\nen;addict;person;why\n")

    with pytest.raises(PhraseListError, match="line 1: the header must start with"):
        load_rules(path)


def test_exception_columns_are_optional_and_take_several_words(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "language,phrase,suggestion,why,unless_next\n"
        'es,vicio,consumo,"un juicio, no salud",de forma|oculto\n',
    )

    matchers = compile_rules(load_rules(path))
    pattern = matchers["es"].pattern

    assert [m.group() for m in pattern.finditer("vicio de forma, vicio oculto, su vicio")] == [
        "vicio"
    ]


def test_the_file_is_read_once_per_process() -> None:
    from proposals import language

    language._matchers.cache_clear()
    check_text("addict")
    check_text("adicto")

    assert language._matchers.cache_info().misses == 1


def test_a_broken_phrase_list_is_reported_by_manage_py_check(tmp_path, monkeypatch) -> None:
    """So a typo in the list stops a deployment instead of failing someone's draft."""
    from proposals import checks, language

    broken = tmp_path / "phrases.csv"
    broken.write_text(
        "language,phrase,suggestion,why,unless_previous,unless_next\nen,addict\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(language, "PHRASES_FILE", broken)

    [error] = checks.phrase_list_is_valid()

    assert error.id == "proposals.E001"
    assert "line 2" in error.msg


def test_the_shipped_phrase_list_passes_manage_py_check() -> None:
    from proposals import checks

    assert checks.phrase_list_is_valid() == []
