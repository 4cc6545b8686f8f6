"""How the proposals API shows proposals, versions, diffs and language warnings.

Read-only shapes: every write goes through proposals/services/, which validates the
content with the same messages as the pages. No serializer here names a person by
anything but their public name (``DisplayNameField``), so no e-mail can leak.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.serializers import DisplayNameField
from api.serializers import SubjectSerializer, optional_text
from core.text import NOTE_MAX_LENGTH
from proposals.markdown import render_markdown
from proposals.models import (
    CONTENT_FIELDS,
    Proposal,
    ProposalContent,
    ProposalCosigner,
    ProposalDraft,
    ProposalVersion,
    SpectrumTag,
)
from proposals.selectors import ProposalPage

# --- Request shapes -----------------------------------------------------------------------------


class ExplainedChoiceField(serializers.ChoiceField):
    """A choice whose refusal names the choices, worded at request time (so translated)."""

    def __init__(self, *, refusal: Callable[[str], str], **kwargs: Any) -> None:
        self.refusal = refusal
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if data == "" and self.allow_blank:
            return ""
        key = str(data)
        if key in self.choice_strings_to_values:
            return self.choice_strings_to_values[key]
        raise serializers.ValidationError(self.refusal(key), code="invalid_choice")


def _unknown_state(value: str) -> str:
    return _("There is no state “%(value)s”. Use one of: %(choices)s.") % {
        "value": value,
        "choices": ", ".join(value for value, _label in Proposal.SHOWN_STATES),
    }


def _unknown_tag(value: str) -> str:
    return _("There is no spectrum tag “%(value)s”. Use one of: %(choices)s.") % {
        "value": value,
        "choices": ", ".join(SpectrumTag.values),
    }


class ProposalListQuerySerializer(serializers.Serializer[Any]):
    """The list's filters, each optional; an unknown state or tag is refused (400)."""

    state = ExplainedChoiceField(
        choices=Proposal.SHOWN_STATES,
        required=False,
        allow_blank=True,
        refusal=_unknown_state,
        help_text='Only proposals in this state, as shown: "counting" is a vote past its '
        'close that is not finalised yet, "voting" one still open.',
    )
    tag = ExplainedChoiceField(
        choices=SpectrumTag.choices,
        required=False,
        allow_blank=True,
        refusal=_unknown_tag,
        help_text="Only proposals tagged with this point of the spectrum.",
    )
    organisation = optional_text(
        max_length=60, help_text="Only proposals of the organisation with this address (slug)."
    )
    search = optional_text(max_length=200, help_text="Words to find in the title, summary or body.")


class ProposalCreateSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=200)
    organisation = serializers.CharField(
        max_length=60,
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="The drafting organisation's address (slug); null or left out for a "
        "community proposal by an advisory board member.",
    )


class OutcomeSerializer(serializers.Serializer[Any]):
    outcome = serializers.CharField()
    measure = serializers.CharField()


class WorkingCopyChangeSerializer(serializers.Serializer[Any]):
    """Only the fields to change; the rest of the working copy stays as it was. Used to
    document the request: the service validates it, with the pages' messages."""

    title = serializers.CharField(required=False, max_length=200)
    summary = serializers.CharField(required=False, allow_blank=True)
    body = serializers.CharField(required=False, allow_blank=True, help_text="Markdown.")
    people_served = serializers.CharField(required=False, allow_blank=True)
    spectrum_tags = serializers.ListField(
        child=serializers.ChoiceField(choices=SpectrumTag.choices), required=False
    )
    wellbeing_outcomes = OutcomeSerializer(many=True, required=False)
    risks_and_harms = serializers.CharField(required=False, allow_blank=True)
    cost = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )
    review_date = serializers.DateField(required=False, allow_null=True)


class WithdrawSerializer(serializers.Serializer[Any]):
    reason = optional_text(
        max_length=NOTE_MAX_LENGTH,
        help_text="Why the proposal is withdrawn; required, and public once it was submitted.",
    )


