"""How the API shows the home page and a person's own page: the same parts as the pages,
with the rows of the API endpoints they come from (reviews waiting, open votes)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from advisory.serializers.read import WaitingReviewSerializer
from voting.serializers import OpenVoteSerializer


class ProposalRefSerializer(serializers.Serializer[Any]):
    proposal = serializers.IntegerField(help_text="The proposal's id.")
    title = serializers.CharField()
    space = serializers.CharField(help_text="The space's slug.")
    state = serializers.CharField()
    url = serializers.URLField(help_text="The proposal in this API.")
    html_url = serializers.URLField(help_text="The proposal's page on the site.")


class ResponseOwedSerializer(serializers.Serializer[Any]):
    proposal = serializers.IntegerField(help_text="The proposal's id.")
    proposal_title = serializers.CharField()
    space = serializers.CharField(help_text="The space's slug.")
    version = serializers.IntegerField()
    closed_at = serializers.DateTimeField(help_text="When the round passed.")
    url = serializers.URLField(help_text="The round in this API (POST its response/).")


class OverdueRoundSerializer(serializers.Serializer[Any]):
    proposal = serializers.IntegerField(help_text="The proposal's id.")
    proposal_title = serializers.CharField()
    space = serializers.CharField(help_text="The space's slug.")
    version = serializers.IntegerField()
    deadline_at = serializers.DateTimeField()
    url = serializers.URLField(help_text="The round in this API.")


class JoinRequestRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    space = serializers.CharField(help_text="The space's slug.")
    person = serializers.CharField(help_text="Their public name.")
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

    public_name = serializers.CharField()
    roles = serializers.ListField(
        child=serializers.CharField(), help_text="Roles held now in any space."
    )
    reviews = WaitingReviewSerializer(many=True, allow_null=True)
    votes = OpenVoteSerializer(many=True)
    drafts = ProposalRefSerializer(many=True)
    cosign_requests = ProposalRefSerializer(many=True)
    responses_owed = ResponseOwedSerializer(many=True)
    facilitator = FacilitatorWorkSerializer(allow_null=True)


class HomeSpaceSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    slug = serializers.CharField()
    url = serializers.URLField(help_text="The space in this API.")


class HomeVoteSerializer(serializers.Serializer[Any]):
    proposal = serializers.IntegerField(help_text="The proposal's id.")
    proposal_title = serializers.CharField(help_text="The title of the version voted on.")
    space = serializers.CharField(help_text="The space's slug.")
    state = serializers.CharField(
        help_text='"open", or "counting": past its close, not yet finalised by the sweep.'
    )
    state_label = serializers.CharField(help_text="The state in the reader's language.")
    close_at = serializers.DateTimeField()
    url = serializers.URLField(help_text="The vote in this API.")


class DecisionSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField(
        help_text='"vote" (a vote counted) or "round" (an advisory round closed).'
    )
    at = serializers.DateTimeField(help_text="The vote's close, or the round's.")
    proposal = serializers.IntegerField(help_text="The proposal's id.")
    title = serializers.CharField(help_text="The title of the version decided on.")
    space = serializers.CharField(help_text="The space's slug.")
    outcome = serializers.CharField(
        help_text="adopted, rejected, failed (a vote; withdrawn when a withdrawal ended it) "
        "or passed, not_passed (a round)."
    )
    outcome_label = serializers.CharField(help_text="The outcome in the reader's language.")
    url = serializers.URLField(help_text="The vote or the round in this API.")


class HomeSerializer(serializers.Serializer[Any]):
    spaces = HomeSpaceSerializer(many=True)
    open_votes = HomeVoteSerializer(many=True)
    latest_decisions = DecisionSerializer(many=True)
