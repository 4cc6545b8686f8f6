"""How the API shows the home page and a person's own page: the same parts as the pages,
with the rows of the API endpoints they come from (reviews waiting, open votes)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.selectors import display_name
from accounts.serializers import DisplayNameField
from advisory.models import Round
from advisory.serializers.read import WaitingReviewSerializer, round_url
from pages.selectors import Decision, MyPage
from proposals.models import Proposal
from proposals.serializers import proposal_api_url, proposal_html_url
from spaces.models import DecisionSpace
from voting.serializers import OpenVoteSerializer, VoteUrlField


class ProposalRefSerializer(serializers.Serializer[Any]):
    """A draft, or a proposal the caller is asked to co-sign."""

    proposal = serializers.IntegerField(source="pk", help_text="The proposal's id.")
    # Drafts and revisions are their authors' and co-signers' to read: the working copy.
    title = serializers.CharField(source="draft.title")
    space = serializers.CharField(source="space.slug", help_text="The space's slug.")
    state = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="The proposal in this API.")
    html_url = serializers.SerializerMethodField(help_text="The proposal's page on the site.")

    @extend_schema_field(serializers.URLField())
    def get_url(self, proposal: Proposal) -> str:
        return proposal_api_url(self.context["request"], proposal)

    @extend_schema_field(serializers.URLField())
    def get_html_url(self, proposal: Proposal) -> str:
        return proposal_html_url(self.context["request"], proposal)


class _RoundRefSerializer(serializers.Serializer[Any]):
    """A round, by its proposal and the version it reviews."""

    proposal = serializers.IntegerField(source="proposal.pk", help_text="The proposal's id.")
    proposal_title = serializers.CharField(source="version.title")
    space = serializers.CharField(source="proposal.space.slug", help_text="The space's slug.")
    version = serializers.IntegerField(source="version.number")


class ResponseOwedSerializer(_RoundRefSerializer):
    closed_at = serializers.DateTimeField(help_text="When the round passed.")
    url = serializers.SerializerMethodField(help_text="The round in this API (POST its response/).")

    @extend_schema_field(serializers.URLField())
    def get_url(self, round: Round) -> str:
        return round_url(self.context["request"], round)


class OverdueRoundSerializer(_RoundRefSerializer):
    deadline_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField(help_text="The round in this API.")

    @extend_schema_field(serializers.URLField())
    def get_url(self, round: Round) -> str:
        return round_url(self.context["request"], round)


class JoinRequestRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    space = serializers.CharField(source="space.slug", help_text="The space's slug.")
    person = DisplayNameField(source="user", help_text="Their public name.")
    role = serializers.CharField()
    created_at = serializers.DateTimeField()


class FacilitatorWorkSerializer(serializers.Serializer[Any]):
    overdue_rounds = OverdueRoundSerializer(many=True)
    join_requests = JoinRequestRefSerializer(
        many=True,
        allow_null=True,
        help_text="Null unless the request may use facilitator powers: a session that passed "
        "the second factor, never a personal token.",
    )


class MeSerializer(serializers.Serializer[Any]):
    """What needs the caller. ``reviews`` is null for someone on no board (with no open
    seat), ``facilitator`` for someone who facilitates no space."""

    public_name = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField(help_text="Roles held now in any space.")
    reviews = WaitingReviewSerializer(many=True, allow_null=True)
    votes = OpenVoteSerializer(many=True)
    drafts = ProposalRefSerializer(many=True)
    cosign_requests = ProposalRefSerializer(many=True)
    responses_owed = ResponseOwedSerializer(many=True)
    facilitator = FacilitatorWorkSerializer(allow_null=True)

    @extend_schema_field(serializers.CharField())
    def get_public_name(self, mine: MyPage) -> str:
        return display_name(self.context["request"].user)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_roles(self, mine: MyPage) -> list[str]:
        return sorted(mine.roles)


class HomeSpaceSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    slug = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="The space in this API.")

    @extend_schema_field(serializers.URLField())
    def get_url(self, space: DecisionSpace) -> str:
        path = reverse("api:spaces:detail", kwargs={"slug": space.slug})
        return str(self.context["request"].build_absolute_uri(path))


class HomeVoteSerializer(serializers.Serializer[Any]):
    """An open or counting vote, as the home page lists it."""

    # Over ``voting.selectors.ShownVote``.

    proposal = serializers.IntegerField(source="vote.proposal.pk", help_text="The proposal's id.")
    proposal_title = serializers.CharField(
        source="vote.version.title", help_text="The title of the version voted on."
    )
    space = serializers.CharField(source="vote.proposal.space.slug", help_text="The space's slug.")
    state = serializers.CharField(
        help_text='"open", or "counting": past its close, not yet finalised by the sweep.'
    )
    state_label = serializers.CharField(
        source="get_state_display", help_text="The state in the reader's language."
    )
    close_at = serializers.DateTimeField(source="vote.close_at")
    url = VoteUrlField(name="vote", help_text="The vote in this API.")


class DecisionSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField(
        help_text='"vote" (a vote counted) or "round" (an advisory round closed).'
    )
    at = serializers.DateTimeField(help_text="The vote's close, or the round's.")
    proposal = serializers.IntegerField(source="proposal.pk", help_text="The proposal's id.")
    title = serializers.CharField(help_text="The title of the version decided on.")
    space = serializers.CharField(source="proposal.space.slug", help_text="The space's slug.")
    outcome = serializers.CharField(
        help_text="adopted, rejected, failed (a vote; withdrawn when a withdrawal ended it) "
        "or passed, not_passed (a round)."
    )
    outcome_label = serializers.CharField(help_text="The outcome in the reader's language.")
    url = serializers.SerializerMethodField(help_text="The vote or the round in this API.")

    @extend_schema_field(serializers.URLField())
    def get_url(self, decision: Decision) -> str:
        request = self.context["request"]
        if decision.round is not None:
            return round_url(request, decision.round)
        proposal = decision.proposal
        path = reverse(
            "api:voting:vote", kwargs={"space_slug": proposal.space.slug, "pk": proposal.pk}
        )
        return str(request.build_absolute_uri(path))


class HomeSerializer(serializers.Serializer[Any]):
    """The home page as data: the spaces, the open votes and the latest decisions."""

    # Over ``pages.selectors.HomePage``.

    spaces = HomeSpaceSerializer(many=True)
    open_votes = HomeVoteSerializer(many=True)
    latest_decisions = DecisionSerializer(source="decisions", many=True)
