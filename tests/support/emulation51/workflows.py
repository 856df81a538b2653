"""Workflow endpoints of the PowerJob 5.1 *emulation* (`WorkflowService`).

Nodes are created unattached by /addWorkflowNode; /saveWorkflow attaches the DAG's nodes and
physically deletes the workflow's nodes left out of it. A failed create still uses up its id
(the row was flushed before the DAG check and rolled back), as H2 identity columns do.
"""

from __future__ import annotations

import json
from typing import Any

from .binding import Body, Request
from .jobs import DELETED, DISABLE, ENABLE, LIFECYCLE_TYPE
from .nodes import DECISION_NODE, NESTED_NODE, QUOTE
from .store import Ctx, Row, Store
from .timing import FREQUENT_TYPES, TIME_EXPRESSION_TYPE, next_trigger_time
from .wire import JavaError, fastjson, illegal_argument, iso_ms, jstr, null_id, powerjob

_SAVE_TYPE = "tech.powerjob.common.request.http.SaveWorkflowRequest"
_NODE_RUNTIME = ("instanceId", "nodeParams", "status", "result", "enable", "disableByControlNode",
                 "skipWhenFailed", "startTime", "finishedTime")  # fmt: skip


def _bind_dag(body: Body) -> dict[str, Any] | None:
    dag = body.object("dag", "tech.powerjob.common.model.PEWorkflowDAG")
    if dag is None:
        return None
    nodes, edges = dag.raw.get("nodes"), dag.raw.get("edges")
    return {
        "nodes": None if nodes is None else [Body(n, "Node").long("nodeId") for n in nodes],
        "edges": None
        if edges is None
        else [
            {
                "from": e.long("from"),
                "to": e.long("to"),
                "property": e.string("property"),
                "enable": e.boolean("enable", None, primitive=False),
            }  # fmt: skip
            for e in (Body(raw, "Edge") for raw in edges)
        ],
    }


def _dag_is_valid(dag: dict[str, Any]) -> bool:
    """`WorkflowDAGUtils.valid`: nodes, unique ids, known edge ends, a root, no cycle."""
    if not dag["nodes"] or dag["edges"] is None:
        return False
    ids: list[int | None] = dag["nodes"]
    if None in ids or len(set(ids)) != len(ids):
        return False
    successors: dict[int | None, list[int | None]] = {i: [] for i in ids}
    indegree = dict.fromkeys(ids, 0)
    for edge in dag["edges"]:
        if edge["from"] not in successors or edge["to"] not in successors:
            return False
        successors[edge["from"]].append(edge["to"])
        indegree[edge["to"]] += 1
    ready = [i for i in ids if indegree[i] == 0]
    seen = 0
    while ready:
        seen += 1
        for nxt in successors[ready.pop()]:
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                ready.append(nxt)
    return seen == len(ids)


def permission_check(ctx: Ctx, workflow_id: int | None, app_id: int | None) -> Row:
    if workflow_id is None:
        raise null_id()
    wf = ctx.store.workflows.get(workflow_id)
    if wf is None:
        raise illegal_argument(f"can't find workflow by id: {workflow_id}")
    if wf["appId"] != app_id:
        raise powerjob("Permission Denied! can't operate other app's workflow!")
    return wf


def _complex_validate(node: Row, dag: dict[str, Any], workflow_id: int) -> None:
    if node["type"] == DECISION_NODE:
        out = [e for e in dag["edges"] if e["from"] == node["id"]]
        props = sorted(str(e["property"]).strip().lower() for e in out)
        if len(out) != 2:
            raise powerjob(
                f"DecisionNode{QUOTE}s out-degree must be 2,node name : {node['nodeName']}"
            )
        if props != ["false", "true"]:
            name = node["nodeName"]
            raise powerjob(
                f"Illegal property of DecisionNode{QUOTE}s out-degree edge,node name : {name}"
            )
    if node["type"] == NESTED_NODE and node["jobId"] == workflow_id:
        raise powerjob(
            f"Illegal nested workflow node,Prohibit circular references!{node['nodeName']}"
        )


