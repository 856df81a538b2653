"""Sending the steps of a ``JobSet`` operation, a few at a time, each at most once.

``PARALLEL`` requests are in flight at once (see benchmarks/results/server-throughput.md for
why). The first definite failure stops new steps from starting; steps already sent finish. A
step whose answer was lost is not sent again: it is settled afterwards from listings, which
are safe to repeat (``settle_lost``).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from pulumi_powerjob.client.client import PowerJobClient
from pulumi_powerjob.errors import NotFoundError, OutcomeUnknownError, PowerJobError
from pulumi_powerjob.models import JobInfoDTO
from pulumi_powerjob.reconcile import settle as settling
from pulumi_powerjob.reconcile.job_mapping import dto_to_spec, spec_to_request
from pulumi_powerjob.reconcile.job_set_plan import Step

log = logging.getLogger(__name__)

PARALLEL = 4


@dataclass
class Outcome:
    """What the steps of one operation did, by key."""

    done: dict[str, int] = field(default_factory=dict)
    """Keys whose step landed: the job id (of the deleted job, for a delete)."""
    lost: dict[str, OutcomeUnknownError] = field(default_factory=dict)
    """Keys whose answer was lost: not known yet whether the step landed."""
    failed: dict[str, PowerJobError] = field(default_factory=dict)
    """Keys whose step did not land."""
    not_sent: list[str] = field(default_factory=list)
    """Keys whose step was never started (after a failure)."""


def send(
    client: PowerJobClient,
    steps: Sequence[Step],
    *,
    parallel: int = PARALLEL,
    progress: Callable[[int, int], None] | None = None,
) -> Outcome:
    """Send every step once, ``parallel`` at a time; stop starting new ones after a failure."""
    outcome = Outcome()
    if not steps:
        return outcome
    app_id = client.app_id  # one login before the workers start

    def one(step: Step) -> int:
        if step.kind == "delete" and step.job_id is not None:
            with contextlib.suppress(NotFoundError):  # already gone: nothing to do
                client.delete_job(step.job_id)
            return step.job_id
        if step.spec is None:
            raise TypeError(f"the {step.kind} of {step.key!r} has no spec")
        return client.save_job(spec_to_request(step.spec, app_id, step.job_id))

    pending = list(steps)
    running: dict[Future[int], Step] = {}
    finished = 0
    with ThreadPoolExecutor(max_workers=parallel, thread_name_prefix="jobset") as pool:
        while pending or running:
            while pending and len(running) < parallel and not outcome.failed:
                step = pending.pop(0)
                running[pool.submit(one, step)] = step
            if outcome.failed:
                outcome.not_sent.extend(s.key for s in pending)
                pending.clear()
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                step = running.pop(future)
                finished += 1
                error = future.exception()
                if error is None:
                    outcome.done[step.key] = future.result()
                elif isinstance(error, OutcomeUnknownError):
                    outcome.lost[step.key] = error
                elif isinstance(error, PowerJobError):
                    outcome.failed[step.key] = error
                else:
                    raise error
            if progress is not None:
                progress(finished, len(steps))
    return outcome


def settle_lost(client: PowerJobClient, steps: Mapping[str, Step], outcome: Outcome) -> None:
    """Decide every lost step from listings of the app.

    A listing is asked again while the server cannot answer (up to ``reconcile_timeout``).
    A step still not seen landed is given ``read_timeout`` to show, as a request still running
    on the server would; after that it counts as not landed, and the next operation, which
    lists first, finds it if it lands later.
    """
    if not outcome.lost:
        return
    settings = client.settings
    first = next(iter(outcome.lost.values()))
    quiet = settling.monotonic() + settings.read_timeout
    while True:
        live = settling.settle(
            client.fetch_all_job,
            settings,
            first,
            advice="run up again: it lists the app first, so nothing is sent twice",
        )
        for key in list(outcome.lost):
            job_id = _landed(steps[key], live)
            if job_id is not None:
                outcome.done[key] = job_id
                del outcome.lost[key]
        if not outcome.lost or settling.monotonic() >= quiet:
            break
        settling.sleep(settling.POLL_S)
    for key, lost in outcome.lost.items():
        outcome.failed[key] = OutcomeUnknownError(
            lost.endpoint, f"{lost.came_back}, and a listing shows it did not land"
        )
    outcome.lost.clear()


def _landed(step: Step, live: Sequence[JobInfoDTO]) -> int | None:
    """The job id when ``live`` shows ``step`` landed, else None."""
    if step.kind == "delete":
        present = {job.id for job in live if not job.deleted}
        return step.job_id if step.job_id not in present else None
    if step.spec is None:
        return None
    if step.kind == "update":
        for job in live:
            if job.id == step.job_id and not job.deleted:
                return job.id if dto_to_spec(job) == step.spec else None
        return None
    made = [
        job.id
        for job in live
        if not job.deleted and job.job_name == step.spec.job_name and dto_to_spec(job) == step.spec
    ]
    return made[0] if len(made) == 1 else None
