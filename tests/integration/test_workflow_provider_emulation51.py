"""WorkflowProvider creates under lost answers against the PowerJob 5.1 *emulation* (issue 17).

On 5.1 the OpenAPI cannot list workflows and the console needs a login, so a lost
``saveWorkflow`` create is settled by its nodes: written again with their ids, each row answers
the workflow that holds it. Every create is then followed by a second one, as a second ``up``
after a failure would run it; the emulation's store must hold one workflow in the end.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config

from pulumi_powerjob.client import PowerJobClient
from pulumi_powerjob.errors import OutcomeUnknownError
from pulumi_powerjob.models import SaveJobInfoRequest
from pulumi_powerjob.providers.workflow import WorkflowProvider
from pulumi_powerjob.reconcile import ownership
from tests.support import Fault, RecordingProxy
from tests.support.emulated import emulated_app
from tests.support.emulation51 import PowerJob51Emulation

pytestmark = pytest.mark.integration
ADD, SAVE = "/openApi/addWorkflowNode", "/openApi/saveWorkflow"
LOST = (Fault.DROP_RESPONSE_AFTER_EXECUTE, Fault.RESET, Fault.DELAY)


@dataclasses.dataclass
class Served:
    """The emulation, the recording proxy in front of it, a provider and a job for nodes."""

    server: PowerJob51Emulation
    proxy: RecordingProxy
    provider: WorkflowProvider
    job_id: int

    def holding(self, wf_name: str) -> list[dict[str, Any]]:
        """The workflows of that name on the server, as /fetchWorkflow shows them."""
        return [w for w in self.server.workflows if w["wfName"] == wf_name]


@pytest.fixture
def served() -> Iterator[Served]:
    with emulated_app("wf51") as (server, app, proxy):
        with PowerJobClient(app.settings()) as direct:
            job_id = direct.save_job(
                SaveJobInfoRequest.model_validate(
                    {
                        "app_id": direct.app_id,
                        "job_name": "wf51-node-job",
                        "time_expression_type": "WORKFLOW",
                        "execute_type": "STANDALONE",
                        "processor_type": "BUILT_IN",
                        "processor_info": "demo.Processor",
                    }
                )
            )
        provider = WorkflowProvider()
        config = app.provider_config(proxy.address)
        provider.configure(ConfigureRequest(Config(config, "workflows")))
        yield Served(server, proxy, provider, job_id)


def declared(served: Served) -> dict[str, Any]:
    result = served.provider.check(
        {},
        {
            "wf_name": f"wf51-{uuid.uuid4().hex[:8]}",
            "nodes": [
                {"name": "a", "job_id": served.job_id},
                {"name": "b", "job_id": served.job_id},
            ],
            "edges": [{"from_node": "a", "to_node": "b"}],
        },
    )
    assert result.failures == []
    return result.inputs


def node_ids(workflow: dict[str, Any]) -> set[int]:
    return {n["nodeId"] for n in workflow["peworkflowDAG"]["nodes"]}


def test_the_session_speaks_5_1(served: Served) -> None:
    client = served.provider.client(None)
    assert client.server_line == "5.1"


@pytest.mark.parametrize("fault", LOST, ids=lambda f: f.name)
def test_regress_17_a_lost_save_answer_is_settled_by_the_node_rows(
    served: Served, fault: Fault
) -> None:
    inputs = declared(served)
    served.proxy.reset()
    served.proxy.inject(SAVE, fault)
    created = served.provider.create(inputs)
    assert served.server.executed(SAVE) == 1, "the save is never sent again"
    assert served.proxy.mutations() == {ADD: 2, SAVE: 1}, "nodes made, then written unchanged"
    [workflow] = served.holding(inputs["wf_name"])
    assert str(workflow["id"]) == created.id
    assert created.outs is not None
    assert node_ids(workflow) == set(created.outs["node_ids"].values())

    # the next up reads the workflow back and has nothing to do
    read = served.provider.read(created.id, dict(created.outs))
    assert read.outs is not None
    assert served.provider.diff(created.id, dict(read.outs), inputs).changes is False


def test_regress_17_a_save_refused_by_a_gateway_says_what_the_nodes_show(
    served: Served,
) -> None:
    inputs = declared(served)
    served.proxy.reset()
    served.proxy.inject(SAVE, Fault.BAD_GATEWAY_BEFORE_FORWARD)
    with pytest.raises(OutcomeUnknownError) as failed:
        served.provider.create(inputs)
    message = str(failed.value)
    assert message.startswith("saveWorkflow: HTTP 502, and the node rows show")
    assert "no workflow was created" in message
    assert "delete" not in message, "a workflow that cannot exist is not to be deleted"
    assert served.server.executed(SAVE) == 0
    assert served.server.executed(ADD) == 2, "made, then written again once"
    assert served.holding(inputs["wf_name"]) == []

    # the second up makes new nodes and one workflow
    again = served.provider.create(inputs)
    assert [w["id"] for w in served.holding(inputs["wf_name"])] == [int(again.id)]


@pytest.mark.parametrize(
    "fault", [Fault.DROP_RESPONSE_AFTER_EXECUTE, Fault.BAD_GATEWAY_BEFORE_FORWARD]
)
def test_regress_17_a_lost_node_answer_stops_before_any_workflow_and_up_makes_one(
    served: Served, fault: Fault
) -> None:
    inputs = declared(served)
    served.proxy.reset()
    served.proxy.inject(ADD, fault)
    with pytest.raises(OutcomeUnknownError, match="no workflow was made") as failed:
        served.provider.create(inputs)
    came_back = "HTTP 502" if fault is Fault.BAD_GATEWAY_BEFORE_FORWARD else "connection failed"
    assert str(failed.value).startswith(f"addWorkflowNode: {came_back}")
    assert served.server.executed(SAVE) == 0

    again = served.provider.create(inputs)
    assert [w["id"] for w in served.holding(inputs["wf_name"])] == [int(again.id)]
    made = 2 if fault is Fault.DROP_RESPONSE_AFTER_EXECUTE else 1
    assert (
        served.server.executed(ADD) == made
    ), "the known limit: a lost answer's nodes are made again"


def test_regress_17_an_update_refused_by_a_gateway_says_the_read_found_it_unchanged(
    served: Served,
) -> None:
    inputs = declared(served)
    created = served.provider.create(inputs)
    assert created.outs is not None
    served.proxy.reset()
    served.proxy.inject(SAVE, Fault.BAD_GATEWAY_BEFORE_FORWARD)
    with pytest.raises(OutcomeUnknownError) as failed:
        served.provider.update(
            created.id, dict(created.outs), {**inputs, "time_expression_type": "CRON",
                                             "time_expression": "0 0 5 * * ?"}
        )  # fmt: skip
    message = str(failed.value)
    assert message.startswith(
        f"saveWorkflow: HTTP 502, and a read shows workflow {created.id} still as it was"
    )
    assert "may have run" not in message


def _urn(stack: str, name: str, kind: str = "Workflow") -> str:
    return f"urn:pulumi:{stack}::death::pulumi-python:dynamic/powerjob:{kind}::{name}"


def _job(served: Served, extra: str | None) -> int:
    with PowerJobClient(served.provider.client(None).settings) as direct:
        return direct.save_job(
            SaveJobInfoRequest.model_validate(
                {
                    "app_id": direct.app_id,
                    "job_name": f"wf51-{uuid.uuid4().hex[:8]}",
                    "time_expression_type": "WORKFLOW",
                    "execute_type": "STANDALONE",
                    "processor_type": "BUILT_IN",
                    "processor_info": "demo.Processor",
                    "extra": extra,
                }
            )
        )


def _declared_over(served: Served, job_id: int, owner: str) -> dict[str, Any]:
    inputs = declared(served)
    inputs["nodes"] = [{**n, "job_id": job_id} for n in inputs["nodes"]]
    return {**inputs, "owner": owner}


def _live(served: Served, wf_name: str) -> int:
    return served.server.live_workflow_names().count(wf_name)


def test_a_create_sent_again_after_a_cut_deletes_the_copy_the_first_left(served: Served) -> None:
    """The engine was killed after saveWorkflow ran: the retry's create makes a second workflow,
    finds the first just below it (same name, enabled, nodes over this stack's jobs) and deletes
    it. One live workflow; the retry's mutations are its create and one delete."""
    job = _job(served, ownership.mark_of(_urn("ci", "report", "Job")))
    inputs = _declared_over(served, job, _urn("ci", "nightly"))
    first = served.provider.create(inputs)
    served.proxy.reset()
    second = served.provider.create(inputs)
    assert served.proxy.mutations() == {ADD: 1, SAVE: 1, "/openApi/deleteWorkflow": 1}
    assert _live(served, inputs["wf_name"]) == 1
    live = {w["id"] for w in served.holding(inputs["wf_name"]) if w["enable"]}
    assert live == {int(second.id)} and int(first.id) not in live

    # a third create (a replacement: the engine deleted the old one first) finds only deleted
    # workflows below, which read as disabled, and deletes nothing
    served.provider.delete(second.id, dict(second.outs or {}))
    served.proxy.reset()
    served.provider.create(inputs)
    assert served.proxy.mutations() == {ADD: 1, SAVE: 1}
    assert _live(served, inputs["wf_name"]) == 1


@pytest.mark.parametrize("whose", ["unmarked jobs", "another stack's jobs", "no owner"])
def test_a_workflow_of_the_name_that_is_not_this_stacks_is_never_deleted(
    served: Served, whose: str
) -> None:
    mark = {"unmarked jobs": None, "another stack's jobs": ownership.mark_of(_urn("prod", "j"))}
    job = _job(served, mark.get(whose, ownership.mark_of(_urn("ci", "j"))))
    inputs = _declared_over(served, job, _urn("ci", "nightly"))
    if whose == "no owner":
        del inputs["owner"]
    served.provider.create(inputs)
    served.proxy.reset()
    served.provider.create(inputs)
    assert served.proxy.mutations() == {ADD: 1, SAVE: 1}, "nothing deleted"
    assert _live(served, inputs["wf_name"]) == 2
