"""Many jobs of one app as one declaration: each operation lists the app once, then sends one
``saveJob``/``deleteJob`` per job whose declared state changed and that the listing does not
already show in it (``job_set_plan``), a few at a time (``batch``).

A create or update cut off half-way raises an error whose ``landed`` holds the set as it now
stands on the server (``partly_applied``): every job that landed, with its id, and every job of
the old state that the server still holds. A face that can record partial state (the plugin)
records it; either way the next operation lists first and sends only what is still missing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_powerjob.client.client import PowerJobClient
from pulumi_powerjob.errors import Landed, PartlyAppliedError, PowerJobError
from pulumi_powerjob.reconcile import batch, check
from pulumi_powerjob.reconcile.failures import Failure
from pulumi_powerjob.reconcile.job import STAND_INS
from pulumi_powerjob.reconcile.job_set_plan import (
    Step,
    compact,
    entry_of,
    plan_apply,
    plan_delete,
    spec_of,
)
from pulumi_powerjob.reconcile.job_spec import JobSpec
from pulumi_powerjob.reconcile.keys import ADOPT_ID, CONNECTION
from pulumi_powerjob.reconcile.ownership import OWNER
from pulumi_powerjob.reconcile.unknowns import is_unknown

log = logging.getLogger(__name__)

_JOB_EXTRAS = (CONNECTION, ADOPT_ID, OWNER)
JOBS = "jobs"
JOB_IDS = "job_ids"


def check_set(
    values: Mapping[str, Any], known: tuple[str, ...]
) -> tuple[dict[str, Any], list[Failure]]:
    """The set's canonical inputs (``jobs``, ``connection``) and the failures; ``known`` names
    every key that may be present."""
    failures: list[Failure] = []
    profile = values.get(CONNECTION)
    inputs: dict[str, Any] = {CONNECTION: profile if profile not in (None, "") else "default"}
    jobs = values.get(JOBS)
    if is_unknown(jobs) and not isinstance(jobs, Mapping):
        inputs[JOBS] = jobs
    elif not isinstance(jobs, Mapping) or not jobs:
        failures.append(Failure(JOBS, "must be a non-empty map of job name to job"))
    else:
        inputs[JOBS] = {}
        for key, entry in jobs.items():
            canonical, wrong = check_entry(str(key), entry, f"{JOBS}.{key}")
            inputs[JOBS][str(key)] = canonical
            failures.extend(wrong)
    failures += [Failure(key, "is not a known property") for key in values if key not in known]
    return inputs, failures


def check_entry(key: str, entry: Any, where: str) -> tuple[Any, list[Failure]]:
    """One entry of the set judged as a ``Job`` of that name: its compact canonical form."""
    if not isinstance(entry, Mapping):
        if is_unknown(entry):
            return entry, []
        return entry, [Failure(where, "must be a job (JobArgs or a map of its fields)")]
    failures = [
        Failure(f"{where}.{name}", "is set on the JobSet, not on its jobs")
        for name in (CONNECTION, ADOPT_ID)
        if entry.get(name) is not None
    ]
    name = entry.get("job_name")
    if name not in (None, key) and not is_unknown(name):
        failures.append(Failure(f"{where}.job_name", f"must be the job's key {key!r} or unset"))
    fields = {k: v for k, v in entry.items() if k not in (CONNECTION, ADOPT_ID)}
    fields["job_name"] = key
    unknown = frozenset(k for k, v in fields.items() if is_unknown(v))
    stand_ins = {k: v for k, v in STAND_INS.items() if k in unknown}
    canonical, wrong = check.validate(JobSpec, fields, _JOB_EXTRAS, stand_ins)
    failures += [Failure(f"{where}.{f.property}", f.reason) for f in wrong]
    canonical = {k: v for k, v in canonical.items() if k not in (CONNECTION, ADOPT_ID)}
    return compact(key, canonical), failures


def declared(entries: Mapping[str, Any]) -> dict[str, JobSpec]:
    """The specs of the set's entries, by key."""
    return {key: spec_of(key, entry) for key, entry in entries.items()}


def create(client: PowerJobClient, entries: Mapping[str, Any]) -> dict[str, int]:
    """Every entry on the server: what the listing already shows is left alone."""
    specs = declared(entries)
    steps, ids = plan_apply(specs, specs, {}, client.fetch_all_job())
    done, error = _send(client, steps, "create")
    ids.update(done)
    if error is not None:
        if ids:
            error.landed = partly_applied({}, {}, entries, ids, [])
        raise error
    return ids


