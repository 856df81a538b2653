"""A workflow brought to its declaration: the calls, each sent at most once, and what a lost
answer did, settled by reads.

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
and answers the workflow holding them. A create sent again after the engine died mid-create:
``workflow_create``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from pydantic import ValidationError

from pulumi_powerjob.client.client import PowerJobClient, SavedWorkflow
from pulumi_powerjob.errors import (
    InputValidationError,
    NotFoundError,
    OutcomeUnknownError,
    ResponseValidationError,
)
from pulumi_powerjob.models import WorkflowNodeInfo
from pulumi_powerjob.reconcile import workflow_lookup
from pulumi_powerjob.reconcile.keys import ADOPT_ID
from pulumi_powerjob.reconcile.settle import AGAIN_WITH_REFRESH, not_landed, settle
from pulumi_powerjob.reconcile.workflow_mapping import (
    Plan,
    node_request,
    plan_update,
    vo_to_spec,
    workflow_request,
)
from pulumi_powerjob.reconcile.workflow_spec import WorkflowNodeSpec, WorkflowSpec

log = logging.getLogger(__name__)

Live = tuple[WorkflowSpec, dict[str, int]]
"""A workflow as read from the server: its spec and its nodes' ids by name."""


def save_workflow_with_nodes(
    client: PowerJobClient, spec: WorkflowSpec, workflow_id: int | None = None
) -> SavedWorkflow:
    """Create (no ``workflow_id``) or update a workflow with its nodes and DAG.

    The same calls the ``Workflow`` resource makes. Create: one ``addWorkflowNode`` (all
    nodes) and one ``saveWorkflow``. Update: a read, then only the node rows that changed
    and a ``saveWorkflow`` only if the workflow changed; nothing when it matches. Nodes
    are matched by name. A lost answer is settled by reads and never resent; when reads
    cannot settle it, ``OutcomeUnknownError``. An unknown ``workflow_id``: ``NotFoundError``.
    """
    with client.context():
        if workflow_id is None:
            workflow_id, node_ids = make(client, spec)
        else:
            node_ids = converge(client, workflow_id, spec)
    return SavedWorkflow(workflow_id, {n.name: node_ids[n.name] for n in spec.nodes})


def make(client: PowerJobClient, spec: WorkflowSpec) -> tuple[int, dict[str, int]]:
    """Create: one addWorkflowNode (every node, unattached), one saveWorkflow; the ids.

    Neither is sent again when its answer is lost. Nodes of a lost addWorkflowNode stay
    unattached and the server purges them after a day. A lost saveWorkflow is settled by
    its nodes (``workflow_lookup``): the workflow holding them is the created one; if none
    holds them, none was created, and the error says so.
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
    node_ids = ids_of(spec.nodes, rows)
    sent_at = datetime.now(UTC)
    try:
        workflow_id = client.save_workflow(workflow_request(spec, app_id, node_ids))
    except OutcomeUnknownError as lost:
        workflow_id = workflow_lookup.find_lost_create(client, spec, node_ids, sent_at, lost)
        log.debug("lost saveWorkflow answer reconciled to workflow %s", workflow_id)
    return workflow_id, node_ids


def adopt(client: PowerJobClient, workflow_id: int, spec: WorkflowSpec) -> dict[str, int]:
    """Take over an existing workflow: no mutation when it matches, else the update's calls.

    Nodes are matched by name as a read names them (``vo_to_spec``), so an imported
    program adopts its nodes instead of making new ones.
    """
    try:
        current = live(client, workflow_id, None)
    except NotFoundError:
        raise InputValidationError(
            ADOPT_ID, f"workflow {workflow_id} does not exist in this app"
        ) from None
    return converge_from(client, workflow_id, spec, current)


def converge(client: PowerJobClient, workflow_id: int, spec: WorkflowSpec) -> dict[str, int]:
    """Bring a live workflow to ``spec`` with the fewest calls (none if it matches).

    Raises ``NotFoundError`` when the workflow does not exist.
    """
    return converge_from(client, workflow_id, spec, live(client, workflow_id, None))


def converge_from(
    client: PowerJobClient, workflow_id: int, spec: WorkflowSpec, current: Live
) -> dict[str, int]:
    """``converge`` from a workflow already read."""
    spec_now, node_ids = current
    plan = plan_update(spec_now, spec, node_ids)
    log.debug("converge workflow %s: %s", workflow_id, plan)
    return apply(client, workflow_id, spec, node_ids, plan)


def update(
    client: PowerJobClient,
    workflow_id: int,
    old: WorkflowSpec,
    new: WorkflowSpec,
    node_ids: dict[str, int],
) -> dict[str, int]:
    """From the state's ``old`` (with its ``node_ids``) to ``new``; the nodes' ids."""
    plan = plan_update(old, new, node_ids)
    log.debug("update workflow %s: %s", workflow_id, plan)
    return apply(client, workflow_id, new, node_ids, plan)


def apply(
    client: PowerJobClient,
    workflow_id: int,
    spec: WorkflowSpec,
    node_ids: dict[str, int],
    plan: Plan,
) -> dict[str, int]:
    """Send ``plan``'s calls: the node rows it writes, then a saveWorkflow if it needs one."""
    node_ids = write_nodes(client, workflow_id, spec, node_ids, plan)
    if plan.save_workflow:
        save(client, workflow_id, spec, node_ids)
    return node_ids


