"""An address list: a dead first server is skipped only because nothing was sent to it."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from pulumi_powerjob.client import PowerJobClient
from pulumi_powerjob.local import free_ports
from pulumi_powerjob.models import SaveJobInfoRequest
from pulumi_powerjob.settings import ConnectionSettings
from tests.support import PowerJobApp, RecordingProxy

pytestmark = pytest.mark.integration


def test_fails_over_to_the_live_server_and_saves_once(
    powerjob_app: PowerJobApp, recording_proxy: RecordingProxy
) -> None:
    dead = f"http://127.0.0.1:{free_ports(1)[0]}"  # nothing listens there
    settings = ConnectionSettings(
        addresses=(dead, recording_proxy.address),
        app_name=powerjob_app.app_name,
        password=SecretStr(powerjob_app.password),
        connect_retries=0,
    )
    request = SaveJobInfoRequest.model_validate(
        {
            "job_name": "cluster",
            "time_expression_type": "API",
            "execute_type": "STANDALONE",
            "processor_type": "BUILT_IN",
            "processor_info": "demo.Processor",
        }
    )
    with PowerJobClient(settings) as client:
        job_id = client.save_job(request)
        assert client.fetch_job(job_id).job_name == "cluster"
        client.delete_job(job_id)
    assert recording_proxy.mutations() == {"/openApi/saveJob": 1, "/openApi/deleteJob": 1}
