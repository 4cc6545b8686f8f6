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
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import rules
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, permissions, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authority import Actor
from accounts.models import User
from api.exceptions import error_body
from api.index import IndexView
from core.caching import private
from core.errors import NotPermitted
from organisations.models import Organisation
from proposals import selectors, services
from proposals.diff import version_diff
from proposals.findings import field_findings, stored_texts
from proposals.language import check_text
from proposals.markdown import render_markdown
from proposals.models import CONTENT_FIELDS, Proposal, ProposalVersion
from proposals.outcomes import withdrawal_message
from proposals.serializers import (
    CosignRequestCreateSerializer,
    CosignRequestSerializer,
    DiffSerializer,
    FieldFindingSerializer,
    PersonSerializer,
    ProposalCreateSerializer,
    ProposalDetailSerializer,
    ProposalListQuerySerializer,
    ProposalsIndexSerializer,
    ProposalSummarySerializer,
    SubmitConfirmationSerializer,
    SubmitSerializer,
    TextCheckResultSerializer,
    TextCheckSerializer,
    VersionEntrySerializer,
    VersionSerializer,
    WithdrawnSerializer,
    WithdrawSerializer,
    WorkingCopyChangeSerializer,
)
from spaces.models import DecisionSpace

TAGS = ["proposals"]


# --- Helpers ------------------------------------------------------------------------------------


def _space(space_slug: str) -> DecisionSpace:
    return get_object_or_404(DecisionSpace, slug=space_slug)


def _visible(request: Request, space_slug: str, pk: int) -> tuple[Actor, Proposal]:
    actor = Actor.from_request(request)
    return actor, selectors.visible_proposal_or_404(actor, space_slug=space_slug, pk=pk)


def _submitted_version(proposal: Proposal, number: int) -> ProposalVersion:
    version = selectors.version_of(proposal, number)
    if version is None:
        raise NotFound(
            _("This proposal has no version %(number)d. Its versions are listed at %(url)s.")
            % {
                "number": number,
                "url": reverse(
                    "api:proposals:versions",
                    kwargs={"space_slug": proposal.space.slug, "pk": proposal.pk},
                ),
            }
        )
    return version


def _organisation_for_drafting(actor: Actor, slug: str) -> Organisation:
    """The organisation named in a new draft. One not yet approved is known only to its
    own editors (as in the organisations API); to anyone else it does not exist."""
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is not None and (
        organisation.status == Organisation.Status.APPROVED
        or (
            actor.user is not None
            and organisation.editors.filter(user=actor.user, left_at__isnull=True).exists()
        )
    ):
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
        raise ValidationError(
            {name: [_("%(name)s is not a proposal field.") % {"name": name}] for name in unknown}
        )
    return dict(data)


def proposal_detail(request: Request, actor: Actor, proposal: Proposal) -> Any:
    """The proposal page as data, for ``actor``."""
    page = selectors.proposal_page(actor, proposal)
    return ProposalDetailSerializer(page, context={"request": request}).data