def write_nodes(
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
        now, live_ids = settled_live(client, workflow_id, node_ids, lost)
        written = {name for name, _ in plan.node_writes}
        landed = all(
            n in now.nodes and live_ids.get(n.name) == node_ids[n.name]
            for n in spec.nodes
            if n.name in written
        )
        if not landed:
            raise not_landed(lost, f"the nodes of workflow {workflow_id} unchanged") from lost
        log.debug("lost addWorkflowNode answer for workflow %s: it had landed", workflow_id)
        return node_ids
    written_ids = ids_of([by_name[name] for name, _ in plan.node_writes], rows)
    return {**node_ids, **written_ids}


def save(
    client: PowerJobClient, workflow_id: int, spec: WorkflowSpec, node_ids: dict[str, int]
) -> None:
    """One saveWorkflow of an existing workflow; a lost answer is settled by a read."""
    request = workflow_request(spec, client.app_id, node_ids, workflow_id)
    try:
        client.save_workflow(request)
    except OutcomeUnknownError as lost:
        now, live_ids = settled_live(client, workflow_id, node_ids, lost)
        wanted = {n.name: node_ids[n.name] for n in spec.nodes}
        if now != spec or live_ids != wanted:
            raise not_landed(lost, f"workflow {workflow_id} still as it was") from lost
        log.debug("lost saveWorkflow answer for workflow %s: it had landed", workflow_id)


def delete(client: PowerJobClient, workflow_id: int, enabled_before: bool) -> None:
    """One deleteWorkflow; gone already is done; a lost answer is settled by reads."""
    try:
        client.delete_workflow(workflow_id)
    except NotFoundError:
        log.debug("workflow %s was already gone", workflow_id)
    except OutcomeUnknownError as lost:
        if not workflow_lookup.delete_landed(client, workflow_id, enabled_before, lost):
            raise OutcomeUnknownError(
                "deleteWorkflow",
                f"{lost.came_back}, and the workflow is still listed or, disabled, reads the "
                "same deleted or not; run destroy again (deleting twice is harmless)",
                came_back=lost.came_back,
            ) from lost


def ids_of(nodes: Sequence[WorkflowNodeSpec], rows: Sequence[WorkflowNodeInfo]) -> dict[str, int]:
    """Node ids by name: the server answers in request order."""
    if len(rows) != len(nodes):
        raise ResponseValidationError(
            "addWorkflowNode", f"{len(rows)} node rows for {len(nodes)} nodes sent"
        )
    return {node.name: row.id for node, row in zip(nodes, rows, strict=True)}


def live(client: PowerJobClient, workflow_id: int, known_ids: Mapping[str, int] | None) -> Live:
    """The workflow as the server has it (``NotFoundError`` when it has none)."""
    workflow = client.fetch_workflow(workflow_id)
    ids = {str(k): int(v) for k, v in (known_ids or {}).items()}
    try:
        return vo_to_spec(workflow, ids)
    except ValidationError as exc:
        rules = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:5])
        raise ResponseValidationError("fetchWorkflow", rules) from None


def settled_live(
    client: PowerJobClient, workflow_id: int, node_ids: Mapping[str, int], lost: OutcomeUnknownError
) -> Live:
    """``live``, asked again while the server cannot answer (after a lost mutation)."""
    return settle(
        lambda: live(client, workflow_id, node_ids),
        client.settings,
        lost,
        advice=AGAIN_WITH_REFRESH,
    )


def console_url(client: PowerJobClient, workflow_id: int) -> str:
    """The workflow's page in the server's console."""
    return f"{client.settings.addresses[0]}/#/oms/workflow?workflowId={workflow_id}"
