"""What a workflow mutation whose answer was lost did, learnt without sending it again.

A lost ``saveWorkflow`` create is settled by the nodes ``addWorkflowNode`` made for it a moment
before: they were created unattached, the save attaches them, and the server refuses a node
that another workflow holds, so at most one workflow can ever hold them. Where workflows can be
listed without a login (4.3: the console's ``/workflow/list``) the workflow holding exactly our
nodes is looked up there. Elsewhere (5.1: the OpenAPI cannot list, the console needs a login)
the node rows are written again, unchanged, with their ids: ``addWorkflowNode`` with ids is
idempotent and answers each row with its ``workflowId``, null while unattached. They are
written once, ``readTimeout`` after the save was given up: if the server writes whole rows, a
row written again while a save still running attaches it may be written back unattached.

The 4.3 listing leaves deleted workflows out, which settles a lost ``deleteWorkflow`` that a
read of the workflow cannot.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from pulumi_powerjob.client.client import PowerJobClient
from pulumi_powerjob.client.console import ConsoleClient
from pulumi_powerjob.errors import NotFoundError, OutcomeUnknownError
from pulumi_powerjob.models import WorkflowInfoVO
from pulumi_powerjob.reconcile.settle import RECONCILE_WINDOW, find_created, settle
from pulumi_powerjob.reconcile.workflow_mapping import node_request
from pulumi_powerjob.reconcile.workflow_spec import WorkflowSpec


def can_list(client: PowerJobClient) -> bool:
    """Whether workflows can be listed without a console login (a 4.3 server)."""
    return client.server_line == "4.3"


def find_lost_create(
    client: PowerJobClient,
    spec: WorkflowSpec,
    node_ids: Mapping[str, int],
    sent_at: datetime,
    lost: OutcomeUnknownError,
) -> int:
    """The id of the workflow a lost ``saveWorkflow`` made; raises if it made none."""
    ours = sorted(set(node_ids.values()))
    where = f"workflow {spec.wf_name!r} (nodes {ours})"
    if can_list(client):
        console = ConsoleClient(client.settings)
        search = _listed(client, console, spec, set(ours), sent_at)
        looked, writes = "the console listing shows", False
    else:
        console = None
        search = _holders(client, spec, node_ids)
        looked, writes = "the node rows show", True
    try:
        return find_created(
            search,
            client.settings,
            lost,
            advice=(
                f"{where} may have been created; if the console shows a workflow holding "
                "those nodes, adopt it with adopt_id before running up again"
            ),
            several=lambda ids: (
                f"{lost.came_back}, and workflows {ids} hold nodes {ours}; adopt the right one "
                "with adopt_id and delete the others"
            ),
            none=(
                f"{lost.came_back}, and {looked} that no workflow holds nodes {ours}, so no "
                "workflow was created; the nodes are unattached (they never run, and the "
                "server purges them after a day); run up again"
            ),
            writes=writes,
        )
    finally:
        if console is not None:
            console.close()


def _listed(
    client: PowerJobClient,
    console: ConsoleClient,
    spec: WorkflowSpec,
    ours: set[int],
    sent_at: datetime,
) -> Callable[[], list[int]]:
    """The listed workflows of ``spec``'s name that hold exactly our nodes (4.3)."""
    return lambda: [
        w.id
        for w in console.list_workflows(client.app_id, name=spec.wf_name)
        if _made_by_us(w, ours, sent_at)
    ]


def _holders(
    client: PowerJobClient, spec: WorkflowSpec, node_ids: Mapping[str, int]
) -> Callable[[], list[int]]:
    """The workflows holding our nodes, from the node rows written again unchanged (5.1)."""
    rows = [node_request(n, client.app_id, node_ids[n.name]) for n in spec.nodes]

    def search() -> list[int]:
        answered = client.add_workflow_node(rows)
        return sorted({r.workflow_id for r in answered if r.workflow_id is not None})

    return search


def _made_by_us(workflow: WorkflowInfoVO, ours: set[int], sent_at: datetime) -> bool:
    attached = {n.node_id for n in workflow.dag.nodes} if workflow.dag else set()
    if ours:
        return attached == ours
    created = workflow.gmt_create
    return not attached and created is not None and created >= sent_at - RECONCILE_WINDOW


def delete_landed(
    client: PowerJobClient, workflow_id: int, enabled_before: bool, lost: OutcomeUnknownError
) -> bool:
    """Whether a ``deleteWorkflow`` whose answer was lost deleted the workflow."""
    advice = "run destroy again once the server answers (deleting twice is harmless)"
    if can_list(client):
        with ConsoleClient(client.settings) as console:
            rows = settle(
                lambda: console.list_workflows(client.app_id, workflow_id=workflow_id),
                client.settings,
                lost,
                advice=advice,
            )
        return not any(w.id == workflow_id for w in rows)
    try:
        live = settle(
            lambda: client.fetch_workflow(workflow_id), client.settings, lost, advice=advice
        )
    except NotFoundError:
        return True
    # a deleted workflow reads as disabled: only a workflow enabled before tells
    return enabled_before and not live.enable
