"""The vote's pages: the ballot page with casting and changing a ballot, the receipt
(shown once, downloadable then), the result with its published files and a receipt
check, the printable record of the whole decision, a person's open votes, and the vote's
section on the proposal page. Reads go through voting.selectors, every change through
voting.services; a refusal becomes a form error or a page that says why, with the
service's status.

A vote belongs to a submitted proposal, so it is as public as the proposal: the pages
find it with ``visible_proposal`` and answer 404 where it does, or where it has no vote.

Secrecy: a receipt is shown in the one response to the cast and echoed by the download,
both marked no-store; it never goes into the session, a message or a log. The pages
show how many have voted, never who chose what, and no running tally while open.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.authority import Actor
from advisory.views import fraction_words, round_section
from core.errors import DomainError
from core.moments import format_moment
from history.selectors import chain_head
from proposals import selectors as proposal_selectors
from proposals.models import Proposal
from voting import selectors, services
from voting.forms import (
    BringForwardForm,
    CastForm,
    ChangeForm,
    ReceiptCheckForm,
    ReceiptDownloadForm,
)
from voting.models import Choice, Outcome, Rule, Vote
from voting.receipts import ballot_hash
from voting.selectors import VoteResult, VoteView

VOTE_ANCHOR = "vote"
# Proposals in these states may have a vote; the proposal page asks for none otherwise.
STATES_WITH_A_VOTE = (
    Proposal.State.AWAITING_VOTE,
    Proposal.State.VOTING,
    Proposal.State.ADOPTED,
    Proposal.State.REJECTED,
    Proposal.State.FAILED,
    Proposal.State.WITHDRAWN,
)


# --- Helpers ------------------------------------------------------------------------------------


def _vote(request: HttpRequest, space_slug: str, pk: int) -> tuple[Vote, Actor]:
    """The vote of a proposal this person may see; 404 otherwise, or without a vote."""
    actor = Actor.from_request(request)
    proposal = proposal_selectors.visible_proposal(actor, space_slug=space_slug, pk=pk)
    if proposal is None:
        raise Http404
    vote = selectors.vote_of(proposal)
    if vote is None:
        raise Http404
    return vote, actor


def _url(vote: Vote, name: str = "vote") -> str:
    proposal = vote.proposal
    return reverse(f"voting:{name}", kwargs={"space_slug": proposal.space.slug, "pk": proposal.pk})


def _base(vote: Vote) -> dict[str, Any]:
    return {"vote": vote, "proposal": vote.proposal, "space": vote.proposal.space}


def _refused(request: HttpRequest, vote: Vote, error: DomainError) -> HttpResponse:
    """A refusal that says why, with the service's status (403, 409…)."""
    return render(
        request,
        "voting/refused.html",
        {**_base(vote), "message": error.message},
        status=error.status_code,
    )


# --- The ballot page ----------------------------------------------------------------------------


def _bring_forward_form(view: VoteView) -> BringForwardForm | None:
    if not view.may_bring_forward:
        return None
    # The scheduled time, in UTC, as the datetime-local field writes it.
    return BringForwardForm(initial={"opens_at": f"{view.vote.opens_at:%Y-%m-%dT%H:%M}"})


