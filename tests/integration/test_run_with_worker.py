"""Running jobs from scripts, against the real server and a real worker (tests/support/worker.py).

The CLI runs as a user runs it, in a subprocess with the ``POWERJOB_*`` environment, through a
recording proxy that counts what reaches the server: one ``runJob`` (or ``runWorkflow``) per
invocation, whatever happens to the instance. The test's own calls (stopping an instance) go
around the proxy.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import Iterator

import pytest

from pulumi_powerjob import (
    ConnectionSettings,
    InstanceInfoDTO,
    InstanceStatus,
    PowerJobClient,
    SaveJobInfoRequest,
    TimeExpressionType,
    WorkflowEdgeSpec,
    WorkflowInstanceInfoDTO,
    WorkflowInstanceStatus,
    WorkflowNodeSpec,
    WorkflowSpec,
    save_workflow_with_nodes,
    wait_for_instance,
    wait_for_workflow_instance,
)
from pulumi_powerjob.client.waiting import INSTANCE_FINAL
from tests.support import PowerJobApp, RecordingProxy, wait_until
from tests.support.worker import ECHO, FAIL, HOLD

pytestmark = pytest.mark.integration

RUN_JOB = Counter({"/openApi/runJob": 1})
STARTED = re.compile(r"^(?:workflow )?instance (\d+) started", re.M)
# the order an instance goes through; it may skip any of them between two reads
ORDER = [
    InstanceStatus.WAITING_DISPATCH,
    InstanceStatus.WAITING_WORKER_RECEIVE,
    InstanceStatus.RUNNING,
    InstanceStatus.STOPPED,
]


@pytest.fixture(scope="module")
def worker_client(worker_app: PowerJobApp) -> Iterator[PowerJobClient]:
    """A client of the worker's app straight to the server (not counted by the proxy)."""
    with PowerJobClient(worker_app.settings()) as client:
        yield client


@pytest.fixture(scope="module")
def jobs(worker_client: PowerJobClient) -> Iterator[dict[str, int]]:
    """An API-triggered job per test processor, by processor class; deleted afterwards."""
    made = {
        processor: worker_client.save_job(
            SaveJobInfoRequest(
                job_name=f"run-{processor.rsplit('.', 1)[-1]}-{uuid.uuid4().hex[:6]}",
                processor_info=processor,
                time_expression_type=TimeExpressionType.API,
            )
        )
        for processor in (ECHO, FAIL, HOLD)
    }
    yield made
    for job_id in made.values():
        worker_client.delete_job(job_id)


def cli_env(app: PowerJobApp, proxy: RecordingProxy) -> dict[str, str]:
    return {
        **os.environ,
        "POWERJOB_ADDRESS": proxy.address,
        "POWERJOB_APP_NAME": app.app_name,
        "POWERJOB_PASSWORD": app.password,
    }


def cli(app: PowerJobApp, proxy: RecordingProxy, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m pulumi_powerjob <args>`` as a user's script runs it."""
    return subprocess.run(
        [sys.executable, "-m", "pulumi_powerjob", *args],
        env=cli_env(app, proxy),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,  # a hang guard only; the CLI's own --timeout is what is tested
    )


# A shell starts a background job with SIGINT ignored, and exec keeps that: the CLI must still
# end on SIGINT (#21: a suite run from such a job saw the CLI ignore it and poll on).
AS_A_BACKGROUND_JOB = [
    "-c",
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_IGN); "
    "os.execv(sys.executable, [sys.executable, '-m', 'pulumi_powerjob', *sys.argv[1:]])",
]


