"""The demo's proposals in the Northside space, made only through ``proposals.services``.

Six proposals, one for each thing a visitor should be able to see: a private draft, a
draft with a co-signer from the board, a proposal submitted once, one with two versions
(and a diff between them), one withdrawn with its reason, and one drafted by an advisory
board member for the community. ``demo.advisory`` gives their rounds reviews, a thread
and a recusal, and adds two proposals whose rounds have closed.
"""

from __future__ import annotations

from dataclasses import dataclass

from demo import words
from demo.cast import Cast, review_date
from proposals.models import Proposal
from proposals.services import (
    proposal_cosign,
    proposal_invite_cosigner,
    proposal_submit,
    proposal_update_draft,
    proposal_withdraw,
)


@dataclass(frozen=True)
class DemoProposal:
    title: str
    shown: str  # what load_demo prints about it


PRIVATE_DRAFT = DemoProposal(
    "Drug checking at the Thursday drop-in",
    "private draft: only the login 'editor' sees it",
)
COSIGNED_DRAFT = DemoProposal(
    "Naloxone training for shelter night staff",
    "draft co-signed by Marcus (board1): only 'editor' and 'board1' see it",
)
SUBMITTED_ONCE = DemoProposal(
    "Naloxone kits on the night buses",
    "submitted once, co-signed by Ines (board2); its advisory round is open, with two "
    "sealed reviews (sign in as 'board1' to see Marcus's), a recusal and a thread",
)
TWO_VERSIONS = DemoProposal(
    "Vending machines for sterile supplies at two sites",
    "two versions (compare them); back in advisory review",
)
WITHDRAWN = DemoProposal(
    "A mobile drug-checking van",
    "withdrawn after submission, with its reason",
)
COMMUNITY = DemoProposal(
    "A peer-run line for people who use alone",
    "drafted by Ines (board2) for the community; its advisory round is overdue (past its "
    "deadline one answer short of a quorum: sign in as 'board1' and review to close it)",
)
DEMO_PROPOSALS = (
    PRIVATE_DRAFT,
    COSIGNED_DRAFT,
    SUBMITTED_ONCE,
    TWO_VERSIONS,
    WITHDRAWN,
    COMMUNITY,
)
PRIVATE_DRAFT_LOGIN = "editor"


def load_proposals() -> None:
    """Create the first five demo proposals (the sixth is ``load_community_proposal``).
    Expects the people, the Northside space and the approved Outreach Collective of
    ``load_organisations_and_spaces``."""
    cast = Cast()
    editor = cast.as_("editor")

    # 1. A private draft, still being written: no cost or review date yet.
    cast.draft(PRIVATE_DRAFT.title, **words.proposal("private_draft"))

    # 2. A complete draft with a board member as co-signer, not submitted yet.
    shelters = cast.draft(
        COSIGNED_DRAFT.title, **words.proposal("shelters"), review_date=review_date(365)
    )
    # Asked by the author, the board member reads the private draft and co-signs it.
    proposal_invite_cosigner(actor=editor, proposal=shelters, user=cast.people["board1"])
    proposal_cosign(actor=cast.as_("board1"), proposal=shelters)

    # 3. Submitted once, with a co-signer from the board who is public from submission.
    buses = cast.draft(
        SUBMITTED_ONCE.title, **words.proposal("buses"), review_date=review_date(300)
    )
    proposal_cosign(actor=cast.as_("board2"), proposal=buses)
    proposal_submit(actor=editor, proposal=buses)

    # 4. Two versions: the first asked for one site; the second, after revision, two.
    machines = cast.draft(
        TWO_VERSIONS.title, **words.proposal("machines"), review_date=review_date(365)
    )
    proposal_cosign(actor=cast.as_("board3"), proposal=machines)
    proposal_submit(actor=editor, proposal=machines)
    # Revised while in advisory review: the second version supersedes the first.
    proposal_update_draft(actor=editor, proposal=machines, **words.proposal("machines_revised"))
    proposal_submit(actor=editor, proposal=machines)

    # 5. Submitted, then withdrawn with a public reason.
    van = cast.draft(WITHDRAWN.title, **words.proposal("van"), review_date=review_date(540))
    proposal_submit(actor=editor, proposal=van)
    proposal_withdraw(
        actor=editor,
        proposal=van,
        reason=(
            "The city's health department will run a drug-checking van from the spring. "
            "We are withdrawing ours so that the two do not compete for the same funds, "
            "and we will help staff theirs."
        ),
    )


def load_community_proposal() -> Proposal:
    """The sixth proposal: drafted by an advisory board member (Ines, ``board2``) for the
    community, co-signed by ``board3`` and submitted. ``demo.advisory`` calls it with the
    clock set back three weeks, so that its round is overdue when the demo starts."""
    cast = Cast()
    line = cast.draft(
        COMMUNITY.title,
        **words.proposal("line"),
        author="board2",
        community=True,
        review_date=review_date(365),
    )
    proposal_cosign(actor=cast.as_("board3"), proposal=line)
    proposal_submit(actor=cast.as_("board2"), proposal=line)
    return line
