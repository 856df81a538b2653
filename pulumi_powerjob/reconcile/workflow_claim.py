"""The workflow an earlier, cut-off create of a ``Workflow`` made, found before creating again.

When the engine is killed with a workflow create in flight, the next ``up`` creates it again
and the provider is not told (``ownership``). A workflow has no free column for a mark (the
OpenAPI's ``SaveWorkflowRequest`` has no ``extra``), so it is known by what it runs: a live
workflow of the declared name in the app is this resource's when

- the jobs its nodes run are exactly the jobs the declaration's nodes run (the same ids, as
  a multiset): the create was cut off and is now sent with the same declaration; or
- every job its nodes run carries the ownership mark of this stack: the declaration changed
  since, but only this stack's ``Job`` resources make such jobs.

Workflows can be listed without a login only on 4.3 (the console's ``/workflow/list``): there
the earlier workflow is found before creating, and adopted. The 5.1 OpenAPI lists none, so there
the create is sent, and then the ids just below the new one are read (``copies_below``): workflow
ids come from a database counter, so what a cut-off create of the same resource made a moment or
a retry earlier sits there. An enabled workflow of the declared name whose nodes run only jobs
marked by this stack is such a copy, and the create deletes it: the new one, which holds this
create's nodes, is kept. A deleted workflow reads as disabled on 5.1, and a disabled copy never
runs, so neither is touched. A workflow of the name over jobs without this stack's mark is only
named, in a warning: it may be a person's or another stack's.
"""

from __future__ import annotations

import logging
from typing import Any

from pulumi_powerjob.client.client import PowerJobClient
from pulumi_powerjob.client.console import ConsoleClient
from pulumi_powerjob.errors import ApiError, CopiesFoundError, NotFoundError, PowerJobError
from pulumi_powerjob.models import WorkflowInfoVO
from pulumi_powerjob.reconcile import ownership
from pulumi_powerjob.reconcile.listing import Listings
from pulumi_powerjob.reconcile.workflow_lookup import can_list
from pulumi_powerjob.reconcile.workflow_spec import WorkflowSpec

PROBE_DEPTH = 16
"""How many ids below a new 5.1 workflow are read for a copy a cut-off create left."""

log = logging.getLogger(__name__)


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


def copies_below(
    client: PowerJobClient, listings: Listings, spec: WorkflowSpec, owner: Any, created: int
) -> list[int]:
    """5.1: the ids, below the workflow ``created`` just made, of copies an earlier create left.

    Empty where workflows can be listed (``earlier_create`` ran before the create) and for a
    resource without a mark. Never raises: the new workflow is made, and a failed read only
    ends the search, with a warning.
    """
    stack = ownership.stack_of(owner)
    if can_list(client) or stack is None:
        return []
    copies = []
    for workflow_id in range(created - 1, max(0, created - 1 - PROBE_DEPTH), -1):
        try:
            workflow = client.fetch_workflow(workflow_id)
        except (NotFoundError, ApiError):  # no such id, or another app's workflow
            continue
        except PowerJobError as exc:
            log.warning("looking for copies of workflow %s stopped at id %s: %s",
                        spec.wf_name, workflow_id, exc)  # fmt: skip
            break
        if workflow.wf_name != spec.wf_name or not workflow.enable:
            continue
        if _all_of_stack(client, listings, _jobs_of(workflow), stack):
            copies.append(workflow_id)
        else:
            log.warning("workflow %s (%r) has this name and is not known to be this resource's; "
                        "delete it if it is a copy", workflow_id, spec.wf_name)  # fmt: skip
    return copies


def _jobs_of_spec(spec: WorkflowSpec) -> list[int]:
    return sorted(n.job_id for n in spec.nodes if n.job_id is not None)


def _jobs_of(workflow: WorkflowInfoVO) -> list[int]:
    nodes = workflow.dag.nodes if workflow.dag else []
    return sorted(n.job_id for n in nodes if n.job_id is not None)


def _all_of_stack(client: PowerJobClient, listings: Listings, jobs: list[int], stack: str) -> bool:
    marks = listings.marks(client)
    return bool(jobs) and all(ownership.stack_in(marks.get(job)) == stack for job in jobs)
