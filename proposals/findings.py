"""The language check over a proposal's texts, field by field: the one list that the edit
page, the submission's confirmation page and the API all show. Warnings never block; a
proposal's language is not recorded and its authors may write in any of the site's
languages, so every language of the phrase list is checked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from proposals.diff import LABELS
from proposals.language import Finding, check_text
from proposals.models import TEXT_FIELDS, ProposalDraft


@dataclass(frozen=True)
class FieldFinding:
    """A phrase found in one field: ``field`` names it as the API does ("body",
    "wellbeing_outcomes.0.measure"), ``label`` and ``anchor`` as the edit page shows it."""

    field: str
    label: Any
    anchor: str
    finding: Finding

    @property
    def phrase(self) -> str:
        return self.finding.phrase

    @property
    def suggestion(self) -> str:
        return self.finding.suggestion

    @property
    def why(self) -> str:
        return self.finding.why


def stored_texts(draft: ProposalDraft) -> dict[str, Any]:
    """The working copy's texts, as ``field_findings`` reads them."""
    texts: dict[str, Any] = {name: getattr(draft, name) or "" for name in TEXT_FIELDS}
    texts["wellbeing_outcomes"] = list(draft.wellbeing_outcomes or [])
    return texts


def field_findings(texts: dict[str, Any]) -> list[FieldFinding]:
    """Stigmatising phrases in each text, with the person-first suggestion and why, in
    the order of the edit form. ``texts`` maps each text field to its text and
    "wellbeing_outcomes" to a list of {"outcome": …, "measure": …}."""
    found: list[FieldFinding] = []

    def check(field: str, label: Any, anchor: str, text: Any) -> None:
        if isinstance(text, str):
            found.extend(FieldFinding(field, label, anchor, hit) for hit in check_text(text))

    for name in TEXT_FIELDS:
        check(name, LABELS[name], f"id_{name}", texts.get(name) or "")
    for index, item in enumerate(texts.get("wellbeing_outcomes") or []):
        if not isinstance(item, dict):
            continue
        number = {"number": index + 1}
        check(
            f"wellbeing_outcomes.{index}.outcome",
            _("Outcome %(number)s") % number,
            f"id_outcome_{index}",
            item.get("outcome", ""),
        )
        check(
            f"wellbeing_outcomes.{index}.measure",
            _("How outcome %(number)s will be measured") % number,
            f"id_measure_{index}",
            item.get("measure", ""),
        )
    return found
