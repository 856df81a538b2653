"""The program of the engine-death fault table: one kind of resource, declared from
``decl.json`` beside it, so that a test changes the declaration between runs as a new commit
would, while the CLI runs the program as users run theirs."""

PROGRAM = """\
import json
import pathlib

from pulumi_powerjob import (
    App, AppArgs, AppJobs, AppJobsArgs, AppWorkflowArgs, Job, JobArgs, Workflow, WorkflowArgs,
)

d = json.loads(pathlib.Path("decl.json").read_text())
prefix = d["prefix"]


def job_args(name, kind="CRON"):
    return JobArgs(
        job_name=name,
        processor_info="demo.Processor",
        time_expression_type=kind,
        time_expression="0 0 4 * * ?" if kind == "CRON" else None,
        concurrency=d["concurrency"],
    )


if d["kind"] == "Job":
    for i in range(d["jobs"]):
        Job(f"job-{i}", job_args(f"{prefix}-{i}"))
elif d["kind"] == "Workflow":
    first = Job("first", job_args(f"{prefix}-first", "WORKFLOW"))
    then = Job("then", job_args(f"{prefix}-then", "WORKFLOW"))
    Workflow("flow", WorkflowArgs(
        wf_name=f"{prefix}-flow",
        time_expression_type="API",
        max_wf_instance_num=d["max"],
        nodes=[{"name": "first", "job_id": first.job_id}, {"name": "then", "job_id": then.job_id}],
        edges=[{"from_node": "first", "to_node": "then"}],
    ))
elif d["kind"] == "App":
    App("app", AppArgs(app_name=f"{prefix}-app", password=d["password"], delete_on_destroy=True))
elif d["kind"] == "AppJobs":
    AppJobs(prefix, AppJobsArgs(
        connection="default",
        jobs={
            "extract": job_args(f"{prefix}-extract", "WORKFLOW"),
            "load": job_args(f"{prefix}-load", "WORKFLOW"),
            "report": job_args(f"{prefix}-report"),
        },
        workflows={"etl": AppWorkflowArgs(
            wf_name=f"{prefix}-etl",
            nodes=[{"job": "extract"}, {"job": "load"}],
            edges=[("extract", "load")],
            max_wf_instance_num=d["max"],
        )},
    ))
"""
