"""The voting API: the same selectors, services and rules as the ballot page.

- A vote is addressed by its proposal (/spaces/<slug>/proposals/<pk>/vote/): the latest
  vote scheduled for it. The proposal must be visible to the caller
  (``proposals.selectors.visible_proposal``), and have a vote; otherwise 404.
- Until the finalisation only the turnout is public (against the quorum), never counts
  by choice; a person in the snapshot sees whether they have voted, never how. Once
  finalised: the counts, the outcome and the rule that decided it, counts by group only
  above the minimum group size, and the receipts list and result summary as files.
- Casting and changing a ballot are a voter's acts: a browser session or a personal
  token will do. Bringing an opening forward is a facilitator power, so it needs a
  session that passed a second factor; a personal token never carries it
  (``Actor.can_use_powers``), and the service refuses it (403).
- The receipt is in one answer only, the cast's, marked ``Cache-Control: private,
  no-store``, like every answer that depends on who asks or carries a receipt.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api import OwnList
from accounts.authority import Actor
from accounts.models import User
from api.base import Read, ServiceCall, validated
from api.index import IndexView
from core.caching import private, private_if_signed_in
from core.errors import Conflict
from proposals.api import visible
from voting import selectors, services
from voting.models import Choice, Stage, Vote
from voting.receipts import ReceiptError, ballot_hash
from voting.serializers import (
    BringForwardSerializer,
    CastResultSerializer,
    CastSerializer,
    ChangeResultSerializer,
    ChangeSerializer,
    OpenVoteSerializer,
    ReceiptCheckRequestSerializer,
    ReceiptCheckSerializer,
    VoteSerializer,
    VotingIndexSerializer,
)

TAGS = ["vote"]


ERROR = {"$ref": "#/components/schemas/Error"}


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=ERROR, description=description)


NO_VOTE = _error("The proposal is not visible to the caller, or has no vote.")
NOT_FINALISED = _error("The vote is not finalised yet.")


# --- Helpers ------------------------------------------------------------------------------------


def _vote(request: Request, space_slug: str, pk: int) -> tuple[Actor, Vote]:
    """The proposal's vote, for a caller who may see the proposal."""
    actor, proposal = visible(request, space_slug, pk)
    vote = selectors.vote_of(proposal)
    if vote is None:
        raise NotFound(
            _(
                "This proposal has no vote. A vote is scheduled when the authors publish "
                "their response to an advisory review round that passed."
            )
        )
    return actor, vote


def _vote_body(request: Request, actor: Actor, vote: Vote) -> Any:
    """The vote as the ballot page shows it to ``actor``."""
    return VoteSerializer(selectors.vote_view(actor, vote), context={"request": request}).data


def _receipt_explanation(vote: Vote) -> str:
    """What the receipt lets its holder prove, as the ballot page says it."""
    kept = _(
        "This is your receipt. It is shown this once and kept nowhere on this site: save "
        "it now. With it, signed in, you can change your ballot until the vote closes."
    )
    rulebook = vote.rulebook
    if rulebook is not None and not rulebook.publish_receipt_choices:
        proves = _(
            "Once the result is published, you can check that your ballot is in the "
            "receipts list. The list shows no choices, so the receipt proves that a ballot "
            "was counted, not how it was cast."
        )
    else:
        proves = _(
            "Once the result is published, the receipts list shows each receipt's hash with "
            "its choice: with this receipt you can check that your ballot was counted as "
            "you cast it, and so can anyone you show it to. It does not name you; keep it "
            "to yourself if you do not want anyone to learn your choice."
        )
    return f"{kept} {proves}"


def _finalised(vote: Vote, *, check: bool = False) -> None:
    """Refuse (409) until the vote is finalised: the files, and checking a receipt against
    them, come with the result."""
    if vote.finalised_at is not None:
        return
    counting = vote.stage(selectors.db_now()) == Stage.COUNTING
    if check and counting:
        message = _(
            "This vote has closed and is being counted; receipts can be checked once its "
            "result is published, within a few minutes."
        )
    elif check:
        message = _(
            "Receipts can be checked once the vote is finalised and its receipts list is "
            "published, after it closes."
        )
    elif counting:
        message = _(
            "This vote has closed and is being counted; its receipts list and result "
            "summary are published with the result, within a few minutes."
        )
    else:
        message = _(
            "The receipts list and the result summary are published when the vote is "
            "finalised, after it closes."
        )
    raise Conflict(message)


# --- Views --------------------------------------------------------------------------------------


class _VoteCall(ServiceCall):
    # A write on the vote the address names, by a caller who may see its proposal;
    # ``self.actor`` is the caller. Every answer is the caller's own: no cache keeps it.
    # (No docstring: drf-spectacular would make it every subclass's description.)

    tags = TAGS
    actor: Actor

    def subject(self, request: Request) -> Vote:
        self.actor, vote = _vote(request, self.kwargs["space_slug"], self.kwargs["pk"])
        return vote

    def respond(self, result: Any) -> Response:
        return private(super().respond(result))