class SubmitSerializer(serializers.Serializer[Any]):
    confirm = serializers.BooleanField(
        required=False,
        default=False,
        help_text="true once the caller has shown the warnings and that the version becomes "
        "public for good; without it nothing is submitted and the answer is a 409 with both.",
    )
    content_hash = serializers.RegexField(
        r"^[0-9a-f]{64}$",
        required=False,
        help_text="Optional: the content_hash from the 409 being confirmed. If the working "
        "copy has changed since, the answer is a new 409 and nothing is submitted.",
    )


class TextCheckSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(allow_blank=True, max_length=100_000, trim_whitespace=False)
    language = optional_text(
        max_length=10,
        help_text='A language code such as "en" or "es"; left out, every language is checked.',
    )


# --- Response shapes ----------------------------------------------------------------------------


class FindingSerializer(serializers.Serializer[Any]):
    """A phrase the language check found: ``text[start:end] == phrase``. Never blocking."""

    phrase = serializers.CharField()
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    suggestion = serializers.CharField()
    why = serializers.CharField()
    language = serializers.CharField()


class FieldFindingSerializer(SubjectSerializer, FindingSerializer):
    """A phrase the language check found, and the field it is in."""

    # Over ``proposals.findings.FieldFinding``.

    subject = "finding"
    own_fields = ("field",)

    field = serializers.CharField(
        help_text='The field checked, e.g. "body" or "wellbeing_outcomes.0.measure".'
    )


class TextCheckResultSerializer(serializers.Serializer[Any]):
    warnings = FindingSerializer(many=True)
    html = serializers.CharField(help_text="The text rendered as sanitised HTML from Markdown.")


class _ContentMixin(serializers.Serializer[Any]):
    spectrum_tags = serializers.ListField(
        child=serializers.ChoiceField(choices=SpectrumTag.choices), read_only=True
    )
    wellbeing_outcomes = OutcomeSerializer(many=True, read_only=True)
    body_html = serializers.SerializerMethodField(
        help_text="The body rendered from Markdown and sanitised."
    )

    def get_body_html(self, content: ProposalContent) -> str:
        return str(render_markdown(content.body or ""))


class VersionSerializer(_ContentMixin, serializers.ModelSerializer[ProposalVersion]):
    """One submitted version, frozen, with all its content."""

    class Meta:
        model = ProposalVersion
        fields = ["number", "content_hash", "submitted_at", *CONTENT_FIELDS, "body_html"]
        read_only_fields = fields


class WorkingCopySerializer(_ContentMixin, serializers.ModelSerializer[ProposalDraft]):
    """The editable working copy: for authors and co-signers only."""

    class Meta:
        model = ProposalDraft
        fields = [*CONTENT_FIELDS, "body_html", "updated_at"]
        read_only_fields = fields


class VersionEntrySerializer(serializers.Serializer[Any]):
    """A submitted version in the list of a proposal's versions."""

    # Over a ``ProposalVersion``; needs ``request`` in its context.

    number = serializers.IntegerField()
    title = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    content_hash = serializers.CharField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.URLField())
    def get_url(self, version: ProposalVersion) -> str:
        return version_api_url(self.context["request"], version.proposal, version.number)


class CosignerSerializer(serializers.ModelSerializer[ProposalCosigner]):
    public_name = DisplayNameField(source="user")

    class Meta:
        model = ProposalCosigner
        fields = ["public_name", "joined_at"]


class PersonSerializer(serializers.Serializer[Any]):
    """A person as the site shows them: an opaque id and their public name."""

    id = serializers.UUIDField(source="public_id")
    public_name = DisplayNameField(source="*")


class CosignRequestSerializer(serializers.Serializer[Any]):
    person = PersonSerializer(source="user")
    created_at = serializers.DateTimeField()


class CosignRequestCreateSerializer(serializers.Serializer[Any]):
    person = serializers.UUIDField(
        help_text="The id of the person to ask, from the co-signing candidates list."
    )


class OrganisationRefSerializer(serializers.Serializer[Any]):
    slug = serializers.CharField()
    name = serializers.CharField()


class StepSerializer(serializers.Serializer[Any]):
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    status = serializers.CharField(help_text='"done", "current" or "upcoming".')


