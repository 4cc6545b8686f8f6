"""The advisory review API: the same selectors, services and rules as the proposal pages.

- A round is addressed by its proposal and the NUMBER of the version it reviews. The
  proposal must be visible to the caller (``proposals.selectors.visible_proposal``): to
  anyone else every address answers 404, as the proposals API does. A draft never
  submitted has no round anyway.
- Sealing: until a round closes, no one sees anyone's review but their own, nor the
  counts by verdict (they would unseal the reviews); everyone sees how many have
  answered, the deadline and whether the round is overdue. At the close every review is
  published, signed with its author's public name or as from "an advisory member".
- A recusal is public; its reason only reaches the space's facilitators, whose powers
  need a browser session with a second factor (a personal API token never carries them,
  ``Actor.can_use_powers``).
- Board members may review, recuse and post with a personal token: none of that is a
  facilitator power. Authors publish their response the same way.
- Every answer that depends on who asks (own review, recusal reasons, what the caller
  may do) is marked ``Cache-Control: private, no-store``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import OwnList
from accounts.authority import Actor
from accounts.models import User
from advisory import selectors, services
from advisory.models import Message, Review, Round
from advisory.models import Response as BoardResponse
from advisory.outcomes import recusal_message, response_message, review_message
from advisory.serializers.read import (
    AdvisoryIndexSerializer,
    MessageSerializer,
    OwnReviewSerializer,
    RecusalDeclaredSerializer,
    ResponsePublishedSerializer,
    ResponseSerializer,
    ReviewGivenSerializer,
    RoundSerializer,
    WaitingReviewSerializer,
)
from advisory.serializers.write import (
    MessageWriteSerializer,
    RecusalWriteSerializer,
    ResponseWriteSerializer,
    ReviewWriteSerializer,
)
from api.base import Read, ServiceCall, validated
from api.index import IndexView
from core.caching import private, private_if_signed_in
from proposals.api import visible
from proposals.models import Proposal

TAGS = ["advisory review"]

# The largest version number a database integer column holds; beyond it, no round.
MAX_NUMBER = 2**31 - 1


# --- Helpers ------------------------------------------------------------------------------------


def _rounds(proposal: Proposal) -> QuerySet[Round]:
    return (
        Round.objects.filter(proposal=proposal)
        .select_related("version", "rulebook")
        .order_by("opened_at", "pk")
    )


def _round(request: Request, space_slug: str, pk: int, version: int) -> tuple[Actor, Round]:
    """The round of the proposal's version ``version``, for a caller who may see it."""
    actor, proposal = visible(request, space_slug, pk)
    found = (
        _rounds(proposal).filter(version__number=version).first() if version <= MAX_NUMBER else None
    )
    if found is None:
        raise NotFound(
            _(
                "Version %(number)d of this proposal has no advisory review round. Its "
                "rounds are listed at %(url)s."
            )
            % {
                "number": version,
                "url": reverse(
                    "api:advisory:rounds", kwargs={"space_slug": space_slug, "pk": proposal.pk}
                ),
            }
        )
    found.proposal = proposal
    return actor, found


def _round_body(request: Request, actor: Actor, round: Round) -> Any:
    """One round as the proposal page shows it to ``actor``."""
    view = selectors.round_view(actor, round)
    context = {"request": request, "show_recusal_reasons": view.show_recusal_reasons}
    return RoundSerializer(view, context=context).data


# --- Views --------------------------------------------------------------------------------------


class _InRound:
    # The round the address names, for a caller who may see its proposal; ``self.actor``
    # is the caller.

    kwargs: dict[str, Any]
    actor: Actor

    def round(self, request: Request) -> Round:
        kwargs = self.kwargs
        self.actor, round = _round(request, kwargs["space_slug"], kwargs["pk"], kwargs["version"])
        return round


class _RoundCall(_InRound, ServiceCall):
    # A write in the round the address names. (No docstring: drf-spectacular would make
    # it every subclass's description.)

    tags = TAGS

    def subject(self, request: Request) -> Round:
        return self.round(request)