class VoteDetail(Read):
    tags = TAGS
    summary = "A proposal's vote: its stage, turnout, and once finalised its result"
    operation_description = (
        "Before the finalisation only the turnout is public, against the quorum; "
        "result is null and nothing tells how anyone or any group voted. may_vote and "
        "has_voted are the caller's own (never how they voted). A vote past its close that "
        'the minute sweep has not finalised yet is "counting".'
    )
    answer = VoteSerializer
    responses = {200: VoteSerializer, 404: NO_VOTE}
    actor: Actor

    def read(self, request: Request) -> Vote:
        self.actor, vote = _vote(request, self.kwargs["space_slug"], self.kwargs["pk"])
        return vote

    def respond(self, vote: Vote) -> Response:
        body = _vote_body(self.request, self.actor, vote)
        return private_if_signed_in(Response(body), self.actor)


class BallotView(_VoteCall):
    permission_classes = [permissions.IsAuthenticated]
    summary = "Cast one's ballot (people in the electorate snapshot, once)"
    operation_description = (
        "Approve, reject or abstain. The answer carries the receipt, this once: "
        "the site keeps only two hashes of it, one with the ballot (what) and one with the "
        "participation (who), so only the receipt links them. A session or a personal "
        "token will do. A refusal stores nothing."
    )
    body = CastSerializer
    answer = CastResultSerializer
    status_code = status.HTTP_201_CREATED
    responses = {
        201: CastResultSerializer,
        400: _error("No such choice."),
        403: _error("Not in the electorate snapshot taken when the vote opened."),
        404: NO_VOTE,
        409: _error("Voted already, or the vote is not open (not yet, or closed)."),
    }

    def call(self, vote: Vote, values: dict[str, Any]) -> dict[str, Any]:
        cast = services.vote_cast(actor=self.actor, vote=vote, choice=values["choice"])
        return {
            "receipt": cast.receipt,
            "receipt_hash": ballot_hash(cast.receipt),
            "explanation": _receipt_explanation(vote),
        }

    @extend_schema(
        request=ChangeSerializer,
        responses={
            200: ChangeResultSerializer,
            400: _error("No such choice, or the receipt is mistyped."),
            403: _error("Not in the snapshot, or not the receipt given to the caller."),
            404: NO_VOTE,
            409: _error("Not voted yet, or the vote is not open."),
        },
        tags=TAGS,
        summary="Change one's ballot while the vote is open (needs the receipt)",
        description="Both the caller's sign-in and the receipt given at the cast: someone "
        "else's receipt, or a mistyped one, is refused and nothing changes. The receipt "
        "stays the same.",
    )
    def put(self, request: Request, space_slug: str, pk: int) -> Response:
        actor, vote = _vote(request, space_slug, pk)
        values = validated(ChangeSerializer, request)
        services.vote_change(
            actor=actor, vote=vote, receipt=values["receipt"], choice=values["choice"]
        )
        body = ChangeResultSerializer(
            {"changed": True, "message": _("Your ballot is changed. Your receipt stays the same.")}
        ).data
        return private(Response(body))


class Opening(_VoteCall):
    summary = "Set an earlier opening (the space's facilitators)"
    operation_description = (
        "A facilitator power: a browser session with a second factor, never a "
        "personal token. Earlier than scheduled only, from now on, never before "
        "earliest_opening (the rulebook's floor of 2 days after the response was "
        "published, so the electorate has time to read it), and only before the vote "
        "opens. Appends a history event; a refusal changes nothing."
    )
    body = BringForwardSerializer
    answer = VoteSerializer
    responses = {
        200: VoteSerializer,
        400: _error(
            "Later than scheduled, in the past, or less than the rulebook's floor (2 "
            "days) after the response was published (see earliest_opening)."
        ),
        403: _error(
            "Not a facilitator of the space with their powers (a session that passed a "
            "second factor; a personal token never carries them)."
        ),
        404: NO_VOTE,
        409: _error("The vote has opened already, or its proposal was withdrawn."),
    }

    def call(self, vote: Vote, values: dict[str, Any]) -> Vote:
        services.vote_bring_forward(actor=self.actor, vote=vote, opens_at=values["opens_at"])
        fresh = selectors.vote_of(vote.proposal)
        assert fresh is not None
        return fresh

    def respond(self, vote: Vote) -> Response:
        return private(Response(_vote_body(self.request, self.actor, vote)))


