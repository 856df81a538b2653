"""``import --pulumi-import-file``: the file ``pulumi import --file`` takes, for an app's live
jobs and the named workflows, adopted through the provider plugin (any language).

Each entry is ``{"type", "name", "id"}``: a Job by its job id, a Workflow by its workflow id.
Names are the ones the Python program of ``import`` uses, so both faces name alike.
"""

from __future__ import annotations

import json
from typing import Any

from pulumi_powerjob.estate.importer import Estate
from pulumi_powerjob.estate.naming import Namer

JOB_TYPE = "powerjob:index:Job"
WORKFLOW_TYPE = "powerjob:index:Workflow"


def import_file(estate: Estate) -> dict[str, Any]:
    """The bulk import document for ``estate``: jobs first, then workflows (nodes name jobs)."""
    namer = Namer()
    resources = [
        _entry(JOB_TYPE, namer.name(job.job_name, job.id, "job"), job.id) for job in estate.jobs
    ]
    resources += [
        _entry(WORKFLOW_TYPE, namer.name(wf.wf_name, wf.id, "workflow"), wf.id)
        for wf in estate.workflows
    ]
    return {"resources": resources}


def render_import_file(estate: Estate) -> str:
    return json.dumps(import_file(estate), indent=2) + "\n"


def _entry(token: str, name: str, object_id: int) -> dict[str, str]:
    return {"type": token, "name": name, "id": str(object_id)}


__all__ = ["JOB_TYPE", "WORKFLOW_TYPE", "import_file", "render_import_file"]