class ActionsSerializer(serializers.Serializer[Any]):
    """What the caller may do now, as the proposal page offers it."""

    edit = serializers.BooleanField(source="can_edit")
    submit = serializers.BooleanField(source="can_submit")
    cosign = serializers.BooleanField(source="can_cosign")
    withdraw = serializers.BooleanField(source="can_withdraw")
    decline_cosign = serializers.BooleanField(
        source="is_asked_to_cosign",
        help_text="Asked by an author to co-sign, and not yet answered.",
    )
    ask_cosigners = serializers.BooleanField(
        source="can_invite", help_text="May ask people to co-sign (authors)."
    )


class ProposalSummarySerializer(serializers.ModelSerializer[Proposal]):
    """A proposal in a list: what a reader is shown of it (the current version once
    submitted; the private draft, which only its authors and co-signers can list, before)."""

    url = serializers.SerializerMethodField()
    html_url = serializers.SerializerMethodField(help_text="The proposal's page on the site.")
    space = serializers.SlugRelatedField[Any](slug_field="slug", read_only=True)
    state = serializers.ChoiceField(
        source="shown_state",
        choices=Proposal.SHOWN_STATES,
        read_only=True,
        help_text='"counting": the vote has closed and is not finalised yet.',
    )
    state_label = serializers.CharField(source="get_shown_state_display", read_only=True)
    organisation = OrganisationRefSerializer(read_only=True, allow_null=True)
    title = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()
    spectrum_tags = serializers.SerializerMethodField()
    version = serializers.SerializerMethodField(
        help_text="The current version's number; null for a draft never submitted."
    )
    cost = serializers.SerializerMethodField(
        help_text='The cost it states, as a decimal string (e.g. "9800.00"), in currency; '
        "null if none is given."
    )
    currency = serializers.CharField(
        source="space.currency",
        read_only=True,
        help_text="ISO 4217: the currency of the space, which its costs are in.",
    )

    class Meta:
        model = Proposal
        fields = [
            "id",
            "url",
            "html_url",
            "space",
            "state",
            "state_label",
            "organisation",
            "title",
            "summary",
            "spectrum_tags",
            "version",
            "cost",
            "currency",
            "created_at",
            "first_submitted_at",
        ]
        read_only_fields = fields

    @staticmethod
    def _shown(proposal: Proposal) -> ProposalContent:
        return proposal.current_version or proposal.draft

    def get_url(self, proposal: Proposal) -> str:
        return proposal_api_url(self.context.get("request"), proposal)

    def get_html_url(self, proposal: Proposal) -> str:
        return proposal_html_url(self.context.get("request"), proposal)

    def get_title(self, proposal: Proposal) -> str:
        return self._shown(proposal).title

    def get_summary(self, proposal: Proposal) -> str:
        return self._shown(proposal).summary

    def get_spectrum_tags(self, proposal: Proposal) -> list[str]:
        return list(self._shown(proposal).spectrum_tags or [])

    def get_version(self, proposal: Proposal) -> int | None:
        version = proposal.current_version
        return version.number if version is not None else None

    @extend_schema_field(serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True))
    def get_cost(self, proposal: Proposal) -> str | None:
        cost = self._shown(proposal).cost
        return f"{cost:.2f}" if cost is not None else None


class _ConfirmationErrorSerializer(serializers.Serializer[Any]):
    status = serializers.IntegerField()
    code = serializers.CharField(help_text='"confirmation_required".')
    message = serializers.CharField()
    version = serializers.IntegerField(help_text="The number the new version would take.")
    first_submission = serializers.BooleanField(
        help_text="true: submitting makes the proposal itself public for good."
    )
    content_hash = serializers.CharField(
        help_text="The SHA-256 of the working copy shown; send it back with confirm."
    )
    warnings = FieldFindingSerializer(many=True)


class SubmitConfirmationSerializer(serializers.Serializer[Any]):
    """The answer to a submission not yet confirmed, in the shared error format: what the
    author must be shown before they confirm."""

    error = _ConfirmationErrorSerializer()