class _FileView(APIView):
    """A published file: its exact bytes, whatever the client's Accept header says (an
    error still answers in the JSON error format)."""

    # (That docstring is each file's description in the schema.) A file is a finalised
    # vote's: ``contents`` gives its bytes and its name, and the schema's operation is made
    # from ``summary``, ``media_type`` (with ``charset``, the answer's Content-Type),
    # ``kind`` and ``about``, as api.base.ServiceCall makes its own.
    summary: ClassVar[str]
    media_type: ClassVar[str]
    kind: ClassVar[OpenApiTypes]
    about: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        published = OpenApiResponse(response=cls.kind, description=cls.about)
        responses = {(200, cls.media_type): published, 404: NO_VOTE, 409: NOT_FINALISED}
        operation = extend_schema(responses=responses, tags=TAGS, summary=cls.summary)
        extend_schema_view(get=operation)(cls)

    def perform_content_negotiation(
        self, request: Request, force: bool = False
    ) -> tuple[BaseRenderer, str]:
        renderer = JSONRenderer()
        return renderer, str(renderer.media_type)

    def get(self, request: Request, space_slug: str, pk: int) -> HttpResponse:
        _actor, vote = _vote(request, space_slug, pk)
        _finalised(vote)
        content, filename = self.contents(vote)
        response = HttpResponse(content, content_type=f"{self.media_type}; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def contents(self, vote: Vote) -> tuple[bytes, str]:
        raise NotImplementedError


class ReceiptsList(_FileView):
    summary = "A finalised vote's receipts list (CSV)"
    media_type = "text/csv"
    kind = OpenApiTypes.STR
    about = (
        'UTF-8, LF line ends. Header "receipt_hash,choice" (or "receipt_hash" when the '
        "rulebook publishes hashes only), then one line per ballot, sorted by hash. Its "
        "SHA-256 is the result's receipts_sha256."
    )

    def contents(self, vote: Vote) -> tuple[bytes, str]:
        return selectors.receipts_list(vote), f"vote-{vote.public_id}-receipts.csv"


class ResultDocument(_FileView):
    summary = "A finalised vote's result summary (JSON)"
    media_type = "application/json"
    kind = OpenApiTypes.OBJECT
    about = (
        'The result summary, format "realvoice-result/1": vote_id, proposal, electorate, '
        "turnout, counts, outcome, rule, choices_published and receipts_sha256 (of the "
        "receipts list). scripts/recount.py checks a downloaded receipts list against it."
    )

    def contents(self, vote: Vote) -> tuple[bytes, str]:
        document = selectors.result_document(vote, selectors.receipts_list(vote))
        return document, f"vote-{vote.public_id}-result.json"


class ReceiptCheck(_VoteCall):
    permission_classes = [permissions.AllowAny]
    summary = "Check a receipt against a finalised vote's published receipts list"
    operation_description = (
        "Anyone may check, signed in or not. Stores nothing and logs nothing; "
        "the answer is not cached. With the receipts list showing choices, the answer "
        "gives the choice listed with the receipt."
    )
    body = ReceiptCheckRequestSerializer
    answer = ReceiptCheckSerializer
    responses = {
        200: ReceiptCheckSerializer,
        400: _error("Not a receipt (mistyped, or the wrong length)."),
        404: NO_VOTE,
        409: NOT_FINALISED,
    }

    def call(self, vote: Vote, values: dict[str, Any]) -> dict[str, Any]:
        _finalised(vote, check=True)
        try:
            check = selectors.receipt_check(vote, values["receipt"])
        except ReceiptError as error:
            raise ValidationError({"receipt": [services.receipt_problem(error)]}) from None
        if not check.listed:
            message = _(
                "This receipt is not in the published receipts list. If you copied it "
                "correctly from the answer to your cast, tell the space's facilitators."
            )
        elif check.choice is not None:
            message = _(
                "Your ballot is in the published receipts list, counted as: %(choice)s."
            ) % {"choice": Choice(check.choice).label}
        else:
            message = _("Your ballot is in the published receipts list.")
        return {
            "listed": check.listed,
            "receipt_hash": check.receipt_hash,
            "choice": check.choice,
            "choices_published": check.choices_published,
            "message": message,
        }


class OpenVotes(OwnList):
    tags = TAGS
    summary = "The caller's open votes"
    operation_description = (
        "Open votes whose electorate snapshot has the caller in it, soonest close first, "
        "with whether they have voted (never how). A vote past its close that the minute "
        'sweep has not finalised yet is listed with the state "counting".'
    )
    answer = OpenVoteSerializer

    def rows(self, user: User) -> Any:
        return selectors.open_votes_for(user)


class VotingIndex(IndexView):
    """Votes live under their proposal; this says how to reach them (the API root links
    here, since a link cannot name every proposal)."""

    tags = TAGS
    summary = "Where votes are: a URI template, and the caller's open votes"
    answer = VotingIndexSerializer

    templates = {
        "proposal_vote": "spaces/{space_slug}/proposals/{id}/vote/",
    }
    addresses = {
        "open_votes": "api:votes-open",
    }
