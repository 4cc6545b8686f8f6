"""The authors' response to a passed round, which lets the vote be scheduled."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.authority import Actor
from advisory.models import Answer, Response, Round, Seat
from advisory.outcomes import ResponsePublished
from advisory.registry import vote_scheduler
from advisory.rules import response_refusal
from advisory.selectors import ToAnswer, items_to_answer
from advisory.services import base
from advisory.services.base import MAX_ANSWER, ReviewInvalid, lock_round, proposal_path
from core.guards import refuse_if
from core.text import has_control_characters
from history.models import ActorRole
from history.services import append
from notifications.services import notify_many


@transaction.atomic
def response_publish(
    *, actor: Actor, round: Round, answers: dict[str, dict[str, str]], statement: str = ""
) -> ResponsePublished:
    """Publish the authors' response to a passed round (authors only, once).

    ``answers`` maps each item's key (``ToAnswer.key``) to {"decision": "accepted" or
    "declined", "text": reasons} for a condition, or {"text": answer} for a request for
    changes. Every item must be answered: a declined condition and a request for changes
    need words; an unknown key is refused. Guarantees: the response and every answer are
    written whole, never change (database triggers), the event is appended and the board
    is told, and the vote is scheduled, all in one transaction. Returns the response
    and the scheduled vote (its ``opens_at`` is when it opens), for the message.
    """
    locked = lock_round(round)
    refuse_if(response_refusal(actor=actor, round=locked))
    assert actor.user is not None
    proposal = locked.proposal
    rows, errors = _clean_answers(items_to_answer(locked), answers)
    text = statement.strip() if isinstance(statement, str) else ""
    if len(text) > MAX_ANSWER or has_control_characters(text):
        errors["statement"] = [_("Keep the statement to 5,000 characters of plain text.")]
    if errors:
        raise ReviewInvalid(errors)
    response = Response.objects.create(
        round=locked, statement=text, published_by=actor.user, published_at=base.db_now()
    )
    Answer.objects.bulk_create(
        Answer(response=response, review=item.review, condition_index=item.condition_index, **row)
        for item, row in rows
    )
    append(
        kind="advisory.response_published",
        actor=actor.user,
        actor_role=ActorRole.EDITOR if proposal.organisation_id else ActorRole.BOARD_MEMBER,
        subject=proposal,
        data={
            "version": locked.version.number,
            "statement": text,
            "answers": [
                {
                    "condition": item.text if item.condition_index is not None else None,
                    "request_for_changes": item.condition_index is None,
                    "decision": row["decision"],
                    "text": row["text"],
                }
                for item, row in rows
            ],
        },
    )
    notify_many(
        recipients=[
            seat.user
            for seat in Seat.objects.filter(round=locked)
            .exclude(user=actor.user)
            .select_related("user")
        ],
        kind="advisory.response_published",
        body=lambda: (
            _("The authors have published their response to the advisory board's review: %(path)s")
            % {"path": proposal_path(proposal)}
        ),
    )
    # Only now can a vote be scheduled: it opens the rulebook's delay after the response.
    vote = vote_scheduler.get()(round=locked, response_published_at=response.published_at)
    return ResponsePublished(response=response, vote=vote)


def _clean_answers(
    items: list[ToAnswer], answers: Any
) -> tuple[list[tuple[ToAnswer, dict[str, str]]], dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    if not isinstance(answers, dict):
        return [], {"answers": [_("Answer each condition and each request for changes.")]}
    known = {item.key for item in items}
    unknown = sorted(str(key) for key in answers if key not in known)
    if unknown:
        errors["answers"] = [
            _("These are not items of this round: %(keys)s.") % {"keys": ", ".join(unknown)}
        ]
    rows: list[tuple[ToAnswer, dict[str, str]]] = []
    for item in items:
        given = answers.get(item.key)
        given = given if isinstance(given, dict) else {}
        raw_text = given.get("text", "")
        text = raw_text.strip() if isinstance(raw_text, str) else ""
        if item.condition_index is None:
            decision = Answer.Decision.ANSWERED
            if not text:
                errors[item.key] = [_("Answer this request for changes.")]
        else:
            decision = given.get("decision", "")
            if decision not in (Answer.Decision.ACCEPTED, Answer.Decision.DECLINED):
                errors[item.key] = [
                    _("Accept this condition as a commitment, or decline it with reasons.")
                ]
            elif decision == Answer.Decision.DECLINED and not text:
                errors[item.key] = [_("Give the reasons for declining this condition.")]
        if item.key not in errors and (len(text) > MAX_ANSWER or has_control_characters(text)):
            errors[item.key] = [_("Keep an answer to 5,000 characters of plain text.")]
        rows.append((item, {"decision": str(decision), "text": text}))
    return rows, errors