def _ballot_page(
    request: HttpRequest,
    vote: Vote,
    actor: Actor,
    *,
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    """The ballot page, with fresh forms unless given ones (with errors) in ``forms``."""
    view = selectors.vote_view(actor, vote)
    context = {
        **_base(vote),
        **round_section(actor, vote.proposal),
        "view": view,
        # A refused form comes back for its error summary, even where it is not offered.
        "cast_form": forms.get("cast_form", CastForm()),
        "change_form": forms.get("change_form", ChangeForm()),
        "bring_forward_form": forms.get("bring_forward_form", _bring_forward_form(view)),
        "choices_published": vote.rulebook.publish_receipt_choices if vote.rulebook else None,
    }
    if context["bring_forward_form"] is not None:
        context["earliest_opening"] = vote.earliest_opening()
    return render(request, "voting/vote.html", context, status=status)


@require_GET
def vote_detail(request: HttpRequest, space_slug: str, pk: int) -> HttpResponse:
    vote, actor = _vote(request, space_slug, pk)
    return _ballot_page(request, vote, actor)


@login_required
@require_POST
@never_cache
def vote_cast(request: HttpRequest, space_slug: str, pk: int) -> HttpResponse:
    """Cast a ballot. The answer is the receipt page itself (not a redirect): the receipt
    exists only in this response, which no cache may keep."""
    vote, actor = _vote(request, space_slug, pk)
    form = CastForm(request.POST)
    if not form.is_valid():
        return _ballot_page(request, vote, actor, status=400, cast_form=form)
    try:
        cast = services.vote_cast(actor=actor, vote=vote, choice=form.cleaned_data["choice"])
    except DomainError as error:
        form.add_error(None, error.message)
        return _ballot_page(request, vote, actor, status=error.status_code, cast_form=form)
    return render(
        request,
        "voting/receipt.html",
        {**_base(vote), "receipt": cast.receipt, "ballot_hash": ballot_hash(cast.receipt)},
    )


@login_required
@require_POST
@never_cache
def receipt_download(request: HttpRequest, space_slug: str, pk: int) -> HttpResponse:
    """Echo the receipt the cast page showed as a text file. Nothing is stored or looked
    up: the receipt came with the request and leaves with its answer."""
    vote, _actor = _vote(request, space_slug, pk)
    form = ReceiptDownloadForm(request.POST)
    if not form.is_valid():
        return _refused(
            request, vote, DomainError(_("There is no receipt to download in this request."))
        )
    receipt = form.cleaned_data["receipt"]
    text = _(
        "Your receipt for the vote on “%(title)s” (version %(number)s)\n"
        "\n"
        "%(receipt)s\n"
        "\n"
        "Keep it private and safe. The site keeps only hashes of it, so it cannot show it "
        "again or recover it; without it your ballot cannot be changed.\n"
        "\n"
        "Once the vote is counted, look for your ballot's hash in the published receipts "
        "list to check that your ballot was counted as you cast it:\n"
        "\n"
        "%(hash)s\n"
        "\n"
        "(the SHA-256 of “ballot” followed by your receipt's 16 bytes).\n"
    ) % {
        "title": vote.version.title,
        "number": vote.version.number,
        "receipt": receipt,
        "hash": ballot_hash(receipt),
    }
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="receipt-{vote.public_id}.txt"'
    return response


@login_required
@require_POST
@never_cache
def vote_change(request: HttpRequest, space_slug: str, pk: int) -> HttpResponseBase:
    vote, actor = _vote(request, space_slug, pk)
    form = ChangeForm(request.POST)
    if not form.is_valid():
        return _ballot_page(request, vote, actor, status=400, change_form=form)
    try:
        services.vote_change(
            actor=actor,
            vote=vote,
            receipt=form.cleaned_data["receipt"],
            choice=form.cleaned_data["choice"],
        )
    except DomainError as error:
        form.add_error(None, error.message)
        return _ballot_page(request, vote, actor, status=error.status_code, change_form=form)
    # The message says nothing of the choice: messages are kept in the session.
    messages.success(request, _("Your ballot was changed."))
    return redirect(_url(vote))


@login_required
@require_POST
def vote_bring_forward(request: HttpRequest, space_slug: str, pk: int) -> HttpResponseBase:
    vote, actor = _vote(request, space_slug, pk)
    form = BringForwardForm(request.POST)
    if not form.is_valid():
        return _ballot_page(request, vote, actor, status=400, bring_forward_form=form)
    try:
        changed = services.vote_bring_forward(
            actor=actor, vote=vote, opens_at=form.cleaned_data["opens_at"]
        )
    except DomainError as error:
        if error.status_code == 403:
            return _refused(request, vote, error)
        form.add_error("opens_at", error.message)
        return _ballot_page(request, vote, actor, status=error.status_code, bring_forward_form=form)
    moment = format_moment(changed.opens_at)
    messages.success(request, _("The vote now opens at %(moment)s.") % {"moment": moment})
    return redirect(_url(vote))


# --- The result and its files -------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One bar of the result chart: its label, count and length in the drawing."""

    key: str
    label: str
    count: int
    width: int
    y: int


CHART_WIDTH = 200  # the longest bar, in the drawing's units
BAR_HEIGHT = 24
BAR_GAP = 12


def _bars(result: VoteResult) -> list[Bar]:
    counts = result.publication.overall
    values = [(Choice.APPROVE, counts.approve), (Choice.REJECT, counts.reject)]
    values.append((Choice.ABSTAIN, counts.abstain))
    longest = max(count for _key, count in values) or 1
    return [
        Bar(
            key=str(choice),
            label=str(choice.label),
            count=count,
            width=count * CHART_WIDTH // longest,
            y=index * (BAR_HEIGHT + BAR_GAP),
        )
        for index, (choice, count) in enumerate(values)
    ]


def _result_context(vote: Vote, result: VoteResult) -> dict[str, Any]:
    """What the result page and the record show of a finalised vote, in words."""
    rules = result.rules
    bars = _bars(result)
    return {
        "result": result,
        "outcome_label": Outcome(result.outcome).label,
        "rule_label": Rule(result.rule).label,
        "counts": result.publication.overall,
        "turnout_quorum": fraction_words(rules.turnout_quorum),
        "approval_threshold": fraction_words(rules.approval),
        "advisory_quorum": fraction_words(rules.advisory_quorum),
        "bars": bars,
        "chart_height": len(bars) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP,
        "bar_height": BAR_HEIGHT,
    }


def _finalised(request: HttpRequest, space_slug: str, pk: int) -> Vote:
    """A vote whose result is published; its files do not exist before (404)."""
    vote, _actor = _vote(request, space_slug, pk)
    if vote.finalised_at is None:
        raise Http404
    return vote


def _result_page(
    request: HttpRequest, vote: Vote, actor: Actor, *, status: int = 200, **extra: Any
) -> HttpResponse:
    view = selectors.vote_view(actor, vote)
    context: dict[str, Any] = {**_base(vote), "view": view, **extra}
    if view.result is not None:
        context.update(_result_context(vote, view.result))
        context.setdefault("check_form", ReceiptCheckForm())
    return render(request, "voting/result.html", context, status=status)


@require_GET
def vote_result(request: HttpRequest, space_slug: str, pk: int) -> HttpResponse:
    """The published result; before finalisation, a page that says when it will be."""
    vote, actor = _vote(request, space_slug, pk)
    return _result_page(request, vote, actor)


@require_POST
@never_cache
def receipt_check(request: HttpRequest, space_slug: str, pk: int) -> HttpResponse:
    """Tell whether a receipt's ballot is in the published list (and with which choice,
    when the list shows choices). Nothing is stored; the answer is never cached."""
    vote, actor = _vote(request, space_slug, pk)
    if vote.finalised_at is None:
        return _result_page(request, vote, actor, status=409)
    form = ReceiptCheckForm(request.POST)
    if not form.is_valid():
        return _result_page(request, vote, actor, status=400, check_form=form)
    check = selectors.receipt_check(vote, form.cleaned_data["receipt"])
    choice = Choice(check.choice).label if check.choice else None
    # A fresh, empty form: the receipt is not written back into the page.
    return _result_page(request, vote, actor, check=check, checked_choice=choice)


@require_GET
def receipts_csv(request: HttpRequest, space_slug: str, pk: int) -> HttpResponse:
    vote = _finalised(request, space_slug, pk)
    response = HttpResponse(selectors.receipts_list(vote), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="receipts.csv"'
    return response


@require_GET
def result_json(request: HttpRequest, space_slug: str, pk: int) -> HttpResponse:
    vote = _finalised(request, space_slug, pk)
    document = selectors.result_document(vote, selectors.receipts_list(vote))
    response = HttpResponse(document, content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="result.json"'
    return response


# --- The printable record -----------------------------------------------------------------------


@require_GET
def vote_record(request: HttpRequest, space_slug: str, pk: int) -> HttpResponse:
    """How this decision was made, on one page to print or save: the version voted on,
    the advisory round and the response, the vote and its rules, and the hashes that let
    anyone check the record later."""
    vote, actor = _vote(request, space_slug, pk)
    view = selectors.vote_view(actor, vote)
    context: dict[str, Any] = {
        **_base(vote),
        **round_section(actor, vote.proposal),
        "view": view,
        "head": chain_head(),
    }
    if vote.rulebook is not None:
        rulebook = vote.rulebook
        context["frozen"] = {
            "turnout_quorum": fraction_words(rulebook.turnout_quorum),
            "approval": fraction_words(rulebook.approval_threshold),
            "advisory_quorum": fraction_words(rulebook.advisory_quorum),
        }
    if view.result is not None:
        context.update(_result_context(vote, view.result))
    return render(request, "voting/record.html", context)


# --- A person's open votes ----------------------------------------------------------------------


@login_required
@require_GET
def open_votes(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    assert actor.user is not None
    return render(request, "voting/open.html", {"open_votes": selectors.open_votes_for(actor.user)})


# --- The vote on the proposal page --------------------------------------------------------------


def vote_section(actor: Actor, proposal: Proposal) -> dict[str, Any]:
    """What the proposal page shows about its vote. No query for a proposal that cannot
    have one yet (a draft, in review or in revision)."""
    if proposal.state not in STATES_WITH_A_VOTE:
        return {"vote_view": None}
    vote = selectors.vote_of(proposal)
    if vote is None:
        return {"vote_view": None}
    view = selectors.vote_view(actor, vote)
    return {"vote_view": view}
