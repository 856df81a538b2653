"""The workflow an earlier, cut-off create of a ``Workflow`` made, found before creating again.

When the engine is killed with a workflow create in flight, the next ``up`` creates it again
and the provider is not told (``ownership``). A workflow has no free column for a mark (the
OpenAPI's ``SaveWorkflowRequest`` has no ``extra``), so it is known by what it runs: a live
workflow of the declared name in the app is this resource's when

- the jobs its nodes run are exactly the jobs the declaration's nodes run (the same ids, as
  a multiset): the create was cut off and is now sent with the same declaration; or
- every job its nodes run carries the ownership mark of this stack: the declaration changed
  since, but only this stack's ``Job`` resources make such jobs.

Workflows can be listed without a login only on 4.3 (the console's ``/workflow/list``); the
5.1 OpenAPI lists none, so there nothing is found and the create is sent (README, Known limits).
"""

from __future__ import annotations

from typing import Any

from pulumi_powerjob.client.client import PowerJobClient
from pulumi_powerjob.client.console import ConsoleClient
from pulumi_powerjob.errors import CopiesFoundError, NotFoundError
from pulumi_powerjob.models import WorkflowInfoVO
from pulumi_powerjob.reconcile import ownership
from pulumi_powerjob.reconcile.listing import Listings
from pulumi_powerjob.reconcile.workflow_lookup import can_list
from pulumi_powerjob.reconcile.workflow_spec import WorkflowSpec


def earlier_create(
    client: PowerJobClient, listings: Listings, spec: WorkflowSpec, owner: Any
) -> int | None:
    """The id of the live workflow an earlier create of this resource made, else ``None``.

    Several such workflows raise ``CopiesFoundError``: nothing is guessed.
    """
    if not can_list(client):
        return None
    with ConsoleClient(client.settings) as console:
        listed = console.list_workflows(client.app_id, name=spec.wf_name)
    declared = _jobs_of_spec(spec)
    stack = ownership.stack_of(owner)
    ours = []
    for row in listed:
        try:
            jobs = _jobs_of(client.fetch_workflow(row.id))
        except NotFoundError:
            continue
        if jobs == declared or (stack is not None and _all_of_stack(client, listings, jobs, stack)):
            ours.append(row.id)
    if len(ours) > 1:
        raise CopiesFoundError(f"workflow {spec.wf_name!r}", sorted(ours))
    return ours[0] if ours else None


def _jobs_of_spec(spec: WorkflowSpec) -> list[int]:
    return sorted(n.job_id for n in spec.nodes if n.job_id is not None)


def _jobs_of(workflow: WorkflowInfoVO) -> list[int]:
    nodes = workflow.dag.nodes if workflow.dag else []
    return sorted(n.job_id for n in nodes if n.job_id is not None)


def _all_of_stack(client: PowerJobClient, listings: Listings, jobs: list[int], stack: str) -> bool:
    marks = listings.marks(client)
    return bool(jobs) and all(ownership.stack_in(marks.get(job)) == stack for job in jobs)
