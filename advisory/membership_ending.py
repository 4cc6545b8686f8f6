"""What ending a board membership means for the review rounds open now (see
spaces/ending.py, which lists it on the facilitator's confirmation)."""

from __future__ import annotations

from django.utils.translation import ngettext

from accounts.selectors import display_name
from advisory.models import Seat
from spaces.ending import register
from spaces.models import Membership, Role


@register
def open_rounds_keep_their_seat(membership: Membership) -> list[str]:
    if membership.role != Role.BOARD:
        return []
    count = Seat.objects.filter(
        user_id=membership.user_id,
        recused_at__isnull=True,
        round__closed_at__isnull=True,
        round__proposal__space_id=membership.space_id,
    ).count()
    if not count:
        return []
    return [
        ngettext(
            "%(name)s has a seat in %(count)d review round open now. The round keeps the "
            "board it froze, so the seat stays and counts toward its quorum, but "
            "%(name)s can no longer review there.",
            "%(name)s has a seat in %(count)d review rounds open now. Each round keeps "
            "the board it froze, so the seats stay and count toward their quorums, but "
            "%(name)s can no longer review there.",
            count,
        )
        % {"name": display_name(membership.user), "count": count}
    ]