def update(
    client: PowerJobClient,
    old_entries: Mapping[str, Any],
    old_ids: Mapping[str, int],
    new_entries: Mapping[str, Any],
) -> dict[str, int]:
    """From the state's entries (with their ids) to the new ones; the new entries' ids."""
    specs = declared(new_entries)
    changed = [k for k in new_entries if old_entries.get(k) != new_entries[k]]
    gone = {k: v for k, v in old_ids.items() if k not in new_entries}
    live = client.fetch_all_job()
    steps, ids = plan_apply(specs, changed, dict(old_ids), live)
    deletes = plan_delete(gone, live)
    ids.update({k: old_ids[k] for k in new_entries if k not in changed and k in old_ids})
    done, error = _send(client, steps + deletes, "update")
    ids.update({k: v for k, v in done.items() if k in new_entries})
    if error is not None:
        left = [step.key for step in deletes if step.key not in done]
        error.landed = partly_applied(old_entries, old_ids, new_entries, ids, left)
        raise error
    return ids


def partly_applied(
    old_entries: Mapping[str, Any],
    old_ids: Mapping[str, int],
    new_entries: Mapping[str, Any],
    landed: Mapping[str, int],
    not_deleted: Iterable[str],
) -> Landed:
    """The set as the server holds it after an operation stopped half-way: each new entry
    whose job is as declared (``landed``: its id), else the old entry with its old id while the
    job is not known to be gone, and each removed entry whose delete did not land. So the
    state never forgets a job the server holds, and never claims a change that did not land."""
    entries: dict[str, Any] = {}
    ids: dict[str, int] = {}
    for key in new_entries:
        if key in landed:
            entries[key], ids[key] = new_entries[key], landed[key]
        elif key in old_entries and key in old_ids:
            entries[key], ids[key] = old_entries[key], old_ids[key]
    for key in not_deleted:
        if key in old_entries and key in old_ids:
            entries[key], ids[key] = old_entries[key], old_ids[key]
    return Landed({JOBS: entries, JOB_IDS: ids})


def read(client: PowerJobClient, ids: Mapping[str, int]) -> tuple[dict[str, Any], dict[str, int]]:
    """The entries and ids of the set's jobs that are live; a job deleted on the server drops
    out (the next up makes it)."""
    live = {job.id: job for job in client.fetch_all_job() if not job.deleted}
    entries: dict[str, Any] = {}
    found: dict[str, int] = {}
    for key, job_id in ids.items():
        job = live.get(int(job_id))
        if job is not None:
            entries[key], found[key] = entry_of(key, job), job.id
    return entries, found


def delete(client: PowerJobClient, ids: Mapping[str, int]) -> None:
    """Every job of the set deleted (those already gone are left alone)."""
    run(client, plan_delete(dict(ids), client.fetch_all_job()), "delete")


def run(client: PowerJobClient, steps: list[Step], what: str) -> dict[str, int]:
    """Send ``steps``; the ids they landed, or the error (``PartlyAppliedError``: what did not)."""
    done, error = _send(client, steps, what)
    if error is not None:
        raise error
    return done


def _send(
    client: PowerJobClient, steps: list[Step], what: str
) -> tuple[dict[str, int], PowerJobError | None]:
    """Send ``steps``: the ids of those that landed, and the error when some did not (or when
    listings could not settle a lost answer: those count as not landed)."""
    outcome = batch.send(client, steps)
    try:
        batch.settle_lost(client, {s.key: s for s in steps}, outcome)
    except PowerJobError as exc:
        return outcome.done, exc
    if outcome.failed or outcome.not_sent:
        failed = {key: str(exc) for key, exc in outcome.failed.items()}
        again = "destroy" if what == "delete" else "up"
        return outcome.done, PartlyAppliedError(
            f"JobSet {what}", len(outcome.done), failed, len(outcome.not_sent), again
        )
    log.debug("JobSet %s: %d step(s) sent", what, len(outcome.done))
    return outcome.done, None


def computed(client: PowerJobClient, ids: Mapping[str, int]) -> dict[str, Any]:
    """The set's computed outputs."""
    return {JOB_IDS: dict(ids), "app_id": client.app_id, "app_name": client.settings.app_name}
