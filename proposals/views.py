"""The proposal pages. Reads go through proposals.selectors, every change through
proposals.services, every permission through the rules and guards in proposals/rules.py.

A proposal never submitted is answered with 404 to everyone but its authors and
co-signers, on every page, so that its existence is not confirmed; a refusal of a
visible proposal is a 403 that says why.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.authority import Actor
from core.errors import DomainError, NotPermitted
from core.views import needs_powers
from organisations.models import Organisation
from organisations.selectors import approved_organisations
from proposals import registry, selectors, services
from proposals.diff import LABELS, version_diff
from proposals.findings import field_findings, stored_texts
from proposals.forms import (
    FIELD_ANCHORS,
    CosignRequestForm,
    ProposalCreateForm,
    ProposalEditForm,
    ProposalFilterForm,
    WithdrawForm,
)
from proposals.models import Proposal, ProposalContent, ProposalDraft, SpectrumTag
from proposals.outcomes import withdrawal_message
from proposals.rules import edit_refusal, withdraw_refusal
from spaces.models import DecisionSpace

PAGE_SIZE = 25


# --- Helpers ------------------------------------------------------------------------------------


def proposal_and_actor(request: HttpRequest, space_slug: str, pk: int) -> tuple[Proposal, Actor]:
    """The proposal if this person may see it; 404 otherwise, draft or not."""
    actor = Actor.from_request(request)
    return selectors.visible_proposal_or_404(actor, space_slug=space_slug, pk=pk), actor


def shown_content(proposal: Proposal) -> ProposalContent:
    """What a reader is shown: the current version once submitted, the draft before."""
    return proposal.current_version or proposal.draft


def tag_labels(content: ProposalContent) -> list[str]:
    """The spectrum tags of ``content`` as words in the page's language."""
    return SpectrumTag.words_for(content.spectrum_tags)


def refuse(request: HttpRequest, message: str) -> HttpResponse:
    return needs_powers(request, message)


# --- The list, and starting a draft -------------------------------------------------------------


@require_GET
def proposal_list(request: HttpRequest, space_slug: str) -> HttpResponse:
    space = get_object_or_404(DecisionSpace, slug=space_slug)
    actor = Actor.from_request(request)
    organisations = [(o.slug, o.name) for o in approved_organisations().only("slug", "name")]
    form = ProposalFilterForm(request.GET or None, organisations=organisations)
    proposals = selectors.proposal_list(actor, space, **form.filters())
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for proposal in page.object_list:
        content = shown_content(proposal)
        rows.append((proposal, content, tag_labels(content)))
    # The filters, without the page, for the pagination links.
    kept = urlencode([(key, value) for key, value in request.GET.items() if key != "page"])
    context = {
        "space": space,
        "form": form,
        "page": page,
        "rows": rows,
        "filter_query": kept,
        "filtered": any(form.filters().values()),
        "can_draft": bool(selectors.drafting_choices(actor, space)),
    }
    return render(request, "proposals/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request: HttpRequest, space_slug: str) -> HttpResponse:
    space = get_object_or_404(DecisionSpace, slug=space_slug)
    actor = Actor.from_request(request)
    choices = selectors.drafting_choices(actor, space)
    if not choices:
        return refuse(
            request,
            _(
                "Editors of an approved organisation, and advisory board members of this "
                "space, can draft proposals here."
            ),
        )
    form = ProposalCreateForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        choice = form.cleaned_data["on_behalf_of"]
        organisation = None
        if choice != selectors.COMMUNITY:
            organisation = Organisation.objects.get(slug=choice)
        try:
            proposal = services.proposal_create_draft(
                actor=actor,
                space=space,
                title=form.cleaned_data["title"],
                organisation=organisation,
            )
        except DomainError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request,
                _("Your draft is saved. It stays private until you submit it."),
            )
            return redirect("proposals:edit", space_slug=space.slug, pk=proposal.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "proposals/create.html", {"space": space, "form": form}, status=status)


# --- The proposal page, its versions and their differences -------------------------------------


@require_GET
def proposal_detail(request: HttpRequest, space_slug: str, pk: int) -> HttpResponse:
    proposal, actor = proposal_and_actor(request, space_slug, pk)
    page = selectors.proposal_page(actor, proposal)
    return render(
        request,
        "proposals/detail.html",
        {
            "page": page,
            "proposal": proposal,
            "content": page.content,
            "tags": tag_labels(page.content),
            "space": proposal.space,
            # Who has been asked, and who may be: for the authors only.
            "cosign_requests": selectors.open_cosign_invitations(proposal)
            if page.can_invite
            else [],
            "cosign_request_form": CosignRequestForm(proposal=proposal)
            if page.can_invite
            else None,
            # The advisory review (the current version's round, and the earlier ones),
            # then the vote once one is scheduled: proposals.registry.page_sections.
            **{
                key: value
                for section in registry.page_sections.entries()
                for key, value in section(actor, proposal).items()
            },
        },
    )


