"""A varied estate built with the client, for the import and doctor tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from pydantic import SecretStr

from pulumi_powerjob.client import PowerJobClient
from pulumi_powerjob.local import LocalServer
from pulumi_powerjob.reconcile.job_mapping import spec_to_request
from pulumi_powerjob.reconcile.job_spec import JobSpec
from pulumi_powerjob.reconcile.workflow_mapping import node_request, workflow_request
from pulumi_powerjob.reconcile.workflow_spec import WorkflowSpec
from pulumi_powerjob.settings import ConnectionSettings
from tests.support import PowerJobApp

DAILY = (
    '{"interval":"5","startTimeOfDay":"09:00:00","endTimeOfDay":"17:00:00",'
    '"intervalUnit":"MINUTES","daysOfWeek":[1,2,3,4,5]}'
)
# Every time-expression type, names that need quoting, a repeated name, a keyword, a disabled job.
JOBS: dict[str, dict[str, Any]] = {
    "quoted": {
        "job_name": 'it\'s "quoted"',
        "time_expression_type": "CRON",
        "time_expression": "0 0 2 * * ?",
    },
    "backslash": {"job_name": "back\\slash\\n", "time_expression_type": "API"},
    "unicode": {
        "job_name": "ünïcödé 日本 🚀",
        "time_expression_type": "FIXED_RATE",
        "time_expression": "30000",
    },
    "dup_a": {"job_name": "dup", "time_expression_type": "FIXED_DELAY", "time_expression": "15000"},
    "dup_b": {"job_name": "dup", "time_expression_type": "API", "enabled": False},
    "keyword": {"job_name": "class", "time_expression_type": "WORKFLOW"},
    "daily": {
        "job_name": "2 nightly",
        "time_expression_type": "DAILY_TIME_INTERVAL",
        "time_expression": DAILY,
    },
    "rich": {
        "job_name": "rich",
        "time_expression_type": "API",
        "job_description": "with many non-default fields",
        "job_params": '{"k": "v"}',
        "concurrency": 9,
        "instance_retry_num": 2,
        "min_cpu_cores": 0.5,
        "tag": "team-a",
        "notify_user_ids": [1, 2],
        "lifecycle": {"end": 4_102_444_800_000},
        "alarm_config": {"alert_threshold": 3, "statistic_window_len": 60, "silence_window_len": 5},
        "log_config": {"type": "LOCAL", "level": "WARN"},
    },
}


@dataclass(frozen=True)
class Estate:
    app: PowerJobApp
    job_ids: dict[str, int]
    deleted_id: int
    workflow_id: int


def fresh_app(server: LocalServer) -> PowerJobApp:
    """An app of its own: an import reads every job of the app."""
    name, password = f"e-{uuid.uuid4().hex[:8]}", f"pw-{uuid.uuid4().hex[:12]}"
    return PowerJobApp(server.address, name, password, server.create_app(name, password))


def client_for_app(app: PowerJobApp, address: str | None = None) -> PowerJobClient:
    settings = ConnectionSettings(
        addresses=(address or app.address,),
        app_name=app.app_name,
        password=SecretStr(app.password),
    )
    return PowerJobClient(settings)


def save(client: PowerJobClient, key: str, fields: dict[str, Any]) -> int:
    spec = JobSpec.model_validate({"processor_info": f"demo.{key.title()}", **fields})
    return client.save_job(spec_to_request(spec, client.app_id))


def build_estate(server: LocalServer) -> Estate:
    app = fresh_app(server)
    with client_for_app(app) as client:
        ids = {key: save(client, key, fields) for key, fields in JOBS.items()}
        deleted = save(client, "gone", {"job_name": "gone", "time_expression_type": "API"})
        client.delete_job(deleted)
        spec = WorkflowSpec.model_validate(
            {
                "wf_name": "etl 'wf' \\ ✓",
                "nodes": [
                    {"name": "first", "job_id": ids["keyword"], "params": "p1"},
                    {"name": "second", "job_id": ids["keyword"], "skip_when_failed": True},
                ],
                "edges": [{"from_node": "first", "to_node": "second"}],
            }
        )
        rows = client.add_workflow_node([node_request(n, client.app_id) for n in spec.nodes])
        node_ids = {n.name: r.id for n, r in zip(spec.nodes, rows, strict=True)}
        workflow_id = client.save_workflow(workflow_request(spec, client.app_id, node_ids))
    return Estate(app, ids, deleted, workflow_id)
