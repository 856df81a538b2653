"""Quickstart: two PowerJob jobs, one on a cron and one triggered through the API."""

import pulumi

from pulumi_powerjob import Job, JobArgs

report = Job(
    "nightly-report",
    JobArgs(
        processor_info="tech.powerjob.samples.processors.StandaloneProcessorDemo",
        time_expression_type="CRON",
        time_expression="0 30 2 * * ?",
        job_description="Builds the nightly report",
        job_params='{"format": "pdf"}',
        instance_retry_num=2,
    ),
)

on_demand = Job(
    "reindex-on-demand",
    JobArgs(
        processor_info="tech.powerjob.samples.processors.StandaloneProcessorDemo",
        time_expression_type="API",
        enabled=True,
    ),
)

pulumi.export("nightly_report_job_id", report.job_id)
pulumi.export("nightly_report_url", report.console_url)  # next_trigger_time comes with refresh
pulumi.export("reindex_job_id", on_demand.job_id)
