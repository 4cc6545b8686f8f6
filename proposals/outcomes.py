"""What a withdrawal did, as ``proposal_withdraw`` reports it, and the words that say so.

A withdrawal ends what is under way: an open advisory round closes without a verdict, an
open vote closes now with its count published, and a scheduled vote never opens. The
message after a withdrawal, on the page and in the API, says which of these happened
(``withdrawal_message``), never a fixed sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from proposals.models import Proposal


@dataclass(frozen=True)
class Withdrawal:
    proposal: Proposal
    # An advisory round was open and is closed by the withdrawal, without a verdict.
    round_ended: bool = False
    # A vote was open: it closed now and its count is published, marked withdrawn.
    vote_counted: bool = False
    # A vote was scheduled and had not opened: it never opens.
    vote_cancelled: bool = False


def withdrawal_message(result: Withdrawal) -> str:
    sentences = [_("The proposal is withdrawn.")]
    if result.round_ended:
        sentences.append(
            _(
                "Its advisory review round is closed without a verdict; the reviews given "
                "in it stay sealed."
            )
        )
    if result.vote_counted:
        sentences.append(
            _(
                "Its vote is closed now and its count is published on the vote's page, "
                "marked as withdrawn."
            )
        )
    if result.vote_cancelled:
        sentences.append(_("Its scheduled vote will not open."))
    return " ".join(sentences)
