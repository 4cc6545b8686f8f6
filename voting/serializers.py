"""How the voting API shows a vote, its result, a cast and a receipt check.

Read shapes are serializers over the read models the ballot page uses
(``voting.selectors``: ``VoteView``, ``VoteResult``, ``OpenVote``), which decide what may
be shown (no counts by choice before the finalisation, counts by group only above the
minimum group size), so the answer and the schema come from one declaration.
Nothing here ever says who chose what: a person sees whether they have voted, never how.

Write shapes check types only; the services check the rest, with the pages' messages.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from proposals.serializers import ExplainedChoiceField, proposal_api_url, version_api_url
from spaces.electorate import vote_who
from voting.models import Choice, Outcome, Rule, Stage, Vote
from voting.selectors import VoteView


def _unknown_choice(value: str) -> str:
    # Cut short: the input is echoed, and it may be anything of any length.
    shown = value if len(value) <= 40 else value[:40] + "…"
    return _("There is no choice “%(value)s”. Use one of: %(choices)s.") % {
        "value": shown,
        "choices": ", ".join(Choice.values),
    }


def _receipt() -> serializers.CharField:
    """A receipt as the person typed it; the services normalise and check it."""
    return serializers.CharField(
        max_length=200,
        trim_whitespace=True,
        help_text="The receipt given once in the answer to the cast: 28 letters and digits, "
        "in groups of four (case, spaces and dashes do not matter).",
    )


# --- Request shapes -----------------------------------------------------------------------------


class CastSerializer(serializers.Serializer[Any]):
    choice = ExplainedChoiceField(choices=Choice.choices, refusal=_unknown_choice)


class ChangeSerializer(serializers.Serializer[Any]):
    receipt = _receipt()
    choice = ExplainedChoiceField(choices=Choice.choices, refusal=_unknown_choice)


class BringForwardSerializer(serializers.Serializer[Any]):
    opens_at = serializers.DateTimeField(
        help_text="The new opening: from now on, and no later than the one scheduled."
    )


class ReceiptCheckRequestSerializer(serializers.Serializer[Any]):
    receipt = _receipt()


# --- Response shapes ----------------------------------------------------------------------------


def vote_url(request: Any, name: str, vote: Vote) -> str:
    """The address of one of ``vote``'s resources (``api:voting:<name>``) in this API."""
    proposal = vote.proposal
    path = reverse(
        f"api:voting:{name}", kwargs={"space_slug": proposal.space.slug, "pk": proposal.pk}
    )
    return str(request.build_absolute_uri(path))


class VoteUrlField(serializers.URLField):
    """The address of the vote's resource ``name``, for the read model's ``vote``; needs
    ``request`` in the serializer's context."""

    def __init__(self, *, name: str, **kwargs: Any) -> None:
        kwargs.update(source="vote", read_only=True)
        super().__init__(**kwargs)
        self.name = name

    def to_representation(self, value: Vote) -> str:  # type: ignore[override]
        return vote_url(self.context["request"], self.name, value)


class CountsSerializer(serializers.Serializer[Any]):
    approve = serializers.IntegerField()
    reject = serializers.IntegerField()
    abstain = serializers.IntegerField()


