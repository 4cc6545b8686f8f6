"""The Atom feed of a space's proposals: public, so only what was submitted.

A feed is read by programs that keep what they fetch, often without signing in, so it
is built for no one in particular (``Actor.anonymous()``): a draft never appears, even
when its author fetches the feed while signed in, and a submitted proposal shows its
current version, never the revision an author is working on.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from accounts.authority import Actor
from history.selectors import chain_head
from proposals import selectors
from proposals.models import Proposal, ProposalVersion, SpectrumTag
from spaces.models import DecisionSpace

FEED_SIZE = 50


def _version(proposal: Proposal) -> ProposalVersion:
    version = proposal.current_version
    assert version is not None  # the feed lists submitted proposals only
    return version


class ProposalsAtomFeed(Atom1Feed):
    """Atom, with each entry's state as a category of its own scheme (the list's state
    filter), beside the spectrum tags: "counting" for a vote closed and not yet finalised."""

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        handler.addQuickElement(
            "category",
            "",
            # The feed's link is the space's proposal list: its state filter is the scheme.
            {
                "term": item["state"],
                "scheme": f"{self.feed['link']}?state=",
                "label": item["state_label"],
            },
        )


class SpaceProposalsFeed(Feed):
    feed_type = ProposalsAtomFeed

    def get_object(self, request: HttpRequest, space_slug: str) -> DecisionSpace:
        return get_object_or_404(DecisionSpace, slug=space_slug)

    def title(self, space: DecisionSpace) -> str:
        return _("Proposals in %(space)s") % {"space": space.name}

    def link(self, space: DecisionSpace) -> str:
        return reverse("proposals:list", kwargs={"space_slug": space.slug})

    def subtitle(self, space: DecisionSpace) -> str:
        about = space.description or _(
            "Harm-reduction proposals submitted in this space, newest first."
        )
        # The chain head, so a reader can later check that the record was not rebuilt.
        head = chain_head()
        if head is None:
            return about
        return "{} {}".format(
            about,
            _("Head of the decision history when this feed was made: %(head)s.") % {"head": head},
        )

    def items(self, space: DecisionSpace) -> list[Proposal]:
        proposals = (
            selectors.proposal_list(Actor.anonymous(), space)
            .filter(first_submitted_at__isnull=False)  # already so for the public; stated
            .select_related("organisation")
        )
        return list(proposals[:FEED_SIZE])

    def item_title(self, item: Proposal) -> str:
        return _version(item).title

    def item_description(self, item: Proposal) -> str:
        return _version(item).summary

    def item_link(self, item: Proposal) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Proposal) -> datetime | None:
        return item.first_submitted_at

    def item_updateddate(self, item: Proposal) -> datetime:
        return _version(item).submitted_at

    def item_author_name(self, item: Proposal) -> str:
        if item.organisation is not None:
            return item.organisation.name
        return _("Advisory board members (a community proposal)")

    def item_categories(self, item: Proposal) -> list[str]:
        return SpectrumTag.words_for(_version(item).spectrum_tags)

    def item_extra_kwargs(self, item: Proposal) -> dict[str, Any]:
        return {"state": item.shown_state, "state_label": item.get_shown_state_display()}
