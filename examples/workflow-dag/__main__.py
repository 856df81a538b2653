"""A nightly ETL workflow: extract, then two transforms side by side, then load.

    extract --+--> transform-eu --+--> load
              +--> transform-us --+

Three jobs; the transform job runs twice, once per region, through the node params.
"""

from __future__ import annotations

import pulumi

from pulumi_powerjob import Job, JobArgs, Workflow, WorkflowArgs

PROCESSOR = "tech.powerjob.samples.processors.StandaloneProcessorDemo"

extract, transform, load = (
    Job(
        f"etl-{step}",
        JobArgs(
            processor_info=PROCESSOR,
            time_expression_type="WORKFLOW",  # run by the workflow only
            job_description=f"ETL step: {step}",
        ),
    )
    for step in ("extract", "transform", "load")
)

etl = Workflow(
    "nightly-etl",
    WorkflowArgs(
        wf_description="Extract, transform per region, load",
        time_expression_type="CRON",
        time_expression="0 0 2 * * ?",
        nodes=[
            {"name": "extract", "job_id": extract.job_id},
            {"name": "transform-eu", "job_id": transform.job_id, "params": '{"region": "eu"}'},
            {"name": "transform-us", "job_id": transform.job_id, "params": '{"region": "us"}'},
            {"name": "load", "job_id": load.job_id, "skip_when_failed": False},
        ],
        edges=[
            {"from_node": "extract", "to_node": "transform-eu"},
            {"from_node": "extract", "to_node": "transform-us"},
            {"from_node": "transform-eu", "to_node": "load"},
            {"from_node": "transform-us", "to_node": "load"},
        ],
    ),
)

pulumi.export("workflow_id", etl.workflow_id)
pulumi.export("node_ids", etl.node_ids)
pulumi.export("console_url", etl.console_url)