def _detail_response(
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
class ProposalList(generics.ListAPIView[Proposal]):
    queryset = Proposal.objects.none()  # for the schema; get_queryset applies visibility
    serializer_class = ProposalSummarySerializer

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

    @extend_schema(
        request=ProposalCreateSerializer,
        responses={201: ProposalDetailSerializer},
        tags=TAGS,
        summary="Start a private draft (editors of an approved organisation, or board members "
        "for the community)",
        description="The draft is visible only to its authors and co-signers until it is "
        "first submitted. Fill it in with PATCH on the address in the response.",
    )
    def post(self, request: Request, space_slug: str) -> Response:
        space = _space(space_slug)
        actor = Actor.from_request(request)
        data = ProposalCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        slug = data.validated_data.get("organisation") or ""
        organisation = _organisation_for_drafting(actor, slug) if slug else None
        proposal = services.proposal_create_draft(
            actor=actor,
            space=space,
            title=data.validated_data["title"],
            organisation=organisation,
        )
        return _detail_response(request, actor, space_slug, proposal.pk, status.HTTP_201_CREATED)


class ProposalDetail(APIView):
    @extend_schema(
        responses=ProposalDetailSerializer,
        tags=TAGS,
        summary="One proposal, as its page shows it",
        description="A draft never submitted answers 404 to anyone but its authors and "
        "co-signers. working_copy is null except for authors and co-signers; warnings "
        "(the language check over the working copy) is null except for authors.",
    )
    def get(self, request: Request, space_slug: str, pk: int) -> Response:
        actor, proposal = _visible(request, space_slug, pk)
        return _private_if_personal(Response(proposal_detail(request, actor, proposal)))

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
        actor, proposal = _visible(request, space_slug, pk)
        changes = _checked_changes(request.data)
        services.proposal_update_draft(actor=actor, proposal=proposal, **changes)
        return _detail_response(request, actor, space_slug, pk)


class ProposalSubmit(APIView):
    @extend_schema(
        request=SubmitSerializer,
        responses={200: ProposalDetailSerializer, 409: SubmitConfirmationSerializer},
        tags=TAGS,
        summary="Submit the working copy for advisory review (authors), once confirmed",
        description="Submitting makes the version public for good. Without "
        '"confirm": true nothing is written: the answer is a 409 with code '
        "confirmation_required, the language check's warnings still open on the working "
        "copy (with their suggestions), the number the version would take and the working "
        'copy\'s hash; show them, then send {"confirm": true, "content_hash": …}. With '
        "confirm, a new immutable version is frozen with its content hash. An incomplete "
        "working copy is refused with every missing field under error.fields; a proposal "
        "not in draft, advisory review or revision is a 409 (code conflict), and so is "
        "content unchanged since the current version.",
    )
    def post(self, request: Request, space_slug: str, pk: int) -> Response:
        actor, proposal = _visible(request, space_slug, pk)
        body = SubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        check = selectors.submission_check(actor, proposal)
        if check.refusal is not None:
            raise check.refusal
        seen = body.validated_data.get("content_hash")
        if not body.validated_data["confirm"] or (seen and seen != check.content_hash):
            if seen and seen != check.content_hash:
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
        services.proposal_submit(actor=actor, proposal=proposal, confirmed_hash=check.content_hash)
        return _detail_response(request, actor, space_slug, pk)


class ProposalCosign(APIView):
    @extend_schema(
        request=None,
        responses=ProposalDetailSerializer,
        tags=TAGS,
        summary="Co-sign (board members of the space, editors of other organisations)",
        description="Before the first submission or during revision; once per person.",
    )
    def post(self, request: Request, space_slug: str, pk: int) -> Response:
        actor, proposal = _visible(request, space_slug, pk)
        services.proposal_cosign(actor=actor, proposal=proposal)
        return _detail_response(request, actor, space_slug, pk)


def _authored(request: Request, space_slug: str, pk: int) -> tuple[Actor, Proposal]:
    """A proposal the caller authors; 403 for anyone else who can see it."""
    actor, proposal = _visible(request, space_slug, pk)
    if not rules.test_rule("proposals.edit", actor, proposal):
        raise NotPermitted(_("Only the proposal's authors can ask people to co-sign it."))
    return actor, proposal


class CosignRequestList(APIView):
    @extend_schema(
        responses=CosignRequestSerializer(many=True),
        tags=TAGS,
        summary="Open requests to co-sign (authors)",
        description="The people an author asked to co-sign who have not answered yet. "
        "Requests are never public.",
    )
    def get(self, request: Request, space_slug: str, pk: int) -> Response:
        _actor, proposal = _authored(request, space_slug, pk)
        invitations = selectors.open_cosign_invitations(proposal)
        return Response(CosignRequestSerializer(invitations, many=True).data)

    @extend_schema(
        request=CosignRequestCreateSerializer,
        responses={201: CosignRequestSerializer},
        tags=TAGS,
        summary="Ask a person to co-sign (authors, before submission or in revision)",
        description="The person (a board member of the space or an editor of another "
        "organisation, from cosign-candidates) may read a private draft until they "
        "co-sign or decline, and is told by e-mail.",
    )
    def post(self, request: Request, space_slug: str, pk: int) -> Response:
        actor, proposal = _authored(request, space_slug, pk)
        data = CosignRequestCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = User.objects.filter(
            public_id=data.validated_data["person"], deleted_at__isnull=True
        ).first()
        if person is None:
            raise ValidationError({"person": [_("There is no one with this id.")]})
        invitation = services.proposal_invite_cosigner(actor=actor, proposal=proposal, user=person)
        return Response(CosignRequestSerializer(invitation).data, status=status.HTTP_201_CREATED)


class CosignCandidates(APIView):
    @extend_schema(
        responses=PersonSerializer(many=True),
        tags=TAGS,
        summary="Who may be asked to co-sign (authors)",
        description="Current board members of the space and editors of other "
        "organisations who neither author, co-sign nor have an open request.",
    )
    def get(self, request: Request, space_slug: str, pk: int) -> Response:
        _actor, proposal = _authored(request, space_slug, pk)
        return Response(PersonSerializer(selectors.cosign_candidates(proposal), many=True).data)


class CosignRequestRevoke(APIView):
    @extend_schema(
        request=None,
        responses={204: None},
        tags=TAGS,
        summary="Take back an unanswered request to co-sign (authors)",
        description="A private draft is hidden from the person again; they are not asked "
        "again about this proposal.",
    )
    def delete(self, request: Request, space_slug: str, pk: int, person: UUID) -> Response:
        actor, proposal = _authored(request, space_slug, pk)
        user = User.objects.filter(public_id=person).first()
        if user is None:
            raise NotFound(_("There is no open request to take back."))
        services.proposal_revoke_cosign_request(actor=actor, proposal=proposal, user=user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CosignDecline(APIView):
    @extend_schema(
        request=None,
        responses={204: None},
        tags=TAGS,
        summary="Decline a request to co-sign",
        description="A private draft is hidden from the caller again.",
    )
    def post(self, request: Request, space_slug: str, pk: int) -> Response:
        actor, proposal = _visible(request, space_slug, pk)
        services.proposal_decline_cosign(actor=actor, proposal=proposal)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProposalWithdraw(APIView):
    @extend_schema(
        request=WithdrawSerializer,
        responses=WithdrawnSerializer,
        tags=TAGS,
        summary="Withdraw (authors, with a reason; final)",
        description="Withdrawn is final. Submitted versions stay public, and so does the "
        "reason once the proposal was submitted. The answer is the proposal, with message: "
        "what the withdrawal ended (an open advisory round, an open vote whose count is "
        "published now, a scheduled vote that will not open), in words.",
    )
    def post(self, request: Request, space_slug: str, pk: int) -> Response:
        actor, proposal = _visible(request, space_slug, pk)
        data = WithdrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        withdrawal = services.proposal_withdraw(
            actor=actor, proposal=proposal, reason=data.validated_data.get("reason", "")
        )
        answer = _detail_response(request, actor, space_slug, pk)
        answer.data["message"] = withdrawal_message(withdrawal)
        return answer


class VersionList(APIView):
    @extend_schema(
        responses=VersionEntrySerializer(many=True),
        tags=TAGS,
        summary="Every submitted version, oldest first",
    )
    def get(self, request: Request, space_slug: str, pk: int) -> Response:
        _actor, proposal = _visible(request, space_slug, pk)
        versions = selectors.versions_of(proposal)
        return Response(
            VersionEntrySerializer(versions, many=True, context={"request": request}).data
        )


class VersionDetail(APIView):
    """Read-only: a version never changes, so this address accepts no PUT, PATCH or DELETE."""

    @extend_schema(
        responses=VersionSerializer,
        tags=TAGS,
        summary="One submitted version, with all its content and its content hash",
    )
    def get(self, request: Request, space_slug: str, pk: int, number: int) -> Response:
        _actor, proposal = _visible(request, space_slug, pk)
        return Response(VersionSerializer(_submitted_version(proposal, number)).data)


def _version_number(request: Request, name: str, errors: dict[str, list[str]]) -> int | None:
    raw = request.query_params.get(name, "")
    if not raw:
        errors[name] = [
            _("Give the version number to compare in “%(name)s”, such as %(name)s=1.")
            % {"name": name}
        ]
        return None
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1 or len(raw) > 9:
        errors[name] = [
            _("“%(value)s” is not a version number: use a whole number from 1.") % {"value": raw}
        ]
        return None
    return int(raw)


class VersionDiff(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.INT, required=True, description="Older."),
            OpenApiParameter("to", OpenApiTypes.INT, required=True, description="Newer."),
        ],
        responses=DiffSerializer,
        tags=TAGS,
        summary="What changed between two versions, field by field, word by word",
    )
    def get(self, request: Request, space_slug: str, pk: int) -> Response:
        _actor, proposal = _visible(request, space_slug, pk)
        errors: dict[str, list[str]] = {}
        old_number = _version_number(request, "from", errors)
        new_number = _version_number(request, "to", errors)
        if errors or old_number is None or new_number is None:
            raise ValidationError(errors)
        old = _submitted_version(proposal, old_number)
        new = _submitted_version(proposal, new_number)
        changes = [
            {
                "name": change.name,
                "label": str(change.label),
                "changed": change.changed,
                "segments": [{"op": part.op, "text": part.text} for part in change.segments],
            }
            for change in version_diff(old, new)
        ]
        body = {"from_version": old, "to_version": new, "changes": changes}
        return Response(DiffSerializer(body).data)


