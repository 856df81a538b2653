"""``JobSetProvider``: many jobs of one app as one resource, one engine step for all of them.

The engine's cost per resource step (it rewrites the whole snapshot after each) makes N
``Job`` resources cost about N² in time; a set is one step, so time grows with N. Each
operation lists the app once, then sends what changed, a few at a time (``reconcile/job_set.py``).
A create or update cut off half-way raises with ``landed`` set to the outputs of what is on the
server (and, for a create, the id the resource would have had): the plugin records them as a
partial state. The Python dynamic provider host cannot (it answers every failure with a plain
gRPC error), so there a cut-off operation records nothing; either way the next one lists first
and sends only what is still missing.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from typing import Any

from pulumi.dynamic import (
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    UpdateResult,
)
from typing_extensions import override

from pulumi_powerjob.client.client import PowerJobClient
from pulumi_powerjob.errors import Landed, PowerJobError
from pulumi_powerjob.providers.base import (
    CONNECTION,
    PROVIDER_KEY,
    PowerJobProvider,
    engine_failures,
)
from pulumi_powerjob.providers.unknowns import is_unknown, to_engine, to_marker
from pulumi_powerjob.reconcile import job_set
from pulumi_powerjob.reconcile.job_spec import JobSpec

log = logging.getLogger(__name__)

JOBS = job_set.JOBS
OUTPUT_KEYS = ("job_ids", "app_id", "app_name")


class JobSetProvider(PowerJobProvider):
    """Dynamic provider of ``pulumi_powerjob.JobSet``."""

    spec_model = JobSpec  # per entry; the set's own inputs are ``jobs`` and ``connection``

    @override
    def spec_keys(self) -> tuple[str, ...]:
        return (JOBS,)

    @override
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        values = to_marker({k: v for k, v in news.items() if k != PROVIDER_KEY})
        inputs, failures = job_set.check_set(values, known=(JOBS, CONNECTION, *OUTPUT_KEYS))
        return CheckResult(to_engine(inputs), engine_failures(failures))

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
        id_ = f"jobset-{uuid.uuid4().hex}"
        try:
            ids = job_set.create(client, props[JOBS])
        except PowerJobError as exc:
            self._landed(exc, client, props, id_)
            raise
        return CreateResult(id_, self._outputs(client, props, ids))

    @override
    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        client = self.client(news.get(CONNECTION))
        old_ids = {k: int(v) for k, v in (olds.get("job_ids") or {}).items()}
        try:
            ids = job_set.update(client, olds.get(JOBS) or {}, old_ids, news[JOBS])
        except PowerJobError as exc:
            self._landed(exc, client, news, None)
            raise
        return UpdateResult(self._outputs(client, news, ids))

    @override
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        client = self.client(props.get(CONNECTION))
        entries, ids = job_set.read(client, _ids(props))
        inputs = {JOBS: entries, CONNECTION: props.get(CONNECTION) or "default"}
        return ReadResult(id_, {**inputs, **job_set.computed(client, ids)}, inputs)

    @override
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        job_set.delete(self.client(props.get(CONNECTION)), _ids(props))

    def _outputs(
        self, client: PowerJobClient, props: Mapping[str, Any], ids: Mapping[str, int]
    ) -> dict[str, Any]:
        inputs = {JOBS: props[JOBS], CONNECTION: props.get(CONNECTION) or "default"}
        kept = {k: ids[k] for k in props[JOBS] if k in ids}
        return {**inputs, **job_set.computed(client, kept)}

    def _landed(
        self, exc: PowerJobError, client: PowerJobClient, props: Mapping[str, Any], id_: str | None
    ) -> None:
        """Turn the core's partial set on ``exc`` (if any) into this resource's outputs."""
        if exc.landed is not None:
            partial = {**props, JOBS: exc.landed.outputs[job_set.JOBS]}
            ids = exc.landed.outputs[job_set.JOB_IDS]
            try:
                exc.landed = Landed(self._outputs(client, partial, ids), id_)
            except PowerJobError:  # the app's id cannot be had: record nothing
                exc.landed = None


def _ids(props: Mapping[str, Any]) -> dict[str, int]:
    return {k: int(v) for k, v in (props.get("job_ids") or {}).items()}


def _same_connection(olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
    return (olds.get(CONNECTION) or "default") == (news.get(CONNECTION) or "default")


__all__ = ["JOBS", "OUTPUT_KEYS", "JobSetProvider"]
