"""A job brought to its declaration: each change one ``saveJob``, sent at most once.

Enabling and disabling ride on the same call. A create whose answer was lost is reconciled by
a lookup, never by sending it again. A create the engine runs again after it was killed
mid-create adopts the job the first one made, found by the ownership mark in ``extra``
(``ownership``).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from pulumi_powerjob.client.client import PowerJobClient
from pulumi_powerjob.errors import (
    CopiesFoundError,
    InputValidationError,
    NotFoundError,
    OutcomeUnknownError,
)
from pulumi_powerjob.models import JobInfoDTO, JobInfoQuery, SwitchableStatus
from pulumi_powerjob.reconcile.job_mapping import dto_to_spec, spec_to_request
from pulumi_powerjob.reconcile.job_spec import JobSpec
from pulumi_powerjob.reconcile.keys import ADOPT_ID
from pulumi_powerjob.reconcile.listing import Listings
from pulumi_powerjob.reconcile.ownership import is_mark
from pulumi_powerjob.reconcile.settle import (
    AGAIN_WITH_REFRESH,
    RECONCILE_WINDOW,
    find_created,
    not_landed,
    settle,
)

log = logging.getLogger(__name__)

STAND_INS = {"job_name": "unknown", "processor_info": "unknown", "time_expression_type": "API"}
"""Stand-ins for the required fields whose values are not known yet, so the rest is judged."""


def create(
    client: PowerJobClient,
    listings: Listings,
    spec: JobSpec,
    mark: str | None,
    adopt_id: int | None = None,
) -> int:
    """The job's id: ``adopt_id`` taken over, else the one an earlier create of this resource
    made (``mark``), else one ``saveJob`` (a lost answer settled by a lookup)."""
    if adopt_id:
        return adopt(client, adopt_id, spec, mark)
    return claimed(client, listings, spec, mark) or create_once(client, spec, mark)


def read(client: PowerJobClient, listings: Listings, job_id: int) -> JobInfoDTO | None:
    """The live job (``None`` when it is gone); copies of it made by a create that ran
    twice raise ``CopiesFoundError``."""
    try:
        job = listings.job(client, job_id)
    except NotFoundError:
        return None
    if job.deleted:
        return None
    no_copies(client, listings, job)
    return job


def save(client: PowerJobClient, job_id: int, spec: JobSpec, mark: str | None) -> None:
    """One ``saveJob`` of an existing job; a lost answer is settled by a read."""
    try:
        client.save_job(spec_to_request(spec, client.app_id, job_id, mark))
    except OutcomeUnknownError as lost:
        live = settle(
            lambda: client.fetch_job(job_id), client.settings, lost, advice=AGAIN_WITH_REFRESH
        )
        if dto_to_spec(live) != spec:
            raise not_landed(lost, f"job {job_id} still as it was") from lost
        log.debug("lost saveJob answer for job %s: the update had landed", job_id)


def delete(client: PowerJobClient, listings: Listings, job_id: int) -> None:
    """One ``deleteJob``; gone already is done; a lost answer is settled by a read."""
    listings.forget(client)
    try:
        client.delete_job(job_id)
    except NotFoundError:
        log.debug("job %s was already gone", job_id)
    except OutcomeUnknownError as lost:
        try:
            live = settle(
                lambda: client.fetch_job(job_id),
                client.settings,
                lost,
                advice=AGAIN_WITH_REFRESH,
            )
        except NotFoundError:
            return
        if not live.deleted:
            raise not_landed(lost, f"job {job_id} still there") from lost


def no_copies(client: PowerJobClient, listings: Listings, job: JobInfoDTO) -> None:
    """A refresh names the other live jobs that carry this job's mark: copies made by a
    create that the server was still running when the next ``up`` looked (README)."""
    if not is_mark(job.extra):
        return
    found = listings.marked(client, str(job.extra))
    if len(found) > 1:
        raise CopiesFoundError(f"job {job.job_name!r}", sorted({job.id, *found}))


def claimed(
    client: PowerJobClient, listings: Listings, spec: JobSpec, mark: str | None
) -> int | None:
    """The job an earlier create of this resource made, if one did: the live job with its
    mark, brought to ``spec`` (no mutation when it matches, else one ``saveJob``).

    The engine sends a create again when it was killed with the first one in flight; the
    provider is not told, so every create looks. Several jobs with the mark raise
    ``CopiesFoundError`` (nothing is guessed); none: ``None``, the caller creates.
    """
    if mark is None:
        return None
    found = []
    for job_id in listings.marked(client, mark):
        try:  # read again: the listing may predate a delete of this operation
            job = client.fetch_job(job_id)
        except NotFoundError:
            continue
        if not job.deleted and job.extra == mark:
            found.append(job)
    if not found:
        return None
    if len(found) > 1:
        raise CopiesFoundError(f"job {spec.job_name!r}", sorted(j.id for j in found))
    job = found[0]
    log.info("adopting job %s, made by an earlier create of this resource", job.id)
    if dto_to_spec(job) != spec:
        save(client, job.id, spec, mark)
    return job.id


def create_once(client: PowerJobClient, spec: JobSpec, mark: str | None) -> int:
    """One ``saveJob`` without an id; a lost answer is settled by a lookup."""
    request = spec_to_request(spec, client.app_id, mark=mark)
    sent_at = datetime.now(UTC)
    try:
        return client.save_job(request)
    except OutcomeUnknownError as lost:
        found = find_lost_create(client, spec, request.extra, sent_at, lost)
        log.debug("lost saveJob answer reconciled to job %s", found)
        return found


def find_lost_create(
    client: PowerJobClient,
    spec: JobSpec,
    extra: str | None,
    sent_at: datetime,
    lost: OutcomeUnknownError,
) -> int:
    """The job a lost ``saveJob`` made: same name, definition and ``extra`` (the mark),
    created since it was sent.

    A server that does not answer is asked again until ``reconcile_timeout`` (it may be
    restarting); once it answers, a save still running on it has ``read_timeout`` to show.
    """
    query = JobInfoQuery(
        job_name_eq=spec.job_name,
        status_in=[SwitchableStatus.ENABLE.value, SwitchableStatus.DISABLE.value],
        gmt_create_gt=sent_at - RECONCILE_WINDOW,
    )
    return find_created(
        lambda: [
            j.id for j in client.query_job(query) if j.extra == extra and dto_to_spec(j) == spec
        ],
        client.settings,
        lost,
        advice=(
            f"job {spec.job_name!r} may have been created: adopt it with adopt_id, "
            "or delete it, before running up again"
        ),
        several=lambda ids: (
            f"{lost.came_back}, and jobs {ids} match the declaration; "
            "adopt the right one with adopt_id and delete the others"
        ),
        none=(
            f"{lost.came_back}, and a lookup shows that no job was created; "
            "nothing to clean up, run up again"
        ),
    )


def adopt(client: PowerJobClient, job_id: int, spec: JobSpec, mark: str | None) -> int:
    """Take over an existing job: no mutation when it already matches, else one save."""
    try:
        job = client.fetch_job(job_id)
    except NotFoundError:
        raise InputValidationError(ADOPT_ID, f"job {job_id} does not exist in this app") from None
    if job.deleted:
        raise InputValidationError(ADOPT_ID, f"job {job_id} is deleted")
    if dto_to_spec(job) != spec:
        client.save_job(spec_to_request(spec, client.app_id, job_id, mark))
    return job_id


def saved_outputs(client: PowerJobClient, spec: JobSpec, job_id: int) -> dict[str, Any]:
    """Computed outputs after a save, without reading the job back (that would double the
    requests of an ``up``): ``status`` follows ``enabled``; ``next_trigger_time``, which the
    server moves on with every run, is filled in by a read."""
    return {
        "job_id": job_id,
        "app_id": client.app_id,
        "app_name": client.settings.app_name,
        "status": "ENABLE" if spec.enabled else "DISABLE",
        "next_trigger_time": None,
        "console_url": console_url(client, job_id),
    }


def computed(client: PowerJobClient, job: JobInfoDTO) -> dict[str, Any]:
    """Computed outputs of a job as read."""
    return {
        "job_id": job.id,
        "app_id": job.app_id,
        "app_name": client.settings.app_name,
        "status": job.status.name,
        "next_trigger_time": job.next_trigger_time,
        "console_url": console_url(client, job.id),
    }


def console_url(client: PowerJobClient, job_id: int) -> str:
    """The job's page in the server's console."""
    return f"{client.settings.addresses[0]}/#/oms/job?jobId={job_id}"
