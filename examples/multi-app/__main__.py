"""Two apps in one stack, each from a compact declaration, each through its own connection.

pulumi config set --path 'powerjob:connections.orders.address' http://pj-eu:7700
pulumi config set --path 'powerjob:connections.orders.appName' orders
pulumi config set --secret --path 'powerjob:connections.orders.password' ...
(the same for ``billing``; the two may live on different servers)
"""

from __future__ import annotations

import pulumi

from pulumi_powerjob import AppJobs, AppJobsArgs, AppWorkflowArgs, JobArgs

PROCESSOR = "tech.powerjob.samples.processors.StandaloneProcessorDemo"


def step(description: str) -> JobArgs:
    """A job run only by a workflow."""
    return JobArgs(
        processor_info=PROCESSOR, time_expression_type="WORKFLOW", job_description=description
    )


orders = AppJobs(
    "orders",
    AppJobsArgs(
        connection="orders",
        jobs={"collect": step("Collect the day's orders"), "ship": step("Hand orders to carriers")},
        workflows={
            "fulfilment": AppWorkflowArgs(
                nodes=[{"job": "collect"}, {"job": "ship"}],
                edges=[("collect", "ship")],
                time_expression_type="CRON",
                time_expression="0 30 1 * * ?",
            )
        },
    ),
)

billing = AppJobs(
    "billing",
    AppJobsArgs(
        connection="billing",
        jobs={
            "invoice": JobArgs(
                processor_info=PROCESSOR,
                time_expression_type="CRON",
                time_expression="0 0 4 * * ?",
                job_description="Send yesterday's invoices",
            )
        },
    ),
)

pulumi.export("orders_job_ids", orders.job_ids)
pulumi.export("orders_workflow_ids", orders.workflow_ids)
pulumi.export("billing_job_ids", billing.job_ids)
