"""The demo's proposals in the Northside space, made only through ``proposals.services``.

Six proposals, one for each thing a visitor should be able to see: a private draft, a
draft with a co-signer from the board, a proposal submitted once, one with two versions
(and a diff between them), one withdrawn with its reason, and one drafted by an advisory
board member for the community. ``demo.advisory`` gives their rounds reviews, a thread
and a recusal, and adds two proposals whose rounds have closed.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    cast.draft(
        PRIVATE_DRAFT.title,
        summary=(
            "A drug-checking service at our Thursday drop-in, so people can find out what "
            "is really in what they bought before they use it."
        ),
        body=(
            "## Why\n\n"
            "Three people died in the north of the city this summer after using pills "
            "that turned out to contain nitazenes. Nobody who bought them could have "
            "known.\n\n"
            "## What we would do\n\n"
            "- FTIR spectrometer testing, results in about 15 minutes\n"
            "- fentanyl and benzodiazepine test strips to take away\n"
            "- a short, private conversation about the result with a peer worker\n\n"
            "*Still to do: ask the chemists at the university about confirmatory testing.*"
        ),
        people_served="People who buy drugs on the street or online in Northside.",
        spectrum_tags=["safer_use", "health"],
        wellbeing_outcomes=[
            {
                "outcome": "People know what is in their drugs before using them",
                "measure": "Share of samples tested whose result changed what the person "
                "planned to do (asked at pick-up)",
            }
        ],
        risks_and_harms=(
            "Legal exposure for people bringing samples: we are asking the police for a "
            "written agreement not to wait near the drop-in. A result is never a guarantee "
            "of safety, and we will say so every time."
        ),
    )

    # 2. A complete draft with a board member as co-signer, not submitted yet.
    shelters = cast.draft(
        COSIGNED_DRAFT.title,
        summary=(
            "Train the night staff of Northside's three shelters to recognise an opioid "
            "overdose and give naloxone, and keep kits at every front desk."
        ),
        body=(
            "## The problem\n\n"
            "Night staff are often alone at the desk and have never been shown how to "
            "give naloxone. Two residents overdosed in a shelter bathroom last winter.\n\n"
            "## The plan\n\n"
            "1. A two-hour training, run by peer workers who have reversed overdoses "
            "themselves, every three months.\n"
            "2. Two nasal naloxone kits at each front desk, checked weekly.\n"
            "3. Residents invited to the same training, with a kit to keep.\n"
        ),
        people_served="Residents and night staff of the three shelters in Northside.",
        spectrum_tags=["safer_use", "housing", "health"],
        wellbeing_outcomes=[
            {
                "outcome": "Overdoses in shelters are reversed in time",
                "measure": "Naloxone uses reported by shelters, and how many people survived",
            },
            {
                "outcome": "Night staff feel ready to act",
                "measure": "Confidence survey before and after each training",
            },
        ],
        risks_and_harms=(
            "Residents may fear being evicted if staff see them use. The shelters have "
            "agreed in writing that an overdose is never a reason for eviction."
        ),
        cost="8400.00",
        review_date=review_date(365),
    )
    # Asked by the author, the board member reads the private draft and co-signs it.
    proposal_invite_cosigner(actor=editor, proposal=shelters, user=cast.people["board1"])
    proposal_cosign(actor=cast.as_("board1"), proposal=shelters)

    # 3. Submitted once, with a co-signer from the board who is public from submission.
    buses = cast.draft(
        SUBMITTED_ONCE.title,
        summary=(
            "Put naloxone kits and a short how-to card on the four night bus routes "
            "through Northside, and train the drivers."
        ),
        body=(
            "## Why the night buses\n\n"
            "Many people travel home alone after using, and drivers are often the only "
            "other adult around. Drivers have asked for this themselves.\n\n"
            "## What changes\n\n"
            "- a sealed kit with two doses of nasal naloxone behind every driver's seat\n"
            "- a card with the five steps, in English and Spanish\n"
            "- a one-hour training for all 60 night drivers, repeated yearly\n\n"
            "The transit company's union supports the plan."
        ),
        people_served="People who use opioids and travel at night, and the drivers.",
        spectrum_tags=["safer_use", "health"],
        wellbeing_outcomes=[
            {
                "outcome": "Fewer deaths from overdose on or near night buses",
                "measure": "Ambulance call-outs to bus stops and buses, compared with last year",
            },
            {
                "outcome": "Drivers know what to do",
                "measure": "Share of drivers trained; kits checked each month",
            },
        ],
        risks_and_harms=(
            "Kits may go missing or expire: the depot checks them monthly. Passengers "
            "could be filmed during an emergency: the card asks bystanders not to."
        ),
        cost="12500.00",
        review_date=review_date(300),
    )
    proposal_cosign(actor=cast.as_("board2"), proposal=buses)
    proposal_submit(actor=editor, proposal=buses)

    # 4. Two versions: the first asked for one site; the second, after revision, two.
    machines = cast.draft(
        TWO_VERSIONS.title,
        summary=(
            "A vending machine outside the Northside health centre that gives out "
            "sterile injecting and smoking supplies, day and night, free of charge."
        ),
        body=(
            "## Why\n\n"
            "Our van is there four evenings a week. The rest of the time people reuse or "
            "share equipment.\n\n"
            "## What the machine holds\n\n"
            "- sterile needles and syringes, cookers, filters and water\n"
            "- glass stems and mouthpieces for smoking\n"
            "- naloxone and a leaflet about our services\n\n"
            "People get a free card at the van; each card gives up to five packs a day."
        ),
        people_served="People who inject or smoke drugs in Northside.",
        spectrum_tags=["safer_use", "health"],
        wellbeing_outcomes=[
            {
                "outcome": "Less sharing of equipment",
                "measure": "Yearly peer-run survey of people using the machine",
            }
        ],
        risks_and_harms=("Used equipment left nearby: we add a disposal bin and check it daily."),
        cost="18000.00",
        review_date=review_date(365),
    )
    proposal_cosign(actor=cast.as_("board3"), proposal=machines)
    proposal_submit(actor=editor, proposal=machines)
    # Revised while in advisory review: the second version supersedes the first.
    proposal_update_draft(
        actor=editor,
        proposal=machines,
        summary=(
            "Two vending machines, outside the Northside health centre and at the "
            "Canal Street night shelter, that give out sterile injecting and smoking "
            "supplies, day and night, free of charge."
        ),
        body=(
            "## Why\n\n"
            "Our van is there four evenings a week. The rest of the time people reuse or "
            "share equipment.\n\n"
            "## What the machines hold\n\n"
            "- sterile needles and syringes, cookers, filters and water\n"
            "- glass stems and mouthpieces for smoking\n"
            "- naloxone and a leaflet about our services\n"
            "- fentanyl test strips\n\n"
            "People get a free card at the van or from the shelter's front desk; each card "
            "gives up to five packs a day. No name is needed for a card.\n\n"
            "## What changed since the first version\n\n"
            "A second machine at the shelter, because many people there cannot reach the "
            "health centre at night; test strips added; cards available without a name."
        ),
        wellbeing_outcomes=[
            {
                "outcome": "Less sharing of equipment",
                "measure": "Yearly peer-run survey of people using the machines",
            },
            {
                "outcome": "Fewer skin and vein infections",
                "measure": "Wound-care visits at the health centre's drop-in clinic, "
                "compared with the year before",
            },
        ],
        risks_and_harms=(
            "Used equipment left nearby: we add disposal bins and check them daily. "
            "People may be seen using the machine: the shelter's is indoors, and "
            "neither machine is filmed."
        ),
        cost="31500.00",
    )
    proposal_submit(actor=editor, proposal=machines)

    # 5. Submitted, then withdrawn with a public reason.
    van = cast.draft(
        WITHDRAWN.title,
        summary=(
            "A van that tests drugs at festivals and on three evenings a week in "
            "Northside, with results on the spot."
        ),
        body=(
            "## Plan\n\n"
            "A converted van with an FTIR spectrometer and two trained staff, parked "
            "where people already gather. Results and advice in under 20 minutes."
        ),
        people_served="People who use drugs at festivals and in the nightlife of Northside.",
        spectrum_tags=["safer_use"],
        wellbeing_outcomes=[
            {
                "outcome": "Fewer hospital admissions after using drugs at festivals",
                "measure": "Festival medical tent records, with the organisers' agreement",
            }
        ],
        risks_and_harms=(
            "People could be stopped by police near the van: it parks only where the city "
            "has agreed there will be no searches."
        ),
        cost="64000.00",
        review_date=review_date(540),
    )
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
        author="board2",
        community=True,
        summary=(
            "A phone line staffed by peers for anyone who is about to use alone: they stay "
            "on the call, and send help to the address given if the caller stops answering."
        ),
        body=(
            "## Why this comes from the board\n\n"
            "Most people who die of an overdose in Northside were alone. Many of us have "
            "used alone because there was no one we trusted to call.\n\n"
            "## How it works\n\n"
            "- open every night from 8 pm to 8 am\n"
            "- the caller gives an address; it is deleted when the call ends safely\n"
            "- if the caller stops answering, the peer calls an ambulance, **not** the "
            "police\n\n"
            "Peers are paid, trained in the first hour of an overdose, and supported "
            "after difficult calls."
        ),
        people_served="People who use drugs alone at home in Northside.",
        spectrum_tags=["safer_use", "community"],
        wellbeing_outcomes=[
            {
                "outcome": "Fewer people die alone from an overdose",
                "measure": "Calls where an ambulance was sent, and their outcomes",
            },
            {
                "outcome": "Callers feel safe calling again",
                "measure": "A short optional question at the end of each call",
            },
        ],
        risks_and_harms=(
            "An ambulance may bring police: we will ask the ambulance service not to "
            "call them for overdoses. The addresses are sensitive: they are kept only "
            "for the length of the call."
        ),
        cost="42000.00",
        review_date=review_date(365),
    )
    proposal_cosign(actor=cast.as_("board3"), proposal=line)
    proposal_submit(actor=cast.as_("board2"), proposal=line)
    return line