def _attach_dag(ctx: Ctx, wf_id: int, dag: dict[str, Any] | None) -> dict[str, Any]:
    """Check the DAG, attach its unattached nodes, delete the workflow's other nodes."""
    if dag is None or not _dag_is_valid(dag):
        raise powerjob("illegal DAG")
    for node_id in dag["nodes"]:
        node = ctx.store.nodes.get(node_id)
        if node is None:
            raise powerjob(f"can't find node info by id :{node_id}")
        if node["workflowId"] not in (None, wf_id):
            raise powerjob("can't use another workflow's node")
        _complex_validate(node, dag, wf_id)
    for node_id, node in list(ctx.store.nodes.items()):
        if node_id in dag["nodes"] and node["workflowId"] is None:
            node.update(workflowId=wf_id, gmtModified=ctx.now_ms)
        elif node_id not in dag["nodes"] and node["workflowId"] == wf_id:
            del ctx.store.nodes[node_id]
    return {"nodes": list(dag["nodes"]), "edges": dag["edges"]}


def save_workflow(ctx: Ctx, req: Request) -> int:
    body = Body(req.json_body(_SAVE_TYPE), _SAVE_TYPE)
    lifecycle = body.bean("lifeCycle", LIFECYCLE_TYPE, start="long", end="long")
    wf_id, type_code = body.long("id"), body.enum("timeExpressionType", TIME_EXPRESSION_TYPE)
    users = body.long_list("notifyUserIds") if "notifyUserIds" in body.raw else []
    copied = {
        "wfName": body.string("wfName"), "wfDescription": body.string("wfDescription"),
        "appId": body.long("appId"), "timeExpression": body.string("timeExpression"),
        "maxWfInstanceNum": body.integer("maxWfInstanceNum", 1),
    }  # fmt: skip
    enable, dag = body.boolean("enable", True), _bind_dag(body)
    ctx.begin()
    for key, label in (("wfName", "workflow name"), ("appId", "appId")):
        if copied[key] is None or copied[key] == "":
            raise powerjob(f"{label} can't be empty")
    if type_code is None:
        raise powerjob("timeExpressionType can't be empty")
    now = ctx.now_ms
    if wf_id is not None and wf_id not in ctx.store.workflows:
        raise illegal_argument(f"can't find workflow by id:{wf_id}")
    wf: Row = dict(ctx.store.workflows[wf_id]) if wf_id is not None else {
        "id": None, "notifyUserIds": None, "lifecycle": None, "nextTriggerTime": None,
        "peDAG": None, "gmtCreate": now, "extra": None,
    }  # fmt: skip
    wf.update(
        copied, status=ENABLE if enable else DISABLE, timeExpressionType=type_code, gmtModified=now
    )
    if users is not None:
        wf["notifyUserIds"] = ",".join(jstr(u) for u in users)
    if lifecycle is not None:
        wf["lifecycle"] = fastjson(lifecycle)
    if type_code in FREQUENT_TYPES:
        wf["timeExpression"] = None
    else:
        start, end = (lifecycle or {}).get("start"), (lifecycle or {}).get("end")
        wf["nextTriggerTime"] = next_trigger_time(type_code, wf["timeExpression"], start, end, now)
    if wf_id is None:
        wf_id = ctx.store.next_id("workflow")  # used up even if the DAG is refused below
    wf.update(id=wf_id, peDAG=_attach_dag(ctx, wf_id, dag))
    ctx.store.workflows[wf_id] = wf
    return wf_id


