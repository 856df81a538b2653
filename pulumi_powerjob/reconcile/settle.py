"""Learning what a mutation whose answer was lost did, without ever sending it again.

Reads are safe to repeat, so the read that settles the question is retried while the server
cannot answer (restarting, unreachable, answers lost), for up to ``reconcile_timeout``
seconds. The mutation itself is never repeated.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from pulumi_powerjob.client import deadline
from pulumi_powerjob.errors import OutcomeUnknownError, TransportError
from pulumi_powerjob.settings import ConnectionSettings

log = logging.getLogger(__name__)

T = TypeVar("T")
_FIRST_PAUSE_S = 0.5
_LONGEST_PAUSE_S = 5.0
POLL_S = 0.5
# How far back (server clock) a create whose answer was lost may have landed, for lookups.
RECONCILE_WINDOW = timedelta(minutes=2)
AGAIN_WITH_REFRESH = (
    "once the server answers, run the command again with --refresh: the refresh sees whether "
    "it landed, so it is not sent twice"
)
# the clock and the pause, replaceable in tests
monotonic: Callable[[], float] = time.monotonic
sleep: Callable[[float], None] = time.sleep


def not_landed(lost: OutcomeUnknownError, found: str) -> OutcomeUnknownError:
    """The error after a read showed that the mutation of ``lost`` did not land: it says what
    came back and what the read found, not that the request may have run."""
    return OutcomeUnknownError(
        lost.endpoint,
        f"{lost.came_back}, and a read shows {found}; nothing was changed, run up again",
        came_back=lost.came_back,
    )


def settle(
    read: Callable[[], T],
    settings: ConnectionSettings,
    lost: OutcomeUnknownError,
    *,
    advice: str,
) -> T:
    """``read()``, retried while no answer comes, until ``settings.reconcile_timeout``.

    When time runs out the error says that the outcome is still unknown, and ``advice`` what
    to do about it; it is chained to ``lost``, the error of the mutation.
    """
    limit, within = _limit(settings)
    until = monotonic() + limit
    pause = _FIRST_PAUSE_S
    while True:
        try:
            return read()
        except TransportError as exc:
            remaining = until - monotonic()
            if remaining <= 0:
                raise OutcomeUnknownError(
                    lost.endpoint,
                    f"answer lost, and for {limit:g} s{within} the server could not say "
                    f"whether it ran ({exc.reason}); {advice}",
                ) from lost
            log.info("%s: answer lost, server not answering yet (%s)", lost.endpoint, exc.reason)
            sleep(min(pause, remaining))
            pause = min(pause * 2, _LONGEST_PAUSE_S)


def _limit(settings: ConnectionSettings) -> tuple[float, str]:
    """How long a settlement may ask: ``reconcile_timeout``, or less when the operation's
    ``customTimeouts`` leave less (``client.deadline``), and the words that say which."""
    left = deadline.remaining()
    if left is None or left >= settings.reconcile_timeout:
        return settings.reconcile_timeout, ""
    return max(
        0.0, left
    ), f" (what was left of the operation's customTimeouts, {deadline.given():g} s)"


def find_created(
    search: Callable[[], list[int]],
    settings: ConnectionSettings,
    lost: OutcomeUnknownError,
    *,
    advice: str,
    several: Callable[[list[int]], str],
    none: str,
    writes: bool = False,
) -> int:
    """The id of the one object a create whose answer was ``lost`` made.

    ``search`` gives the ids that carry the create's mark. It is settled (asked again while the
    server cannot answer); once the server answers, a create still running on it has
    ``read_timeout`` to show. A search that ``writes`` (node rows written again) is asked
    once, after ``read_timeout``, so that a save still running has likely finished: a row
    written while the save attaches it may be written back unattached. Several matches
    (``several``) or none (``none``) raise: the lookup never guesses.
    """
    quiet = monotonic() + deadline.capped(settings.read_timeout)
    if writes:
        sleep(deadline.capped(settings.read_timeout))
    while True:
        matches = settle(search, settings, lost, advice=advice)
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise OutcomeUnknownError(lost.endpoint, several(matches)) from lost
        if monotonic() >= quiet:
            raise OutcomeUnknownError(lost.endpoint, none) from lost
        sleep(POLL_S)