class VoteResultSerializer(serializers.Serializer[Any]):
    """A finalised vote's published figures."""

    outcome = serializers.ChoiceField(choices=Outcome.choices)
    outcome_label = serializers.CharField()
    rule = serializers.ChoiceField(
        choices=Rule.choices, help_text="The rule that decided the outcome (the first unmet one)."
    )
    rule_label = serializers.CharField(help_text="That rule, in words.")
    withdrawn = serializers.BooleanField(
        help_text="The vote was ended early by the proposal's withdrawal; its count is "
        "published all the same, and it adopts nothing."
    )
    counts = CountsSerializer(source="publication.overall")
    turnout = serializers.IntegerField(
        source="figures.turnout", help_text="Ballots counted, abstentions included."
    )
    turnout_needed = serializers.IntegerField(
        source="figures.turnout_needed", help_text="Ballots the turnout quorum needed."
    )
    turnout_quorum = serializers.CharField(
        source="rules.turnout_quorum",
        help_text='The share of the electorate that had to vote, "1/4".',
    )
    quorum_met = serializers.BooleanField()
    approval = serializers.CharField(
        source="figures.approval",
        help_text='approve / (approve + reject), unreduced: "7/9". Abstentions count toward '
        "turnout only.",
    )
    approval_threshold = serializers.CharField(
        source="rules.approval",
        help_text='The share the approval had to reach: "1/2 (more than)", or "2/3" (at least).',
    )
    approval_threshold_strict = serializers.BooleanField(
        source="rules.approval.strict",
        help_text="True when the share had to be more than the threshold, false when at least it.",
    )
    approval_needed = serializers.IntegerField(
        help_text="Approvals the share needed, given the ballots that took a side."
    )
    approval_passed = serializers.BooleanField()
    dual_majority = serializers.BooleanField(
        source="rules.dual_majority",
        help_text="The rulebook asked for a dual majority: the advisory board's ballots "
        "also had to pass the threshold, with a turnout of their own.",
    )
    decided_by_whole_electorate = serializers.BooleanField(
        source="figures.whole_electorate",
        help_text="Dual majority was on, but the advisory bloc at the opening was smaller "
        "than the minimum group size, so it was not counted apart: the whole electorate "
        "decided.",
    )
    advisory_turnout = serializers.IntegerField(
        source="bloc_turnout_published",
        allow_null=True,
        help_text="Ballots of advisory board members; published only with the counts by "
        "group (null otherwise, and without dual majority).",
    )
    advisory_turnout_needed = serializers.IntegerField(
        source="figures.bloc_turnout_needed",
        allow_null=True,
        help_text="Ballots the bloc needed: the larger of the advisory quorum of the board "
        "and the minimum group size; null without dual majority.",
    )
    advisory_turnout_met = serializers.BooleanField(
        source="bloc_floor_met",
        allow_null=True,
        help_text="Whether the bloc reached the ballots it needed; null without dual majority.",
    )
    counts_by_group = serializers.BooleanField(
        source="publication.by_group",
        help_text="Whether counts by group are published: only when each group cast at "
        "least the minimum group size of ballots.",
    )
    counts_advisory_board = CountsSerializer(
        source="publication.bloc", allow_null=True, help_text="Null unless counts_by_group."
    )
    counts_everyone_else = CountsSerializer(
        source="publication.everyone_else",
        allow_null=True,
        help_text="Null unless counts_by_group.",
    )
    min_group_size = serializers.IntegerField(source="rules.min_group_size")
    choices_published = serializers.BooleanField(
        help_text="The receipts list shows each ballot's choice (off: receipt hashes only)."
    )
    receipts_sha256 = serializers.CharField(
        source="vote.receipts_sha256",
        help_text="SHA-256 of the receipts list's bytes, to check a downloaded copy.",
    )
    receipts_url = VoteUrlField(name="receipts", help_text="The receipts list (CSV).")
    result_url = VoteUrlField(name="result", help_text="The result summary (JSON).")
    receipt_check_url = VoteUrlField(
        name="receipt-check", help_text="Check a receipt against the list."
    )


class VoteActionsSerializer(serializers.Serializer[Any]):
    """What the caller may do now, as the ballot page offers it."""

    cast = serializers.BooleanField(
        source="may_cast", help_text="In the snapshot, not voted yet, vote open."
    )
    change = serializers.BooleanField(
        source="may_change", help_text="Voted, vote open: change it with the receipt."
    )
    bring_forward = serializers.BooleanField(
        source="may_bring_forward",
        help_text="A facilitator (session with a second factor) may set an earlier opening.",
    )


