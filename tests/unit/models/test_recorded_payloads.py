"""Contract tests: every payload recorded from the real 4.3.9 server fits its wire model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from pulumi_powerjob.models import (
    Envelope,
    InstanceInfoDTO,
    JobInfoDTO,
    SaveJobInfoRequest,
    WorkflowInfoVO,
    WorkflowNodeInfo,
)

FIXTURES = Path(__file__).parents[2] / "fixtures" / "powerjob-4.3.9"
DATA_TYPE: dict[str, Any] = {
    "fetchJob": JobInfoDTO,
    "fetchAllJob": list[JobInfoDTO],
    "queryJob": list[JobInfoDTO],
    "exportJob": SaveJobInfoRequest,
    "fetchWorkflow": WorkflowInfoVO,
    "addWorkflowNode": list[WorkflowNodeInfo],
    "fetchInstanceInfo": InstanceInfoDTO,
    "fetchInstanceStatus": int,
    "saveJob": int,
    "saveWorkflow": int,
    "runJob": int,
    "assert": int,
}
RECORDED = sorted(FIXTURES.glob("*.json"))


def test_fixtures_were_recorded() -> None:
    assert len(RECORDED) >= 30


@pytest.mark.parametrize("path", RECORDED, ids=[p.stem for p in RECORDED])
def test_recorded_answer_fits_its_model(path: Path) -> None:
    exchange = json.loads(path.read_text())
    endpoint = exchange["request"]["path"].rsplit("/", 1)[-1]
    body = exchange["response"]
    envelope = Envelope[Any].model_validate(body)
    if not envelope.success:
        assert envelope.message, "a refusal carries the server's message"
        return
    data_type = DATA_TYPE.get(endpoint, object)
    TypeAdapter(data_type).validate_python(body["data"])


def test_dto_maps_wire_shapes_back() -> None:
    body = json.loads((FIXTURES / "fetchJob-full.json").read_text())["response"]["data"]
    job = JobInfoDTO.model_validate(body)
    assert job.notify_user_ids == [1, 2]  # comma string on the wire
    assert job.lifecycle is not None and job.lifecycle.end == 1827014400000  # JSON string
    assert job.gmt_create is not None and job.gmt_create.tzinfo is not None
    assert job.dispatch_strategy is not None and job.dispatch_strategy.name == "SPECIFY"


def test_workflow_dag_key_is_peworkflowdag() -> None:
    body = json.loads((FIXTURES / "fetchWorkflow.json").read_text())["response"]["data"]
    assert "peworkflowDAG" in body
    workflow = WorkflowInfoVO.model_validate(body)
    assert workflow.dag is not None and workflow.dag.nodes


def test_requests_carry_enum_names_not_codes() -> None:
    request = SaveJobInfoRequest.model_validate(
        {
            "job_name": "n",
            "app_id": 1,
            "time_expression_type": 2,
            "execute_type": "STANDALONE",
            "processor_type": "BUILT_IN",
            "processor_info": "p",
            "dispatch_strategy": 11,
        }
    )
    wire = request.model_dump(mode="json", by_alias=True, exclude_none=True)
    assert wire["timeExpressionType"] == "CRON"
    assert wire["dispatchStrategy"] == "SPECIFY"


def test_an_unknown_optional_code_does_not_break_a_listing() -> None:
    body = json.loads((FIXTURES / "fetchJob-full.json").read_text())["response"]["data"]
    body["logConfig"] = {"type": 5, "level": 77, "loggerName": "x"}
    job = JobInfoDTO.model_validate(body)
    assert job.log_config is not None and job.log_config.type is None
