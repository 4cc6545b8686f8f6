"""The advisory round's pages: its section on the proposal page, the review and recusal
forms, the public thread, the authors' response and the reviews waiting for a board
member. Reads go through advisory.selectors, every change through advisory.services;
a refusal from a service becomes a form error (``ReviewInvalid``) or a page that says
why with the service's status (403 not permitted, 409 not in this state). A form is
offered only where its action's guard (advisory/rules.py, carried by the round's view)
gives no refusal; where it gives one, the page shows that refusal, as the service would.

A round belongs to a submitted version, so it is as public as its proposal: the pages
find the proposal with ``visible_proposal`` and answer 404 where it does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.authority import Actor
from advisory import selectors, services
from advisory.forms import MessageForm, RecusalForm, ResponseForm, ReviewForm
from advisory.models import Review, Round
from advisory.outcomes import recusal_message, response_message, review_message
from advisory.selectors import RoundView
from core.errors import DomainError
from core.forms import RefusalForm
from proposals import selectors as proposal_selectors
from proposals.models import Proposal
from spaces.rulebook import Fraction

ROUND_ANCHOR = "advisory-round"
THREAD_ANCHOR = "round-thread"


# --- Helpers ------------------------------------------------------------------------------------


def _round(request: HttpRequest, space_slug: str, pk: int, version: int) -> tuple[Round, Actor]:
    """The round of version ``version`` of a proposal this person may see; 404 otherwise."""
    actor = Actor.from_request(request)
    proposal = proposal_selectors.visible_proposal(actor, space_slug=space_slug, pk=pk)
    if proposal is None:
        raise Http404
    found = (
        selectors.rounds_of(proposal)
        .select_related("rulebook")
        .filter(version__number=version)
        .first()
    )
    if found is None:
        raise Http404
    found.proposal = proposal
    return found, actor


def _proposal_url(round: Round, anchor: str = ROUND_ANCHOR) -> str:
    proposal = round.proposal
    path = proposal.get_absolute_url()
    return f"{path}#{anchor}"


def _refused(request: HttpRequest, round: Round, error: DomainError) -> HttpResponse:
    """A refusal that says why, with the service's status (403, 409…)."""
    return render(
        request,
        "advisory/refused.html",
        {
            "round": round,
            "proposal": round.proposal,
            "space": round.proposal.space,
            "message": error.message,
        },
        status=error.status_code,
    )


def fraction_words(share: Fraction) -> str:
    """A rulebook share as a person reads it: "at least 2/3", "more than 1/2"."""
    if share.strict:
        return _("more than %(share)s") % {"share": f"{share.num}/{share.den}"}
    return _("at least %(share)s") % {"share": f"{share.num}/{share.den}"}


@dataclass(frozen=True)
class Figures:
    """The round's arithmetic against the rules frozen onto it."""

    quorum: str
    quorum_met: bool
    threshold: str
    consent_given: bool


def _figures(view: RoundView) -> Figures:
    rulebook = view.round.rulebook
    return Figures(
        quorum=fraction_words(rulebook.advisory_quorum),
        quorum_met=view.quorum_met,
        threshold=fraction_words(rulebook.consent_threshold),
        consent_given=view.tally.consent_given(rulebook.consent_threshold),
    )


def _round_context(actor: Actor, round: Round) -> dict[str, Any]:
    view = selectors.round_view(actor, round)
    response = view.response_shown
    return {
        "round_view": view,
        "round_figures": _figures(view),
        "round_answers": response.answers if response is not None else [],
        "message_form": MessageForm(anonymous_allowed=view.may_post_anonymously)
        if view.may_post
        else None,
    }


def round_section(actor: Actor, proposal: Proposal) -> dict[str, Any]:
    """What the proposal page shows about its advisory review: the current version's
    round in full, and the earlier rounds with their outcomes. One query when the
    proposal was never submitted."""
    rounds = list(selectors.rounds_of(proposal).select_related("rulebook"))
    current = next((r for r in rounds if r.version_id == proposal.current_version_id), None)
    earlier = [r for r in reversed(rounds) if r is not current]
    if current is None:
        return {"round_view": None, "earlier_rounds": earlier}
    current.proposal = proposal
    return {**_round_context(actor, current), "earlier_rounds": earlier}


@require_GET
def round_detail(request: HttpRequest, space_slug: str, pk: int, version: int) -> HttpResponse:
    """One round in full, earlier ones included: what was published at its close, its
    thread and its response."""
    round, actor = _round(request, space_slug, pk, version)
    proposal = round.proposal
    return render(
        request,
        "advisory/round.html",
        {"proposal": proposal, "space": proposal.space, **_round_context(actor, round)},
    )