class _RoundRead(_InRound, Read):
    # A read of the round the address names.

    tags = TAGS


class RoundList(Read):
    tags = TAGS
    summary = "A proposal's advisory review rounds, oldest first"
    operation_description = (
        "One round per submitted version. Each is shown as its own address shows it: "
        "sealed until its close."
    )
    answer = RoundSerializer
    many = True
    actor: Actor

    def read(self, request: Request) -> list[Round]:
        self.actor, proposal = visible(request, self.kwargs["space_slug"], self.kwargs["pk"])
        rounds = list(_rounds(proposal))
        for round in rounds:
            round.proposal = proposal
        return rounds

    def respond(self, rounds: list[Round]) -> Response:
        body = [_round_body(self.request, self.actor, round) for round in rounds]
        return private_if_signed_in(Response(body), self.actor)


class RoundDetail(_RoundRead):
    summary = "One advisory review round, by the number of the version it reviews"
    operation_description = (
        "Sealed until the close: reviews is empty and the counts by verdict and "
        "quorum_met are null; answered and board_size are public. own_review is the "
        "caller's own review at any time. A recusal's reason is shown only to the space's "
        "facilitators (second factor, never a personal token). items_to_answer lists, for "
        "the authors of a passed round, what their response must answer."
    )
    answer = RoundSerializer

    def read(self, request: Request) -> Round:
        return self.round(request)

    def respond(self, round: Round) -> Response:
        body = _round_body(self.request, self.actor, round)
        return private_if_signed_in(Response(body), self.actor)


class OwnReview(_RoundRead):
    permission_classes = [permissions.IsAuthenticated]
    summary = "The caller's own review in this round"
    operation_description = "404 when the caller has not reviewed in it."
    answer = OwnReviewSerializer
    personal = True

    def read(self, request: Request) -> Review:
        round = self.round(request)
        reviews = Review.objects.filter(round=round, user=self.actor.user)
        review = reviews.select_related("user").first()
        if review is None:
            raise NotFound(_("You have not reviewed in this round."))
        return review

    @extend_schema(
        request=ReviewWriteSerializer,
        responses=ReviewGivenSerializer,
        tags=TAGS,
        summary="Give or change one's review (members of the round's board)",
        description="Only a member of the board frozen at the round's opening who has not "
        "stepped aside, is still on the board and not on leave; changeable until the "
        "round closes. Sealed until then. A refusal for the content names each field "
        "under error.fields (400); not on the board is a 403; a closed round, a round for "
        "an earlier version, or one closing at its deadline is a 409. The answer says what "
        "the review did to the round (round_state, and message in words): closed because "
        "every member answered or because the quorum came after the deadline, or still "
        "open with how many have answered.",
    )
    def put(self, request: Request, space_slug: str, pk: int, version: int) -> Response:
        actor, round = _round(request, space_slug, pk, version)
        values = validated(ReviewWriteSerializer, request)
        given = services.review_give(
            actor=actor,
            round=round,
            verdict=values["verdict"],
            rationale=values["rationale"],
            conditions=list(values["conditions"]),
            shown_as_advisory_member=values["shown_as_advisory_member"],
        )
        body = ReviewGivenSerializer(
            {"review": given.review, "round": given.round, "message": review_message(given)}
        )
        return private(Response(body.data))


class Recusal(_RoundCall):
    summary = "Step aside from this round (members of the round's board)"
    operation_description = (
        "Public (who stepped aside), final for the round, and instead of a "
        "review: a member who has reviewed changes the review (to abstain, say) instead "
        "(409). The optional reason is shown only to the space's facilitators; this "
        "answer returns it to its author once."
    )
    body = RecusalWriteSerializer
    answer = RecusalDeclaredSerializer
    status_code = status.HTTP_201_CREATED

    def call(self, round: Round, values: dict[str, Any]) -> dict[str, Any]:
        declared = services.recusal_declare(actor=self.actor, round=round, reason=values["reason"])
        return {
            "seat": declared.seat,
            "round": declared.round,
            "message": recusal_message(declared),
        }

    def respond(self, result: dict[str, Any]) -> Response:
        # The member who steps aside gets their reason back, once.
        body = self.answer(result, context={"show_recusal_reasons": True})
        return private(Response(body.data, status=self.status_code))


