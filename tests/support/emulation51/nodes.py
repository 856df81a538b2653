"""/addWorkflowNode of the PowerJob 5.1 *emulation*: node rows, created unattached."""

from __future__ import annotations

from typing import Any

from .binding import Body, Request
from .jobs import DELETED
from .store import Ctx, Row
from .wire import illegal_argument, iso_ms, jstr, not_readable, powerjob

JOB_NODE, DECISION_NODE, NESTED_NODE = 1, 2, 3
QUOTE = "\u2018"  # the server's messages use a typographic quote here
_NODE_TYPE = "tech.powerjob.common.request.http.SaveWorkflowNodeRequest"
_NODE_FIELDS = ("id", "appId", "workflowId", "type", "jobId", "nodeName", "nodeParams", "enable",
                "skipWhenFailed", "extra", "gmtCreate", "gmtModified")  # fmt: skip


def _bind_node(raw: Any) -> Row:
    b = Body(raw, _NODE_TYPE)
    return {
        "id": b.long("id"), "appId": b.long("appId"), "type": b.integer("type"),
        "jobId": b.long("jobId"), "nodeName": b.string("nodeName"),
        "nodeParams": b.string("nodeParams"), "enable": b.boolean("enable", True, primitive=False),
        "skipWhenFailed": b.boolean("skipWhenFailed", False, primitive=False),
    }  # fmt: skip


def _simple_validate(ctx: Ctx, node: Row) -> None:
    name = jstr(node["nodeName"])
    if node["type"] == JOB_NODE:
        job = ctx.store.jobs.get(node["jobId"])
        if job is None:
            raise powerjob(f"Illegal job node,specified job is not exist,node name : {name}")
        if job["status"] == DELETED:
            raise powerjob(f"Illegal job node,specified job has been deleted,node name : {name}")
    elif node["type"] == NESTED_NODE:
        target = ctx.store.workflows.get(node["jobId"])
        if target is None:
            raise powerjob(
                f"Illegal nested workflow node,specified workflow is not exist,node name : {name}"
            )
        if target["status"] == DELETED:
            raise powerjob(
                "Illegal nested workflow node,specified workflow has been deleted,"
                f"node name : {name}"
            )
        if any(
            ctx.store.nodes.get(i, {}).get("type") == NESTED_NODE for i in target["peDAG"]["nodes"]
        ):
            raise powerjob(
                "Illegal nested workflow node,specified workflow must be a simple workflow,"
                f"node name : {name}"
            )
    elif not (node["nodeParams"] or "").strip():
        raise powerjob(f"DecisionNode{QUOTE}s param must be not null,node name : {name}")


def add_workflow_node(ctx: Ctx, req: Request) -> list[dict[str, Any]]:
    raw = req.json_body(f"java.util.List<{_NODE_TYPE}>")
    if not isinstance(raw, list):
        raise not_readable(
            "JSON parse error: Cannot deserialize value of type "
            f"`java.util.ArrayList<{_NODE_TYPE}>` from Object value"
        )
    items = [_bind_node(item) for item in raw]
    ctx.begin()
    saved: list[Row] = []
    for item in items:
        for key in ("appId", "type"):
            if item[key] is None:
                raise powerjob(f"{key} can't be empty")
        if item["type"] not in (JOB_NODE, DECISION_NODE, NESTED_NODE):
            raise illegal_argument(f"unknown WorkflowNodeType of {item['type']}")
        if item["type"] != DECISION_NODE and item["jobId"] is None:
            raise powerjob("jobId can't be empty")
        if item["appId"] != items[0]["appId"]:
            raise powerjob("node list must are in the same app")
        if item["id"] is not None and item["id"] not in ctx.store.nodes:
            raise illegal_argument(f"can't find workflow Node by id: {item['id']}")
        base = ctx.store.nodes.get(item["id"]) or {
            "workflowId": None,
            "extra": None,
            "gmtCreate": ctx.now_ms,
        }
        node = dict(base, **item, gmtModified=ctx.now_ms)
        _simple_validate(ctx, node)
        if node["id"] is None:
            node["id"] = ctx.store.next_id("node")
        saved.append(node)
    for node in saved:
        ctx.store.nodes[node["id"]] = node
    return [{k: iso_ms(n[k]) if k.startswith("gmt") else n[k] for k in _NODE_FIELDS} for n in saved]