@require_GET
def proposal_version(request: HttpRequest, space_slug: str, pk: int, number: int) -> HttpResponse:
    proposal, _actor = proposal_and_actor(request, space_slug, pk)
    version = selectors.version_of(proposal, number)
    if version is None:
        raise Http404
    return render(
        request,
        "proposals/version.html",
        {
            "proposal": proposal,
            "version": version,
            "content": version,
            "tags": tag_labels(version),
            "space": proposal.space,
        },
    )


def _version_number(value: str | None, default: int | None) -> int | None:
    if value is None or value == "":
        return default
    number = int(value)  # ValueError is answered with a 400 by the caller
    if number < 1:
        raise ValueError(value)
    return number


def _diff_base(proposal: Proposal, versions: list[Any]) -> dict[str, Any]:
    return {"proposal": proposal, "space": proposal.space, "versions": versions}


@require_GET
def proposal_diff(request: HttpRequest, space_slug: str, pk: int) -> HttpResponse:
    proposal, _actor = proposal_and_actor(request, space_slug, pk)
    versions = list(selectors.versions_of(proposal))
    if not versions:
        raise Http404  # nothing was ever submitted
    latest = versions[-1].number
    if len(versions) == 1:
        return render(
            request, "proposals/diff.html", {**_diff_base(proposal, versions), "only_one": True}
        )
    context: dict[str, Any] = _diff_base(proposal, versions)
    try:
        old_number = _version_number(request.GET.get("from"), max(latest - 1, 1))
        new_number = _version_number(request.GET.get("to"), latest)
    except ValueError:
        context["error"] = _(
            "Choose the versions to compare by their numbers (1, 2, 3, …), from the lists below."
        )
        return render(request, "proposals/diff.html", context, status=400)
    old = selectors.version_of(proposal, old_number) if old_number else None
    new = selectors.version_of(proposal, new_number) if new_number else None
    if old is None or new is None:
        raise Http404
    diffs = version_diff(old, new)
    context.update(
        {
            "old": old,
            "new": new,
            "diffs": diffs,
            "unchanged": all(not diff.changed for diff in diffs),
        }
    )
    return render(request, "proposals/diff.html", context)


# --- Editing the working copy, and its preview ------------------------------------------------


def _editable(
    request: HttpRequest, space_slug: str, pk: int
) -> tuple[Proposal, Actor, ProposalDraft] | HttpResponseBase:
    """The proposal and its working copy for one of its authors, while it is editable."""
    proposal, actor = proposal_and_actor(request, space_slug, pk)
    refusal = edit_refusal(actor=actor, proposal=proposal)
    if isinstance(refusal, NotPermitted):
        return refuse(request, refusal.message)
    if refusal is not None:
        # Past editing: back to the proposal, with a note rather than an error page.
        messages.info(
            request,
            _("This proposal cannot be edited any more: it is %(state)s.")
            % {"state": proposal.get_shown_state_display()},
        )
        return redirect("proposals:detail", space_slug=space_slug, pk=proposal.pk)
    return proposal, actor, proposal.draft


