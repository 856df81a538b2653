"""A ``Workflow`` create that is safe to send again after the engine died mid-create.

What an earlier, cut-off create of the same resource made is found (``workflow_claim``): on
4.3 before creating, and adopted; on 5.1, which lists no workflows, after creating, in the ids
just below the new workflow, and deleted, the new one kept.
"""

from __future__ import annotations

import logging
from typing import Any

from pulumi_powerjob.client.client import PowerJobClient
from pulumi_powerjob.errors import PowerJobError
from pulumi_powerjob.reconcile import workflow, workflow_claim
from pulumi_powerjob.reconcile.listing import Listings
from pulumi_powerjob.reconcile.workflow_spec import WorkflowSpec

log = logging.getLogger(__name__)


def create(
    client: PowerJobClient, listings: Listings, spec: WorkflowSpec, owner: Any
) -> tuple[int, dict[str, int]]:
    """The workflow id and node ids of this resource's workflow, made or adopted."""
    earlier = workflow_claim.earlier_create(client, listings, spec, owner)
    if earlier is not None:
        log.info("adopting workflow %s, made by an earlier create of this resource", earlier)
        return earlier, workflow.adopt(client, earlier, spec)
    workflow_id, node_ids = workflow.make(client, spec)
    for copy in workflow_claim.copies_below(client, listings, spec, owner, workflow_id):
        _delete_copy(client, copy, workflow_id)
    return workflow_id, node_ids


def _delete_copy(client: PowerJobClient, copy: int, kept: int) -> None:
    """Delete a copy an earlier, cut-off create left (5.1); a failure is only a warning."""
    log.warning("deleting workflow %s, a copy an earlier, cut-off create left; keeping %s",
                copy, kept)  # fmt: skip
    try:
        client.delete_workflow(copy)
    except PowerJobError as exc:  # the new workflow exists: the create must still record it
        log.warning("workflow %s, a copy, may still be live (%s); delete it by hand", copy, exc)