class TextCheck(APIView):
    """Signed in only: the people who draft need it, and a person's own rate limit is
    fairer than one shared by everyone behind the same address (a drop-in centre's)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=TextCheckSerializer,
        responses=TextCheckResultSerializer,
        tags=TAGS,
        summary="Check a text for stigmatising phrases and preview its Markdown",
        description="For a live preview while drafting: person-first suggestions for each "
        "phrase found (never blocking), and the text rendered as the proposal page would "
        "render a body. Needs sign-in; rate-limited like the rest of the API.",
    )
    def post(self, request: Request) -> Response:
        data = TextCheckSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        text = data.validated_data["text"]
        language = data.validated_data.get("language") or None
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
        body = {"warnings": findings, "html": str(render_markdown(text))}
        return Response(TextCheckResultSerializer(body).data)


@extend_schema_view(
    get=extend_schema(
        responses=ProposalsIndexSerializer,
        tags=TAGS,
        summary="Where proposals are: URI templates and the language check",
    )
)
class ProposalsIndex(IndexView):
    """Proposals live under their space; this says how to reach them (the API root links
    here, since a link cannot name every space)."""

    templates = {
        "space_proposals": "spaces/{space_slug}/proposals/",
        "organisation_proposals": "organisations/{slug}/proposals/",
    }
    addresses = {
        "spaces": "api:spaces:list",
        "check": "api:proposals-check",
    }