def started(
    app: PowerJobApp, proxy: RecordingProxy, *args: str, sigint_ignored: bool = False
) -> tuple[subprocess.Popen[str], int]:
    """The CLI in the background, once it has said which instance it waits for."""
    launcher = AS_A_BACKGROUND_JOB if sigint_ignored else ["-m", "pulumi_powerjob"]
    process = subprocess.Popen(
        [sys.executable, *launcher, *args],
        env=cli_env(app, proxy),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    for line in process.stderr:
        found = STARTED.match(line)
        if found:
            return process, int(found.group(1))
    process.wait()
    pytest.fail(f"the CLI ended ({process.returncode}) without starting an instance")


def status_of(client: PowerJobClient, instance_id: int) -> InstanceStatus:
    return client.fetch_instance_info(instance_id).status


def test_run_and_wait_prints_the_echo_result_and_exits_0(
    worker_app: PowerJobApp, recording_proxy: RecordingProxy, jobs: dict[str, int]
) -> None:
    params = f"hello-{uuid.uuid4().hex[:8]}"
    done = cli(worker_app, recording_proxy, "run", str(jobs[ECHO]), "--params", params, "--wait")
    assert (done.returncode, done.stdout) == (0, params + "\n"), done.stderr
    assert recording_proxy.mutations() == RUN_JOB


def test_params_reach_the_processor_and_the_instance(
    worker_app: PowerJobApp,
    recording_proxy: RecordingProxy,
    jobs: dict[str, int],
    worker_client: PowerJobClient,
) -> None:
    params = '{"region": "eu", "n": 3}'
    done = cli(worker_app, recording_proxy, "run", str(jobs[ECHO]), "--params", params, "--wait")
    assert done.returncode == 0, done.stderr
    found = STARTED.search(done.stderr)
    assert found, done.stderr
    info = worker_client.fetch_instance_info(int(found.group(1)))
    assert (info.instance_params, info.result, done.stdout) == (params, params, params + "\n")


def test_a_failing_processor_exits_3_with_its_message(
    worker_app: PowerJobApp, recording_proxy: RecordingProxy, jobs: dict[str, int]
) -> None:
    done = cli(worker_app, recording_proxy, "run", str(jobs[FAIL]), "--params", "x1", "--wait")
    assert done.returncode == 3, done.stderr
    assert done.stdout == "failed on purpose: x1\n"
    assert "ended FAILED" in done.stderr
    assert recording_proxy.mutations() == RUN_JOB


def test_timeout_exits_5_and_the_instance_keeps_running(
    worker_app: PowerJobApp,
    recording_proxy: RecordingProxy,
    jobs: dict[str, int],
    worker_client: PowerJobClient,
) -> None:
    args = ("run", str(jobs[HOLD]), "--wait", "--timeout", "1", "--interval", "0.2")
    done = cli(worker_app, recording_proxy, *args)
    assert done.returncode == 5, done.stderr
    found = STARTED.search(done.stderr)
    assert found, done.stderr
    instance_id = int(found.group(1))
    assert f"instance {instance_id} not finished after 1 s" in done.stderr
    assert "keeps running on the server" in done.stderr
    assert done.stdout == ""
    assert status_of(worker_client, instance_id) not in INSTANCE_FINAL
    worker_client.stop_instance(instance_id)
    assert status_of(worker_client, instance_id) == InstanceStatus.STOPPED
    assert recording_proxy.mutations() == RUN_JOB


def test_an_instance_stopped_while_waited_for_exits_4(
    worker_app: PowerJobApp,
    recording_proxy: RecordingProxy,
    jobs: dict[str, int],
    worker_client: PowerJobClient,
) -> None:
    process, instance_id = started(
        worker_app, recording_proxy, "run", str(jobs[HOLD]), "--wait", "--interval", "0.2"
    )
    wait_until(
        lambda: status_of(worker_client, instance_id) == InstanceStatus.RUNNING,
        timeout_s=60,
        interval_s=0.2,
        what="the Hold processor to run on the worker",
    )
    worker_client.stop_instance(instance_id)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 4, err
    assert out == "stopped by user\n"  # the server's result text for a stopped instance
    assert "ended STOPPED" in err
    assert recording_proxy.mutations() == RUN_JOB


@pytest.mark.parametrize("sigint_ignored", [False, True], ids=["terminal", "background-job"])
def test_ctrl_c_exits_130_and_names_the_instance_that_keeps_running(
    worker_app: PowerJobApp,
    recording_proxy: RecordingProxy,
    jobs: dict[str, int],
    worker_client: PowerJobClient,
    sigint_ignored: bool,
) -> None:
    process, instance_id = started(
        worker_app,
        recording_proxy,
        *("run", str(jobs[HOLD]), "--wait", "--interval", "0.2"),
        sigint_ignored=sigint_ignored,
    )
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=300)
    assert process.returncode == 130, err
    assert f"instance {instance_id} keeps running on the server" in err
    assert status_of(worker_client, instance_id) not in INSTANCE_FINAL
    worker_client.stop_instance(instance_id)
    assert recording_proxy.mutations() == RUN_JOB