class VoteSerializer(serializers.Serializer[Any]):
    """A proposal's vote. Until it is finalised only the turnout is public, never counts
    by choice; the caller sees whether they may vote and whether they have, never how."""

    url = VoteUrlField(name="vote")
    public_id = serializers.UUIDField(source="vote.public_id")
    proposal = serializers.SerializerMethodField(help_text="The proposal in this API.")
    stage = serializers.ChoiceField(
        choices=[
            ("scheduled", "scheduled"),
            ("open", "open"),
            ("counting", "counting"),
            ("finalised", "finalised"),
        ],
        help_text='"counting": closed on the database clock, waiting for the minute sweep '
        "to finalise it.",
    )
    will_not_open = serializers.BooleanField(
        help_text="Scheduled, but its proposal was withdrawn: it never opens."
    )
    accepts_ballots = serializers.BooleanField()
    version = serializers.IntegerField(
        source="vote.version.number", help_text="The number of the version voted on."
    )
    content_hash = serializers.CharField(
        source="vote.version.content_hash", help_text="That version's content hash."
    )
    version_url = serializers.SerializerMethodField()
    scheduled_at = serializers.DateTimeField(source="vote.scheduled_at")
    opens_at = serializers.DateTimeField(source="vote.opens_at")
    earliest_opening = serializers.SerializerMethodField(
        allow_null=True,
        help_text="While scheduled: the earliest a facilitator may bring the opening to, "
        "the rulebook's floor (2 days) after the response was published; null after.",
    )
    opened_at = serializers.DateTimeField(source="vote.opened_at", allow_null=True)
    close_at = serializers.DateTimeField(source="vote.close_at", allow_null=True)
    finalised_at = serializers.DateTimeField(source="vote.finalised_at", allow_null=True)
    electorate_size = serializers.IntegerField(
        source="vote.electorate_size",
        allow_null=True,
        help_text="The electorate snapshot taken at opening (every voter and board member "
        "of the space then, each once); null before.",
    )
    electorate_who = serializers.SerializerMethodField(
        help_text="Who the electorate counts, in the caller's language (as the pages say)."
    )
    board_size = serializers.IntegerField(
        source="vote.board_size",
        allow_null=True,
        help_text="The advisory bloc at opening: board members not on leave; null before.",
    )
    decided_by_whole_electorate = serializers.SerializerMethodField(
        help_text="Dual majority is on, but the advisory bloc at the opening is smaller "
        "than the minimum group size: the whole electorate decides, as the ballot page "
        "says before anyone votes. Null before opening.",
    )
    turnout = serializers.IntegerField(help_text="Ballots cast so far (or counted).")
    turnout_needed = serializers.IntegerField(
        allow_null=True, help_text="Ballots the turnout quorum needs; null before opening."
    )
    may_vote = serializers.BooleanField(help_text="The caller is in the electorate snapshot.")
    has_voted = serializers.BooleanField(help_text="The caller has voted (never how).")
    actions = VoteActionsSerializer(source="*")
    ballot_url = VoteUrlField(name="ballot")
    result = VoteResultSerializer(allow_null=True, help_text="Null until finalised.")

    @extend_schema_field(serializers.URLField())
    def get_proposal(self, view: VoteView) -> str:
        return proposal_api_url(self.context["request"], view.vote.proposal)

    @extend_schema_field(serializers.URLField())
    def get_version_url(self, view: VoteView) -> str:
        vote = view.vote
        return version_api_url(self.context["request"], vote.proposal, vote.version.number)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_earliest_opening(self, view: VoteView) -> str | None:
        if view.stage != Stage.SCHEDULED:
            return None
        return serializers.DateTimeField().to_representation(view.vote.earliest_opening())

    @extend_schema_field(serializers.CharField())
    def get_electorate_who(self, view: VoteView) -> str:
        return vote_who(opened=view.vote.opened_at is not None)

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_decided_by_whole_electorate(self, view: VoteView) -> bool | None:
        return view.vote.whole_electorate if view.vote.is_open else None


class CastResultSerializer(serializers.Serializer[Any]):
    receipt = serializers.CharField(
        help_text="Shown this once and kept nowhere on the site: save it to change the "
        "ballot or to check it in the published list."
    )
    receipt_hash = serializers.CharField(
        help_text="The ballot's hash, SHA-256(\"ballot\" + the receipt's 16 bytes): the line "
        "to look for in the receipts list once the vote is counted."
    )
    explanation = serializers.CharField(help_text="What the receipt lets a person prove.")


class ChangeResultSerializer(serializers.Serializer[Any]):
    changed = serializers.BooleanField()
    message = serializers.CharField()


class ReceiptCheckSerializer(serializers.Serializer[Any]):
    listed = serializers.BooleanField(
        help_text="The receipt's ballot hash is in the vote's published receipts list."
    )
    receipt_hash = serializers.CharField(help_text="The receipt's ballot hash, as listed.")
    choice = serializers.ChoiceField(
        choices=Choice.choices,
        allow_null=True,
        help_text="The choice listed with it; null when not listed or when the list shows "
        "hashes only.",
    )
    choices_published = serializers.BooleanField()
    message = serializers.CharField()


class OpenVoteSerializer(serializers.Serializer[Any]):
    """A vote the caller is in the electorate of, open or counting after its close."""

    # Over ``voting.selectors.OpenVote``; needs ``request`` in its context.

    proposal = serializers.IntegerField(source="vote.proposal.pk", help_text="The proposal's id.")
    proposal_title = serializers.CharField(
        source="vote.version.title", help_text="The title of the version voted on."
    )
    space = serializers.CharField(source="vote.proposal.space.slug", help_text="The space's slug.")
    public_id = serializers.UUIDField(source="vote.public_id")
    state = serializers.CharField(
        help_text='"open", or "counting": past its close, not yet finalised by the sweep.'
    )
    close_at = serializers.DateTimeField(source="vote.close_at")
    has_voted = serializers.BooleanField()
    url = VoteUrlField(name="vote", help_text="The vote in this API.")


class VotingIndexSerializer(serializers.Serializer[Any]):
    proposal_vote = serializers.CharField(help_text="URI template of a proposal's vote.")
    open_votes = serializers.URLField(help_text="The caller's open votes.")
