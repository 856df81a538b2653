"""``WorkflowProvider``: check, diff, create, read, update and delete of a PowerJob workflow.

Calls per declared change (the integration tests count them on the server):

=========================================================  ====================================
change                                                     calls
=========================================================  ====================================
create                                                     1 addWorkflowNode (all nodes)
                                                           + 1 saveWorkflow
name, description, schedule, enabled, max instances, ...   1 saveWorkflow
add nodes                                                  1 addWorkflowNode (new nodes only)
                                                           + 1 saveWorkflow
remove nodes, change edges                                 1 saveWorkflow (the server deletes
                                                           nodes left out of the DAG)
change a node (job, params, enabled, skip_when_failed)     1 addWorkflowNode (with its id)
reorder nodes or edges                                     none
delete                                                     1 deleteWorkflow
adopt (``adopt_id``) a workflow that already matches       none (one fetchWorkflow); else the
                                                           calls of the update from live to it
=========================================================  ====================================

A mutation whose answer was lost is never sent again; its outcome is looked up. A create whose
``saveWorkflow`` answer was lost is settled by its nodes (``workflow_lookup``): on 4.3 by the
console listing, on 5.1 by one more addWorkflowNode that writes the same rows with their ids
and answers the workflow holding them.

A create first looks for what an earlier, cut-off create of the same resource made
(``workflow_claim``): on 4.3 in the console listing, before creating; on 5.1, which lists no
workflows, by reading up to ``PROBE_DEPTH`` ids below the new one after creating, and deleting
a copy it finds (one more deleteWorkflow, only after an engine was killed mid-create).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar

from pulumi.dynamic import CheckFailure, CheckResult, CreateResult, ReadResult, UpdateResult
from pydantic import ValidationError
from typing_extensions import override

from pulumi_powerjob.client.client import PowerJobClient
from pulumi_powerjob.errors import (
    InputValidationError,
    NotFoundError,
    OutcomeUnknownError,
    PowerJobError,
    ResponseValidationError,
)
from pulumi_powerjob.models import WorkflowNodeInfo
from pulumi_powerjob.providers import connection, workflow_claim, workflow_lookup
from pulumi_powerjob.providers.adopt import ADOPT_ID, check_adopt_id
from pulumi_powerjob.providers.base import (
    CONNECTION,
    PROVIDER_KEY,
    PowerJobProvider,
    failures_of,
)
from pulumi_powerjob.providers.ownership import OWNER, owned_by
from pulumi_powerjob.providers.partial import judge_known_part
from pulumi_powerjob.providers.reconcile import AGAIN_WITH_REFRESH, not_landed, settle
from pulumi_powerjob.providers.unknowns import is_marker, is_unknown
from pulumi_powerjob.providers.workflow_mapping import (
    Plan,
    node_request,
    plan_update,
    vo_to_spec,
    workflow_request,
)
from pulumi_powerjob.providers.workflow_spec import (
    WorkflowEdgeSpec,
    WorkflowNodeSpec,
    WorkflowSpec,
    edge_view,
    node_view,
)
from pulumi_powerjob.validation import dag

log = logging.getLogger(__name__)

NODE_IDS = "node_ids"
OUTPUT_KEYS = ("workflow_id", "app_id", NODE_IDS, "console_url")
_GRAPH = ("nodes", "edges")
_READ = {"read": True}  # parse only: the per-type rules are the spec's to report
_STAND_INS: dict[str, Any] = {
    "wf_name": "unknown",
    "time_expression_type": "API",
    "nodes": [{"name": "unknown", "job_id": 1}],
    "edges": [],
}


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
        unknown = frozenset(k for k, v in values.items() if _wholly_unknown(k, v))
        extras = {k: values.pop(k) for k in self.extra_inputs if k in values}
        if extras.get(CONNECTION) in (None, ""):
            extras[CONNECTION] = connection.DEFAULT
        known = {k: v for k, v in values.items() if k not in unknown}
        known.update({k: v for k, v in _STAND_INS.items() if k in unknown})
        failures = [
            failure
            for k in sorted(unknown - set(_GRAPH))
            if k in values and not is_marker(values[k])
            for failure in judge_known_part(WorkflowSpec, k, values[k])
        ]
        spec = None
        try:
            context = {"unknown": unknown, "dag_checked": True}
            spec = WorkflowSpec.model_validate(known, context=context)
        except ValidationError as exc:
            failures += failures_of(exc, unknown)
        if not any(is_marker(values.get(k)) for k in _GRAPH):  # an unknown node: the rest
            problems = dag.problems(*_lenient_view(values.get("nodes"), values.get("edges")))
            failures += [CheckFailure(p.field, p.message) for p in problems]
        if spec is None or failures:
            return {**values, **extras}, failures
        canonical = spec.model_dump(mode="json")
        canonical.update({k: values[k] for k in unknown if k in values})
        return {**canonical, **extras}, []

    # -- lifecycle, in engine order ---------------------------------------------------------

    @override
    def create(self, props: dict[str, Any]) -> CreateResult:
        """One addWorkflowNode (every node, unattached) and one saveWorkflow that attaches them.

        Neither is sent again when its answer is lost. Nodes of a lost addWorkflowNode stay
        unattached and the server purges them after a day. A lost saveWorkflow is settled by
        its nodes (``workflow_lookup``): the workflow holding them is the created one; if none
        holds them, none was created, and the error says so.
        """
        spec = _spec(props)
        client = self.client(props.get(CONNECTION))
        if props.get(ADOPT_ID):
            return self._adopt(client, int(props[ADOPT_ID]), spec, props)
        earlier = workflow_claim.earlier_create(client, self.listings, spec, props.get(OWNER))
        if earlier is not None:
            log.info("adopting workflow %s, made by an earlier create of this resource", earlier)
            return self._adopt(client, earlier, spec, props)
        workflow_id, node_ids = self.make(client, spec)
        for copy in workflow_claim.copies_below(
            client, self.listings, spec, props.get(OWNER), workflow_id
        ):
            _delete_copy(client, copy, workflow_id)
        return CreateResult(str(workflow_id), _outputs(client, props, spec, workflow_id, node_ids))

    @override
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """The live workflow. A deleted one reads as disabled (PowerJob shows no status)."""
        client = self.client(props.get(CONNECTION))
        try:
            spec, node_ids = _live(client, int(id_), props.get(NODE_IDS))
        except NotFoundError:
            return ReadResult(None, {})
        outs = _outputs(client, props, spec, int(id_), node_ids)
        inputs = {k: v for k, v in outs.items() if k not in OUTPUT_KEYS}
        return ReadResult(id_, outs, inputs)

    @override
    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        new = _spec(news)
        old = WorkflowSpec.model_validate(_spec_part(olds), context={"read": True})
        node_ids = {str(k): int(v) for k, v in (olds.get(NODE_IDS) or {}).items()}
        plan = plan_update(old, new, node_ids)
        log.debug("update workflow %s: %s", id_, plan)
        client = self.client(news.get(CONNECTION))
        workflow_id = int(id_)
        node_ids = self._write_nodes(client, workflow_id, new, node_ids, plan)
        if plan.save_workflow:
            self._save(client, workflow_id, new, node_ids)
        return UpdateResult(_outputs(client, news, new, workflow_id, node_ids))

    @override
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        client = self.client(props.get(CONNECTION))
        try:
            client.delete_workflow(int(id_))
        except NotFoundError:
            log.debug("workflow %s was already gone", id_)
        except OutcomeUnknownError as lost:
            enabled_before = bool(props.get("enabled"))
            if not workflow_lookup.delete_landed(client, int(id_), enabled_before, lost):
                raise OutcomeUnknownError(
                    "deleteWorkflow",
                    f"{lost.came_back}, and the workflow is still listed or, disabled, reads the "
                    "same deleted or not; run destroy again (deleting twice is harmless)",
                    came_back=lost.came_back,
                ) from lost

    # -- helpers ---------------------------------------------------------------------------

    def _adopt(
        self, client: PowerJobClient, workflow_id: int, spec: WorkflowSpec, props: dict[str, Any]
    ) -> CreateResult:
        """Take over an existing workflow: no mutation when it matches, else the update's calls.

        Nodes are matched by name as a read names them (``vo_to_spec``), so an imported
        program adopts its nodes instead of making new ones.
        """
        try:
            live = _live(client, workflow_id, None)
        except NotFoundError:
            raise InputValidationError(
                ADOPT_ID, f"workflow {workflow_id} does not exist in this app"
            ) from None
        node_ids = self._converge(client, workflow_id, spec, live)
        outs = _outputs(client, props, spec, workflow_id, node_ids)
        return CreateResult(str(workflow_id), outs)

    def make(self, client: PowerJobClient, spec: WorkflowSpec) -> tuple[int, dict[str, int]]:
        """Create: one addWorkflowNode (every node), one saveWorkflow; the ids.

        Neither is sent again when its answer is lost (see ``create``).
        """
        app_id = client.app_id
        try:
            rows = client.add_workflow_node([node_request(n, app_id) for n in spec.nodes])
        except OutcomeUnknownError as lost:
            raise OutcomeUnknownError(
                "addWorkflowNode",
                f"{lost.came_back}; no workflow was made, and any nodes it made are unattached "
                "(they never run, and the server purges them after a day); run up again",
                came_back=lost.came_back,
            ) from lost
        node_ids = _ids_of(spec.nodes, rows)
        sent_at = datetime.now(UTC)
        try:
            workflow_id = client.save_workflow(workflow_request(spec, app_id, node_ids))
        except OutcomeUnknownError as lost:
            workflow_id = workflow_lookup.find_lost_create(client, spec, node_ids, sent_at, lost)
            log.debug("lost saveWorkflow answer reconciled to workflow %s", workflow_id)
        return workflow_id, node_ids

    def converge(
        self, client: PowerJobClient, workflow_id: int, spec: WorkflowSpec
    ) -> dict[str, int]:
        """Bring a live workflow to ``spec`` with the fewest calls (none if it matches).

        Raises ``NotFoundError`` when the workflow does not exist.
        """
        return self._converge(client, workflow_id, spec, _live(client, workflow_id, None))

    def _converge(
        self,
        client: PowerJobClient,
        workflow_id: int,
        spec: WorkflowSpec,
        live: tuple[WorkflowSpec, dict[str, int]],
    ) -> dict[str, int]:
        current, node_ids = live
        plan = plan_update(current, spec, node_ids)
        log.debug("converge workflow %s: %s", workflow_id, plan)
        node_ids = self._write_nodes(client, workflow_id, spec, node_ids, plan)
        if plan.save_workflow:
            self._save(client, workflow_id, spec, node_ids)
        return node_ids

    def _write_nodes(
        self,
        client: PowerJobClient,
        workflow_id: int,
        spec: WorkflowSpec,
        node_ids: dict[str, int],
        plan: Plan,
    ) -> dict[str, int]:
        """One addWorkflowNode for the new and the changed nodes; the ids, new ones added."""
        if not plan.node_writes:
            return node_ids
        by_name = {n.name: n for n in spec.nodes}
        app_id = client.app_id
        requests = [node_request(by_name[name], app_id, i) for name, i in plan.node_writes]
        try:
            rows = client.add_workflow_node(requests)
        except OutcomeUnknownError as lost:
            if plan.new_nodes:
                raise OutcomeUnknownError(
                    "addWorkflowNode",
                    f"{lost.came_back} while adding nodes {list(plan.new_nodes)}; the workflow "
                    "is unchanged, and nodes it may have made are unattached (they never run, "
                    "and the server purges them after a day); run up again",
                    came_back=lost.came_back,
                ) from lost
            live, live_ids = _settled_live(client, workflow_id, node_ids, lost)
            written = {name for name, _ in plan.node_writes}
            landed = all(
                n in live.nodes and live_ids.get(n.name) == node_ids[n.name]
                for n in spec.nodes
                if n.name in written
            )
            if not landed:
                raise not_landed(lost, f"the nodes of workflow {workflow_id} unchanged") from lost
            log.debug("lost addWorkflowNode answer for workflow %s: it had landed", workflow_id)
            return node_ids
        written_ids = _ids_of([by_name[name] for name, _ in plan.node_writes], rows)
        return {**node_ids, **written_ids}

    def _save(
        self, client: PowerJobClient, workflow_id: int, spec: WorkflowSpec, node_ids: dict[str, int]
    ) -> None:
        request = workflow_request(spec, client.app_id, node_ids, workflow_id)
        try:
            client.save_workflow(request)
        except OutcomeUnknownError as lost:
            live, live_ids = _settled_live(client, workflow_id, node_ids, lost)
            wanted = {n.name: node_ids[n.name] for n in spec.nodes}
            if live != spec or live_ids != wanted:
                raise not_landed(lost, f"workflow {workflow_id} still as it was") from lost
            log.debug("lost saveWorkflow answer for workflow %s: it had landed", workflow_id)


def _delete_copy(client: PowerJobClient, copy: int, kept: int) -> None:
    """Delete a copy an earlier, cut-off create left (5.1); a failure is only a warning."""
    log.warning("deleting workflow %s, a copy an earlier, cut-off create left; keeping %s",
                copy, kept)  # fmt: skip
    try:
        client.delete_workflow(copy)
    except PowerJobError as exc:  # the new workflow exists: the create must still record it
        log.warning("workflow %s, a copy, may still be live (%s); delete it by hand", copy, exc)


def _wholly_unknown(key: str, value: Any) -> bool:
    """Unknown as a whole; a list of node or edge objects is judged item by item instead."""
    if key in _GRAPH and isinstance(value, list):
        return not all(isinstance(item, Mapping) for item in value) and is_unknown(value)
    return is_unknown(value)


def _lenient_view(nodes: Any, edges: Any) -> tuple[list[dag.Node], list[dag.Edge]]:
    """The DAG as far as it can be read from raw inputs; what does not parse is unknown.

    The spec reports why a node or an edge does not parse; the DAG rules still judge the rest.
    """
    view_nodes: list[dag.Node] = []
    for raw in nodes if isinstance(nodes, list) else []:
        try:
            view_nodes.append(node_view(WorkflowNodeSpec.model_validate(raw, context=_READ)))
        except ValidationError:
            view_nodes.append(dag.Node(_raw_name(raw, "name"), dag.UNKNOWN))
    view_edges: list[dag.Edge] = []
    for raw in edges if isinstance(edges, list) else []:
        try:
            view_edges.append(edge_view(WorkflowEdgeSpec.model_validate(raw)))
        except ValidationError:
            ends = _raw_name(raw, "from_node"), _raw_name(raw, "to_node")
            view_edges.append(dag.Edge(*ends, dag.UNKNOWN))
    return view_nodes, view_edges


def _raw_name(raw: Any, key: str) -> str | dag.Unknown:
    value = raw.get(key) if isinstance(raw, Mapping) else None
    return value if isinstance(value, str) and value and not is_unknown(value) else dag.UNKNOWN


def _spec_part(props: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k in WorkflowSpec.model_fields}


def _spec(props: Mapping[str, Any]) -> WorkflowSpec:
    return WorkflowSpec.model_validate(_spec_part(props))


def _ids_of(nodes: Sequence[WorkflowNodeSpec], rows: Sequence[WorkflowNodeInfo]) -> dict[str, int]:
    """Node ids by name: the server answers in request order."""
    if len(rows) != len(nodes):
        raise ResponseValidationError(
            "addWorkflowNode", f"{len(rows)} node rows for {len(nodes)} nodes sent"
        )
    return {node.name: row.id for node, row in zip(nodes, rows, strict=True)}


def _live(
    client: PowerJobClient, workflow_id: int, known_ids: Mapping[str, Any] | None
) -> tuple[WorkflowSpec, dict[str, int]]:
    workflow = client.fetch_workflow(workflow_id)
    ids = {str(k): int(v) for k, v in (known_ids or {}).items()}
    try:
        return vo_to_spec(workflow, ids)
    except ValidationError as exc:
        rules = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:5])
        raise ResponseValidationError("fetchWorkflow", rules) from None


def _settled_live(
    client: PowerJobClient, workflow_id: int, node_ids: Mapping[str, int], lost: OutcomeUnknownError
) -> tuple[WorkflowSpec, dict[str, int]]:
    """``_live``, asked again while the server cannot answer (after a lost mutation)."""
    return settle(
        lambda: _live(client, workflow_id, node_ids),
        client.settings,
        lost,
        advice=AGAIN_WITH_REFRESH,
    )


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
        "console_url": f"{client.settings.addresses[0]}/#/oms/workflow?workflowId={workflow_id}",
    }
