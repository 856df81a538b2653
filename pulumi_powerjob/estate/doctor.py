"""``doctor``: find jobs that are copies of one another, the trace of a doubled ``saveJob``.

PowerJob 5.1.0's Java client can send one ``saveJob`` twice, which leaves two jobs with the
same definition created moments apart. Code (or Pulumi state) refers to one of them; the
other is an orphan that also fires. A *copy set* is a run of jobs with equal definitions
(``dto_to_spec``) whose creation times are at most ``window`` apart, one to the next; or,
whenever they were made, the live jobs that carry one ``Job`` resource's ownership mark
(``reconcile.ownership``): a create made again after the engine died.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from pulumi_powerjob.client.client import PowerJobClient
from pulumi_powerjob.local.table import render_table
from pulumi_powerjob.models import JobInfoDTO
from pulumi_powerjob.reconcile import ownership
from pulumi_powerjob.reconcile.job_mapping import dto_to_spec

Fix = Literal["disable", "delete"]
DEFAULT_WINDOW = timedelta(seconds=5)
NEWEST = "newest copy (no reference to it given; the Java client keeps the second id)"


@dataclass(frozen=True)
class CopySet:
    """Jobs of one definition created close together; ``keep`` are the ones code refers to."""

    jobs: tuple[JobInfoDTO, ...]
    keep: frozenset[int]
    reason: str

    @property
    def orphans(self) -> tuple[JobInfoDTO, ...]:
        return tuple(j for j in self.jobs if j.id not in self.keep)


def find_copies(
    jobs: Iterable[JobInfoDTO], protected: frozenset[int], window: timedelta = DEFAULT_WINDOW
) -> list[CopySet]:
    """Copy sets among ``jobs`` (deleted ones ignored), each with what to keep and why."""
    live = [j for j in jobs if not j.deleted and j.gmt_create is not None]
    by_mark: dict[str, list[JobInfoDTO]] = {}
    for job in live:
        if ownership.is_mark(job.extra):
            by_mark.setdefault(str(job.extra), []).append(job)
    runs = [sorted(group, key=_created) for group in by_mark.values() if len(group) > 1]
    marked = {j.id for run in runs for j in run}
    by_definition: dict[str, list[JobInfoDTO]] = {}
    for job in live:
        if job.id not in marked:
            by_definition.setdefault(dto_to_spec(job).model_dump_json(), []).append(job)
    for group in by_definition.values():
        runs += _runs(sorted(group, key=_created), window)
    return sorted((_verdict(run, protected) for run in runs), key=lambda s: s.jobs[0].id)


def _verdict(run: list[JobInfoDTO], protected: frozenset[int]) -> CopySet:
    ids = {j.id for j in run}
    if ids & protected:
        return CopySet(tuple(run), frozenset(ids & protected), "referenced (--keep-id / --state)")
    return CopySet(tuple(run), frozenset({run[-1].id}), NEWEST)


def _created(job: JobInfoDTO) -> tuple[datetime, int]:
    assert job.gmt_create is not None
    return job.gmt_create, job.id


def _runs(jobs: Sequence[JobInfoDTO], window: timedelta) -> Iterator[list[JobInfoDTO]]:
    run: list[JobInfoDTO] = []
    for job in jobs:
        if run and _created(job)[0] - _created(run[-1])[0] > window:
            if len(run) > 1:
                yield run
            run = []
        run.append(job)
    if len(run) > 1:
        yield run


def report(copies: Sequence[CopySet]) -> str:
    """The evidence, one row per job: ids, name, creation time and its distance to the first."""
    if not copies:
        return "no copied jobs found"
    rows = []
    for number, copy in enumerate(copies, 1):
        first = _created(copy.jobs[0])[0]
        for job in copy.jobs:
            created = _created(job)[0]
            delta_ms = (created - first) / timedelta(milliseconds=1)
            rows.append(
                [
                    str(number),
                    str(job.id),
                    repr(job.job_name or ""),
                    created.isoformat(sep=" ", timespec="milliseconds"),
                    f"+{delta_ms:.0f} ms",
                    job.status.name,
                    "keep" if job.id in copy.keep else "orphan",
                    copy.reason if job.id in copy.keep else "",
                ]
            )
    header = ["set", "job id", "name", "gmtCreate", "delta", "status", "verdict", "why kept"]
    return render_table(header, rows)


def fix(client: PowerJobClient, copies: Sequence[CopySet], action: Fix) -> list[int]:
    """One ``disableJob`` or ``deleteJob`` per orphan; kept jobs are never touched."""
    done = []
    for copy in copies:
        for job in copy.orphans:
            if action == "delete":
                client.delete_job(job.id)
            elif job.status.name != "DISABLE":
                client.disable_job(job.id)
            done.append(job.id)
    return done


def ids_in_state(path: Path) -> frozenset[int]:
    """Job ids a ``pulumi stack export`` refers to: its jobs and the jobs its workflows run."""
    exported = json.loads(path.read_text(encoding="utf-8"))
    resources = (exported.get("deployment") or exported).get("resources") or []
    ids: set[int] = set()
    for resource in resources:
        kind = str(resource.get("type", ""))
        outputs = resource.get("outputs") or {}
        if kind.endswith("powerjob:Job"):
            ids.update(_ints([resource.get("id"), outputs.get("job_id")]))
        elif kind.endswith("powerjob:Workflow"):
            nodes = outputs.get("nodes") or []
            ids.update(_ints(n.get("job_id") for n in nodes if isinstance(n, Mapping)))
    return frozenset(ids)


def _ints(values: Iterable[Any]) -> Iterator[int]:
    for value in values:
        if isinstance(value, int) and not isinstance(value, bool):
            yield value
        elif isinstance(value, str) and value.isdigit():
            yield int(value)
