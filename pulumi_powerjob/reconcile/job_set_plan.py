"""What a ``JobSet`` operation must send, decided from one listing of the app.

A job of a set is known by its key, which is its name in the app. Each operation lists the app
first and sends a mutation only for a key the listing shows not yet in its declared state. So
an operation that was cut off half-way (an answer lost, a 502, the server or the engine killed)
is finished by the next one without sending anything twice: what landed is found in the
listing and left alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pulumi_powerjob.errors import InputValidationError
from pulumi_powerjob.models import JobInfoDTO
from pulumi_powerjob.reconcile.job_mapping import dto_to_spec
from pulumi_powerjob.reconcile.job_spec import JobSpec

Kind = Literal["create", "update", "delete"]
_DEFAULTS: dict[str, Any] = {
    name: JobSpec.model_fields[name].get_default(call_default_factory=True)
    for name, info in JobSpec.model_fields.items()
    if not info.is_required()
}


@dataclass(frozen=True)
class Step:
    """One mutation: ``saveJob`` (create, update) or ``deleteJob`` of one key."""

    key: str
    kind: Kind
    spec: JobSpec | None = None
    job_id: int | None = None


def compact(key: str, canonical: Mapping[str, Any]) -> dict[str, Any]:
    """A job's canonical inputs without what goes without saying: the server's defaults, and
    a ``job_name`` equal to its key. This is what the state keeps per job."""
    out: dict[str, Any] = {}
    for name, value in canonical.items():
        if name == "job_name" and value == key:
            continue
        if name in _DEFAULTS and _same(_DEFAULTS[name], value):
            continue
        out[name] = value
    return out


def spec_of(key: str, entry: Mapping[str, Any]) -> JobSpec:
    """The full spec of a compact entry."""
    return JobSpec.model_validate({"job_name": key, **entry})


def entry_of(key: str, job: JobInfoDTO) -> dict[str, Any]:
    """The compact entry of a job as the server has it."""
    return compact(key, dto_to_spec(job).model_dump(mode="json"))


def by_name(live: Iterable[JobInfoDTO]) -> dict[str, list[JobInfoDTO]]:
    """The app's jobs that are not deleted, by name."""
    found: dict[str, list[JobInfoDTO]] = {}
    for job in live:
        if not job.deleted and job.job_name is not None:
            found.setdefault(job.job_name, []).append(job)
    return found


def plan_apply(
    declared: Mapping[str, JobSpec],
    keys: Iterable[str],
    known_ids: Mapping[str, int],
    live: Iterable[JobInfoDTO],
) -> tuple[list[Step], dict[str, int]]:
    """The saves that bring ``keys`` of ``declared`` to their declared state.

    A key's job is the one ``known_ids`` names while it exists, else the one job of that name.
    Returns the steps, and the ids of the keys that are already as declared (adopted, or
    landed by an operation that was cut off). Raises before anything is sent when a name is
    taken by several jobs: the set never guesses which one is its own.
    """
    jobs = list(live)
    present = {job.id: job for job in jobs if not job.deleted}
    named = by_name(jobs)
    steps: list[Step] = []
    settled: dict[str, int] = {}
    ambiguous: list[str] = []
    for key in keys:
        spec = declared[key]
        job = present.get(known_ids[key]) if key in known_ids else None
        if job is None:
            same_name = named.get(spec.job_name, [])
            if len(same_name) > 1:
                ids = sorted(j.id for j in same_name)
                ambiguous.append(f"{key!r} ({len(ids)} jobs: {ids})")
                continue
            job = same_name[0] if same_name else None
        if job is None:
            steps.append(Step(key, "create", spec))
        elif dto_to_spec(job) == spec:
            settled[key] = job.id
        else:
            steps.append(Step(key, "update", spec, job.id))
    if ambiguous:
        raise InputValidationError(
            "jobs",
            "several jobs of the app have the name of "
            + ", ".join(ambiguous)
            + "; a JobSet owns one job per name: delete the extra ones, then run up again "
            "(nothing was sent)",
        )
    return steps, settled


def plan_delete(ids: Mapping[str, int], live: Iterable[JobInfoDTO]) -> list[Step]:
    """The deletes of the jobs in ``ids`` that still exist."""
    present = {job.id for job in live if not job.deleted}
    return [Step(key, "delete", job_id=job_id) for key, job_id in ids.items() if job_id in present]


def _same(default: Any, value: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return default is value
    return bool(default == value)
