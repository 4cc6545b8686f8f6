"""The advisory cast (tests/advisory/conftest.py) carries on into the vote: the whole board
of three endorses Olu's draft, Olu publishes the response, and the vote is scheduled;
``open_vote`` is that vote opened by the sweep's service at its time. The fixtures are in
tests/voting/fixtures.py, which every folder sees."""

from __future__ import annotations

import datetime

# The cast, its board and its actor, for the voting tests to import from here.
from tests.advisory.conftest import Board as Board
from tests.advisory.conftest import Cast as Cast
from tests.advisory.conftest import actor as actor
from tests.advisory.conftest import review as review

MINUTE = datetime.timedelta(minutes=1)
