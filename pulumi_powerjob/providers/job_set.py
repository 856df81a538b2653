"""``JobSetProvider``: many jobs of one app as one resource, one engine step for all of them.

The engine's cost per resource step (it rewrites the whole snapshot after each) makes N
``Job`` resources cost about N² in time; a set is one step, so time grows with N. Each
operation lists the app once, then sends one ``saveJob``/``deleteJob`` per job whose declared
state changed and that the listing does not already show in it (``job_set_plan``), a few at a
time (``batch``). The Python dynamic provider host cannot record a half-done step, so a cut-off
operation records nothing; the next one lists first and sends only what is still missing.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from typing import Any

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    UpdateResult,
)
from typing_extensions import override

from pulumi_powerjob.client.client import PowerJobClient
from pulumi_powerjob.errors import PartlyAppliedError
from pulumi_powerjob.providers.adopt import ADOPT_ID
from pulumi_powerjob.providers.base import CONNECTION, PROVIDER_KEY, PowerJobProvider
from pulumi_powerjob.providers.job import JobProvider
from pulumi_powerjob.providers.unknowns import is_unknown, to_engine, to_marker
from pulumi_powerjob.reconcile import batch
from pulumi_powerjob.reconcile.job_set_plan import (
    Step,
    compact,
    entry_of,
    plan_apply,
    plan_delete,
    spec_of,
)
from pulumi_powerjob.reconcile.job_spec import JobSpec

log = logging.getLogger(__name__)

JOBS = "jobs"
OUTPUT_KEYS = ("job_ids", "app_id", "app_name")
_ONE_JOB = JobProvider()  # its offline check judges each entry; it never sends anything


class JobSetProvider(PowerJobProvider):
    """Dynamic provider of ``pulumi_powerjob.JobSet``."""

    spec_model = JobSpec  # per entry; the set's own inputs are ``jobs`` and ``connection``

    @override
    def spec_keys(self) -> tuple[str, ...]:
        return (JOBS,)

    @override
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        values = to_marker({k: v for k, v in news.items() if k != PROVIDER_KEY})
        failures: list[CheckFailure] = []
        connection = values.get(CONNECTION)
        inputs: dict[str, Any] = {
            CONNECTION: connection if connection not in (None, "") else "default"
        }
        jobs = values.get(JOBS)
        if is_unknown(jobs) and not isinstance(jobs, Mapping):
            inputs[JOBS] = jobs
        elif not isinstance(jobs, Mapping) or not jobs:
            failures.append(CheckFailure(JOBS, "must be a non-empty map of job name to job"))
        else:
            inputs[JOBS] = {}
            for key, entry in jobs.items():
                canonical, wrong = _check_entry(str(key), entry)
                inputs[JOBS][str(key)] = canonical
                failures.extend(wrong)
        for key in values:
            if key not in (JOBS, CONNECTION, *OUTPUT_KEYS):
                failures.append(CheckFailure(key, "is not a known property"))
        return CheckResult(to_engine(inputs), failures)

    @override
    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        olds, news = to_marker(olds), to_marker(news)
        replaces = [] if _same_connection(olds, news) else [CONNECTION]
        old_jobs, new_jobs = olds.get(JOBS) or {}, news.get(JOBS)
        changed = bool(replaces) or is_unknown(new_jobs) or old_jobs != new_jobs
        log.debug("diff %s: %s", _id, "changed" if changed else "no change")
        return DiffResult(changes=changed, replaces=replaces, delete_before_replace=bool(replaces))

    @override
    def create(self, props: dict[str, Any]) -> CreateResult:
        client = self.client(props.get(CONNECTION))
        declared = _declared(props)
        live = client.fetch_all_job()
        steps, ids = plan_apply(declared, declared, {}, live)
        ids.update(_run(client, steps, "create"))
        return CreateResult(f"jobset-{uuid.uuid4().hex}", self._outputs(client, props, ids))

    @override
    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        client = self.client(news.get(CONNECTION))
        declared = _declared(news)
        old_entries: Mapping[str, Any] = olds.get(JOBS) or {}
        old_ids: dict[str, int] = {k: int(v) for k, v in (olds.get("job_ids") or {}).items()}
        new_entries: Mapping[str, Any] = news[JOBS]
        changed = [k for k in new_entries if old_entries.get(k) != new_entries[k]]
        gone = {k: v for k, v in old_ids.items() if k not in new_entries}
        live = client.fetch_all_job()
        steps, ids = plan_apply(declared, changed, old_ids, live)
        steps += plan_delete(gone, live)
        ids.update({k: old_ids[k] for k in new_entries if k not in changed and k in old_ids})
        done = _run(client, steps, "update")
        ids.update({k: v for k, v in done.items() if k in new_entries})
        return UpdateResult(self._outputs(client, news, ids))

    @override
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        client = self.client(props.get(CONNECTION))
        live = {job.id: job for job in client.fetch_all_job() if not job.deleted}
        entries: dict[str, Any] = {}
        ids: dict[str, int] = {}
        for key, job_id in (props.get("job_ids") or {}).items():
            job = live.get(int(job_id))
            if job is not None:  # a job deleted on the server drops out: the next up makes it
                entries[key], ids[key] = entry_of(key, job), job.id
        inputs = {JOBS: entries, CONNECTION: props.get(CONNECTION) or "default"}
        return ReadResult(id_, {**inputs, **_computed(client, ids)}, inputs)

    @override
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        client = self.client(props.get(CONNECTION))
        ids = {k: int(v) for k, v in (props.get("job_ids") or {}).items()}
        _run(client, plan_delete(ids, client.fetch_all_job()), "delete")

    def _outputs(
        self, client: PowerJobClient, props: Mapping[str, Any], ids: Mapping[str, int]
    ) -> dict[str, Any]:
        inputs = {JOBS: props[JOBS], CONNECTION: props.get(CONNECTION) or "default"}
        return {**inputs, **_computed(client, {k: ids[k] for k in props[JOBS] if k in ids})}


def _check_entry(key: str, entry: Any) -> tuple[Any, list[CheckFailure]]:
    where = f"{JOBS}.{key}"
    if not isinstance(entry, Mapping):
        if is_unknown(entry):
            return entry, []
        return entry, [CheckFailure(where, "must be a job (JobArgs or a map of its fields)")]
    failures = [
        CheckFailure(f"{where}.{name}", "is set on the JobSet, not on its jobs")
        for name in (CONNECTION, ADOPT_ID)
        if entry.get(name) is not None
    ]
    name = entry.get("job_name")
    if name not in (None, key) and not is_unknown(name):
        failures.append(
            CheckFailure(f"{where}.job_name", f"must be the job's key {key!r} or unset")
        )
    fields = {k: v for k, v in entry.items() if k not in (CONNECTION, ADOPT_ID)}
    canonical, wrong = _ONE_JOB.validate({**fields, "job_name": key})
    failures += [CheckFailure(f"{where}.{f.property}", f.reason) for f in wrong]
    canonical = {k: v for k, v in canonical.items() if k not in (CONNECTION, ADOPT_ID)}
    return compact(key, canonical), failures


def _declared(props: Mapping[str, Any]) -> dict[str, JobSpec]:
    return {key: spec_of(key, entry) for key, entry in props[JOBS].items()}


def _run(client: PowerJobClient, steps: list[Step], what: str) -> dict[str, int]:
    """Send ``steps``; the ids they landed, or ``PartlyAppliedError`` naming what did not."""
    outcome = batch.send(client, steps)
    batch.settle_lost(client, {s.key: s for s in steps}, outcome)
    if outcome.failed or outcome.not_sent:
        failed = {key: str(exc) for key, exc in outcome.failed.items()}
        again = "destroy" if what == "delete" else "up"
        raise PartlyAppliedError(
            f"JobSet {what}", len(outcome.done), failed, len(outcome.not_sent), again
        )
    log.debug("JobSet %s: %d step(s) sent", what, len(outcome.done))
    return outcome.done


def _computed(client: PowerJobClient, ids: Mapping[str, int]) -> dict[str, Any]:
    return {"job_ids": dict(ids), "app_id": client.app_id, "app_name": client.settings.app_name}


def _same_connection(olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
    return (olds.get(CONNECTION) or "default") == (news.get(CONNECTION) or "default")


__all__ = ["JOBS", "OUTPUT_KEYS", "JobSetProvider"]
