"""``JobProvider``: the ``Job`` resource's dynamic provider, over the core.

What each change sends, and how a lost answer or a create run twice is settled:
``reconcile/job.py``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pulumi.dynamic import CheckResult, CreateResult, ReadResult, UpdateResult
from typing_extensions import override

from pulumi_powerjob.client.client import PowerJobClient
from pulumi_powerjob.providers.adopt import ADOPT_ID, check_adopt_id
from pulumi_powerjob.providers.base import CONNECTION, PowerJobProvider
from pulumi_powerjob.reconcile import job
from pulumi_powerjob.reconcile.job_mapping import dto_to_spec
from pulumi_powerjob.reconcile.job_spec import JobSpec
from pulumi_powerjob.reconcile.ownership import OWNER, mark_of, owned_by

OUTPUT_KEYS = ("job_id", "app_id", "app_name", "status", "next_trigger_time", "console_url")


class JobProvider(PowerJobProvider):
    """Dynamic provider of ``pulumi_powerjob.Job``."""

    spec_model = JobSpec
    extra_inputs: ClassVar[tuple[str, ...]] = (CONNECTION, ADOPT_ID, OWNER)
    not_diffed: ClassVar[frozenset[str]] = frozenset(OUTPUT_KEYS)

    @override
    def placeholders(self, unknown: frozenset[str]) -> dict[str, Any]:
        return {k: v for k, v in job.STAND_INS.items() if k in unknown}

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
        job_id = job.create(client, self.listings, spec, mark, int(adopt_id) if adopt_id else None)
        return CreateResult(str(job_id), self._outputs(client, props, spec, job_id))

    @override
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        client = self.client(props.get(CONNECTION))
        live = job.read(client, self.listings, int(id_))
        if live is None:
            return ReadResult(None, {})
        extras = {
            CONNECTION: props.get(CONNECTION) or "default",
            ADOPT_ID: props.get(ADOPT_ID),
            **owned_by(props),
        }
        inputs = {**dto_to_spec(live).model_dump(mode="json"), **extras}
        outs = {**inputs, **job.computed(client, live)}
        return ReadResult(id_, outs, inputs)

    @override
    def update(self, id_: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        spec = JobSpec.model_validate(_spec_part(news))
        client = self.client(news.get(CONNECTION))
        job.save(client, int(id_), spec, mark_of(news.get(OWNER)))
        return UpdateResult(self._outputs(client, news, spec, int(id_)))

    @override
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        job.delete(self.client(props.get(CONNECTION)), self.listings, int(id_))

    def _outputs(
        self, client: PowerJobClient, props: dict[str, Any], spec: JobSpec, job_id: int
    ) -> dict[str, Any]:
        """Outputs after a save (``reconcile.job.saved_outputs``); the listing is dropped."""
        self.listings.forget(client)
        return {
            **spec.model_dump(mode="json"),
            CONNECTION: props.get(CONNECTION) or "default",
            ADOPT_ID: props.get(ADOPT_ID),
            **owned_by(props),
            **job.saved_outputs(client, spec, job_id),
        }


def _spec_part(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k in JobSpec.model_fields}