def _form_page(
    request: HttpRequest,
    round: Round,
    form: RefusalForm,
    template: str,
    act: Callable[[], str],
    *,
    anchor: str = ROUND_ANCHOR,
    **extra: Any,
) -> HttpResponseBase:
    """A round's form page: on a valid POST ``act`` calls the service and says what it did,
    and the person goes back to the proposal page at ``anchor``; input the service refuses
    comes back onto the form (400), any other refusal becomes a page that says why, with
    the service's status."""
    if request.method == "POST" and form.is_valid():
        try:
            done = act()
        except services.ReviewInvalid as error:
            form.add_refusal(error)
        except DomainError as error:
            return _refused(request, round, error)
        else:
            messages.success(request, done)
            return redirect(_proposal_url(round, anchor))
    return render(
        request,
        template,
        {
            "round": round,
            "proposal": round.proposal,
            "space": round.proposal.space,
            "form": form,
            **extra,
        },
        status=400 if request.method == "POST" else 200,
    )


RoundPage = Callable[[HttpRequest, Actor, RoundView], HttpResponseBase]


def _offered(
    refusal: Callable[[RoundView], DomainError | None],
) -> Callable[[RoundPage], Callable[[HttpRequest, str, int, int], HttpResponseBase]]:
    """A round's form page (GET and POST), given the actor and the round's view, for
    those whom its action's guard (``refusal`` of the view) lets act; anyone else gets
    the page that says why, as the service would refuse them."""

    def decorate(page: RoundPage) -> Callable[[HttpRequest, str, int, int], HttpResponseBase]:
        @require_http_methods(["GET", "POST"])
        @wraps(page)
        def offered(
            request: HttpRequest, space_slug: str, pk: int, version: int
        ) -> HttpResponseBase:
            round, actor = _round(request, space_slug, pk, version)
            # On the services' clock (the database's), so that the page refuses exactly
            # when the service would, at a deadline too.
            view = selectors.round_view(actor, round, now=services.base.db_now())
            error = refusal(view)
            if error is not None:
                return _refused(request, round, error)
            return page(request, actor, view)

        return offered

    return decorate


# --- Reviewing and stepping aside ---------------------------------------------------------------


@login_required
@_offered(lambda view: view.review_refusal)
def review_form(request: HttpRequest, actor: Actor, view: RoundView) -> HttpResponseBase:
    round = view.round
    assert actor.user is not None
    own = Review.objects.filter(round=round, user=actor.user).first()
    form = ReviewForm(request.POST or None, review=own)

    def give() -> str:
        given = services.review_give(
            actor=actor,
            round=round,
            verdict=form.cleaned_data["verdict"],
            rationale=form.cleaned_data["rationale"],
            conditions=form.condition_list(),
            shown_as_advisory_member=form.cleaned_data["shown_as_advisory_member"],
        )
        return review_message(given)

    return _form_page(request, round, form, "advisory/review.html", give, own=own)


@login_required
@_offered(lambda view: view.recusal_refusal)
def recusal_form(request: HttpRequest, actor: Actor, view: RoundView) -> HttpResponseBase:
    round = view.round
    form = RecusalForm(request.POST or None)

    def declare() -> str:
        reason = form.cleaned_data["reason"]
        return recusal_message(services.recusal_declare(actor=actor, round=round, reason=reason))

    return _form_page(request, round, form, "advisory/recuse.html", declare)


# --- The public thread ------------------------------------------------------------------------


@login_required
@require_POST
def message_create(
    request: HttpRequest, space_slug: str, pk: int, version: int
) -> HttpResponseBase:
    round, actor = _round(request, space_slug, pk, version)
    view = selectors.round_view(actor, round)
    form = MessageForm(request.POST, anonymous_allowed=view.may_post_anonymously)

    def post() -> str:
        services.message_post(
            actor=actor,
            round=round,
            body=form.cleaned_data["body"],
            shown_as_advisory_member=form.cleaned_data.get("shown_as_advisory_member", False),
        )
        return _("Your message is posted in the public thread.")

    # Without JavaScript the person gets the message back, with what to fix.
    return _form_page(request, round, form, "advisory/message.html", post, anchor=THREAD_ANCHOR)


# --- The authors' response ----------------------------------------------------------------------


@login_required
@_offered(lambda view: view.response_refusal)
def response_form(request: HttpRequest, actor: Actor, view: RoundView) -> HttpResponseBase:
    round = view.round
    form = ResponseForm(request.POST or None, items=view.items_to_answer)

    def publish() -> str:
        published = services.response_publish(
            actor=actor,
            round=round,
            answers=form.answers(),
            statement=form.cleaned_data["statement"],
        )
        return response_message(published)

    return _form_page(
        request, round, form, "advisory/response.html", publish, anchor="round-response"
    )


# --- The reviews waiting for a board member ----------------------------------------------------


@login_required
@require_GET
def reviews_waiting(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    assert actor.user is not None
    return render(
        request,
        "advisory/waiting.html",
        {"waiting": selectors.reviews_waiting_for(actor.user)},
    )