def _edit_page(
    request: HttpRequest,
    proposal: Proposal,
    form: ProposalEditForm,
    texts: dict[str, Any],
    *,
    status: int = 200,
    previewing: bool = False,
) -> HttpResponse:
    return render(
        request,
        "proposals/edit.html",
        {
            "proposal": proposal,
            "space": proposal.space,
            "form": form,
            "body": texts.get("body", ""),
            "warnings": field_findings(texts),
            "previewing": previewing,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request: HttpRequest, space_slug: str, pk: int) -> HttpResponseBase:
    found = _editable(request, space_slug, pk)
    if isinstance(found, HttpResponseBase):
        return found
    proposal, actor, draft = found
    if request.method == "GET":
        form = ProposalEditForm(draft=draft)
        # The language check of what is saved: after a save (which redirects here) the
        # author sees the warnings even without JavaScript. They never block the save.
        return _edit_page(request, proposal, form, stored_texts(draft))
    form = ProposalEditForm(request.POST, draft=draft)
    if form.is_valid():
        changes = form.changed_content()
        if not changes:
            messages.info(request, _("Nothing has changed since the last save."))
            return redirect("proposals:edit", space_slug=space_slug, pk=proposal.pk)
        try:
            services.proposal_update_draft(actor=actor, proposal=proposal, **changes)
        except DomainError as error:
            form.add_refusal(error)
        else:
            if proposal.first_submitted_at is None:
                done = _("Your draft is saved. It stays private until you submit it.")
            else:
                done = _(
                    "Your changes are saved in the working copy. The public sees them when "
                    "you submit the next version."
                )
            messages.success(request, done)
            return redirect("proposals:edit", space_slug=space_slug, pk=proposal.pk)
    return _edit_page(request, proposal, form, form.shown_texts(), status=400)


@login_required
@require_POST
def proposal_preview(request: HttpRequest, space_slug: str, pk: int) -> HttpResponseBase:
    """The rendered body and the language check of the form as typed; saves nothing.
    With htmx, the partial for the live region; without, the whole edit page."""
    proposal, actor = proposal_and_actor(request, space_slug, pk)
    # Authors only; a preview is shown in any state, as it saves nothing.
    refusal = edit_refusal(actor=actor, proposal=proposal)
    if isinstance(refusal, NotPermitted):
        return refuse(request, refusal.message)
    form = ProposalEditForm(request.POST, draft=proposal.draft)
    texts = form.shown_texts()
    if request.headers.get("HX-Request") == "true":
        return render(
            request,
            "proposals/_preview_response.html",
            {"body": texts["body"], "warnings": field_findings(texts)},
        )
    return _edit_page(request, proposal, form, texts, previewing=True)


# --- Actions: submit, co-sign, withdraw -------------------------------------------------------


def _missing_fields_message(space_slug: str, pk: int, error: services.ProposalInvalid) -> str:
    edit_url = reverse("proposals:edit", kwargs={"space_slug": space_slug, "pk": pk})
    items = format_html_join(
        "",
        '<li><a href="{}#{}">{}</a>: {}</li>',
        (
            (edit_url, FIELD_ANCHORS.get(name, ""), LABELS.get(name, name), " ".join(texts))
            for name, texts in error.fields.items()
        ),
    )
    return format_html(
        "{}<ul>{}</ul>",
        _("The proposal cannot be submitted yet. Complete these parts first:"),
        items,
    )


def _refused_submission(
    request: HttpRequest, space_slug: str, pk: int, refusal: DomainError
) -> HttpResponseBase:
    # Someone who is not an author is refused as on the other authors' pages; an author
    # goes back to the proposal, told what stands in the way.
    if isinstance(refusal, NotPermitted):
        return refuse(request, refusal.message)
    if isinstance(refusal, services.ProposalInvalid):
        messages.error(request, _missing_fields_message(space_slug, pk, refusal))
    else:
        messages.error(request, refusal.message)
    return redirect("proposals:detail", space_slug=space_slug, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_submit(request: HttpRequest, space_slug: str, pk: int) -> HttpResponseBase:
    """A confirmation step, then the submission. The page shows the language check's
    warnings still open on the working copy, with their suggestions, and says that the
    version becomes public for good; only a POST that confirms this very text submits."""
    proposal, actor = proposal_and_actor(request, space_slug, pk)
    check = selectors.submission_check(actor, proposal)
    if check.refusal is not None:
        return _refused_submission(request, space_slug, proposal.pk, check.refusal)
    changed = False
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        if request.POST.get("content_hash") == check.content_hash:
            try:
                version = services.proposal_submit(
                    actor=actor, proposal=proposal, confirmed_hash=check.content_hash
                )
            except DomainError as error:
                return _refused_submission(request, space_slug, proposal.pk, error)
            # Worded from the round the submission opened, not a guess at what it will be.
            messages.success(request, registry.submission_message.get()(version))
            return redirect("proposals:detail", space_slug=space_slug, pk=proposal.pk)
        # Someone changed the working copy after this person read it: show it again.
        changed = True
    return render(
        request,
        "proposals/submit.html",
        {
            "proposal": proposal,
            "space": proposal.space,
            "content": proposal.draft,
            "check": check,
            "changed": changed,
            "warnings": field_findings(stored_texts(proposal.draft)),
        },
        status=409 if changed else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_withdraw(request: HttpRequest, space_slug: str, pk: int) -> HttpResponseBase:
    proposal, actor = proposal_and_actor(request, space_slug, pk)
    refusal = withdraw_refusal(actor=actor, proposal=proposal)
    if isinstance(refusal, NotPermitted):
        return refuse(request, refusal.message)
    if refusal is not None:
        messages.error(request, refusal.message)
        return redirect("proposals:detail", space_slug=space_slug, pk=proposal.pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            withdrawal = services.proposal_withdraw(
                actor=actor, proposal=proposal, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            form.add_refusal(error)
        else:
            messages.success(request, withdrawal_message(withdrawal))
            return redirect("proposals:detail", space_slug=space_slug, pk=proposal.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "proposals/withdraw.html",
        {
            "proposal": proposal,
            "content": shown_content(proposal),
            "space": proposal.space,
            "form": form,
        },
        status=status,
    )


# --- An organisation's proposals in every space -----------------------------------------------
