"""What ending a membership means for the votes open now (see spaces/ending.py, which
lists it on the facilitator's confirmation)."""

from __future__ import annotations

from django.utils.translation import ngettext

from accounts.selectors import display_name
from spaces.ending import register
from spaces.models import Membership, Role
from voting.models import Elector


@register
def open_votes_keep_their_electorate(membership: Membership) -> list[str]:
    if membership.role not in (Role.BOARD, Role.ELECTORATE):
        return []
    count = Elector.objects.filter(
        user_id=membership.user_id,
        vote__proposal__space_id=membership.space_id,
        vote__opened_at__isnull=False,
        vote__finalised_at__isnull=True,
    ).count()
    if not count:
        return []
    return [
        ngettext(
            "%(name)s is in the electorate of %(count)d vote open now, counted when it "
            "opened, and can still vote in it.",
            "%(name)s is in the electorate of %(count)d votes open now, counted when they "
            "opened, and can still vote in them.",
            count,
        )
        % {"name": display_name(membership.user), "count": count}
    ]
