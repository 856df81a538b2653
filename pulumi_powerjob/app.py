"""``App`` and ``AppArgs``: a PowerJob app (its name and password) as a Pulumi resource."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi import dynamic

from pulumi_powerjob.providers.app import OUTPUT_KEYS, AppProvider

__all__ = ["App", "AppArgs"]


@dataclass(kw_only=True)
class AppArgs:
    """The declared state of an app. The password is always kept as a secret."""

    password: pulumi.Input[str]
    """The app's password; changing it is one save (the old one comes from state)."""
    app_name: pulumi.Input[str] | None = None
    """The app's name (no whitespace); defaults to the resource name. Changing it replaces."""
    delete_on_destroy: pulumi.Input[bool] | None = None
    """Delete the app on destroy. Default false: the app is retained, because deleting it
    hard-deletes the row and strands its jobs and workers."""
    connection: pulumi.Input[str] | None = None
    """A named connection profile: only its server address and timeouts are used."""


class App(dynamic.Resource, module="powerjob", name="App"):
    """A PowerJob app. On 5.1 servers set ``powerjob:adminUsername`` / ``adminPassword``."""

    app_id: pulumi.Output[int]
    """The app's id on the server."""
    app_name: pulumi.Output[str]
    password: pulumi.Output[str]
    """Always a secret."""

    def __init__(
        self,
        resource_name: str,
        args: AppArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        delete = args.delete_on_destroy
        props: dict[str, Any] = {
            "app_name": resource_name if args.app_name is None else args.app_name,
            "password": pulumi.Output.secret(args.password),
            "delete_on_destroy": False if delete is None else delete,
            "connection": args.connection,
        }
        props.update(dict.fromkeys(OUTPUT_KEYS))
        secret = pulumi.ResourceOptions(additional_secret_outputs=["password"])
        super().__init__(
            AppProvider(), resource_name, props, pulumi.ResourceOptions.merge(secret, opts)
        )