def test_without_wait_it_prints_the_instance_id_and_exits_0(
    worker_app: PowerJobApp,
    recording_proxy: RecordingProxy,
    jobs: dict[str, int],
    worker_client: PowerJobClient,
) -> None:
    done = cli(worker_app, recording_proxy, "run", str(jobs[ECHO]), "--params", "no-wait")
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(r"\d+\n", done.stdout), done.stdout
    info = wait_for_instance(worker_client, int(done.stdout), timeout=120, interval=0.2)
    assert (info.job_id, info.status, info.result) == (
        jobs[ECHO],
        InstanceStatus.SUCCEED,
        "no-wait",
    )
    assert recording_proxy.mutations() == RUN_JOB


def test_a_delayed_run_waits_for_the_delay(
    worker_app: PowerJobApp,
    recording_proxy: RecordingProxy,
    jobs: dict[str, int],
    worker_client: PowerJobClient,
) -> None:
    done = cli(worker_app, recording_proxy, "run", str(jobs[ECHO]), "--delay", "2")
    assert done.returncode == 0, done.stderr
    (sent,) = [r for r in recording_proxy.records if r.path == "/openApi/runJob"]
    assert sent.params()["delay"] == "2000"  # 2 (seconds) reached the server as ms, not 2 or 2e6
    final = wait_for_instance(worker_client, int(done.stdout), timeout=120, interval=0.2)
    assert final.status == InstanceStatus.SUCCEED
    assert recording_proxy.mutations() == RUN_JOB


def test_run_workflow_of_two_nodes_waits_and_exits_0(
    worker_app: PowerJobApp,
    recording_proxy: RecordingProxy,
    worker_client: PowerJobClient,
) -> None:
    suffix = uuid.uuid4().hex[:6]
    first, second = (
        worker_client.save_job(
            SaveJobInfoRequest(
                job_name=f"{name}-{suffix}",
                processor_info=ECHO,
                time_expression_type=TimeExpressionType.WORKFLOW,
            )
        )
        for name in ("first", "second")
    )
    spec = WorkflowSpec(
        wf_name=f"two-{suffix}",
        time_expression_type="API",
        nodes=[
            WorkflowNodeSpec(name="first", job_id=first),
            WorkflowNodeSpec(name="second", job_id=second),
        ],
        edges=[WorkflowEdgeSpec(from_node="first", to_node="second")],
    )
    saved = save_workflow_with_nodes(worker_client, spec)
    params = f"wf-{suffix}"
    args = ("run-workflow", str(saved.workflow_id), "--params", params, "--wait")
    done = cli(worker_app, recording_proxy, *args, "--interval", "0.2")
    assert done.returncode == 0, done.stderr
    assert params in done.stdout  # the last node's result: the workflow context it echoed
    found = STARTED.search(done.stderr)
    assert found and found.group(0).startswith("workflow instance"), done.stderr
    info = worker_client.fetch_wf_instance_info(int(found.group(1)))
    assert info.status == WorkflowInstanceStatus.SUCCEED
    assert recording_proxy.mutations() == Counter({"/openApi/runWorkflow": 1})
    worker_client.delete_workflow(saved.workflow_id)
    for job_id in (first, second):
        worker_client.delete_job(job_id)


