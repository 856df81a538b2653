"""Property names: camelCase for the engine, snake_case for the providers; map keys are data."""

from __future__ import annotations

from pulumi_powerjob.plugin.names import path_to_state, to_spec, to_state
from pulumi_powerjob.plugin.resources import BY_TOKEN

JOB = BY_TOKEN["powerjob:index:Job"].shape
WORKFLOW = BY_TOKEN["powerjob:index:Workflow"].shape
JOB_SET = BY_TOKEN["powerjob:index:JobSet"].shape


def test_nested_fields_are_renamed_both_ways() -> None:
    state = {
        "jobName": "a",
        "timeExpressionType": "CRON",
        "logConfig": {"loggerName": "x", "type": "ONLINE"},
        "alarmConfig": {"alertThreshold": 1, "statisticWindowLen": 2, "silenceWindowLen": 3},
        "jobId": 7,
        "adoptId": None,
    }
    spec = to_spec(state, JOB)
    assert spec["log_config"] == {"logger_name": "x", "type": "ONLINE"}
    assert spec["alarm_config"]["statistic_window_len"] == 2
    assert {"job_name", "time_expression_type", "job_id", "adopt_id"} <= set(spec)
    assert to_state(spec, JOB) == state


def test_list_items_and_map_values_are_renamed_but_map_keys_are_kept() -> None:
    workflow = {
        "nodes": [{"name": "first_step", "jobId": 1, "skipWhenFailed": True}],
        "edges": [{"fromNode": "a_b", "toNode": "c_d"}],
        "nodeIds": {"first_step": 11},
    }
    spec = to_spec(workflow, WORKFLOW)
    assert spec["nodes"] == [{"name": "first_step", "job_id": 1, "skip_when_failed": True}]
    assert spec["edges"] == [{"from_node": "a_b", "to_node": "c_d"}]
    assert spec["node_ids"] == {"first_step": 11}
    assert to_state(spec, WORKFLOW) == workflow

    jobs = {"jobs": {"nightly_report": {"processorInfo": "p"}}, "jobIds": {"nightly_report": 3}}
    assert to_spec(jobs, JOB_SET) == {
        "jobs": {"nightly_report": {"processor_info": "p"}},
        "job_ids": {"nightly_report": 3},
    }


def test_an_unknown_key_is_renamed_by_rule_so_check_can_name_it() -> None:
    assert to_spec({"jobNmae": "x"}, JOB) == {"job_nmae": "x"}
    assert path_to_state("job_nmae") == "jobNmae"
    assert path_to_state("log_config.logger_name") == "logConfig.loggerName"
