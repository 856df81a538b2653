"""The URN a resource class hands its provider as the ``owner`` input (``ownership``)."""

from __future__ import annotations

import pulumi


def owner_urn(name: str, kind: str, opts: pulumi.ResourceOptions | None) -> pulumi.Input[str]:
    """The URN of the dynamic resource ``powerjob:<kind>`` named ``name``: known at preview,
    stable across runs, and unique to this resource of this stack.

    Computed here rather than by ``pulumi.resource.create_urn``, which would make the resource
    depend on its parent: a component's children would then depend on the component, a cycle.
    """
    kind = f"pulumi-python:dynamic/powerjob:{kind}"
    parent = opts.parent if opts is not None else None
    if parent is None:
        return f"urn:pulumi:{pulumi.get_stack()}::{pulumi.get_project()}::{kind}::{name}"
    urn = parent.urn  # the value only: no dependency on the parent
    detached = pulumi.Output(set(), urn.future(), urn.is_known(), urn.is_secret())
    return detached.apply(lambda parent_urn: child_urn(str(parent_urn), kind, name))


def child_urn(parent_urn: str, kind: str, name: str) -> str:
    """The URN of a child of the resource ``parent_urn``, as the engine forms it."""
    head, parent_type, _parent_name = parent_urn.rsplit("::", 2)
    if parent_type.rsplit("$", 1)[-1] == "pulumi:pulumi:Stack":
        return f"{head}::{kind}::{name}"
    return f"{head}::{parent_type}${kind}::{name}"
