"""What a workflow mutation whose answer was lost did, learnt without sending it again.

The OpenAPI cannot list workflows, so a lost ``saveWorkflow`` create is looked up in the web
console's ``/workflow/list`` (4.3 needs no login for it; 5.1's console needs one, so there the
error says what to look for). The mark of ownership is exact: the nodes ``addWorkflowNode`` made
for this create a moment before belong to no other workflow. The same listing leaves deleted
workflows out, which settles a lost ``deleteWorkflow`` that a read of the workflow cannot.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from pulumi_powerjob.client.client import PowerJobClient
from pulumi_powerjob.client.console import ConsoleClient
from pulumi_powerjob.errors import NotFoundError, OutcomeUnknownError
from pulumi_powerjob.models import WorkflowInfoVO
from pulumi_powerjob.providers.reconcile import RECONCILE_WINDOW, find_created, settle
from pulumi_powerjob.providers.workflow_spec import WorkflowSpec


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
    ours = set(node_ids.values())
    where = f"workflow {spec.wf_name!r} (nodes {sorted(ours)})"
    if not can_list(client):
        raise OutcomeUnknownError(
            "saveWorkflow",
            f"answer lost; {where} may have been created, and this server's OpenAPI cannot "
            "list workflows to find out; if the console shows it, delete it there before "
            "running up again",
        ) from lost
    with ConsoleClient(client.settings) as console:
        return find_created(
            lambda: [
                w.id
                for w in console.list_workflows(client.app_id, name=spec.wf_name)
                if _made_by_us(w, ours, sent_at)
            ],
            client.settings,
            lost,
            advice=f"{where} may have been created; if the console shows it, delete it there first",
            several=lambda ids: (
                f"answer lost and workflows {ids} match; adopt the right one with "
                "adopt_id and delete the others"
            ),
            none=(
                f"answer lost and no workflow was created; the nodes {sorted(ours)} are "
                "unattached, which the server purges after a day; run up again"
            ),
        )


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