def workflow_vo(store: Store, wf: Row) -> dict[str, Any]:
    """WorkflowInfoVO: type as a name, no status, DAG under `peworkflowDAG` with node details."""
    rows = {i: n for i, n in store.nodes.items() if n["workflowId"] == wf["id"]}
    nodes = []
    for node_id in wf["peDAG"]["nodes"]:
        row = rows.get(node_id, {})
        node = {"nodeId": node_id, "nodeType": row.get("type"), "jobId": row.get("jobId"),
                "nodeName": row.get("nodeName")}  # fmt: skip
        node.update(dict.fromkeys(_NODE_RUNTIME))
        node.update({k: row.get(k) for k in ("nodeParams", "enable", "skipWhenFailed")})
        nodes.append(node)
    life = json.loads(wf["lifecycle"]) if wf["lifecycle"] else None
    users = wf["notifyUserIds"]
    return {
        "id": wf["id"], "wfName": wf["wfName"], "wfDescription": wf["wfDescription"],
        "appId": wf["appId"],
        "timeExpressionType": TIME_EXPRESSION_TYPE.name_of(wf["timeExpressionType"]),
        "timeExpression": wf["timeExpression"], "maxWfInstanceNum": wf["maxWfInstanceNum"],
        "enable": wf["status"] == ENABLE,
        "notifyUserIds": [int(u) for u in users.split(",")] if users else None,
        "lifeCycle": None if life is None else {"start": life.get("start"), "end": life.get("end")},
        "gmtCreate": iso_ms(wf["gmtCreate"]), "gmtModified": iso_ms(wf["gmtModified"]),
        "peworkflowDAG": {"nodes": nodes, "edges": [dict(e) for e in wf["peDAG"]["edges"]]},
    }  # fmt: skip


def _ids(ctx: Ctx, req: Request) -> Row:
    workflow_id, app_id = req.long_param("workflowId"), req.long_param("appId")
    ctx.begin()
    return permission_check(ctx, workflow_id, app_id)


def fetch_workflow(ctx: Ctx, req: Request) -> dict[str, Any]:
    return workflow_vo(ctx.store, _ids(ctx, req))


def _set_status(ctx: Ctx, req: Request, status: int) -> None:
    _ids(ctx, req).update(status=status, gmtModified=ctx.now_ms)


def enable_workflow(ctx: Ctx, req: Request) -> None:
    _set_status(ctx, req, ENABLE)


def disable_workflow(ctx: Ctx, req: Request) -> None:
    _set_status(ctx, req, DISABLE)


def delete_workflow(ctx: Ctx, req: Request) -> None:
    """Soft delete; /fetchWorkflow then shows `enable: false`, nodes stay."""
    _set_status(ctx, req, DELETED)


def copy_workflow(ctx: Ctx, req: Request) -> int:
    origin = _ids(ctx, req)
    if origin["status"] == DELETED:
        raise JavaError("IllegalStateException", "can't copy the workflow which has been deleted!")
    now, copy_id = ctx.now_ms, ctx.store.next_id("workflow")
    mapping: dict[int, int] = {}
    for node_id in origin["peDAG"]["nodes"]:
        node = ctx.store.nodes.get(node_id)
        if node is None:
            raise illegal_argument(f"can't find workflow Node by id: {node_id}")
        mapping[node_id] = ctx.store.next_id("node")
        ctx.store.nodes[mapping[node_id]] = dict(
            node, id=mapping[node_id], workflowId=copy_id, gmtCreate=now, gmtModified=now
        )
    edges = [
        dict(e, **{"from": mapping.get(e["from"]), "to": mapping.get(e["to"])})
        for e in origin["peDAG"]["edges"]
    ]
    dag = {"nodes": [mapping[i] for i in origin["peDAG"]["nodes"]], "edges": edges}
    copy = dict(
        origin,
        id=copy_id,
        wfName=f"{origin['wfName']}_COPY",
        gmtCreate=now,
        gmtModified=now,
        peDAG=dag,
    )
    ctx.store.workflows[copy_id] = copy
    return copy_id


def run_workflow(ctx: Ctx, req: Request) -> int:
    """Creates a workflow instance; with no worker its job nodes fail, so it ends FAILED."""
    params, delay = req.param("initParams"), req.long_param("delay") or 0
    wf = _ids(ctx, req)
    wf_instance_id = ctx.store.snowflake(ctx.now_ms)
    ctx.store.wf_instances[wf_instance_id] = {
        "wfInstanceId": wf_instance_id, "workflowId": wf["id"], "appId": wf["appId"],
        "wfInitParams": params, "status": 1, "expectedTriggerTime": ctx.now_ms + max(delay, 0),
    }  # fmt: skip
    settle_workflows(ctx.store, ctx.now_ms)
    return wf_instance_id


def settle_workflows(store: Store, now_ms: int) -> None:
    for row in store.wf_instances.values():
        if row["status"] == 1 and row["expectedTriggerTime"] <= now_ms:
            row["status"] = 3  # FAILED
