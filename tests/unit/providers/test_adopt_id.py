"""``adopt_id`` as the engine sends it: every number is a float on the wire."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_powerjob.providers.job import JobProvider
from pulumi_powerjob.providers.workflow import WorkflowProvider

JOB = {"job_name": "j", "processor_info": "demo.P", "time_expression_type": "API"}
WORKFLOW = {"wf_name": "w", "nodes": [{"name": "a", "job_id": 1}]}
PROVIDERS = [(JobProvider, JOB), (WorkflowProvider, WORKFLOW)]


@pytest.mark.parametrize(("provider", "props"), PROVIDERS, ids=["job", "workflow"])
@pytest.mark.parametrize("sent", [12, 12.0, "12"])
def test_regress_9_adopt_id_from_the_engine_is_accepted(
    provider: Any, props: dict[str, Any], sent: Any
) -> None:
    result = provider().check({}, {**props, "adopt_id": sent})
    assert result.failures == []
    assert result.inputs["adopt_id"] == 12
    assert isinstance(result.inputs["adopt_id"], int)


@pytest.mark.parametrize(("provider", "props"), PROVIDERS, ids=["job", "workflow"])
@pytest.mark.parametrize("sent", [0, -3, 1.5, True, "x"])
def test_adopt_id_must_be_a_positive_whole_number(
    provider: Any, props: dict[str, Any], sent: Any
) -> None:
    result = provider().check({}, {**props, "adopt_id": sent})
    assert [f.property for f in result.failures] == ["adopt_id"]


@pytest.mark.parametrize(("provider", "props"), PROVIDERS, ids=["job", "workflow"])
def test_no_adopt_id_is_none(provider: Any, props: dict[str, Any]) -> None:
    result = provider().check({}, props)
    assert result.failures == []
    assert result.inputs["adopt_id"] is None
