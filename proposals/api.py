"""The proposals API: the same selectors, services and rules as the proposal pages.

- A draft never submitted is visible only to its authors and co-signers: to anyone else
  every address of it answers 404, as if it did not exist (never 403, which would
  confirm it does).
- Authors get the working copy and the language warnings over it. Co-signers get the
  working copy too, read-only (they can already see the draft on its page; during a
  revision it is what they will be asked to stand behind), but no warnings: they cannot
  act on them. Everyone else reads only submitted versions.
- Personal API tokens may draft, edit, co-sign, submit and withdraw: none of that needs
  facilitator powers.
- Versions are immutable: there is no write endpoint for them (PUT, PATCH and DELETE on a
  version answer 405), on top of the database's refusal.

Here: the proposals of a space, one proposal, submitting, withdrawing, the language check
and the index. Co-signing and the requests to co-sign are in ``proposals.cosign_api``,
the versions and their differences in ``proposals.version_api``; they share the helpers
at the top of this module, and ``ProposalCall`` for a write on one proposal.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, permissions, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.authority import Actor
from api.base import Read, ServiceCall
from api.exceptions import error_body
from api.index import IndexView
from core.caching import private
from organisations.models import Organisation
from proposals import selectors, services
from proposals.findings import field_findings, stored_texts
from proposals.language import check_text
from proposals.markdown import render_markdown
from proposals.models import CONTENT_FIELDS, Proposal
from proposals.outcomes import Withdrawal, withdrawal_message
from proposals.selectors import SubmissionCheck
from proposals.serializers import (
    FieldFindingSerializer,
    ProposalCreateSerializer,
    ProposalDetailSerializer,
    ProposalListQuerySerializer,
    ProposalsIndexSerializer,
    ProposalSummarySerializer,
    SubmitConfirmationSerializer,
    SubmitSerializer,
    TextCheckResultSerializer,
    TextCheckSerializer,
    WithdrawnSerializer,
    WithdrawSerializer,
    WorkingCopyChangeSerializer,
)
from spaces.models import DecisionSpace

TAGS = ["proposals"]


# --- Helpers ------------------------------------------------------------------------------------


def _space(space_slug: str) -> DecisionSpace:
    return get_object_or_404(DecisionSpace, slug=space_slug)


def visible(request: Request, space_slug: str, pk: int) -> tuple[Actor, Proposal]:
    """The caller and the proposal, if they may see it; 404 otherwise, draft or not."""
    actor = Actor.from_request(request)
    return actor, selectors.visible_proposal_or_404(actor, space_slug=space_slug, pk=pk)


def _organisation_for_drafting(actor: Actor, slug: str) -> Organisation:
    """The organisation named in a new draft, or a 400 as if it did not exist."""
    organisation = selectors.drafting_organisation(actor, slug)
    if organisation is not None:
        return organisation
    raise ValidationError(
        {
            "organisation": [
                _(
                    "No organisation has the address “%(slug)s”. Leave it out to draft for the "
                    "community as an advisory board member."
                )
                % {"slug": slug}
            ]
        }
    )


def _checked_changes(data: Any) -> dict[str, Any]:
    """The fields a PATCH sends, as an object of content fields (names such as "actor"
    must not reach the service's keyword arguments); the service checks each value
    (control characters, amounts, lengths) and names every problem by field."""
    if not isinstance(data, dict):
        raise ValidationError(_("Send the fields to change as a JSON object."))
    unknown = sorted(set(data) - set(CONTENT_FIELDS))
    if unknown:
        raise ValidationError({name: [services.not_a_proposal_field(name)] for name in unknown})
    return dict(data)


def proposal_detail(request: Request, actor: Actor, proposal: Proposal) -> Any:
    """The proposal page as data, for ``actor``."""
    page = selectors.proposal_page(actor, proposal)
    return ProposalDetailSerializer(page, context={"request": request}).data


def detail_response(
    request: Request, actor: Actor, space_slug: str, pk: int, status_code: int = 200
) -> Response:
    # Read again after a change: the state, the draft and the versions have moved on.
    proposal = selectors.visible_proposal(actor, space_slug=space_slug, pk=pk)
    if proposal is None:
        raise Http404
    return _private_if_personal(
        Response(proposal_detail(request, actor, proposal), status=status_code)
    )


def _private_if_personal(response: Response) -> Response:
    """A draft or a working copy is for the people it belongs to: no shared cache may
    keep it for anyone else."""
    data = response.data or {}
    if data.get("working_copy") is not None or data.get("first_submitted_at") is None:
        return private(response)
    return response


# --- Views --------------------------------------------------------------------------------------


class ProposalCall(ServiceCall):
    # A write on the proposal the address names, by a caller who may see it (404 for anyone
    # else, draft or not); ``self.actor`` is the caller. ``call`` returns the proposal it
    # changed, and the answer is that proposal's page, read again. (No docstring:
    # drf-spectacular would make it every subclass's description.)

    tags = TAGS
    answer = ProposalDetailSerializer
    actor: Actor

    def subject(self, request: Request) -> Any:
        self.actor, proposal = visible(request, self.kwargs["space_slug"], self.kwargs["pk"])
        return proposal

    def respond(self, result: Any) -> Response:
        space_slug = self.kwargs["space_slug"]
        return detail_response(self.request, self.actor, space_slug, result.pk, self.status_code)


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="A space's proposals",
        description="Every submitted proposal, and the drafts the caller wrote or co-signs, "
        "newest submission first. A submitted proposal shows its current version, never "
        "a revision in progress.",
        parameters=[ProposalListQuerySerializer],
    )
)
class ProposalList(ProposalCall, generics.ListAPIView[Proposal]):
    queryset = Proposal.objects.none()  # for the schema; get_queryset applies visibility
    serializer_class = ProposalSummarySerializer
    summary = (
        "Start a private draft (editors of an approved organisation, or board members for "
        "the community)"
    )
    operation_description = (
        "The draft is visible only to its authors and co-signers until it is first "
        "submitted. Fill it in with PATCH on the address in the response."
    )
    body = ProposalCreateSerializer
    status_code = status.HTTP_201_CREATED

    def get_queryset(self) -> QuerySet[Proposal]:
        space = _space(self.kwargs["space_slug"])
        query = ProposalListQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        return selectors.proposal_list(
            Actor.from_request(self.request),
            space,
            state=values.get("state", ""),
            tag=values.get("tag", ""),
            organisation=values.get("organisation", ""),
            query=values.get("search", ""),
        )

    def subject(self, request: Request) -> DecisionSpace:
        # A new draft: the space the address names, not a proposal.
        space = _space(self.kwargs["space_slug"])
        self.actor = Actor.from_request(request)
        return space

    def call(self, space: DecisionSpace, values: dict[str, Any]) -> Proposal:
        slug = values.get("organisation") or ""
        organisation = _organisation_for_drafting(self.actor, slug) if slug else None
        return services.proposal_create_draft(
            actor=self.actor, space=space, title=values["title"], organisation=organisation
        )


class ProposalDetail(Read):
    tags = TAGS
    summary = "One proposal, as its page shows it"
    operation_description = (
        "A draft never submitted answers 404 to anyone but its authors and "
        "co-signers. working_copy is null except for authors and co-signers; warnings "
        "(the language check over the working copy) is null except for authors."
    )
    answer = ProposalDetailSerializer

    def read(self, request: Request) -> selectors.ProposalPage:
        actor, proposal = visible(request, self.kwargs["space_slug"], self.kwargs["pk"])
        return selectors.proposal_page(actor, proposal)

    def respond(self, page: selectors.ProposalPage) -> Response:
        return _private_if_personal(super().respond(page))

    @extend_schema(
        request=WorkingCopyChangeSerializer,
        responses=ProposalDetailSerializer,
        tags=TAGS,
        summary="Change the working copy (authors, in draft, advisory review or revision)",
        description="Send only the fields to change. Each is checked as on the page: a "
        "refusal lists every field's problems under error.fields. The language warnings "
        "in the response never block a save. Submitted versions never change.",
    )
    def patch(self, request: Request, space_slug: str, pk: int) -> Response:
        actor, proposal = visible(request, space_slug, pk)
        changes = _checked_changes(request.data)
        services.proposal_update_draft(actor=actor, proposal=proposal, **changes)
        return detail_response(request, actor, space_slug, pk)


def _confirmation_required(proposal: Proposal, check: SubmissionCheck, changed: bool) -> Response:
    """The 409 that asks the author to confirm, with what they confirm: nothing is written."""
    if changed:
        message = _(
            "The working copy changed after the warnings you confirmed. Show these "
            "warnings again, then confirm with the new content_hash."
        )
    else:
        message = _(
            "Submitting makes version %(number)s public for good. Show the author "
            'the warnings below, then send {"confirm": true} to submit.'
        ) % {"number": check.number}
    answer = error_body(status.HTTP_409_CONFLICT, "confirmation_required", message)
    answer["error"] |= {
        "version": check.number,
        "first_submission": check.first,
        "content_hash": check.content_hash,
        "warnings": FieldFindingSerializer(
            field_findings(stored_texts(proposal.draft)), many=True
        ).data,
    }
    return Response(answer, status=status.HTTP_409_CONFLICT)


class ProposalSubmit(ProposalCall):
    summary = "Submit the working copy for advisory review (authors), once confirmed"
    operation_description = (
        "Submitting makes the version public for good. Without "
        '"confirm": true nothing is written: the answer is a 409 with code '
        "confirmation_required, the language check's warnings still open on the working "
        "copy (with their suggestions), the number the version would take and the working "
        'copy\'s hash; show them, then send {"confirm": true, "content_hash": …}. With '
        "confirm, a new immutable version is frozen with its content hash. An incomplete "
        "working copy is refused with every missing field under error.fields; a proposal "
        "not in draft, advisory review or revision is a 409 (code conflict), and so is "
        "content unchanged since the current version."
    )
    body = SubmitSerializer
    responses = {200: ProposalDetailSerializer, 409: SubmitConfirmationSerializer}

    def call(self, proposal: Proposal, values: dict[str, Any]) -> Proposal | Response:
        check = selectors.submission_check(self.actor, proposal)
        if check.refusal is not None:
            raise check.refusal
        seen = values.get("content_hash")
        changed = bool(seen and seen != check.content_hash)
        if not values["confirm"] or changed:
            return _confirmation_required(proposal, check, changed)
        services.proposal_submit(
            actor=self.actor, proposal=proposal, confirmed_hash=check.content_hash
        )
        return proposal

    def respond(self, result: Any) -> Response:
        # Not confirmed: the answer is the confirmation asked for, and nothing was written.
        if isinstance(result, Response):
            return result
        return super().respond(result)


class ProposalWithdraw(ProposalCall):
    summary = "Withdraw (authors, with a reason; final)"
    operation_description = (
        "Withdrawn is final. Submitted versions stay public, and so does the "
        "reason once the proposal was submitted. The answer is the proposal, with message: "
        "what the withdrawal ended (an open advisory round, an open vote whose count is "
        "published now, a scheduled vote that will not open), in words."
    )
    body = WithdrawSerializer
    responses = WithdrawnSerializer

    def call(self, proposal: Proposal, values: dict[str, Any]) -> Withdrawal:
        return services.proposal_withdraw(
            actor=self.actor, proposal=proposal, reason=values.get("reason", "")
        )

    def respond(self, withdrawal: Withdrawal) -> Response:
        answer = super().respond(withdrawal.proposal)
        answer.data["message"] = withdrawal_message(withdrawal)
        return answer


class TextCheck(ServiceCall):
    """Signed in only: the people who draft need it, and a person's own rate limit is
    fairer than one shared by everyone behind the same address (a drop-in centre's)."""

    permission_classes = [permissions.IsAuthenticated]
    tags = TAGS
    summary = "Check a text for stigmatising phrases and preview its Markdown"
    operation_description = (
        "For a live preview while drafting: person-first suggestions for each "
        "phrase found (never blocking), and the text rendered as the proposal page would "
        "render a body. Needs sign-in; rate-limited like the rest of the API."
    )
    body = TextCheckSerializer
    answer = TextCheckResultSerializer

    def call(self, subject: None, values: dict[str, Any]) -> dict[str, Any]:
        text = values["text"]
        language = values.get("language") or None
        try:
            findings = check_text(text, language)
        except ValueError:
            raise ValidationError(
                {
                    "language": [
                        _(
                            "There is no phrase list for the language “%(language)s”. Leave it "
                            "out to check every language."
                        )
                        % {"language": language}
                    ]
                }
            ) from None
        return {"warnings": findings, "html": str(render_markdown(text))}


class ProposalsIndex(IndexView):
    """Proposals live under their space; this says how to reach them (the API root links
    here, since a link cannot name every space)."""

    tags = TAGS
    summary = "Where proposals are: URI templates and the language check"
    answer = ProposalsIndexSerializer

    templates = {
        "space_proposals": "spaces/{space_slug}/proposals/",
        "organisation_proposals": "organisations/{slug}/proposals/",
    }
    addresses = {
        "spaces": "api:spaces:list",
        "check": "api:proposals-check",
    }