def test_a_usage_error_exits_2_and_sends_nothing(
    worker_app: PowerJobApp, recording_proxy: RecordingProxy
) -> None:
    for args in (("run", "twelve", "--wait"), ("run", "12", "--timeout", "-1"), ("run",)):
        done = cli(worker_app, recording_proxy, *args)
        assert done.returncode == 2, (args, done.stderr)
        assert "usage:" in done.stderr
    assert recording_proxy.records == []


def test_wait_for_instance_reports_each_status_in_order_and_only_reads(
    worker_app: PowerJobApp,
    recording_proxy: RecordingProxy,
    jobs: dict[str, int],
    worker_client: PowerJobClient,
) -> None:
    settings = ConnectionSettings.resolve(
        {"addresses": recording_proxy.address, "app_name": worker_app.app_name},
        environ={"POWERJOB_PASSWORD": worker_app.password},
    )
    seen: list[InstanceStatus] = []

    def progress(info: InstanceInfoDTO | WorkflowInstanceInfoDTO) -> None:
        assert isinstance(info, InstanceInfoDTO)
        if info.status == InstanceStatus.RUNNING and InstanceStatus.RUNNING not in seen:
            worker_client.stop_instance(info.instance_id)  # the Hold would run ten minutes
        seen.append(info.status)

    with PowerJobClient(settings) as client:
        instance_id = client.run_job(jobs[HOLD])
        final = wait_for_instance(client, instance_id, timeout=120, interval=0.2, progress=progress)
    changes = [s for i, s in enumerate(seen) if i == 0 or seen[i - 1] != s]
    assert changes == sorted(changes, key=ORDER.index)
    assert changes[-2:] == [InstanceStatus.RUNNING, InstanceStatus.STOPPED]
    assert final.status == InstanceStatus.STOPPED and final.instance_id == instance_id
    assert recording_proxy.mutations() == RUN_JOB  # the stop went around the proxy
    assert recording_proxy.count("/openApi/fetchInstanceInfo") == len(seen)


def test_wait_for_workflow_instance_returns_the_finished_instance(
    worker_app: PowerJobApp, worker_client: PowerJobClient, jobs: dict[str, int]
) -> None:
    suffix = uuid.uuid4().hex[:6]
    node_job = worker_client.save_job(
        SaveJobInfoRequest(
            job_name=f"only-{suffix}",
            processor_info=FAIL,
            time_expression_type=TimeExpressionType.WORKFLOW,
        )
    )
    spec = WorkflowSpec(
        wf_name=f"one-{suffix}",
        time_expression_type="API",
        nodes=[WorkflowNodeSpec(name="only", job_id=node_job)],
    )
    saved = save_workflow_with_nodes(worker_client, spec)
    wf_instance_id = worker_client.run_workflow(saved.workflow_id)
    info = wait_for_workflow_instance(worker_client, wf_instance_id, timeout=120, interval=0.2)
    assert (info.wf_instance_id, info.status) == (wf_instance_id, WorkflowInstanceStatus.FAILED)
    worker_client.delete_workflow(saved.workflow_id)
    worker_client.delete_job(node_job)


def test_a_delayed_run_cancelled_while_waited_for_exits_4(
    worker_app: PowerJobApp,
    recording_proxy: RecordingProxy,
    jobs: dict[str, int],
    worker_client: PowerJobClient,
) -> None:
    args = ("run", str(jobs[ECHO]), "--delay", "120", "--wait", "--interval", "0.2")
    process, instance_id = started(worker_app, recording_proxy, *args)
    worker_client.cancel_instance(instance_id)  # still in the server's time wheel
    out, err = process.communicate(timeout=300)
    assert process.returncode == 4, err
    assert "ended CANCELED" in err
    assert status_of(worker_client, instance_id) == InstanceStatus.CANCELED
    assert recording_proxy.mutations() == RUN_JOB