class MessageList(_RoundCall):
    summary = "Post in the round's thread (board members and the proposal's authors)"
    operation_description = (
        "Public at once. Open from the round's opening until the next round "
        "or the proposal's end. A board member who does not author the proposal may post "
        'as "an advisory member".'
    )
    body = MessageWriteSerializer
    answer = MessageSerializer
    status_code = status.HTTP_201_CREATED

    @extend_schema(
        responses=MessageSerializer(many=True),
        tags=TAGS,
        summary="The round's public thread, oldest first",
    )
    def get(self, request: Request, space_slug: str, pk: int, version: int) -> Response:
        _actor, round = _round(request, space_slug, pk, version)
        messages = Message.objects.filter(round=round).select_related("author")
        return Response(MessageSerializer(messages.order_by("posted_at", "pk"), many=True).data)

    def call(self, round: Round, values: dict[str, Any]) -> Message:
        return services.message_post(
            actor=self.actor,
            round=round,
            body=values["body"],
            shown_as_advisory_member=values["shown_as_advisory_member"],
        )


def _published(round: Round) -> Response:
    response = BoardResponse.objects.filter(round=round).first()
    if response is None:
        raise NotFound(_("The authors have not published their response to this round."))
    return Response(ResponseSerializer(selectors.response_shown(response)).data)


class ResponseView(_RoundCall):
    summary = "Publish the response to a passed round (authors, once)"
    operation_description = (
        "Answers every item of the round's items_to_answer, keyed by its key: "
        'each condition "accepted" as a commitment or "declined" with reasons, each '
        "request for changes with an answer. Each missing or wrong answer is named by its "
        "key under error.fields (400); an unknown key is named under answers. Published "
        "whole and never changed; publishing it schedules the vote: vote_opens_at is when "
        "it opens, and message says so in words."
    )
    body = ResponseWriteSerializer
    answer = ResponsePublishedSerializer
    status_code = status.HTTP_201_CREATED

    @extend_schema(
        responses=ResponseSerializer,
        tags=TAGS,
        summary="The authors' response to the board",
        description="404 until it is published.",
    )
    def get(self, request: Request, space_slug: str, pk: int, version: int) -> Response:
        _actor, round = _round(request, space_slug, pk, version)
        return _published(round)

    def call(self, round: Round, values: dict[str, Any]) -> dict[str, Any]:
        answers = {
            str(key): {"decision": value.get("decision", ""), "text": value.get("text", "")}
            for key, value in values["answers"].items()
        }
        published = services.response_publish(
            actor=self.actor, round=round, answers=answers, statement=values["statement"]
        )
        return {
            "shown": selectors.response_shown(published.response),
            "vote_opens_at": published.vote.opens_at,
            "message": response_message(published),
        }


class ReviewsWaiting(OwnList):
    tags = TAGS
    summary = "The caller's open seats: rounds waiting for their review"
    operation_description = (
        "Open rounds where the caller sits on the board and has not stepped aside, "
        "soonest deadline first, with whether they reviewed already."
    )
    answer = WaitingReviewSerializer

    def rows(self, user: User) -> Any:
        return selectors.reviews_waiting_for(user)


class AdvisoryIndex(IndexView):
    """Rounds live under their proposal; this says how to reach them (the API root links
    here, since a link cannot name every proposal)."""

    tags = TAGS
    summary = "Where advisory review rounds are: a URI template, and the caller's seats"
    answer = AdvisoryIndexSerializer

    templates = {
        "proposal_rounds": "spaces/{space_slug}/proposals/{id}/rounds/",
    }
    addresses = {
        "reviews_waiting": "api:reviews-waiting",
    }
