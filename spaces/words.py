"""The rulebook in plain words, for the space page."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from spaces.models import Rulebook
from spaces.rulebook import Fraction


def share(fraction: Fraction) -> str:
    """ "half", "two thirds", or "3 out of 5"."""
    common = {
        (1, 2): _("half"),
        (1, 3): _("a third"),
        (2, 3): _("two thirds"),
        (1, 4): _("a quarter"),
        (3, 4): _("three quarters"),
        (1, 10): _("a tenth"),
        (1, 1): _("all"),
    }
    words = common.get((fraction.num, fraction.den))
    return words or _("%(num)d out of %(den)d") % {"num": fraction.num, "den": fraction.den}


def threshold(fraction: Fraction) -> str:
    if fraction.strict:
        return _("more than %(share)s") % {"share": share(fraction)}
    return _("at least %(share)s") % {"share": share(fraction)}


def rulebook_sentences(rulebook: Rulebook) -> list[str]:
    # Whole sentences, each in its own ngettext call: the catalogue is extracted from calls
    # by name, so an alias of ngettext would leave these untranslated.
    sentences = [
        ngettext(
            "At least %(share)s of the board (not counting members on leave or who step "
            "aside), and never fewer than %(minimum)d member, must answer for a review to "
            "count. A review that too few members can still answer says so, and never "
            "passes with fewer.",
            "At least %(share)s of the board (not counting members on leave or who step "
            "aside), and never fewer than %(minimum)d members, must answer for a review to "
            "count. A review that too few members can still answer says so, and never "
            "passes with fewer.",
            rulebook.minimum_reviews,
        )
        % {"share": share(rulebook.advisory_quorum), "minimum": rulebook.minimum_reviews},
        _(
            "A proposal goes on to a vote when %(threshold)s of the board members who take "
            "a side endorse it. Abstentions count toward the quorum only."
        )
        % {"threshold": threshold(rulebook.consent_threshold)},
        ngettext(
            "The board has %(days)d day to review a proposal.",
            "The board has %(days)d days to review a proposal.",
            rulebook.review_window_days,
        )
        % {"days": rulebook.review_window_days},
        ngettext(
            "A vote opens %(days)d day after the organisation publishes its response.",
            "A vote opens %(days)d days after the organisation publishes its response.",
            rulebook.vote_delay_days,
        )
        % {"days": rulebook.vote_delay_days},
        ngettext(
            "A vote stays open for %(days)d day.",
            "A vote stays open for %(days)d days.",
            rulebook.voting_window_days,
        )
        % {"days": rulebook.voting_window_days},
        _("At least %(share)s of the electorate must vote for the result to count.")
        % {"share": share(rulebook.turnout_quorum)},
        _("A proposal is adopted when %(threshold)s of the votes for or against approve it.")
        % {"threshold": threshold(rulebook.approval_threshold)},
        _("The advisory board's own votes must pass that threshold too.")
        if rulebook.dual_majority
        else _("Only the vote as a whole counts; the board's votes are not counted apart."),
        _("Counts by group are published only for groups of at least %(size)d ballots.")
        % {"size": rulebook.min_group_size},
        _(
            "Each receipt is published with its choice, so every voter can check their own "
            "vote was counted as cast."
        )
        if rulebook.publish_receipt_choices
        else _(
            "Only counts and receipt codes are published, so no one can be made to prove "
            "how they voted."
        ),
    ]
    return sentences
