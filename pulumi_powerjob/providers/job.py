"""``JobProvider``: check, diff, create, read, update and delete of one PowerJob job.

Each declared change is one ``saveJob``; enabling and disabling ride on the same call.
A create whose answer was lost is reconciled by a lookup, never by sending it again. A create
the engine runs again after it was killed mid-create adopts the job the first one made, found
by the ownership mark in ``extra`` (``ownership``).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any, ClassVar

from pulumi.dynamic import CheckResult, CreateResult, ReadResult, UpdateResult
from typing_extensions import override

from pulumi_powerjob.client.client import PowerJobClient
from pulumi_powerjob.errors import (
    CopiesFoundError,
    InputValidationError,
    NotFoundError,
    OutcomeUnknownError,
)
from pulumi_powerjob.models import JobInfoDTO, JobInfoQuery, SwitchableStatus
from pulumi_powerjob.providers.adopt import ADOPT_ID, check_adopt_id
from pulumi_powerjob.providers.base import CONNECTION, PowerJobProvider
from pulumi_powerjob.reconcile.job_mapping import dto_to_spec, spec_to_request
from pulumi_powerjob.reconcile.job_spec import JobSpec
from pulumi_powerjob.reconcile.ownership import OWNER, is_mark, mark_of, owned_by
from pulumi_powerjob.reconcile.settle import (
    AGAIN_WITH_REFRESH,
    RECONCILE_WINDOW,
    find_created,
    not_landed,
    settle,
)

log = logging.getLogger(__name__)

OUTPUT_KEYS = ("job_id", "app_id", "app_name", "status", "next_trigger_time", "console_url")


class JobProvider(PowerJobProvider):
    """Dynamic provider of ``pulumi_powerjob.Job``."""

    spec_model = JobSpec
    extra_inputs: ClassVar[tuple[str, ...]] = (CONNECTION, ADOPT_ID, OWNER)
    not_diffed: ClassVar[frozenset[str]] = frozenset(OUTPUT_KEYS)

    @override
    def placeholders(self, unknown: frozenset[str]) -> dict[str, Any]:
        stand_ins = {
            "job_name": "unknown",
            "processor_info": "unknown",
            "time_expression_type": "API",
        }
        return {k: v for k, v in stand_ins.items() if k in unknown}

    @override
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        return check_adopt_id(super().check(_olds, news), "job")

    # -- lifecycle, in engine order ---------------------------------------------------------

    @override
    def create(self, props: dict[str, Any]) -> CreateResult:
        spec = JobSpec.model_validate(_spec_part(props))
        client = self.client(props.get(CONNECTION))
        mark = mark_of(props.get(OWNER)) if spec.extra is None else None  # declared: no mark
        adopt_id = props.get(ADOPT_ID)
        if adopt_id:
            job_id = self._adopt(client, int(adopt_id), spec, mark)
        else:
            job_id = self._claimed(client, spec, mark) or self._create_once(client, spec, mark)
        return CreateResult(str(job_id), self._outputs(client, props, spec, job_id))

    @override
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        client = self.client(props.get(CONNECTION))
        try:
            job = self.listings.job(client, int(id_))
        except NotFoundError:
            return ReadResult(None, {})
        if job.deleted:
            return ReadResult(None, {})
        self._no_copies(client, job)
        spec = dto_to_spec(job)
        extras = {
            CONNECTION: props.get(CONNECTION) or "default",
            ADOPT_ID: props.get(ADOPT_ID),
            **owned_by(props),
        }
        inputs = {**spec.model_dump(mode="json"), **extras}
        outs = {**inputs, **_computed(client, job)}
        return ReadResult(id_, outs, inputs)

    @override
    def update(self, id_: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        spec = JobSpec.model_validate(_spec_part(news))
        client = self.client(news.get(CONNECTION))
        self._save(client, int(id_), spec, mark_of(news.get(OWNER)))
        return UpdateResult(self._outputs(client, news, spec, int(id_)))

    @override
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        client = self.client(props.get(CONNECTION))
        self.listings.forget(client)
        try:
            client.delete_job(int(id_))
        except NotFoundError:
            log.debug("job %s was already gone", id_)
        except OutcomeUnknownError as lost:
            try:
                live = settle(
                    lambda: client.fetch_job(int(id_)),
                    client.settings,
                    lost,
                    advice=AGAIN_WITH_REFRESH,
                )
            except NotFoundError:
                return
            if not live.deleted:
                raise not_landed(lost, f"job {id_} still there") from lost

    # -- helpers ---------------------------------------------------------------------------

    def _save(self, client: PowerJobClient, job_id: int, spec: JobSpec, mark: str | None) -> None:
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

    def _no_copies(self, client: PowerJobClient, job: JobInfoDTO) -> None:
        """A refresh names the other live jobs that carry this job's mark: copies made by a
        create that the server was still running when the next ``up`` looked (README)."""
        if not is_mark(job.extra):
            return
        found = self.listings.marked(client, str(job.extra))
        if len(found) > 1:
            raise CopiesFoundError(f"job {job.job_name!r}", sorted({job.id, *found}))

    def _claimed(self, client: PowerJobClient, spec: JobSpec, mark: str | None) -> int | None:
        """The job an earlier create of this resource made, if one did: the live job with its
        mark, brought to ``spec`` (no mutation when it matches, else one ``saveJob``).

        The engine sends a create again when it was killed with the first one in flight; the
        provider is not told, so every create looks. Several jobs with the mark raise
        ``CopiesFoundError`` (nothing is guessed); none: ``None``, the caller creates.
        """
        if mark is None:
            return None
        found = []
        for job_id in self.listings.marked(client, mark):
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
            self._save(client, job.id, spec, mark)
        return job.id

    def _create_once(self, client: PowerJobClient, spec: JobSpec, mark: str | None) -> int:
        request = spec_to_request(spec, client.app_id, mark=mark)
        sent_at = datetime.now(UTC)
        try:
            return client.save_job(request)
        except OutcomeUnknownError as lost:
            found = self._find_lost_create(client, spec, request.extra, sent_at, lost)
            log.debug("lost saveJob answer reconciled to job %s", found)
            return found

    def _find_lost_create(
        self,
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

    def _adopt(self, client: PowerJobClient, job_id: int, spec: JobSpec, mark: str | None) -> int:
        """Take over an existing job: no mutation when it already matches, else one save."""
        try:
            job = client.fetch_job(job_id)
        except NotFoundError:
            raise InputValidationError(
                ADOPT_ID, f"job {job_id} does not exist in this app"
            ) from None
        if job.deleted:
            raise InputValidationError(ADOPT_ID, f"job {job_id} is deleted")
        if dto_to_spec(job) != spec:
            client.save_job(spec_to_request(spec, client.app_id, job_id, mark))
        return job_id

    def _outputs(
        self, client: PowerJobClient, props: dict[str, Any], spec: JobSpec, job_id: int
    ) -> dict[str, Any]:
        """Outputs after a save, without reading the job back (that would double the requests
        of an ``up``): ``status`` follows ``enabled``; ``next_trigger_time``, which the server
        moves on with every run, is filled in by ``refresh`` (``read``)."""
        self.listings.forget(client)
        return {
            **spec.model_dump(mode="json"),
            CONNECTION: props.get(CONNECTION) or "default",
            ADOPT_ID: props.get(ADOPT_ID),
            **owned_by(props),
            "job_id": job_id,
            "app_id": client.app_id,
            "app_name": client.settings.app_name,
            "status": "ENABLE" if spec.enabled else "DISABLE",
            "next_trigger_time": None,
            "console_url": _console_url(client, job_id),
        }


def _spec_part(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k in JobSpec.model_fields}


def _computed(client: PowerJobClient, job: JobInfoDTO) -> dict[str, Any]:
    return {
        "job_id": job.id,
        "app_id": job.app_id,
        "app_name": client.settings.app_name,
        "status": job.status.name,
        "next_trigger_time": job.next_trigger_time,
        "console_url": _console_url(client, job.id),
    }


def _console_url(client: PowerJobClient, job_id: int) -> str:
    return f"{client.settings.addresses[0]}/#/oms/job?jobId={job_id}"