class ProposalDetailSerializer(serializers.Serializer[Any]):
    """The proposal page as data. ``working_copy`` is null except for authors and
    co-signers (read-only for co-signers); ``warnings`` is null except for authors."""

    # Over ``proposals.selectors.ProposalPage``; needs ``request`` in its context.

    id = serializers.IntegerField(source="proposal.pk")
    url = serializers.SerializerMethodField()
    html_url = serializers.SerializerMethodField(help_text="The proposal's page on the site.")
    space = serializers.CharField(source="proposal.space.slug")
    currency = serializers.CharField(
        source="proposal.space.currency",
        help_text="ISO 4217: the currency of the space, which the versions' costs are in.",
    )
    state = serializers.ChoiceField(
        source="proposal.shown_state",
        choices=Proposal.SHOWN_STATES,
        help_text='"counting": the vote has closed and is not finalised yet.',
    )
    state_label = serializers.CharField(source="proposal.get_shown_state_display")
    organisation = OrganisationRefSerializer(source="proposal.organisation", allow_null=True)
    created_at = serializers.DateTimeField(source="proposal.created_at")
    first_submitted_at = serializers.DateTimeField(
        source="proposal.first_submitted_at", allow_null=True
    )
    cosigners = CosignerSerializer(many=True)
    current_version = VersionSerializer(source="proposal.current_version", allow_null=True)
    versions = VersionEntrySerializer(many=True)
    steps = StepSerializer(many=True)
    actions = ActionsSerializer(source="*")
    working_copy = WorkingCopySerializer(allow_null=True)
    warnings = FieldFindingSerializer(many=True, allow_null=True)

    @extend_schema_field(serializers.URLField())
    def get_url(self, page: ProposalPage) -> str:
        return proposal_api_url(self.context["request"], page.proposal)

    @extend_schema_field(serializers.URLField())
    def get_html_url(self, page: ProposalPage) -> str:
        return proposal_html_url(self.context["request"], page.proposal)


class WithdrawnSerializer(ProposalDetailSerializer):
    """The proposal just withdrawn, and what the withdrawal ended, in words."""

    message = serializers.CharField(
        help_text="What the withdrawal ended: an open advisory round, an open vote (its "
        "count published now), a scheduled vote (it will not open)."
    )


class SegmentSerializer(serializers.Serializer[Any]):
    op = serializers.CharField(help_text='"equal", "removed" or "added".')
    text = serializers.CharField()


class FieldChangeSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    changed = serializers.BooleanField()
    segments = SegmentSerializer(many=True)


class VersionRefSerializer(serializers.Serializer[Any]):
    number = serializers.IntegerField()
    content_hash = serializers.CharField()
    submitted_at = serializers.DateTimeField()


class DiffSerializer(serializers.Serializer[Any]):
    from_version = VersionRefSerializer()
    to_version = VersionRefSerializer()
    changes = FieldChangeSerializer(many=True, help_text="Every content field, in form order.")


class ProposalsIndexSerializer(serializers.Serializer[Any]):
    space_proposals = serializers.CharField(help_text="URI template of a space's proposals.")
    organisation_proposals = serializers.CharField(
        help_text="URI template of an organisation's proposals, in every space."
    )
    spaces = serializers.URLField(help_text="The decision spaces, whose slugs fill the template.")
    check = serializers.URLField(help_text="The language check and Markdown preview.")


def proposal_api_url(request: Any, proposal: Proposal) -> str:
    path = reverse(
        "api:proposals:detail", kwargs={"space_slug": proposal.space.slug, "pk": proposal.pk}
    )
    return request.build_absolute_uri(path) if request is not None else path


def version_api_url(request: Any, proposal: Proposal, number: int) -> str:
    """The address of the proposal's version ``number`` in this API."""
    path = reverse(
        "api:proposals:version",
        kwargs={"space_slug": proposal.space.slug, "pk": proposal.pk, "number": number},
    )
    return str(request.build_absolute_uri(path))


def proposal_html_url(request: Any, proposal: Proposal) -> str:
    path = proposal.get_absolute_url()
    return request.build_absolute_uri(path) if request is not None else path
