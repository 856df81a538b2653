"""``WorkflowProvider``: the ``Workflow`` resource's dynamic provider, over the core.

What each change sends, and how a lost answer is settled: ``reconcile/workflow.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from pulumi.dynamic import CheckFailure, CheckResult, CreateResult, ReadResult, UpdateResult
from typing_extensions import override

from pulumi_powerjob.client.client import PowerJobClient
from pulumi_powerjob.errors import NotFoundError
from pulumi_powerjob.providers.adopt import ADOPT_ID, check_adopt_id
from pulumi_powerjob.providers.base import (
    CONNECTION,
    PROVIDER_KEY,
    PowerJobProvider,
    engine_failures,
)
from pulumi_powerjob.reconcile import connection, workflow, workflow_create
from pulumi_powerjob.reconcile.ownership import OWNER, owned_by
from pulumi_powerjob.reconcile.workflow_check import validate_workflow
from pulumi_powerjob.reconcile.workflow_spec import WorkflowSpec

NODE_IDS = "node_ids"
OUTPUT_KEYS = ("workflow_id", "app_id", NODE_IDS, "console_url")


class WorkflowProvider(PowerJobProvider):
    """Dynamic provider of ``pulumi_powerjob.Workflow``."""

    spec_model = WorkflowSpec
    extra_inputs: ClassVar[tuple[str, ...]] = (CONNECTION, ADOPT_ID, OWNER)
    not_diffed: ClassVar[frozenset[str]] = frozenset(OUTPUT_KEYS)

    @override
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        return check_adopt_id(super().check(_olds, news), "workflow")

    @override
    def validate(self, props: Mapping[str, Any]) -> tuple[dict[str, Any], list[CheckFailure]]:
        """Like the base, but an unknown *inside* a node or an edge leaves the rest judged."""
        skipped = {PROVIDER_KEY, *OUTPUT_KEYS}
        values = {k: v for k, v in props.items() if k not in skipped}
        inputs, failures = validate_workflow(values, self.extra_inputs)
        return inputs, engine_failures(failures)

    # -- lifecycle, in engine order ---------------------------------------------------------

    @override
    def create(self, props: dict[str, Any]) -> CreateResult:
        """One addWorkflowNode (every node, unattached) and one saveWorkflow that attaches them
        (``reconcile.workflow_create``): what an earlier, cut-off create of this resource made is
        adopted (4.3), or deleted as a copy (5.1)."""
        spec = _spec(props)
        client = self.client(props.get(CONNECTION))
        if props.get(ADOPT_ID):
            return self._adopt(client, int(props[ADOPT_ID]), spec, props)
        workflow_id, node_ids = workflow_create.create(
            client, self.listings, spec, props.get(OWNER)
        )
        return CreateResult(str(workflow_id), _outputs(client, props, spec, workflow_id, node_ids))

    @override
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """The live workflow. A deleted one reads as disabled (PowerJob shows no status)."""
        client = self.client(props.get(CONNECTION))
        try:
            spec, node_ids = workflow.live(client, int(id_), _node_ids(props))
        except NotFoundError:
            return ReadResult(None, {})
        outs = _outputs(client, props, spec, int(id_), node_ids)
        inputs = {k: v for k, v in outs.items() if k not in OUTPUT_KEYS}
        return ReadResult(id_, outs, inputs)

    @override
    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        new = _spec(news)
        old = WorkflowSpec.model_validate(_spec_part(olds), context={"read": True})
        client = self.client(news.get(CONNECTION))
        node_ids = workflow.update(client, int(id_), old, new, _node_ids(olds))
        return UpdateResult(_outputs(client, news, new, int(id_), node_ids))

    @override
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        client = self.client(props.get(CONNECTION))
        workflow.delete(client, int(id_), enabled_before=bool(props.get("enabled")))

    # -- the core's entry points, kept for callers of the provider ---------------------------

    def make(self, client: PowerJobClient, spec: WorkflowSpec) -> tuple[int, dict[str, int]]:
        """Create: one addWorkflowNode (every node), one saveWorkflow; the ids."""
        return workflow.make(client, spec)

    def converge(
        self, client: PowerJobClient, workflow_id: int, spec: WorkflowSpec
    ) -> dict[str, int]:
        """Bring a live workflow to ``spec`` with the fewest calls (none if it matches)."""
        return workflow.converge(client, workflow_id, spec)

    def _adopt(
        self, client: PowerJobClient, workflow_id: int, spec: WorkflowSpec, props: dict[str, Any]
    ) -> CreateResult:
        node_ids = workflow.adopt(client, workflow_id, spec)
        return CreateResult(str(workflow_id), _outputs(client, props, spec, workflow_id, node_ids))


def _spec_part(props: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k in WorkflowSpec.model_fields}


def _spec(props: Mapping[str, Any]) -> WorkflowSpec:
    return WorkflowSpec.model_validate(_spec_part(props))


def _node_ids(props: Mapping[str, Any]) -> dict[str, int]:
    return {str(k): int(v) for k, v in (props.get(NODE_IDS) or {}).items()}


def _outputs(
    client: PowerJobClient,
    props: Mapping[str, Any],
    spec: WorkflowSpec,
    workflow_id: int,
    node_ids: Mapping[str, int],
) -> dict[str, Any]:
    return {
        **spec.model_dump(mode="json"),
        CONNECTION: props.get(CONNECTION) or connection.DEFAULT,
        ADOPT_ID: props.get(ADOPT_ID),
        **owned_by(props),
        "workflow_id": workflow_id,
        "app_id": client.app_id,
        NODE_IDS: {n.name: node_ids[n.name] for n in spec.nodes},
        "console_url": workflow.console_url(client, workflow_id),
    }
