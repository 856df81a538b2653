"""Instances through the client against the real server: run, inspect, retry, refusals.
With no worker online, an instance ends FAILED at once ("no worker available")."""

from __future__ import annotations

import pytest

from pulumi_powerjob.client import PowerJobClient
from pulumi_powerjob.errors import ApiError
from pulumi_powerjob.models import InstanceStatus, SaveJobInfoRequest
from tests.support import PowerJobApp, RecordingProxy, wait_until

pytestmark = pytest.mark.integration


def test_run_inspect_and_retry_an_instance_each_once(
    powerjob_app: PowerJobApp, recording_proxy: RecordingProxy
) -> None:
    settings = powerjob_app.settings().model_copy(update={"addresses": (recording_proxy.address,)})
    with PowerJobClient(settings) as client:
        job_id = client.save_job(
            SaveJobInfoRequest.model_validate(
                {
                    "job_name": "instances",
                    "time_expression_type": "API",
                    "execute_type": "STANDALONE",
                    "processor_type": "BUILT_IN",
                    "processor_info": "demo.Processor",
                }
            )
        )
        instance_id = client.run_job(job_id, instance_params="p=1")
        assert instance_id > 2**53  # snowflake ids: exact, not floats
        wait_until(
            lambda: client.fetch_instance_status(instance_id) == InstanceStatus.FAILED,
            timeout_s=180,  # a guard: the server's dispatch runs late on a loaded machine
            interval_s=0.5,
            what="the instance to fail for want of a worker",
        )
        info = client.fetch_instance_info(instance_id)
        assert info.instance_id == instance_id and info.job_id == job_id
        assert info.instance_params == "p=1"
        with pytest.raises(ApiError, match="finished"):
            client.stop_instance(instance_id)
        client.retry_instance(instance_id)
        client.delete_job(job_id)
    assert recording_proxy.mutations() == {
        "/openApi/saveJob": 1,
        "/openApi/runJob": 1,
        "/openApi/stopInstance": 1,
        "/openApi/retryInstance": 1,
        "/openApi/deleteJob": 1,
    }
